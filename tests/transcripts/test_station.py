"""Station transcript text (NPR style) -> Transcript."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationcast.errors import InputError
from stationcast.transcripts import Segment, match_label, parse_station_text, split_cues, station

DATA = Path(__file__).parent / "data"
SEED = DATA / "isis-defectors.txt"


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


# --- the seed page ----------------------------------------------------------------------------


def test_seed_intro_is_unlabelled_host_text(seed: str) -> None:
    """The paragraph before the first label is the host's introduction: no speaker, intro."""
    first = parse_station_text(seed).segments[0]
    assert first.speaker is None
    assert first.intro is True
    assert first.new_turn is True
    assert first.kind == "speech"
    assert first.text.startswith("What happens when you leave the militant Islamist group ISIS?")
    assert first.text.endswith("I asked him how he found these defectors and who they are.")


def test_seed_turns_in_order(seed: str) -> None:
    """The seed page gives the intro then alternating NEUMANN/MCEVERS turns, in order."""
    turns = parse_station_text(seed).turns()
    assert [(t.speaker, len(t.segments)) for t in turns] == [
        (None, 1),
        ("PETER NEUMANN", 1),
        ("MCEVERS", 1),
        ("NEUMANN", 1),
        ("MCEVERS", 1),
        ("NEUMANN", 3),
        ("MCEVERS", 1),
        ("NEUMANN", 2),
        ("MCEVERS", 1),
        ("NEUMANN", 1),
    ]


def test_seed_labels_in_order_of_first_appearance(seed: str) -> None:
    """labels() lists each distinct label once, as written, in order of first appearance."""
    assert parse_station_text(seed).labels() == ["PETER NEUMANN", "MCEVERS", "NEUMANN"]


def test_seed_continuation_paragraphs(seed: str) -> None:
    """Paragraphs without a label continue the current speaker's turn (new_turn False)."""
    segs = parse_station_text(seed).segments
    second = next(s for s in segs if s.text.startswith("Second narrative was about brutality"))
    assert second.speaker == "NEUMANN"
    assert second.new_turn is False
    assert second.intro is False


def test_seed_credit_is_removed_from_last_paragraph(seed: str) -> None:
    """The trailing 'Transcript provided by NPR, Copyright NPR.' becomes Transcript.credit."""
    t = parse_station_text(seed)
    assert t.credit == "Transcript provided by NPR, Copyright NPR."
    assert t.segments[-1] == Segment("Thank you.", speaker="NEUMANN")


def test_seed_is_untimed(seed: str) -> None:
    """Station text carries no timings, so the transcript is not timed."""
    assert parse_station_text(seed).timed is False


