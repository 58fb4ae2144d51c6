"""MPEG audio (MP3, and the rare MP2/MP1): mutagen's reading, plus a frame count for VBR
files without a Xing/Info/VBRI header, whose length mutagen can only estimate."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from mutagen.mp3 import MP3, BitrateMode

from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, load, require_complete
from stationcast.media.tags import id3_chapters, id3_has_cover

_MP3_SCAN_LIMIT = 512 * 1024 * 1024  # count frames of headerless MP3s up to this size
_MAX_MPEG_FRAME = 2881  # bytes: layer II/III, 384 kbit/s at 32 kHz, with padding
_MP3_TRAILERS = (b"TAG", b"APETAGEX", b"LYRICSBEGIN", b"ID3")


def probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe an MPEG audio file (layer III, II or I, with or without an ID3v2 tag)."""
    audio = load(MP3, fileobj)
    info = audio.info
    duration, bitrate = float(info.length), int(info.bitrate or 0)
    if info.bitrate_mode == BitrateMode.UNKNOWN:  # no Xing/Info/VBRI header: count frames
        counted = _count_mpeg_frames(fileobj, getattr(info, "frame_offset", 0), size)
        if counted is not None:
            duration, bitrate = counted
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


# Frame counting (headerless VBR files have no frame count anywhere)

_MPEG_BITRATES = {  # (MPEG-1?, layer) -> kbit/s by index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MPEG_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _frame_shape(header: bytes) -> tuple[tuple[int, int, int], int, int] | None:
    """(version, layer, sample rate), frame length in bytes, samples per frame; None if invalid."""
    if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    rate_index, bitrate_index = (header[2] >> 2) & 3, header[2] >> 4
    if version == 1 or layer_bits == 0 or rate_index == 3 or bitrate_index in (0, 15):
        return None
    layer, mpeg1 = 4 - layer_bits, version == 3
    kbps = _MPEG_BITRATES[(mpeg1, layer)][bitrate_index - 1]
    rate = _MPEG_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 1:
        return (version, layer, rate), (12 * kbps * 1000 // rate + padding) * 4, 384
    samples = 1152 if (layer == 2 or mpeg1) else 576
    return (version, layer, rate), samples // 8 * kbps * 1000 // rate + padding, samples


def _count_mpeg_frames(fileobj: IO[bytes], start: int, size: int) -> tuple[float, int] | None:
    """Walk the frame chain from ``start``; return (duration, average bitrate) or None.

    Counting stops at the first bytes that are not a frame of the same stream and at a final
    frame cut short. If what follows is more than a frame and not a trailing tag (ID3v1,
    APEv2, Lyrics3, ID3v2), the chain broke mid-file and None is returned.
    """
    if size > _MP3_SCAN_LIMIT:
        return None
    window = _Window(fileobj, start)
    offset, samples, shape = start, 0, None
    while window.has(offset, 4):
        parsed = _frame_shape(window.get(offset, 4))
        if parsed is None or (shape is not None and parsed[0] != shape):
            break
        shape, length, per_frame = parsed
        if not window.has(offset, length):
            break
        offset, samples = offset + length, samples + per_frame
    if shape is None or samples == 0:
        return None
    tail = window.get(offset, 11) if window.has(offset, 11) else b""
    if size - offset > _MAX_MPEG_FRAME + 128 and not tail.startswith(_MP3_TRAILERS):
        return None  # the chain broke mid-file: counting would undercount
    duration = samples / shape[2]
    return duration, round((offset - start) * 8 / duration)


class _Window:
    """Forward-only reads through a file, holding at most about a megabyte at a time."""

    def __init__(self, fileobj: IO[bytes], start: int) -> None:
        fileobj.seek(start)
        self.fileobj, self.base, self.buffer = fileobj, start, b""

    def has(self, offset: int, length: int) -> bool:
        """Make ``length`` bytes at ``offset`` available; False at end of file."""
        while offset + length > self.base + len(self.buffer):
            block = self.fileobj.read(1 << 20)
            if not block:
                return False
            self.buffer = self.buffer[offset - self.base :] + block
            self.base = offset
        return True

    def get(self, offset: int, length: int) -> bytes:
        start = offset - self.base
        return self.buffer[start : start + length]
