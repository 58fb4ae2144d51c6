"""Digests of everything in a media file that is not tag data, to prove a write kept the audio.

Each container gets the strongest comparison its tag writer allows:

MP3
    The bytes after the leading ID3v2 tag(s) up to any trailing APEv2, Lyrics3v2 or ID3v1 tag:
    the MPEG frames, byte for byte (a tag writer has no reason to move or touch them).
FLAC
    The STREAMINFO block and every byte after the last metadata block (the audio frames).
Ogg (Vorbis, Opus)
    The codec's header packets except the comment packet, and for every page after the
    headers its granule position, flags, serial number and body, byte for byte. Writing a
    longer comment packet may repaginate the headers, so page sequence numbers and CRCs of
    the audio pages legitimately change; those are excluded, and instead every page's CRC is
    checked to be valid.
MP4 (M4A, MP4, M4V)
    Every track's samples, in order, read where the sample tables (stsz, stsc, stco/co64)
    point: exactly the bytes a decoder reads. A tag writer that grows ``moov`` in front of
    ``mdat`` must shift the chunk offsets, so the offsets themselves are not compared; the
    samples they lead to are. Also each track's handler, media header and sample tables
    (stsd, stts, stsz, stsc). A fragmented file (``moof`` boxes) also has every ``mdat``
    payload compared, since its samples are described outside ``moov``.
WAV
    Every RIFF chunk except ``id3 `` / ``ID3 `` (and the RIFF size), in order.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from stationcast.media.mp4 import Mp4BoxOverrun, iter_mp4_boxes

_BLOCK = 1 << 20


class IntegrityError(Exception):
    """The file's structure could not be walked (it is reported as a failed check)."""


def audio_digest(path: Path, kind: str) -> str:
    """A SHA-256 over the non-tag parts of ``path``; ``kind`` is a probe format key."""
    with open(path, "rb") as fileobj:
        size = fileobj.seek(0, 2)
        fileobj.seek(0)
        digest = hashlib.sha256()
        try:
            if kind in ("mp3", "mp2", "mp1"):
                _mpeg(fileobj, size, digest)
            elif kind == "flac":
                _flac(fileobj, size, digest)
            elif kind in ("ogg-vorbis", "opus"):
                _ogg(fileobj, digest, headers=3 if kind == "ogg-vorbis" else 2)
            elif kind in ("m4a", "mp4-video", "m4v-video", "mov-video"):
                _mp4(fileobj, size, digest)
            elif kind == "wav":
                _wav(fileobj, size, digest)
            else:
                raise IntegrityError(f"no audio comparison for {kind}")
        except (struct.error, IndexError, ValueError) as err:
            raise IntegrityError(f"cannot walk the {kind} structure ({err})") from None
    return digest.hexdigest()


def _copy(fileobj: IO[bytes], start: int, end: int, digest: hashlib._Hash) -> None:
    fileobj.seek(start)
    left = end - start
    while left > 0:
        block = fileobj.read(min(_BLOCK, left))
        if not block:
            raise IntegrityError("file ends early")
        digest.update(block)
        left -= len(block)


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


# -- MPEG audio --------------------------------------------------------------------------------


def mpeg_audio_span(fileobj: IO[bytes], size: int) -> tuple[int, int]:
    """(start, end) of the MPEG frames: after leading ID3v2 tags, before trailing tags."""
    start = 0
    while True:
        fileobj.seek(start)
        head = fileobj.read(10)
        if len(head) < 10 or not head.startswith(b"ID3"):
            break
        start += 10 + _syncsafe(head[6:10]) + (10 if head[5] & 0x10 else 0)
    end = size
    while end > start:
        fileobj.seek(max(end - 128, 0))
        tail = fileobj.read(end - max(end - 128, 0))
        if len(tail) >= 128 and tail[-128:].startswith(b"TAG"):
            end -= 128
            continue
        if len(tail) >= 32 and tail[-32:].startswith(b"APETAGEX"):
            footer = tail[-32:]
            tag_size, flags = struct.unpack("<I4xI", footer[12:24])
            end -= tag_size + (32 if flags & 0x80000000 else 0)
            continue
        if len(tail) >= 15 and tail[-9:] == b"LYRICS200":
            end -= int(tail[-15:-9]) + 15
            continue
        break
    if end < start:
        raise IntegrityError("trailing tags overlap the leading ones")
    return start, end


