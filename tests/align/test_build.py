"""`stationcast align` and the build: the station's text timed, never changed; a stale
alignment is a warning naming the command, never used."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result

from stationcast import validate
from support import EXAMPLE, EXAMPLE_SLUG

NEEDS = [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]


@pytest.fixture(autouse=True)
def aligned(show: Path) -> None:
    """The example as it ships: with its alignment.json."""
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "alignment.json", show / EXAMPLE_SLUG)


def _warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_the_example_ships_aligned_and_builds_every_timed_format(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The example's alignment.json times its text: the feed links VTT (captions), SRT and
    JSON, which pass the validator, and the page has a time on every turn."""
    assert (show / EXAMPLE_SLUG / "alignment.json").is_file()
    result = run("build")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == []
    out = tmp_path / "feeds"
    feed = (out / "feed.xml").read_text()
    links = re.findall(r"<podcast:transcript [^>]*>", feed)
    for name, mime, rel in [
        ("transcript.vtt", "text/vtt", ' rel="captions"'),
        ("transcript.srt", "application/x-subrip", ' rel="captions"'),
        ("transcript.json", "application/json", ""),
    ]:
        (link,) = [x for x in links if f'{EXAMPLE_SLUG}/{name}"' in x]
        assert f'type="{mime}"' in link and link.endswith(f'language="en-us"{rel}/>'), link
    report = validate.validate_bytes(
        (out / "feed.xml").read_bytes(), location="feed.xml", local_root=out
    )
    assert [report.describe(f) for f in report.errors + report.warnings] == []
    page = (out / EXAMPLE_SLUG / "index.html").read_text()
    turns = page.count('<div class="turn"')
    assert turns > 5 and page.count('<a class="time"') == turns
    data = json.loads((out / EXAMPLE_SLUG / "transcript.json").read_text())
    starts = [s["startTime"] for s in data["segments"]]
    assert starts == sorted(starts) and starts[-1] < 224
    # the plain text is what it is without times: the station's paragraphs, as written
    aligned_text = (out / EXAMPLE_SLUG / "transcript.txt").read_bytes()
    (show / EXAMPLE_SLUG / "alignment.json").unlink()
    assert run("build").exit_code == 0
    assert (out / EXAMPLE_SLUG / "transcript.txt").read_bytes() == aligned_text
    assert not (out / EXAMPLE_SLUG / "transcript.vtt").exists()


