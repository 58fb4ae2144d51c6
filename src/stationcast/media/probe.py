"""Probe audio (and video) enclosures with mutagen: exact size, MIME type, duration, chapters.

The format is decided from the file's bytes, never from its name: an M4A saved as
``audio.mp3`` probes as M4A and the caller can warn that the extension lies (Apple decides by
the URL's extension). Every failure, including exceptions mutagen lets escape on hostile
input, becomes an :class:`~stationcast.errors.AudioError` naming the file.

Each container has its module (mp3, mp4, ogg, flac, wav) with a prober that takes the open
file; this module opens the file, names the container from its first bytes, calls the
prober, and turns every failure into an AudioError."""

from __future__ import annotations

import io
import math
import os
import stat
from pathlib import Path
from typing import IO, cast

from mutagen.id3 import error as ID3Error
from mutagen.mp3 import HeaderNotFoundError

from stationcast.errors import AudioError
from stationcast.media import flac, mp3, mp4, ogg, wav
from stationcast.media.info import PARSER_ERRORS, AudioInfo, Prober
from stationcast.media.ranged import RangedFile

MAX_DURATION = 24 * 3600.0  # seconds; longer is a broken header, not an episode
MIN_DURATION = 1.0  # seconds; shorter is a truncated file, not an episode
MAX_AUDIO_BYTES_PER_SECOND = 10_000_000  # far above 8-channel 192 kHz 32-bit PCM (6 MB/s)
_HEAD_BYTES = 64


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
    return info


def probe_ranged(where: str, fileobj: RangedFile) -> AudioInfo | None:
    """Probe a remote file through range requests (see stationcast.media.ranged) exactly as
    probe_audio probes a local one. None when that would need more of the file than the
    budget, or a request failed (`fileobj.failure` says which); AudioError when the bytes
    are not audio stationcast reads."""
    path = Path(where)
    try:
        info = _probe_open(path, cast(IO[bytes], fileobj), fileobj.size)
    except AudioError:
        if fileobj.failure is not None:  # a parser saw the failed read as damage
            return None
        raise
    except OSError:
        return None
    return None if fileobj.failure is not None else info


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


# Container (as _sniff names it) -> its prober. A new container adds its module and a row here.
PROBERS: dict[str, Prober] = {
    "mp3": mp3.probe,
    "mp4": mp4.probe,
    "ogg-vorbis": ogg.probe_vorbis,
    "opus": ogg.probe_opus,
    "flac": flac.probe,
    "wav": wav.probe,
}


def _probe_open(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Sniff the container from the first bytes, then parse it with the matching mutagen class."""
    head = fileobj.read(_HEAD_BYTES)
    kind = _sniff(path, fileobj, head)
    fileobj.seek(0)
    prober = PROBERS[kind]
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


#: The containers a sniffed format may be announced as (Apple's spelling; aliases map to it).
SNIFFED_TYPES: dict[str, frozenset[str]] = {
    "mp3": frozenset({"audio/mpeg"}),
    "mp4": frozenset({"audio/x-m4a", "video/mp4", "video/x-m4v", "video/quicktime"}),
    "flac": frozenset({"audio/flac", "audio/x-flac"}),
    "wav": frozenset({"audio/wav", "audio/x-wav", "audio/wave"}),
    "ogg-vorbis": frozenset({"audio/ogg", "audio/vorbis"}),
    "opus": frozenset({"audio/ogg", "audio/opus"}),
}


def sniff_format(head: bytes, where: str = "<audio>") -> str:
    """The container the first bytes of a file (a download's first kilobytes) show: a key of
    SNIFFED_TYPES. AudioError when they are not audio stationcast publishes (an HTML page,
    another container, no MPEG frame sync)."""
    path = Path(where)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise AudioError(path, _not_audio_message(head))
    kind = _sniff(path, io.BytesIO(head), head)
    if kind == "mp3" and not head.startswith(b"ID3") and not _has_sync(head):
        raise AudioError(path, _not_audio_message(head))
    return kind


def _has_sync(head: bytes) -> bool:
    """Whether an MPEG audio frame header could start in `head` (11 set bits, a layer)."""
    at = head.find(b"\xff")
    while 0 <= at < len(head) - 1:
        if head[at + 1] & 0xE0 == 0xE0 and head[at + 1] & 0x06:
            return True
        at = head.find(b"\xff", at + 1)
    return False


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
