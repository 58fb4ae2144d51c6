"""Podcasting 2.0 JSON transcripts: reader and writer.

``{"version": "1.0.0", "segments": [{"speaker": ..., "startTime": ..., "endTime": ..., "body":
...}]}``; ``speaker`` and ``endTime`` are optional in the spec, and so is ``startTime`` here
(an untimed JSON transcript reads fine, it just cannot be written back as a timed format). A
segment without a speaker whose whole body is bracketed is non-speech. Word-level files (one word
per segment) read as one segment per word; ``turns()`` groups them by speaker.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from stationcast.errors import InputError, Problem

from ._names import display_name, require_timed
from ._text import (
    _ILLEGAL,
    clean_text,
    describe_char,
    fail,
    is_whole_cue,
    prepare,
    problem,
    squash,
    visible,
)
from .model import Segment, Transcript, mark_turns

VERSION = "1.0.0"


def parse_json(text: str, *, source: str = "<transcript.json>") -> Transcript:
    """Parse a Podcasting 2.0 JSON transcript; InputError naming the segment if malformed."""
    text = prepare(text, source, normalize=False)
    if not text.strip():
        return Transcript()
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(source, exc.lineno, f"not valid JSON: {exc.msg}", column=exc.colno) from None
    except ValueError as exc:  # NaN, Infinity
        raise fail(source, None, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise fail(
            source,
            1,
            'expected a JSON object with a "segments" list, like {"version": "1.0.0", '
            '"segments": [{"speaker": "...", "startTime": 0.0, "endTime": 1.5, "body": "..."}]}',
        )
    problems: list[Problem] = []
    segments: list[Segment] = []
    for index, item in enumerate(data["segments"]):
        seg = _segment(item, f"segments[{index}]", source, problems)
        if seg is not None:
            segments.append(seg)
    if problems:
        raise InputError(problems)
    return Transcript(mark_turns(segments))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _segment(item: object, where: str, source: str, problems: list[Problem]) -> Segment | None:
    if not isinstance(item, dict):
        problems.append(problem(source, None, f"{where}: expected an object, got {_kind(item)}"))
        return None
    before = len(problems)
    body = item.get("body")
    if not isinstance(body, str):
        problems.append(
            problem(source, None, f"{where}.body: expected a string, got {_kind(body)}")
        )
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, str):
        problems.append(
            problem(source, None, f"{where}.speaker: expected a string, got {_kind(speaker)}")
        )
    start = _time(item, "startTime", where, source, problems)
    end = _time(item, "endTime", where, source, problems)
    if start is not None and end is not None and end < start:
        problems.append(
            problem(source, None, f"{where}: endTime {end} is before startTime {start}")
        )
    for field, value in (("body", body), ("speaker", speaker)):
        if isinstance(value, str) and (bad := _ILLEGAL.search(value)):
            problems.append(
                problem(
                    source,
                    None,
                    f"{where}.{field}: character {describe_char(bad.group())} is not allowed "
                    "in a transcript (XML 1.0 cannot carry it); remove it",
                )
            )
    if len(problems) > before or not isinstance(body, str):
        return None
    text = clean_text(body)
    if not visible(text):
        return None
    name = clean_text(speaker) if isinstance(speaker, str) else ""
    if not name and is_whole_cue(text):
        return Segment(text, start=start, end=end, kind="nonspeech")
    return Segment(text, speaker=name or None, start=start, end=end)


def _time(
    item: dict[str, object], key: str, where: str, source: str, problems: list[Problem]
) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(
            problem(
                source, None, f"{where}.{key}: expected a number of seconds, got {_kind(value)}"
            )
        )
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(
            problem(source, None, f"{where}.{key}: expected 0 or more seconds, got {value}")
        )
        return None
    return float(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return {"list": "an array", "dict": "an object"}.get(type(value).__name__, type(value).__name__)


def write_json(t: Transcript, names: Mapping[str, str] | None = None) -> str:
    """Write ``t`` as Podcasting 2.0 JSON (UTF-8 text, indented); ValueError if untimed."""
    require_timed(t.segments, "JSON")
    out: list[dict[str, object]] = []
    for seg in t.segments:
        entry: dict[str, object] = {}
        name = display_name(seg, names)
        text = squash(seg.text)
        if seg.kind == "nonspeech" and not is_whole_cue(text):
            text = f"({text})"
        if name:
            entry["speaker"] = squash(name)
        entry["startTime"] = float(seg.start)  # type: ignore[arg-type]
        entry["endTime"] = float(seg.end)  # type: ignore[arg-type]
        entry["body"] = text
        out.append(entry)
    document = {"version": VERSION, "segments": out}
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
