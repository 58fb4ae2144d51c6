"""The show's own part of a build: what episode.py is for one episode, this is for the show.

`check_show` checks show.yaml's feed fields and the artwork and keys them (a ShowEntry of the
build cache); `make_channel` is the feed's channel; `write_top` writes the show-level files
(artwork, style.css, index.html, feed.xml and its archive pages), reusing each one whose
inputs did not change; `validate_feed` is the gate no feed with validation errors passes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from lxml import etree
from PIL import Image

from stationcast import artwork as artwork_check
from stationcast import validate
from stationcast.build import cache
from stationcast.build.cache import EpisodeEntry, ShowEntry
from stationcast.build.episode import make_person
from stationcast.build.output import Staging
from stationcast.errors import BuildError, Problem, display_path
from stationcast.feed import (
    ArchiveLinks,
    FeedChannel,
    assemble_feed,
    feed_frame,
)
from stationcast.feed.writer import address_place
from stationcast.manifest import locate_fields, read_document
from stationcast.models import Show
from stationcast.pages import make_environment, render_show_page, render_stylesheet
from stationcast.spec import analytics
from stationcast.spec.podcast import NODE_LIMIT
from stationcast.spec.podcast import podcast_guid as compute_podcast_guid
from stationcast.station import station_of
from stationcast.xmlsafe import hardened_parser

FEED_FILE = "feed.xml"
SHOW_FILE = "show.yaml"
ARCHIVE_PAGE = "archive-{}.xml"  # RFC 5005 archive pages; a dot never appears in a slug
# Validate only the new items (see validate_feed) when at most one in this many is new.
REVALIDATE_SHARE = 4
_EPOCH = "1970-01-01T00:00:00+00:00"

#: An episode's serialised feed item (see cache.FeedItems.get).
ItemSource = Callable[[EpisodeEntry], bytes]


def check_show(
    show: Show,
    root: Path,
    base: str,
    inputs: str,
    warnings: Sequence[str],
    published: tuple[str, str] | None,
) -> tuple[ShowEntry, list[Problem]]:
    """Check the show's own files (artwork, show.yaml's feed fields) and key them: (its cache
    entry, its problems).

    `inputs` is the key of the other global inputs, `warnings` the templates' warnings,
    `published` the (podcast:guid, state file) of an earlier build, to suggest."""
    artwork_path = root / show.artwork
    shown = display_path(root / SHOW_FILE)
    artwork = artwork_check.inspect_artwork(artwork_path, shown, root=root)
    found = list(warnings)
    if not base.startswith("https://"):
        found.append(
            f"the base URL {base} is not https, so the feed leaves out podcast:transcript,"
            " podcast:chapters and podcast:image (the Podcasting 2.0 namespace requires https)"
        )
    if len(show.analytics) > analytics.ADVISED_CHAIN:
        long_chain = Problem(
            shown,
            field="analytics",
            message=f"{len(show.analytics)} prefixes chained; each is a redirect podcast apps"
            f" must follow, and Apple Podcasts follows only so many: keep at most"
            f" {analytics.ADVISED_CHAIN}",
        )
        found += map(str, locate_fields([long_chain]))
    artwork_bytes = artwork.data if artwork.data is not None else b"\0unusable"
    entry = ShowEntry(
        inputs=inputs,
        artwork=show.artwork,
        artwork_stat=cache.media_stat(artwork_path),
        key=cache.hash_bytes(inputs, artwork_bytes),
        base=base,
        feed_guid=show.podcast_guid,
        warnings=found,
        artwork_digest=cache.hash_bytes(artwork_bytes),
    )
    return entry, locate_fields([*artwork.problems, *show_problems(show, shown, base, published)])


def show_problems(
    show: Show, manifest: str, base: str, published: tuple[str, str] | None
) -> list[Problem]:
    """What show.yaml lacks for the channel's tags (after its own field checks passed)."""
    problems: list[Problem] = []
    if show.podcast_guid is None:
        feed_url = show.base_url + FEED_FILE
        if published is not None:
            guid, why = published[0], f"the one published before, recorded in {published[1]}"
        else:
            guid = compute_podcast_guid(feed_url)
            why = (
                f"computed from the feed URL {feed_url}; it then identifies the show for good,"
                " even if the feed moves, so it is never computed again"
            )
        problems.append(
            Problem(
                manifest,
                field="podcast_guid",
                message=f"required field is missing; add the line `podcast_guid: {guid}` ({why})",
            )
        )
    address = show.station.address
    place = address_place(address) if address is not None else ""
    if show.location is None and len(place) > NODE_LIMIT:
        problems.append(
            Problem(
                manifest,
                field="station.address.locality",
                message=f"the feed's podcast:location is the city and region from the address,"
                f" {len(place)} characters here, and the namespace allows {NODE_LIMIT};"
                " shorten them, or give a `location:` of its own in show.yaml",
            )
        )
    stream, page = live_defaults(show, base)
    guids: dict[str, int] = {}
    for index, program in enumerate(show.live):
        first = guids.setdefault(program.guid, index)
        if first != index:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.guid",
                    message=f"duplicate guid {program.guid!r}, also used by live.{first};"
                    " apps take a new guid for a new stream",
                )
            )
        if program.stream is None and stream is None:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.stream",
                    message="a live program needs a stream URL;"
                    " add `stream: https://...` or station.live_stream",
                )
            )
        if program.page is None and page is None:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.page",
                    message="a live program needs an https page where listeners can follow it;"
                    " add `page: https://...`",
                )
            )
    return problems


