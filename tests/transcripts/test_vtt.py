"""WebVTT reader and writer."""

from __future__ import annotations

import pytest

from stationcast.errors import InputError
from stationcast.transcripts import INTRO_KEY, Segment, Transcript, parse_vtt, write_vtt

WITH_VOICES = """\
WEBVTT Kind: captions; Language: en

NOTE This file was made by hand.
It has two speakers.

STYLE
::cue(v[voice="Kelly McEvers"]) { color: yellow }

intro
00:00:00.000 --> 00:00:04.500 align:start position:10%
<v Kelly McEvers>And who are
these 58 people?

00:04.500 --> 00:09.250
<v.guest Peter Neumann>Well, about half of them
are from the Middle East.</v>

3
00:00:09.250 --> 00:00:12.000
<v Peter Neumann>About 10 are from Western countries.

4
01:02:03.004 --> 01:02:05.000
(LAUGHTER)
"""


def test_voice_spans_give_speakers_and_timings() -> None:
    """Cues with <v Name> become segments with that speaker, timings in seconds."""
    t = parse_vtt(WITH_VOICES)
    assert t.segments[:2] == (
        Segment("And who are these 58 people?", "Kelly McEvers", 0.0, 4.5),
        Segment("Well, about half of them are from the Middle East.", "Peter Neumann", 4.5, 9.25),
    )


def test_consecutive_cues_of_one_voice_are_one_turn() -> None:
    """A cue by the same voice as the previous cue continues the turn."""
    t = parse_vtt(WITH_VOICES)
    assert [s.new_turn for s in t.segments] == [True, True, False, True]
    assert [turn.speaker for turn in t.turns()] == ["Kelly McEvers", "Peter Neumann", None]


def test_hours_and_short_timestamps() -> None:
    """mm:ss.ttt and hh:mm:ss.ttt timestamps are both read, to the millisecond."""
    last = parse_vtt(WITH_VOICES).segments[-1]
    assert (last.start, last.end) == (3723.004, 3725.0)


def test_bracketed_cue_without_voice_is_nonspeech() -> None:
    """A cue that is wholly '(LAUGHTER)' with no voice is a non-speech segment."""
    last = parse_vtt(WITH_VOICES).segments[-1]
    assert (last.kind, last.speaker, last.text) == ("nonspeech", None, "(LAUGHTER)")


def test_notes_styles_identifiers_and_settings_are_skipped() -> None:
    """NOTE/STYLE blocks, cue identifiers and cue settings never reach the text."""
    texts = " ".join(s.text for s in parse_vtt(WITH_VOICES).segments)
    for noise in ("NOTE", "hand", "::cue", "intro", "align", "position"):
        assert noise not in texts


def test_without_voices() -> None:
    """Cues without voice spans have no speaker and form one turn."""
    t = parse_vtt("WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n\n00:02.000 --> 00:03.000\nthere\n")
    assert t.segments == (
        Segment("Hello", None, 1.0, 2.0),
        Segment("there", None, 2.0, 3.0, new_turn=False),
    )
    assert len(t.turns()) == 1


def test_entities_and_tags() -> None:
    """Character references are decoded and formatting tags dropped."""
    vtt = (
        "WEBVTT\n\n00:00.000 --> 00:01.000\n"
        "<v Ann &amp; Bob>Tom &amp; Jerry &lt;3 <i>really</i> <c.loud>loud</c>"
        " <00:00:00.500>karaoke&nbsp;x &#x2014; &gt;\n"
    )
    seg = parse_vtt(vtt).segments[0]
    assert seg.speaker == "Ann & Bob"
    assert seg.text == "Tom & Jerry <3 really loud karaoke\u00a0x \u2014 >"


def test_several_voices_in_one_cue() -> None:
    """A cue with two voice spans becomes two segments sharing the cue's timings."""
    t = parse_vtt("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hi!</v>\n<v Bob>Hello!</v>\n")
    assert [(s.speaker, s.text, s.start) for s in t.segments] == [
        ("Ann", "Hi!", 0.0),
        ("Bob", "Hello!", 0.0),
    ]


def test_crlf_and_bom() -> None:
    """A BOM and CRLF line endings are accepted."""
    t = parse_vtt("\ufeffWEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\n<v Ann>Hi\r\n")
    assert t.segments == (Segment("Hi", "Ann", 0.0, 1.0),)


def test_empty_input_is_empty_transcript() -> None:
    """Empty input gives an empty transcript; a header without cues too."""
    assert parse_vtt("") == Transcript()
    assert parse_vtt("WEBVTT\n") == Transcript()


