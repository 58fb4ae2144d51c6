"""`stationcast import feed`: an existing podcast's RSS feed -> show.yaml and episode folders.

Each item keeps what identifies it to listeners' apps: its guid (exactly as written), its date,
its enclosure (as remote media: url, length, type, duration) and its title; plus description,
season/episode numbers, episode type, explicit flag and `podcast:person` credits. Tags the
manifest models have no field for are listed in a comment in the episode's manifest and in
the command's report, never dropped silently. Fields the current models gained (chapters,
transcript links, podcast:guid...) are written when the model accepts them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import lxml.html
from pydantic import BaseModel, TypeAdapter, ValidationError

from stationcast.errors import display_path
from stationcast.manifest import EPISODE_FILE, SHOW_FILE, check_slug, read_document
from stationcast.models import Episode, Show, Url
from stationcast.scaffold import slugify
from stationcast.spec.apple import check_category
from stationcast.spec.media import media_type
from stationcast.spec.namespaces import ATOM, CONTENT, ITUNES
from stationcast.spec.podcast import podcast_guid
from stationcast.spec.taxonomy import check_person

from .dates import parse_date
from .page import ImportReport, writing
from .pagehtml import _text_lines
from .rss import Feed, FeedItem, itunes_tag, parse_feed, podcast_tag
from .source import TIMEOUT, read_source
from .yamlout import TODO, YamlWriter

MAX_FEED_BYTES = 64 * 1024 * 1024
_URL = TypeAdapter(Url)
# Tags carried over by the importer (or deliberately rebuilt by `stationcast build`).
_HANDLED_ITEM = {
    "title",
    "guid",
    "pubDate",
    "enclosure",
    "description",
    itunes_tag("duration"),
    itunes_tag("summary"),
    itunes_tag("episode"),
    itunes_tag("season"),
    itunes_tag("episodeType"),
    itunes_tag("explicit"),
    itunes_tag("title"),
    *podcast_tag("person"),
    *podcast_tag("season"),
    *podcast_tag("episode"),
}


@dataclass
class FeedReport(ImportReport):
    summary: str = ""


def _short_tag(tag: str) -> str:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        prefix = {ITUNES: "itunes", CONTENT: "content", ATOM: "atom"}.get(ns)
        if prefix is None and ("podcastindex" in ns or "podcast-namespace" in ns):
            prefix = "podcast"
        return f"{prefix or ns}:{local}"
    return tag


def html_to_text(html: str) -> str:
    """A description's HTML as plain paragraphs; a link's address follows its text in brackets."""
    if "<" not in html and "&" not in html:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", html.strip()) if p.strip())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        text = " ".join(a.text_content().split())
        if (
            href.startswith(("http://", "https://", "mailto:"))
            and href.removeprefix("mailto:") != text
            and href != text
        ):
            a.tail = f" ({href})" + (a.tail or "")
    for bad in list(root.iter("script", "style")):
        bad.getparent().remove(bad)
    paragraphs: list[str] = []
    block: list[str] = []
    for line in _text_lines(root):
        if line:
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return "\n\n".join(paragraphs)


def html_to_markdown(html: str) -> str:
    """Show notes: paragraphs, and links as Markdown `[text](url)`."""
    if "<" not in html:
        return html_to_text(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        text = " ".join(a.text_content().split())
        if href.startswith(("http://", "https://", "mailto:")) and text:
            a.clear()
            a.text = f"[{text}]({href})"
    for b in root.iter("b", "strong"):
        if b.text and len(b) == 0:
            b.text = f"**{b.text}**"
    for i in root.iter("i", "em"):
        if i.text and len(i) == 0:
            i.text = f"*{i.text}*"
    out = etree_tostring_paragraphs(root)
    return out


def etree_tostring_paragraphs(root: Any) -> str:
    paragraphs: list[str] = []
    block: list[str] = []
    for line in _text_lines(root):
        if line:
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return "\n\n".join(paragraphs)


def _all(item: FeedItem, name: str) -> list[Any]:
    return [node for tag in podcast_tag(name) for node in item.all(tag)]


def _number(text: str | None) -> float | int | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return int(value) if value == int(value) else value


def _location(item: FeedItem) -> dict[str, Any] | None:
    nodes = _all(item, "location")
    if not nodes:
        return None
    node = nodes[0]
    out: dict[str, Any] = {"name": " ".join(node.text.split())}
    for key in ("geo", "osm", "rel"):
        if node.attrs.get(key):
            out[key] = node.attrs[key].strip()
    if node.attrs.get("country"):
        out["country"] = node.attrs["country"].strip()
    return out


def parse_duration(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        if ":" in text:
            parts = [float(p) for p in text.split(":")]
            if len(parts) > 3 or any(p < 0 for p in parts):
                return None
            seconds = 0.0
            for part in parts:
                seconds = seconds * 60 + part
            return seconds
        value = float(text)
        return value if value >= 0 else None
    except ValueError:
        return None


def _explicit(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("yes", "true", "explicit"):
        return True
    if value in ("no", "false", "clean"):
        return False
    return None


def _positive_int(text: str) -> int | None:
    try:
        value = int(float(text.strip()))
    except ValueError:
        return None
    return value if value > 0 else None


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any] | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation: Any = info.annotation
    return TypeAdapter(Annotated[annotation, *info.metadata] if info.metadata else annotation)


def _model_field(
    model: type[BaseModel], names: tuple[str, ...], candidates: list[Any]
) -> tuple[str, Any] | None:
    """The first of `names` the model has whose type accepts one of `candidates` (written as given).

    The manifest models are growing (Podcasting 2.0 fields); asking them keeps the importer
    writing only what the installed models accept, and listing the rest."""
    for name in names:
        adapter = _adapter(model, name)
        if adapter is None:
            continue
        for candidate in candidates:
            try:
                adapter.validate_python(candidate)
            except (ValidationError, ValueError, TypeError):
                continue
            return name, candidate
    return None


def _refused(model: type[BaseModel], name: str, value: Any) -> str | None:
    """Why the model's field `name` refuses `value` (its first error), or None when it takes it."""
    adapter = _adapter(model, name)
    if adapter is None:
        return "the manifest has no field for it"
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        parts = [str(p) for p in error["loc"] if isinstance(p, str) and p.islower()]
        where = ".".join(parts)
        reason = str((error.get("ctx") or {}).get("error", error["msg"]))
        return f"{where}: {reason}" if where else reason
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


