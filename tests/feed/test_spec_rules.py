"""Every podcast: tag we write, read back with lxml and checked against the namespace's rules
(Podcastindex-org/podcast-namespace docs/tags/*.md): parent, count, required and optional
attributes, enumerations, https for web resources, node value form and length."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from stationcast.spec.podcast import MEDIUMS
from stationcast.spec.taxonomy import taxonomy

from .helpers import PODCAST, parse

CH, IT, LI = "channel", "item", "liveItem"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
URL_ATTRIBUTES = {"url", "href", "img", "feedUrl"}  # web resources: https only (docs/1.0.md)


@dataclass(frozen=True)
class Rule:
    parents: frozenset[str]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    single: bool = False
    text: str | None = None  # regex the node value must match in full; None: no value
    limit: int | None = None  # node value length limit
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    children: str | None = None  # a child tag that must appear at least once


def rule(parents: str, **kwargs: object) -> Rule:
    return Rule(frozenset(parents.split()), **kwargs)  # type: ignore[arg-type]


NONBLANK = r"\S(.*\S)?"
RULES = {
    "guid": rule(CH, single=True, text=UUID),
    "locked": rule(CH, optional=("owner",), single=True, text="yes|no"),
    "funding": rule(f"{CH} {IT} {LI}", required=("url",), text=NONBLANK, limit=128),
    "location": rule(
        f"{CH} {IT} {LI}",
        optional=("rel", "geo", "osm", "country"),
        text=NONBLANK,
        limit=128,
        enums=(("rel", ("subject", "creator")),),
    ),
    "license": rule(f"{CH} {IT}", optional=("url",), single=True, text=NONBLANK, limit=128),
    "medium": rule(CH, single=True, text="|".join(MEDIUMS)),
    "image": rule(
        f"{CH} {IT} {LI}",
        required=("href",),
        optional=("alt", "aspect-ratio", "width", "height", "type", "purpose"),
    ),
    "person": rule(
        f"{CH} {IT} {LI}", optional=("role", "group", "img", "href"), text=NONBLANK, limit=128
    ),
    "txt": rule(f"{CH} {IT}", optional=("purpose",), text=r"(?s)\S.*", limit=4000),
    "podroll": rule(CH, single=True, children="remoteItem"),
    "remoteItem": rule(
        f"{CH} podroll", required=("feedGuid",), optional=("feedUrl", "itemGuid", "medium", "title")
    ),
    "updateFrequency": rule(
        CH, optional=("complete", "dtstart", "rrule"), single=True, text=NONBLANK, limit=128
    ),
    "liveItem": rule(
        CH,
        required=("status", "start"),
        optional=("end",),
        children="contentLink",
        enums=(("status", ("pending", "live", "ended")),),
    ),
    "contentLink": rule(f"{IT} {LI}", required=("href",), text=NONBLANK),
    "alternateEnclosure": rule(
        f"{IT} {LI}",
        required=("type",),
        children="source",
        optional=("length", "bitrate", "height", "lang", "title", "rel", "codecs", "default"),
    ),
    "source": rule("alternateEnclosure", required=("uri",), optional=("contentType",)),
    "transcript": rule(
        f"{IT} {LI}",
        required=("url", "type"),
        optional=("language", "rel"),
        enums=(
            (
                "type",
                ("text/plain", "text/html", "text/vtt", "application/json", "application/x-subrip"),
            ),
            ("rel", ("captions",)),
        ),
    ),
    "chapters": rule(IT, required=("url", "type"), single=True),
    "soundbite": rule(IT, required=("startTime", "duration"), text=r"(.*)", limit=128),
    "season": rule(IT, optional=("name",), single=True, text=r"\d+"),
    "episode": rule(IT, optional=("display",), single=True, text=r"\d+(\.\d+)?"),
}


def _name(tag: str) -> str:
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def check_podcast_tags(path: Path) -> list[str]:
    """Every rule an element of `path` breaks, as readable lines (empty when all is well)."""
    root = parse(path)
    broken: list[str] = []
    roles = {(r, g) for r, g in taxonomy()}
    for element in root.iter(f"{{{PODCAST}}}*"):
        tag = _name(element.tag)
        where = f"line {element.sourceline}: podcast:{tag}"
        spec = RULES.get(tag)
        if spec is None:
            broken.append(f"{where}: not a tag this test knows")
            continue
        parent = _name(element.getparent().tag)
        if parent not in spec.parents:
            broken.append(f"{where}: inside <{parent}>, allowed in {sorted(spec.parents)}")
        if spec.single and len(element.getparent().findall(element.tag)) > 1:
            broken.append(f"{where}: appears more than once in <{parent}>")
        attrs = dict(element.attrib)
        for name in spec.required:
            if not attrs.get(name, "").strip():
                broken.append(f"{where}: required attribute {name} missing")
        for name in set(attrs) - set(spec.required) - set(spec.optional):
            broken.append(f"{where}: unknown attribute {name}")
        for name, allowed in spec.enums:
            if name in attrs and attrs[name] not in allowed:
                broken.append(f"{where}: {name}={attrs[name]!r} not in {allowed}")
        for name in URL_ATTRIBUTES & set(attrs):
            if not attrs[name].startswith("https://"):
                broken.append(f"{where}: {name} must be https, got {attrs[name]!r}")
        text = (element.text or "").strip()
        if spec.text is None:
            if text:
                broken.append(f"{where}: has a value {text!r}; the tag is empty")
        elif not re.fullmatch(spec.text, text):
            broken.append(f"{where}: value {text!r} does not match {spec.text!r}")
        if spec.limit is not None and len(text) > spec.limit:
            broken.append(f"{where}: value longer than {spec.limit} characters")
        if spec.children and element.find(f"{{{PODCAST}}}{spec.children}") is None:
            broken.append(f"{where}: needs at least one podcast:{spec.children}")
        person = (attrs.get("role", "host"), attrs.get("group", "cast"))
        if tag == "person" and ("role" in attrs or "group" in attrs) and person not in roles:
            broken.append(f"{where}: role/group not in the Podcast Taxonomy")
        if (
            tag == "location"
            and "geo" in attrs
            and not re.fullmatch(r"geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?", attrs["geo"])
        ):
            broken.append(f"{where}: geo is not an RFC 5870 geo URI")
        if (
            tag == "location"
            and "country" in attrs
            and not re.fullmatch(r"[A-Z]{2}", attrs["country"])
        ):
            broken.append(f"{where}: country is not ISO 3166-1 alpha-2")
        if tag == "soundbite" and "duration" in attrs and not float(attrs["duration"]) > 0:
            broken.append(f"{where}: duration must be positive")
    return broken


def test_example_feed_follows_the_spec(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """The example show's feed breaks no rule of the Podcasting 2.0 namespace."""
    assert run("build").exit_code == 0
    assert check_podcast_tags(tmp_path / "feeds" / "feed.xml") == []


