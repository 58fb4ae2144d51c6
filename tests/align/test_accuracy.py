"""The aligner on speech whose true turn starts are known: another engine's voices (flite),
at other tempos, with pauses, a music bed, noise, and a soundbite that is not in the text.

benchmarks/align.py reports the same figures per condition; here they are asserted loosely.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from speech import CONDITIONS, Condition, missing_tools, turn_errors
from stationcast.transcripts import read_transcript
from support import EXAMPLE, EXAMPLE_SLUG

pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")
if missing_tools():
    pytest.skip(f"needs {', '.join(missing_tools())} (Debian packages)", allow_module_level=True)


#: The example's first paragraphs: real station text, two speakers.
TURNS = [
    s
    for s in read_transcript(EXAMPLE / EXAMPLE_SLUG / "transcript.txt").segments
    if s.kind == "speech"
][:6]


def _errors(condition: Condition, tmp_path: Path) -> tuple[dict[int, float], tuple[int, ...]]:
    """Each turn's start error (seconds), and the turns the aligner called doubtful."""
    return turn_errors(TURNS, condition, tmp_path / "speech.mp3")


@pytest.mark.parametrize(
    "condition", [c for c in CONDITIONS if not c.soundbite], ids=lambda c: c.name
)
def test_turn_starts_are_found_within_a_fraction_of_a_second(
    condition: Condition, tmp_path: Path
) -> None:
    errors, doubtful = _errors(condition, tmp_path)
    assert not doubtful, doubtful
    assert statistics.median(errors.values()) <= 0.3, errors
    assert max(errors.values()) <= 1.0, errors


def test_a_soundbite_not_in_the_text_makes_the_turn_it_was_taken_for_doubtful(
    tmp_path: Path,
) -> None:
    """Words the text does not have are taken for the short turn after them: that turn is
    reported (and so gets no time of its own), and no turn is off without being reported."""
    condition = next(c for c in CONDITIONS if c.soundbite)
    errors, doubtful = _errors(condition, tmp_path)
    assert 2 in doubtful  # the turn after the soundbite
    trusted = [e for turn, e in errors.items() if turn not in doubtful]
    assert max(trusted) <= 1.0, errors
    assert statistics.median(trusted) <= 0.3, errors