def _url(text: str) -> str | None:
    try:
        return _URL.validate_python(text.strip())
    except ValidationError:
        return None


def _existing(episodes: Path) -> tuple[set[str], set[str]]:
    """GUIDs and folder names already in the show."""
    guids: set[str] = set()
    folders: set[str] = set()
    if not episodes.is_dir():
        return guids, folders
    for folder in episodes.iterdir():
        if not folder.is_dir():
            continue
        folders.add(folder.name.casefold())
        manifest = folder / EPISODE_FILE
        if manifest.is_file():
            doc = read_document(manifest, [])
            if (
                doc is not None
                and isinstance(doc.data, dict)
                and isinstance(doc.data.get("guid"), str)
            ):
                guids.add(doc.data["guid"].strip())
    return guids, folders


def import_feed(
    where: str, episodes: Path, *, allow_private: bool = False, timeout: float = TIMEOUT
) -> FeedReport:
    """Write show.yaml (unless present) and one folder per new item of the feed at `where`.

    allow_private and timeout: for a URL, as :func:`read_source` takes them.
    """
    source = read_source(
        where,
        max_bytes=MAX_FEED_BYTES,
        what="podcast feed",
        allow_private=allow_private,
        timeout=timeout,
    )
    feed = parse_feed(source.data, source.name)
    report = FeedReport(root=episodes)
    show_path = episodes / SHOW_FILE
    self_url = _self_url(feed) or source.url or ""
    show_text: str | None = None
    if show_path.exists():
        report.notes.append(
            f"{display_path(show_path)} exists and was kept; the feed's channel details were not"
            " applied"
        )
    else:
        writer = _show_yaml(feed, where, self_url, report)
        show_text = writer.text()
        report.todos.extend(
            f"{display_path(show_path)}:{t.line}: {t.field}: {t.message}" for t in writer.todos
        )

    guids, folders = _existing(episodes)
    planned: list[tuple[str, YamlWriter]] = []
    dropped: Counter[str] = Counter()
    skipped = repeated = 0
    seen: dict[str, tuple[int, int | None, str]] = {}  # guid -> the item number, line, title
    for number, item in enumerate(feed.items, start=1):
        guid = item.text("guid")
        enclosure = item.first("enclosure")
        if not guid and enclosure is not None:
            guid = enclosure.attrs.get("url", "").strip()
            if guid:
                report.notes.append(
                    f"{where}:{item.line}: item {number} has no <guid>; its enclosure URL is used"
                    " as the guid (what podcast apps fall back to)"
                )
        if not guid:
            report.notes.append(
                f"{where}:{item.line}: item {number} has neither <guid> nor enclosure; not imported"
            )
            continue
        title = item.text("title", itunes_tag("title"))
        if guid in seen:
            # Checked before the guids already imported, so a rerun reports it again.
            first, first_line, first_title = seen[guid]
            repeated += 1
            report.notes.append(
                f"{where}:{item.line}: item {number} ({title!r}) has the guid {guid!r} of item "
                f"{first} ({first_title!r}, line {first_line}); not imported: a guid names one "
                "episode, and stationcast does not invent another (give it its own in the old "
                "feed, or add it with `stationcast new`)"
            )
            continue
        seen[guid] = (number, item.line, title)
        if guid in guids:
            skipped += 1
            continue
        slug = _slug(title, number, folders)
        folders.add(slug)
        writer = _episode_yaml(item, number, guid, where, report, dropped)
        planned.append((slug, writer))
        for todo in writer.todos:
            report.todos.append(
                f"{display_path(episodes / slug / EPISODE_FILE)}:{todo.line}: {todo.field}:"
                f" {todo.message}"
            )

    with writing(episodes):
        if show_text is not None:
            episodes.mkdir(parents=True, exist_ok=True)
            show_path.write_text(show_text, encoding="utf-8")
            report.written.append(show_path)
        for slug, writer in planned:
            folder = episodes / slug
            folder.mkdir(parents=True)
            (folder / EPISODE_FILE).write_text(writer.text(), encoding="utf-8")
            report.written.append(folder / EPISODE_FILE)
    for tag, count in sorted(dropped.items()):
        report.notes.append(
            f"not carried over (no manifest field yet): {tag} on {count}"
            f" item{'s' if count != 1 else ''}; listed in each episode.yaml"
        )
    drafts = sum(1 for _, w in planned if w.todos)
    report.summary = (
        f"Imported {len(planned)} episode{'s' if len(planned) != 1 else ''} into"
        f" {display_path(episodes)}/"
        + (f" ({drafts} left as drafts with TODO(import) fields)" if drafts else "")
        + (f"; {skipped} already there (same guid) skipped" if skipped else "")
        + (f"; {repeated} not imported (a guid used twice; see the notes)" if repeated else "")
    )
    return report


