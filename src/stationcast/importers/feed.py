"""`stationcast import feed`: an existing podcast's RSS feed -> show.yaml and episode folders.

Each item keeps what identifies it to listeners' apps: its guid (exactly as written), its date,
its enclosure (as remote media: url, length, type, duration) and its title; plus description,
season/episode numbers, episode type, explicit flag and `podcast:person` credits. Tags the
manifest models have no field for are listed in a comment in the episode's manifest and in
the command's report, never dropped silently. Fields the current models gained (chapters,
transcript links, podcast:guid...) are written when the model accepts them.

The import reads the feed, plans show.yaml (:mod:`.channel`) and one manifest per new item
(this module: one step per group of fields), and only then writes, all at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stationcast.errors import display_path
from stationcast.manifest import EPISODE_FILE, SHOW_FILE, check_slug, read_document
from stationcast.manifest.write import (
    TODO,
    Comment,
    Draft,
    Entry,
    ManifestText,
    accepted,
    manifest_text,
    refusal,
)
from stationcast.models import Episode
from stationcast.scaffold import slugify
from stationcast.spec.apple import enclosure_type
from stationcast.spec.media import media_type
from stationcast.spec.namespaces import ATOM, CONTENT

from .archive import Page, read_archive
from .channel import show_yaml
from .dates import parse_date
from .feedvalues import (
    credit,
    describe_node,
    explicit,
    location,
    number,
    parse_duration,
    podcast_nodes,
    positive_int,
    short_tag,
    url,
)
from .htmltext import Converted, convert_ahead
from .page import ImportReport, writing
from .rss import Feed, FeedItem, itunes_tag, parse_rss, podcast_tag
from .source import TIMEOUT, read_source

MAX_FEED_BYTES = 64 * 1024 * 1024
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
    *podcast_tag("person"),
    *podcast_tag("season"),
    *podcast_tag("episode"),
}


@dataclass
class FeedReport(ImportReport):
    """What `import feed` did, with the round trip counted: items read, imported, drafted,
    not imported, and each element not carried over with its count."""

    summary: str = ""
    pages: int = 1  # the feed and the RFC 5005 archive pages read after it
    items: int = 0  # read, on all pages
    imported: int = 0
    drafted: int = 0  # imported as drafts (TODO fields)
    skipped: int = 0  # already in episodes/ (same guid)
    refused: int = 0  # not imported: no guid and no enclosure, or a guid used twice
    unknown_lengths: int = 0  # enclosures with length 0 (or none): kept as 0, "unknown"

    def round_trip(self) -> dict[str, Any]:
        """The counts as plain data (`--json`)."""
        return {
            "pages": self.pages,
            "items": self.items,
            "imported": self.imported,
            "drafted": self.drafted,
            "already_imported": self.skipped,
            "not_imported": self.refused,
            "unknown_lengths": self.unknown_lengths,
            "not_carried_over": dict(sorted(self.dropped.items())),
        }


@dataclass
class _Plan:
    """What the import will write: show.yaml (unless kept) and each new episode's manifest."""

    show: ManifestText | None = None
    episodes: list[tuple[str, ManifestText]] = field(default_factory=list)  # (slug, manifest)
    skipped: int = 0  # already imported (same guid)
    repeated: int = 0  # a guid an earlier item has
    missing: int = 0  # neither guid nor enclosure
    dropped: Counter[str] = field(default_factory=Counter)  # tags not carried over, by item