# --- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "name", "role", "rest"),
    [
        ("PETER NEUMANN: Me and my team", "PETER NEUMANN", None, "Me and my team"),
        ("MCEVERS: And who", "MCEVERS", None, "And who"),
        ("ARI SHAPIRO, HOST: Good evening.", "ARI SHAPIRO", "HOST", "Good evening."),
        ("TOMÁS ECHEVERRÍA, BYLINE: In Bogotá", "TOMÁS ECHEVERRÍA", "BYLINE", "In Bogotá"),
        ("DANA O'CONNELL: Hi.", "DANA O'CONNELL", None, "Hi."),
        ("DANA O’CONNELL: Hi.", "DANA O’CONNELL", None, "Hi."),
        ("UNIDENTIFIED PERSON #1: Go!", "UNIDENTIFIED PERSON #1", None, "Go!"),
        ("JEAN-LUC MÜLLER: Bonjour.", "JEAN-LUC MÜLLER", None, "Bonjour."),
        ("FRANKLIN D. ROOSEVELT: The only", "FRANKLIN D. ROOSEVELT", None, "The only"),
        ("MARY LOUISE KELLY, HOST: Hello.", "MARY LOUISE KELLY", "HOST", "Hello."),
        ("ΣΩΚΡΆΤΗΣ: Γεια.", "ΣΩΚΡΆΤΗΣ", None, "Γεια."),
        ("MCEVERS:\tAnd", "MCEVERS", None, "And"),
        ("MCEVERS:\u00a0And", "MCEVERS", None, "And"),
        ("MELISSA BLOCK, host: This is", "MELISSA BLOCK", "host", "This is"),
        ("STEVE INSKEEP (Host): Good", "STEVE INSKEEP", "Host", "Good"),
        (
            "Mr. JOHN DOE (Director, Example Institute): Well",
            "Mr. JOHN DOE",
            "Director, Example Institute",
            "Well",
        ),
        ("Dr. FAUCI: Yes.", "Dr. FAUCI", None, "Yes."),
        ("Unidentified Man #1: Hey.", "Unidentified Man #1", None, "Hey."),
        ("UNIDENTIFIED GROUP: (Chanting)", "UNIDENTIFIED GROUP", None, "(Chanting)"),
    ],
)
def test_label_forms(paragraph: str, name: str, role: str | None, rest: str) -> None:
    """Every NPR label form splits into name, optional role and the spoken text."""
    label = match_label(paragraph)
    assert label is not None
    assert (label.name, label.role, label.rest) == (name, role, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The reason is simple: money.",
        "At 5:30 we left.",
        "AT 5:30 WE LEFT.",
        "Note: this is a note.",
        "1999: the year it began.",
        "He said: no.",
        "WHAT HAPPENED NEXT SURPRISED EVERYONE WHO WAS THERE: nothing.",
        "the group (ISIS): no",
        "Mr. Smith: hello",
        "Mr.: hello",
        "OK, fine: let's go.",
        "WELL (sort of: yes",
        "THE END (): nothing",
        "Unidentified reasons: many",
        "MCEVERS:no space after the colon",
        ": empty label",
        "PETER, HOST, EXTRA: two commas",
        "Ratio 3:2 in favour",
    ],
)
def test_colon_in_sentence_is_not_a_label(paragraph: str) -> None:
    """A sentence that merely contains a colon does not start a turn."""
    assert match_label(paragraph) is None


def test_label_role_kept_separately() -> None:
    """'ARI SHAPIRO, HOST:' gives speaker 'ARI SHAPIRO' and label_role 'HOST'."""
    t = parse_station_text("ARI SHAPIRO, HOST: Hello.\n\nSHAPIRO: Again.")
    assert [(s.speaker, s.label_role) for s in t.segments] == [
        ("ARI SHAPIRO", "HOST"),
        ("SHAPIRO", None),
    ]


def test_colon_sentence_continues_turn() -> None:
    """A paragraph like 'The reason is simple: money.' continues the current speaker."""
    t = parse_station_text("KELLY: Why?\n\nThe reason is simple: money.")
    assert t.segments[1] == Segment("The reason is simple: money.", speaker="KELLY", new_turn=False)


def test_label_alone_in_its_paragraph() -> None:
    """A label standing alone applies to the next paragraph, which starts the turn."""
    t = parse_station_text("KELLY:\n\nHello there.\n\nMore.")
    assert t.segments == (
        Segment("Hello there.", speaker="KELLY", new_turn=True),
        Segment("More.", speaker="KELLY", new_turn=False),
    )


def test_same_speaker_labelled_twice_is_two_turns() -> None:
    """Two labelled paragraphs by one speaker are two turns (the source says so)."""
    t = parse_station_text("KELLY: One.\n\nKELLY: Two.")
    assert [len(turn.segments) for turn in t.turns()] == [1, 1]


# --- paragraphs and line breaks ---------------------------------------------------------------


def test_single_newlines_when_no_blank_lines() -> None:
    """Without any blank line, each line is a paragraph."""
    t = parse_station_text("Intro text.\nKELLY: Hi.\nStill Kelly.\nSMITH: Hello.")
    assert [(s.speaker, s.text, s.new_turn) for s in t.segments] == [
        (None, "Intro text.", True),
        ("KELLY", "Hi.", True),
        ("KELLY", "Still Kelly.", False),
        ("SMITH", "Hello.", True),
    ]


