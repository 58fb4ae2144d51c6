"""Page content, without a browser: structure, attribution, cues, escaping, safe links.

Pages are built by the real build from small shows (conftest.make_show) or the example, then
parsed with lxml.html, so the tests read the document a browser would get.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pages.shows import CREDITS, DATA, MakeShow, episode
from stationcast.build import build_show
from stationcast.errors import InputError
from stationcast.pages import (
    TurnView,
    caption_label,
    duration_iso,
    make_environment,
    render_episode_page,
    render_show_page,
    safe_url,
    tel_href,
    text_direction,
)
from support import EXAMPLE, EXAMPLE_SLUG, copy_example

Doc = Any  # lxml.html.HtmlElement


def parse(path: Path) -> Doc:
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    out = root / "feeds"
    build_show(copy_example(root / "episodes"), out)
    return out


# --- the episode page's structure -------------------------------------------------------------


def test_episode_page_is_a_complete_document(example: Path) -> None:
    """lang from the show, a title naming episode and show, skip link to <main>, header, main
    and footer landmarks, exactly one h1, the date as <time>, the player without autoplay."""
    raw = (example / EXAMPLE_SLUG / "index.html").read_text("utf-8")
    assert raw.startswith("<!DOCTYPE html>\n")
    doc = lxml.html.fromstring(raw)
    assert doc.get("lang") == "en-us" and doc.get("dir") == "ltr"
    assert doc.findtext(".//title") == (
        "Report Compiles Stories Of Islamic State Defectors · WUNC Segments"
    )
    skip = doc.xpath("//body/*[1]")[0]
    assert skip.tag == "a" and skip.get("href") == "#main"
    assert doc.xpath("//main/@id") == ["main"]
    assert [len(doc.xpath(f"//{tag}")) for tag in ("header", "main", "footer", "h1")] == [1] * 4
    assert doc.xpath("//p[@class='meta']/time[1]/@datetime") == ["2015-09-22T17:35:00-04:00"]
    (audio,) = doc.xpath("//audio")
    assert audio.get("controls") is not None and audio.get("preload") == "none"
    assert audio.get("autoplay") is None and audio.get("src") == "audio.mp3"


def test_credits_are_a_list_of_people_with_roles(example: Path) -> None:
    doc = parse(example / EXAMPLE_SLUG / "index.html")
    items = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='credits']/li")]
    assert items == [
        "Kelly McEvers, Host",
        "Peter Neumann, Guest, Head of the International Centre for the Study of Radicalisation",
    ]


def test_every_turn_is_attributed_to_a_credited_person(example: Path) -> None:
    """Each turn of the example opens with <cite>Full Name:</cite> (the Podcasting 2.0 HTML
    transcript form), and every name is one the credits list, never a raw label like MCEVERS."""
    doc = parse(example / EXAMPLE_SLUG / "index.html")
    turns = doc.xpath("//div[@class='turns']/div[contains(@class, 'turn')]")
    source = (EXAMPLE / EXAMPLE_SLUG / "transcript.txt").read_text("utf-8")
    labelled = re.findall(r"^[A-Z][A-Z .'-]+:", source, flags=re.M)
    assert len(turns) == 1 + len(labelled)  # the host's introduction, then one per label
    credited = {c["name"] for c in CREDITS}
    for turn in turns:
        first = turn[0]
        assert first.tag == "cite", lxml.html.tostring(turn)[:200]
        assert first.text_content().endswith(":")
        assert first.text_content()[:-1] in credited
        assert [child.tag for child in turn[1:]] == ["p"] * (len(turn) - 1)
    assert doc.xpath("//cite")[0].text_content() == "Kelly McEvers:"  # the intro is the host's


def test_transcript_credit_format_links_and_feed(example: Path) -> None:
    doc = parse(example / EXAMPLE_SLUG / "index.html")
    assert doc.xpath("string(//p[@class='transcript-credit'])") == (
        "Transcript provided by NPR, Copyright NPR."
    )
    links = [(a.get("href"), a.get("type")) for a in doc.xpath("//ul[@class='formats']//a")]
    assert links == [
        ("transcript.txt", "text/plain"),
        ("https://podcasts.example.org/wunc/feed.xml", "application/rss+xml"),
    ]


def test_footer_has_the_station_address_and_phone_links(example: Path) -> None:
    doc = parse(example / EXAMPLE_SLUG / "index.html")
    (footer,) = doc.xpath("//footer")
    assert footer.xpath("string(h2)") == "WUNC North Carolina Public Radio"
    assert footer.xpath("string(p[@class='slogan'])") == "Bringing The World Home To You"
    (address,) = footer.xpath("address")
    assert "120 Friday Center Dr" in address.text_content()
    assert address.xpath(".//a/@href") == ["tel:+19194459150", "tel:+18009629862"]


def test_pages_load_nothing_from_elsewhere(example: Path) -> None:
    """No scripts at all, and the stylesheet, images and audio are files beside the page."""
    for page in (example / "index.html", example / EXAMPLE_SLUG / "index.html"):
        doc = parse(page)
        assert doc.xpath("//script") == []
        assert doc.xpath("//@style") == []
        loaded = doc.xpath("//link[@rel='stylesheet']/@href | //img/@src | //audio/@src")
        assert loaded and all("//" not in url for url in loaded), loaded


# --- timed transcripts, cues, right-to-left text ------------------------------------------------


def test_timed_transcript_links_timestamps_and_adds_captions(make_show: MakeShow) -> None:
    out = make_show(transcripts={"segment": ("transcript.vtt", (DATA / "voices.vtt").read_text())})
    doc = parse(out / "segment" / "index.html")
    (track,) = doc.xpath("//audio/track")
    assert dict(track.attrib) == {
        "kind": "captions",
        "src": "transcript.vtt",
        "srclang": "en-us",
        "label": "English captions",
        "default": "",
    }
    times = doc.xpath("//div[contains(@class, 'turn')]/a[@class='time']")
    assert [a.xpath("string(time)") for a in times] == ["0:00", "0:09", "0:11", "1:02", "1:05"]
    for a in times:
        assert a.getparent().get("id")  # the turn keeps its anchor, for linking to it
        (when,) = a.xpath("time")
        assert re.fullmatch(r"PT\d+H\d+M\d+S", when.get("datetime"))
        assert a.text_content() == f"Listen from {when.text}"


def test_timestamps_start_the_audio_there(make_show: MakeShow) -> None:
    """Each timestamp is a media-fragment link (W3C Media Fragments, `#t=` in seconds) to the
    page's own audio, so following it plays the episode from that turn."""
    out = make_show(transcripts={"segment": ("transcript.vtt", (DATA / "voices.vtt").read_text())})
    doc = parse(out / "segment" / "index.html")
    (audio,) = doc.xpath("//audio/@src")
    hrefs = doc.xpath("//div[contains(@class, 'turn')]/a[@class='time']/@href")
    assert hrefs == [f"{audio}#t={t}" for t in (0, 9, 11, 62, 65)]


