"""Checks on the bytes of linked files: artwork (Pillow), transcripts, JSON chapters.

Each function returns a list of (rule id, message) problems; callers attach line/element.
"""

from __future__ import annotations

import io
import json
import math
import re
import warnings

from PIL import Image, UnidentifiedImageError

from stationcast.spec.apple import ARTWORK_FORMATS, artwork_faults
from stationcast.spec.media import (
    SRT_CUE_LINES,
    SRT_LINE_CHARS,
    TRANSCRIPT_FORMATS,
    VTT_LINE_CHARS,
)

from .text import quote

Problem = tuple[str, str]

_ARTWORK_EXTENSIONS = frozenset(ext for exts in ARTWORK_FORMATS.values() for ext in exts)
_VTT_TIME = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
_SRT_TIME = r"\d{2,}:[0-5]\d:[0-5]\d[,.]\d{3}"
_SRT_TIMING = re.compile(rf"^{_SRT_TIME}[ \t]+-->[ \t]+{_SRT_TIME}(?:[ \t].*)?$")
_VTT_TAG = re.compile(r"<[^>]*>")


def url_ext(url: str) -> str:
    path = url.split("#", 1)[0].split("?", 1)[0]
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def check_artwork(data: bytes, url: str) -> list[Problem]:
    """Apple's artwork rule (stationcast.spec.apple.artwork_faults, the one the build applies to
    the artwork file first), read from the image header (the pixels are never decoded)."""
    problems: list[Problem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt, (w, h), mode = im.format, im.size, im.mode
    except Image.DecompressionBombError:
        return [("apple.image.size", f"artwork {quote(url)} has an absurd pixel count")]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        kind = "an HTML page" if data.lstrip()[:1] == b"<" else "not an image"
        return [("apple.image.format", f"artwork {quote(url)} is {kind} (JPEG or PNG expected)")]
    extension = "." + url_ext(url)
    faults = {
        f.kind
        for f in artwork_faults(
            fmt, w, h, mode, extension if extension in _ARTWORK_EXTENSIONS else None
        )
    }
    if "format" in faults:
        problems.append(("apple.image.format", f"artwork {quote(url)} is {fmt}, not JPEG or PNG"))
    elif "extension" in faults:
        problems.append(
            (
                "apple.image.format",
                f"artwork {quote(url)} holds {fmt} data but is named .{url_ext(url)}",
            )
        )
    if "square" in faults or "size" in faults:
        problems.append(
            (
                "apple.image.size",
                f"artwork {quote(url)} is {w}×{h} px; Apple needs a square "
                "between 1400×1400 and 3000×3000",
            )
        )
    if "colour" in faults:
        problems.append(
            ("apple.image.colorspace", f"artwork {quote(url)} is in mode {mode}, not RGB")
        )
    return problems


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def check_vtt(data: bytes, url: str) -> list[Problem]:
    text = _decode(data)
    rule = "podcast.transcript.vtt"
    if text is None:
        return [(rule, f"{quote(url)} is not UTF-8 text")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        return [(rule, f"{quote(url)} does not start with 'WEBVTT'")]
    problems: list[Problem] = []
    long_lines = 0
    first_long = 0
    bad_timing = 0
    first_bad = 0
    cues = 0
    i = 1
    n = len(lines)
    while i < n:
        while i < n and not lines[i].strip():
            i += 1
        block_start = i
        block: list[str] = []
        while i < n and lines[i].strip():
            block.append(lines[i])
            i += 1
        if not block:
            break
        head = block[0]
        if head.startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in head else 1
        if timing_at >= len(block) or not _VTT_TIMING.match(block[timing_at].strip()):
            bad_timing += 1
            first_bad = first_bad or block_start + 1
            continue
        cues += 1
        for line in block[timing_at + 1 :]:
            if len(_VTT_TAG.sub("", line)) > VTT_LINE_CHARS:
                long_lines += 1
                first_long = first_long or lines.index(line, block_start) + 1
    if bad_timing:
        problems.append(
            (
                rule,
                f"{quote(url)}: {bad_timing} block(s) without a valid "
                f"'00:00:00.000 --> 00:00:01.000' timing line (first at line {first_bad})",
            )
        )
    if cues == 0 and not bad_timing:
        problems.append((rule, f"{quote(url)} has no cues"))
    if long_lines:
        problems.append(
            (
                rule,
                f"{quote(url)}: {long_lines} cue line(s) longer than {VTT_LINE_CHARS} characters "
                f"(first at line {first_long})",
            )
        )
    return problems


def check_srt(data: bytes, url: str) -> list[Problem]:
    text = _decode(data)
    rule = "podcast.transcript.srt"
    if text is None:
        return [(rule, f"{quote(url)} is not UTF-8 text")]
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    if not blocks:
        return [(rule, f"{quote(url)} has no cues")]
    bad = too_many = too_long = 0
    for block in blocks:
        lines = block.split("\n")
        if (
            len(lines) < 2
            or not lines[0].strip().isdigit()
            or not _SRT_TIMING.match(lines[1].strip())
        ):
            bad += 1
            continue
        body = lines[2:]
        if len(body) > SRT_CUE_LINES:
            too_many += 1
        if any(len(x) > SRT_LINE_CHARS for x in body):
            too_long += 1
    problems: list[Problem] = []
    if bad:
        problems.append(
            (
                rule,
                f"{quote(url)}: {bad} cue(s) without a number and "
                "'00:00:00,000 --> 00:00:01,000' line",
            )
        )
    if too_many:
        problems.append(
            (rule, f"{quote(url)}: {too_many} cue(s) with more than {SRT_CUE_LINES} lines")
        )
    if too_long:
        problems.append(
            (rule, f"{quote(url)}: {too_long} cue(s) with lines over {SRT_LINE_CHARS} characters")
        )
    return problems


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _load_json(data: bytes) -> tuple[object, str | None]:
    try:
        return json.loads(data.decode("utf-8-sig")), None
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return None, str(e)[:120]


def check_transcript_json(data: bytes, url: str) -> list[Problem]:
    rule = "podcast.transcript.json"
    doc, err = _load_json(data)
    if err is not None:
        return [(rule, f"{quote(url)} is not valid JSON: {quote(err)}")]
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), str):
        return [(rule, f'{quote(url)} has no "version" string')]
    segments = doc.get("segments")
    if not isinstance(segments, list):
        return [(rule, f'{quote(url)} has no "segments" array')]
    bad = sum(
        1
        for s in segments
        if not isinstance(s, dict)
        or not _is_number(s.get("startTime"))
        or not isinstance(s.get("body"), str)
    )
    if bad:
        return [
            (rule, f"{quote(url)}: {bad} segment(s) without a numeric startTime and a body string")
        ]
    return []