def import_feed(
    where: str,
    episodes: Path,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
    feed_url: str = "",
) -> FeedReport:
    """Write show.yaml (unless present) and one folder per new item of the feed at `where`,
    and of the RFC 5005 archive pages it links to.

    allow_private and timeout: for a URL, as :func:`read_source` takes them. feed_url: where
    the feed is published, when `where` is a saved copy whose channel does not say (no
    atom:link rel=self): podcast:guid is computed from it, and the report names it as the
    URL to redirect.
    """
    source = read_source(
        where,
        max_bytes=MAX_FEED_BYTES,
        what="podcast feed",
        allow_private=allow_private,
        timeout=timeout,
    )
    first = Page(where, parse_rss(source.data, where))
    report = FeedReport(root=episodes)
    archive = read_archive(
        first,
        source.url,
        report.notes,
        max_bytes=MAX_FEED_BYTES,
        allow_private=allow_private,
        timeout=timeout,
    )
    pages = [first, *archive]
    report.pages = len(pages)
    archive_items = len(first.feed.items) if archive and first.feed.items else None
    unnumbered = sum(
        1 for page in pages for item in page.feed.items if _episode_number(item) is None
    )
    plan = _Plan(
        show=_plan_show(
            first.feed,
            where,
            source.url or "",
            episodes,
            report,
            archive_items,
            unnumbered,
            feed_url,
        )
    )
    _plan_episodes(pages, episodes, plan, report)
    _write(episodes, plan, report)
    report.items = sum(len(page.feed.items) for page in pages)
    report.imported = len(plan.episodes)
    report.drafted = sum(1 for _, written in plan.episodes if written.todos)
    report.skipped = plan.skipped
    report.refused = plan.repeated + plan.missing
    report.dropped.update(plan.dropped)
    report.summary = _summary(episodes, plan, report)
    return report


def _plan_show(
    feed: Feed,
    where: str,
    fetched_from: str,
    episodes: Path,
    report: FeedReport,
    archive_items: int | None,
    unnumbered: int,
    feed_url: str = "",
) -> ManifestText | None:
    """show.yaml from the channel, or None when the show has one (it is kept)."""
    show_path = episodes / SHOW_FILE
    if show_path.exists():
        report.notes.append(
            f"{display_path(show_path)} exists and was kept; the feed's channel details were not"
            " applied"
        )
        return None
    claimed = _self_url(feed)
    if feed_url and claimed and claimed != feed_url:
        report.notes.append(
            f"{where}: the channel's atom:link rel=self is {claimed}; --feed-url {feed_url} is"
            " used as the old feed's URL (podcast:guid, the redirect)"
        )
    self_url = feed_url or claimed or fetched_from
    written = show_yaml(feed, where, self_url, report, archive_items, unnumbered)
    report.add_todos(show_path, written)
    return written


def _plan_episodes(pages: list[Page], episodes: Path, plan: _Plan, report: FeedReport) -> None:
    """One manifest per item whose guid is new; items without one, or repeating one, are notes."""
    guids, folders, audio_urls = _existing(episodes)
    seen: dict[str, tuple[int, int | None, str]] = {}  # guid -> the item number, line, title
    items = [(page.name, item) for page in pages for item in page.feed.items]
    # every item's notes and summary converted first: side by side when there are many
    converted = convert_ahead(
        texts=[_summary_source(item) for _, item in items],
        markdowns=[_notes_source(item)[1] for _, item in items],
    )
    for position, (where, item) in enumerate(items, start=1):
        guid = _guid(item, position, where, report)
        if not guid:
            plan.missing += 1
            continue
        title = item.text("title", itunes_tag("title"))
        if guid in seen:
            # Checked before the guids already imported, so a rerun reports it again.
            first, first_line, first_title = seen[guid]
            plan.repeated += 1
            report.notes.append(
                f"{where}:{item.line}: item {position} ({title!r}) has the guid {guid!r} of item "
                f"{first} ({first_title!r}, line {first_line}); not imported: a guid names one "
                "episode, and stationcast does not invent another (give it its own in the old "
                "feed, or add it with `stationcast new`)"
            )
            continue
        seen[guid] = (position, item.line, title)
        if guid in guids:
            plan.skipped += 1
            continue
        slug = _slug(title, position, folders)
        folders.add(slug)
        written = _episode_yaml(
            _Item(item, position, where, report, plan.dropped, audio_urls, converted), guid
        )
        if not written.draft:
            audio = written.data.get("audio")
            if isinstance(audio, dict) and isinstance(audio.get("url"), str):
                audio_urls[audio["url"]] = slug
        plan.episodes.append((slug, written))
        report.add_todos(episodes / slug / EPISODE_FILE, written)


