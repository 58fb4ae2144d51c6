"""Tests for stationcast.feed.podcastindex, the Podcasting 2.0 feedgen extension.

The rules in SPEC below are transcribed from Podcastindex-org/podcast-namespace
docs/tags/*.md (parent, count, required/optional attributes, enumerations, limits) and
kept apart from the implementation, so a feed built with every tag can be checked against
them independently.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import feedparser
import podcastparser
import pytest
from feedgen.feed import FeedGenerator
from hypothesis import given, settings
from hypothesis import strategies as st

from feedext.helpers import FIXED, ITUNES, PODCAST, add_item, new_feed, parse
from stationcast.feed import podcast_tags
from stationcast.feed.itunes import register_apple
from stationcast.feed.podcastindex import (
    LiveItem,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    podcast_guid,
    register_podcastindex,
)
from stationcast.spec import taxonomy as spec_taxonomy
from stationcast.spec.namespaces import PODCAST as PODCAST_NS
from stationcast.spec.namespaces import PODCAST_GITHUB as PODCAST_NS_GITHUB

P = f"{{{PODCAST}}}"
NS = {"podcast": PODCAST, "itunes": ITUNES}
GUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
OTHER_GUID = "9b024349-ccf0-5f69-a609-6b82873eab3c"
START = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

# --- the spec, as data ----------------------------------------------------------------

_ITEMISH = {"item", "liveItem"}
SPEC: dict[str, dict[str, Any]] = {
    # tag: parents, single?, required attrs, optional attrs, text rule
    "guid": dict(parents={"channel"}, single=True, req=set(), opt=set(), text="uuid"),
    "locked": dict(parents={"channel"}, single=True, req=set(), opt={"owner"}, text="yesno"),
    "funding": dict(parents={"channel"} | _ITEMISH, single=False, req={"url"}, opt=set(), text=128),
    "location": dict(
        parents={"channel"} | _ITEMISH,
        single=False,
        req=set(),
        opt={"rel", "geo", "osm", "country"},
        text=128,
    ),
    "license": dict(parents={"channel"} | _ITEMISH, single=True, req=set(), opt={"url"}, text=128),
    "medium": dict(parents={"channel"}, single=True, req=set(), opt=set(), text="medium"),
    "person": dict(
        parents={"channel"} | _ITEMISH,
        single=False,
        req=set(),
        opt={"role", "group", "img", "href"},
        text=128,
    ),
    "txt": dict(
        parents={"channel"} | _ITEMISH, single=False, req=set(), opt={"purpose"}, text=4000
    ),
    "podroll": dict(parents={"channel"}, single=True, req=set(), opt=set(), text=None),
    "remoteItem": dict(
        parents={"channel", "podroll"},
        single=False,
        req={"feedGuid"},
        opt={"feedUrl", "itemGuid", "medium", "title"},
        text=None,
    ),
    "updateFrequency": dict(
        parents={"channel"}, single=True, req=set(), opt={"complete", "dtstart", "rrule"}, text=128
    ),
    "block": dict(parents={"channel"}, single=False, req=set(), opt={"id"}, text="yesno"),
    "trailer": dict(
        parents={"channel"},
        single=False,
        req={"url", "pubdate"},
        opt={"length", "type", "season"},
        text=128,
    ),
    "image": dict(
        parents={"channel"} | _ITEMISH,
        single=False,
        req={"href"},
        opt={"alt", "aspect-ratio", "width", "height", "type", "purpose"},
        text=None,
    ),
    "liveItem": dict(
        parents={"channel"}, single=False, req={"status", "start"}, opt={"end"}, text=None
    ),
    "contentLink": dict(parents=_ITEMISH, single=False, req={"href"}, opt=set(), text=""),
    "transcript": dict(
        parents=_ITEMISH, single=False, req={"url", "type"}, opt={"language", "rel"}, text=None
    ),
    "chapters": dict(parents=_ITEMISH, single=True, req={"url", "type"}, opt=set(), text=None),
    "soundbite": dict(
        parents=_ITEMISH, single=False, req={"startTime", "duration"}, opt=set(), text=128
    ),
    "season": dict(parents=_ITEMISH, single=True, req=set(), opt={"name"}, text="int"),
    "episode": dict(parents=_ITEMISH, single=True, req=set(), opt={"display"}, text="decimal"),
    "alternateEnclosure": dict(
        parents=_ITEMISH,
        single=False,
        req={"type"},
        opt={"length", "bitrate", "height", "lang", "title", "rel", "codecs", "default"},
        text=None,
    ),
    "source": dict(
        parents={"alternateEnclosure"}, single=False, req={"uri"}, opt={"contentType"}, text=None
    ),
    "integrity": dict(
        parents={"alternateEnclosure"}, single=True, req={"type", "value"}, opt=set(), text=None
    ),
}
# Attributes that name web resources: docs/1.0.md requires https for them.
HTTPS_ATTRS = {
    ("funding", "url"),
    ("transcript", "url"),
    ("chapters", "url"),
    ("person", "href"),
    ("person", "img"),
    ("license", "url"),
    ("image", "href"),
    ("trailer", "url"),
    ("contentLink", "href"),
    ("remoteItem", "feedUrl"),
}
ENUMS = {
    ("transcript", "type"): {
        "text/plain",
        "text/html",
        "text/vtt",
        "application/json",
        "application/x-subrip",
    },
    ("transcript", "rel"): {"captions"},
    ("location", "rel"): {"subject", "creator"},
    ("liveItem", "status"): {"pending", "live", "ended"},
    ("integrity", "type"): {"sri", "pgp-signature"},
    ("alternateEnclosure", "default"): {"true", "false"},
    ("updateFrequency", "complete"): {"true", "false"},
}
LIMITS = {
    ("season", "name"): 128,
    ("episode", "display"): 32,
    ("alternateEnclosure", "title"): 32,
    ("alternateEnclosure", "rel"): 32,
    ("txt", "purpose"): 128,
    ("image", "purpose"): 128,
}
_BASE_MEDIUMS = [
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
]
MEDIUMS = set(_BASE_MEDIUMS) | {m + "L" for m in _BASE_MEDIUMS} | {"mixed"}


def _local(element: Any) -> str:
    return element.tag.split("}", 1)[1] if element.tag.startswith("{") else element.tag


def spec_problems(root: Any) -> list[str]:
    """Every way the podcast: elements under *root* break the SPEC rules above."""
    problems: list[str] = []
    taxonomy = set(spec_taxonomy.taxonomy())
    for element in root.iter(f"{P}*"):
        tag, parent = _local(element), _local(element.getparent())
        where = f"{parent}/podcast:{tag}"
        rule = SPEC.get(tag)
        if rule is None:
            problems.append(f"{where}: not a tag we write")
            continue
        if parent not in rule["parents"]:
            problems.append(f"{where}: parent not allowed")
        if rule["single"] and len(element.getparent().findall(element.tag)) > 1:
            problems.append(f"{where}: appears more than once")
        attrs = set(element.attrib)
        if not rule["req"] <= attrs:
            problems.append(f"{where}: missing {sorted(rule['req'] - attrs)}")
        if attrs - rule["req"] - rule["opt"]:
            problems.append(f"{where}: unknown {sorted(attrs - rule['req'] - rule['opt'])}")
        for name, value in element.attrib.items():
            if (tag, name) in HTTPS_ATTRS and not value.startswith("https://"):
                problems.append(f"{where}@{name}: not https")
            if (tag, name) in ENUMS and value not in ENUMS[tag, name]:
                problems.append(f"{where}@{name}: {value!r} not allowed")
            if (tag, name) in LIMITS and len(value) > LIMITS[tag, name]:
                problems.append(f"{where}@{name}: too long")
        text = (element.text or "").strip()
        kind = rule["text"]
        if kind == "uuid" and not re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", text):
            problems.append(f"{where}: not a UUID")
        if kind == "yesno" and text not in ("yes", "no"):
            problems.append(f"{where}: not yes/no")
        if kind == "medium" and text not in MEDIUMS:
            problems.append(f"{where}: unknown medium")
        if kind == "int" and not re.fullmatch(r"-?\d+", text):
            problems.append(f"{where}: not an integer")
        if kind == "decimal" and not re.fullmatch(r"-?\d+(\.\d+)?", text):
            problems.append(f"{where}: not a decimal")
        if isinstance(kind, int) and len(text) > kind:
            problems.append(f"{where}: text too long")
        if (
            tag in ("person", "location", "trailer", "license", "funding", "contentLink")
            and not text
        ):
            problems.append(f"{where}: blank text")
        if tag == "person" and "role" in element.attrib:
            pair = (element.get("role"), element.get("group", "cast"))
            if pair not in taxonomy:
                problems.append(f"{where}: {pair} not in the Podcast Taxonomy")
        if (
            tag == "location"
            and "geo" in element.attrib
            and not element.get("geo").startswith("geo:")
        ):
            problems.append(f"{where}@geo: not a geo URI")
        if tag == "alternateEnclosure" and element.find(f"{P}source") is None:
            problems.append(f"{where}: no podcast:source")
        if tag == "podroll" and element.find(f"{P}remoteItem") is None:
            problems.append(f"{where}: no podcast:remoteItem")
        if tag == "liveItem" and element.find(f"{P}contentLink") is None:
            problems.append(f"{where}: no podcast:contentLink")
    return problems


# --- building feeds -------------------------------------------------------------------


def _feed(namespace: str = PODCAST_NS) -> FeedGenerator:
    fg = new_feed()
    register_apple(fg)
    register_podcastindex(fg, namespace=namespace)
    return fg


def _full_feed(namespace: str = PODCAST_NS) -> FeedGenerator:
    """A feed that uses every tag the extension writes, channel, liveItem and item."""
    fg = _feed(namespace)
    fg.podcast.itunes_author("WXYZ Public Radio")
    fg.apple.itunes_explicit(False)
    fg.apple.itunes_category("News", "Daily News")
    pi = fg.podcastindex
    pi.guid(podcast_guid("https://radio.example.org/stories/feed.xml"))
    pi.locked(True, owner="podcasts@radio.example.org")
    pi.funding("https://radio.example.org/give", "Become a member of WXYZ")
    pi.funding("https://radio.example.org/sustain", "Give monthly")
    pi.location(
        "Boston, MA", rel="creator", geo="geo:42.3601,-71.0589", osm="R2315704", country="us"
    )
    pi.license("cc-by-nc-nd-4.0")
    pi.medium("podcast")
    pi.person(
        "Kelly McEvers",
        role="Host",
        href="https://radio.example.org/people/kelly",
        img="https://radio.example.org/people/kelly.jpg",
    )
    pi.person("Pat Producer", role="producer")
    pi.txt("S6lpp-7ZCn8-dZfGc-OoyaG", purpose="verify")
    pi.podroll(
        [{"feed_guid": OTHER_GUID, "feed_url": "https://podnews.net/rss", "title": "Podnews"}]
    )
    pi.remote_item(OTHER_GUID, item_guid="episode-1", medium="podcast")
    pi.update_frequency("Weekdays", rrule="FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
    pi.block(False)
    pi.block(True, id="google")
    pi.trailer(
        "Coming soon", "https://radio.example.org/trailer.mp3", FIXED, 12345, "audio/mpeg", season=1
    )
    pi.image(
        "https://radio.example.org/art-wide.jpg",
        alt="The WXYZ logo",
        aspect_ratio="16/9",
        width=1920,
        height=1080,
        type="image/jpeg",
        purpose="social banner",
    )
    live = pi.live_item(
        "pending",
        START,
        "WXYZ Morning Live",
        "wxyz-live-2026-11-26",
        START + timedelta(hours=2),
        enclosure=("https://radio.example.org/live.mp3", 0, "audio/mpeg"),
        link="https://radio.example.org/live",
        description="The morning show, live.",
        content_link=("https://radio.example.org/live", "Listen live"),
    )
    live.person("Kelly McEvers", role="host")
    live.alternate_enclosure("audio/aac", sources=["https://radio.example.org/live.aac"])
    live.image("https://radio.example.org/live.jpg")
    live.location("Boston, MA")
    live.funding("https://radio.example.org/give", "Support live radio")
    fe = add_item(fg)
    fe.apple.itunes_explicit(False)
    fe.podcast.itunes_duration(600)
    e = fe.podcastindex
    e.transcript("https://radio.example.org/stories/1/transcript.html", "text/html")
    e.transcript(
        "https://radio.example.org/stories/1/transcript.vtt",
        "text/vtt",
        language="en",
        rel="captions",
    )
    e.transcript(
        "https://radio.example.org/stories/1/transcript.srt", "application/x-subrip", rel="captions"
    )
    e.transcript("https://radio.example.org/stories/1/transcript.json", "application/json")
    e.transcript("https://radio.example.org/stories/1/transcript.txt", "text/plain")
    e.person("Kelly McEvers", role="host")
    e.person("Peter Neumann", role="guest", href="https://www.kcl.ac.uk/people/neumann")
    e.person("Sam Editor", role="editor", group="writing")
    e.chapters("https://radio.example.org/stories/1/chapters.json")
    e.soundbite(73.0, 60.0, "Why people leave")
    e.soundbite("1234.5", Decimal("42.25"))
    e.season(2, name="Defectors")
    e.episode(315.5, display="Ch.3")
    e.location("Raqqa, Syria", geo="geo:35.95,39.01", country="sy")
    e.alternate_enclosure(
        "audio/opus",
        length=32400000,
        bitrate=96000,
        height=None,
        lang="en",
        title="High quality",
        rel="default",
        codecs="opus",
        default=False,
        sources=[
            "https://radio.example.org/1.opus",
            ("ipfs://QmExample", None),
            ("https://radio.example.org/1.torrent", "application/x-bittorrent"),
        ],
        integrity=("sri", "sha384-ExVqijgYHm15PqQqdXfW95x"),
    )
    e.image("https://radio.example.org/stories/1/art.png", alt="Episode art")
    e.license("my-station-license", url="https://radio.example.org/license")
    e.txt("free text")
    e.funding("https://radio.example.org/give", "Support this story")
    e.content_link("https://radio.example.org/stories/1/", "Read the transcript")
    return fg


# --- the whole feed against the spec --------------------------------------------------


def test_full_feed_meets_every_spec_rule() -> None:
    """A feed using every tag passes the spec's parent/count/attribute/limit rules."""
    root = parse(_full_feed())
    assert spec_problems(root) == []