def test_hard_wrapped_paragraph_is_joined() -> None:
    """With blank-line paragraphs, lines inside a paragraph are joined with one space."""
    t = parse_station_text("KELLY: A long\nsentence  wrapped\n\tacross lines.\n\nSMITH: Hi.")
    assert t.segments[0].text == "A long sentence wrapped across lines."


def test_label_line_inside_block_starts_paragraph() -> None:
    """A line opening with a label starts a new paragraph even without a blank line before."""
    t = parse_station_text("KELLY: Hi.\nSMITH: Hello.\n\nKELLY: Bye.")
    assert [s.speaker for s in t.segments] == ["KELLY", "SMITH", "KELLY"]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(newline: str) -> None:
    """CRLF, CR and LF line endings all separate lines and paragraphs."""
    text = newline.join(["Intro.", "", "KELLY: Hi.", "", "SMITH: Hello."])
    assert [s.text for s in parse_station_text(text).segments] == ["Intro.", "Hi.", "Hello."]


def test_mixed_line_endings_are_three_lines() -> None:
    """'Line1\\r\\nLine2\\rLine3\\n' is three lines (reliability table T12)."""
    t = parse_station_text("Line1\r\nLine2\rLine3\n")
    assert [s.text for s in t.segments] == ["Line1", "Line2", "Line3"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\ufeff", "\r\n \r\n"])
def test_empty_input_gives_empty_transcript(text: str) -> None:
    """Empty or whitespace-only input gives an empty Transcript, not an error."""
    t = parse_station_text(text)
    assert t.segments == ()
    assert t.credit is None
    assert not t


def test_byte_order_mark_is_dropped() -> None:
    """A leading BOM does not end up in the first paragraph."""
    assert parse_station_text("\ufeffKELLY: Hi.").segments[0].text == "Hi."


# --- cues -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cue", ["(SOUNDBITE OF MUSIC)", "(LAUGHTER)", "(Speaking Spanish)", "[MUSIC]", "(CROSSTALK)"]
)
def test_whole_paragraph_cue_is_nonspeech(cue: str) -> None:
    """A paragraph that is wholly a bracketed cue is a non-speech segment, brackets kept."""
    t = parse_station_text(f"KELLY: Listen.\n\n{cue}\n\nKELLY: Nice.")
    assert t.segments[1] == Segment(cue, kind="nonspeech")


def test_paragraph_after_cue_continues_speaker() -> None:
    """An unlabelled paragraph after a cue continues the speaker from before the cue."""
    t = parse_station_text("KELLY: Listen.\n\n(SOUNDBITE OF MUSIC)\n\nThat was lovely.")
    last = t.segments[-1]
    assert (last.speaker, last.new_turn, last.kind) == ("KELLY", False, "speech")


def test_cue_is_its_own_turn() -> None:
    """turns() puts a non-speech cue in a turn of its own, and resumes the speaker after it."""
    t = parse_station_text("KELLY: Listen.\n\n(SOUNDBITE OF MUSIC)\n\nThat was lovely.")
    assert [(turn.speaker, turn.kind) for turn in t.turns()] == [
        ("KELLY", "speech"),
        (None, "nonspeech"),
        ("KELLY", "speech"),
    ]


def test_inline_cue_stays_in_text() -> None:
    """A cue inside speech stays in the speech text."""
    t = parse_station_text("KELLY: I said (laughter) no.")
    assert t.segments[0] == Segment("I said (laughter) no.", speaker="KELLY")