def _guid(item: FeedItem, position: int, where: str, report: FeedReport) -> str:
    """The item's guid; without one, its enclosure URL (with a note); else "" (a note)."""
    guid = item.text("guid")
    enclosure = item.first("enclosure")
    if not guid and enclosure is not None:
        guid = enclosure.attrs.get("url", "").strip()
        if guid:
            report.notes.append(
                f"{where}:{item.line}: item {position} has no <guid>; its enclosure URL is used"
                " as the guid (what podcast apps fall back to)"
            )
    if not guid:
        report.notes.append(
            f"{where}:{item.line}: item {position} has neither <guid> nor enclosure; not imported"
        )
    return guid


def _write(episodes: Path, plan: _Plan, report: FeedReport) -> None:
    """Every planned manifest, after all of them were made (a bad feed writes nothing)."""
    with writing(episodes):
        if plan.show is not None:
            episodes.mkdir(parents=True, exist_ok=True)
            (episodes / SHOW_FILE).write_text(plan.show.text, encoding="utf-8")
            report.written.append(episodes / SHOW_FILE)
        for slug, written in plan.episodes:
            folder = episodes / slug
            folder.mkdir(parents=True)
            (folder / EPISODE_FILE).write_text(written.text, encoding="utf-8")
            report.written.append(folder / EPISODE_FILE)
    for tag, count in sorted(plan.dropped.items()):
        report.notes.append(
            f"not carried over (no manifest field yet): {tag} on {count}"
            f" item{'s' if count != 1 else ''}; listed in each episode.yaml"
        )


def _summary(episodes: Path, plan: _Plan, report: FeedReport) -> str:
    imported, skipped, repeated = len(plan.episodes), plan.skipped, plan.repeated
    pages = (
        f" from {report.pages} feed pages (the feed and its archive)" if report.pages > 1 else ""
    )
    return (
        f"Imported {imported} episode{'s' if imported != 1 else ''} into"
        f" {display_path(episodes)}/{pages}"
        + (f" ({report.drafted} left as drafts with TODO(import) fields)" if report.drafted else "")
        + (f"; {skipped} already there (same guid) skipped" if skipped else "")
        + (f"; {repeated} not imported (a guid used twice; see the notes)" if repeated else "")
        + (f"; {plan.missing} not imported (no guid, no enclosure)" if plan.missing else "")
    )


def _existing(episodes: Path) -> tuple[set[str], set[str], dict[str, str]]:
    """GUIDs, folder names and remote audio URLs (-> folder) already in the show."""
    guids: set[str] = set()
    folders: set[str] = set()
    audio_urls: dict[str, str] = {}
    if not episodes.is_dir():
        return guids, folders, audio_urls
    for folder in episodes.iterdir():
        if not folder.is_dir():
            continue
        folders.add(folder.name.casefold())
        manifest = folder / EPISODE_FILE
        if not manifest.is_file():
            continue
        doc = read_document(manifest, [])
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        if isinstance(data.get("guid"), str):
            guids.add(data["guid"].strip())
        audio = data.get("audio")
        url_ = audio.get("url") if isinstance(audio, dict) else None
        if data.get("draft") is not True and isinstance(url_, str):  # a draft is not built
            audio_urls[url_.strip()] = folder.name
    return guids, folders, audio_urls


def _self_url(feed: Feed) -> str:
    for node in feed.channel.all(f"{{{ATOM}}}link"):
        if node.attrs.get("rel") == "self" and node.attrs.get("href"):
            return node.attrs["href"].strip()
    return feed.channel.text(itunes_tag("new-feed-url"))