def test_full_feed_writes_every_tag() -> None:
    """Every tag the extension knows appears in the full feed (the rules above are exercised)."""
    root = parse(_full_feed())
    written = {_local(e) for e in root.iter(f"{P}*")}
    assert written == set(SPEC)


def test_spec_checker_catches_problems() -> None:
    """The independent checker is not vacuous: a hand-broken feed fails it."""
    root = parse(_full_feed())
    root.find(f".//{P}transcript").set("type", "text/srt")
    root.find(f".//{P}funding").set("url", "http://radio.example.org/give")
    assert spec_problems(root) == [
        "channel/podcast:funding@url: not https",
        "item/podcast:transcript@type: 'text/srt' not allowed",
    ]


def test_namespace_declared_once_with_podcast_prefix() -> None:
    """The podcast prefix is declared once on <rss>, beside a single itunes declaration."""
    xml = _full_feed().rss_str().decode()
    assert xml.count(f'xmlns:podcast="{PODCAST}"') == 1
    assert xml.count(f'xmlns:itunes="{ITUNES}"') == 1
    assert re.search(r"xmlns:podcast=", xml.split("<channel>")[1]) is None


def test_no_channel_or_item_tag_written_twice_across_extensions() -> None:
    """With feedgen's iTunes, the Apple fix-up and this extension, single tags appear once."""
    root = parse(_full_feed())
    for parent in root.xpath("/rss/channel | //item | //podcast:liveItem", namespaces=NS):
        tags = [c.tag for c in parent]
        singles = [
            t
            for t in tags
            if t.startswith(f"{{{ITUNES}}}") or (t.startswith(P) and SPEC[t[len(P) :]]["single"])
        ]
        singles = [t for t in singles if not t.endswith("}category")]
        assert len(singles) == len(set(singles)), tags