def test_labelled_cue_stays_speech() -> None:
    """'KELLY: (LAUGHTER)' is Kelly's turn whose text is a cue; the label wins."""
    t = parse_station_text("KELLY: (LAUGHTER)")
    assert t.segments[0] == Segment("(LAUGHTER)", speaker="KELLY")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "I said (laughter) no",
            [("speech", "I said "), ("nonspeech", "(laughter)"), ("speech", " no")],
        ),
        ("(LAUGHTER) Yes.", [("nonspeech", "(LAUGHTER)"), ("speech", " Yes.")]),
        ("Hola (Speaking Spanish)", [("speech", "Hola "), ("nonspeech", "(Speaking Spanish)")]),
        (
            "the (SOUNDBITE OF MUSIC) end",
            [("speech", "the "), ("nonspeech", "(SOUNDBITE OF MUSIC)"), ("speech", " end")],
        ),
        ("the group (ISIS) said", [("speech", "the group (ISIS) said")]),
        ("an aside (like this one) here", [("speech", "an aside (like this one) here")]),
        (
            "(Through interpreter) We left.",
            [("nonspeech", "(Through interpreter)"), ("speech", " We left.")],
        ),
        ("Peter Smith (ph) said", [("speech", "Peter Smith (ph) said")]),
        ("unclosed (LAUGHTER", [("speech", "unclosed (LAUGHTER")]),
        ("", []),
    ],
)
def test_split_cues(text: str, parts: list[tuple[str, str]]) -> None:
    """split_cues marks inline cues and leaves acronyms and asides as speech."""
    assert split_cues(text) == parts
    assert "".join(p for _, p in parts) == text


# --- credit -----------------------------------------------------------------------------------


def test_credit_in_its_own_paragraph() -> None:
    """A credit in its own final paragraph is removed and returned as the credit."""
    t = parse_station_text("KELLY: Bye.\n\nTranscript provided by NPR, Copyright NPR.\n")
    assert t.credit == "Transcript provided by NPR, Copyright NPR."
    assert [s.text for s in t.segments] == ["Bye."]


def test_npr_copyright_notice_at_end() -> None:
    """npr.org's copyright and 'may not be in its final form' notice becomes the credit."""
    notice1 = (
        "Copyright © 2015 NPR. All rights reserved. Visit our website terms of use and "
        "permissions pages at www.npr.org for further information."
    )
    notice2 = (
        "NPR transcripts are created on a rush deadline by an NPR contractor. This text may "
        "not be in its final form and may be updated or revised in the future."
    )
    t = parse_station_text(f"KELLY: Bye.\n\n{notice1}\n\n{notice2}\n")
    assert t.credit == f"{notice1} {notice2}"
    assert [s.text for s in t.segments] == ["Bye."]


def test_npr_copyright_notice_at_start_is_not_intro() -> None:
    """A copyright notice pasted above the transcript is the credit, not the host's intro."""
    t = parse_station_text("Copyright © 2015 NPR. All rights reserved.\n\nKELLY: Hi.")
    assert t.credit == "Copyright © 2015 NPR. All rights reserved."
    assert [s.intro for s in t.segments] == [False]


def test_credit_only_paragraph_after_label() -> None:
    """'NEUMANN: Transcript provided by NPR...' leaves no empty segment behind."""
    t = parse_station_text("KELLY: Bye.\n\nNEUMANN: Transcript provided by NPR, Copyright NPR.")
    assert t.credit == "Transcript provided by NPR, Copyright NPR."
    assert [s.text for s in t.segments] == ["Bye."]


def test_no_credit() -> None:
    """Text without a credit has credit None and keeps every paragraph."""
    t = parse_station_text("KELLY: Copyright law is hard.\n\nCopyright law, I mean.")
    assert t.credit is None
    assert len(t.segments) == 2


def test_credit_phrase_mid_text_is_kept() -> None:
    """'Transcript provided by' far from the end is speech, not a credit."""
    text = "KELLY: The transcript provided by the court " + "was long. " * 50
    t = parse_station_text(text)
    assert t.credit is None


# --- unicode and hostile text -----------------------------------------------------------------


def test_nfc_normalisation() -> None:
    """Decomposed accents are composed (NFC), so labels compare equal."""
    t = parse_station_text("PE\u0301TER: Hi.\n\nP\u00c9TER: Again.")
    assert t.labels() == ["P\u00c9TER"]


def test_markup_and_emoji_kept_verbatim() -> None:
    """Text is data: markup, emoji and RTL text are kept exactly (escaping is the writer's job)."""
    body = "<script>alert(1)</script> 👩🏽‍🚀 مرحبا שלום &amp;"
    assert parse_station_text(f"KELLY: {body}").segments[0].text == body


