"""Plain-text writer."""

from __future__ import annotations

from pathlib import Path

from stationcast.transcripts import (
    INTRO_KEY,
    Transcript,
    parse_station_text,
    parse_vtt,
    write_text,
)

SEED = Path(__file__).parent / "data" / "isis-defectors.txt"


def test_names_at_turn_starts_only() -> None:
    """Each turn opens with 'Full Name: '; continuation paragraphs do not, even after a cue."""
    t = parse_station_text("KELLY: One.\n\nTwo.\n\n(LAUGHTER)\n\nThree.\n\nSMITH: Four.")
    assert write_text(t, {"KELLY": "Kelly McEvers"}) == (
        "Kelly McEvers: One.\n\nTwo.\n\n(LAUGHTER)\n\nThree.\n\nSMITH: Four.\n"
    )


def test_intro_credit_and_seed() -> None:
    """The seed's intro is attributed to the host and its credit comes last."""
    t = parse_station_text(SEED.read_text(encoding="utf-8"))
    out = write_text(t, {INTRO_KEY: "Kelly McEvers", "MCEVERS": "Kelly McEvers"})
    assert out.startswith("Kelly McEvers: What happens when you leave")
    assert out.endswith("\n\nNEUMANN: Thank you.\n\nTranscript provided by NPR, Copyright NPR.\n")


def test_intro_without_host_has_no_name() -> None:
    """Without a host the introduction is written without a name."""
    t = parse_station_text("Welcome.\n\nKELLY: Hi.")
    assert write_text(t) == "Welcome.\n\nKELLY: Hi.\n"


def test_empty_transcript_is_empty_text() -> None:
    """An empty transcript writes nothing."""
    assert write_text(Transcript()) == ""


def test_station_labels_read_back() -> None:
    """Written with labels as names, station text parses back to the same segments."""
    t = parse_station_text(SEED.read_text(encoding="utf-8"))
    assert parse_station_text(write_text(t)) == t


def test_timed_transcript_one_paragraph_per_turn() -> None:
    """Timed cues are joined into one paragraph per turn; timings are left out."""
    t = parse_vtt(
        "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hello\n\n00:01.000 --> 00:02.000\n"
        "<v Ann>there.\n\n00:02.000 --> 00:03.000\n(MUSIC)\n\n"
        "00:03.000 --> 00:04.000\n<v Ann>Back.\n"
    )
    assert write_text(t) == "Ann: Hello there.\n\n(MUSIC)\n\nAnn: Back.\n"