def test_two_builds_are_byte_identical() -> None:
    """Same calls, same bytes: the output does not depend on dict or set ordering."""
    assert _full_feed().rss_str(pretty=True) == _full_feed().rss_str(pretty=True)


def test_output_follows_call_order() -> None:
    """Tags are written in the order their methods were first called."""
    fg = _feed()
    fg.podcastindex.medium("podcast")
    fg.podcastindex.funding("https://radio.example.org/give", "Give")
    fg.podcastindex.guid(GUID)
    root = parse(fg)
    assert [_local(e) for e in root.find("channel").iter(f"{P}*")] == ["medium", "funding", "guid"]


def test_single_tag_replaced_in_place() -> None:
    """Setting a single tag again replaces it where it was; it is never written twice."""
    fg = _feed()
    fg.podcastindex.locked(False)
    fg.podcastindex.medium("podcast")
    fg.podcastindex.locked(True, owner="a@radio.example.org")
    root = parse(fg)
    assert [(_local(e), e.text) for e in root.find("channel").iter(f"{P}*")] == [
        ("locked", "yes"),
        ("medium", "podcast"),
    ]


def test_item_exact_xml() -> None:
    """An item's podcast: tags serialise exactly as the spec's examples are written."""
    fg = _feed()
    e = add_item(fg).podcastindex
    e.transcript(
        "https://example.com/episode1/transcript.json",
        "application/json",
        language="es",
        rel="captions",
    )
    e.person(
        "Becky Smith",
        role="Cover Art Designer",
        group="visuals",
        href="https://example.com/artist/beckysmith",
    )
    e.soundbite("1234.5", "42.25", "Why the Podcast Namespace Matters")
    e.episode(204, display="Ch.3")
    xml = fg.rss_str().decode()
    assert (
        '<podcast:transcript url="https://example.com/episode1/transcript.json" '
        'type="application/json" language="es" rel="captions"/>'
        '<podcast:person role="cover art designer" group="visuals" '
        'href="https://example.com/artist/beckysmith">Becky Smith</podcast:person>'
        '<podcast:soundbite startTime="1234.5" duration="42.25">'
        "Why the Podcast Namespace Matters</podcast:soundbite>"
        '<podcast:episode display="Ch.3">204</podcast:episode>'
    ) in xml


def test_live_item_structure() -> None:
    """A liveItem is a channel child before the items, holding title, guid, enclosure, links."""
    root = parse(_full_feed())
    channel = root.find("channel")
    live = channel.find(f"{P}liveItem")
    children = list(channel)
    assert children.index(live) < children.index(channel.find("item"))
    assert live.attrib == {
        "status": "pending",
        "start": "2026-11-26T12:00:00+00:00",
        "end": "2026-11-26T14:00:00+00:00",
    }
    assert [_local(c) for c in live] == [
        "title",
        "description",
        "link",
        "guid",
        "enclosure",
        "contentLink",
        "person",
        "alternateEnclosure",
        "image",
        "location",
        "funding",
    ]
    assert live.find("guid").get("isPermaLink") == "false"
    assert live.find("enclosure").attrib == {
        "url": "https://radio.example.org/live.mp3",
        "length": "0",
        "type": "audio/mpeg",
    }


def test_live_item_status_can_change() -> None:
    """A pending stream can be set live later; the getter lists live items."""
    fg = _feed()
    live = fg.podcastindex.live_item(
        "pending",
        START,
        "Live",
        "live-1",
        content_link=("https://radio.example.org/live", "Listen"),
    )
    assert live.status("live") == "live"
    assert fg.podcastindex.live_item() == [live]
    assert parse(fg).find(f".//{P}liveItem").get("status") == "live"


def test_alternate_namespace_uri() -> None:
    """With PODCAST_NS_GITHUB every tag is written in that namespace, declared once."""
    fg = _full_feed(PODCAST_NS_GITHUB)
    root = parse(fg)
    assert root.nsmap["podcast"] == PODCAST_NS_GITHUB
    assert root.find(f".//{{{PODCAST_NS_GITHUB}}}transcript") is not None
    assert root.find(f".//{P}transcript") is None


# --- getters --------------------------------------------------------------------------


def test_getters_return_what_was_set() -> None:
    """Each method called without arguments returns the stored values."""
    fg = _full_feed()
    pi = fg.podcastindex
    assert pi.guid() == podcast_guid("radio.example.org/stories/feed.xml")
    assert pi.locked() == {"locked": True, "owner": "podcasts@radio.example.org"}
    assert [f["text"] for f in pi.funding()] == ["Become a member of WXYZ", "Give monthly"]
    assert pi.medium() == "podcast"
    assert pi.person()[1] == {
        "name": "Pat Producer",
        "role": "producer",
        "group": "creative direction",
    }
    assert pi.podroll()[0]["title"] == "Podnews"
    assert pi.update_frequency() == {"text": "Weekdays", "rrule": "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"}
    assert pi.license() == {"identifier": "cc-by-nc-nd-4.0"}
    fe = fg.entry()[0].podcastindex
    assert fe.chapters() == {
        "url": "https://radio.example.org/stories/1/chapters.json",
        "type": "application/json+chapters",
    }
    assert fe.season() == {"number": 2, "name": "Defectors"}
    assert fe.episode() == {"number": 315.5, "display": "Ch.3"}
    assert len(fe.transcript()) == 5


def test_getters_when_nothing_set() -> None:
    """Unset single tags read as None, repeatable ones as empty lists."""
    pi = PodcastIndexExtension()
    fe = PodcastIndexEntryExtension()
    assert (pi.guid(), pi.locked(), pi.medium(), pi.license(), pi.update_frequency()) == (None,) * 5
    assert (pi.podroll(), pi.funding(), pi.live_item()) == ([], [], [])
    assert (fe.chapters(), fe.season(), fe.episode()) == (None, None, None)
    assert fe.transcript() == []


def test_replace_clears_repeatable_tag() -> None:
    """replace=True drops earlier values of a repeatable tag."""
    fe = PodcastIndexEntryExtension()
    fe.transcript("https://radio.example.org/1.vtt", "text/vtt")
    assert fe.transcript(
        "https://radio.example.org/1.srt", "application/x-subrip", replace=True
    ) == [{"url": "https://radio.example.org/1.srt", "type": "application/x-subrip"}]


def test_added_values_are_a_snapshot() -> None:
    """What an adding call returns stays as it was: later additions, a replace=True, or
    editing a returned dict change neither it nor the stored values."""
    fe = PodcastIndexEntryExtension()
    first = fe.person("Kelly McEvers")
    second = fe.person("Peter Neumann", role="guest")
    first[0]["name"] = "Edited"
    cleared = fe.person("Ari Shapiro", replace=True)
    assert first == [{"name": "Kelly McEvers"}]
    assert second == [
        {"name": "Kelly McEvers"},
        {"name": "Peter Neumann", "role": "guest", "group": "cast"},
    ]
    assert (len(second), second[-1]["name"], second[:1]) == (2, "Peter Neumann", first[:])
    assert cleared == fe.person() == [{"name": "Ari Shapiro"}]


def test_replace_keeps_other_tags_in_place() -> None:
    """replace=True on one repeatable tag leaves the others, and single tags set later,
    where they were written."""
    fg = _feed()
    fe = add_item(fg).podcastindex
    fe.person("Kelly McEvers")
    fe.season(2)
    fe.soundbite(10, 30)
    fe.person("Ari Shapiro", replace=True)
    fe.season(3)
    item = parse(fg).find("channel/item")
    assert [(_local(e), e.text) for e in item.iter(f"{P}*")] == [
        ("season", "3"),
        ("soundbite", None),
        ("person", "Ari Shapiro"),
    ]


# --- persons --------------------------------------------------------------------------


def test_person_without_role_omits_role_and_group() -> None:
    """Without role or group, apps assume host/cast; nothing extra is written."""
    fg = _feed()
    fg.podcastindex.person("Kelly McEvers")
    assert parse(fg).find(f".//{P}person").attrib == {}


def test_person_role_only_writes_taxonomy_group() -> None:
    """A role alone gets its group written (the default group 'cast' would be wrong)."""
    fg = _feed()
    fg.podcastindex.person("Ann Engineer", role="Audio Engineer")
    assert parse(fg).find(f".//{P}person").attrib == {
        "role": "audio engineer",
        "group": "audio production",
    }


def test_person_group_only_assumes_host() -> None:
    """A group without a role is checked with the default role 'host'."""
    fe = PodcastIndexEntryExtension()
    assert fe.person("Kelly McEvers", group="Cast")[0] == {
        "name": "Kelly McEvers",
        "role": "host",
        "group": "cast",
    }


def test_person_without_taxonomy_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """With person_check set to None, roles are lower-cased and written unchecked."""
    monkeypatch.setattr(podcast_tags, "person_check", None)
    fe = PodcastIndexEntryExtension()
    assert fe.person("X", role="Weather Presenter")[0] == {"name": "X", "role": "weather presenter"}


# --- validation errors: every message -------------------------------------------------

C = PodcastIndexExtension
E = PodcastIndexEntryExtension
HTTPS_RULE = r"must be an https: URL \(the namespace requires https for web resources\)"


def _live(**kw: Any) -> Any:
    args: dict[str, Any] = dict(status="live", start=START, title="Live", guid="g")
    args.update(kw)
    return C().live_item(**args)


