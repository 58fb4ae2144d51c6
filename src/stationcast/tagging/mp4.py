"""iTunes-style MP4 metadata atoms for M4A audio (and MP4/M4V video enclosures).

=====  =====================================  =============================================
atom   value                                  notes
=====  =====================================  =============================================
©nam   episode title
©ART   hosts, joined with ", "                players show only the first of several values
©alb   show title
©day   published, UTC, yyyy-MM-ddTHH:mm:ssZ   what iTunes writes
©gen   Podcast
desc   summary                                Apple's description atom
©cmt   summary
©lyr   transcript as plain text
cprt   show copyright                         only when show.yaml has one
covr   artwork (first cover)                  further covers are kept
pcst   true                                   iTunes podcast flag
purl   feed URL                               iTunes podcast URL
egid   episode guid                           iTunes episode global id
stik   21                                     media kind "Podcast"
=====  =====================================  =============================================

Chapters are not written: mutagen reads Nero ``chpl`` chapters but cannot write them, and
QuickTime chapter tracks are media, not tags. The file's own chapters are kept.
"""

from __future__ import annotations

from typing import Any

import mutagen.mp4

from .base import GENRE, Field, Metadata, show_bytes

_PODCAST_MEDIA_KIND = 21
MP4Cover: Any = mutagen.mp4.MP4Cover  # untyped in mutagen


def fields(meta: Metadata) -> list[Field]:
    """The managed atoms, in the order of the table above (and of --dry-run's output)."""
    out = [_atom("©nam", (meta.title,))]
    if meta.artists:
        out.append(_atom("©ART", (", ".join(meta.artists),)))
    out += [
        _atom("©alb", (meta.album,)),
        _atom("©day", (meta.utc.strftime("%Y-%m-%dT%H:%M:%SZ"),)),
        _atom("©gen", (GENRE,)),
        _atom("desc", (meta.summary,)),
        _atom("©cmt", (meta.summary,)),
    ]
    if meta.lyrics is not None:
        out.append(_atom("©lyr", (meta.lyrics,)))
    if meta.copyright:
        out.append(_atom("cprt", (meta.copyright,)))
    if meta.cover is not None:
        kind = MP4Cover.FORMAT_PNG if meta.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        out.append(_covr(kind, meta.cover.data))
    return [
        *out,
        _flag(),
        _atom("purl", (meta.feed_url,)),
        _atom("egid", (meta.guid,)),
        _atom("stik", (_PODCAST_MEDIA_KIND,)),
    ]


def others(tags: Any, managed: list[Field]) -> dict[str, str]:
    """Atoms no managed field owns (and covers after the first), as comparable text."""
    out: dict[str, str] = {}
    for key, value in sorted(tags.items()):
        if key == "covr" and any(f.key == "covr" for f in managed):
            value = [(c.imageformat, bytes(c)) for c in value[1:]]
            if not value:
                continue
        elif any(f.owns(key, value) for f in managed):
            continue
        out[key] = repr(value)
    return out


def _atom(key: str, wanted: tuple[Any, ...]) -> Field:
    def read(tags: Any) -> Any:
        value = tags.get(key)
        return tuple(value) if value else None

    def write(tags: Any, value: Any) -> None:
        tags[key] = list(value)

    return Field(key, wanted, read, write, owns=lambda k, v: k == key)


def _flag() -> Field:
    def read(tags: Any) -> Any:
        return tags.get("pcst")

    def write(tags: Any, value: Any) -> None:
        tags["pcst"] = value

    return Field("pcst", True, read, write, owns=lambda k, v: k == "pcst")


def _covr(kind: int, data: bytes) -> Field:
    def read(tags: Any) -> Any:
        covers = tags.get("covr")
        return (_format(covers[0].imageformat), bytes(covers[0])) if covers else None

    def write(tags: Any, value: Any) -> None:
        rest = list(tags.get("covr") or [])[1:]
        tags["covr"] = [MP4Cover(data, imageformat=kind), *rest]

    def show(value: Any) -> str:
        return "(none)" if value is None else show_bytes(value[1], f"{value[0]} cover")

    return Field("covr", (_format(kind), data), read, write, show, owns=lambda k, v: k == "covr")


def _format(kind: int) -> str:
    return {MP4Cover.FORMAT_PNG: "image/png", MP4Cover.FORMAT_JPEG: "image/jpeg"}.get(
        kind, f"format {kind}"
    )
