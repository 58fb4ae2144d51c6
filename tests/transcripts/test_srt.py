"""SRT reader and writer."""

from __future__ import annotations

import pytest

from stationcast.errors import InputError
from stationcast.transcripts import Segment, Transcript, parse_srt, write_srt
from stationcast.transcripts.srt import is_speaker_name, split_speaker

SAMPLE = """\
1
00:00:00,000 --> 00:00:04,500
Kelly McEvers: And who are
these 58 people?

2
00:00:04,500 --> 00:00:09,250
Peter Neumann: Well, about half
of them are from the Middle East.

3
00:00:09,250 --> 00:00:12,000
<i>About 10</i> are from Western countries.

4
01:02:03,004 --> 01:02:05,000
(LAUGHTER)

5
01:02:05,000 --> 01:02:06,000
{\\an8}Note: we laughed.
"""


def test_name_prefix_gives_speaker() -> None:
    """'Name: ' at the start of a subtitle names its speaker; lines are joined."""
    t = parse_srt(SAMPLE)
    assert t.segments[:2] == (
        Segment("And who are these 58 people?", "Kelly McEvers", 0.0, 4.5),
        Segment("Well, about half of them are from the Middle East.", "Peter Neumann", 4.5, 9.25),
    )


def test_subtitle_without_prefix_continues_speaker() -> None:
    """A subtitle without a prefix continues the current speaker (new_turn False)."""
    third = parse_srt(SAMPLE).segments[2]
    assert third == Segment(
        "About 10 are from Western countries.", "Peter Neumann", 9.25, 12.0, new_turn=False
    )


def test_bracketed_subtitle_is_nonspeech() -> None:
    """A subtitle that is wholly '(LAUGHTER)' is non-speech, with hours read."""
    fourth = parse_srt(SAMPLE).segments[3]
    assert (fourth.kind, fourth.speaker, fourth.start, fourth.end) == (
        "nonspeech",
        None,
        3723.004,
        3725.0,
    )


def test_formatting_tags_and_position_codes_are_dropped() -> None:
    """<i> tags and {\\an8} codes do not reach the text."""
    t = parse_srt(SAMPLE)
    assert t.segments[2].text.startswith("About 10 are")
    assert t.segments[4].speaker == "Note"  # a capitalised word and a colon reads as a name


def test_missing_sequence_number_is_tolerated() -> None:
    """A subtitle that starts directly with its timing line is accepted."""
    t = parse_srt("00:00:01,000 --> 00:00:02,000\nHi\n")
    assert t.segments == (Segment("Hi", None, 1.0, 2.0),)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kelly McEvers", True),
        ("Tomás Echeverría", True),
        ("Dana O'Connell", True),
        ("UNIDENTIFIED PERSON #1", True),
        ("Ludwig van Beethoven", True),
        ("محمد علي", True),
        ("Jean-Luc Müller", True),
        ("the reason is simple", False),
        ("At 5", True),
        ("Well, I said", False),
        ("A very long name with far too many words", False),
        ("", False),
        ("12", False),
    ],
)
def test_is_speaker_name(name: str, expected: bool) -> None:
    """Names are 1-6 words not starting lower-case (particles aside); sentences are not."""
    assert is_speaker_name(name) is expected


def test_split_speaker_needs_space_after_colon() -> None:
    """'At 5:30 we left' has no speaker prefix (no space after the colon)."""
    assert split_speaker("At 5:30 we left") == (None, "At 5:30 we left")


@pytest.mark.parametrize(
    ("srt", "line", "message"),
    [
        (
            "one\n00:00:00,000 --> 00:00:01,000\nHi\n",
            1,
            "subtitle 1: expected a sequence number, then a timing line like "
            "'00:00:01,000 --> 00:00:04,000', got 'one'; a blank line inside a subtitle ends it",
        ),
        (
            "1\n00:00:00,000 --> 00:00:01,000\nHi\n\nthere\n",
            5,
            "subtitle 2: expected a sequence number, then a timing line like "
            "'00:00:01,000 --> 00:00:04,000', got 'there'; a blank line inside a subtitle ends it",
        ),
        (
            "1\n",
            2,
            "subtitle 1: expected a timing line like '00:00:01,000 --> 00:00:04,000' after "
            "the number",
        ),
        (
            "1\n00:00:00 --> 00:00:01\nHi\n",
            2,
            "subtitle 1: expected a timing line like '00:00:01,000 --> 00:00:04,000', "
            "got '00:00:00 --> 00:00:01'",
        ),
        (
            "1\n00:00:02,000 --> 00:00:01,000\nHi\n",
            2,
            "subtitle 1: the end time is before the start time in '00:00:02,000 --> 00:00:01,000'",
        ),
        (
            "1\n00:60:00,000 --> 00:61:00,000\nHi\n",
            2,
            "subtitle 1: minutes and seconds must be 00-59, got '00:60:00,000 --> 00:61:00,000'",
        ),
    ],
    ids=["not-a-number", "blank-line-in-text", "no-timing", "no-millis", "backwards", "minute-60"],
)
def test_malformed_srt(srt: str, line: int, message: str) -> None:
    """Malformed SRT is an InputError naming the line, the subtitle and what was expected."""
    with pytest.raises(InputError) as info:
        parse_srt(srt, source="ep/transcript.srt")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.message) == ("ep/transcript.srt", line, message)


