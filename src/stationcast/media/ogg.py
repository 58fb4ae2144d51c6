"""Ogg files: Vorbis and Opus (the codec is told apart by stationcast.media.probe). mutagen
reads them; the end-of-stream check here refuses a file cut short."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from stationcast.errors import AudioError
from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, load, stream_bitrate
from stationcast.media.tags import vorbis_chapters, vorbis_has_cover

_MAX_OGG_PAGE = 27 + 255 + 255 * 255  # header, lacing values, largest body


def probe_vorbis(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe an Ogg Vorbis file."""
    return _probe_ogg(path, fileobj, size, opus=False)


def probe_opus(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe an Ogg Opus file."""
    return _probe_ogg(path, fileobj, size, opus=True)


def _probe_ogg(path: Path, fileobj: IO[bytes], size: int, opus: bool) -> AudioInfo:
    audio = load(OggOpus if opus else OggVorbis, fileobj)
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
        bitrate=stream_bitrate(info, size, duration),
        sample_rate=sample_rate,
        channels=int(info.channels) or None,
        format="opus" if opus else "ogg-vorbis",
        chapters=vorbis_chapters(audio.tags, duration),
        has_cover=vorbis_has_cover(audio.tags),
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
