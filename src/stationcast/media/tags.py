"""Chapters and cover art from the tag formats that several containers carry: ID3v2
(MP3, WAV) and Vorbis comments (Ogg Vorbis, Opus, FLAC)."""

from __future__ import annotations

import re
from typing import Any

from mutagen.id3 import CTOCFlags

from stationcast.media.info import Chapter


def id3_chapters(tags: Any) -> tuple[Chapter, ...]:
    """ID3v2 CHAP frames, in the top-level CTOC's order when it is marked ordered."""
    if tags is None:
        return ()
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    if not chaps:
        return ()
    tocs = tags.getall("CTOC")
    top = next((t for t in tocs if t.flags & CTOCFlags.TOP_LEVEL), None)
    if top is not None and any(i in chaps for i in top.child_element_ids):
        chosen = [chaps[i] for i in top.child_element_ids if i in chaps]
        if not top.flags & CTOCFlags.ORDERED:
            chosen.sort(key=lambda f: f.start_time)
    else:
        chosen = sorted(chaps.values(), key=lambda f: f.start_time)
    return tuple(_id3_chapter(frame) for frame in chosen)


def _id3_chapter(frame: Any) -> Chapter:
    sub = frame.sub_frames
    titles = sub.getall("TIT2") if sub is not None else []
    title = " ".join(str(t) for t in titles).strip() or str(frame.element_id)
    urls = [f.url for key, f in (sub.items() if sub is not None else []) if key.startswith("W")]
    start, end = frame.start_time / 1000, frame.end_time / 1000
    return Chapter(
        start=start, end=end if end > start else None, title=title, url=urls[0] if urls else None
    )


def id3_has_cover(tags: Any) -> bool:
    """Whether the ID3v2 tag holds a picture (an APIC frame)."""
    return tags is not None and bool(tags.getall("APIC"))


_VORBIS_CHAPTER = re.compile(r"^chapter(\d{3})$")
_CHAPTER_TIME = re.compile(r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def vorbis_chapters(tags: Any, duration: float) -> tuple[Chapter, ...]:
    """CHAPTERnnn=HH:MM:SS.sss / CHAPTERnnnNAME / CHAPTERnnnURL Vorbis comments."""
    if tags is None:
        return ()
    found: list[tuple[float, str, str | None]] = []
    for key in sorted(tags.keys()):
        match = _VORBIS_CHAPTER.match(key)
        time = _CHAPTER_TIME.match(tags[key][0]) if match else None
        if match and time:
            h, m, s = time.groups()
            name = tags.get(f"{key}name", [f"Chapter {int(match.group(1))}"])[0]
            url = tags.get(f"{key}url", [None])[0]
            found.append((int(h) * 3600 + int(m) * 60 + float(s), name, url))
    if not found:
        return ()
    found.sort(key=lambda c: c[0])
    ends = [c[0] for c in found[1:]] + [duration]
    return tuple(
        Chapter(start=s, end=e, title=t, url=u) for (s, t, u), e in zip(found, ends, strict=True)
    )


def vorbis_has_cover(tags: Any) -> bool:
    """Whether the Vorbis comments hold a picture (METADATA_BLOCK_PICTURE or COVERART)."""
    return tags is not None and any(k in tags for k in ("metadata_block_picture", "coverart"))