@pytest.mark.parametrize(
    ("vtt", "line", "message"),
    [
        ("Hello\n", 1, "expected \"WEBVTT\" at the start of the first line, got 'Hello'"),
        ("WEBVTTX\n", 1, "expected \"WEBVTT\" at the start of the first line, got 'WEBVTTX'"),
        (
            "WEBVTT\n00:00.000 --> 00:01.000\nHi\n",
            2,
            "expected a blank line between the WEBVTT header and the first cue",
        ),
        (
            "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n\nthere\n",
            6,
            "cue 2: expected a timing line like '00:00:01.000 --> 00:00:04.000' (after an "
            "optional cue identifier), got 'there'; a blank line inside a cue ends it",
        ),
        (
            "WEBVTT\n\n00:00,000 --> 00:01,000\nHi\n",
            3,
            "cue 1: expected a timing line like '00:00:01.000 --> 00:00:04.000' (hours "
            "optional), got '00:00,000 --> 00:01,000'",
        ),
        (
            "WEBVTT\n\n00:61.000 --> 01:00.000\nHi\n",
            3,
            "cue 1: minutes and seconds must be 00-59, got '00:61.000 --> 01:00.000'",
        ),
        (
            "WEBVTT\n\n00:02.000 --> 00:01.000\nHi\n",
            3,
            "cue 1: the end time is before the start time in '00:02.000 --> 00:01.000'",
        ),
        (
            "WEBVTT\n\n1\n00:00.000 --> 00:01.000\nHi\n00:01.000 --> 00:02.000\nThere\n",
            6,
            "cue 1: cue text must not contain '-->' (write it as '--&gt;'); is the blank line "
            "before the next cue missing?",
        ),
        (
            "WEBVTT\n\n00:00.000 --> 00:01.000\nbell \x07 rings\n",
            4,
            "character U+0007 (a control character) is not allowed in a transcript "
            "(XML 1.0 cannot carry it); remove it",
        ),
    ],
    ids=[
        "no-header",
        "bad-header",
        "no-blank-after-header",
        "blank-line-in-cue",
        "comma-decimal",
        "seconds-61",
        "end-before-start",
        "arrow-in-text",
        "control-char",
    ],
)
def test_malformed_vtt(vtt: str, line: int, message: str) -> None:
    """Malformed WebVTT is an InputError naming the line, the cue and what was expected."""
    with pytest.raises(InputError) as info:
        parse_vtt(vtt, source="ep/transcript.vtt")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("ep/transcript.vtt", line, "transcript")
    assert problem.message == message


# --- writer -----------------------------------------------------------------------------------


def _timed(*segments: Segment) -> Transcript:
    return Transcript(segments)


def test_writer_voice_spans_with_full_names() -> None:
    """The writer puts <v Full Name> on each cue, mapping labels through names."""
    t = _timed(
        Segment("And who are these 58 people?", "MCEVERS", 0.0, 4.5),
        Segment("Well.", "NEUMANN", 4.5, 3725.25),
    )
    assert write_vtt(t, {"MCEVERS": "Kelly McEvers"}) == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:04.500\n<v Kelly McEvers>And who are these 58 people?\n\n"
        "2\n00:00:04.500 --> 01:02:05.250\n<v NEUMANN>Well.\n"
    )


def test_writer_intro_is_attributed_to_host() -> None:
    """An introduction segment is voiced by names[INTRO_KEY], the host."""
    t = _timed(Segment("Welcome.", None, 0.0, 1.0, intro=True))
    assert "<v Kelly McEvers>Welcome." in write_vtt(t, {INTRO_KEY: "Kelly McEvers"})


def test_writer_escapes_markup_and_arrows() -> None:
    """&, <, > are escaped in text and names, so '-->' can never appear in a cue."""
    t = _timed(Segment("a --> b & <c>", "<Ann> & Co", 0.0, 1.0))
    out = write_vtt(t)
    assert "<v &lt;Ann&gt; &amp; Co>a --&gt; b &amp; &lt;c&gt;" in out
    assert out.count("-->") == 1


def test_writer_splits_long_text_into_two_line_cues_sharing_its_time() -> None:
    """Long text is wrapped at 65 characters, two lines a cue at most: 300 characters make
    three cues, which share the segment's ten seconds by their characters, each with the
    voice, and read back to the same words."""
    words = " ".join(["word"] * 60)
    out = write_vtt(_timed(Segment(words, "Ann", 0.0, 10.0)))
    blocks = out.rstrip("\n").split("\n\n")[1:]
    assert len(blocks) == 3
    for block in blocks:
        lines = block.split("\n")[2:]
        assert 1 <= len(lines) <= 2 and lines[0].startswith("<v Ann>")
        assert all(len(line.removeprefix("<v Ann>")) <= 65 for line in lines)
    assert [b.split("\n")[1] for b in blocks] == [
        "00:00:00.000 --> 00:00:04.333",
        "00:00:04.333 --> 00:00:08.667",
        "00:00:08.667 --> 00:00:10.000",
    ]
    assert " ".join(s.text for s in parse_vtt(out).segments) == words