def live_defaults(show: Show, base: str) -> tuple[str | None, str | None]:
    """(stream URL, https page) for live programs that do not give their own."""
    pages = [str(u) for u in (show.station.website, show.link, base) if u]
    return show.station.live_stream, next((u for u in pages if u.startswith("https://")), None)


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        width, height = image.size
    return int(width), int(height)


def artwork_name(entry: ShowEntry) -> str:
    """The artwork's name in the output."""
    return "artwork" + Path(entry.artwork).suffix.lower()


def make_channel(
    show: Show, entry: ShowEntry, root: Path, now: datetime | None = None
) -> FeedChannel:
    """The feed's channel: the show, at the base URL it is built for; its live programs'
    statuses as of `now` (the build's clock) unless the manifest pins them."""
    base = entry.base
    if show.live and now is not None:
        live = [p.model_copy(update={"status": p.status_at(now)}) for p in show.live]
        show = show.model_copy(update={"live": live})
    return FeedChannel(
        show=show,
        feed_url=base + FEED_FILE,
        link=show.link or base,
        artwork_url=base + artwork_name(entry),
        persons=[make_person(c) for c in show.hosts],
        podcast_guid=show.podcast_guid,
        artwork_size=image_size(root / entry.artwork),
        live_defaults=live_defaults(show, base),
    )


# -- the show-level files ------------------------------------------------------------------


@dataclass(eq=False)  # (a step value: see pipeline.py)
class TopFiles:
    """What `write_top` wrote (or linked from the previous output) and the keys of their
    inputs, for the next build to compare."""

    names: list[str]
    keys: dict[str, str]


def write_top(
    stage: Staging,
    out: Path,
    root: Path,
    channel: FeedChannel,
    entry: ShowEntry,
    ordered: Sequence[EpisodeEntry],
    item: ItemSource,
) -> TopFiles:
    """artwork, style.css, index.html and the feed documents: reused when their inputs are."""
    old_top = entry.top
    keys = dict(entry.keys)
    artwork = artwork_name(entry)
    written: list[str] = []

    def reuse(names: list[str], key: str, label: str) -> bool:
        ok = keys.get(label) == key and all(
            n in old_top and old_top[n] is not None and cache.output_stat(out / n) == old_top[n]
            for n in names
        )
        if ok:
            for n in names:
                stage.link_from(n, out / n)
                written.append(n)
        keys[label] = key
        return ok

    stage.link_or_copy(artwork, root / entry.artwork)
    written.append(artwork)
    env = None
    if not reuse(["style.css"], entry.key, "style"):
        env = make_environment(root / "templates")
        stage.write_text("style.css", render_stylesheet(env))
        written.append("style.css")
    listing = [e.listing for e in ordered]
    listing_key = cache.hash_bytes(entry.key, json.dumps(listing, ensure_ascii=False))
    if not reuse(["index.html"], listing_key, "show_page"):
        env = env or make_environment(root / "templates")
        page = render_show_page(
            env,
            show=channel.show,
            page_url=entry.base,
            feed_url=entry.base + FEED_FILE,
            artwork_href=artwork,
            episodes=listing,
            in_station=station_of(root) is not None,
        )
        stage.write_text("index.html", page)
        written.append("index.html")
    feed_key = cache.hash_bytes(entry.key, *(e.item_sha for e in ordered))
    documents = [
        n for n in old_top if n == FEED_FILE or (n.startswith("archive-") and n.endswith(".xml"))
    ]
    if not (FEED_FILE in documents and reuse(documents, feed_key, "feed")):
        written += write_feeds(stage, channel, ordered, entry.base, item)
    return TopFiles(written, keys)


