"""ID3v2.4 frames for MP3 (and the ID3 chunk of WAV files).

============  =====================================  ===========================================
frame         value                                  notes
============  =====================================  ===========================================
TIT2          episode title
TPE1          hosts                                  one value per host (ID3v2.4 multi-value)
TALB          show title
TDRC          published, UTC, yyyy-MM-ddTHH:mm:ss    ID3 timestamps carry no offset
TCON          Podcast
COMM          summary                                description "", language from show.yaml
USLT          transcript as plain text               description "", same language
TCOP          show copyright                         only when show.yaml has one
TPUB          station name
WOAS          episode page, {base_url}{slug}/
APIC          artwork, picture type 3 (front cover)  other picture types are kept
CHAP + CTOC   manifest chapters                      only when the manifest lists chapters;
                                                     otherwise the file's own are kept; CHAP
                                                     frames are stored in start-time order
PCST          1 (iTunes podcast flag)
TGID          episode guid                           iTunes podcast identifier
TDES          summary                                iTunes podcast description
WFED          feed URL, {base_url}feed.xml           iTunes podcast feed
============  =====================================  ===========================================

TDTG (tagging time) is never written: it would make two runs differ.
"""

from __future__ import annotations

import re
import struct
from typing import IO, Any

import mutagen.id3
from mutagen.id3 import CTOCFlags, ID3TimeStamp

from .base import GENRE, Field, Metadata, clock, show_bytes, show_value

FRONT_COVER = 3
_UTF8 = 3
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time
_F: Any = mutagen.id3  # the frame classes; mutagen ships them untyped

# ISO 639-1 (what show.yaml holds) -> ISO 639-2 (what COMM and USLT carry). Others: "XXX",
# the ID3v2.4 spelling of "language unknown".
_LANGUAGES = {
    "ar": "ara", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "fa": "fas", "fi": "fin", "fr": "fra", "he": "heb", "hi": "hin", "hu": "hun", "id": "ind",
    "it": "ita", "ja": "jpn", "ko": "kor", "nl": "nld", "no": "nor", "nb": "nob", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sv": "swe", "sw": "swa", "th": "tha", "tr": "tur",
    "uk": "ukr", "vi": "vie", "zh": "zho",
}  # fmt: skip


def id3_language(code: str) -> str:
    primary = code.split("-")[0].lower()
    if len(primary) == 3 and primary.isalpha():
        return primary
    return _LANGUAGES.get(primary, "XXX")


def fields(meta: Metadata) -> list[Field]:
    """The managed frames, in the order of the table above (and of --dry-run's output)."""
    lang = id3_language(meta.language)
    out = [_text("TIT2", _F.TIT2, (meta.title,))]
    if meta.artists:
        out.append(_text("TPE1", _F.TPE1, meta.artists))
    out += [
        _text("TALB", _F.TALB, (meta.album,)),
        _text("TDRC", _F.TDRC, (meta.utc.strftime("%Y-%m-%dT%H:%M:%S"),)),
        _text("TCON", _F.TCON, (GENRE,)),
        _comm(lang, meta.summary),
    ]
    if meta.lyrics is not None:
        out.append(_uslt(lang, meta.lyrics))
    if meta.copyright:
        out.append(_text("TCOP", _F.TCOP, (meta.copyright,)))
    out += [_text("TPUB", _F.TPUB, (meta.publisher,)), _url("WOAS", _F.WOAS, meta.page_url)]
    if meta.cover is not None:
        out.append(_apic(meta.cover.mime, meta.cover.data))
    if meta.chapters is not None:
        out.append(_chapters(meta))
    return [
        *out,
        _pcst(),
        _text("TGID", _F.TGID, (meta.guid,)),
        _text("TDES", _F.TDES, (meta.summary,)),
        _url("WFED", _F.WFED, meta.feed_url),
    ]


def others(tags: Any, managed: list[Field]) -> dict[str, str]:
    """Frames no managed field owns, as comparable text (they must survive a write)."""
    return {
        key: repr(frame)
        for key, frame in sorted(tags.items())
        if not any(f.owns(key, frame) for f in managed)
    }


# --------------------------------------------------------------------------------------------


def _text(key: str, kind: Any, wanted: tuple[str, ...]) -> Field:
    def read(tags: Any) -> Any:
        frames = tags.getall(key)
        return tuple(_as_text(t) for f in frames for t in f.text) if frames else None

    def write(tags: Any, value: Any) -> None:
        tags.setall(key, [kind(encoding=_UTF8, text=list(value))])

    return Field(key, wanted, read, write, owns=lambda k, v: k == key)


def _as_text(value: Any) -> str:
    """A text frame's value; timestamps as the file stores them (mutagen shows a space where
    ID3v2.4 and its own writer put the T: 2015-09-22T21:35:00)."""
    if isinstance(value, ID3TimeStamp):
        return str(value).replace(" ", "T")
    return str(value)


