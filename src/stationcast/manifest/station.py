"""station.yaml read, and what a show of the station inherits from it (see
stationcast.station for the layout)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stationcast.errors import Problem
from stationcast.spec.xml import UUID
from stationcast.station import (
    FEED_FILE,
    PUBLISHER_FILE,
    SHOW_FILE,
    STATION_FILE,
    show_folders,
    station_of,
)


@dataclass(frozen=True)
class Sister:
    """Another show of the station, as a podroll names it."""

    folder: str
    feed_guid: str
    feed_url: str
    title: str | None


def load_station(station: Path, problems: list[Problem]) -> Any:
    """station.yaml as (StationFile, its document), or None with its problems appended."""
    from stationcast.manifest import _validate, read_document
    from stationcast.models import StationFile

    doc = read_document(station / STATION_FILE, problems, station)
    if doc is None:
        return None
    model = _validate(StationFile, doc, problems)
    if model is None:
        return None
    return model, doc


#: sisters() of a station, by the stat of every show.yaml: a station build reads each show,
#: and each show's podroll names all the others, so without it every show.yaml is parsed
#: once per show.
_SISTERS: dict[tuple[Any, ...], list[Sister]] = {}


def sisters(station: Path, base_url: str | None) -> list[Sister]:
    """Every show of the station whose show.yaml gives a podcast:guid, with its feed URL.
    A sister's other problems are its own build's to report."""
    folders = show_folders(station)
    key: tuple[Any, ...] = (str(station.resolve()), base_url)
    for folder in folders:
        info = os.lstat(folder / SHOW_FILE)
        key += (folder.name, info.st_size, info.st_mtime_ns, info.st_ino)
    if key not in _SISTERS:
        _SISTERS.clear()  # (one station at a time)
        _SISTERS[key] = _read_sisters(station, folders, base_url)
    return _SISTERS[key]


def _read_sisters(station: Path, folders: list[Path], base_url: str | None) -> list[Sister]:
    from stationcast.manifest import read_document
    from stationcast.models.values import check_base_url

    found = []
    for folder in folders:
        doc = read_document(folder / SHOW_FILE, [], station)
        data = doc.data if doc is not None else {}
        guid = data.get("podcast_guid")
        if not isinstance(guid, str) or not UUID.fullmatch(guid.strip()):
            continue
        base = data.get("base_url")
        try:
            if isinstance(base, str):
                base = check_base_url(base)
            elif base_url is not None:
                base = f"{base_url}{folder.name}/"
            else:
                continue
        except ValueError:
            continue
        title = data.get("title")
        found.append(
            Sister(
                folder.name,
                guid.strip().lower(),
                base + FEED_FILE,
                title if isinstance(title, str) else None,
            )
        )
    return found


def inherit(show_root: Path, show_doc: Any, problems: list[Problem]) -> Any:
    """`show_doc` (show.yaml's document) with what the show inherits from its station
    folder's station.yaml, or `show_doc` itself when it has none. None when station.yaml
    has problems (appended)."""
    station = station_of(show_root)
    if station is None:
        return show_doc
    loaded = load_station(station, problems)
    if loaded is None:
        return None
    model, station_doc = loaded
    return merged(show_doc, station_doc, model, show_root.name, sisters_of(station, model))


def sisters_of(station: Path, model: Any) -> list[Sister]:
    return sisters(station, model.base_url) if model.podroll else []


def merged(
    show_doc: Any, station_doc: Any, model: Any, folder: str, sister_shows: list[Sister]
) -> Any:
    """The show's document with the station's values put in, and their positions."""
    from stationcast.manifest import _Document
    from stationcast.models import Station
    from stationcast.spec.podcast import is_https

    data: dict[str, Any] = dict(show_doc.data)
    doc = _Document(show_doc.file, data, dict(show_doc.positions), dict(show_doc.keys))
    source = station_doc.data

    def borrow(there: tuple[Any, ...], here: tuple[Any, ...]) -> None:
        for table, into in ((station_doc.positions, doc.positions), (station_doc.keys, doc.keys)):
            for path, pos in table.items():
                if path[: len(there)] == there:
                    into[(*here, *path[len(there) :])] = pos
        doc.origins[here] = (station_doc.file, there)

    defaults = source.get("shows") or {}
    for key, value in defaults.items():
        if key not in data:
            data[key] = value
            borrow(("shows", key), (key,))
    own = data.get("station")
    if own is None or isinstance(own, dict):
        block = dict(own or {})
        for key in Station.model_fields:
            if key in source and key not in block:
                block[key] = source[key]
                borrow((key,), ("station", key))
        data["station"] = block
        if own is None:
            doc.positions[("station",)] = station_doc.positions.get((), (1, 1))
            doc.origins.setdefault(("station",), (station_doc.file, ()))
    if "base_url" not in data and model.base_url is not None:
        data["base_url"] = f"{model.base_url}{folder}/"
        borrow(("base_url",), ("base_url",))
    if sister_shows and (data.get("podroll") is None or isinstance(data.get("podroll"), list)):
        roll = list(data.get("podroll") or [])
        named = {str(r.get("feed_guid", "")).strip().lower() for r in roll if isinstance(r, dict)}
        own_guid = str(data.get("podcast_guid", "")).strip().lower()
        for sister in sister_shows:
            if sister.folder == folder or sister.feed_guid in named or sister.feed_guid == own_guid:
                continue
            entry: dict[str, Any] = {"feed_guid": sister.feed_guid, "medium": "podcast"}
            if is_https(sister.feed_url):
                entry["feed_url"] = sister.feed_url
            if sister.title:
                entry["title"] = sister.title
            doc.origins[("podroll", len(roll))] = (station_doc.file, ("podroll",))
            doc.positions[("podroll", len(roll))] = station_doc.positions.get(("podroll",), (1, 1))
            roll.append(entry)
        data["podroll"] = roll
    if model.publisher is not None and "publisher" not in data:
        link: dict[str, Any] = {"feed_guid": model.publisher.podcast_guid}
        if model.base_url is not None and is_https(model.base_url):
            link["feed_url"] = model.base_url + PUBLISHER_FILE
        data["publisher"] = link
        borrow(("publisher",), ("publisher",))
    return doc