def write_feeds(
    stage: Staging,
    channel: FeedChannel,
    ordered: Sequence[EpisodeEntry],
    base: str,
    item: ItemSource,
) -> list[str]:
    """feed.xml, and with `archive: {feed_items: N}` the RFC 5005 archive pages.

    feed.xml holds the newest N episodes. Older ones go into archive-1.xml (the oldest N),
    archive-2.xml, ...; only the newest archive page is ever partly filled, so every other
    page stays byte-identical as the show grows.
    """
    items = [(datetime.fromisoformat(e.published), item(e)) for e in ordered]

    def write(name: str, document: FeedChannel, page: Sequence[tuple[datetime, bytes]]) -> None:
        last = max((p for p, _ in page), default=datetime.fromisoformat(_EPOCH))
        stage.write_bytes(name, assemble_feed(document, [x for _, x in page], last))

    archive = channel.show.archive
    if archive is None or len(items) <= archive.feed_items:
        write(FEED_FILE, channel, items)
        return [FEED_FILE]
    limit = archive.feed_items
    oldest_first = list(reversed(items[limit:]))
    pages = [oldest_first[i : i + limit] for i in range(0, len(oldest_first), limit)]

    def page_url(number: int) -> str:
        return base + ARCHIVE_PAGE.format(number)

    current = ArchiveLinks(current=channel.feed_url, prev_archive=page_url(len(pages)))
    write(FEED_FILE, replace(channel, archive=current), items[:limit])
    # live programs belong to the current feed only
    quiet = channel.show.model_copy(update={"live": []})
    names = [FEED_FILE]
    for number, page in enumerate(pages, start=1):
        links = ArchiveLinks(
            current=channel.feed_url,
            prev_archive=page_url(number - 1) if number > 1 else None,
            next_archive=page_url(number + 1) if number < len(pages) else None,
            is_archive=True,
        )
        document = replace(channel, show=quiet, feed_url=page_url(number), archive=links)
        write(ARCHIVE_PAGE.format(number), document, list(reversed(page)))
        names.append(ARCHIVE_PAGE.format(number))
    return names


# -- the validation gate -------------------------------------------------------------------


@dataclass(eq=False)  # (a step value: see pipeline.py)
class Validated:
    """Which validator passed the whole feed, with which channel, and the warnings it gave
    (see validate_feed)."""

    validator: str | None
    channel_sha: str | None
    # The warnings about the channel or the whole document (None: as the last build's, which
    # validated the same channel), and those about the items validated, by GUID.
    channel_warnings: list[str] | None = None
    item_warnings: dict[str, list[str]] = field(default_factory=dict)
    full: bool = True  # every item was validated (else only those in item_warnings' episodes)


