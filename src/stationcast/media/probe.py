"""Probe audio (and video) enclosures with mutagen: exact size, MIME type, duration, chapters.

The format is decided from the file's bytes, never from its name: an M4A saved as
``audio.mp3`` probes as M4A and the caller can warn that the extension lies (Apple decides by
the URL's extension). Every failure, including exceptions mutagen lets escape on hostile
input, becomes an :class:`~stationcast.errors.AudioError` naming the file.

MIME types written to ``<enclosure type>``
==========================================

==============  ===================  ======================================================
format          MIME type            why
==============  ===================  ======================================================
mp3 (mp2, mp1)  ``audio/mpeg``       RFC 3003; Apple's enclosure list; PSP-1.
m4a             ``audio/x-m4a``      Apple's enclosure list ("A Podcaster's Guide to RSS",
                                     help.apple.com/itc/podcasts_connect/#/itcb54353390).
                                     The IANA type is ``audio/mp4`` (RFC 4337), but Apple
                                     documents ``audio/x-m4a`` and hosts that sent
                                     ``audio/mp4`` had reports (podlove-publisher #1180).
mp4-video       ``video/mp4``        Apple's list; RFC 4337.
m4v-video       ``video/x-m4v``      Apple's list (file brand ``M4V``).
mov-video       ``video/quicktime``  Apple's list (file brand ``qt``).
ogg-vorbis      ``audio/ogg``        RFC 5334 / IANA audio/ogg registration.
opus            ``audio/ogg``        RFC 7845 section 9: "The RECOMMENDED mime-type for Ogg
                                     Opus files is audio/ogg"; section 10 added ``.opus`` to
                                     the IANA audio/ogg registration. ``audio/opus``
                                     (RFC 7587) is the RTP payload type. The optional
                                     ``; codecs=opus`` is left out: apps that compare the
                                     type string exactly would not recognise it.
flac            ``audio/flac``       Registered by RFC 9639 (FLAC).
wav             ``audio/wav``        What browsers and podcast apps recognise (MDN "Common
                                     media types"); IANA only has ``audio/vnd.wave``
                                     (RFC 2361), which players rarely know.
==============  ===================  ======================================================

Apple accepts only :data:`APPLE_FORMATS` (reference notes, podcast-standards.md section
2.3, and PSP-1 allows only MP3 and MPEG-4); the others are valid RSS enclosures that many
Podcasting 2.0 apps play, and the build should warn about them.
"""

from __future__ import annotations

import math
import os
import re
import stat
import struct
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import mutagen
from mutagen.flac import FLAC
from mutagen.id3 import CTOCFlags
from mutagen.id3 import error as ID3Error
from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from stationcast.errors import AudioError

__all__ = [
    "APPLE_FORMATS",
    "EXTENSIONS",
    "MIME_TYPES",
    "AudioInfo",
    "Chapter",
    "extension_warning",
    "probe_audio",
]

MIME_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "mp2": "audio/mpeg",
    "mp1": "audio/mpeg",
    "m4a": "audio/x-m4a",
    "mp4-video": "video/mp4",
    "m4v-video": "video/x-m4v",
    "mov-video": "video/quicktime",
    "ogg-vorbis": "audio/ogg",
    "opus": "audio/ogg",
    "flac": "audio/flac",
    "wav": "audio/wav",
}

# The formats Apple Podcasts accepts as enclosures ("A Podcaster's Guide to RSS").
APPLE_FORMATS = frozenset({"mp3", "m4a", "mp4-video", "m4v-video", "mov-video"})

# File extensions that fit each format; the first is the one to rename to. Apple Podcasts
# decides whether to show an episode by the enclosure URL's extension (podcast-standards.md
# section 2.3), so content and name must agree.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "mp3": (".mp3",),
    "mp2": (".mp3", ".mp2"),
    "mp1": (".mp3", ".mp1"),
    "m4a": (".m4a", ".m4b"),
    "mp4-video": (".mp4", ".m4v"),
    "m4v-video": (".m4v", ".mp4"),
    "mov-video": (".mov",),
    "ogg-vorbis": (".ogg", ".oga"),
    "opus": (".opus", ".ogg", ".oga"),
    "flac": (".flac",),
    "wav": (".wav", ".wave"),
}