ERRORS: list[tuple[str, Callable[[], Any], str]] = [
    (
        "guid-format",
        lambda: C().guid("not-a-guid"),
        r"^podcast:guid: must be a UUID like 917393e3-1b1e-5cef-ace4-edaa54e1f810 "
        r"\(use podcast_guid\(feed_url\)\), got 'not-a-guid'$",
    ),
    (
        "guid-derive",
        lambda: podcast_guid("https:///"),
        r"^cannot derive a podcast:guid from feed URL 'https:///'$",
    ),
    (
        "locked-value",
        lambda: C().locked("maybe"),
        r"^podcast:locked: value must be 'yes' or 'no' \(or a bool\), got 'maybe'$",
    ),
    (
        "locked-owner",
        lambda: C().locked(True, owner="nobody"),
        r"^podcast:locked: owner must be an email address, got 'nobody'$",
    ),
    (
        "funding-http",
        lambda: C().funding("http://radio.example.org/give", "Give"),
        rf"^podcast:funding: url {HTTPS_RULE}, got 'http://radio.example.org/give'$",
    ),
    (
        "funding-no-url",
        lambda: C().funding(text="Give"),
        r"^podcast:funding: url is required, got None$",
    ),
    (
        "funding-blank",
        lambda: C().funding("https://radio.example.org/give", "  "),
        r"^podcast:funding: text is required and cannot be blank, got '  '$",
    ),
    (
        "funding-129",
        lambda: C().funding("https://radio.example.org/give", "x" * 129),
        r"^podcast:funding: text must not exceed 128 characters, got 129$",
    ),
    (
        "xml-illegal",
        lambda: C().funding("https://radio.example.org/give", "a\x0bb"),
        r"^podcast:funding: text contains U\+000B, a character XML 1\.0 cannot hold$",
    ),
    (
        "location-blank",
        lambda: C().location("", geo="geo:1,2"),
        r"^podcast:location: text is required and cannot be blank, got ''$",
    ),
    (
        "location-rel",
        lambda: C().location("Boston", rel="about"),
        r"^podcast:location: rel must be one of 'subject', 'creator', got 'about'$",
    ),
    (
        "location-geo",
        lambda: C().location("Boston", geo="42.36,-71.06"),
        r"^podcast:location: geo must be an RFC 5870 geo URI with latitude -90\.\.90 and "
        r"longitude -180\.\.180 \(like 'geo:30\.2672,-97\.7431'\), got '42\.36,-71\.06'$",
    ),
    (
        "location-geo-range",
        lambda: C().location("Nowhere", geo="geo:91,0"),
        r"^podcast:location: geo must be an RFC 5870 geo URI",
    ),
    (
        "location-osm",
        lambda: C().location("Boston", osm="2315704"),
        r"^podcast:location: osm must be N, W or R followed by the OpenStreetMap id "
        r"\(like 'R113314'\), got '2315704'$",
    ),
    (
        "location-country",
        lambda: C().location("Boston", country="USA"),
        r"^podcast:location: country must be an ISO 3166-1 alpha-2 code \(like 'us'\), "
        r"got 'USA'$",
    ),
    (
        "license-blank",
        lambda: C().license(" "),
        r"^podcast:license: identifier is required and cannot be blank, got ' '$",
    ),
    (
        "license-url",
        lambda: C().license("x", url="ftp://radio.example.org/l"),
        rf"^podcast:license: url {HTTPS_RULE}, got 'ftp://radio.example.org/l'$",
    ),
    (
        "medium",
        lambda: C().medium("radio"),
        r"^podcast:medium: value must be one of 'podcast', 'music', .*'mixed', got 'radio'$",
    ),
    (
        "person-blank",
        lambda: C().person("", role="host"),
        r"^podcast:person: name is required and cannot be blank, got ''$",
    ),
    (
        "person-role",
        lambda: C().person("X", role="hots"),
        r"^unknown podcast:person role 'hots'; did you mean 'host'\?",
    ),
    (
        "person-href",
        lambda: C().person("X", href="http://radio.example.org/x"),
        rf"^podcast:person: href {HTTPS_RULE}, got 'http://radio.example.org/x'$",
    ),
    (
        "person-img",
        lambda: C().person("X", img="radio.example.org/x.jpg"),
        rf"^podcast:person: img {HTTPS_RULE}, got 'radio.example.org/x.jpg'$",
    ),
    (
        "txt-4001",
        lambda: C().txt("x" * 4001),
        r"^podcast:txt: text must not exceed 4000 characters, got 4001$",
    ),
    (
        "txt-purpose",
        lambda: C().txt("x", purpose="p" * 129),
        r"^podcast:txt: purpose must not exceed 128 characters, got 129$",
    ),
    (
        "podroll-empty",
        lambda: C().podroll([]),
        r"^podcast:podroll: needs at least one remote item$",
    ),
    (
        "podroll-keys",
        lambda: C().podroll([{"feedGuid": GUID}]),
        r"^podcast:podroll: unknown remote item keys \['feedGuid'\]; use feed_guid, feed_url, "
        r"item_guid, medium, title$",
    ),
    (
        "podroll-guid",
        lambda: C().podroll([{"feed_guid": "podnews"}]),
        r"^podcast:podroll: feedGuid must be the remote feed's podcast:guid \(a UUID\), "
        r"got 'podnews'$",
    ),
    (
        "remote-medium",
        lambda: C().remote_item(GUID, medium="radio"),
        r"^podcast:remoteItem: medium must be one of 'podcast', .*got 'radio'$",
    ),
    (
        "remote-url",
        lambda: C().remote_item(GUID, feed_url="http://podnews.net/rss"),
        rf"^podcast:remoteItem: feedUrl {HTTPS_RULE}, got 'http://podnews.net/rss'$",
    ),
    (
        "uf-rrule",
        lambda: C().update_frequency("Weekly", rrule="WEEKLY"),
        r"^podcast:updateFrequency: rrule must be an RFC 5545 recurrence rule with FREQ "
        r"\(like 'FREQ=WEEKLY;BYDAY=MO'\), got 'WEEKLY'$",
    ),
    (
        "uf-count",
        lambda: C().update_frequency("10 weeks", rrule="FREQ=WEEKLY;COUNT=10"),
        r"^podcast:updateFrequency: dtstart is required when rrule has COUNT$",
    ),
    (
        "uf-complete",
        lambda: C().update_frequency("Done", complete="yes"),
        r"^podcast:updateFrequency: complete must be true or false, got 'yes'$",
    ),
    (
        "uf-dtstart",
        lambda: C().update_frequency("Weekly", dtstart="next monday"),
        r"^podcast:updateFrequency: dtstart must be an ISO 8601 date-time "
        r"\(like 2021-09-26T07:30:00-06:00\), got 'next monday'$",
    ),
    (
        "block-value",
        lambda: C().block("maybe"),
        r"^podcast:block: value must be 'yes' or 'no' \(or a bool\), got 'maybe'$",
    ),
    (
        "trailer-pubdate",
        lambda: C().trailer("T", "https://r.example.org/t.mp3", "Thu, 01 Apr 2021"),
        r"^podcast:trailer: pubdate must be a datetime with a time zone, "
        r"got 'Thu, 01 Apr 2021'$",
    ),
    (
        "trailer-naive",
        lambda: C().trailer("T", "https://r.example.org/t.mp3", datetime(2021, 4, 1)),
        r"^podcast:trailer: pubdate needs a time zone, got '2021-04-01T00:00:00'$",
    ),
    (
        "trailer-length",
        lambda: C().trailer("T", "https://r.example.org/t.mp3", FIXED, -1),
        r"^podcast:trailer: length must be at least 0, got -1$",
    ),
    (
        "trailer-type",
        lambda: C().trailer("T", "https://r.example.org/t.mp3", FIXED, type="mp3"),
        r"^podcast:trailer: type must be a MIME type like 'audio/mpeg', got 'mp3'$",
    ),
    (
        "trailer-season",
        lambda: C().trailer("T", "https://r.example.org/t.mp3", FIXED, season="four"),
        r"^podcast:trailer: season must be an integer, got 'four'$",
    ),
    (
        "image-aspect",
        lambda: C().image("https://r.example.org/a.jpg", aspect_ratio="wide"),
        r"^podcast:image: aspect-ratio must use CSS syntax like '16/9', got 'wide'$",
    ),
    (
        "image-width",
        lambda: C().image("https://r.example.org/a.jpg", width=0),
        r"^podcast:image: width must be at least 1, got 0$",
    ),
    ("image-href", lambda: C().image(alt="logo"), r"^podcast:image: href is required, got None$"),
    (
        "live-status",
        lambda: _live(status="soon"),
        r"^podcast:liveItem: status must be one of 'pending', 'live', 'ended', got 'soon'$",
    ),
    (
        "live-required",
        lambda: C().live_item("live", START, "Live"),
        r"^podcast:liveItem: guid is required$",
    ),
    (
        "live-start",
        lambda: _live(start="tomorrow"),
        r"^podcast:liveItem: start must be an ISO 8601 date-time",
    ),
    (
        "live-naive",
        lambda: _live(start=datetime(2026, 11, 26, 12)),
        r"^podcast:liveItem: start needs a time zone, got '2026-11-26T12:00:00'$",
    ),
    (
        "live-end",
        lambda: _live(end=START),
        r"^podcast:liveItem: end \(2026-11-26T12:00:00\+00:00\) must be after start "
        r"\(2026-11-26T12:00:00\+00:00\)$",
    ),
    (
        "live-enclosure",
        lambda: _live(enclosure=("/live.mp3", 0, "audio/mpeg")),
        r"^podcast:liveItem: enclosure url must be an absolute URI, got '/live.mp3'$",
    ),
    (
        "live-xml",
        lambda: _live(title="Live\x00"),
        r"^podcast:liveItem: title contains U\+0000, a character XML 1\.0 cannot hold$",
    ),
    (
        "content-link",
        lambda: E().content_link("http://youtube.com/x", "YouTube"),
        rf"^podcast:contentLink: href {HTTPS_RULE}, got 'http://youtube.com/x'$",
    ),
    (
        "transcript-type",
        lambda: E().transcript("https://r.example.org/1.srt", "text/srt"),
        r"^podcast:transcript: type must be one of 'text/plain', 'text/html', 'text/vtt', "
        r"'application/json', 'application/x-subrip', got 'text/srt'$",
    ),
    (
        "transcript-rel",
        lambda: E().transcript("https://r.example.org/1.vtt", "text/vtt", rel="subtitles"),
        r"^podcast:transcript: rel must be one of 'captions', got 'subtitles'$",
    ),
    (
        "transcript-lang",
        lambda: E().transcript("https://r.example.org/1.vtt", "text/vtt", language="English"),
        r"^podcast:transcript: language must be a BCP 47 tag like 'en' or 'es-MX', "
        r"got 'English'$",
    ),
    (
        "transcript-http",
        lambda: E().transcript("http://r.example.org/1.vtt", "text/vtt"),
        rf"^podcast:transcript: url {HTTPS_RULE}, got 'http://r.example.org/1.vtt'$",
    ),
    (
        "chapters-type",
        lambda: E().chapters("https://r.example.org/c.json", "json"),
        r"^podcast:chapters: type must be a MIME type like 'audio/mpeg', got 'json'$",
    ),
    (
        "soundbite-start",
        lambda: E().soundbite(-1, 30),
        r"^podcast:soundbite: startTime must be at least 0, got -1$",
    ),
    (
        "soundbite-duration",
        lambda: E().soundbite(10, 0),
        r"^podcast:soundbite: duration must be greater than 0, got 0$",
    ),
    (
        "soundbite-number",
        lambda: E().soundbite("1:13", 30),
        r"^podcast:soundbite: startTime must be a number, got '1:13'$",
    ),
    (
        "soundbite-nan",
        lambda: E().soundbite(float("nan"), 30),
        r"^podcast:soundbite: startTime must be a number, got nan$",
    ),
    (
        "soundbite-bool",
        lambda: E().soundbite(True, 30),
        r"^podcast:soundbite: startTime must be a number, got True$",
    ),
    (
        "season-number",
        lambda: E().season(2.5),
        r"^podcast:season: season number must be an integer, got 2\.5$",
    ),
    (
        "season-missing",
        lambda: E().season(name="Two"),
        r"^podcast:season: the season number is required$",
    ),
    (
        "season-name",
        lambda: E().season(1, name="n" * 129),
        r"^podcast:season: name must not exceed 128 characters, got 129$",
    ),
    (
        "episode-missing",
        lambda: E().episode(display="Ch.3"),
        r"^podcast:episode: the episode number is required$",
    ),
    (
        "episode-display",
        lambda: E().episode(1, display="d" * 33),
        r"^podcast:episode: display must not exceed 32 characters, got 33$",
    ),
    (
        "altenc-source",
        lambda: E().alternate_enclosure("audio/opus"),
        r"^podcast:alternateEnclosure: needs at least one podcast:source"
        r" \(sources=\[uri, \.\.\.\]\)$",
    ),
    (
        "altenc-type",
        lambda: E().alternate_enclosure("opus", sources=["https://r.example.org/1"]),
        r"^podcast:alternateEnclosure: type must be a MIME type like 'audio/mpeg', got 'opus'$",
    ),
    (
        "altenc-title",
        lambda: E().alternate_enclosure(
            "audio/opus", title="t" * 33, sources=["https://r.example.org/1"]
        ),
        r"^podcast:alternateEnclosure: title must not exceed 32 characters, got 33$",
    ),
    (
        "altenc-bitrate",
        lambda: E().alternate_enclosure(
            "audio/opus", bitrate=-5, sources=["https://r.example.org/1"]
        ),
        r"^podcast:alternateEnclosure: bitrate must be greater than 0, got -5$",
    ),
    (
        "altenc-lang",
        lambda: E().alternate_enclosure(
            "audio/opus", lang="english!", sources=["https://r.example.org/1"]
        ),
        r"^podcast:alternateEnclosure: lang must be a BCP 47 tag like 'en', got 'english!'$",
    ),
    (
        "altenc-default",
        lambda: E().alternate_enclosure(
            "audio/opus", default="yes", sources=["https://r.example.org/1"]
        ),
        r"^podcast:alternateEnclosure: default must be true or false, got 'yes'$",
    ),
    (
        "source-uri",
        lambda: E().alternate_enclosure("audio/opus", sources=["file.opus"]),
        r"^podcast:source: uri must be an absolute URI, got 'file.opus'$",
    ),
    (
        "source-empty",
        lambda: E().alternate_enclosure("audio/opus", sources=[""]),
        r"^podcast:source: uri is required, got ''$",
    ),
    (
        "source-type",
        lambda: E().alternate_enclosure(
            "audio/opus", sources=[("https://r.example.org/1.torrent", "torrent")]
        ),
        r"^podcast:source: contentType must be a MIME type like 'audio/mpeg', got 'torrent'$",
    ),
    (
        "integrity-type",
        lambda: E().alternate_enclosure(
            "audio/opus", sources=["https://r.example.org/1"], integrity=("md5", "abc")
        ),
        r"^podcast:integrity: type must be one of 'sri', 'pgp-signature', got 'md5'$",
    ),
    (
        "integrity-value",
        lambda: E().alternate_enclosure(
            "audio/opus", sources=["https://r.example.org/1"], integrity=("sri", "")
        ),
        r"^podcast:integrity: value is required and cannot be blank, got ''$",
    ),
    (
        "register-key",
        lambda: register_podcastindex(FeedGenerator(), key="podcast"),
        r"^register the Podcasting 2\.0 extension under a key other than 'podcast': "
        r"feedgen's iTunes extension uses that key$",
    ),
    (
        "register-ns",
        lambda: register_podcastindex(FeedGenerator(), namespace="urn:podcast"),
        r"^namespace must be 'https://podcastindex\.org/namespace/1\.0' or "
        r"'https://github\.com/.*', got 'urn:podcast'$",
    ),
]