def test_timestamps_past_an_hour(make_show: MakeShow) -> None:
    """Hours count in the fragment: 1:02:03 is #t=3723."""
    vtt = "WEBVTT\n\n01:02:03.500 --> 01:02:05.000\n<v MCEVERS>Late in the show.\n"
    out = make_show(transcripts={"segment": ("transcript.vtt", vtt)})
    doc = parse(out / "segment" / "index.html")
    (a,) = doc.xpath("//a[@class='time']")
    assert a.xpath("string(time)") == "1:02:03"
    assert a.get("href").endswith("#t=3723")
    formats = doc.xpath("//ul[@class='formats']//a/@href")
    assert formats[:4] == ["transcript.vtt", "transcript.srt", "transcript.json", "transcript.txt"]


def test_non_speech_cues_are_marked(make_show: MakeShow) -> None:
    """A cue on its own is a turn of its own with no speaker; a cue inside speech is a span;
    both keep their parentheses, so they stay marked even without the stylesheet."""
    out = make_show(transcripts={"segment": ("transcript.vtt", (DATA / "voices.vtt").read_text())})
    doc = parse(out / "segment" / "index.html")
    (alone,) = doc.xpath("//div[@class='turn nonspeech']")
    assert alone.xpath("cite") == []
    assert alone.xpath("string(p/span[@class='cue'])") == "(LAUGHTER)"
    inline = doc.xpath("//div[@class='turn']/p/span[@class='cue']")
    assert [s.text for s in inline] == ["(LAUGHTER)"]
    assert inline[0].getparent().text.endswith("foreign fighters ")


