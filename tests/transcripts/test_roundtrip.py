"""Property tests: any text survives write -> read in every format (hypothesis)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stationcast.transcripts import (
    Segment,
    Transcript,
    mark_turns,
    match_label,
    parse_json,
    parse_srt,
    parse_station_text,
    parse_vtt,
    split_cues,
    write_json,
    write_srt,
    write_text,
    write_vtt,
)
from stationcast.transcripts._text import (
    ILLEGAL,
    _may_hold_illegal,
    clean_text,
    is_whole_cue,
    squash,
    visible,
)
from stationcast.transcripts.srt import _FORMATTING, is_speaker_name, split_speaker
from support import rejoined

#: STATIONCAST_EXAMPLES=2000 for a thorough run; 100 keeps the everyday suite quick.
PROPERTY = settings(
    max_examples=int(os.environ.get("STATIONCAST_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces that have broken transcript writers and readers elsewhere: markup, entities, the cue
# arrow, header and block keywords, bidi and zero-width characters, ZWJ emoji, RTL scripts,
# combining marks (U+0338 composes with '<', '>' and '=' under NFC), colons and brackets.
HOSTILE = [
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "-->",
    "--",
    "<v Bob>",
    "</v>",
    "<i>",
    "<b>x</b>",
    "<00:00:01.000>",
    "WEBVTT",
    "NOTE",
    "STYLE",
    "1",
    "00:00:01.000 --> 00:00:02.000",
    "00:00:01,000 --> 00:00:02,000",
    "\u202e",
    "\u200b",
    "\u200f",
    "\ufeff",
    "👩🏽‍🚀",
    "مرحبا بكم",
    "שלום",
    "\u0338",
    "e\u0301",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\x85",
    "(LAUGHTER)",
    "[MUSIC]",
    "(",
    ")",
    ": ",
    "Note: ",
    "KELLY: ",
    "{\\an8}",
    '"',
    "\\",
    "\n\n",
    "\t",
]

_char = st.characters(exclude_categories=["Cs"]).filter(
    lambda c: not ILLEGAL.match(c) and c != "\r"
)
_raw = st.lists(st.one_of(st.text(_char, max_size=10), st.sampled_from(HOSTILE)), max_size=6)
#: Text as every reader delivers it: NFC, whitespace squashed, not empty.
TEXT = _raw.map("".join).map(clean_text).filter(visible)
#: SRT readers strip the tags players render (<i>, <b>, <font ...>), so text cannot hold them.
SRT_TEXT = TEXT.map(lambda t: clean_text(_FORMATTING.sub("", t))).filter(visible)
_inner = TEXT.filter(lambda t: not any(b in t for b in "()[]"))
CUE = _inner.map(lambda t: f"({t})")
SRT_CUE = SRT_TEXT.filter(lambda t: not any(b in t for b in "()[]")).map(lambda t: f"({t})")
NAMES = st.one_of(
    st.sampled_from(
        [
            "Kelly McEvers",
            "Peter Neumann",
            "Tomás Echeverría",
            "Dana O'Connell",
            "UNIDENTIFIED PERSON #1",
            "محمد علي",
            "Jean-Luc Müller",
            "Ludwig van Beethoven",
        ]
    ),
    TEXT,
)


@st.composite
def transcripts(
    draw: st.DrawFn, names: st.SearchStrategy[str] = NAMES, *, srt: bool = False
) -> Transcript:
    """Timed transcripts with arbitrary text and speakers and increasing millisecond timings.

    With ``srt=True``, only what SRT's ``Name: `` convention can carry: no unknown speaker after
    a known one, and unknown speakers' text that reads neither as a prefix nor as a cue.
    """
    speakers = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    count = draw(st.integers(1, 8))
    at = draw(st.integers(0, 400_000_000))  # up to ~111 hours: three-digit hours too
    segments: list[Segment] = []
    known = False
    for _ in range(count):
        at += draw(st.integers(0, 60_000))
        length = draw(st.integers(0, 60_000))
        start, end = at / 1000, (at + length) / 1000
        if draw(st.integers(0, 5)) == 0:
            cue = draw(SRT_CUE if srt else CUE)
            segments.append(Segment(cue, None, start, end, kind="nonspeech"))
        else:
            choices = [*speakers] if srt and known else [None, *speakers]
            speaker = draw(st.sampled_from(choices))
            text = draw(SRT_TEXT if srt else TEXT)
            if srt and speaker is None and (split_speaker(text)[0] or is_whole_cue(text)):
                text = f"x {text}"
            known = known or speaker is not None
            segments.append(Segment(text, speaker, start, end))
        if draw(st.booleans()):
            at += length
    return Transcript(mark_turns(segments))


def _readable_without_voice(t: Transcript) -> bool:
    """A speech cue without a speaker that is wholly bracketed reads back as non-speech."""
    return not any(
        s.kind == "speech" and s.speaker is None and is_whole_cue(s.text) for s in t.segments
    )


def _renamed(t: Transcript, names: Mapping[str, str]) -> Transcript:
    segments = [
        replace(s, speaker=names.get(s.speaker, s.speaker)) if s.speaker is not None else s
        for s in t.segments
    ]
    return Transcript(mark_turns(segments))


# --- WebVTT -----------------------------------------------------------------------------------


@PROPERTY
@given(transcripts())
def test_vtt_round_trip(t: Transcript) -> None:
    """Any text, speaker and millisecond timings survive write_vtt -> parse_vtt unchanged (a
    segment split into several cues reads back as those cues, which join to it)."""
    assume(_readable_without_voice(t))
    assert rejoined(parse_vtt(write_vtt(t))) == rejoined(t)


@PROPERTY
@given(transcripts(), st.dictionaries(TEXT, NAMES, max_size=3))
def test_vtt_round_trip_with_full_names(t: Transcript, names: dict[str, str]) -> None:
    """Labels written through a names mapping read back as the full names."""
    assume(_readable_without_voice(t))
    names = {label: full for label, full in names.items()}
    names.update({label: label.upper() for label in t.labels()[:1]})
    assert rejoined(parse_vtt(write_vtt(t, names))) == rejoined(_renamed(t, names))


@PROPERTY
@given(transcripts())
def test_vtt_output_is_well_formed(t: Transcript) -> None:
    """'-->' appears once per cue, no blank line splits a cue, visible lines are short, and
    a cue of a known speaker has at most two lines."""
    out = write_vtt(t)
    blocks = out.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    assert len(blocks) >= len(t.segments) + 1
    for block in blocks[1:]:
        lines = block.split("\n")[2:]
        assert (
            len(lines) <= 2
            or not lines[0].startswith("<v ")
            or any(" " not in line for line in lines)
        )
    for block in blocks[1:]:
        assert block.count("-->") == 1
        for line in block.split("\n")[2:]:
            visible = html.unescape(re.sub(r"^<v [^>]*>", "", line))
            assert len(visible) <= 65 or " " not in visible


@PROPERTY
@given(transcripts(), st.data())
def test_vtt_writer_never_splits_cues_on_hand_made_text(t: Transcript, data: st.DataObject) -> None:
    """Even raw text with newlines and blank lines gives blocks of its own, never an empty
    one: as many as writing the text with its whitespace squashed gives."""
    raw = data.draw(
        st.lists(
            _raw.map("".join).filter(str.strip), min_size=len(t.segments), max_size=len(t.segments)
        )
    )
    hand = Transcript(tuple(replace(s, text=r) for s, r in zip(t.segments, raw, strict=True)))
    out = write_vtt(hand)
    squashed = Transcript(tuple(replace(s, text=squash(s.text)) for s in hand.segments))
    assert out.rstrip("\n").count("\n\n") == write_vtt(squashed).rstrip("\n").count("\n\n")


# --- SRT --------------------------------------------------------------------------------------

_NAME_CHARS = st.one_of(
    st.characters(categories=("Lu", "Lt", "Lo", "Ll", "Mn", "Nd")), st.sampled_from("'’-.#&")
)
_NAME_WORD = st.text(_NAME_CHARS, min_size=1, max_size=8).filter(lambda w: not w[0].islower())
SRT_NAMES = st.one_of(
    st.sampled_from(
        [
            "Kelly McEvers",
            "Tomás Echeverría",
            "Dana O'Connell",
            "UNIDENTIFIED PERSON #1",
            "محمد علي",
        ]
    ),
    st.lists(_NAME_WORD, min_size=1, max_size=3).map(" ".join).map(clean_text),
).filter(is_speaker_name)


def _srt_representable(t: Transcript) -> bool:
    """What SRT's 'Name: ' convention can carry.

    A cue without a prefix continues the current speaker, so an unknown speaker cannot follow a
    known one; text without a speaker must not itself read as a prefix or a bracketed cue; and
    the player formatting tags SRT readers strip (<i>, <b>, <font>) must not be part of the text.
    """
    seen_speaker = False
    for s in t.segments:
        if _FORMATTING.search(s.text):
            return False
        if s.kind != "speech":
            continue
        if s.speaker is None:
            if seen_speaker or split_speaker(s.text)[0] is not None or is_whole_cue(s.text):
                return False
        else:
            seen_speaker = True
    return True


@PROPERTY
@given(transcripts(SRT_NAMES, srt=True))
def test_srt_round_trip(t: Transcript) -> None:
    """Any text, SRT-readable names and millisecond timings survive write_srt -> parse_srt
    (a segment split into several cues reads back as those cues, which join to it)."""
    assert _srt_representable(t)
    assert rejoined(parse_srt(write_srt(t))) == rejoined(t)


@PROPERTY
@given(transcripts(SRT_NAMES, srt=True))
def test_srt_output_is_well_formed(t: Transcript) -> None:
    """Numbered blocks, each ending no earlier than it starts, of at most 2 lines of at
    most 32 characters where they can wrap (more lines only where a name alone fills them,
    or where a cue of an unknown speaker would otherwise read as a name or a note)."""
    out = write_srt(t)
    blocks = out.rstrip("\n").split("\n\n")
    assert len(blocks) >= len(t.segments)
    unnamed = any(s.kind == "speech" and s.speaker is None for s in t.segments)
    long_name = any(len(s.speaker or "") >= 31 for s in t.segments)
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        start, _, end = lines[1].partition(" --> ")
        assert _millis(start) <= _millis(end)
        assert all(len(line) <= 32 or " " not in line for line in lines[2:])
        assert len(lines[2:]) <= 2 or unnamed or long_name


def _millis(stamp: str) -> int:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(",")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


# --- JSON -------------------------------------------------------------------------------------


@st.composite
def float_transcripts(draw: st.DrawFn) -> Transcript:
    """Like transcripts(), with arbitrary float seconds (JSON keeps them exactly)."""
    t = draw(transcripts())
    times = sorted(
        draw(
            st.lists(
                st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
                min_size=2 * len(t.segments),
                max_size=2 * len(t.segments),
            )
        )
    )
    return Transcript(
        tuple(
            replace(s, start=times[2 * i], end=times[2 * i + 1]) for i, s in enumerate(t.segments)
        )
    )


@PROPERTY
@given(float_transcripts())
def test_json_round_trip(t: Transcript) -> None:
    """Any text, speaker and float timings survive write_json -> parse_json unchanged."""
    assume(_readable_without_voice(t))
    assert parse_json(write_json(t)) == t


@PROPERTY
@given(transcripts(), st.dictionaries(TEXT, NAMES, max_size=3))
def test_json_round_trip_with_full_names(t: Transcript, names: dict[str, str]) -> None:
    """Labels written through a names mapping read back as the full names."""
    assume(_readable_without_voice(t))
    assert parse_json(write_json(t, names)) == _renamed(t, names)


# --- station text -----------------------------------------------------------------------------

_WORD = st.text(
    st.characters(categories=["Lu"]).filter(lambda c: c.lower() != c), min_size=1, max_size=8
)
LABELS = (
    st.one_of(
        st.sampled_from(["MCEVERS", "PETER NEUMANN", "TOMÁS ECHEVERRÍA", "DANA O'CONNELL"]),
        st.lists(_WORD, min_size=1, max_size=3).map(" ".join),
    )
    .map(clean_text)
    .filter(lambda s: match_label(f"{s}: x") is not None)
)


@st.composite
def station_transcripts(draw: st.DrawFn) -> Transcript:
    """Untimed station transcripts: an optional intro, labelled turns, continuations, cues."""
    labels = draw(st.lists(LABELS, min_size=1, max_size=4, unique=True))
    segments: list[Segment] = []
    paragraph = TEXT.filter(
        lambda s: match_label(s) is None and not is_whole_cue(s) and not _looks_like_credit(s)
    )
    for _ in range(draw(st.integers(0, 2))):
        segments.append(Segment(draw(paragraph), intro=True, new_turn=not segments))
    speaker: str | None = None
    for _ in range(draw(st.integers(1, 10))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            segments.append(Segment(draw(CUE), kind="nonspeech"))
        elif choice == 1 and speaker is not None:
            segments.append(Segment(draw(paragraph), speaker, new_turn=False))
        else:
            speaker = draw(st.sampled_from(labels))
            segments.append(Segment(draw(TEXT), speaker))
    return Transcript(tuple(segments))


def _looks_like_credit(text: str) -> bool:
    return (
        parse_station_text(f"X: y\n\n{text}").credit is not None or "Transcript provided by" in text
    )


@PROPERTY
@given(station_transcripts())
def test_station_text_round_trip(t: Transcript) -> None:
    """write_text with labels as names is station text: parse_station_text reads it back.

    (Text may not open with U+FEFF: at the start of a file that is a byte order mark.)
    """
    assume(not write_text(t).startswith("\ufeff"))
    assert parse_station_text(write_text(t)) == t


@PROPERTY
@given(_raw.map("".join))
def test_station_parser_accepts_any_legal_text(text: str) -> None:
    """Any text without XML-illegal characters parses; every segment is clean, non-empty text."""
    t = parse_station_text(text)
    for seg in t.segments:
        assert visible(seg.text)
        assert seg.text == clean_text(seg.text)
        assert (seg.speaker is None) == (seg.intro or seg.kind == "nonspeech")


@PROPERTY
@given(
    st.lists(
        st.one_of(st.text(" \t\r\n\u00a0x", max_size=6), st.sampled_from(HOSTILE)), max_size=8
    ).map("".join)
)
def test_squash_collapses_every_whitespace_run(text: str) -> None:
    """squash (which skips the common single-space runs) equals its definition: every run of
    space, tab, CR and LF becomes one space, then all whitespace at the ends goes."""
    assert squash(text) == re.sub(r"[ \t\n\r]+", " ", text).strip()


@PROPERTY
@given(
    st.text(st.characters(codec=None, exclude_characters="\r"), max_size=20)
    | st.text(
        st.sampled_from("a\x00\x0b\t\n\ufffe\uffff\ud800\udfff\ud7a3\uffef\u00e9"), max_size=8
    )
)
def test_illegal_pre_check_never_misses(text: str) -> None:
    """The byte-level pre-check says "maybe" for every text the regular expression matches."""
    if ILLEGAL.search(text):
        assert _may_hold_illegal(text)
    if text.isascii() or not any(0xD000 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff" for c in text):
        assert _may_hold_illegal(text) == bool(ILLEGAL.search(text))


@PROPERTY
@given(_raw.map("".join))
def test_split_cues_partitions_any_text(text: str) -> None:
    """split_cues parts are non-empty, join back to the text, and cues are whole brackets."""
    parts = split_cues(text)
    assert "".join(part for _, part in parts) == text
    for kind, part in parts:
        assert part
        if kind == "nonspeech":
            assert is_whole_cue(part)