MAX_DURATION = 24 * 3600.0  # seconds; longer is a broken header, not an episode
MIN_DURATION = 1.0  # seconds; shorter is a truncated file, not an episode
MAX_AUDIO_BYTES_PER_SECOND = 10_000_000  # far above 8-channel 192 kHz 32-bit PCM (6 MB/s)
_HEAD_BYTES = 64
_MP3_SCAN_LIMIT = 512 * 1024 * 1024  # count frames of headerless MP3s up to this size
_MAX_MPEG_FRAME = 2881  # bytes: layer II/III, 384 kbit/s at 32 kHz, with padding
_MP3_TRAILERS = (b"TAG", b"APETAGEX", b"LYRICSBEGIN", b"ID3")
_MAX_OGG_PAGE = 27 + 255 + 255 * 255  # header, lacing values, largest body
_MP4_BOX_LIMIT = 100_000
_MOOV_LIMIT = 64 * 1024 * 1024

# Exceptions mutagen is known to let escape on malformed input (mutagen #419, #422, #426).
PARSER_ERRORS = (
    mutagen.MutagenError,
    IndexError,
    KeyError,
    ValueError,
    TypeError,
    AssertionError,
    OverflowError,
    ZeroDivisionError,
    EOFError,
    struct.error,
)


@dataclass(frozen=True)
class Chapter:
    """A chapter embedded in the media file; times in seconds from the start."""

    start: float
    end: float | None
    title: str
    url: str | None = None


@dataclass(frozen=True)
class AudioInfo:
    """What a feed needs to know about one enclosure file."""

    size: int  # exact bytes
    mime_type: str  # what podcast apps expect (see the table in the module docstring)
    duration: float  # seconds
    bitrate: int | None  # bits per second
    sample_rate: int | None
    channels: int | None
    format: str  # a key of MIME_TYPES
    chapters: tuple[Chapter, ...] = ()
    has_cover: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-compatible dict; :meth:`from_json` restores an equal object."""
        data = asdict(self)
        data["chapters"] = [asdict(c) for c in self.chapters]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AudioInfo:
        chapters = tuple(Chapter(**c) for c in data.get("chapters", ()))
        return cls(**{**data, "chapters": chapters})


# --------------------------------------------------------------------------------------------
# Probing


def extension_warning(path: Path, info: AudioInfo) -> str | None:
    """A sentence for the build's warnings when the file's extension lies about its content."""
    suffix = Path(path).suffix.lower()
    fitting = EXTENSIONS[info.format]
    if suffix in fitting:
        return None
    return (
        f"the extension {suffix or '(none)'} does not match the content ({info.format}, "
        f"{info.mime_type}); podcast apps such as Apple Podcasts go by the extension in the "
        f"URL, so rename the file to {Path(path).stem}{fitting[0]}"
    )


def probe_audio(path: Path) -> AudioInfo:
    """Probe one local media file.

    Raises :class:`AudioError` when the file is missing, not a regular file, unreadable,
    empty, not audio in a supported format, has corrupt tags, or looks truncated.
    """
    path = Path(path)
    _require_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise AudioError(path, "audio file not found") from None
    except OSError as err:
        raise AudioError(path, f"cannot be read: {err.strerror}") from None
    with os.fdopen(fd, "rb") as fileobj:
        st = os.fstat(fileobj.fileno())
        _require_regular_mode(path, st.st_mode)  # it may have been swapped since the stat
        if st.st_size == 0:
            raise AudioError(path, "is empty (0 bytes)")
        try:
            info = _probe_open(path, fileobj, st.st_size)
        except OSError as err:
            raise AudioError(path, f"cannot be read: {err.strerror or err}") from None
        except Mp4BoxOverrun as cut:  # a box inside the index that overruns its parent
            name = cut.kind.decode("latin-1")
            raise AudioError(
                path,
                f"is damaged: its '{name}' box needs {cut.box_end} bytes but its container ends at "
                f"{cut.file_end}",
            ) from None
    return info


def _require_regular_file(path: Path) -> None:
    """Refuse directories, FIFOs, devices and sockets before opening (a FIFO would block)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AudioError(path, "audio file not found") from None
    except OSError as err:
        raise AudioError(path, f"cannot be read: {err.strerror}") from None
    _require_regular_mode(path, st.st_mode)


