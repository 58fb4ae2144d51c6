"""MPEG-4 files: M4A audio and MP4, M4V and QuickTime video. mutagen reads tags, chapters
and the audio track; the box walk here refuses truncated files, tells audio from video, and
reads what mutagen does not (the movie duration, definite AAC channel counts).

:func:`iter_mp4_boxes` and :class:`Mp4BoxOverrun` are public: stationcast.tagging walks the
same boxes to prove a tag write kept the samples."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mutagen.mp4 import MP4

from stationcast.errors import AudioError
from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, Chapter, load

_MP4_BOX_LIMIT = 100_000
_MOOV_LIMIT = 64 * 1024 * 1024


def probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe an MPEG-4 file: M4A audio, or MP4/M4V/QuickTime video when it has a video track."""
    try:
        return _probe(path, fileobj, size)
    except Mp4BoxOverrun as cut:  # a box inside the index that overruns its parent
        name = cut.kind.decode("latin-1")
        raise AudioError(
            path,
            f"is damaged: its '{name}' box needs {cut.box_end} bytes but its container ends at "
            f"{cut.file_end}",
        ) from None


def _probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    layout = _mp4_layout(path, fileobj, size)
    fileobj.seek(0)
    audio = load(MP4, fileobj)
    info = audio.info
    duration = float(info.length or 0) or layout.duration
    fmt = _mp4_format(layout.brand, layout.has_video)
    channels = layout.aac_channels or int(info.channels or 0) or None
    tags = audio.tags
    has_cover = bool(tags is not None and tags.get("covr"))
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES[fmt],
        duration=duration,
        bitrate=int(info.bitrate or 0) or None,
        sample_rate=int(info.sample_rate or 0) or None,
        channels=channels,
        format=fmt,
        chapters=_mp4_chapters(audio.chapters, duration),
        has_cover=has_cover,
    )


def _mp4_format(brand: bytes, has_video: bool) -> str:
    if not has_video:
        return "m4a"
    if brand.startswith(b"M4V"):
        return "m4v-video"
    if brand == b"qt  ":
        return "mov-video"
    return "mp4-video"


def _mp4_chapters(chapters: Any, duration: float) -> tuple[Chapter, ...]:
    """Nero-style 'chpl' chapters (what mutagen exposes); each ends where the next starts."""
    if not chapters:
        return ()
    starts = sorted((float(c.start), str(c.title)) for c in chapters)
    ends = [s for s, _ in starts[1:]] + [duration]
    return tuple(Chapter(start=s, end=e, title=t) for (s, t), e in zip(starts, ends, strict=True))


# Boxes: completeness, brand, video tracks, movie duration


