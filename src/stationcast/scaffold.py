"""`stationcast init` starts a show; `stationcast new` scaffolds an episode (a permanent GUID)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from stationcast.errors import StationcastError, display_path
from stationcast.manifest import EPISODE_FILE, SHOW_FILE, check_slug, read_document
from stationcast.manifest.write import (
    Block,
    Comment,
    Draft,
    Entry,
    ManifestText,
    Todo,
    manifest_text,
    refusal,
)
from stationcast.models import Episode, Show, Station
from stationcast.models.schema import MODELS, SCHEMA_FOLDER, schema_line, schema_text
from stationcast.models.values import check_base_url, parse_local_datetime, zone_of
from stationcast.spec.podcast import podcast_guid


def slugify(title: str, max_length: int = 60) -> str:
    """A title as an episode folder name (a slug).

    `Report Compiles Stories Of Islamic State Defectors` ->
    `report-compiles-stories-of-islamic-state-defectors`.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "episode"


def new_episode(
    episodes: Path,
    title: str,
    *,
    slug: str | None = None,
    published: str | None = None,
    transcript: Path | None = None,
) -> Path:
    """Create `episodes/<slug>/episode.yaml`; return its path. Never overwrites.

    `transcript`: a station transcript to start from, copied in as transcript.txt; the credits
    are read from it as `import page` reads them (speaker labels, and what the text says about
    who is the host and who the guest), each unsure field marked TODO.
    """
    reason = refusal(Episode, "title", title)
    if reason:
        raise StationcastError(f"the title {reason}")
    if not (episodes / "show.yaml").is_file():
        raise StationcastError(
            f"{episodes}/show.yaml not found; run this in a show's folder or pass --episodes"
        )
    slug = slug or slugify(title)
    reason = check_slug(slug)
    if reason:
        raise StationcastError(f"--slug {slug!r}: {reason}")
    folder = episodes / slug
    manifest = folder / EPISODE_FILE
    if folder.exists():
        raise StationcastError(f"{folder} already exists; choose another --slug")
    zone = _station_zone(episodes)
    if published is None:
        when = (datetime.now(zone) if zone else datetime.now().astimezone()).replace(microsecond=0)
    else:
        try:
            when = parse_local_datetime(published, zone)
        except ValueError as exc:
            raise StationcastError(f"--date: {exc}") from None
    pasted = _pasted(transcript) if transcript is not None else None
    folder.mkdir(parents=True)
    schema = (episodes / SCHEMA_FOLDER / "episode.json").is_file()
    text = _scaffold(title.strip(), when, schema=schema, pasted=pasted)
    if pasted is not None:
        (folder / "transcript.txt").write_text(pasted[0], encoding="utf-8")
    manifest.write_text(text.text, encoding="utf-8")
    return manifest


def _station_zone(episodes: Path) -> tzinfo | None:
    """show.yaml's station.timezone, for a --date without a UTC offset (None when it names
    none, or none the build would take: the build reports that)."""
    doc = read_document(episodes / "show.yaml", [], episodes)
    station = doc.data.get("station") if doc is not None else None
    name = station.get("timezone") if isinstance(station, dict) else None
    try:
        return zone_of(name) if isinstance(name, str) else None
    except ValueError:
        return None