def _require_regular_mode(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    kind = next((name for test, name in kinds if test(mode)), "not a file")
    raise AudioError(path, f"is not a regular file (it is {kind})")


def _probe_open(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Sniff the container from the first bytes, then parse it with the matching mutagen class."""
    head = fileobj.read(_HEAD_BYTES)
    kind = _sniff(path, fileobj, head)
    fileobj.seek(0)
    prober = _PROBERS[kind]
    try:
        info = prober(path, fileobj, size)
    except AudioError:
        raise
    except ID3Error as err:
        detail = str(err).strip()
        raise AudioError(
            path, "has a corrupt ID3 tag" + (f" ({detail})" if detail else "")
        ) from None
    except HeaderNotFoundError:
        raise AudioError(path, _not_audio_message(head)) from None
    except PARSER_ERRORS as err:
        raise AudioError(path, f"is not readable as {kind.upper()} ({_describe(err)})") from None
    _check_plausible(path, info)
    return info


def _describe(err: BaseException) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _not_audio_message(head: bytes) -> str:
    message = (
        "is not audio in a supported format (no MP3 frame sync, and no M4A/MP4, Ogg, FLAC "
        "or WAV header)"
    )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        message += "; it looks like HTML, perhaps an error page saved in place of the audio"
    return message


def _sniff(path: Path, fileobj: IO[bytes], head: bytes) -> str:
    """Name the container from its magic bytes; unknown bytes fall back to an MP3 sync search."""
    if head.startswith(b"ID3"):
        after = _after_id3(fileobj, head)
        return "flac" if after == b"fLaC" else "mp3"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[4:8] == b"ftyp" or head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return _sniff_ogg(path, head)
    unsupported = _unsupported_message(head)
    if unsupported:
        raise AudioError(path, unsupported)
    return "mp3"


def _after_id3(fileobj: IO[bytes], head: bytes) -> bytes:
    """The 4 bytes after an ID3v2 tag (b'' if the tag's size field is malformed)."""
    size_bytes = head[6:10]
    if len(size_bytes) < 4 or any(b & 0x80 for b in size_bytes):
        return b""
    size = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(size_bytes))
    if head[5] & 0x10:  # footer present
        size += 10
    fileobj.seek(size)
    return fileobj.read(4)


def _sniff_ogg(path: Path, head: bytes) -> str:
    segments = head[26] if len(head) > 26 else 0
    packet = head[27 + segments :]
    if packet.startswith(b"\x01vorbis"):
        return "ogg-vorbis"
    if packet.startswith(b"OpusHead"):
        return "opus"
    codecs = {
        b"Speex": "Ogg Speex audio",
        b"\x7fFLAC": "Ogg FLAC audio",
        b"\x80theora": "Ogg Theora video",
        b"fishead": "an Ogg Skeleton stream",
    }
    name = next((n for magic, n in codecs.items() if packet.startswith(magic)), None)
    raise AudioError(
        path,
        f"is {name or 'an Ogg stream of an unknown codec'}, which "
        "stationcast does not publish; use Ogg Vorbis, Opus, MP3 or M4A",
    )


def _unsupported_message(head: bytes) -> str | None:
    """Recognise common containers we do not publish, to say what they are and what to do."""
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return (
            "is a raw AAC (ADTS) stream, which podcast apps do not expect; wrap it in M4A "
            "without re-encoding: ffmpeg -i in.aac -c copy out.m4a"
        )
    names = [
        (b"FORM", "AIFF audio"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "Windows Media (ASF) audio"),
        (b"\x1a\x45\xdf\xa3", "Matroska/WebM media"),
        (b"wvpk", "WavPack audio"),
        (b"MAC ", "Monkey's Audio"),
        (b"MPCK", "Musepack audio"),
        (b"MP+", "Musepack audio"),
        (b"TTA1", "TrueAudio"),
        (b"tBaK", "TAK audio"),
    ]
    name = next((name for magic, name in names if head.startswith(magic)), None)
    if name is None:
        return None
    return f"is {name}, which stationcast does not publish; convert it to MP3 or M4A"


# --------------------------------------------------------------------------------------------
# One prober per container


def _load(kind: Any, fileobj: IO[bytes]) -> Any:
    """Parse with one mutagen class (mutagen's classes are untyped: keep that contained)."""
    return kind(fileobj)


def _probe_mp3(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    audio = _load(MP3, fileobj)
    info = audio.info
    duration, bitrate = float(info.length), int(info.bitrate or 0)
    if info.bitrate_mode == BitrateMode.UNKNOWN:  # no Xing/Info/VBRI header: count frames
        counted = _count_mpeg_frames(fileobj, getattr(info, "frame_offset", 0), size)
        if counted is not None:
            duration, bitrate = counted
    else:
        _require_complete(path, "MP3", bitrate, duration, size)
    fmt = f"mp{info.layer}"
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES[fmt],
        duration=duration,
        bitrate=bitrate or None,
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format=fmt,
        chapters=_id3_chapters(audio.tags),
        has_cover=_id3_has_cover(audio.tags),
    )


def _probe_mp4(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    layout = _mp4_layout(path, fileobj, size)
    fileobj.seek(0)
    audio = _load(MP4, fileobj)
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


def _probe_ogg(path: Path, fileobj: IO[bytes], size: int, opus: bool) -> AudioInfo:
    audio = _load(OggOpus if opus else OggVorbis, fileobj)
    info = audio.info
    duration = float(info.length)
    if not _ogg_ends_with_eos(fileobj, size):
        raise AudioError(
            path,
            "looks truncated: its last Ogg page does not end the stream (no end-of-stream "
            "flag); if it is a complete stream recording, re-mux it: ffmpeg -i in -c copy out",
        )
    sample_rate = 48000 if opus else int(info.sample_rate)  # Opus always decodes at 48 kHz
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES["opus" if opus else "ogg-vorbis"],
        duration=duration,
        bitrate=_bitrate(info, size, duration),
        sample_rate=sample_rate,
        channels=int(info.channels) or None,
        format="opus" if opus else "ogg-vorbis",
        chapters=_vorbis_chapters(audio.tags, duration),
        has_cover=_vorbis_has_cover(audio.tags),
    )


def _ogg_ends_with_eos(fileobj: IO[bytes], size: int) -> bool:
    """Whether the file's last Ogg page carries the end-of-stream flag (RFC 3533 section 6).

    Every encoder sets it on the final page, so a file cut short ends without it.
    """
    start = max(0, size - _MAX_OGG_PAGE)
    fileobj.seek(start)
    tail = fileobj.read()
    at = tail.rfind(b"OggS")
    while at != -1:
        if at + 27 <= len(tail) and tail[at + 4] == 0:  # stream structure version 0
            return bool(tail[at + 5] & 0x04)
        at = tail.rfind(b"OggS", 0, at)
    return False


def _probe_flac(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    audio = _load(FLAC, fileobj)
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
        bitrate=_bitrate(info, size, duration),
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format="flac",
        chapters=_vorbis_chapters(audio.tags, duration),
        has_cover=bool(audio.pictures) or _vorbis_has_cover(audio.tags),
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


def _probe_wav(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    audio = _load(WAVE, fileobj)
    info = audio.info
    duration, bitrate = float(info.length), int(info.bitrate or 0)
    _require_complete(path, "WAV", bitrate, duration, size)
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES["wav"],
        duration=duration,
        bitrate=bitrate or None,
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format="wav",
        chapters=_id3_chapters(audio.tags),
        has_cover=_id3_has_cover(audio.tags),
    )


def _require_complete(path: Path, container: str, bitrate: int, duration: float, size: int) -> None:
    """Refuse a file much smaller than its own header's byte count (bitrate x duration)."""
    expected = bitrate * duration / 8
    if size < 0.9 * expected:
        raise AudioError(
            path,
            f"looks truncated: its {container} header describes about {round(expected)} bytes "
            f"of audio but the file has {size}",
        )


def _bitrate(info: Any, size: int, duration: float) -> int | None:
    """The stream's own bitrate if it states one, else the file's average."""
    stated = int(getattr(info, "bitrate", 0) or 0)
    if stated:
        return stated
    return round(size * 8 / duration) if duration > 0 else None


_PROBERS = {
    "mp3": _probe_mp3,
    "mp4": _probe_mp4,
    "ogg-vorbis": lambda p, f, s: _probe_ogg(p, f, s, opus=False),
    "opus": lambda p, f, s: _probe_ogg(p, f, s, opus=True),
    "flac": _probe_flac,
    "wav": _probe_wav,
}


def _check_plausible(path: Path, info: AudioInfo) -> None:
    """Reject durations no real episode has: broken headers and truncated files."""
    duration = info.duration
    if not math.isfinite(duration) or duration <= 0:
        raise AudioError(path, f"has no playable audio (duration {duration} s)")
    if duration > MAX_DURATION:
        raise AudioError(
            path,
            f"duration {duration:.0f} s is implausible (more than 24 h); "
            "its header is probably corrupt",
        )
    if duration < MIN_DURATION:
        raise AudioError(
            path, f"duration {duration:.2f} s looks truncated (size {info.size} bytes)"
        )
    audio_only = not info.format.endswith("-video")
    if audio_only and info.size / duration > MAX_AUDIO_BYTES_PER_SECOND:
        raise AudioError(
            path,
            f"duration {duration:.2f} s is implausibly short for "
            f"{info.size} bytes of audio; its header is probably corrupt",
        )


# --------------------------------------------------------------------------------------------
# MP3 frame counting (headerless VBR files have no frame count anywhere)

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


# --------------------------------------------------------------------------------------------
# MP4 boxes: completeness, brand, video tracks, movie duration


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


# --------------------------------------------------------------------------------------------
# Chapters and cover art


def _id3_chapters(tags: Any) -> tuple[Chapter, ...]:
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


def _id3_has_cover(tags: Any) -> bool:
    return tags is not None and bool(tags.getall("APIC"))


def _mp4_chapters(chapters: Any, duration: float) -> tuple[Chapter, ...]:
    """Nero-style 'chpl' chapters (what mutagen exposes); each ends where the next starts."""
    if not chapters:
        return ()
    starts = sorted((float(c.start), str(c.title)) for c in chapters)
    ends = [s for s, _ in starts[1:]] + [duration]
    return tuple(Chapter(start=s, end=e, title=t) for (s, t), e in zip(starts, ends, strict=True))


_VORBIS_CHAPTER = re.compile(r"^chapter(\d{3})$")
_CHAPTER_TIME = re.compile(r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def _vorbis_chapters(tags: Any, duration: float) -> tuple[Chapter, ...]:
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


def _vorbis_has_cover(tags: Any) -> bool:
    return tags is not None and any(k in tags for k in ("metadata_block_picture", "coverart"))