def validate_feed(
    stage: Staging,
    channel: FeedChannel,
    entry: ShowEntry,
    validator: str,
    ordered: Sequence[EpisodeEntry],
    made: set[str],
    item: ItemSource,
    *,
    now: datetime | None = None,
    manifest_of: Callable[[str], str] | None = None,
) -> Validated:
    """Validate the staged feed (raising BuildError on errors), or only its new part.

    When the channel is byte for byte the one the last build's feed was validated with
    (but for its lastBuildDate, which no item rule reads), by the same validator, the other
    items passed then, in this same context: validating the channel with the items rendered
    now says what validating everything would. (The rules across items, duplicate GUIDs
    and enclosure URLs, are the build's own checks before this; the feed's size is measured
    on the real file.) Errors are reported from a full validation, whose line numbers are
    the real file's. `now` is the build's clock, which the validator's dates are compared
    with. A finding inside an item is reported at the episode's manifest, `manifest_of(slug)`
    (at the line of the field that gave the element, where one did).
    """
    elsewhere = _hosted_elsewhere(ordered, entry.base)
    archive = channel.show.archive
    slugs = {e.guid: e.slug for e in ordered}

    def manifest(guid: str) -> str | None:
        slug = slugs.get(guid)
        return manifest_of(slug) if manifest_of is not None and slug is not None else None

    channel_sha = None
    if archive is None or len(ordered) <= archive.feed_items:  # one feed document, no pages
        # The channel as the items see it: without its lastBuildDate (the newest episode's
        # date), so adding a newer episode still validates only that episode's item.
        channel_sha = hashlib.sha256(
            b"".join(feed_frame(channel, datetime.fromisoformat(_EPOCH)))
        ).hexdigest()
    if (
        channel_sha is not None
        and entry.validator == validator
        and entry.channel_sha == channel_sha
        and len(made) * REVALIDATE_SHARE <= len(ordered)
    ):
        last = max(
            (datetime.fromisoformat(e.published) for e in ordered),
            default=datetime.fromisoformat(_EPOCH),
        )
        head, end = feed_frame(channel, last)
        items = [item(e) for e in ordered if e.slug in made]
        partial = b"".join([head, *items, end])
        size = (stage.root / FEED_FILE).stat().st_size  # (the whole feed's, not this part's)
        found = _findings(partial, FEED_FILE, stage.root, now, manifest, elsewhere, size=size)
        if not found.errors:
            return Validated(
                entry.validator,
                entry.channel_sha,
                found.channel,
                {e.guid: found.items.get(e.guid, []) for e in ordered if e.slug in made},
                full=False,
            )
    channel_warnings, item_warnings = _validate_staged(stage, now, manifest, elsewhere)
    return Validated(validator, channel_sha, channel_warnings, item_warnings)


# The manifest field that gives each element of a feed item (feed.writer writes them), to
# report a finding about the element at that field's line in episode.yaml.
ITEM_FIELDS = {
    "title": "title",
    "itunes:title": "title",
    "description": "summary",
    "itunes:summary": "summary",
    "itunes:subtitle": "summary",
    "content:encoded": "notes",
    "enclosure": "audio",
    "itunes:duration": "audio",
    "pubDate": "published",
    "guid": "guid",
    "itunes:episode": "episode",
    "podcast:episode": "episode",
    "itunes:season": "season",
    "podcast:season": "season",
    "itunes:episodeType": "episode_type",
    "itunes:explicit": "explicit",
    "itunes:image": "image",
    "podcast:chapters": "chapters",
    "podcast:transcript": "transcript",
    "podcast:soundbite": "soundbites",
    "podcast:location": "location",
    "podcast:alternateEnclosure": "alternates",
    "podcast:license": "license",
    "podcast:person": "credits",
}


@dataclass(eq=False)
class _Found:
    """What validating one feed document found: the errors' count and report lines, and the
    warnings about the channel (or the document) and about each item, by GUID."""

    errors: int = 0
    error_lines: str = ""
    channel: list[str] = field(default_factory=list)
    items: dict[str, list[str]] = field(default_factory=dict)


def _hosted_elsewhere(ordered: Sequence[EpisodeEntry], base: str) -> frozenset[str]:
    """The enclosure URLs that are not files of the output: remote audio, given by URL in the
    manifests. One may lie under base_url (a show imported from a feed whose media sat beside
    it, published where the old feed was): the output has no file there, and needs none."""
    return frozenset(
        e.enclosure
        for e in ordered
        if not any(
            kind == "media" and e.enclosure == f"{base}{e.slug}/{quote(name)}"
            for name, kind, _ in e.deps
        )
    )