def test_a_doubtful_turn_is_captioned_over_its_stretch_and_has_no_time_on_the_page(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    file = show / EXAMPLE_SLUG / "alignment.json"
    data = json.loads(file.read_text())
    data["doubtful"] = [3]  # NEUMANN's long answer, eight sentences
    before, own, after = data["segments"][2][-1], data["segments"][3], data["segments"][4][0]
    file.write_text(json.dumps(data))
    result = run("build")
    assert result.exit_code == 0, result.output
    out = tmp_path / "feeds" / EXAMPLE_SLUG
    page = (out / "index.html").read_text()
    assert page.count('<a class="time"') == page.count('<div class="turn"') - 1
    vtt = (out / "transcript.vtt").read_text()
    # its cues fill the stretch between the turns around it, not its own sentence times
    stamp = lambda s: f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"  # noqa: E731
    assert f"{stamp(before[1])} --> " in vtt and f" --> {stamp(after[0])}" in vtt
    assert f"{stamp(own[1][0])} --> " not in vtt  # (its second sentence's own start)
    assert "Well, about half of them are from the Middle East." in vtt.replace("\n", " ")


def test_a_stale_alignment_is_a_warning_naming_the_command_and_is_not_used(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    text = show / EXAMPLE_SLUG / "transcript.txt"
    text.write_text(text.read_text().replace("58 of them", "fifty-eight of them"))
    result = run("build")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        f"warning: episodes/{EXAMPLE_SLUG}/alignment.json: not used, transcript.txt changed"
        f" since; run `stationcast align {EXAMPLE_SLUG}` to time the transcript again (until"
        " then the episode has no timed transcripts)"
    ]
    assert not (tmp_path / "feeds" / EXAMPLE_SLUG / "transcript.vtt").exists()
    assert "text/vtt" not in (tmp_path / "feeds" / "feed.xml").read_text()


def test_a_damaged_alignment_is_a_warning(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    (show / EXAMPLE_SLUG / "alignment.json").write_text("{not json")
    result = run("build")
    assert result.exit_code == 0
    (warning,) = _warnings(result)
    assert warning.startswith(
        f"warning: episodes/{EXAMPLE_SLUG}/alignment.json: is not JSON"
    ) and warning.endswith(f"run `stationcast align {EXAMPLE_SLUG}` to time the transcript again")


@pytest.mark.skipif(bool(NEEDS), reason=f"needs {', '.join(NEEDS)} (Debian packages)")
def test_align_times_the_text_again_after_an_edit(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")
    assert "Up to date" in run("align").stdout
    text = show / EXAMPLE_SLUG / "transcript.txt"
    text.write_text(text.read_text().replace("58 of them", "fifty-eight of them"))
    aligned = run("align")
    assert aligned.exit_code == 0, aligned.output
    assert aligned.stdout.startswith(f"Aligned {EXAMPLE_SLUG} in ")
    assert (
        aligned.stdout.splitlines()[-1]
        == "1 aligned, 0 up to date, 0 without station text to align."
    )
    built = run("build")
    assert built.exit_code == 0 and _warnings(built) == []
    assert (tmp_path / "feeds" / EXAMPLE_SLUG / "transcript.vtt").is_file()
    again = run("align", EXAMPLE_SLUG)
    assert f"Up to date: episodes/{EXAMPLE_SLUG}/alignment.json" in again.stdout


def test_align_refuses_an_unknown_episode(show: Path, run: Callable[..., Result]) -> None:
    if NEEDS:
        pytest.skip(f"needs {', '.join(NEEDS)}")
    pytest.importorskip("librosa")
    result = run("align", "no-such-episode")
    assert result.exit_code == 1
    assert "episodes: has no episode 'no-such-episode'" in result.stderr


def test_an_alignment_that_comes_or_goes_is_seen_by_the_next_build(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Nothing else changes: the build cache still notices alignment.json appear and go."""
    aligned = show / EXAMPLE_SLUG / "alignment.json"
    kept = aligned.read_bytes()
    aligned.unlink()
    assert run("build").exit_code == 0
    vtt = tmp_path / "feeds" / EXAMPLE_SLUG / "transcript.vtt"
    assert not vtt.exists()
    assert "(0 rendered, 1 reused)" in run("build").stdout  # absent, and still absent
    aligned.write_bytes(kept)
    assert "(1 rendered, 0 reused)" in run("build").stdout
    assert vtt.is_file()
    aligned.unlink()
    assert "(1 rendered, 0 reused)" in run("build").stdout
    assert not vtt.exists()


def test_align_true_makes_a_missing_alignment_a_warning_at_its_line(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    (show / EXAMPLE_SLUG / "alignment.json").unlink()
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    text = manifest.read_text()
    assert "  file: transcript.txt\n" in text
    manifest.write_text(
        text.replace("  file: transcript.txt\n", "  file: transcript.txt\n  align: true\n")
    )
    line = manifest.read_text().splitlines().index("  align: true") + 1
    result = run("build")
    assert result.exit_code == 0
    assert _warnings(result) == [
        f"warning: episodes/{EXAMPLE_SLUG}/episode.yaml:{line}:10: transcript.align: the"
        f" transcript is to be timed, but episodes/{EXAMPLE_SLUG}/alignment.json is not there;"
        f" run `stationcast align {EXAMPLE_SLUG}` (until then the episode has no timed"
        " transcripts)"
    ]
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "alignment.json", show / EXAMPLE_SLUG)
    assert _warnings(run("build")) == []


def test_aligning_the_example_again_gives_the_same_file_and_the_committed_times(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The alignment is reproducible: the same text, audio and tools give the same file, byte
    for byte, on one machine. Against the committed file (made on another CPU, whose vector
    arithmetic rounds the MFCCs' last bits differently) every time stays within three 40 ms
    frames and everything else is the same. On another espeak-ng or librosa the times may move
    further, so the test needs the ones the file names."""
    if NEEDS:
        pytest.skip(f"needs {', '.join(NEEDS)}")
    pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")
    from stationcast.align import engine, read_alignment

    committed = read_alignment((EXAMPLE / EXAMPLE_SLUG / "alignment.json").read_text("utf-8"))
    if committed.tools != engine.tools():
        pytest.skip(f"made with {committed.tools}, here {engine.tools()}")
    made = show / EXAMPLE_SLUG / "alignment.json"
    assert run("align", "--force").exit_code == 0
    first = made.read_bytes()
    assert run("align", "--force").exit_code == 0
    assert made.read_bytes() == first
    again = read_alignment(first.decode("utf-8"))
    assert replace(again, segments=committed.segments) == committed
    assert [None if s is None else len(s) for s in again.segments] == [
        None if s is None else len(s) for s in committed.segments
    ]
    moved = [
        abs(a - b)
        for ours, theirs in zip(again.segments, committed.segments, strict=True)
        for span, kept in zip(ours or (), theirs or (), strict=True)
        for a, b in zip(span, kept, strict=True)
    ]
    assert moved and max(moved) <= 0.12 + 1e-9