def _slug(title: str, position: int, taken: set[str]) -> str:
    base = slugify(title) if title else f"episode-{position}"
    if check_slug(base):
        base = f"episode-{position}"
    slug, n = base, 2
    while slug.casefold() in taken or check_slug(slug):
        suffix = f"-{n}"
        slug = base[: 100 - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


# -- one item -> episode.yaml ---------------------------------------------------------------------


@dataclass
class _Item:
    """One item being read into an episode manifest: the entries so far, the tags they used,
    and what is not carried over."""

    node: FeedItem
    number: int
    where: str
    report: FeedReport
    dropped: Counter[str]  # of the whole import, by tag
    audio_urls: dict[str, str]  # enclosure URLs other episodes have -> their folder
    converted: Converted = field(default_factory=Converted)  # the feed's HTML, done ahead
    entries: list[Entry | Comment] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)
    leftovers: list[str] = field(default_factory=list)

    @property
    def at(self) -> str:
        """Where the item is, for notes: `feed.xml:12`."""
        return f"{self.where}:{self.node.line}"

    def add(self, key: str, value: Any, todo: str = "", comment: str = "") -> None:
        self.entries.append(Entry(key, value, todo=todo, comment=comment))

    def carry(self, tags: tuple[str, ...], names: tuple[str, ...], candidates: list[Any]) -> None:
        """Write the first candidate a field of `names` takes, and count `tags` as used."""
        got = accepted(Episode, names, candidates) if candidates else None
        if got:
            self.add(got[0], got[1])
            self.consumed.update(tags)


def _episode_yaml(item: _Item, guid: str) -> ManifestText:
    """The item's episode.yaml: a draft when a field is left TODO."""
    title = item.node.text("title") or item.node.text(itunes_tag("title"))
    item.add("title", title, "" if title else "the item has no title; give the episode's title")
    item.add(
        "guid",
        guid,
        comment="The old feed's guid: podcast apps know the episode by it. Never change it.",
    )
    _published(item)
    summary = _summary_text(item, title)
    _audio(item)
    _numbers(item)
    credits = _credits(item)
    _season_name(item)
    _show_notes(item, summary)
    _soundbites(item)
    _places_and_license(item)
    _alternates(item)
    _itunes_title(item, title)
    _image_and_link(item)
    _chapters(item)
    _transcript_links(item)
    if credits:
        item.add("credits", credits)
    hidden = _blocked(item)
    _unhandled(item)
    if item.leftovers:
        item.entries.append(
            Comment(
                "Not carried over from the old feed (no manifest field yet, or a value it refuses):"
            )
        )
        item.entries.extend(Comment(f"  {text}", wrap=False) for text in item.leftovers)
    return manifest_text(
        Episode,
        item.entries,
        header=[f"Imported by `stationcast import feed` from {item.where} (item {item.number})."],
        draft=Draft(
            f"Fill in the fields marked {TODO}, then delete `draft: true` (the build skips"
            " drafts).",
            only_with_todos=True,
            todo=hidden,
        ),
    )


def _blocked(item: _Item) -> str:
    """itunes:block Yes: the old feed kept the episode out of Apple Podcasts, so the import
    keeps it out of the new feed: a draft, with a TODO saying why (returned; "" otherwise).
    Any other value has no effect (Apple: only "Yes" blocks) and is listed with the rest."""
    if item.node.text(itunes_tag("block")).strip().lower() != "yes":
        return ""
    item.consumed.add(itunes_tag("block"))
    item.report.notes.append(
        f"{item.at}: item {item.number} has itunes:block Yes (the old feed hid it from Apple"
        " Podcasts); imported as a draft"
    )
    return (
        "the old feed hid this episode (itunes:block Yes), so it stays out of the new feed;"
        " delete `draft: true` to publish it (the new feed then lists it in every app)"
    )


def _published(item: _Item) -> None:
    """pubDate with its own UTC offset; a date that cannot be read is a TODO saying why."""
    raw_date = item.node.text("pubDate")
    found = parse_date(raw_date) if raw_date else None
    if found is not None and found.value is not None:
        item.add("published", found.value.isoformat())
        if found.note:
            item.report.notes.append(f"{item.at}: item {item.number}: pubDate: {found.note}")
        return
    why = (
        f"the feed's date {found.problem}"
        if found is not None and found.problem
        else f"the feed's date {raw_date!r} cannot be read"
        if raw_date
        else "the item has no pubDate"
    )
    item.add("published", "", f"{why}; write it as ISO 8601 with a UTC offset")


