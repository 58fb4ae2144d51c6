"""Golden files: the writers' exact output for the seed and a timed interview.

Regenerate after an intended change, then review every diff:

    STATIONCAST_REGENERATE=1 uv run pytest tests/transcripts/test_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from stationcast.transcripts import (
    INTRO_KEY,
    Transcript,
    read_transcript,
    resolve_speakers,
    write_json,
    write_srt,
    write_text,
    write_vtt,
)
from support import rejoined

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
PEOPLE = [
    ("Kelly McEvers", ["MCEVERS"]),
    ("Peter Neumann", ["PETER NEUMANN", "NEUMANN"]),
    ("Tomás Echeverría", ["TOMÁS ECHEVERRÍA"]),
]
WRITERS: dict[str, Callable[[Transcript, dict[str, str]], str]] = {
    "vtt": write_vtt,
    "srt": write_srt,
    "json": write_json,
    "txt": write_text,
}


def _check(name: str, produced: str) -> None:
    path = GOLDEN / name
    if os.environ.get("STATIONCAST_REGENERATE"):
        path.write_bytes(produced.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == produced


def _names(t: Transcript) -> dict[str, str]:
    names, warnings = resolve_speakers(t, PEOPLE, "Kelly McEvers", source="t")
    assert warnings == []
    return names


def test_seed_plain_text_golden() -> None:
    """The seed transcript's plain text, with full names and the host's intro, is unchanged."""
    t = read_transcript(DATA / "isis-defectors.txt")
    names = _names(t)
    assert names[INTRO_KEY] == "Kelly McEvers"
    _check("isis-defectors.txt", write_text(t, names))


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_interview_golden(fmt: str) -> None:
    """The timed interview written as each format is byte-for-byte unchanged."""
    t = read_transcript(DATA / "interview.vtt")
    _check(f"interview.{fmt}", WRITERS[fmt](t, _names(t)))


@pytest.mark.parametrize("fmt", ["vtt", "srt", "json"])
def test_interview_golden_reads_back(fmt: str) -> None:
    """Each golden timed file reads back to the interview's segments, speakers as full names."""
    t = read_transcript(DATA / "interview.vtt")
    names = _names(t)
    back = rejoined(read_transcript(GOLDEN / f"interview.{fmt}"))  # (SRT splits long cues)
    assert [(s.speaker, s.text, s.start, s.end, s.kind) for s in back.segments] == [
        (names.get(s.speaker, s.speaker) if s.speaker else None, s.text, s.start, s.end, s.kind)
        for s in rejoined(t).segments
    ]