def _url(key: str, kind: Any, wanted: str) -> Field:
    def read(tags: Any) -> Any:
        frames = tags.getall(key)
        return frames[0].url if frames else None

    def write(tags: Any, value: Any) -> None:
        tags.setall(key, [kind(url=value)])

    return Field(key, wanted, read, write, owns=lambda k, v: k == key)


def _comm(lang: str, text: str) -> Field:
    key = f"COMM::{lang}"

    def read(tags: Any) -> Any:
        frames = tags.getall(key)
        return "\n".join(str(t) for t in frames[0].text) if frames else None

    def write(tags: Any, value: Any) -> None:
        tags.setall(key, [_F.COMM(encoding=_UTF8, lang=lang, desc="", text=[value])])

    return Field(key, text, read, write, owns=lambda k, v: k == key)


def _uslt(lang: str, text: str) -> Field:
    key = f"USLT::{lang}"

    def read(tags: Any) -> Any:
        frames = tags.getall(key)
        return str(frames[0].text) if frames else None

    def write(tags: Any, value: Any) -> None:
        tags.setall(key, [_F.USLT(encoding=_UTF8, lang=lang, desc="", text=value)])

    return Field(key, text, read, write, owns=lambda k, v: k == key)


def _pcst() -> Field:
    def read(tags: Any) -> Any:
        frames = tags.getall("PCST")
        return int(frames[0].value) if frames else None

    def write(tags: Any, value: Any) -> None:
        tags.setall("PCST", [_F.PCST(value=value)])

    return Field("PCST", 1, read, write, owns=lambda k, v: k == "PCST")


def _fronts(tags: Any) -> list[Any]:
    return [f for f in tags.getall("APIC") if f.type == FRONT_COVER]


def _apic(mime: str, data: bytes) -> Field:
    """Every front cover is replaced by the artwork; other picture types are kept."""

    def read(tags: Any) -> Any:
        fronts = _fronts(tags)
        return tuple((f.mime, bytes(f.data)) for f in fronts) or None

    def write(tags: Any, value: Any) -> None:
        for frame in _fronts(tags):
            del tags[frame.HashKey]
        ((mime_, data_),) = value
        taken = {f.desc for f in tags.getall("APIC")}
        desc = next(d for d in ("", "Front cover", "Front cover (stationcast)") if d not in taken)
        tags.add(_F.APIC(encoding=_UTF8, mime=mime_, type=FRONT_COVER, desc=desc, data=data_))

    def show(value: Any) -> str:
        if not value:
            return "(none)"
        return "; ".join(show_bytes(data, f"{mime} front cover") for mime, data in value)

    return Field(
        "APIC",
        ((mime, data),),
        read,
        write,
        show,
        owns=lambda k, v: k.startswith("APIC:") and v.type == FRONT_COVER,
    )


def _chapters(meta: Metadata) -> Field:
    """CHAP frames chp0, chp1... in start-time order and one top-level, ordered CTOC "toc"
    listing, in that order, the chapters that are in the table of contents (``toc: false``
    ones are CHAP frames only).

    The frames are read in the order the file holds them, so a file whose chapters are all
    there but out of time order is a change, and is rewritten in order (see
    :func:`order_chapter_frames`: players that ignore CTOC list CHAP frames as stored)."""
    assert meta.chapters is not None
    # The order chapter_order() gives the frames: start, end, then the manifest's order.
    marks = sorted(
        (round(c.start * 1000), round(c.end * 1000), index, c)
        for index, c in enumerate(meta.chapters)
    )
    chaps = tuple(
        (f"chp{i}", start, end, c.title, c.url) for i, (start, end, _, c) in enumerate(marks)
    )
    children = tuple(f"chp{i}" for i, (*_, c) in enumerate(marks) if c.toc)
    flags = int(CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED)
    wanted = (chaps, (("toc", flags, children),))

    def read(tags: Any) -> Any:
        found = [_chap(f) for f in tags.getall("CHAP")]  # in the file's order
        tocs = sorted(
            (f.element_id, int(f.flags), tuple(f.child_element_ids)) for f in tags.getall("CTOC")
        )
        if not found and not tocs:
            return None
        return (tuple(found), tuple(tocs))

    def write(tags: Any, value: Any) -> None:
        tags.delall("CHAP")
        tags.delall("CTOC")
        new_chaps, new_tocs = value
        for element_id, start, end, title, url in new_chaps:
            sub: list[Any] = [_F.TIT2(encoding=_UTF8, text=[title])]
            if url:
                sub.append(_F.WXXX(encoding=_UTF8, desc="", url=url))
            tags.add(
                _F.CHAP(
                    element_id=element_id,
                    start_time=start,
                    end_time=end,
                    start_offset=_NO_OFFSET,
                    end_offset=_NO_OFFSET,
                    sub_frames=sub,
                )
            )
        for element_id, toc_flags, child_ids in new_tocs:
            tags.add(
                _F.CTOC(
                    element_id=element_id,
                    flags=toc_flags,
                    child_element_ids=list(child_ids),
                    sub_frames=[],
                )
            )

    def show(value: Any) -> str:
        if not value:
            return "(none)"
        found = value[0]
        parts = [f"{clock(start / 1000)} {show_value(title)}" for _, start, _, title, _ in found]
        if len(parts) > 4:
            parts = [*parts[:3], "…"]
        noun = "chapter" if len(found) == 1 else "chapters"
        return f"{len(found)} {noun}: " + ", ".join(parts)

    return Field(
        "CHAP/CTOC",
        wanted,
        read,
        write,
        show,
        owns=lambda k, v: k.startswith(("CHAP:", "CTOC:")),
    )


