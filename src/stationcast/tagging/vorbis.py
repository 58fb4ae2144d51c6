"""Vorbis comments for Ogg Vorbis, Ogg Opus and FLAC, and the front-cover picture.

================================  ===================================  ========================
comment                           value                                notes
================================  ===================================  ========================
TITLE                             episode title
ARTIST                            hosts                                one comment per host
ALBUM                             show title
DATE                              published, UTC, yyyy-MM-ddTHH:mm:ssZ
GENRE                             Podcast
DESCRIPTION, COMMENT              summary
LYRICS                            transcript as plain text
COPYRIGHT                         show copyright                       only when show.yaml has one
ORGANIZATION                      station name                         the Vorbis spec's "label"
CONTACT                           episode page, {base_url}{slug}/
CHAPTERnnn, CHAPTERnnnNAME,       manifest chapters                    Xiph's chapter extension;
CHAPTERnnnURL                                                          only when the manifest
                                                                       lists chapters
METADATA_BLOCK_PICTURE (Ogg)      artwork as picture type 3            other picture types kept
PICTURE metadata block (FLAC)     artwork as picture type 3            other picture types kept
================================  ===================================  ========================

Comments are matched case-insensitively (as the Vorbis spec says) and written in upper case.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import mutagen.flac

from .base import GENRE, Cover, Field, Metadata, show_bytes, show_value

FRONT_COVER = 3
Picture: Any = mutagen.flac.Picture  # untyped in mutagen
_CHAPTER_KEY = re.compile(r"^chapter\d{3}(name|url)?$", re.IGNORECASE)


def fields(meta: Metadata, *, flac: bool) -> list[Field]:
    """The managed comments, in the order of the table above (and of --dry-run's output)."""
    out = [_comment("TITLE", (meta.title,))]
    if meta.artists:
        out.append(_comment("ARTIST", meta.artists))
    out += [
        _comment("ALBUM", (meta.album,)),
        _comment("DATE", (meta.utc.strftime("%Y-%m-%dT%H:%M:%SZ"),)),
        _comment("GENRE", (GENRE,)),
        _comment("DESCRIPTION", (meta.summary,)),
        _comment("COMMENT", (meta.summary,)),
    ]
    if meta.lyrics is not None:
        out.append(_comment("LYRICS", (meta.lyrics,)))
    if meta.copyright:
        out.append(_comment("COPYRIGHT", (meta.copyright,)))
    out += [
        _comment("ORGANIZATION", (meta.publisher,)),
        _comment("CONTACT", (meta.page_url,)),
    ]
    if meta.chapters is not None:
        out.append(_chapters(meta))
    if meta.cover is not None:
        out.append(_flac_picture(meta.cover) if flac else _ogg_picture(meta.cover))
    return out


def others(audio: Any, managed: list[Field], *, flac: bool) -> dict[str, str]:
    """Comments (and, in FLAC, picture blocks) no managed field owns, as comparable text,
    by comment name: rewriting one name moves its comments to the end, so only the order
    within a name counts."""
    grouped: dict[str, list[str]] = {}
    for key, value in audio.tags or []:
        if not any(f.owns(key, value) for f in managed):
            grouped.setdefault(key.upper(), []).append(value)
    out = {key: repr(values) for key, values in sorted(grouped.items())}
    if flac:
        owned = any(f.key == "PICTURE" for f in managed)
        pictures = [p for p in audio.pictures if not (owned and p.type == FRONT_COVER)]
        if pictures:
            out["PICTURE blocks"] = repr(
                [(p.type, p.mime, p.desc, bytes(p.data)) for p in pictures]
            )
    return out


def _comment(key: str, wanted: tuple[str, ...]) -> Field:
    def read(audio: Any) -> Any:
        tags = audio.tags
        if tags is None or key not in tags:
            return None
        return tuple(tags[key]) or None

    def write(audio: Any, value: Any) -> None:
        audio.tags[key] = list(value)

    return Field(key, wanted, read, write, owns=lambda k, v: k.upper() == key)


def _chapters(meta: Metadata) -> Field:
    assert meta.chapters is not None
    wanted: list[tuple[str, str]] = []
    for number, chapter in enumerate(meta.chapters, start=1):
        stem = f"CHAPTER{number:03d}"
        wanted.append((stem, _timestamp(chapter.start)))
        wanted.append((f"{stem}NAME", chapter.title))
        if chapter.url:
            wanted.append((f"{stem}URL", chapter.url))

    def read(audio: Any) -> Any:
        found = sorted((k.upper(), v) for k, v in (audio.tags or []) if _CHAPTER_KEY.match(k))
        return tuple(found) or None

    def write(audio: Any, value: Any) -> None:
        tags = audio.tags
        for key in {k for k, _ in tags if _CHAPTER_KEY.match(k)}:
            del tags[key]
        for key, text in value:
            tags[key] = [text]

    def show(value: Any) -> str:
        if not value:
            return "(none)"
        names = dict(value)
        starts = [(k, v) for k, v in value if re.fullmatch(r"CHAPTER\d{3}", k)]
        parts = [f"{v} {show_value(names.get(k + 'NAME', ''))}" for k, v in starts]
        if len(parts) > 4:
            parts = [*parts[:3], "…"]
        noun = "chapter" if len(starts) == 1 else "chapters"
        return f"{len(starts)} {noun}: " + ", ".join(parts)

    return Field(
        "CHAPTERnnn",
        tuple(sorted(wanted)),
        read,
        write,
        show,
        owns=lambda k, v: bool(_CHAPTER_KEY.match(k)),
    )


def _timestamp(seconds: float) -> str:
    """HH:MM:SS.mmm, as the chapter extension writes times."""
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _picture(cover: Cover) -> Any:
    picture = Picture()
    picture.type = FRONT_COVER
    picture.mime = cover.mime
    picture.desc = ""
    picture.width, picture.height, picture.depth = cover.width, cover.height, cover.depth
    picture.colors = 0  # 0: not an indexed-colour image
    picture.data = cover.data
    return picture


def _decode(value: str) -> Any | None:
    try:
        return Picture(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):  # not base64
        return None
    except Exception:  # noqa: BLE001 - mutagen lets struct/index errors escape on bad blocks
        return None


def _show_pictures(value: Any) -> str:
    if not value:
        return "(none)"
    return "; ".join(show_bytes(data, f"{mime} front cover") for mime, data in value)


def _ogg_picture(cover: Cover) -> Field:
    key = "METADATA_BLOCK_PICTURE"

    def is_front(value: str) -> bool:
        picture = _decode(value)
        return picture is not None and picture.type == FRONT_COVER

    def read(audio: Any) -> Any:
        tags = audio.tags
        values = tags[key] if tags is not None and key in tags else []
        fronts = [p for p in (_decode(v) for v in values) if p is not None and p.type == 3]
        return tuple((p.mime, bytes(p.data)) for p in fronts) or None

    def write(audio: Any, value: Any) -> None:
        tags = audio.tags
        kept = [v for v in (tags.get(key, [])) if not is_front(v)]
        encoded = base64.b64encode(_picture(cover).write()).decode("ascii")
        tags[key] = [*kept, encoded]

    return Field(
        key,
        ((cover.mime, cover.data),),
        read,
        write,
        _show_pictures,
        owns=lambda k, v: k.upper() == key and is_front(v),
    )


def _flac_picture(cover: Cover) -> Field:
    def read(audio: Any) -> Any:
        fronts = [p for p in audio.pictures if p.type == FRONT_COVER]
        return tuple((p.mime, bytes(p.data)) for p in fronts) or None

    def write(audio: Any, value: Any) -> None:
        kept = [p for p in audio.pictures if p.type != FRONT_COVER]
        audio.clear_pictures()
        for picture in [*kept, _picture(cover)]:
            audio.add_picture(picture)

    return Field("PICTURE", ((cover.mime, cover.data),), read, write, _show_pictures)
