"""`validate --apps`: the feed as the parsers real podcast apps use read it.

What a listener gets depends on the app's feed parser, not on the specification: feedparser
(many aggregators, web readers and podcast apps written in Python) keeps one
`podcast:transcript` of several and a `podcast:person` without its name; podcastparser
(gPodder) reads the podcast namespace only under its old GitHub URI. Each parser is run on
the feed's bytes (after stationcast's own safe parse has accepted them) and what it reports
per item (enclosure, duration, transcripts, chapters, persons, artwork) is compared with what
the feed says, read by stationcast itself. The parsers are optional (`stationcast[apps]`);
without one, the report says which to install.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from stationcast.spec.namespaces import ITUNES, PODCAST, PODCAST_GITHUB

from .rules import RULES, Finding
from .text import quote


@dataclass
class Seen:
    """One item as a reader sees it (as a listener's app would show it)."""

    title: str = ""
    enclosure: str = ""
    duration: float | None = None
    transcripts: list[str] = field(default_factory=list)
    chapters: str = ""
    persons: list[str] = field(default_factory=list)  # names ("" for a person without one)
    image: str = ""


#: What is compared, and how a message names it.
ASPECTS = {
    "enclosure": "enclosures",
    "duration": "durations",
    "transcripts": "transcripts",
    "chapters": "chapters",
    "persons": "persons",
    "image": "episode artwork",
}


@dataclass(frozen=True)
class App:
    name: str  # the parser's package
    used_by: str  # who reads feeds with it
    read: Callable[[bytes], list[Seen]]


def what_the_feed_says(root: etree._Element) -> list[Seen]:
    """Each item of the parsed feed as stationcast reads it (either podcast namespace URI)."""
    out = []
    for item in root.iter("item"):
        seen = Seen(title=" ".join((item.findtext("title") or "").split()))
        enclosure = item.find("enclosure")
        seen.enclosure = (enclosure.get("url") or "").strip() if enclosure is not None else ""
        seen.duration = _seconds(item.findtext(f"{{{ITUNES}}}duration"))
        for ns in (PODCAST, PODCAST_GITHUB):
            seen.transcripts += [
                (t.get("url") or "").strip() for t in item.iter(f"{{{ns}}}transcript")
            ]
            for chapters in item.iter(f"{{{ns}}}chapters"):
                seen.chapters = seen.chapters or (chapters.get("url") or "").strip()
            seen.persons += [" ".join((p.text or "").split()) for p in item.iter(f"{{{ns}}}person")]
        image = item.find(f"{{{ITUNES}}}image")
        seen.image = (image.get("href") or "").strip() if image is not None else ""
        out.append(seen)
    return out


def _seconds(text: str | None) -> float | None:
    """itunes:duration as seconds ("223", "3:43", "0:03:43"); None when it is not one."""
    if not text or not text.strip():
        return None
    parts = text.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) > 3 or any(n < 0 for n in numbers):
        return None
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return total


def _feedparser(data: bytes) -> list[Seen]:
    import feedparser  # type: ignore[import-untyped,unused-ignore]

    out = []
    for entry in feedparser.parse(data).entries:
        seen = Seen(title=" ".join(str(entry.get("title", "")).split()))
        links = [link for link in entry.get("links", []) if link.get("rel") == "enclosure"]
        seen.enclosure = str(links[0].get("href", "")) if links else ""
        seen.duration = _seconds(str(entry.get("itunes_duration") or ""))
        seen.transcripts = [str(t.get("url", "")) for t in _listed(entry.get("podcast_transcript"))]
        chapters = _listed(entry.get("podcast_chapters"))
        seen.chapters = str(chapters[0].get("url", "")) if chapters else ""
        seen.persons = [
            " ".join(str(p.get("value") or p.get("name") or "").split())
            for p in _listed(entry.get("podcast_person"))
        ]
        image = entry.get("image")
        seen.image = str(image.get("href", "")) if isinstance(image, dict) else ""
        out.append(seen)
    return out


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]


def _podcastparser(data: bytes) -> list[Seen]:
    import podcastparser  # type: ignore[import-untyped,unused-ignore]

    # (the URL only resolves relative links; nothing is fetched)
    parsed = podcastparser.parse("https://feed.invalid/feed.xml", io.BytesIO(data))
    out = []
    for episode in parsed.get("episodes", []):
        seen = Seen(title=" ".join(str(episode.get("title", "")).split()))
        enclosures = episode.get("enclosures") or []
        seen.enclosure = str(enclosures[0].get("url", "")) if enclosures else ""
        total = episode.get("total_time")
        seen.duration = float(total) if isinstance(total, int | float) and total > 0 else None
        transcript = episode.get("transcript_url")
        seen.transcripts = [str(transcript)] if transcript else []
        seen.chapters = str(episode.get("chapters_json_url") or "")
        seen.persons = [
            " ".join(str(p.get("name", "")).split()) for p in episode.get("persons") or []
        ]
        seen.image = str(episode.get("episode_art_url") or "")
        out.append(seen)
    return out


