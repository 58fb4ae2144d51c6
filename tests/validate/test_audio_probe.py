"""`validate --audio`: each enclosure that is a local file probed as the build probes audio,
its real format against the declared type and its real length against itunes:duration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stationcast.validate import validate_bytes, validate_source
from support import EXAMPLE_OUTPUT

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


def _feed(enclosures: list[tuple[str, str, int, str]]) -> bytes:
    items = "".join(
        f"<item><title>Episode {n}</title><guid>g{n}</guid>"
        f'<enclosure url="https://s.example/{name}" length="{size}" type="{type_}"/>'
        f"<itunes:duration>{duration}</itunes:duration></item>"
        for n, (name, type_, size, duration) in enumerate(enclosures, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        ' xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Show</title>'
        "<link>https://s.example/</link><description>d</description>"
        '<atom:link rel="self" href="https://s.example/feed.xml" type="application/rss+xml"/>'
        f"{items}</channel></rss>"
    ).encode()


def _audio_findings(data: bytes, root: Path) -> list[tuple[str, str]]:
    report = validate_bytes(data, location="feed.xml", local_root=root, audio=True)
    return [(f.rule.id, f.message) for f in report.findings if f.rule.id.startswith("audio.")]


def test_the_example_probes_as_it_was_built() -> None:
    report = validate_source(str(EXAMPLE_OUTPUT / "feed.xml"), audio=True)
    assert [f.rule.id for f in report.findings if f.rule.id.startswith("audio.")] == []


def test_an_m4a_announced_as_mp3_and_a_wrong_duration_are_reported(tmp_path: Path) -> None:
    shutil.copy(AUDIO / "aac-44100-stereo.m4a", tmp_path / "one.mp3")
    shutil.copy(AUDIO / "cbr-64k-44100-stereo.mp3", tmp_path / "two.mp3")
    size1, size2 = (tmp_path / "one.mp3").stat().st_size, (tmp_path / "two.mp3").stat().st_size
    data = _feed([("one.mp3", "audio/mpeg", size1, "3"), ("two.mp3", "audio/mpeg", size2, "1:00")])
    found = _audio_findings(data, tmp_path)
    assert found[0] == (
        "audio.type",
        "enclosure 'https://s.example/one.mp3' says type=audio/mpeg but the file is m4a"
        " (audio/x-m4a)",
    )
    assert found[1][0] == "audio.duration"
    assert found[1][1].startswith(
        "enclosure 'https://s.example/two.mp3': <itunes:duration> says 60 s but the audio lasts"
    )
    assert len(found) == 2  # (one.mp3's 3 s is its length: not reported)


@pytest.mark.parametrize("declared", ["audio/mp4", "audio/x-m4a", "audio/aac"])
def test_an_alias_of_the_real_type_is_not_reported(tmp_path: Path, declared: str) -> None:
    shutil.copy(AUDIO / "aac-44100-stereo.m4a", tmp_path / "a.m4a")
    size = (tmp_path / "a.m4a").stat().st_size
    assert _audio_findings(_feed([("a.m4a", declared, size, "3")]), tmp_path) == []


def test_a_file_that_is_not_audio_is_an_error(tmp_path: Path) -> None:
    shutil.copy(AUDIO / "bad-html-named.mp3", tmp_path / "x.mp3")
    size = (tmp_path / "x.mp3").stat().st_size
    ((rule, message),) = _audio_findings(_feed([("x.mp3", "audio/mpeg", size, "3")]), tmp_path)
    assert rule == "audio.unreadable" and message.startswith(
        "enclosure 'https://s.example/x.mp3': "
    )


def test_without_audio_nothing_is_probed(tmp_path: Path) -> None:
    shutil.copy(AUDIO / "aac-44100-stereo.m4a", tmp_path / "one.mp3")
    size = (tmp_path / "one.mp3").stat().st_size
    data = _feed([("one.mp3", "audio/mpeg", size, "99")])
    report = validate_bytes(data, location="feed.xml", local_root=tmp_path)
    assert not [f for f in report.findings if f.rule.id.startswith("audio.")]