def test_right_to_left_text_is_isolated(make_show: MakeShow) -> None:
    """User text is direction-safe: paragraphs and titles dir="auto", names and cues isolated,
    so an Arabic name in an English page (or the reverse) cannot reorder its neighbours."""
    credits = [
        {"name": "Kelly McEvers", "role": "host", "speaker": "MCEVERS"},
        {"name": "رانيا أبو زيد", "role": "guest", "speaker": "RANIA ABOUZEID"},
    ]
    out = make_show(
        [episode(credits=credits, title="صوت القاهرة: Voices From Cairo")],
        transcripts={"segment": ("transcript.txt", (DATA / "rtl.txt").read_text("utf-8"))},
    )
    doc = parse(out / "segment" / "index.html")
    assert doc.xpath("//h1/@dir") == ["auto"]
    assert doc.xpath("//div[@class='turns']//p/@dir") == ["auto"] * 7
    assert "رانيا أبو زيد" in doc.xpath("//cite/bdi/text()")
    assert set(doc.xpath("//span[@class='cue']/@dir")) == {"auto"}
    assert doc.xpath("//ul[@class='credits']//bdi/text()")[1] == "رانيا أبو زيد"


def test_a_transcript_in_another_language_is_marked_up_as_such(make_show: MakeShow) -> None:
    """WCAG 3.1.2 Language of Parts: the transcript's own language (and direction) goes on the
    transcript, the page keeps the show's."""
    ep = episode(transcript={"file": "transcript.txt", "language": "ar"})
    out = make_show([ep], transcripts={"segment": ("transcript.txt", "MCEVERS: مرحبا\n")})
    doc = parse(out / "segment" / "index.html")
    assert doc.get("lang") == "en-us"
    (turns,) = doc.xpath("//div[@class='turns']")
    assert (turns.get("lang"), turns.get("dir")) == ("ar", "rtl")


def test_a_right_to_left_show_gets_dir_rtl(make_show: MakeShow) -> None:
    out = make_show(language="he")
    for page in (out / "index.html", out / "segment" / "index.html"):
        doc = parse(page)
        assert (doc.get("lang"), doc.get("dir")) == ("he", "rtl")


# --- the show page -------------------------------------------------------------------------------


def test_show_page_lists_episodes_newest_first_with_subscribe_links(make_show: MakeShow) -> None:
    out = make_show(
        [
            episode("older", title="Older", published="2015-09-21T10:00:00-04:00"),
            episode("newer", title="Newer", published="2015-09-23T10:00:00-04:00"),
        ]
    )
    doc = parse(out / "index.html")
    assert doc.xpath("//img[@class='artwork']/@alt") == ["Artwork for WUNC Segments"]
    assert doc.xpath("//p[@class='feed-url']/a/@href") == [
        "https://podcasts.example.org/wunc/feed.xml"
    ]
    assert [
        (a.text_content(), a.get("href")) for a in doc.xpath("//ul[@class='subscribe']//a")
    ] == [
        ("Apple Podcasts", "https://podcasts.apple.com/us/podcast/id000000000"),
        ("Spotify", "https://open.spotify.com/show/0000000000000000000000"),
    ]
    items = doc.xpath("//ul[@class='episodes']/li")
    assert [li.xpath("string(h3/a)") for li in items] == ["Newer", "Older"]
    assert items[0].xpath("h3/a/@href") == ["newer/"]
    assert items[0].xpath("p[@class='meta']/time/@datetime") == [
        "2015-09-23T10:00:00-04:00",
        "PT3M43S",
    ]
    assert items[0].xpath("string(p[@class='meta'])") == "September 23, 2015 · , 3 min 43 sec"


# --- hostile text and URLs --------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'