@pytest.mark.parametrize(
    ("call", "message"), [(c, m) for _, c, m in ERRORS], ids=[name for name, _, _ in ERRORS]
)
def test_invalid_value_raises_clear_error(call: Callable[[], Any], message: str) -> None:
    """Each spec rule is enforced when the value is set, with a message naming tag and rule."""
    with pytest.raises(ValueError, match=message):
        call()


def test_live_item_without_content_link_fails_when_written() -> None:
    """The required contentLink is checked when the feed is written (it may be added later)."""
    fg = _feed()
    fg.podcastindex.live_item("live", START, "Live", "wxyz-live")
    with pytest.raises(
        ValueError,
        match=r"^podcast:liveItem 'wxyz-live': needs at least one "
        r"podcast:contentLink \(a page where listeners can follow the stream\); "
        r"call content_link\(href, text\)$",
    ):
        fg.rss_str()


def test_failed_set_keeps_previous_value() -> None:
    """A rejected value leaves what was set before untouched."""
    pi = PodcastIndexExtension()
    pi.medium("music")
    with pytest.raises(ValueError):
        pi.medium("radio")
    assert pi.medium() == "music"


# --- accepted forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (73, "73"),
        (73.0, "73.0"),
        ("42.25", "42.25"),
        (Decimal("1234.50"), "1234.50"),
        (1e-7, "0.0000001"),
    ],
)
def test_numbers_written_as_given(value: Any, text: str) -> None:
    """Decimal attributes keep the caller's precision and never use exponent notation."""
    fg = _feed()
    add_item(fg).podcastindex.soundbite(value, 30)
    assert parse(fg).find(f".//{P}soundbite").get("startTime") == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2021-09-26T07:30:00.000-0600", "2021-09-26T07:30:00.000-0600"),
        ("2021-09-26T07:30:00Z", "2021-09-26T07:30:00Z"),
        (date(2025, 1, 1), "2025-01-01"),
        (datetime(2025, 1, 1, tzinfo=UTC), "2025-01-01T00:00:00+00:00"),
    ],
)
def test_iso8601_forms(value: Any, text: str) -> None:
    """ISO 8601 strings pass through unchanged; dates and aware datetimes are formatted."""
    pi = PodcastIndexExtension()
    pi.update_frequency("Weekly", dtstart=value, rrule="FREQ=WEEKLY;COUNT=10")
    assert pi.update_frequency()["dtstart"] == text


