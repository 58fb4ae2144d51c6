"""Podcasting 2.0 JSON transcripts: reader and writer."""

from __future__ import annotations

import json

import pytest

from stationcast.errors import InputError
from stationcast.transcripts import Segment, Transcript, parse_json, write_json

SAMPLE = """{
  "version": "1.0.0",
  "segments": [
    {"speaker": "Kelly McEvers", "startTime": 0, "endTime": 4.5, "body": "And who are these?"},
    {"speaker": "Kelly McEvers", "startTime": 4.5, "endTime": 5.0, "body": " Tell\\n me. "},
    {"startTime": 5.0, "endTime": 6.0, "body": "(LAUGHTER)"},
    {"speaker": "Peter Neumann", "startTime": 6.0, "body": "Well."}
  ]
}"""


def test_segments_are_read() -> None:
    """speaker, startTime, endTime (optional) and body become segments; body is normalised."""
    assert parse_json(SAMPLE).segments == (
        Segment("And who are these?", "Kelly McEvers", 0.0, 4.5),
        Segment("Tell me.", "Kelly McEvers", 4.5, 5.0, new_turn=False),
        Segment("(LAUGHTER)", None, 5.0, 6.0, kind="nonspeech"),
        Segment("Well.", "Peter Neumann", 6.0, None),
    )


def test_missing_end_time_makes_transcript_untimed() -> None:
    """A segment without endTime leaves the transcript untimed (no end is invented)."""
    assert parse_json(SAMPLE).timed is False


def test_untimed_json_is_accepted() -> None:
    """Segments without any times read fine."""
    t = parse_json('{"segments": [{"body": "Hi"}]}')
    assert t.segments == (Segment("Hi"),)


def test_empty_body_segments_are_skipped() -> None:
    """Segments whose body is empty or whitespace are dropped."""
    t = parse_json('{"segments": [{"body": " "}, {"body": "x", "speaker": ""}]}')
    assert t.segments == (Segment("x"),)


def test_escaped_decomposed_text_is_nfc() -> None:
    """Bodies written with \\u escapes are NFC-normalised like every other text."""
    t = parse_json('{"segments": [{"body": "Pe\\u0301ter"}]}')
    assert t.segments[0].text == "P\u00e9ter"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"segments": [}', 1, "not valid JSON: Expecting value"),
        ("[]", 1, 'expected a JSON object with a "segments" list, like'),
        ('{"segments": {}}', 1, 'expected a JSON object with a "segments" list, like'),
        ('{"segments": [1]}', 1, "segments[0]: expected an object, got the number 1"),
        ('{"segments": [{}]}', 1, "segments[0].body: expected a string, got null"),
        (
            '{"segments": [{"body": "a", "speaker": 3}]}',
            1,
            "segments[0].speaker: expected a string, got the number 3",
        ),
        (
            '{"segments": [{"body": "a", "startTime": "1.5"}]}',
            1,
            "segments[0].startTime: expected a number of seconds, got the string '1.5'",
        ),
        (
            '{"segments": [{"body": "a", "startTime": true}]}',
            1,
            "segments[0].startTime: expected a number of seconds, got true",
        ),
        (
            '{"segments": [{"body": "a", "startTime": -1}]}',
            1,
            "segments[0].startTime: expected 0 or more seconds, got -1",
        ),
        (
            '{"segments": [{"body": "a", "startTime": 1e999}]}',
            1,
            "segments[0].startTime: expected 0 or more seconds, got inf",
        ),
        ('{"segments": [{"body": "a", "startTime": NaN}]}', None, "not valid JSON: NaN is not"),
        (
            '{"segments": [{"body": "a", "startTime": 2, "endTime": 1}]}',
            1,
            "segments[0]: endTime 1.0 is before startTime 2.0",
        ),
        (
            '{"segments": [{"body": "a\\ud800"}]}',
            1,
            "segments[0].body: character U+D800 (a lone UTF-16 surrogate) is not allowed in a "
            "transcript (XML 1.0 cannot carry it); remove it",
        ),
        (
            '{"segments": [{"body": "a\\u000b"}]}',
            1,
            "segments[0].body: character U+000B (a control character) is not allowed in a "
            "transcript (XML 1.0 cannot carry it); remove it",
        ),
    ],
    ids=[
        "syntax",
        "array",
        "segments-object",
        "segment-number",
        "no-body",
        "speaker-number",
        "time-string",
        "time-bool",
        "time-negative",
        "time-infinite",
        "nan",
        "end-before-start",
        "lone-surrogate",
        "vertical-tab",
    ],
)
def test_malformed_json(text: str, line: int | None, message: str) -> None:
    """Malformed JSON is an InputError naming the segment (or line) and what was expected."""
    with pytest.raises(InputError) as info:
        parse_json(text, source="ep/transcript.json")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("ep/transcript.json", line, "transcript")
    assert problem.message.startswith(message)


def test_segment_problems_name_their_line() -> None:
    """Each segment's problems carry the line its object starts on."""
    text = (
        '{"version": "1.0.0",\n "segments": [\n  {"body": "ok"},\n'
        '  {"body": 1,\n   "startTime": "x"},\n  "s"\n ]\n}'
    )
    with pytest.raises(InputError) as info:
        parse_json(text, source="t.json")
    assert str(info.value) == (
        "t.json:4: transcript: segments[1].body: expected a string, got the number 1\n"
        "t.json:4: transcript: segments[1].startTime: expected a number of seconds, "
        "got the string 'x'\n"
        "t.json:6: transcript: segments[2]: expected an object, got the string 's'"
    )


def test_every_bad_segment_is_reported() -> None:
    """All segment problems are collected before raising, not just the first."""
    with pytest.raises(InputError) as info:
        parse_json('{"segments": [{"body": 1}, {"body": "ok"}, {"body": 2}]}', source="t.json")
    assert len(info.value.problems) == 2


# --- writer -----------------------------------------------------------------------------------


def test_writer_output() -> None:
    """The writer emits version 1.0.0 and speaker/startTime/endTime/body per segment."""
    t = Transcript(
        (
            Segment("Hi <b> & ✓", "MCEVERS", 0.0, 1.5),
            Segment("(LAUGHTER)", None, 1.5, 2.0, kind="nonspeech"),
        )
    )
    out = write_json(t, {"MCEVERS": "Kelly McEvers"})
    assert json.loads(out) == {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Kelly McEvers", "startTime": 0.0, "endTime": 1.5, "body": "Hi <b> & ✓"},
            {"startTime": 1.5, "endTime": 2.0, "body": "(LAUGHTER)"},
        ],
    }
    assert "✓" in out  # UTF-8, not \u escapes
    assert out.endswith("}\n")


def test_writer_refuses_untimed_transcript() -> None:
    """Writing a transcript without end times raises ValueError."""
    with pytest.raises(ValueError, match="JSON needs timings"):
        write_json(parse_json(SAMPLE))


def test_problem_list_is_capped() -> None:
    """A file wrong in every segment reports the first 20 problems and how many more."""
    text = '{"segments": [' + ", ".join(['{"body": 1}'] * 25) + "]}"
    with pytest.raises(InputError) as info:
        parse_json(text, source="t.json")
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 21
    assert messages[-1] == "too many problems; 5 more in later segments are not shown"