APPS = (
    App("feedparser", "many aggregators, web readers and Python podcast apps", _feedparser),
    App("podcastparser", "gPodder", _podcastparser),
)


def check_apps(root: etree._Element, data: bytes, apps: Iterable[App] = APPS) -> list[Finding]:
    """Per app: a summary (info) of what it sees, and for each aspect where it sees less
    than, or other than, what the feed says: an info when that is a known limit of the
    parser, else a warning (the feed may be at fault)."""
    truth = what_the_feed_says(root)
    out: list[Finding] = []
    for app in apps:
        try:
            __import__(app.name)
        except ImportError:
            out.append(
                Finding(
                    RULES["apps.unavailable"],
                    f"{app.name} ({app.used_by}) is not installed; pip install"
                    " 'stationcast[apps]' to see the feed as it reads it",
                    None,
                    None,
                )
            )
            continue
        try:
            seen = app.read(data)
        except Exception as exc:  # noqa: BLE001 (a third-party parser failing is its finding)
            out.append(
                Finding(
                    RULES["apps.differs"],
                    f"{app.name} ({app.used_by}) fails on this feed: {type(exc).__name__}:"
                    f" {str(exc)[:200]}",
                    None,
                    None,
                )
            )
            continue
        out.extend(_compare(app, truth, seen))
    return out


def _compare(app: App, truth: list[Seen], seen: list[Seen]) -> list[Finding]:
    who = f"{app.name} ({app.used_by})"
    out: list[Finding] = []
    # items matched by title, in order: podcastparser lists episodes newest first, whatever
    # the feed's order
    by_title: dict[str, list[Seen]] = {}
    for s in seen:
        by_title.setdefault(s.title, []).append(s)
    pairs: list[tuple[Seen, Seen | None]] = []
    for item in truth:
        same = by_title.get(item.title) or []
        pairs.append((item, same.pop(0) if same else None))
    lost = sum(1 for _, s in pairs if s is None)
    counts: dict[str, tuple[int, int, int]] = {}  # aspect -> (items with it, kept, changed)
    examples: dict[str, str] = {}
    for aspect in ASPECTS:
        has = kept = changed = 0
        for item, read in pairs:
            if not _has(item, aspect):
                continue
            has += 1
            if read is None or not _has(read, aspect):
                examples.setdefault(aspect, f"{quote(item.title)}: none")
                continue
            if _value(read, aspect) == _value(item, aspect):
                kept += 1
            else:
                changed += 1
                examples.setdefault(
                    aspect,
                    f"{quote(item.title)}: {_shown(read, aspect)} for {_shown(item, aspect)}",
                )
        counts[aspect] = (has, kept, changed)
    parts = [f"{len(seen)} of {len(truth)} items"]
    for aspect, (has, kept, _changed) in counts.items():
        if has:
            parts.append(f"{ASPECTS[aspect]} on {kept} of {has}")
    out.append(Finding(RULES["apps.summary"], f"{who} sees " + "; ".join(parts), None, None))
    if lost:
        out.append(
            Finding(
                RULES["apps.differs"],
                f"{who} does not list {lost} of the feed's {len(truth)} items",
                None,
                None,
            )
        )
    for aspect, (has, kept, changed) in counts.items():
        if has and kept < has:
            missing = has - kept - changed
            what = []
            if missing:
                what.append(f"no {ASPECTS[aspect]} on {missing} of {has} items that have them")
            if changed:
                what.append(f"other {ASPECTS[aspect]} on {changed}")
            why = _why(app, aspect)
            out.append(
                Finding(
                    RULES["apps.limit" if why else "apps.differs"],
                    f"{who} sees {' and '.join(what)} (first: {examples[aspect]}){why}",
                    None,
                    None,
                )
            )
    return out


def _has(s: Seen, aspect: str) -> bool:
    value = getattr(s, aspect)
    return value is not None and value != "" and value != []


def _value(s: Seen, aspect: str) -> object:
    value = getattr(s, aspect)
    if aspect == "duration":
        return round(float(value))
    if aspect == "transcripts":
        return sorted(value)
    return value


def _shown(s: Seen, aspect: str) -> str:
    value = getattr(s, aspect)
    if aspect == "duration":
        return f"{value:g} s"
    if aspect == "transcripts":
        return f"{len(value)} transcript{'s' if len(value) != 1 else ''}"
    if aspect == "persons":
        return ", ".join(quote(v) if v else "(no name)" for v in value)
    return quote(str(value))


def _why(app: App, aspect: str) -> str:
    """What is known about why the parser sees it so, where it is known."""
    if app.name == "podcastparser" and aspect in ("transcripts", "chapters", "persons"):
        return (
            "; podcastparser reads podcast: tags only under the namespace's old GitHub URI,"
            f" not {PODCAST}"
        )
    if app.name == "feedparser" and aspect == "transcripts":
        return "; feedparser keeps one podcast:transcript of an item (the last it reads)"
    if app.name == "feedparser" and aspect == "persons":
        return "; feedparser keeps a podcast:person's attributes, not its name"
    return ""