def test_locked_accepts_strings_and_bools() -> None:
    """locked takes yes/no or a bool."""
    pi = PodcastIndexExtension()
    assert pi.locked("no") == {"locked": False}
    assert pi.locked(True) == {"locked": True}


def test_guid_is_lower_cased() -> None:
    """An upper-case UUID is accepted and written in the usual lower case."""
    assert PodcastIndexExtension().guid(GUID.upper()) == GUID


def test_person_check_uses_taxonomy_when_available() -> None:
    """The Podcast Taxonomy check is on by default."""
    assert podcast_tags.person_check is spec_taxonomy.check_person


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("https://mp3s.nashownotes.com/pc20rss.xml/", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
    ],
)
def test_module_podcast_guid_known_answers(url: str, expected: str) -> None:
    """The podcast_guid the extension offers gives the spec's answers."""
    assert podcast_guid(url) == expected


def test_live_item_class_is_exported() -> None:
    """live_item returns a LiveItem with the item methods."""
    live = _live()
    assert isinstance(live, LiveItem)
    assert callable(live.transcript) and callable(live.chapters)


# --- other parsers read the values back -----------------------------------------------


def test_feedparser_reads_channel_values() -> None:
    """feedparser (no podcast: support; keeps each tag's last text or attributes) reads them."""
    fg = _feed()
    fg.podcastindex.guid(GUID)
    fg.podcastindex.locked(True, owner="podcasts@radio.example.org")
    fg.podcastindex.funding("https://radio.example.org/give", "Give")
    fg.podcastindex.medium("podcast")
    fg.podcastindex.license("cc-by-4.0")
    parsed = feedparser.parse(fg.rss_str())
    assert not parsed.bozo
    assert parsed.feed.podcast_guid == GUID
    assert parsed.feed.podcast_locked == {"owner": "podcasts@radio.example.org"}
    assert parsed.feed.podcast_funding == {"url": "https://radio.example.org/give"}
    assert parsed.feed.podcast_medium == "podcast"
    assert parsed.feed.podcast_license == "cc-by-4.0"