def _summary_source(node: FeedItem) -> str:
    """The HTML (or text) the summary is made of."""
    return (
        node.text(itunes_tag("summary"))
        or node.text("description")
        or node.text(f"{{{CONTENT}}}encoded")
    )


def _notes_source(node: FeedItem) -> tuple[str, str]:
    """(tag, HTML) the notes are made of: content:encoded, else an HTML description."""
    tag = f"{{{CONTENT}}}encoded"
    html = node.text(tag)
    if not html and "<" in node.text("description"):
        tag, html = "description", node.text("description")
    return tag, html


def _summary_text(item: _Item, title: str) -> str:
    """summary: the item's description as plain text (its title when it has none)."""
    source = _summary_source(item.node)
    summary = item.converted.to_text(source) if source else ""
    if not summary and title:
        summary = title
        item.report.notes.append(
            f"{item.at}: item {item.number} has no description; its title is the summary"
        )
    item.add("summary", summary, "" if summary else "the item has no description; write one")
    return summary


def _audio(item: _Item) -> None:
    """The enclosure as remote media: url, length, type and duration (when the feed gives it).

    length="0" (what feeds write when the size is unknown) is kept as 0, with a comment: the
    build takes it, with a warning. A type Apple does not take, on a URL whose extension names
    one it does (`video/x-mp4` on a .mp4), is the extension's type, with a note; the episode
    stays the same to apps (they know it by guid and URL)."""
    enclosure = item.node.first("enclosure")
    if enclosure is None:
        item.add(
            "audio", "", "the item has no enclosure; give the audio file or {url, length, type}"
        )
        return
    address = enclosure.attrs.get("url", "").strip()
    written_length = enclosure.attrs.get("length", "").strip()
    length = positive_int(written_length or "0")
    mime = enclosure.attrs.get("type", "").strip()
    todo = "" if url(address) else f"the enclosure URL {address!r} is not an absolute http(s) URL"
    if not todo and address in item.audio_urls:
        todo = (
            f"episode {item.audio_urls[address]} has the same enclosure URL; every episode needs"
            " its own audio URL (the build refuses two with one): give this episode's own file,"
            " or leave it a draft"
        )
    comment = ""
    if length is None and (number(written_length) == 0 or not written_length):
        comment = (
            f"The old feed gives no size for this file (length={written_length!r}); 0 says"
            " unknown, as it did. Give its size in bytes when you know it."
        )
        item.report.unknown_lengths += 1
    elif length is None:
        todo = todo or (
            f"the feed's length {written_length!r} for {address} is not a number of bytes;"
            " give its size in bytes"
        )
    by_name = media_type(urlsplit(address).path)
    if not mime:
        if by_name:
            mime = by_name
            item.report.notes.append(
                f"{item.at}: item {item.number}: enclosure type {by_name} taken from the"
                " file name (the feed gives none)"
            )
        else:
            todo = todo or "the feed gives no enclosure type; give the MIME type (audio/mpeg...)"
    elif enclosure_type(mime) is None and by_name and enclosure_type(by_name) is not None:
        item.report.notes.append(
            f"{item.at}: item {item.number}: enclosure type {mime!r} is not one Apple Podcasts"
            f" takes; imported as {by_name}, the type of the file's extension"
        )
        comment = comment or f"The old feed gave the type {mime!r}, which Apple does not take."
        mime = by_name
    audio: dict[str, Any] = {"url": address, "length": length or 0, "type": mime}
    written = item.node.text(itunes_tag("duration"))
    duration = parse_duration(written)
    if duration:  # 0 means unknown in feeds; a manifest leaves it out instead
        audio["duration"] = int(duration) if duration == int(duration) else duration
    elif written:
        item.leftovers.append(f"itunes:duration {written!r}: not a duration (or 0: unknown)")
        item.dropped["itunes:duration (unreadable or 0)"] += 1
    item.add("audio", audio, todo, comment)


