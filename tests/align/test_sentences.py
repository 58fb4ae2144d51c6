"""Sentences of station text, and alignment files read, applied and refused (no audio
tools needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stationcast.align import (
    Alignment,
    AlignmentUnreadable,
    apply_alignment,
    read_alignment,
    sentences,
)
from stationcast.transcripts import Segment, Transcript


def test_sentences_of_a_paragraph() -> None:
    text = (
        "Well, about half of them are from the Middle East. About 10 are from Western"
        ' countries. Mr. Neumann said "no." Then what? U.S. officials agree!'
    )
    assert sentences(text) == [
        "Well, about half of them are from the Middle East.",
        "About 10 are from Western countries.",
        'Mr. Neumann said "no."',
        "Then what?",
        "U.S. officials agree!",
    ]


@given(
    st.lists(
        st.sampled_from(["Yes.", "No!", "Why?", "Mr.", "a", "word", "U.S.", '"Hi."']), max_size=40
    )
)
def test_sentences_join_back_to_the_text(words: list[str]) -> None:
    text = " ".join(words)
    parts = sentences(text)
    assert " ".join(parts) == text
    assert all(parts) or text == ""


def _alignment(segments: tuple[tuple[tuple[float, float], ...] | None, ...]) -> Alignment:
    return Alignment("transcript.txt", "a" * 64, "audio.mp3", "b" * 64, "test", segments)


def test_an_alignment_times_every_sentence_and_keeps_the_paragraphs() -> None:
    t = Transcript(
        (
            Segment("Hello there. How are you?", "MCEVERS"),
            Segment("(LAUGHTER)", kind="nonspeech"),
            Segment("Fine, thank you.", "NEUMANN"),
        )
    )
    timed = apply_alignment(t, _alignment((((0.0, 1.2), (1.2, 2.5)), None, ((3.0, 4.0),))))
    assert timed is not None and timed.timed
    assert [(s.text, s.start, s.end, s.new_turn, s.continues) for s in timed.segments] == [
        ("Hello there.", 0.0, 1.2, True, False),
        ("How are you?", 1.2, 2.5, False, True),
        ("(LAUGHTER)", 2.5, 3.0, True, False),
        ("Fine, thank you.", 3.0, 4.0, True, False),
    ]


def test_a_doubtful_turn_spans_the_stretch_between_the_turns_around_it() -> None:
    """A doubtful paragraph gets no times of its own: one segment, marked approximate, from
    the end of the trusted turn before it to the start of the trusted turn after it; two
    doubtful turns in a row share that stretch, cut at the second one's own start."""
    t = Transcript(
        tuple(
            Segment(text, speaker)
            for text, speaker in [
                ("One. Two.", "A"),
                ("Three. Four.", "B"),
                ("Five.", "A"),
                ("Six.", "B"),
            ]
        )
    )
    spans = (
        ((0.0, 1.0), (1.1, 2.0)),
        ((2.5, 3.0), (3.1, 9.0)),  # doubtful: took in sound that is not in the text
        ((9.5, 10.0),),  # doubtful
        ((12.0, 13.0),),
    )
    a = Alignment("transcript.txt", "a" * 64, "audio.mp3", "b" * 64, "test", spans, (1, 2))
    timed = apply_alignment(t, a)
    assert timed is not None and timed.timed
    assert [(s.text, s.start, s.end, s.approximate) for s in timed.segments] == [
        ("One.", 0.0, 1.0, False),
        ("Two.", 1.1, 2.0, False),
        ("Three. Four.", 2.0, 9.5, True),
        ("Five.", 9.5, 12.0, True),
        ("Six.", 12.0, 13.0, False),
    ]
    assert read_alignment(a.to_json()).doubtful == (1, 2)


def test_an_alignment_for_other_paragraphs_is_not_applied() -> None:
    t = Transcript((Segment("Hello there. How are you?", "MCEVERS"),))
    assert apply_alignment(t, _alignment((((0.0, 1.0),),))) is None  # one sentence, not two
    assert apply_alignment(t, _alignment((None, None))) is None


def test_an_alignment_file_reads_back() -> None:
    a = _alignment((((0.0, 1.5), (1.5, 2.0)), None))
    assert read_alignment(a.to_json()) == a


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{", "is not JSON"),
        ('{"format": "other"}', "is not a stationcast alignment file"),
        ('{"format": "stationcast-alignment/1", "segments": []}', "is damaged"),
        (
            '{"format": "stationcast-alignment/1", "transcript": {"file": "t", "sha256": "x"},'
            ' "audio": {"file": "a", "sha256": "y"}, "segments": [[[2.0, 1.0]]]}',
            "ends before it starts",
        ),
        (
            '{"format": "stationcast-alignment/1", "transcript": {"file": "t", "sha256": "x"},'
            ' "audio": {"file": "a", "sha256": "y"}, "segments": [[[0, Infinity]]]}',
            "not a number",
        ),
        (
            '{"format": "stationcast-alignment/1", "transcript": {"file": "t", "sha256": "x"},'
            ' "audio": {"file": "a", "sha256": "y"}, "segments": [[[NaN, 1]]]}',
            "not a number",
        ),
    ],
)
def test_a_damaged_alignment_file_is_refused(text: str, said: str) -> None:
    with pytest.raises(AlignmentUnreadable, match=said):
        read_alignment(text)