def _findings(
    data: bytes,
    name: str,
    local_root: Path,
    now: datetime | None,
    manifest_of: Callable[[str], str | None],
    elsewhere: frozenset[str] = frozenset(),
    *,
    size: int | None = None,
) -> _Found:
    """What `stationcast validate` finds in one feed document, offline: its errors, and its
    warnings each at the episode manifest it comes from (or at `name`). `size`: the size of
    the feed `data` is a part of, which rss.feed.size is about then."""
    # (looked up when called: tests replace validate.validate_bytes)
    report = validate.validate_bytes(
        data, location=name, local_root=local_root, now=now, elsewhere=elsewhere
    )
    if size is not None:
        large = validate.size_finding(size)
        report.findings = [f for f in report.findings if f.rule.id != "rss.feed.size"]
        report.findings += [large] if large is not None else []
    found = _Found(errors=len(report.errors))
    wanted = [f for f in report.findings if f.rule.severity in ("error", "warning")]
    items = _item_lines(data) if wanted else []
    documents: dict[str, dict[str, tuple[int, int]]] = {}
    lines = []
    for finding in wanted:
        guid = None
        if finding.line is not None:
            guid = next((g for first, last, g in items if first <= finding.line <= last), None)
        manifest = manifest_of(guid) if guid is not None else None
        error = finding.rule.severity == "error"
        if manifest is None:
            text = report.describe(finding)
            if error:
                lines.append(f"\n  {text}")
            else:
                found.channel.append(text)
            continue
        assert guid is not None
        # the episode's own finding: at its manifest (and the line of the field, if any)
        where = _at_field(manifest, ITEM_FIELDS.get(finding.element or ""), documents)
        if error:
            lines.append(
                f"\n  {where}: {finding.rule.id}: {finding.message} ({name}:{finding.line})"
            )
        else:
            found.items.setdefault(guid, []).append(
                f"{where}: {finding.rule.id}: {finding.message}"
            )
    found.error_lines = "".join(lines)
    return found


def _at_field(
    manifest: str, name: str | None, documents: dict[str, dict[str, tuple[int, int]]]
) -> str:
    """`manifest:line:col: name` where the manifest has that top-level field, else `manifest`."""
    if name is None:
        return manifest
    if manifest not in documents:
        doc = read_document(Path(manifest), [])
        documents[manifest] = (
            {str(loc[0]): pos for loc, pos in doc.positions.items() if len(loc) == 1}
            if doc is not None
            else {}
        )
    position = documents[manifest].get(name)
    return f"{manifest}:{position[0]}:{position[1]}: {name}" if position else manifest


def _item_lines(data: bytes) -> list[tuple[int, int, str]]:
    """(first line, last line, GUID) of every <item> of a feed document the build wrote."""
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError:
        return []
    found = []
    items = root.findall("./channel/item")
    for i, element in enumerate(items):
        guid = element.findtext("guid")
        first = element.sourceline
        after = items[i + 1].sourceline if i + 1 < len(items) else None
        if guid and first is not None:
            found.append((first, after - 1 if after else 1 << 30, guid.strip()))
    return found


def _validate_staged(
    stage: Staging,
    now: datetime | None,
    manifest_of: Callable[[str], str | None],
    elsewhere: frozenset[str],
) -> tuple[list[str], dict[str, list[str]]]:
    """Run `stationcast validate` on the staged feed and its archive pages, offline; refuse a
    feed with errors. Returns the warnings: about the channels, and about each item by GUID."""
    lines = ""
    count = 0
    channel: list[str] = []
    items: dict[str, list[str]] = {}
    for name in [FEED_FILE, *sorted(p.name for p in stage.root.glob(ARCHIVE_PAGE.format("*")))]:
        data = (stage.root / name).read_bytes()
        found = _findings(data, name, stage.root, now, manifest_of, elsewhere)
        count += found.errors
        lines += found.error_lines
        channel += found.channel
        for guid, warnings in found.items.items():
            items.setdefault(guid, []).extend(warnings)
    if count:
        raise BuildError(
            f"the built feed fails validation ({count} error{'s' if count != 1 else ''}),"
            " so it was not"
            f" published and the previous output is untouched:{lines}"
        )
    return channel, items
