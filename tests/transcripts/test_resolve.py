"""Speaker labels -> credited people."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.transcripts import INTRO_KEY, parse_station_text, parse_vtt, resolve_speakers

SEED = Path(__file__).parent / "data" / "isis-defectors.txt"
PEOPLE = [
    ("Kelly McEvers", ["MCEVERS"]),
    ("Peter Neumann", ["PETER NEUMANN", "NEUMANN"]),
]


def test_seed_labels_resolve_to_credits() -> None:
    """Every seed label maps to its person, the intro to the host, with no warnings."""
    t = parse_station_text(SEED.read_text(encoding="utf-8"))
    names, warnings = resolve_speakers(t, PEOPLE, "Kelly McEvers", source="ep/transcript.txt")
    assert names == {
        "PETER NEUMANN": "Peter Neumann",
        "MCEVERS": "Kelly McEvers",
        "NEUMANN": "Peter Neumann",
        INTRO_KEY: "Kelly McEvers",
    }
    assert warnings == []


def test_unresolved_label_warns_and_is_left_out() -> None:
    """A label nobody is credited with gets a warning naming file, line and label, with the
    closest credited label."""
    t = parse_station_text("MCEVERS: Hi.\n\nNEUMAN: Hey.")
    names, warnings = resolve_speakers(
        t, PEOPLE, None, source="ep/transcript.txt", line_of={"NEUMAN": 3}.get
    )
    assert names == {"MCEVERS": "Kelly McEvers"}
    assert warnings == [
        "ep/transcript.txt:3: speaker label 'NEUMAN' is not in the credits (did you mean"
        " NEUMANN, Peter Neumann?); shown as written (add it to a credit's speaker: list)"
    ]
    t = parse_station_text("ZED: Hey.")
    assert resolve_speakers(t, PEOPLE, None, source="t")[1] == [
        "t: speaker label 'ZED' is not in the credits; shown as written (add it to a credit's"
        " speaker: list)"
    ]


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("UNIDENTIFIED PERSON #1", "Unidentified person 1"),
        ("UNIDENTIFIED MAN", "Unidentified man"),
        ("WOMAN", "Woman"),
        ("Unidentified Woman #2", "Unidentified woman 2"),
    ],
)
def test_unidentified_voices_are_known(label: str, shown: str) -> None:
    """NPR's labels for voices nobody credits resolve without a warning, spelled for reading."""
    t = parse_station_text(f"{label}: Hey.")
    assert resolve_speakers(t, PEOPLE, None, source="t") == ({label: shown}, [])


def test_matching_ignores_case_nfc_invisible_and_spaces() -> None:
    """Labels match credits case-insensitively, after NFC, ignoring zero-width/bidi and spaces."""
    t = parse_station_text("PE\u0301TER\u200b  NEUMANN: Hi.")
    names, warnings = resolve_speakers(
        t, [("Péter Neumann", [" p\u00e9ter neumann\u202e "])], None, source="t"
    )
    assert names == {"P\u00c9TER\u200b NEUMANN": "Péter Neumann"}
    assert warnings == []


def test_full_name_is_an_implicit_label() -> None:
    """A timed transcript already naming 'Kelly McEvers' resolves without listed labels."""
    t = parse_vtt("WEBVTT\n\n00:00.000 --> 00:01.000\n<v kelly mcevers>Hi\n")
    names, _ = resolve_speakers(t, [("Kelly McEvers", [])], None, source="t")
    assert names == {"kelly mcevers": "Kelly McEvers"}


def test_label_with_role_matches_name_part() -> None:
    """'ARI SHAPIRO, HOST:' and a later 'SHAPIRO:' both map to the credited person."""
    t = parse_station_text("ARI SHAPIRO, HOST: Hi.\n\nSHAPIRO: Bye.")
    names, warnings = resolve_speakers(
        t, [("Ari Shapiro", ["ARI SHAPIRO", "SHAPIRO"])], None, source="t"
    )
    assert names == {"ARI SHAPIRO": "Ari Shapiro", "SHAPIRO": "Ari Shapiro"}
    assert warnings == []


def test_label_credited_with_its_role_matches() -> None:
    """A credit listing the label with its role ('ARI SHAPIRO, HOST') also matches."""
    t = parse_station_text("ARI SHAPIRO, HOST: Hi.")
    names, _ = resolve_speakers(t, [("Ari Shapiro", ["ARI SHAPIRO, HOST"])], None, source="t")
    assert names == {"ARI SHAPIRO": "Ari Shapiro"}


def test_label_claimed_twice_goes_to_first_with_warning() -> None:
    """Two people listing one label: the first wins and a warning says so."""
    t = parse_station_text("SMITH: Hi.")
    names, warnings = resolve_speakers(
        t, [("Ann Smith", ["SMITH"]), ("Bob Smith", ["SMITH"])], None, source="t"
    )
    assert names == {"SMITH": "Ann Smith"}
    assert warnings == [
        "t: speaker label 'SMITH' is credited to both Ann Smith and Bob Smith; using Ann Smith"
    ]


def test_intro_without_host_warns() -> None:
    """An unlabelled introduction with no host credited is reported."""
    t = parse_station_text("Welcome to the show.\n\nSMITH: Hi.")
    names, warnings = resolve_speakers(t, [("Ann Smith", ["SMITH"])], None, source="t")
    assert INTRO_KEY not in names
    assert warnings == [
        "t: the transcript opens with an unlabelled introduction but no host is credited; "
        "it is shown without a speaker"
    ]


def test_no_intro_no_host_entry() -> None:
    """Without an introduction, the host is not added under INTRO_KEY."""
    t = parse_station_text("SMITH: Hi.")
    names, _ = resolve_speakers(t, [("Ann Smith", ["SMITH"])], "Kelly", source="t")
    assert INTRO_KEY not in names