def test_rich_feed_follows_the_spec(rich: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """A feed using every tag we write breaks no rule, and really contains every tag."""
    assert run("build").exit_code == 0
    feed = tmp_path / "feeds" / "feed.xml"
    assert check_podcast_tags(feed) == []
    written = {_name(e.tag) for e in parse(feed).iter(f"{{{PODCAST}}}*")}
    assert written == set(RULES)  # every tag in the table is exercised


@pytest.mark.parametrize(
    ("xml", "complaint"),
    [
        (
            '<podcast:chapters url="http://x.org/c.json" type="application/json+chapters"/>',
            "url must be https",
        ),
        (
            '<podcast:soundbite startTime="1">x</podcast:soundbite>',
            "required attribute duration missing",
        ),
        ('<podcast:person role="chef">A</podcast:person>', "not in the Podcast Taxonomy"),
        ("<podcast:guid>not-a-uuid</podcast:guid>", "inside <item>"),
    ],
)
def test_the_checker_catches_broken_tags(tmp_path: Path, xml: str, complaint: str) -> None:
    """The rule checker itself finds what it is meant to find."""
    feed = tmp_path / "feed.xml"
    feed.write_text(
        f'<rss xmlns:podcast="{PODCAST}" version="2.0"><channel><item>{xml}</item></channel></rss>',
        encoding="utf-8",
    )
    assert any(complaint in line for line in check_podcast_tags(feed)), check_podcast_tags(feed)