def _assert_inert(doc: Doc, *, images: int = 0) -> None:
    """No script element, no event-handler attribute, no image but the artwork."""
    assert doc.xpath("//script") == []
    assert doc.xpath("//@*[starts-with(name(), 'on')]") == []
    assert len(doc.xpath("//img")) == images


def test_hostile_text_is_shown_not_run(make_show: MakeShow) -> None:
    """<script> and attribute break-outs in every manifest field and in the transcript come out
    as the literal text a listener typed (reliability-and-security.md §6.2 T1, T2)."""
    credits = [
        {"name": f"Kelly {BREAKOUT}", "role": "host", "speaker": "MCEVERS", "title": SCRIPT},
        {"name": f"Eve {SCRIPT}", "role": "guest", "speaker": "EVE"},
    ]
    ep = episode(title=f"Title {SCRIPT}", summary=f"Summary {BREAKOUT}", credits=credits)
    ep["transcript"] = {"file": "transcript.txt", "credit": f"Credit {BREAKOUT}"}
    transcript = f"MCEVERS: Hello {SCRIPT} there.\n\nEVE: {BREAKOUT} (LAUGHTER)\n\n{SCRIPT}\n"
    out = make_show(
        [ep],
        transcripts={"segment": ("transcript.txt", transcript)},
        title=f"Show {BREAKOUT}",
        description=f"Description {SCRIPT}",
        copyright=f"© {SCRIPT}",
        station={"name": f"Station {SCRIPT}", "slogan": BREAKOUT, "phones": [BREAKOUT]},
        subscribe={f"App {SCRIPT}": "https://example.org/?q=%22%3E"},
    )
    episode_doc = parse(out / "segment" / "index.html")
    show_doc = parse(out / "index.html")
    _assert_inert(episode_doc)
    _assert_inert(show_doc, images=1)
    assert episode_doc.findtext(".//h1") == f"Title {SCRIPT}"
    assert episode_doc.findtext(".//title") == f"Title {SCRIPT} · Show {BREAKOUT}"
    assert episode_doc.xpath("//meta[@name='description']/@content") == [f"Summary {BREAKOUT}"]
    assert episode_doc.xpath("//cite/bdi/text()")[:2] == [f"Kelly {BREAKOUT}", f"Eve {SCRIPT}"]
    text = episode_doc.xpath("string(//section[@class='transcript'])")
    assert f"Hello {SCRIPT} there." in text and BREAKOUT in text
    assert episode_doc.xpath("string(//footer/h2)") == f"Station {SCRIPT}"
    assert show_doc.xpath("//img/@alt") == [f"Artwork for Show {BREAKOUT}"]
    assert show_doc.xpath("string(//ul[@class='subscribe']//a)") == f"App {SCRIPT}"
    raw = (out / "segment" / "index.html").read_text("utf-8")
    assert "<script>" not in raw and "<img src=x" not in raw


UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "jav\tascript:alert(1)",
    "java\nscript:alert(1)",
    "javascript\r:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "jav\x00ascript:alert(1)",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_safe_url_refuses_script_capable_urls(url: str) -> None:
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "http://example.org/",
        "mailto:news@example.org",
        "tel:+19194459150",
        "audio.mp3",
        "../index.html",
        "#t12-3",
        "//cdn.example.org/a.mp3",
        "a/b:c",
    ],
)
def test_safe_url_keeps_web_mail_phone_and_relative_urls(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_no_javascript_url_is_ever_rendered_as_a_link(example: Path, url: str) -> None:
    """Even if a model let one through, a hostile URL in any link field never becomes an href
    or src: the station's website, live stream and donate links, a credit's href, a subscribe
    link, the audio, the captions track, the feed."""
    from stationcast.manifest import load_show

    loaded = load_show(EXAMPLE)
    show = loaded.show
    station = show.station.model_construct(
        **{**dict(show.station), "website": url, "live_stream": url, "donate": url}
    )
    show = show.model_construct(**{**dict(show), "station": station, "subscribe": {"App": url}})
    env = make_environment(None)
    ep = loaded.episodes[0].episode
    html = render_episode_page(
        env,
        show=show,
        station=station,
        episode=ep,
        page_url=url,
        feed_url=url,
        audio_href=url,
        audio_type="audio/mpeg",
        audio_size=1,
        duration=1.0,
        credits=[{"name": "N", "role": "Host", "title": "", "href": url}],
        turns=[],
        transcript_credit="",
        tracks=[{"href": url, "lang": "en", "label": "English captions"}],
        format_links=[],
    )
    listing = [
        {
            "href": url,
            "title": "T",
            "datetime": "",
            "date_text": "",
            "duration_text": "",
            "duration_iso": "",
            "summary": "S",
        }
    ]
    show_html = render_show_page(
        env, show=show, page_url=url, feed_url=url, artwork_href=url, episodes=listing
    )
    for page in (html, show_html):
        doc = lxml.html.fromstring(page)
        for attr in ("href", "src"):
            for value in doc.xpath(
                f"//a/@{attr} | //audio/@{attr} | //track/@{attr} | //img/@{attr}"
            ):
                assert value == "" or safe_url(value) == value, value
        assert not re.search(r"(?i)(href|src)=\"\s*j\s*a\s*v\s*a", page)


def test_a_javascript_url_in_a_manifest_is_refused(show: Path) -> None:
    """The first line of defence: manifests accept only http(s) URLs for links."""
    text = (show / "show.yaml").read_text("utf-8")
    (show / "show.yaml").write_text(
        text.replace("  phones:", "  website: javascript:alert(1)\n  phones:", 1), "utf-8"
    )
    with pytest.raises(InputError, match="website: expected an http:// or https:// URL"):
        build_show(show, show.parent / "feeds")


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("919.445.9150", "+19194459150"),
        ("(800) 962-9862", "+18009629862"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (919) 445-9150 +", "+19194459150"),
        ("call us", ""),
        (BREAKOUT, ""),
    ],
)
def test_tel_href(phone: str, href: str) -> None:
    assert tel_href(phone) == href


@pytest.mark.parametrize(
    ("lang", "direction"), [("en-us", "ltr"), ("ar", "rtl"), ("he-IL", "rtl"), ("fa", "rtl")]
)
def test_text_direction(lang: str, direction: str) -> None:
    assert text_direction(lang) == direction


def test_caption_labels_and_durations() -> None:
    assert caption_label("en-us") == "English captions"
    assert caption_label("es") == "Spanish captions"
    assert caption_label("xx") == "Captions (xx)"
    assert [duration_iso(s) for s in (None, 0, 59.6, 372, 3725)] == [
        "",
        "PT0S",
        "PT1M0S",
        "PT6M12S",
        "PT1H2M5S",
    ]


# --- any text survives ---------------------------------------------------------------------------

# What a manifest or transcript can hold once loaded: XML-legal characters, no CR, and
# whitespace already collapsed (models strip; readers squash).
_TEXT = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=60,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, speaker=_TEXT, said=_TEXT)
def test_any_text_is_escaped_and_parses_back_unchanged(title: str, speaker: str, said: str) -> None:
    """Whatever the title, speaker name and transcript text, the page shows exactly that text,
    and adds no element and no attribute."""
    loaded = _example_loaded()
    ep = loaded.episodes[0].episode.model_copy(update={"title": title})
    html = render_episode_page(
        make_environment(None),
        show=loaded.show,
        station=loaded.show.station,
        episode=ep,
        page_url="https://example.org/a/",
        feed_url="https://example.org/feed.xml",
        audio_href="audio.mp3",
        audio_type="audio/mpeg",
        audio_size=1,
        duration=1.0,
        credits=[],
        turns=[TurnView(speaker=speaker, paragraphs=[[("speech", said)]])],
        transcript_credit="",
        tracks=[],
        format_links=[],
    )
    doc = lxml.html.fromstring(html)
    assert doc.xpath("string(//h1)") == title
    assert doc.xpath("string(//cite/bdi)") == speaker
    assert doc.xpath("string(//div[@class='turn']/p)") == said
    assert doc.xpath("//script | //img | //@*[starts-with(name(), 'on')]") == []


@functools.cache
def _example_loaded() -> Any:
    from stationcast.manifest import load_show

    return load_show(EXAMPLE)