def _self_url(feed: Feed) -> str:
    for node in feed.channel.all(f"{{{ATOM}}}link"):
        if node.attrs.get("rel") == "self" and node.attrs.get("href"):
            return node.attrs["href"].strip()
    return feed.channel.text(itunes_tag("new-feed-url"))


def _slug(title: str, number: int, taken: set[str]) -> str:
    base = slugify(title) if title else f"episode-{number}"
    if check_slug(base):
        base = f"episode-{number}"
    slug, n = base, 2
    while slug.casefold() in taken or check_slug(slug):
        suffix = f"-{n}"
        slug = base[: 100 - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


def _episode_yaml(
    item: FeedItem, number: int, guid: str, where: str, report: FeedReport, dropped: Counter[str]
) -> YamlWriter:
    w = YamlWriter()
    body: list[tuple[str, Any, str | None]] = []  # (key, value, todo)
    title = item.text("title") or item.text(itunes_tag("title"))
    body.append(
        ("title", title, None if title else "the item has no title; give the episode's title")
    )
    body.append(
        (
            "guid",
            guid,
            "the old feed's guid contains spaces, which stationcast does not accept; changing it"
            " makes apps see a new episode, so decide: keep the episode out (leave it a draft) or"
            " give it a new guid"
            if any(ch.isspace() for ch in guid)
            else None,
        )
    )
    raw_date = item.text("pubDate")
    found = parse_date(raw_date) if raw_date else None
    if found is not None and found.value is not None:
        body.append(("published", found.value.isoformat(), None))
        if found.note:
            report.notes.append(f"{where}:{item.line}: item {number}: pubDate: {found.note}")
    else:
        why = (
            f"the feed's date {found.problem}"
            if found is not None and found.refused_year is not None
            else f"the feed's date {raw_date!r} cannot be read"
            if raw_date
            else "the item has no pubDate"
        )
        body.append(("published", "", f"{why}; write it as ISO 8601 with a UTC offset"))
    summary_source = (
        item.text(itunes_tag("summary"))
        or item.text("description")
        or item.text(f"{{{CONTENT}}}encoded")
    )
    summary = html_to_text(summary_source) if summary_source else ""
    if not summary and title:
        summary = title
        report.notes.append(
            f"{where}:{item.line}: item {number} has no description; its title is the summary"
        )
    body.append(("summary", summary, None if summary else "the item has no description; write one"))

    enclosure = item.first("enclosure")
    audio_todo = None
    audio: dict[str, Any] = {}
    if enclosure is None:
        audio_todo = "the item has no enclosure; give the audio file or {url, length, type}"
    else:
        url = enclosure.attrs.get("url", "").strip()
        length = _positive_int(enclosure.attrs.get("length", "") or "0")
        mime = enclosure.attrs.get("type", "").strip()
        audio = {"url": url}
        if not _url(url):
            audio_todo = f"the enclosure URL {url!r} is not an absolute http(s) URL"
        if length is None:
            audio_todo = audio_todo or (
                f"the feed gives no length for {url}"
                f" (length={enclosure.attrs.get('length', '')!r}); give its size in bytes"
            )
            audio["length"] = 0
        else:
            audio["length"] = length
        if not mime:
            guessed = media_type(urlsplit(url).path)
            if guessed:
                mime = guessed
                report.notes.append(
                    f"{where}:{item.line}: item {number}: enclosure type {guessed} taken from the"
                    " file name (the feed gives none)"
                )
            else:
                audio_todo = (
                    audio_todo
                    or "the feed gives no enclosure type; give the MIME type (audio/mpeg...)"
                )
        audio["type"] = mime
        duration = parse_duration(item.text(itunes_tag("duration")))
        if duration:  # 0 means unknown in feeds; a manifest leaves it out instead
            audio["duration"] = int(duration) if duration == int(duration) else duration
    body.append(("audio", audio if audio else "", audio_todo))

    episode_no = _positive_int(
        item.text(itunes_tag("episode")) or item.text(*podcast_tag("episode"))
    )
    season_no = _positive_int(item.text(itunes_tag("season")) or item.text(*podcast_tag("season")))
    if season_no is not None:
        body.append(("season", season_no, None))
    if episode_no is not None:
        body.append(("episode", episode_no, None))
    episode_type = item.text(itunes_tag("episodeType")).lower()
    if episode_type in ("trailer", "bonus"):
        body.append(("episode_type", episode_type, None))
    explicit = _explicit(item.text(itunes_tag("explicit")))
    if explicit is not None:
        body.append(("explicit", explicit, None))

    credits: list[dict[str, Any]] = []
    for person in item.all(podcast_tag("person")[0]) + item.all(podcast_tag("person")[1]):
        credit = _credit(person, where, report)
        if credit:
            credits.append(credit)

    # Podcasting 2.0 tags: written when the installed models have a field that takes them.
    leftovers: list[str] = []
    consumed: set[str] = set()

    def carry(
        tag_names: tuple[str, ...], field_names: tuple[str, ...], candidates: list[Any], what: str
    ) -> None:
        got = _model_field(Episode, field_names, candidates) if candidates else None
        if got:
            body.append((got[0], got[1], None))
            consumed.update(tag_names)

    season_node = item.first(*podcast_tag("season"))
    if season_node is not None and season_node.attrs.get("name"):
        carry(
            podcast_tag("season"),
            ("season_name",),
            [season_node.attrs["name"].strip()],
            "podcast:season name",
        )
    # Show notes: content:encoded, or an HTML description when the summary came from
    # itunes:summary; written only when they say more than the summary.
    notes_tag = f"{{{CONTENT}}}encoded"
    notes_html = item.text(notes_tag)
    if not notes_html and item.text(itunes_tag("summary")) and "<" in item.text("description"):
        notes_tag, notes_html = "description", item.text("description")
    if notes_html:
        notes = html_to_markdown(notes_html)
        if notes and notes != summary:
            carry((notes_tag,), ("notes",), [notes], "content:encoded")
        else:
            consumed.add(notes_tag)
    soundbites = []
    for node in _all(item, "soundbite"):
        bite: dict[str, Any] = {
            "start": _number(node.attrs.get("startTime")),
            "duration": _number(node.attrs.get("duration")),
        }
        title_text = " ".join(node.text.split())
        if title_text:
            bite["title"] = title_text
        soundbites.append(bite)
    if soundbites:
        carry(podcast_tag("soundbite"), ("soundbites",), [soundbites], "podcast:soundbite")
    location = _location(item)
    if location:
        carry(podcast_tag("location"), ("location",), [location], "podcast:location")
    license_node = item.first(*podcast_tag("license"))
    if license_node is not None and license_node.text.strip():
        lic = {
            "identifier": license_node.text.strip(),
            **({"url": license_node.attrs["url"]} if license_node.attrs.get("url") else {}),
        }
        carry(podcast_tag("license"), ("license",), [lic], "podcast:license")
    alternates = []
    for node in _all(item, "alternateEnclosure"):
        uris = [
            a.get("uri", "")
            for tag, a in node.children
            if tag.endswith("}source") and a.get("uri", "").startswith(("http://", "https://"))
        ]
        if not uris:
            continue
        alt: dict[str, Any] = {
            "url": uris[0],
            "type": node.attrs.get("type", ""),
            "length": _positive_int(node.attrs.get("length", "") or "0"),
        }
        if node.attrs.get("title"):
            alt["title"] = node.attrs["title"]
        alternates.append(alt)
    if alternates:
        carry(
            podcast_tag("alternateEnclosure"),
            ("alternates",),
            [alternates],
            "podcast:alternateEnclosure",
        )
    image = item.first(itunes_tag("image"))
    if image is not None and image.attrs.get("href"):
        carry((itunes_tag("image"),), ("image",), [image.attrs["href"]], "itunes:image")
    link = item.text("link")
    if link:
        carry(("link",), ("link",), [link], "link")
    chapters = _all(item, "chapters")
    if chapters:
        chapters_url = chapters[0].attrs.get("url", "").strip()
        refusal = _refused(Episode, "chapters_url", chapters_url)
        if refusal is None:
            body.append(("chapters_url", chapters_url, None))
        else:
            leftovers.append(f"podcast:chapters {chapters_url}: {refusal}")
            report.notes.append(
                f"{where}:{item.line}: podcast:chapters {chapters_url!r} not carried over:"
                f" {refusal}"
            )
        consumed.update(podcast_tag("chapters"))
    # Each transcript link on its own: one the model refuses (http, an unknown type) is listed
    # as not carried over, and the others are still kept.
    links: list[dict[str, str]] = []
    for node in _all(item, "transcript"):
        entry = {
            k: v.strip()
            for k, v in (
                ("url", node.attrs.get("url", "")),
                ("type", node.attrs.get("type", "")),
                ("language", node.attrs.get("language") or ""),
                ("rel", node.attrs.get("rel") or ""),
            )
            if v.strip()
        }
        refusal = _refused(Episode, "transcripts", [entry])
        if refusal is None:
            links.append(entry)
        else:
            leftovers.append(f"podcast:transcript {entry.get('url', '')}: {refusal}")
            report.notes.append(
                f"{where}:{item.line}: podcast:transcript {entry.get('url', '')!r} not carried"
                f" over: {refusal}"
            )
    if links:
        body.append(("transcripts", links, None))
    consumed.update(podcast_tag("transcript"))
    for tag, nodes in item.fields.items():
        if tag in _HANDLED_ITEM or tag in consumed:
            continue
        short = _short_tag(tag)
        for node in nodes:
            detail = _describe_node(node)
            leftovers.append(f"{short} {detail}".rstrip())
        dropped[short] += len(nodes)

    draft = any(todo for _, _, todo in body)
    w.comment(f"Imported by `stationcast import feed` from {where} (item {number}).")
    if draft:
        w.comment(
            f"Fill in the fields marked {TODO}, then delete `draft: true` (the build skips drafts)."
        )
        w.field("draft", True)
    for key, value, todo in body:
        if todo:
            w.todo(key, todo)
        if key == "guid":
            w.comment("The old feed's guid: podcast apps know the episode by it. Never change it.")
        w.field(key, value)
    if credits:
        w.lines.append("credits:")
        for credit in credits:
            w.mapping_item(credit, 4)
    if leftovers:
        w.comment(
            "Not carried over from the old feed (no manifest field yet, or a value it refuses):"
        )
        for text in leftovers:
            w.comment(f"  {text}", wrap=False)
    return w


def _credit(node: Any, where: str, report: FeedReport) -> dict[str, Any] | None:
    name = " ".join(node.text.split())
    if not name:
        return None
    role = (node.attrs.get("role") or "host").strip()
    group = (node.attrs.get("group") or "").strip() or None
    try:
        role, group_checked = check_person(role, group)
    except ValueError as exc:
        report.notes.append(
            f"{where}:{node.line}: podcast:person {name!r}:"
            f" {str(exc).split(' Valid ')[0].rstrip('. ')}; credited as guest"
        )
        role, group_checked = "guest", "cast"
    credit: dict[str, Any] = {"name": name, "role": role}
    if group and group.lower() != group_checked or group and role == "editor":
        credit["group"] = group_checked
    for key in ("href", "img"):
        value = node.attrs.get(key, "").strip()
        if value and _url(value):
            credit[key] = value
    return credit


def _show_yaml(feed: Feed, where: str, self_url: str, report: FeedReport) -> YamlWriter:
    ch = feed.channel
    w = YamlWriter()
    w.comment(f"Written by `stationcast import feed` from {where}.")
    w.comment(f"Fields marked {TODO} are not in the feed; the values there are placeholders.")
    title = ch.text("title")
    if not title:
        w.todo("title", "the feed has no title")
    w.field("title", title)
    description = html_to_text(ch.text(itunes_tag("summary")) or ch.text("description"))
    if not description:
        w.todo("description", "the feed has no description; write one")
        description = title
    w.field("description", description)
    language = ch.text("language").lower()
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", language):
        w.todo(
            "language",
            f"the feed's language {language!r} is not an ISO 639 code; en is a placeholder"
            if language
            else "the feed gives no language; en is a placeholder",
        )
        language = "en"
    w.field("language", language)
    parent = self_url.rsplit("/", 1)[0] + "/" if self_url.endswith("/feed.xml") else ""
    if parent and _url(parent):
        w.todo(
            "base_url",
            "where feeds/ will be published; this is the old feed's folder, so the new feed.xml"
            f" replaces {self_url} (check, or redirect the old URL)",
        )
        w.field("base_url", parent)
    else:
        old = (
            f"; the old feed was {self_url}: redirect it to the new feed.xml, or set"
            " <itunes:new-feed-url> there"
            if self_url
            else ""
        )
        w.todo("base_url", f"where feeds/ will be published (the value is a placeholder){old}")
        w.field("base_url", f"https://podcasts.example.org/{slugify(title) if title else 'show'}/")
    link = ch.text("link")
    if link and _url(link):
        w.field("link", link)
    author = ch.text(itunes_tag("author")) or feed.owner.get("name", "")
    if author:
        w.field("author", author)
    if ch.text("copyright"):
        w.field("copyright", ch.text("copyright"))
    image = ch.first(itunes_tag("image"))
    image_url = (image.attrs.get("href", "") if image is not None else "") or ch.text("image")
    w.todo(
        "artwork",
        f"download the show's artwork{f' ({image_url.strip()})' if image_url.strip() else ''} into"
        " this folder under this name (square JPEG or PNG, 1400-3000 px)",
    )
    w.field("artwork", "artwork.jpg")
    explicit = _explicit(ch.text(itunes_tag("explicit")))
    w.field("explicit", bool(explicit))
    categories: list[str] = []
    for category, sub in feed.categories:
        try:
            check_category(category, sub)
        except ValueError as exc:
            report.notes.append(
                f"{where}: itunes:category {category}{' > ' + sub if sub else ''} not carried"
                f" over: {exc}".split(" Valid ")[0]
            )
            continue
        text = f"{category} > {sub}" if sub else category
        if text not in categories:
            categories.append(text)
    if not categories:
        w.todo("categories", "the feed has no valid Apple Podcasts category; News is a placeholder")
        categories = ["News"]
    w.field("categories", categories)
    show_type = ch.text(itunes_tag("type")).lower()
    if show_type in ("episodic", "serial"):
        w.field("type", show_type)

    # podcast:guid and other channel tags, written when the model has a field for them.
    guid = ch.text(*podcast_tag("guid"))
    guid_from = "kept from the old feed"
    if not guid and self_url:
        try:
            guid, guid_from = podcast_guid(self_url), f"computed from the old feed URL {self_url}"
        except ValueError:
            guid = ""
    if not guid:
        w.todo(
            "podcast_guid",
            "the feed has no podcast:guid and its old URL is unknown (no atom:link rel=self); add"
            " `podcast_guid: <uuid>` computed from the old feed URL (or import from the URL), or"
            " set"
            " base_url and let `stationcast build` give the line",
        )
    if guid:
        got = _model_field(Show, ("podcast_guid", "guid"), [guid])
        if got:
            w.comment(
                f"podcast:guid, {guid_from}: it identifies the show across feed moves. Never"
                " change it."
            )
            w.field(got[0], got[1])
        else:
            w.comment(
                f"podcast:guid: {guid} ({guid_from}). show.yaml has no field for it yet: keep this"
                " line, and add it when it does."
            )
            report.notes.append(
                f"show.yaml: podcast:guid {guid} ({guid_from}) kept as a comment: the show model"
                " has no field for it yet"
            )
    consumed: set[str] = set()
    extra: list[tuple[str, Any, str]] = []  # (field, value, comment)

    def carry(
        tag_names: tuple[str, ...],
        field_names: tuple[str, ...],
        candidates: list[Any],
        comment: str = "",
    ) -> bool:
        got = _model_field(Show, field_names, candidates) if candidates else None
        if got:
            extra.append((got[0], got[1], comment))
            consumed.update(tag_names)
        return got is not None

    if feed.owner.get("email"):
        owner = {k: v for k, v in feed.owner.items() if v}
        if carry((itunes_tag("owner"),), ("owner",), [owner]):
            feed.owner.pop("email")
    locked = ch.first(*podcast_tag("locked"))
    if locked is not None:
        carry(
            podcast_tag("locked"),
            ("locked",),
            [locked.text.strip().lower() == "yes"],
            "podcast:locked: other hosts must refuse to import this feed",
        )
    for name in ("block", "complete"):
        node = ch.first(itunes_tag(name))
        if node is not None:
            carry((itunes_tag(name),), (name,), [node.text.strip().lower() == "yes"])
    medium = ch.text(*podcast_tag("medium")).lower()
    if medium:
        carry(podcast_tag("medium"), ("medium",), [medium])
    license_node = ch.first(*podcast_tag("license"))
    if license_node is not None and license_node.text.strip():
        carry(
            podcast_tag("license"),
            ("license",),
            [
                {
                    "identifier": license_node.text.strip(),
                    **({"url": license_node.attrs["url"]} if license_node.attrs.get("url") else {}),
                }
            ],
        )
    hosts = [
        c
        for c in (
            _credit(n, where, report)
            for n in ch.all(podcast_tag("person")[0]) + ch.all(podcast_tag("person")[1])
        )
        if c
    ]
    if hosts:
        carry(podcast_tag("person"), ("hosts",), [hosts])
    location = _location(ch)
    if location:
        carry(
            podcast_tag("location"),
            ("location",),
            [{**location, "rel": location.get("rel", "creator")}, location],
        )
    txts = [
        {
            "text": " ".join(n.text.split()),
            **({"purpose": n.attrs["purpose"]} if n.attrs.get("purpose") else {}),
        }
        for tag in podcast_tag("txt")
        for n in ch.all(tag)
    ]
    if txts:
        carry(podcast_tag("txt"), ("txt",), [txts])
    frequency = ch.first(*podcast_tag("updateFrequency"))
    if frequency is not None and frequency.text.strip():
        value: dict[str, Any] = {"text": frequency.text.strip()}
        for attr, key in (("rrule", "rrule"), ("dtstart", "dtstart")):
            if frequency.attrs.get(attr):
                value[key] = frequency.attrs[attr]
        if frequency.attrs.get("complete"):
            value["complete"] = frequency.attrs["complete"].lower() == "true"
        carry(podcast_tag("updateFrequency"), ("update_frequency",), [value])
    podroll = ch.first(*podcast_tag("podroll"))
    if podroll is not None:
        remotes = [
            {
                "feed_guid": a.get("feedGuid", ""),
                **({"feed_url": a["feedUrl"]} if a.get("feedUrl") else {}),
            }
            for tag, a in podroll.children
            if tag.endswith("}remoteItem")
        ]
        if remotes:
            carry(podcast_tag("podroll"), ("podroll",), [remotes])
    funding = ch.first(*podcast_tag("funding"))
    donate = ""
    if (
        funding is not None
        and funding.attrs.get("url", "").strip().startswith("https://")
        and _url(funding.attrs["url"])
    ):
        donate = funding.attrs["url"].strip()
        if funding.text.strip():
            carry((), ("funding_text",), [" ".join(funding.text.split())])
        consumed.update(podcast_tag("funding"))
    for key, value, comment in extra:
        if comment:
            w.comment(comment)
        w.field(key, value)

    leftovers: list[str] = []
    handled = {
        "title",
        "description",
        "language",
        "link",
        "copyright",
        "image",
        "item",
        "lastBuildDate",
        "pubDate",
        "generator",
        "docs",
        "ttl",
        f"{{{ATOM}}}link",
        itunes_tag("summary"),
        itunes_tag("author"),
        itunes_tag("owner"),
        itunes_tag("image"),
        itunes_tag("explicit"),
        itunes_tag("category"),
        itunes_tag("type"),
        *podcast_tag("guid"),
        *consumed,
    }
    for tag, nodes in ch.fields.items():
        if tag in handled:
            continue
        short = _short_tag(tag)
        for node in nodes:
            detail = _describe_node(node)
            leftovers.append(f"{short} {detail}".rstrip())
            report.notes.append(
                f"show.yaml: {short} not carried over (no show.yaml field yet): {detail}".rstrip(
                    ": "
                )
            )
    if feed.owner.get("email"):
        report.notes.append(
            f"show.yaml: itunes:owner email {feed.owner['email']} not carried over (no show.yaml"
            " field)"
        )

    w.lines.append("station:")
    w.todo(
        "station.name",
        "a podcast feed has no station details; the author's name is a placeholder: add slogan,"
        " address, phones",
        indent=2,
    )
    w.field("name", author or title, 2)
    if donate:
        w.field("donate", donate, 2)
    if leftovers:
        w.comment(
            "Not carried over from the old feed's channel (show.yaml has no field for these yet):"
        )
        for text in leftovers:
            w.comment(f"  {text}", wrap=False)
    return w


def _describe_node(node: Any) -> str:
    """A dropped element in a few words: its text (shortened) and the address it points at."""
    text = " ".join(node.text.split())[:80]
    address = node.attrs.get("url") or node.attrs.get("href") or node.attrs.get("uri")
    return " ".join(part for part in (text, address) if part)