def _mpeg(fileobj: IO[bytes], size: int, digest: hashlib._Hash) -> None:
    start, end = mpeg_audio_span(fileobj, size)
    _copy(fileobj, start, end, digest)


# -- FLAC --------------------------------------------------------------------------------------


def _flac(fileobj: IO[bytes], size: int, digest: hashlib._Hash) -> None:
    start, _ = mpeg_audio_span(fileobj, size)  # an ID3v2 tag may precede fLaC
    fileobj.seek(start)
    if fileobj.read(4) != b"fLaC":
        raise IntegrityError("no fLaC marker")
    pos = start + 4
    while True:
        fileobj.seek(pos)
        header = fileobj.read(4)
        if len(header) < 4:
            raise IntegrityError("metadata blocks run past the end")
        kind, length = header[0] & 0x7F, int.from_bytes(header[1:4], "big")
        if kind == 0:  # STREAMINFO: the stream's parameters, MD5 of the decoded audio
            _copy(fileobj, pos + 4, pos + 4 + length, digest)
        pos += 4 + length
        if header[0] & 0x80:
            break
    digest.update(b"frames")
    _copy(fileobj, pos, size, digest)


# -- Ogg ---------------------------------------------------------------------------------------


_BITSWAP = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, unreflected, initial 0, no final xor).

    zlib computes the reflected CRC-32 of the same polynomial; feeding it bit-reversed bytes
    and reversing the result gives Ogg's, at C speed.
    """
    register = ~zlib.crc32(data.translate(_BITSWAP), 0xFFFFFFFF) & 0xFFFFFFFF
    return int(f"{register:032b}"[::-1], 2)


def _pages(fileobj: IO[bytes]) -> Iterator[tuple[int, int, int, list[int], bytes]]:
    """(header_type, granule, serial, lacing values, body) of every page; checks each CRC."""
    fileobj.seek(0)
    index = 0
    while True:
        header = fileobj.read(27)
        if not header:
            return
        if len(header) < 27 or not header.startswith(b"OggS"):
            raise IntegrityError(f"page {index} has no OggS capture pattern")
        _, flags, granule, serial, _, crc, count = struct.unpack("<4sxBqIIIB", header[:27])
        lacing = fileobj.read(count)
        body = fileobj.read(sum(lacing))
        if len(lacing) < count or len(body) < sum(lacing):
            raise IntegrityError(f"page {index} is cut short")
        raw = header[:22] + b"\0\0\0\0" + header[26:] + lacing + body
        if ogg_crc(raw) != crc:
            raise IntegrityError(f"page {index} has a bad CRC")
        yield flags, granule, serial, list(lacing), body
        index += 1


def _ogg(fileobj: IO[bytes], digest: hashlib._Hash, *, headers: int) -> None:
    packets: dict[int, int] = {}  # serial -> packets completed so far
    partial: dict[int, bytes] = {}
    for flags, granule, serial, lacing, body in _pages(fileobj):
        done = packets.get(serial, 0)
        if done >= headers:  # an audio page: everything but sequence number and CRC
            digest.update(struct.pack("<BqII", flags, granule, serial, len(body)))
            digest.update(bytes(lacing))
            digest.update(body)
            packets[serial] = done + sum(1 for v in lacing if v < 255)
            continue
        pos = 0
        for value in lacing:  # header pages: reassemble packets, skip the comment packet
            partial[serial] = partial.get(serial, b"") + body[pos : pos + value]
            pos += value
            if value < 255:
                packet = partial.pop(serial)
                if done != 1:
                    digest.update(struct.pack("<IIQ", serial, done, len(packet)))
                    digest.update(packet)
                done += 1
                if done >= headers and pos < len(body):
                    raise IntegrityError("an audio packet shares a page with the headers")
        packets[serial] = done


# -- MP4 ---------------------------------------------------------------------------------------


def _boxes(fileobj: IO[bytes], start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    try:
        yield from iter_mp4_boxes(fileobj, start, end)
    except Mp4BoxOverrun as cut:
        raise IntegrityError(f"box {cut.kind!r} overruns its parent") from None


def _child(fileobj: IO[bytes], span: tuple[int, int], *path: bytes) -> tuple[int, int] | None:
    for name in path:
        found = next(((p, e) for k, p, e in _boxes(fileobj, *span) if k == name), None)
        if found is None:
            return None
        span = found
    return span


def _read(fileobj: IO[bytes], span: tuple[int, int]) -> bytes:
    fileobj.seek(span[0])
    return fileobj.read(span[1] - span[0])


def _mp4(fileobj: IO[bytes], size: int, digest: hashlib._Hash) -> None:
    moov = _child(fileobj, (0, size), b"moov")
    if moov is None:
        raise IntegrityError("no moov box")
    top = list(_boxes(fileobj, 0, size))
    if any(kind == b"moof" for kind, _, _ in top):  # fragmented: samples live in moof/mdat
        for kind, payload, end in top:
            if kind == b"mdat":
                digest.update(b"mdat")
                _copy(fileobj, payload, end, digest)
    tracks = [(p, e) for k, p, e in list(_boxes(fileobj, *moov)) if k == b"trak"]
    if not tracks:
        raise IntegrityError("no tracks")
    for number, trak in enumerate(tracks):
        hdlr = _child(fileobj, trak, b"mdia", b"hdlr")
        mdhd = _child(fileobj, trak, b"mdia", b"mdhd")
        stbl = _child(fileobj, trak, b"mdia", b"minf", b"stbl")
        if hdlr is None or mdhd is None or stbl is None:
            raise IntegrityError(f"track {number} lacks hdlr, mdhd or stbl")
        digest.update(b"track %d" % number)
        digest.update(_read(fileobj, hdlr)[8:12])  # handler type
        digest.update(_read(fileobj, mdhd))  # timescale and duration
        for name in (b"stsd", b"stts", b"stsz", b"stsc"):
            box = _child(fileobj, stbl, name)
            digest.update(name + (_read(fileobj, box) if box else b""))
        for offset, length in _samples(fileobj, stbl):
            _copy(fileobj, offset, offset + length, digest)


def _samples(fileobj: IO[bytes], stbl: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """(file offset, size) of every sample of one track, in decoding order."""
    stsz = _child(fileobj, stbl, b"stsz")
    stsc = _child(fileobj, stbl, b"stsc")
    stco = _child(fileobj, stbl, b"stco")
    co64 = _child(fileobj, stbl, b"co64")
    if stsz is None or stsc is None or (stco is None and co64 is None):
        raise IntegrityError("a track lacks its sample tables")
    data = _read(fileobj, stsz)
    fixed, count = struct.unpack(">II", data[4:12])
    sizes = (
        [fixed] * count if fixed else list(struct.unpack(f">{count}I", data[12 : 12 + 4 * count]))
    )
    data = _read(fileobj, stsc)
    (entries,) = struct.unpack(">I", data[4:8])
    runs = [struct.unpack(">III", data[8 + 12 * i : 20 + 12 * i])[:2] for i in range(entries)]
    if co64 is not None:
        data = _read(fileobj, co64)
        (chunks,) = struct.unpack(">I", data[4:8])
        offsets = list(struct.unpack(f">{chunks}Q", data[8 : 8 + 8 * chunks]))
    else:
        assert stco is not None
        data = _read(fileobj, stco)
        (chunks,) = struct.unpack(">I", data[4:8])
        offsets = list(struct.unpack(f">{chunks}I", data[8 : 8 + 4 * chunks]))
    sample = 0
    for run, (first, per_chunk) in enumerate(runs):
        last = runs[run + 1][0] - 1 if run + 1 < len(runs) else len(offsets)
        for chunk in range(first, last + 1):
            pos = offsets[chunk - 1]
            for _ in range(per_chunk):
                if sample >= len(sizes):
                    return
                yield pos, sizes[sample]
                pos += sizes[sample]
                sample += 1
    if sample != len(sizes):
        raise IntegrityError(f"sample tables place {sample} of {len(sizes)} samples")


# -- WAV ---------------------------------------------------------------------------------------


def _wav(fileobj: IO[bytes], size: int, digest: hashlib._Hash) -> None:
    fileobj.seek(0)
    head = fileobj.read(12)
    if not (head.startswith(b"RIFF") and head[8:12] == b"WAVE"):
        raise IntegrityError("no RIFF/WAVE header")
    pos = 12
    while pos + 8 <= size:
        fileobj.seek(pos)
        kind, length = struct.unpack("<4sI", fileobj.read(8))
        end = pos + 8 + length
        if kind.lower() != b"id3 ":
            digest.update(kind + struct.pack("<I", length))
            _copy(fileobj, pos + 8, min(end, size), digest)
        pos = end + (length & 1)
