"""Against the previous build's state: GUIDs never change, published episodes never vanish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CLEAN, ids, run

EP1 = {
    "guid": "0e7c1a52-3f7e-4f43-9a57-6c4d1f0b2a11",
    "enclosure": "https://station.example/show/isis-defectors/audio.mp3",
    "slug": "isis-defectors",
    "published": "2015-09-22T17:35:00-04:00",
}
EP3 = {
    "guid": "https://station.example/show/slow-storm/",
    "enclosure": "https://station.example/show/slow-storm/audio.mp3",
    "slug": "slow-storm",
}


def state(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "state.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_unchanged_episodes_pass(tmp_path: Path) -> None:
    """The same GUIDs and enclosures as last time: nothing to report."""
    report = run(CLEAN.read_bytes(), previous_state=state(tmp_path, {"episodes": [EP1, EP3]}))
    assert ids(report) == set()


def test_guid_changed(tmp_path: Path) -> None:
    """Same enclosure URL, different GUID: the episode would be duplicated downstream."""
    old = dict(EP1, guid="ep-1-original")
    report = run(CLEAN.read_bytes(), previous_state=state(tmp_path, {"episodes": [old]}))
    assert ids(report) == {"state.guid.changed"}
    [f] = report.findings
    assert "'ep-1-original'" in f.message and f.line is not None and f.element == "guid"


def test_vanished_episode(tmp_path: Path) -> None:
    gone = {
        "guid": "old-7",
        "enclosure": "https://station.example/show/old/audio.mp3",
        "slug": "old",
    }
    report = run(CLEAN.read_bytes(), previous_state=state(tmp_path, {"episodes": [EP1, gone]}))
    assert ids(report) == {"state.episode.vanished"}
    assert not report.ok()


def test_enclosure_changed(tmp_path: Path) -> None:
    old = dict(EP3, enclosure="https://station.example/show/slow-storm/audio-v1.mp3")
    report = run(CLEAN.read_bytes(), previous_state=state(tmp_path, {"episodes": [old]}))
    assert ids(report) == {"state.enclosure.changed"}
    assert report.ok() and not report.ok(strict=True)


def test_podcast_guid_changed(tmp_path: Path) -> None:
    doc = {"episodes": [], "podcast_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810"}
    assert ids(run(CLEAN.read_bytes(), previous_state=state(tmp_path, doc))) == {
        "state.podcast-guid.changed"
    }


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"episodes": 5}', "\udcff"])
def test_unreadable_state(tmp_path: Path, content: str) -> None:
    p = tmp_path / "state.json"
    p.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert ids(run(CLEAN.read_bytes(), previous_state=p)) == {"state.unreadable"}


def test_missing_state_file(tmp_path: Path) -> None:
    assert ids(run(CLEAN.read_bytes(), previous_state=tmp_path / "nope.json")) == {
        "state.unreadable"
    }


def test_unknown_keys_and_entries_are_ignored(tmp_path: Path) -> None:
    doc = {"version": 3, "episodes": [EP1, "junk", {"slug": "no-guid"}]}
    assert ids(run(CLEAN.read_bytes(), previous_state=state(tmp_path, doc))) == set()