def test_feedparser_reads_item_values() -> None:
    """feedparser reads item chapters, the last transcript, season and episode attributes."""
    entry = feedparser.parse(_full_feed().rss_str()).entries[0]
    assert entry.podcast_chapters == {
        "url": "https://radio.example.org/stories/1/chapters.json",
        "type": "application/json+chapters",
    }
    assert entry.podcast_transcript == {
        "url": "https://radio.example.org/stories/1/transcript.txt",
        "type": "text/plain",
    }
    assert entry.podcast_season == {"name": "Defectors"}
    assert entry.podcast_episode == {"display": "Ch.3"}


def _podcastparser(fg: FeedGenerator) -> dict[str, Any]:
    return podcastparser.parse(
        "https://radio.example.org/stories/feed.xml",  # type: ignore[no-any-return]
        io.BytesIO(fg.rss_str()),
    )


def test_podcastparser_reads_channel_values() -> None:
    """podcastparser reads locked (import_prohibited) and funding with the GitHub namespace URI.

    It keeps the last podcast:funding of the channel.
    """
    parsed = _podcastparser(_full_feed(PODCAST_NS_GITHUB))
    assert parsed["import_prohibited"] is True
    assert parsed["funding_url"] == "https://radio.example.org/sustain"
    assert parsed["explicit"] is False


def test_podcastparser_reads_item_values() -> None:
    """podcastparser reads transcript, chapters and persons (role/group lower-case).

    It keeps only the last podcast:transcript, so list the format gPodder should get last.
    """
    episode = _podcastparser(_full_feed(PODCAST_NS_GITHUB))["episodes"][0]
    assert episode["transcript_url"] == "https://radio.example.org/stories/1/transcript.txt"
    assert episode["chapters_json_url"] == "https://radio.example.org/stories/1/chapters.json"
    assert episode["persons"] == [
        {"name": "Kelly McEvers", "role": "host", "group": "cast", "href": None, "img": None},
        {
            "name": "Peter Neumann",
            "role": "guest",
            "group": "cast",
            "href": "https://www.kcl.ac.uk/people/neumann",
            "img": None,
        },
        {"name": "Sam Editor", "role": "editor", "group": "writing", "href": None, "img": None},
    ]
    assert episode["explicit"] is False


# --- properties -----------------------------------------------------------------------

_xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\ufffe\uffff"
        + "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)])),
    ),
    min_size=1,
    max_size=128,
).filter(lambda s: s.strip() != "" and s == s.strip() and "\r" not in s)


@settings(max_examples=60, deadline=None)
@given(name=_xml_text, note=_xml_text)
def test_any_text_round_trips(name: str, note: str) -> None:
    """Any XML-legal text in a node or attribute is escaped and parses back unchanged."""
    fg = _feed()
    fe = add_item(fg)
    fe.podcastindex.person(name)
    fe.podcastindex.soundbite(1, 15, note)
    fe.podcastindex.image("https://radio.example.org/a.jpg", alt=note)
    root = parse(fg)
    assert root.find(f".//{P}person").text == name
    assert root.find(f".//{P}soundbite").text == note
    assert root.find(f".//{P}image").get("alt") == note


# --- local previews -------------------------------------------------------------------


def test_http_allowed_when_https_not_required() -> None:
    """register_podcastindex(require_https=False) lets http: URLs through for a preview."""
    fg = new_feed()
    register_podcastindex(fg, require_https=False)
    fg.podcastindex.funding("http://127.0.0.1:8000/give", "Give")
    fg.podcastindex.podroll([{"feed_guid": GUID, "feed_url": "http://127.0.0.1:8000/f.xml"}])
    live = fg.podcastindex.live_item(
        "live",
        START,
        "Live",
        "g",
        link="http://127.0.0.1:8000/live",
        content_link=("http://127.0.0.1:8000/live", "Listen"),
    )
    fe = add_item(fg)
    fe.podcastindex.transcript("http://127.0.0.1:8000/1/transcript.vtt", "text/vtt")
    root = parse(fg)
    assert root.find(f".//{P}transcript").get("url").startswith("http://127.0.0.1")
    assert live.require_https is False


def test_http_still_refuses_other_schemes_in_preview() -> None:
    """Without the https rule a web URL is still required (no ftp:, no relative paths)."""
    fg = new_feed()
    register_podcastindex(fg, require_https=False)
    with pytest.raises(
        ValueError,
        match=r"^podcast:funding: url must be an http: or https: URL, got 'ftp://127.0.0.1/give'$",
    ):
        fg.podcastindex.funding("ftp://127.0.0.1/give", "Give")


def test_https_required_by_default() -> None:
    """The default registration enforces the spec's https rule."""
    fg = new_feed()
    register_podcastindex(fg)
    with pytest.raises(ValueError, match=r"must be an https: URL"):
        add_item(fg).podcastindex.transcript("http://127.0.0.1:8000/1.vtt", "text/vtt")


@pytest.mark.parametrize("module", ["stationcast.feed.podcastindex", "stationcast.feed.itunes"])
def test_module_imports_on_its_own(module: str) -> None:
    """Importing the extension first works: feedgen.util needs lxml.etree loaded beforehand."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
