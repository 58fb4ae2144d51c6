"""The aligner on speech whose true turn starts are known: another engine's voices (flite),
at other tempos, with pauses, a music bed, noise, and a soundbite that is not in the text.

benchmarks/align.py reports the same figures per condition; here they are asserted loosely.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from speech import CONDITIONS, Condition, make_speech, missing_tools
from stationcast.transcripts import Transcript, read_transcript
from support import EXAMPLE, EXAMPLE_SLUG

pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")
if missing_tools():
    pytest.skip(f"needs {', '.join(missing_tools())} (Debian packages)", allow_module_level=True)

from stationcast.align import align_transcript  # noqa: E402

#: The example's first paragraphs: real station text, two speakers.
TURNS = [
    s
    for s in read_transcript(EXAMPLE / EXAMPLE_SLUG / "transcript.txt").segments
    if s.kind == "speech"
][:6]


def _errors(condition: Condition, tmp_path: Path) -> tuple[list[float], tuple[int, ...]]:
    audio = tmp_path / "speech.mp3"
    truth = make_speech([s.text for s in TURNS], condition, audio)
    alignment = align_transcript(
        Transcript(tuple(TURNS)),
        audio,
        "en-us",
        transcript_name="t.txt",
        transcript_sha256="-",
        audio_sha256="-",
    )
    found = [spans[0][0] for spans in alignment.segments if spans]
    return [abs(a - b) for a, b in zip(found, truth, strict=True)], alignment.doubtful


@pytest.mark.parametrize(
    "condition", [c for c in CONDITIONS if not c.soundbite], ids=lambda c: c.name
)
def test_turn_starts_are_found_within_a_fraction_of_a_second(
    condition: Condition, tmp_path: Path
) -> None:
    errors, _ = _errors(condition, tmp_path)
    assert statistics.median(errors) <= 0.3, errors
    assert max(errors) <= 1.0, errors


def test_a_soundbite_not_in_the_text_makes_the_turn_after_it_doubtful(tmp_path: Path) -> None:
    """The sound of words the text does not have is taken for the next sentence: that turn
    is reported, not left to look right."""
    condition = next(c for c in CONDITIONS if c.soundbite)
    errors, doubtful = _errors(condition, tmp_path)
    assert 2 in doubtful  # the turn after the soundbite
    assert statistics.median(errors) <= 0.3, errors