def test_empty_input_is_empty_transcript() -> None:
    """Empty or blank input gives an empty transcript."""
    assert parse_srt("\n \n") == Transcript()


# --- writer -----------------------------------------------------------------------------------


def test_writer_prefixes_name_when_speaker_changes() -> None:
    """'Name: ' opens a subtitle only when the speaker changes; lines wrap at 32."""
    t = Transcript(
        (
            Segment("And who are these 58 people?", "MCEVERS", 0.0, 4.5),
            Segment("Tell me.", "MCEVERS", 4.5, 5.0, new_turn=False),
            Segment("Well.", "NEUMANN", 5.0, 6.0),
        )
    )
    assert write_srt(t, {"MCEVERS": "Kelly McEvers"}) == (
        "1\n00:00:00,000 --> 00:00:04,500\nKelly McEvers: And who are these\n58 people?\n\n"
        "2\n00:00:04,500 --> 00:00:05,000\nTell me.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nNEUMANN: Well.\n"
    )


def test_writer_repeats_name_when_text_looks_like_a_prefix() -> None:
    """A continuation whose text starts 'Note: ' gets its speaker's name again, so it reads back."""
    t = Transcript(
        (
            Segment("Hi.", "Ann", 0.0, 1.0),
            Segment("Note: this.", "Ann", 1.0, 2.0, new_turn=False),
        )
    )
    out = write_srt(t)
    assert "Ann: Note: this." in out
    assert parse_srt(out).segments == t.segments


def test_writer_repeats_name_after_nonspeech() -> None:
    """After a non-speech subtitle the speaker is named again."""
    t = Transcript(
        (
            Segment("Hi.", "Ann", 0.0, 1.0),
            Segment("(LAUGHTER)", None, 1.0, 2.0, kind="nonspeech"),
            Segment("Yes.", "Ann", 2.0, 3.0),
        )
    )
    assert "Ann: Yes." in write_srt(t)


def test_writer_refuses_untimed_transcript() -> None:
    """Writing an untimed transcript raises ValueError."""
    with pytest.raises(ValueError, match="SRT needs timings"):
        write_srt(Transcript((Segment("a"),)))


def test_writer_splits_a_long_turn_into_two_line_cues_sharing_its_time() -> None:
    """A turn longer than one cue of two 32-character lines becomes several cues; its time is
    shared by their share of its characters, its own start and end kept exactly."""
    text = "So we found four narratives and they were quite strong and consistent."
    t = Transcript((Segment(text, "NEUMANN", 10.0, 17.1),))
    out = write_srt(t, {"NEUMANN": "Peter Neumann"})
    assert out == (
        "1\n00:00:10,000 --> 00:00:14,800\nPeter Neumann: So we found four\n"
        "narratives and they were quite\n\n"
        "2\n00:00:14,800 --> 00:00:17,100\nstrong and consistent.\n"
    )
    # the first cue's words are 48 of the 71 characters (a space after each): 4.8 of 7.1 s
    back = parse_srt(out).segments
    assert [(s.speaker, s.start, s.end) for s in back] == [
        ("Peter Neumann", 10.0, 14.8),
        ("Peter Neumann", 14.8, 17.1),
    ]
    assert " ".join(s.text for s in back) == text and not back[1].new_turn


def test_writer_names_a_split_cue_that_would_read_as_a_name() -> None:
    """A cue of a split turn that starts like 'Name: ' gets its speaker's name, so the words
    are not taken for another speaker."""
    text = "I said it to him, and I said it again later that night. Bob: hello there."
    t = Transcript((Segment(text, "Ann", 0.0, 8.0),))
    back = parse_srt(write_srt(t)).segments
    assert {s.speaker for s in back} == {"Ann"}
    assert " ".join(s.text for s in back) == text


def test_writer_splits_a_long_note_into_bracketed_cues() -> None:
    """A non-speech note too long for one cue is split, each part bracketed, so each reads
    back as a note."""
    note = "(SOUNDBITE OF ARCHIVED BROADCAST OF A SPEECH BY THE PRESIDENT TO THE NATION)"
    out = write_srt(Transcript((Segment(note, None, 0.0, 5.0, kind="nonspeech"),)))
    back = parse_srt(out).segments
    assert len(back) == 2 and all(s.kind == "nonspeech" for s in back)
    assert all(len(block.split("\n")) <= 4 for block in out.rstrip("\n").split("\n\n"))
    assert [s.text for s in back] == [
        "(SOUNDBITE OF ARCHIVED BROADCAST OF A SPEECH BY THE PRESIDENT TO)",
        "(THE NATION)",
    ]
