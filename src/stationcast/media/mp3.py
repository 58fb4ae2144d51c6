"""MPEG audio (MP3, and the rare MP2/MP1): mutagen's reading, plus the length of files
without a Xing/Info/VBRI header, which mutagen can only estimate from the first frame.

A headerless file is sampled first: frame headers at the start, at interior offsets and at
the end. When every sample has the same bitrate the stream is CBR, and its length follows
from the audio byte count (tags and junk excluded), exact to a frame, without reading the
file. Only when the samples disagree (VBR without a header) are the frames counted, with a
table-driven walk over the mapped file."""

from __future__ import annotations

import io
import mmap
from functools import cache
from pathlib import Path
from typing import IO, NamedTuple, TypeAlias

from mutagen.mp3 import MP3, BitrateMode

from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, load, require_complete
from stationcast.media.tags import id3_chapters, id3_has_cover

_MP3_SCAN_LIMIT = 512 * 1024 * 1024  # count frames of headerless VBR MP3s up to this size
_MAX_MPEG_FRAME = 2881  # bytes: layer II/III, 384 kbit/s at 32 kHz, with padding
_SAMPLE_POINTS = 8  # interior offsets sampled, besides the start and the end
_SAMPLE_FRAMES = 4  # consecutive frames read at each point
_SAMPLE_WINDOW = 4 * _MAX_MPEG_FRAME  # bytes read at each point: a run of frames fits

_Bytes: TypeAlias = bytes | mmap.mmap  # indexing either gives an int


def probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe an MPEG audio file (layer III, II or I, with or without an ID3v2 tag)."""
    audio = load(MP3, fileobj)
    info = audio.info
    duration, bitrate = float(info.length), int(info.bitrate or 0)
    if info.bitrate_mode == BitrateMode.UNKNOWN:  # no Xing/Info/VBRI header
        measured = headerless_length(fileobj, getattr(info, "frame_offset", 0), size)
        if measured is not None:
            duration, bitrate = measured
    else:
        require_complete(path, "MP3", bitrate, duration, size)
    fmt = f"mp{info.layer}"
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES[fmt],
        duration=duration,
        bitrate=bitrate or None,
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format=fmt,
        chapters=id3_chapters(audio.tags),
        has_cover=id3_has_cover(audio.tags),
    )


# Frame headers (ISO/IEC 11172-3 2.4.2.3, ISO/IEC 13818-3 2.4.2.3)

_MPEG_BITRATES = {  # (MPEG-1?, layer) -> kbit/s by index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MPEG_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


class _Frame(NamedTuple):
    """What one frame header says: the stream it belongs to and the frame's own size."""

    stream: int  # version, layer and sample-rate bits: the same in every frame of a stream
    length: int  # bytes, padding included
    samples: int  # per frame
    rate: int  # Hz
    bitrate: int  # bit/s