def _pasted(path: Path) -> tuple[str, list[Block], str]:
    """A pasted transcript: its text, the credits `import page` infers from it, its credit."""
    from stationcast.importers.page import credit_block
    from stationcast.importers.people import find_cast
    from stationcast.inputs import TRANSCRIPT, Refused, read_input
    from stationcast.transcripts import parse_station_text

    shown = display_path(path)
    try:
        data = read_input(path, TRANSCRIPT)
    except Refused as exc:
        raise StationcastError(f"--transcript {shown}: {exc.message}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StationcastError(
            f"--transcript {shown}: is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    transcript = parse_station_text(text, source=shown)  # InputError: located problems
    cast = find_cast(transcript, [s.text for s in transcript.segments])
    return text, [credit_block(p) for p in cast.people], transcript.credit or ""


def write_schemas(episodes: Path) -> list[Path]:
    """Write the manifests' JSON Schemas into `episodes/.schema/` (see models.schema)."""
    folder = episodes / SCHEMA_FOLDER
    folder.mkdir(exist_ok=True)
    written = []
    for name in MODELS:
        path = folder / f"{name}.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


def _scaffold(
    title: str,
    when: datetime,
    *,
    schema: bool = False,
    pasted: tuple[str, list[Block], str] | None = None,
) -> ManifestText:
    """The new episode's manifest: a draft whose summary and host's name are left to fill in;
    with `schema`, its first line points editors at the show's episode schema; with `pasted`,
    the credits and transcript credit read from a transcript."""
    host = Block([Entry("name", "", placeholder=True), Entry("role", "host"), Entry("speaker", [])])
    credits = pasted[1] if pasted is not None and pasted[1] else [host]
    credit = pasted[2] if pasted is not None else ""
    return manifest_text(
        Episode,
        [
            Entry("title", title),
            Entry(
                "guid",
                str(uuid.uuid4()),
                comment="Permanent: podcast apps identify the episode by its GUID."
                " Never change it.",
            ),
            Entry("published", when),
            Entry("summary", "", placeholder=True),
            Entry("audio", "audio.mp3"),
            Entry("transcript", {"file": "transcript.txt", "credit": credit}),
            Entry("credits", credits),
        ],
        header=[schema_line("episode", depth=1)] if schema else [],
        draft=Draft("Created by `stationcast new`. Build skips this episode while draft is true."),
    )


#: The mark of what `stationcast init` leaves for the producer.
INIT_TODO = "TODO(init)"
#: The show folder `init` makes inside DIR: where build, new and serve look by default.
SHOW_FOLDER = "episodes"
#: The first episode `init` writes, a draft.
FIRST_EPISODE = "First episode"


@dataclass(frozen=True)
class Started:
    """What `init_show` wrote: the show's manifest, its TODOs, and the first episode's manifest."""

    show: Path
    todos: tuple[Todo, ...]
    episode: Path


def init_show(
    root: Path, *, title: str, station: str, base_url: str, language: str = "en-us"
) -> Started:
    """Start a show in `root`: `root/episodes/show.yaml` (commented, with the podcast:guid
    computed from the feed URL) and a first draft episode. Never overwrites anything."""
    for model, name, flag, value in (
        (Show, "title", "--title", title),
        (Station, "name", "--station", station),
        (Show, "base_url", "--base-url", base_url),
        (Show, "language", "--language", language),
    ):
        reason = refusal(model, name, value)
        if reason:
            raise StationcastError(f"{flag} {value!r}: {reason}")
    base = check_base_url(base_url.strip())
    episodes = root / SHOW_FOLDER
    manifest = episodes / SHOW_FILE
    if manifest.exists():
        raise StationcastError(
            f"{display_path(manifest)} already exists; this folder already holds a show"
        )
    text = _show_scaffold(title.strip(), station.strip(), base, language.strip())
    try:
        episodes.mkdir(parents=True, exist_ok=True)
        write_schemas(episodes)
        manifest.write_text(text.text, encoding="utf-8")
    except OSError as exc:
        raise StationcastError(
            f"cannot write {display_path(manifest)}: {exc.strerror or exc}"
        ) from None
    episode = new_episode(episodes, FIRST_EPISODE)
    return Started(manifest, text.todos, episode)


def _show_scaffold(title: str, station: str, base: str, language: str) -> ManifestText:
    from stationcast.build.show import FEED_FILE  # the build's name for it; loaded only here

    feed_url = base + FEED_FILE
    station_block = Block(
        [
            Entry("name", station),
            Comment(
                "Optional, shown on every transcript page: slogan, address: {street, locality,"
                " region, postal_code, country}, phones: [...], email, website, live_stream,"
                " donate (podcast:funding), geo (podcast:location). See docs/feed.md."
            ),
        ]
    )
    return manifest_text(
        Show,
        [
            Entry("title", title),
            Entry(
                "description",
                "",
                todo="describe the show in a sentence or two (apps show it under the title)",
            ),
            Entry("language", language, comment="ISO 639, with a region if you like"),
            Entry(
                "base_url",
                base,
                comment="Where the contents of feeds/ will be published."
                " `stationcast build --base-url URL` overrides it.",
            ),
            Entry(
                "podcast_guid",
                podcast_guid(feed_url),
                comment="The show's permanent Podcasting 2.0 identity (podcast:guid), computed"
                f" once from the feed URL {feed_url}. It stays the same even if the feed moves."
                " Never change it.",
            ),
            Entry(
                "copyright",
                station,
                comment="The holder's name; PSP-1 suggests leaving out the year and ©.",
            ),
            Entry(
                "artwork",
                "artwork.jpg",
                todo="put the show's artwork in this folder as artwork.jpg (or change the name):"
                " a square JPEG or PNG, 1400 to 3000 pixels a side, RGB",
            ),
            Entry("explicit", False),
            Entry(
                "categories",
                [],
                todo="add at least one Apple Podcasts category, spelled exactly, the first"
                " primary: `categories: [News > Daily News]`, say",
            ),
            Entry("station", station_block, comment="The station; every episode inherits it."),
        ],
        header=[
            schema_line("show", depth=0),
            "The show and the station behind it, written by `stationcast init`. More fields"
            " (owner, hosts, license, subscribe links...) are in docs/feed.md.",
        ],
        mark=INIT_TODO,
    )