def _numbers(item: _Item) -> None:
    """season, episode, episode_type (trailer, bonus) and explicit."""
    node = item.node
    episode_no = _episode_number(node)
    season_no = positive_int(node.text(itunes_tag("season")) or node.text(*podcast_tag("season")))
    if season_no is not None:
        item.add("season", season_no)
    if episode_no is not None:
        item.add("episode", episode_no)
    episode_type = node.text(itunes_tag("episodeType")).lower()
    if episode_type in ("trailer", "bonus"):
        item.add("episode_type", episode_type)
    flag = explicit(node.text(itunes_tag("explicit")))
    if flag is not None:
        item.add("explicit", flag)


def _episode_number(node: FeedItem) -> int | None:
    return positive_int(node.text(itunes_tag("episode")) or node.text(*podcast_tag("episode")))


def _season_name(item: _Item) -> None:
    season = item.node.first(*podcast_tag("season"))
    if season is not None and season.attrs.get("name"):
        item.carry(podcast_tag("season"), ("season_name",), [season.attrs["name"].strip()])


def _show_notes(item: _Item, summary: str) -> None:
    """notes: content:encoded (or else an HTML description, whose links and lists the
    plain-text summary cannot keep) as Markdown; written only when they differ from the
    summary."""
    tag, html = _notes_source(item.node)
    if not html:
        return
    notes = item.converted.to_markdown(html)
    if notes and notes != summary:
        item.carry((tag,), ("notes",), [notes])
    else:
        item.consumed.add(tag)


def _soundbites(item: _Item) -> None:
    soundbites = []
    for node in podcast_nodes(item.node, "soundbite"):
        bite: dict[str, Any] = {
            "start": number(node.attrs.get("startTime")),
            "duration": number(node.attrs.get("duration")),
        }
        title = " ".join(node.text.split())
        if title:
            bite["title"] = title
        soundbites.append(bite)
    if soundbites:
        item.carry(podcast_tag("soundbite"), ("soundbites",), [soundbites])


def _places_and_license(item: _Item) -> None:
    """podcast:location and podcast:license."""
    place = location(item.node)
    if place:
        item.carry(podcast_tag("location"), ("location",), [place])
    license_node = item.node.first(*podcast_tag("license"))
    if license_node is not None and license_node.text.strip():
        value = {"identifier": license_node.text.strip()}
        if license_node.attrs.get("url"):
            value["url"] = license_node.attrs["url"]
        item.carry(podcast_tag("license"), ("license",), [value])


def _alternates(item: _Item) -> None:
    """podcast:alternateEnclosure, each by its first http(s) source.

    The one marked default, or with the enclosure's URL, is the main enclosure itself: the
    build writes it again from `audio`. Other sources (IPFS, torrents, a second URL) and
    alternates without an http(s) source are listed as not carried over."""
    enclosure = item.node.first("enclosure")
    main = enclosure.attrs.get("url", "").strip() if enclosure is not None else ""
    alternates = []
    same = 0  # alternates that are the enclosure itself
    for node in podcast_nodes(item.node, "alternateEnclosure"):
        uris = [a.get("uri", "").strip() for tag, a in node.children if tag.endswith("}source")]
        http = [u for u in uris if u.startswith(("http://", "https://"))]
        if node.attrs.get("default", "").strip().lower() == "true" or (main and main in uris):
            same += 1
            continue
        if not http:
            item.leftovers.append(
                f"podcast:alternateEnclosure {node.attrs.get('type', '')} {' '.join(uris)}: no"
                " http(s) source"
            )
            item.dropped["podcast:alternateEnclosure"] += 1
            continue
        alternate: dict[str, Any] = {
            "url": http[0],
            "type": node.attrs.get("type", ""),
            "length": positive_int(node.attrs.get("length", "") or "0"),
        }
        if node.attrs.get("title"):
            alternate["title"] = node.attrs["title"]
        bitrate = number(node.attrs.get("bitrate"))
        if bitrate is not None and bitrate > 0:
            alternate["bitrate"] = round(bitrate)
        if node.attrs.get("codecs", "").strip():
            alternate["codecs"] = node.attrs["codecs"].strip()
        alternates.append(alternate)
        others = [u for u in uris if u != http[0]]
        if others:
            item.leftovers.append(f"podcast:source {' '.join(others)} (other sources of {http[0]})")
            item.dropped["podcast:source"] += len(others)
    if alternates:
        got = accepted(Episode, ("alternates",), [alternates])
        if got is None:
            why = refusal(Episode, "alternates", alternates)
            item.leftovers.append(f"podcast:alternateEnclosure: {why}")
            item.dropped["podcast:alternateEnclosure"] += len(alternates)
        else:
            item.add(*got)
    if same and not alternates:  # the build writes the default one only beside others
        item.dropped["podcast:alternateEnclosure (the enclosure itself)"] += same
    item.consumed.update(podcast_tag("alternateEnclosure"))