def check_chapters(data: bytes, url: str) -> list[Problem]:
    """JSON chapters v1.2: version + chapters[] with ascending numeric startTime."""
    rule = "podcast.chapters.json"
    doc, err = _load_json(data)
    if err is not None:
        return [(rule, f"{quote(url)} is not valid JSON: {quote(err)}")]
    if not isinstance(doc, dict):
        return [(rule, f"{quote(url)}: the top level must be an object")]
    problems: list[str] = []
    if not isinstance(doc.get("version"), str):
        problems.append('"version" must be a string')
    chapters = doc.get("chapters")
    if not isinstance(chapters, list):
        problems.append('"chapters" must be an array')
        chapters = []
    for key in ("author", "title", "podcastName", "description", "fileName"):
        if key in doc and not isinstance(doc[key], str):
            problems.append(f'"{key}" must be a string')
    if "waypoints" in doc and not isinstance(doc["waypoints"], bool):
        problems.append('"waypoints" must be true or false')
    previous = -math.inf
    for n, ch in enumerate(chapters, 1):
        if not isinstance(ch, dict):
            problems.append(f"chapter {n} is not an object")
            continue
        start = ch.get("startTime")
        if not isinstance(start, (int, float)) or not _is_number(start) or start < 0:
            problems.append(f'chapter {n}: "startTime" must be a number of seconds ≥ 0')
        else:
            if start < previous:
                problems.append(f"chapter {n}: startTime {start} is before the previous chapter's")
            previous = start
            end = ch.get("endTime")
            if end is not None and (
                not isinstance(end, (int, float)) or not _is_number(end) or end < start
            ):
                problems.append(f'chapter {n}: "endTime" must be a number ≥ startTime')
        for key in ("title", "img", "url"):
            if key in ch and not isinstance(ch[key], str):
                problems.append(f'chapter {n}: "{key}" must be a string')
        if "toc" in ch and not isinstance(ch["toc"], bool):
            problems.append(f'chapter {n}: "toc" must be true or false')
        loc = ch.get("location")
        if loc is not None and not (
            isinstance(loc, dict)
            and isinstance(loc.get("name"), str)
            and isinstance(loc.get("geo"), str)
            and loc["geo"].startswith("geo:")
        ):
            problems.append(f'chapter {n}: "location" needs a "name" and a "geo:" URI')
        if len(problems) >= 5:
            break
    return [(rule, f"{quote(url)}: {p}") for p in problems[:5]]


def check_transcript(data: bytes, url: str, type_: str) -> list[Problem]:
    check = _TRANSCRIPT_CHECKS.get(type_)
    return check(data, url) if check is not None else []


#: podcast:transcript type -> the check of its content (plain text and HTML have none).
_TRANSCRIPT_CHECKS = {
    TRANSCRIPT_FORMATS["vtt"].mime_type: check_vtt,
    TRANSCRIPT_FORMATS["srt"].mime_type: check_srt,
    TRANSCRIPT_FORMATS["json"].mime_type: check_transcript_json,
}
