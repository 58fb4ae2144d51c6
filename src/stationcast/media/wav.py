"""WAV files (RIFF WAVE), read by mutagen, with ID3 chapters and cover when they carry an
'id3 ' chunk."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from mutagen.wave import WAVE

from stationcast.media.formats import MIME_TYPES
from stationcast.media.info import AudioInfo, load, require_complete
from stationcast.media.tags import id3_chapters, id3_has_cover


def probe(path: Path, fileobj: IO[bytes], size: int) -> AudioInfo:
    """Probe a WAV file, refusing one smaller than its header says."""
    audio = load(WAVE, fileobj)
    info = audio.info
    duration, bitrate = float(info.length), int(info.bitrate or 0)
    require_complete(path, "WAV", bitrate, duration, size)
    return AudioInfo(
        size=size,
        mime_type=MIME_TYPES["wav"],
        duration=duration,
        bitrate=bitrate or None,
        sample_rate=info.sample_rate or None,
        channels=info.channels or None,
        format="wav",
        chapters=id3_chapters(audio.tags),
        has_cover=id3_has_cover(audio.tags),
    )