@cache
def _frame_table() -> tuple[_Frame | None, ...]:
    """Header bytes 1 and 2 (as ``byte1 << 8 | byte2``) -> the frame they describe, or None.

    Byte 0 is the sync byte 0xFF; byte 3 (channel mode, emphasis) never changes a frame's
    length. Free-format frames (bitrate index 0) are not in the table."""
    table: list[_Frame | None] = [None] * 65536
    for byte1 in range(0xE0, 0x100):
        version, layer_bits = (byte1 >> 3) & 3, (byte1 >> 1) & 3
        if version == 1 or layer_bits == 0:
            continue
        layer, mpeg1 = 4 - layer_bits, version == 3
        for byte2 in range(256):
            rate_index, bitrate_index = (byte2 >> 2) & 3, byte2 >> 4
            if rate_index == 3 or bitrate_index in (0, 15):
                continue
            bitrate = _MPEG_BITRATES[(mpeg1, layer)][bitrate_index - 1] * 1000
            rate = _MPEG_RATES[version][rate_index]
            padding = (byte2 >> 1) & 1
            if layer == 1:
                samples, length = 384, (12 * bitrate // rate + padding) * 4
            else:
                samples = 1152 if (layer == 2 or mpeg1) else 576
                length = samples // 8 * bitrate // rate + padding
            stream = (version << 4) | (layer_bits << 2) | rate_index
            table[(byte1 << 8) | byte2] = _Frame(stream, length, samples, rate, bitrate)
    return tuple(table)


def _frame_at(data: _Bytes, offset: int) -> _Frame | None:
    """The frame whose header starts at ``offset`` of ``data``, or None."""
    if offset + 4 > len(data) or data[offset] != 0xFF:
        return None
    return _frame_table()[(data[offset + 1] << 8) | data[offset + 2]]


# Headerless streams: sample, then count only if the samples disagree


def headerless_length(fileobj: IO[bytes], start: int, size: int) -> tuple[float, int] | None:
    """(duration, bitrate) of an MPEG stream without a Xing/Info/VBRI header, or None.

    ``start`` is the first frame (after an ID3v2 tag and any junk, as mutagen found it).
    None means the stream could not be followed; the caller keeps mutagen's estimate."""
    end = _audio_end(fileobj, start, size)
    fileobj.seek(start)
    head = fileobj.read(_SAMPLE_WINDOW)
    first = _frame_at(head, 0)
    if first is None:
        return None
    chain = _chain(head, 0, first.stream, _SAMPLE_FRAMES)
    if not chain:
        return None
    # the end: a few of this stream's frames are enough; more if its frames grow (VBR)
    tail = _tail_end(fileobj, start, end, first.stream, 6 * first.length + _MAX_MPEG_FRAME)
    if tail is None:
        tail = _tail_end(fileobj, start, end, first.stream, 6 * _MAX_MPEG_FRAME)
    if tail is None:
        return None
    end, tail_bitrates = tail
    bitrates = {f.bitrate for f in chain} | tail_bitrates
    span = end - start
    if span < _SAMPLE_WINDOW * (_SAMPLE_POINTS + 1):  # small: counting costs no more
        return _count_mpeg_frames(fileobj, start, end, first.stream)
    for point in range(1, _SAMPLE_POINTS + 1):
        if len(bitrates) > 1:
            break
        offset = start + span * point // (_SAMPLE_POINTS + 1)
        fileobj.seek(offset)
        window = fileobj.read(_SAMPLE_WINDOW)
        found = _resync(window, first.stream)
        if found is None:  # no run of frames here: junk mid-file; do not guess
            return None
        bitrates |= {f.bitrate for f in found}
    if len(bitrates) == 1:  # CBR: every frame holds bitrate x samples / rate bits
        frames = round(span * 8 * first.rate / (first.bitrate * first.samples))
        duration = frames * first.samples / first.rate
        return (duration, first.bitrate) if frames else None
    return _count_mpeg_frames(fileobj, start, end, first.stream)


def _chain(data: _Bytes, offset: int, stream: int, limit: int) -> list[_Frame]:
    """Up to ``limit`` consecutive frames of ``stream`` from ``offset``, each one whole."""
    frames: list[_Frame] = []
    while len(frames) < limit:
        frame = _frame_at(data, offset)
        if frame is None or frame.stream != stream or offset + frame.length > len(data):
            break
        frames.append(frame)
        offset += frame.length
    return frames


def _resync(data: bytes, stream: int) -> list[_Frame] | None:
    """The first run of at least three chained frames of ``stream`` in ``data``."""
    offset = data.find(b"\xff")
    while offset >= 0:
        frames = _chain(data, offset, stream, _SAMPLE_FRAMES)
        if len(frames) >= 3:
            return frames
        offset = data.find(b"\xff", offset + 1)
    return None


def _tail_end(
    fileobj: IO[bytes], start: int, end: int, stream: int, window: int
) -> tuple[int, set[int]] | None:
    """Where the last frame ends (a final frame cut short counts as audio) and the bitrates
    of the last frames; None if no frames can be found near the end."""
    from_offset = max(start, end - window)
    fileobj.seek(from_offset)
    data = fileobj.read(end - from_offset)
    offset = 0 if from_offset == start else data.find(b"\xff")
    while offset >= 0:
        frames = _chain(data, offset, stream, len(data))
        if len(frames) >= 3 or (offset == 0 and frames):
            stop = offset + sum(f.length for f in frames)
            last = _frame_at(data, stop)
            if last is not None and last.stream == stream:
                stop = len(data)  # a final frame cut short
            elif len(data) - stop > _MAX_MPEG_FRAME:
                return None  # more than a frame of something else after the frames
            return from_offset + stop, {f.bitrate for f in frames}
        offset = data.find(b"\xff", offset + 1)
    return None


def _audio_end(fileobj: IO[bytes], start: int, size: int) -> int:
    """The end of the audio: the file's size less trailing ID3v1, APEv2, Lyrics3v2 and
    appended ID3v2 tags (in any order and number)."""
    end = size
    while end > start:
        fileobj.seek(max(start, end - 128))
        tail = fileobj.read(end - max(start, end - 128))
        if len(tail) >= 128 and tail[-128:-125] == b"TAG":
            end -= 128  # ID3v1
        elif len(tail) >= 32 and tail[-32:-24] == b"APETAGEX":  # APEv2 footer
            footer = tail[-32:]
            body = int.from_bytes(footer[12:16], "little")
            has_header = int.from_bytes(footer[20:24], "little") & 0x80000000
            end -= max(body, 32) + (32 if has_header else 0)  # the size counts the footer
        elif len(tail) >= 15 and tail[-9:] == b"LYRICS200" and tail[-15:-9].isdigit():
            end -= int(tail[-15:-9]) + 15  # Lyrics3v2
        elif len(tail) >= 10 and tail[-10:-7] == b"3DI":  # ID3v2.4 footer
            syncsafe = tail[-4:]
            if any(b & 0x80 for b in syncsafe):
                break
            end -= 20 + sum(b << (7 * (3 - i)) for i, b in enumerate(syncsafe))
        else:
            break
    return max(end, start)


def _count_mpeg_frames(
    fileobj: IO[bytes], start: int, end: int, stream: int
) -> tuple[float, int] | None:
    """Walk the frame chain from ``start`` to ``end``; return (duration, average bitrate).

    Counting stops at the first bytes that are not a frame of the same stream and at a final
    frame cut short. If that leaves more than a frame uncounted, the chain broke mid-file
    and None is returned (counting would undercount)."""
    if end > _MP3_SCAN_LIMIT:
        return None
    with _mapped(fileobj, end) as data:
        table = _frame_table()
        offset, frames = start, 0
        samples, rate = 0, 0
        while offset + 4 <= end:
            if data[offset] != 0xFF:
                break
            frame = table[(data[offset + 1] << 8) | data[offset + 2]]
            if frame is None or frame.stream != stream or offset + frame.length > end:
                break
            offset += frame.length
            frames += 1
            samples, rate = frame.samples, frame.rate
    if frames == 0 or end - offset > _MAX_MPEG_FRAME:
        return None
    duration = frames * samples / rate
    return duration, round((offset - start) * 8 / duration)


class _mapped:
    """The file's first ``end`` bytes as a read-only mapping (or, for a file object without
    a descriptor, as bytes read in one go)."""

    def __init__(self, fileobj: IO[bytes], end: int) -> None:
        self.fileobj, self.end = fileobj, end
        self.map: mmap.mmap | None = None

    def __enter__(self) -> _Bytes:
        try:
            self.map = mmap.mmap(self.fileobj.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError, io.UnsupportedOperation):
            self.fileobj.seek(0)
            return self.fileobj.read(self.end)
        return self.map

    def __exit__(self, *exc: object) -> None:
        if self.map is not None:
            self.map.close()
