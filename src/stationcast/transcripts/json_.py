"""Podcasting 2.0 JSON transcripts: reader and writer.

``{"version": "1.0.0", "segments": [{"speaker": ..., "startTime": ..., "endTime": ..., "body":
...}]}``; ``speaker`` and ``endTime`` are optional in the spec, and so is ``startTime`` here
(an untimed JSON transcript reads fine, it just cannot be written back as a timed format). A
segment without a speaker whose whole body is bracketed is non-speech. Word-level files (one word
per segment) read as one segment per word; ``turns()`` groups them by speaker.
"""

from __future__ import annotations

import json
import json.scanner
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from stationcast.errors import InputError, Problem
from stationcast.inputs import MAX_JSON_DEPTH, json_too_deep

from ._names import display_name, require_timed
from ._text import (
    ILLEGAL,
    clean_text,
    describe_char,
    fail,
    is_whole_cue,
    prepare,
    problem,
    squash,
    visible,
)
from ._timed import credited
from .model import Segment, Transcript, mark_turns

VERSION = "1.0.0"
_MAX_PROBLEMS = 20  # a generated file can be wrong in every segment; show the first few


def parse_json(text: str, *, source: str = "<transcript.json>") -> Transcript:
    """Parse a Podcasting 2.0 JSON transcript.

    Raises InputError for malformed input: every bad segment is reported, named
    ``segments[N]`` and placed on the line its object starts on.
    """
    text = prepare(text, source, normalize=False)
    if not text.strip():
        return Transcript()
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(source, exc.lineno, f"not valid JSON: {exc.msg}", column=exc.colno) from None
    except ValueError as exc:  # NaN, Infinity
        raise fail(source, None, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise _too_deep(text, source) from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise fail(
            source,
            1,
            'expected a JSON object with a "segments" list, like {"version": "1.0.0", '
            '"segments": [{"speaker": "...", "startTime": 0.0, "endTime": 1.5, "body": "..."}]}',
        )
    problems: list[Problem] = []
    segments: list[Segment] = []
    failed: list[tuple[int, int]] = []  # (segment index, number of problems before it)
    for index, item in enumerate(data["segments"]):
        before = len(problems)
        seg = _segment(item, f"segments[{index}]", source, problems)
        if seg is not None:
            segments.append(seg)
        if len(problems) > before:
            failed.append((index, before))
    if problems:
        located = _with_lines(problems, failed, segment_lines(text))
        if len(located) > _MAX_PROBLEMS:
            more, first_hidden = len(located) - _MAX_PROBLEMS, located[_MAX_PROBLEMS]
            located = located[:_MAX_PROBLEMS]
            # InputError sorts by line, then message: this one comes after those shown.
            located.append(
                problem(
                    source,
                    first_hidden.line,
                    f"too many problems; {more} more in later segments are not shown",
                )
            )
        raise InputError(located)
    return Transcript(mark_turns(segments))


def _too_deep(text: str, source: str) -> InputError:
    where = json_too_deep(text)
    line, column = where if where else (None, None)
    return fail(
        source,
        line,
        f"is nested too deeply (arrays and objects more than {MAX_JSON_DEPTH} levels inside each"
        ' other); a JSON transcript is {"segments": [{...}, ...]}',
        column=column,
    )


def _with_lines(
    problems: list[Problem], failed: list[tuple[int, int]], lines: list[int]
) -> list[Problem]:
    """Give each segment's problems the line its object starts on."""
    out = list(problems)
    bounds = [*(before for _, before in failed[1:]), len(problems)]
    for (index, before), stop in zip(failed, bounds, strict=True):
        if index < len(lines):
            for k in range(before, stop):
                out[k] = replace(out[k], line=lines[index])
    return out


_WS = re.compile(r"[ \t\n\r]*")


def segment_lines(text: str) -> list[int]:
    """The line each element of the top-level "segments" array starts on (1-based).

    A second, position-tracking pass with the json module's own scanner, run only to place
    error messages; ``text`` must already be valid JSON. Returns [] if the shape is unexpected.
    """
    # typeshed types make_scanner's argument as itself; any JSONDecoder is the real context.
    scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    starts: list[int] = []
    try:
        i = skip(0)
        if text[i : i + 1] != "{":
            return []
        i = skip(i + 1)
        while text[i : i + 1] == '"':
            key, i = scan(text, i)
            i = skip(skip(i) + 1)  # the colon
            if key == "segments" and text[i : i + 1] == "[":
                starts = []  # like json.loads, the last "segments" key wins
                i = skip(i + 1)
                while text[i : i + 1] not in ("]", ""):
                    starts.append(i)
                    _, i = scan(text, i)
                    i = skip(i)
                    if text[i : i + 1] == ",":
                        i = skip(i + 1)
                i += 1
            else:
                _, i = scan(text, i)
            i = skip(i)
            if text[i : i + 1] == ",":
                i = skip(i + 1)
    except (StopIteration, ValueError, RecursionError):
        return []
    lines: list[int] = []
    line, last = 1, 0
    for start in starts:
        line += text.count("\n", last, start)
        last = start
        lines.append(line)
    return lines


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
        if isinstance(value, str) and (bad := ILLEGAL.search(value)):
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
    """Write ``t`` as Podcasting 2.0 JSON (UTF-8 text, indented); ValueError if untimed. The
    transcript's credit line is a last segment, of no speaker, after the last words."""
    require_timed(t.segments, "JSON")
    out: list[dict[str, object]] = []
    for seg in credited(t):
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