def _chap(frame: Any) -> tuple[str, int, int, str | None, str | None]:
    sub = frame.sub_frames
    titles = sub.getall("TIT2") if sub is not None else []
    title = "\n".join(str(t) for f in titles for t in f.text) or None
    links = sub.getall("WXXX") if sub is not None else []
    url = links[0].url if links else None
    return (str(frame.element_id), int(frame.start_time), int(frame.end_time), title, url)


# --------------------------------------------------------------------------------------------
# CHAP frames in time order. mutagen writes an ID3 tag's frames sorted by size, so chapters
# come out scrambled for players that read CHAP frames in file order (ffmpeg among them);
# after each save the CHAP frames are put back in start-time order, in the same bytes.

_FRAME_ID = re.compile(rb"[A-Z0-9]{4}")


def chapter_order(element_id: str, start: int, end: int) -> tuple[int, int, list[Any]]:
    """How CHAP frames are ordered: start, then end time (ms), then element ID with its
    numbers compared as numbers (chp2 before chp10)."""
    natural = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", element_id)]
    return (start, end, natural)


def order_chapter_frames(path: str, count: int) -> bool:
    """Rewrite the *count* CHAP frames of the ID3v2.4 tag mutagen just saved in *path* (an
    MP3, or a WAV's ``id3 `` chunk) in :func:`chapter_order`, in place: every frame keeps
    its bytes, the tag its size. Returns whether anything moved.

    Only the frames mutagen wrote are read: they come before any unknown frames it carried
    over, so the first *count* CHAP frames are the real ones. A tag laid out otherwise is
    left as it is (the read-back check after the save then reports the chapters' order).
    """
    if count < 2:
        return False
    with open(path, "r+b") as fileobj:
        start = _id3_start(fileobj)
        if start is None:
            return False
        fileobj.seek(start)
        header = fileobj.read(10)
        if len(header) < 10 or header[:3] != b"ID3" or header[3] != 4 or header[5] & 0xF0:
            return False  # not a plain ID3v2.4 tag (unsynchronised, extended header, footer)
        body = fileobj.read(_syncsafe(header[6:10]))
        frames: list[tuple[int, int]] = []  # (start, end) in body, up to the last CHAP
        chaps: list[tuple[tuple[int, int, list[Any]], int]] = []  # (order, index in frames)
        pos = 0
        while len(chaps) < count:
            if pos + 10 > len(body) or not _FRAME_ID.fullmatch(body[pos : pos + 4]):
                return False
            end = pos + 10 + _syncsafe(body[pos + 4 : pos + 8])
            if end > len(body):
                return False
            if body[pos : pos + 4] == b"CHAP":
                key = _chap_key(body[pos + 10 : end])
                if key is None:
                    return False
                chaps.append((key, len(frames)))
            frames.append((pos, end))
            pos = end
        slots = [index for _, index in chaps]
        ordered = [index for _, index in sorted(chaps)]
        if ordered == slots:
            return False
        spans = list(frames)
        for slot, index in zip(slots, ordered, strict=True):
            spans[slot] = frames[index]
        fileobj.seek(start + 10 + frames[0][0])
        fileobj.write(b"".join(body[begin:end] for begin, end in spans))
    return True


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _chap_key(data: bytes) -> tuple[int, int, list[Any]] | None:
    """The order key of one CHAP frame's body: element ID, NUL, start and end (ms)."""
    nul = data.find(b"\0")
    if nul < 0 or len(data) < nul + 1 + 8:
        return None
    start, end = struct.unpack(">II", data[nul + 1 : nul + 9])
    return chapter_order(data[:nul].decode("latin-1"), start, end)


def _id3_start(fileobj: IO[bytes]) -> int | None:
    """Where the ID3 tag starts: the file's start (MP3), or a WAV's ``id3 `` chunk."""
    fileobj.seek(0)
    head = fileobj.read(12)
    if head[:3] == b"ID3":
        return 0
    if not (head[:4] == b"RIFF" and head[8:12] == b"WAVE"):
        return None
    fileobj.seek(0, 2)
    size = fileobj.tell()
    pos = 12
    while pos + 8 <= size:
        fileobj.seek(pos)
        kind, length = struct.unpack("<4sI", fileobj.read(8))
        if kind.lower() == b"id3 ":
            return pos + 8
        pos += 8 + length + (length & 1)
    return None
