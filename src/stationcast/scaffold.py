"""`stationcast new`: scaffold an episode folder with a permanent GUID."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime, tzinfo
from pathlib import Path

from stationcast.errors import StationcastError
from stationcast.manifest import EPISODE_FILE, check_slug, read_document
from stationcast.manifest.write import Block, Draft, Entry, ManifestText, manifest_text, refusal
from stationcast.models import Episode
from stationcast.models.values import parse_local_datetime, zone_of


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
    episodes: Path, title: str, *, slug: str | None = None, published: str | None = None
) -> Path:
    """Create `episodes/<slug>/episode.yaml`; return its path. Never overwrites."""
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
    folder.mkdir(parents=True)
    manifest.write_text(_scaffold(title.strip(), when).text, encoding="utf-8")
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


def _scaffold(title: str, when: datetime) -> ManifestText:
    """The new episode's manifest: a draft whose summary and host's name are left to fill in."""
    host = Block([Entry("name", "", placeholder=True), Entry("role", "host"), Entry("speaker", [])])
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
            Entry("transcript", {"file": "transcript.txt", "credit": ""}),
            Entry("credits", [host]),
        ],
        draft=Draft("Created by `stationcast new`. Build skips this episode while draft is true."),
    )
