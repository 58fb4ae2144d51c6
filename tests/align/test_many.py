"""`stationcast align` over a show: episodes side by side (-j), drafts, an episode that
fails while the others go on, and the progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from support import EXAMPLE_SLUG

NEEDS = [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(bool(NEEDS), reason=f"needs {', '.join(NEEDS)} (Debian packages)")
pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")

GUID = "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"


def _second(show: Path, slug: str, *, draft: bool = False, audio: bytes | None = None) -> Path:
    """Another episode made of the example's (its own GUID; a draft; other audio)."""
    folder = show / slug
    shutil.copytree(show / EXAMPLE_SLUG, folder)
    (folder / "alignment.json").unlink(missing_ok=True)
    manifest = folder / "episode.yaml"
    text = manifest.read_text().replace(GUID, f"{slug}-guid")
    if draft:
        text = "draft: true\n" + text
    manifest.write_text(text)
    if audio is not None:
        (folder / "audio.mp3").write_bytes(audio)
    return folder


def _segments(folder: Path) -> object:
    return json.loads((folder / "alignment.json").read_text())["segments"]


def test_episodes_side_by_side_are_aligned_as_one_at_a_time(
    show: Path, run: Callable[..., Result]
) -> None:
    second = _second(show, "second")
    result = run("align", "-j", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "2 aligned, 0 up to date, 0 without station text to align."
    )
    # in the order of the show, whatever finished first
    lines = [line.split(" in ")[0] for line in result.stdout.splitlines()[:2]]
    assert lines == [f"Aligned {EXAMPLE_SLUG}", "Aligned second"]
    side_by_side = _segments(second)
    assert _segments(show / EXAMPLE_SLUG) == side_by_side
    (second / "alignment.json").unlink()
    assert run("align", "-j", "1", "second").exit_code == 0
    assert _segments(second) == side_by_side


def test_a_draft_is_aligned_so_it_is_ready_when_published(
    show: Path, run: Callable[..., Result]
) -> None:
    draft = _second(show, "coming-soon", draft=True)
    unfinished = _second(show, "unfinished", draft=True)
    manifest = unfinished / "episode.yaml"
    manifest.write_text(manifest.read_text().replace("audio: audio.mp3", "audio: missing.mp3"))
    result = run("align", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (draft / "alignment.json").is_file()
    assert not (unfinished / "alignment.json").exists()
    assert "note: unfinished: a draft, not aligned until its manifest is complete: " in (
        result.stderr
    )
    named = run("align", "unfinished")  # named, what keeps it back is an error
    assert named.exit_code == 1
    assert "episodes/unfinished/episode.yaml" in named.stderr and "missing.mp3" in named.stderr


def test_an_episode_that_cannot_be_aligned_is_reported_and_the_others_go_on(
    show: Path, run: Callable[..., Result]
) -> None:
    _second(show, "broken", audio=b"\xff\xfb" + b"not an mp3 at all" * 50)
    (show / EXAMPLE_SLUG / "alignment.json").unlink(missing_ok=True)
    for jobs in ("1", "2"):
        result = run("align", "-j", jobs, "--force")
        assert result.exit_code == 1, result.output
        assert "error: ffmpeg could not decode" in result.stderr
        assert "Traceback" not in result.output
        assert result.stdout.splitlines()[-1] == (
            "1 aligned, 0 up to date, 0 without station text to align, 1 failed."
        )
        assert (show / EXAMPLE_SLUG / "alignment.json").is_file()
        assert not (show / "broken" / "alignment.json").exists()


def test_a_terminal_shows_a_bar_of_the_work_done(show: Path, tmp_path: Path) -> None:
    (show / EXAMPLE_SLUG / "alignment.json").unlink(missing_ok=True)
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "stationcast", "align", "--episodes", str(show)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child,
        cwd=tmp_path,
    )
    os.close(child)
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
    finally:
        process.wait(timeout=120)
        os.close(main)
    assert process.returncode == 0
    text = seen.decode("utf-8", "replace")
    shares = [int(x) for x in re.findall(r"\] +(\d+)% ", text)]
    assert shares and shares == sorted(shares) and shares[-1] >= 50, text
    assert f"{EXAMPLE_SLUG}: aligning" in text
    assert text.endswith("\r\x1b[K")  # the line cleared at the end