def _itunes_title(item: _Item, title: str) -> None:
    """itunes:title: the same as <title> (what the build writes) is carried; a different one
    is listed (the manifest has one title)."""
    itunes_title = item.node.text(itunes_tag("title"))
    if itunes_title and " ".join(itunes_title.split()) != " ".join(title.split()):
        item.leftovers.append(f"itunes:title {itunes_title!r} (the episode's title is {title!r})")
        item.dropped["itunes:title (differs from <title>)"] += 1
    item.consumed.add(itunes_tag("title"))


def _image_and_link(item: _Item) -> None:
    """itunes:image and link, when the model has a field taking them (today it has not)."""
    image = item.node.first(itunes_tag("image"))
    if image is not None and image.attrs.get("href"):
        item.carry((itunes_tag("image"),), ("image",), [image.attrs["href"]])
    link = item.node.text("link")
    if link:
        item.carry(("link",), ("link",), [link])


def _chapters(item: _Item) -> None:
    """podcast:chapters as chapters_url; a URL the manifest refuses is listed, with why."""
    chapters = podcast_nodes(item.node, "chapters")
    if not chapters:
        return
    address = chapters[0].attrs.get("url", "").strip()
    why = refusal(Episode, "chapters_url", address)
    if why is None:
        item.add("chapters_url", address)
    else:
        item.leftovers.append(f"podcast:chapters {address}: {why}")
        item.dropped["podcast:chapters (refused)"] += 1
        item.report.notes.append(f"{item.at}: podcast:chapters {address!r} not carried over: {why}")
    item.consumed.update(podcast_tag("chapters"))


def _transcript_links(item: _Item) -> None:
    """Each podcast:transcript on its own: one the model refuses (http, an unknown type) is
    listed as not carried over, and the others are still kept."""
    links: list[dict[str, str]] = []
    for node in podcast_nodes(item.node, "transcript"):
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
        why = refusal(Episode, "transcripts", [entry])
        if why is None:
            links.append(entry)
            continue
        item.leftovers.append(f"podcast:transcript {entry.get('url', '')}: {why}")
        item.dropped["podcast:transcript (refused)"] += 1
        item.report.notes.append(
            f"{item.at}: podcast:transcript {entry.get('url', '')!r} not carried over: {why}"
        )
    if links:
        item.add("transcripts", links)
    item.consumed.update(podcast_tag("transcript"))


def _credits(item: _Item) -> list[dict[str, Any]]:
    """podcast:person as credits (an unknown role is a note)."""
    people = item.node.all(podcast_tag("person")[0]) + item.node.all(podcast_tag("person")[1])
    found = (credit(p, item.where, item.report.notes, item.dropped) for p in people)
    return [c for c in found if c]


def _unhandled(item: _Item) -> None:
    """The item's tags no field took: listed in the manifest and counted for the report."""
    for tag, nodes in item.node.fields.items():
        if tag in _HANDLED_ITEM or tag in item.consumed:
            continue
        short = short_tag(tag)
        for node in nodes:
            item.leftovers.append(f"{short} {describe_node(node)}".rstrip())
        item.dropped[short] += len(nodes)