def test_a_long_note_becomes_bracketed_cues() -> None:
    note = "(" + " ".join(["applause"] * 20) + ")"
    out = write_vtt(_timed(Segment(note, None, 0.0, 4.0, kind="nonspeech")))
    back = parse_vtt(out).segments
    assert len(back) == 2 and all(s.kind == "nonspeech" for s in back)


def test_writer_marks_nonspeech_without_brackets() -> None:
    """A non-speech segment without brackets is written in parentheses, without a voice."""
    t = _timed(Segment("music", "ANN", 0.0, 1.0, kind="nonspeech"))
    assert write_vtt(t).endswith("00:00:00.000 --> 00:00:01.000\n(music)\n")


def test_writer_refuses_untimed_transcript() -> None:
    """Writing an untimed transcript raises ValueError: timings are never invented."""
    with pytest.raises(ValueError, match="WebVTT needs timings, but segment 2 has none"):
        write_vtt(_timed(Segment("a", None, 0.0, 1.0), Segment("b")))


def test_writer_output_reads_back() -> None:
    """What the writer writes, the reader reads back with full names as speakers."""
    t = _timed(
        Segment("Hi & <bye>", "MCEVERS", 0.0, 1.0),
        Segment("(LAUGHTER)", None, 1.0, 2.0, kind="nonspeech"),
        Segment("Yes.", "MCEVERS", 2.0, 3.0),
    )
    back = parse_vtt(write_vtt(t, {"MCEVERS": "Kelly McEvers"}))
    assert [(s.speaker, s.text, s.kind) for s in back.segments] == [
        ("Kelly McEvers", "Hi & <bye>", "speech"),
        (None, "(LAUGHTER)", "nonspeech"),
        ("Kelly McEvers", "Yes.", "speech"),
    ]


def test_arrow_without_spaces_is_accepted() -> None:
    """'00:00.000-->00:01.000' (no spaces), which browsers accept, reads too."""
    t = parse_vtt("WEBVTT\n\n00:00.000-->00:01.000\nHi\n")
    assert t.segments == (Segment("Hi", None, 0.0, 1.0),)


@pytest.mark.parametrize(
    ("start", "end"), [(2.0, 1.0), (-1.0, 1.0), (0.0, float("inf")), (float("nan"), 1.0)]
)
def test_writer_refuses_impossible_times(start: float, end: float) -> None:
    """Backwards, negative, infinite or NaN times are a ValueError, not a broken file."""
    with pytest.raises(ValueError, match="times must be finite and 0 <= start <= end"):
        write_vtt(_timed(Segment("a", None, start, end)))


def test_the_credit_line_is_a_note_after_the_header() -> None:
    """The transcript's credit travels with the file as a WebVTT comment (never a caption);
    a credit holding the cue arrow cannot end the comment."""
    t = Transcript(
        (Segment("Hi.", "Ann", 0.0, 1.0),), credit="Transcript by NPR --> Copyright NPR."
    )
    out = write_vtt(t)
    assert out.startswith("WEBVTT\n\nNOTE\nTranscript by NPR -> Copyright NPR.\n\n1\n")
    back = parse_vtt(out)
    assert [s.text for s in back.segments] == ["Hi."]


def test_the_credit_line_travels_in_every_timed_format() -> None:
    """A NOTE in WebVTT (kept, never shown); in SRT and JSON, which have no comments, a last
    cue of no speaker after the last words, for three seconds (in brackets in SRT, where a
    cue without a name continues the speaker before)."""
    from stationcast.transcripts import parse_json, parse_srt, write_json, write_srt

    t = Transcript(
        (Segment("Thank you.", "NEUMANN", 0.5, 1.5),),
        credit="Transcript provided by NPR, Copyright NPR.",
    )
    names = {"NEUMANN": "Peter Neumann"}
    assert "NOTE\nTranscript provided by NPR, Copyright NPR.\n" in write_vtt(t, names)
    for write, parse in ((write_srt, parse_srt), (write_json, parse_json)):
        back = parse(write(t, names))
        last = back.segments[-1]
        assert (
            " ".join(last.text.split()).strip("()") == "Transcript provided by NPR, Copyright NPR."
        )
        assert (last.speaker, last.start, last.end) == (None, 1.5, 4.5)
        assert [s.text for s in back.segments[:-1]] == ["Thank you."]
    untitled = Transcript(t.segments)
    assert len(parse_srt(write_srt(untitled, names)).segments) == 1
    # an audio that ends sooner: the credit ends with it, never after it
    short = Transcript(t.segments, credit=t.credit, length=2.25)
    assert parse_json(write_json(short, names)).segments[-1].end == 2.25
    assert parse_srt(write_srt(short, names)).segments[-1].end == 2.25
