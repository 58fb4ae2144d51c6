"""FLAC files (RFC 9639). mutagen reads them; the last-frame search here refuses a file cut
short of the sample count its STREAMINFO block announces."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from mutagen.flac import FLAC

from stationcast.errors import AudioError
from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, load, stream_bitrate
from stationcast.media.tags import vorbis_chapters, vorbis_has_cover


def probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe a FLAC file, refusing one cut short of its STREAMINFO sample count."""
    audio = load(FLAC, fileobj)
    info = audio.info
    duration = float(info.length)
    missing = _flac_missing_samples(fileobj, size, info)
    if missing > int(info.max_blocksize):
        raise AudioError(
            path,
            f"looks truncated: its last frame ends {missing / info.sample_rate:.2f} s before "
            f"the {duration:.2f} s its STREAMINFO block announces",
        )
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES["flac"],
        duration=duration,
        bitrate=stream_bitrate(info, size, duration),
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format="flac",
        chapters=vorbis_chapters(audio.tags, duration),
        has_cover=bool(audio.pictures) or vorbis_has_cover(audio.tags),
    )


def _flac_missing_samples(fileobj: IO[bytes], size: int, info: Any) -> int:
    """How many of STREAMINFO's samples lie past the last frame in the file: 0 when the file
    is complete, or when it cannot be told.

    FLAC frames carry no length, so the last frame is found by scanning the tail backwards
    for a frame header whose CRC-8 and fields agree with STREAMINFO (RFC 9639 section 9.1).
    """
    total, block = int(info.total_samples), int(info.max_blocksize)
    if not total or not block:
        return 0
    span = min(size, (int(info.max_framesize) or 1 << 20) + 16)
    fileobj.seek(size - span)
    tail = fileobj.read(span)
    at = len(tail)
    while (at := tail.rfind(b"\xff", 0, at)) != -1:
        end = _flac_frame_end(tail[at : at + 16], info, block)
        if end is not None and end <= total:
            return total - end
    return 0


_FLAC_RATES = {
    1: 88200,
    2: 176400,
    3: 192000,
    4: 8000,
    5: 16000,
    6: 22050,
    7: 24000,
    8: 32000,
    9: 44100,
    10: 48000,
    11: 96000,
}
_FLAC_DEPTHS = {1: 8, 2: 12, 4: 16, 5: 20, 6: 24, 7: 32}


def _flac_frame_end(header: bytes, info: Any, fixed_block: int) -> int | None:
    """The sample just past the frame whose header starts ``header``; None if it is not a
    frame header of this stream."""
    if len(header) < 6 or header[1] & 0xFE != 0xF8 or header[3] & 1:
        return None
    size_code, rate_code = header[2] >> 4, header[2] & 0x0F
    channel_code, depth_code = header[3] >> 4, (header[3] >> 1) & 7
    channels = channel_code + 1 if channel_code < 8 else 2 if channel_code <= 10 else 0
    if (
        size_code == 0
        or rate_code == 15
        or channels != info.channels
        or _FLAC_RATES.get(rate_code, info.sample_rate) != info.sample_rate
        or _FLAC_DEPTHS.get(depth_code, info.bits_per_sample) != info.bits_per_sample
    ):
        return None
    number, pos = _flac_coded_number(header, 4)
    size_end = pos + {6: 1, 7: 2}.get(size_code, 0)
    crc_at = size_end + {12: 1, 13: 2, 14: 2}.get(rate_code, 0)
    if number is None or crc_at >= len(header) or _crc8(header[:crc_at]) != header[crc_at]:
        return None
    if size_code in (6, 7):
        samples = int.from_bytes(header[pos:size_end], "big") + 1
    elif size_code == 1:
        samples = 192
    else:
        samples = 576 << (size_code - 2) if size_code <= 5 else 256 << (size_code - 8)
    first = number if header[1] & 1 else number * fixed_block  # variable blocking: sample no.
    return first + samples


def _flac_coded_number(data: bytes, pos: int) -> tuple[int | None, int]:
    """Decode the UTF-8-style coded frame or sample number at ``pos``."""
    lead = data[pos]
    ones = 0
    while ones < 8 and lead & (0x80 >> ones):
        ones += 1
    if ones == 0:
        return lead, pos + 1
    if ones == 1 or ones == 8 or pos + ones > len(data):
        return None, pos
    value = lead & (0xFF >> (ones + 1))
    for byte in data[pos + 1 : pos + ones]:
        if byte & 0xC0 != 0x80:
            return None, pos
        value = value << 6 | (byte & 0x3F)
    return value, pos + ones


def _crc8(data: bytes) -> int:
    """CRC-8 with polynomial x^8 + x^2 + x + 1 and initial value 0 (FLAC frame headers)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc
