"""A station folder: `station.yaml` at the root, one sub-folder per show.

    station/
      station.yaml          the station block, the station's page, defaults for its shows
      morning-edition/      a show folder, as a single show's episodes/ folder is
        show.yaml
        <episode>/episode.yaml
      the-state-of-things/
        show.yaml
        ...

A show folder whose parent holds station.yaml inherits from it, whichever command reads
it (build, validate, tag, align, serve): the station's fields become the show's `station:`
block (a field the show's own `station:` block gives wins, as an episode's does over the
show), the `shows:` mapping gives every show.yaml field a show leaves out, and a show
without a `base_url` is published at `<station base_url><folder>/`. With `podroll: true`,
each show's podcast:podroll recommends its sister shows; with `publisher:`, each show's
podcast:publisher names the station's publisher feed.

A problem in an inherited value is reported at its line in station.yaml.
"""

from __future__ import annotations

import os
from pathlib import Path

STATION_FILE = "station.yaml"
SHOW_FILE = "show.yaml"
FEED_FILE = "feed.xml"
#: The publisher feed's file name in the station's output root.
PUBLISHER_FILE = "publisher.xml"


def station_of(show_root: Path) -> Path | None:
    """The station folder the show folder `show_root` is in: its parent, when that holds
    station.yaml (a single show's folder has none beside it)."""
    parent = show_root.parent
    return parent if os.path.lexists(parent / STATION_FILE) else None


def is_station(root: Path) -> bool:
    """`root` is a station folder: it has station.yaml."""
    return os.path.lexists(root / STATION_FILE)


def show_folders(station: Path) -> list[Path]:
    """The station's show folders: its sub-folders with a show.yaml, by name."""
    found = []
    with os.scandir(station) as entries:
        for entry in entries:
            if entry.name.startswith((".", "_")) or not entry.is_dir(follow_symlinks=False):
                continue
            if os.path.lexists(os.path.join(entry.path, SHOW_FILE)):
                found.append(station / entry.name)
    return sorted(found, key=lambda p: p.name)


def station_inputs(show_root: Path) -> list[bytes]:
    """What a show inherits, as bytes for the build cache's key of its global inputs:
    station.yaml, and (when it may make a podroll or publisher link of them) the sister
    shows' show.yaml files. Read without parsing: a build with nothing changed parses no
    YAML. The sisters are included whenever station.yaml mentions `podroll` at all: a key
    that changes more often than needed costs a rebuild, never a stale one."""
    station = station_of(show_root)
    if station is None:
        return []
    from stationcast.inputs import MANIFEST, Refused, read_input

    try:
        own = read_input(station / STATION_FILE, MANIFEST, root=station)
    except Refused:
        return [b"\0unreadable station.yaml"]
    parts = [own]
    if b"podroll" in own:
        for folder in show_folders(station):
            try:
                parts.append(folder.name.encode() + b"\0" + _read(folder / SHOW_FILE, station))
            except Refused:
                parts.append(folder.name.encode() + b"\0unreadable")
    return parts


def _read(path: Path, root: Path) -> bytes:
    from stationcast.inputs import MANIFEST, read_input

    return read_input(path, MANIFEST, root=root)
