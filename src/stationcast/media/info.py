"""What a probe returns (:class:`AudioInfo`), and what every container's prober shares:
the mutagen exceptions to catch, loading a file with a mutagen class, the completeness check
for headers that state a byte rate, and the bitrate fallback."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import mutagen

from stationcast.errors import AudioError

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
    mime_type: str  # what podcast apps expect (see stationcast.media.formats)
    duration: float  # seconds
    bitrate: int | None  # bits per second
    sample_rate: int | None
    channels: int | None
    format: str  # a key of stationcast.media.formats.MIME_TYPES
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


# One container's prober: (path for messages, the open file at offset 0, its size in bytes).
Prober = Callable[[Path, IO[bytes], int], AudioInfo]


def load(kind: Any, fileobj: IO[bytes]) -> Any:
    """Parse with one mutagen class (mutagen's classes are untyped: keep that contained)."""
    return kind(fileobj)


def require_complete(path: Path, container: str, bitrate: int, duration: float, size: int) -> None:
    """Refuse a file much smaller than its own header's byte count (bitrate x duration)."""
    expected = bitrate * duration / 8
    if size < 0.9 * expected:
        raise AudioError(
            path,
            f"looks truncated: its {container} header describes about {round(expected)} bytes "
            f"of audio but the file has {size}",
        )


def stream_bitrate(info: Any, size: int, duration: float) -> int | None:
    """The stream's own bitrate if it states one, else the file's average."""
    stated = int(getattr(info, "bitrate", 0) or 0)
    if stated:
        return stated
    return round(size * 8 / duration) if duration > 0 else None