def test_no_break_space_is_kept() -> None:
    """Only spaces, tabs and newlines are collapsed; a no-break space is content."""
    assert parse_station_text("KELLY: 10\u00a0km").segments[0].text == "10\u00a0km"


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ("KELLY: a\x00b", 1, 9, "U+0000 (a control character)"),
        ("Intro.\n\nKELLY: a\x0bb", 3, 9, "U+000B (a control character)"),
        ("Intro.\r\nKELLY: a\x0cb", 2, 9, "U+000C (a control character)"),
        ("Intro.\rKELLY: \x1b[31mred", 2, 8, "U+001B (a control character)"),
        ("a\ufffeb", 1, 2, "U+FFFE (a noncharacter)"),
        ("a\ud800b", 1, 2, "U+D800 (a lone UTF-16 surrogate)"),
    ],
)
def test_illegal_character_is_an_error(text: str, line: int, column: int, code: str) -> None:
    """Characters XML 1.0 forbids are an InputError naming line, column and code point."""
    with pytest.raises(InputError) as info:
        parse_station_text(text, source="ep/transcript.txt")
    assert str(info.value) == (
        f"ep/transcript.txt:{line}:{column}: transcript: character {code} is not allowed in a "
        "transcript (XML 1.0 cannot carry it); remove it"
    )


def test_illegal_characters_on_several_lines_all_reported() -> None:
    """Every line with a forbidden character is reported, once per line."""
    with pytest.raises(InputError) as info:
        parse_station_text("a\x00\x00\nb\nc\x01", source="t.txt")
    assert [(p.line, p.column) for p in info.value.problems] == [(1, 2), (3, 2)]


# --- speed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "KELLY: " + "word (" * 170_000,
        "(" * 1_000_000,
        "A:" * 500_000,
        "AAAA " * 200_000 + ":",
        "Transcript provided by " * 45_000,
        "KELLY: " + "x" * 1_000_000 + " Transcript provided by NPR, Copyright NPR.",
    ],
    ids=["letters", "open-parens", "parens-only", "colons", "caps", "credits", "credit-at-end"],
)
def test_one_megabyte_line_parses_quickly(text: str) -> None:
    """A 1 MB single line, hostile or not, parses well under a second (no catastrophic regex).

    Measured at 30-110 MB/s; the bound leaves room for a loaded CI machine.
    """
    began = time.perf_counter()
    parse_station_text(text)
    assert time.perf_counter() - began < 5  # a guard against catastrophic regexes, not a benchmark


def test_many_paragraphs_parse_in_linear_time() -> None:
    """80,000 one-line turns (1 MB) parse in about a second at worst (~4 us per paragraph)."""
    text = "KELLY: hi.\n\nSMITH: ho.\n\n" * 40_000
    began = time.perf_counter()
    t = parse_station_text(text)
    assert time.perf_counter() - began < 10  # linear, not quadratic; speed is for benchmarks
    assert len(t.segments) == 80_000


def test_illegal_characters_on_many_lines_are_capped() -> None:
    """Only the first 20 lines with forbidden characters are listed, then a note says so."""
    with pytest.raises(InputError) as info:
        parse_station_text("a\x00\n" * 30, source="t.txt")
    problems = info.value.problems
    assert len(problems) == 21
    assert (problems[-1].line, problems[-1].message) == (
        21,
        "too many lines with characters XML 1.0 cannot carry; only the first 20 are listed",
    )


def test_line_of_control_characters_is_reported_quickly() -> None:
    """A 1 MB line of NULs is one problem, found in well under a second."""
    began = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_station_text("ok\n" + "\x00" * 1_000_000, source="t.txt")
    assert time.perf_counter() - began < 5  # a guard against catastrophic regexes, not a benchmark
    assert [(p.line, p.column) for p in info.value.problems] == [(2, 1)]


_NEVER = re.compile(r"(?!)")


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from("ABZ ,:.'()#&-a1\t\u00e9\u00a0"), max_size=30))
def test_the_fast_label_path_agrees_with_the_rules(paragraph: str) -> None:
    """match_label's shortcut for plain `NAME:` labels gives what the full rules give."""
    fast = match_label(paragraph)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(station, "_SIMPLE_LABEL", _NEVER)
        assert match_label(paragraph) == fast