def iter_mp4_boxes(fileobj: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, payload offset, box end) for boxes in [start, end); raise if one overflows."""
    pos, count = start, 0
    while pos + 8 <= end:
        count += 1
        if count > _MP4_BOX_LIMIT:
            raise ValueError("too many MP4 boxes")
        fileobj.seek(pos)
        size, kind = struct.unpack(">I4s", fileobj.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", fileobj.read(8))[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise Mp4BoxOverrun(kind, pos + size, end)
        yield kind, pos + header, pos + size
        pos += size


class Mp4BoxOverrun(Exception):
    """An MP4 box claims more bytes than its container (or the file) holds."""

    def __init__(self, kind: bytes, box_end: int, file_end: int) -> None:
        super().__init__(kind, box_end, file_end)
        self.kind, self.box_end, self.file_end = kind, box_end, file_end


@dataclass(frozen=True)
class _Mp4Layout:
    brand: bytes  # ftyp major brand
    has_video: bool
    duration: float  # from the movie header, for files without an audio track
    aac_channels: int | None  # from the AudioSpecificConfig, when it is definite


def _mp4_layout(path: Path, fileobj: IO[bytes], size: int) -> _Mp4Layout:
    """Walk the top-level boxes (refusing a truncated file), then read what mutagen does not."""
    brand, moov = b"", None
    try:
        for kind, payload, box_end in iter_mp4_boxes(fileobj, 0, size):
            if kind == b"ftyp":
                fileobj.seek(payload)
                brand = fileobj.read(4)
            elif kind == b"moov":
                moov = (payload, box_end)
    except Mp4BoxOverrun as cut:
        name = cut.kind.decode("latin-1")
        raise AudioError(
            path,
            f"looks truncated: its '{name}' box needs {cut.box_end} bytes "
            f"but the file has {cut.file_end}",
        ) from None
    if moov is None:
        raise AudioError(
            path,
            "is an MP4 file without a 'moov' box (no track information); "
            "it is incomplete or still being written",
        )
    if moov[1] - moov[0] > _MOOV_LIMIT:
        raise AudioError(path, "has an implausibly large MP4 'moov' box")
    tracks = _tracks(fileobj, moov)
    sound = next((box for handler, box in tracks if handler == b"soun"), None)
    return _Mp4Layout(
        brand=brand,
        has_video=any(handler == b"vide" for handler, _ in tracks),
        duration=_mvhd_duration(fileobj, moov),
        aac_channels=_aac_channels(fileobj, sound) if sound else None,
    )


def _child(fileobj: IO[bytes], box: tuple[int, int], *names: bytes) -> tuple[int, int] | None:
    """The payload span of the first box at the path ``names`` below ``box``."""
    for name in names:
        found = next(((p, e) for k, p, e in iter_mp4_boxes(fileobj, *box) if k == name), None)
        if found is None:
            return None
        box = found
    return box


def _tracks(fileobj: IO[bytes], moov: tuple[int, int]) -> list[tuple[bytes, tuple[int, int]]]:
    """(handler type, trak payload span) of every track: b'soun', b'vide', b'text', ..."""
    tracks = []
    for kind, payload, end in list(iter_mp4_boxes(fileobj, *moov)):
        hdlr = _child(fileobj, (payload, end), b"mdia", b"hdlr") if kind == b"trak" else None
        if hdlr is not None:
            fileobj.seek(hdlr[0] + 8)  # version/flags, pre_defined
            tracks.append((fileobj.read(4), (payload, end)))
    return tracks


def _aac_channels(fileobj: IO[bytes], trak: tuple[int, int]) -> int | None:
    """Channels from the track's AAC AudioSpecificConfig, or None when it does not say.

    mutagen falls back to the sample entry's channelcount (which ffmpeg writes as 2) whenever
    a mono config might carry Parametric Stereo, so a mono AAC file made by ffmpeg would
    probe as stereo; ffmpeg's explicit "no SBR" signal in the config settles it.
    """
    stsd = _child(fileobj, trak, b"mdia", b"minf", b"stbl", b"stsd")
    if stsd is None:
        return None
    entry = stsd[0] + 8  # after version/flags and the entry count
    fileobj.seek(entry)
    entry_size, entry_type = struct.unpack(">I4s", fileobj.read(8))
    if entry_type != b"mp4a":
        return None
    fileobj.seek(entry + 16)  # box header, reserved, data_reference_index
    version = struct.unpack(">H", fileobj.read(2))[0]  # QuickTime sound description version
    children = entry + 36 + {1: 16, 2: 36}.get(version, 0)
    esds = _child(fileobj, (children, min(entry + entry_size, stsd[1])), b"esds")
    if esds is None or esds[1] - esds[0] > 4096:
        return None
    fileobj.seek(esds[0])
    try:
        return _asc_channels(_audio_specific_config(fileobj.read(esds[1] - esds[0])))
    except (IndexError, ValueError):
        return None


def _descriptor(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, payload start, payload end) of the MPEG-4 descriptor at ``pos``."""
    tag, pos, size = data[pos], pos + 1, 0
    for _ in range(4):
        byte, pos = data[pos], pos + 1
        size = (size << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return tag, pos, pos + size


def _audio_specific_config(esds: bytes) -> bytes:
    """ES_Descriptor > DecoderConfigDescriptor (MPEG-4 audio) > DecoderSpecificInfo bytes."""
    tag, pos, _ = _descriptor(esds, 4)  # after version/flags
    if tag != 3:
        raise ValueError("no ES_Descriptor")
    flags, pos = esds[pos + 2], pos + 3
    pos += (2 if flags & 0x80 else 0) + (2 if flags & 0x20 else 0)
    if flags & 0x40:
        pos += 1 + esds[pos]
    tag, pos, _ = _descriptor(esds, pos)
    if tag != 4 or esds[pos] != 0x40:  # objectTypeIndication 0x40: MPEG-4 audio
        raise ValueError("not MPEG-4 audio")
    tag, start, end = _descriptor(esds, pos + 13)
    if tag != 5:
        raise ValueError("no DecoderSpecificInfo")
    return esds[start:end]


class _Bits:
    """Big-endian bit reader over a few bytes."""

    def __init__(self, data: bytes) -> None:
        self.value, self.left = int.from_bytes(data, "big"), len(data) * 8

    def __call__(self, n: int) -> int:
        if n > self.left:
            raise ValueError("AudioSpecificConfig ends early")
        self.left -= n
        return (self.value >> self.left) & ((1 << n) - 1)

    def object_type(self) -> int:
        aot = self(5)
        return 32 + self(6) if aot == 31 else aot


def _asc_channels(asc: bytes) -> int | None:
    """ISO/IEC 14496-3 AudioSpecificConfig -> channel count, when it is definite."""
    bits = _Bits(asc)
    aot = bits.object_type()
    if bits(4) == 15:  # samplingFrequencyIndex 15: an explicit 24-bit frequency follows
        bits(24)
    config = bits(4)
    if config in (2, 3, 4, 5, 6):
        return config
    if config == 7:
        return 8
    if config != 1:
        return None  # 0: program config element; 8+: reserved
    if aot == 29:  # HE-AAC v2: Parametric Stereo turns mono into stereo
        return 2
    if aot != 2:
        return None
    bits(1)  # frameLengthFlag
    if bits(1):  # dependsOnCoreCoder
        bits(14)
    bits(1)  # extensionFlag (0 for AAC LC)
    if bits.left >= 16 and bits(11) == 0x2B7 and bits.object_type() == 5:
        if not bits(1):  # sbrPresentFlag 0: no SBR, hence no Parametric Stereo
            return 1
        if bits(4) == 15:
            bits(24)
        if bits.left >= 12 and bits(11) == 0x548:
            return 2 if bits(1) else 1
    return None


def _mvhd_duration(fileobj: IO[bytes], moov: tuple[int, int]) -> float:
    for kind, payload, _ in list(iter_mp4_boxes(fileobj, *moov)):
        if kind == b"mvhd":
            fileobj.seek(payload)
            version = fileobj.read(4)[0]
            if version == 1:
                _, _, scale, duration = struct.unpack(">QQIQ", fileobj.read(28))
            else:
                _, _, scale, duration = struct.unpack(">IIII", fileobj.read(16))
            return duration / scale if scale else 0.0
    return 0.0
