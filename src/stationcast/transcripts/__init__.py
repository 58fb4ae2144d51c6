"""Transcripts: one reader and/or writer per format, all sharing one model.

Readers: station text (``.txt``, NPR style), WebVTT (``.vtt``), SRT (``.srt``) and
Podcasting 2.0 JSON (``.json``), dispatched by :func:`read_transcript`. Writers: WebVTT, SRT
and JSON (timed transcripts only: timings are never invented) and plain text. HTML pages are
rendered by :mod:`stationcast.pages` from :meth:`Transcript.turns` and :func:`split_cues`.
:func:`resolve_speakers` maps the labels a transcript uses to the people the manifest credits.

Decisions worth knowing:

- Segment text is plain text, NFC, with runs of spaces/tabs/newlines collapsed and all
  whitespace stripped at the ends; other Unicode spaces inside are kept. Segments with nothing
  visible are dropped. Markup is never interpreted: escaping is each writer's job.
- Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE, U+FFFF, lone surrogates)
  are an InputError naming line, column and code point; they are never dropped silently.
- Non-speech cues keep their brackets in ``text`` (``(LAUGHTER)``), so every output, plain
  text included, still marks them.
- ``Segment.speaker`` is the label as written, without its role (``ARI SHAPIRO`` for
  ``ARI SHAPIRO, HOST:``; the role is ``label_role``). The unlabelled opening of a station
  transcript has ``intro=True`` and no speaker; writers and pages attribute it to
  ``names[INTRO_KEY]`` (the host) when :func:`resolve_speakers` found one.
- Timed formats have no paragraphs, so their readers derive ``new_turn`` from speaker changes
  (:func:`mark_turns`); write -> read gives back exactly those segments (speakers then as full
  names). SRT's ``Name:`` convention cannot say "unknown speaker" after a known one; such a cue
  reads back as the previous speaker's.
- Everything is linear in the input; no regular expression can backtrack catastrophically.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from pathlib import Path

from stationcast import inputs
from stationcast.errors import InputError, byte_position
from stationcast.inputs import TRANSCRIPT, TRANSCRIPT_BYTES, Refused, read_input
from stationcast.spec.media import TRANSCRIPT_FORMATS
from stationcast.spec.media import TranscriptFormat as Format

from ._text import fail, split_cues
from .json_ import parse_json, write_json
from .model import INTRO_KEY, Kind, Segment, Transcript, Turn, mark_turns
from .resolve import label_key, resolve_speakers
from .srt import parse_srt, write_srt
from .station import Label, match_label, parse_station_text
from .text import write_text
from .vtt import parse_vtt, write_vtt

Reader = Callable[..., Transcript]

#: Largest transcript file read (a three-hour show's word-level JSON is about 5 MB).
MAX_BYTES = TRANSCRIPT_BYTES
Writer = Callable[[Transcript, Mapping[str, str] | None], str]


#: The formats the feed links, by name (extension, MIME type, timed or not, rel): the table
#: of stationcast.spec.media.
FORMATS = TRANSCRIPT_FORMATS

#: Readers by file extension. ``.txt`` is station text (NPR style), which the plain-text writer
#: also produces.
READERS: dict[str, Reader] = {
    ".txt": parse_station_text,
    ".vtt": parse_vtt,
    ".srt": parse_srt,
    ".json": parse_json,
}

#: Writers by format name (HTML pages are rendered by stationcast.pages). The build writes
#: one ``transcript<extension>`` file per writer, in the order of FORMATS.
WRITERS: dict[str, Writer] = {
    "vtt": write_vtt,
    "srt": write_srt,
    "json": write_json,
    "text": write_text,
}

#: The text of each written format's link on the episode page.
LABELS: dict[str, str] = {
    "vtt": "WebVTT captions",
    "srt": "SRT captions",
    "json": "JSON transcript (Podcasting 2.0)",
    "text": "Plain text transcript",
}


def read_transcript(path: Path, *, source: str | None = None) -> Transcript:
    """Read a transcript file, choosing the reader by extension.

    ``source`` is the name used in error messages (default: ``str(path)``). Raises InputError for
    an unknown extension, something other than a regular file (refused before it is opened), a
    file over ``MAX_BYTES`` (refused before it is read), a loop of links, bytes that are not
    UTF-8 (UTF-16 with a BOM is accepted), and malformed content; FileNotFoundError when there
    is no file. Empty files give an empty Transcript.
    """
    where = source if source is not None else str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(READERS)
        raise fail(
            where,
            None,
            f"unsupported transcript format {path.suffix or '(no extension)'!r}; "
            f"expected one of {known}",
        )
    try:
        data = read_input(path, inputs.Kind(TRANSCRIPT.what, MAX_BYTES))
    except Refused as exc:
        if exc.missing:
            raise FileNotFoundError(errno.ENOENT, "not found", str(path)) from None
        raise fail(where, None, exc.message) from None
    return reader(decode(data, where), source=where)


def decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM -> str; InputError at the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise fail(
                source, None, f"not valid UTF-16 at byte {exc.start}; save the file as UTF-8"
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        raise fail(
            source,
            line,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); save the file as UTF-8",
            column=column,
        ) from None


__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "INTRO_KEY",
    "LABELS",
    "READERS",
    "WRITERS",
    "Format",
    "InputError",
    "Kind",
    "Label",
    "Segment",
    "Transcript",
    "Turn",
    "decode",
    "label_key",
    "mark_turns",
    "match_label",
    "parse_json",
    "parse_srt",
    "parse_station_text",
    "parse_vtt",
    "read_transcript",
    "resolve_speakers",
    "split_cues",
    "write_json",
    "write_srt",
    "write_text",
    "write_vtt",
]
