"""Transcript files shaped like the tools that make them (tests/transcripts/data/)."""

from __future__ import annotations

from pathlib import Path

from stationcast.transcripts import Segment, read_transcript, write_text

DATA = Path(__file__).parent / "data"


def test_whisper_cpp_vtt() -> None:
    """whisper.cpp output: no voices, a leading space on every cue, [MUSIC] as a cue."""
    t = read_transcript(DATA / "whisper-cpp.vtt")
    assert [(s.text, s.speaker, s.kind) for s in t.segments] == [
        ("What happens when you leave the militant Islamist group ISIS?", None, "speech"),
        ("A new report might give us an idea.", None, "speech"),
        ("[MUSIC]", None, "nonspeech"),
    ]
    assert t.timed


def test_youtube_auto_captions_vtt() -> None:
    """YouTube auto-captions: header metadata, word timestamps and <c> spans are dropped."""
    t = read_transcript(DATA / "youtube-auto.vtt")
    assert [s.text for s in t.segments] == [
        "what happens when you",
        "what happens when you",
        "leave ISIS",
    ]
    assert t.segments[1].start == 2.27


def test_editor_srt_with_bom_crlf_and_italics() -> None:
    """An editor's SRT (BOM, CRLF, 'Name:' prefixes, <i>) reads with speakers carried over."""
    t = read_transcript(DATA / "descript-crlf.srt")
    assert t.segments == (
        Segment("What are some of the common reasons?", "Kelly McEvers", 0.0, 3.12),
        Segment("So we found four narratives.", "Peter Neumann", 3.12, 6.0),
        Segment(
            "The first was that ISIS wasn’t really fighting Assad.",
            "Peter Neumann",
            6.0,
            9.5,
            new_turn=False,
        ),
    )


def test_word_level_json() -> None:
    """Podcasting 2.0 word-level JSON: one segment per word, grouped into turns by speaker."""
    t = read_transcript(DATA / "podcastindex.json")
    assert [(turn.speaker, len(turn.segments)) for turn in t.turns()] == [
        ("Kelly McEvers", 3),
        ("Peter Neumann", 1),
    ]
    assert write_text(t) == "Kelly McEvers: And who are\n\nPeter Neumann: Well,\n"


def test_seed_station_text_file() -> None:
    """The example episode's transcript.txt reads through read_transcript as station text."""
    t = read_transcript(DATA / "isis-defectors.txt")
    assert len(t.segments) == 13
    assert t.credit == "Transcript provided by NPR, Copyright NPR."
