"""What every container adapter shares: the metadata to write, managed fields, and changes.

A container adapter (ID3, MP4, Vorbis comments) turns one :class:`Metadata` into a list of
:class:`Field` objects. A field knows how to read its current value from a loaded mutagen
object as a *normalised* value (plain tuples, strings and bytes, never mutagen frames), and
how to write the wanted value. Comparing normalised values is what makes tagging idempotent
and what ``--dry-run`` prints: a field whose current value equals the wanted one is not
touched, and a file where no field differs is not written at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from stationcast.errors import StationcastError

#: The genre stationcast writes: what Apple and most players group podcast files under.
GENRE = "Podcast"


class TagError(StationcastError):
    """Tagging could not complete; the message names the episode and the file."""


@dataclass(frozen=True)
class Cover:
    """The artwork embedded as the front cover."""

    data: bytes
    mime: str  # image/jpeg or image/png
    width: int
    height: int
    depth: int  # bits per pixel (FLAC/Vorbis picture blocks state it)


@dataclass(frozen=True)
class ChapterMark:
    """A manifest chapter with its end time resolved (next start, or the audio's end)."""

    start: float  # seconds
    end: float  # seconds
    title: str
    url: str | None
    toc: bool  # False: a silent chapter, left out of the table of contents


@dataclass(frozen=True)
class Metadata:
    """Everything stationcast writes into one episode's audio file.

    ``None`` (or an empty tuple for ``artists``) means "the manifest does not say": the
    matching tags are left as they are, never deleted.
    """

    title: str
    artists: tuple[str, ...]
    album: str
    published: datetime  # aware; written in UTC
    summary: str
    lyrics: str | None  # the transcript as plain text
    copyright: str | None
    publisher: str  # the station's name
    page_url: str  # the episode's page: {base_url}{slug}/
    feed_url: str
    guid: str
    language: str  # the show's language code (en-us)
    cover: Cover | None
    chapters: tuple[ChapterMark, ...] | None  # None: keep the file's own chapters

    @property
    def utc(self) -> datetime:
        """``published`` in UTC, without an offset (how the tag formats then write it)."""
        return self.published.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Change:
    """One field that differs: what the file has now and what it will have."""

    key: str  # the frame, atom or comment name as the format spells it (TIT2, ©nam, TITLE)
    old: Any  # normalised; None when absent
    new: Any
    show: Callable[[Any], str]

    def render(self) -> str:
        return f"{self.key}: {self.show(self.old)} -> {self.show(self.new)}"


@dataclass(frozen=True)
class Field:
    """One managed frame, atom or comment (or a group written as one: CHAP+CTOC, covers)."""

    key: str
    wanted: Any
    read: Callable[[Any], Any]  # mutagen object -> normalised current value (None if absent)
    write: Callable[[Any, Any], None]  # (mutagen object, wanted) -> None
    show: Callable[[Any], str] = lambda value: show_value(value)
    #: Whether an entry of the format's tag mapping (key, value) is this field's; entries no
    #: field owns are "not ours" and must come through a write unchanged.
    owns: Callable[[str, Any], bool] = lambda key, value: False

    def change(self, audio: Any) -> Change | None:
        old = self.read(audio)
        if old == self.wanted:
            return None
        return Change(self.key, old, self.wanted, self.show)


# --------------------------------------------------------------------------------------------
# Showing values in --dry-run output

SHORT = 60  # characters of a text value shown before it is cut


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` quoted, on one line, cut to ``limit`` characters with its full length."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return repr(flat) if flat == text else repr(flat) + f" ({len(text)} chars)"
    return repr(flat[: limit - 1] + "…") + f" ({len(text)} chars)"


def show_value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, bytes):
        return show_bytes(value)
    if isinstance(value, tuple | list):
        if not value:
            return "(none)"
        return ", ".join(show_value(v) for v in value)
    return repr(value)


def show_bytes(data: bytes, what: str = "") -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    label = f"{what}, " if what else ""
    return f"{label}{len(data):,} bytes, sha256 {digest}"


def clock(seconds: float) -> str:
    """0:05, 1:02:03.5: how a chapter start is shown."""
    whole = int(seconds)
    frac = seconds - whole
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    text = f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    if frac > 0.0005:
        text += f"{frac:.3f}"[1:].rstrip("0")
    return text
