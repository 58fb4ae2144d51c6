"""Crashes, concurrency and full disks: the previous output is always complete and valid."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stationcast.build.output import Staging
from support import EXAMPLE_SLUG, add_episode, tree_digest


def _big_show(show: Path, episodes: int) -> None:
    transcript = "".join(
        f"MCEVERS: Question {i}?\n\nNEUMANN: Answer {i}. " + "words " * 200 + "\n\n"
        for i in range(40)
    )
    for n in range(episodes):
        add_episode(
            show,
            f"segment-{n:04d}",
            title=f"Segment {n}",
            published=f"2016-01-01T{n % 24:02d}:{n % 60:02d}:00Z",
            transcript=transcript,
        )


def _stationcast(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    """Start the real command; its output goes to a log file beside the show."""
    log = open(cwd / "stationcast.log", "ab")  # noqa: SIM115 - closed when the process is reaped
    process = subprocess.Popen(
        [sys.executable, "-m", "stationcast", *args], cwd=cwd, stdout=log, stderr=log
    )
    log.close()  # the child keeps its own descriptor
    return process


def test_disk_full_while_writing(
    show: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC in the middle of writing: a clear error, and the previous output untouched."""
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    add_episode(show, "another")
    calls = {"n": 0}
    real = Staging.write_bytes

    def failing(self: Staging, relative: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(self.root / relative))
        real(self, relative, data)

    monkeypatch.setattr(Staging, "write_bytes", failing)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: could not write the output: No space left on device (")
    assert result.stderr.rstrip().endswith("feeds was left as it was")
    assert tree_digest(tmp_path / "feeds") == before
    assert not list(tmp_path.glob(".feeds.staging-*"))


def test_build_killed_midway_leaves_previous_output(show: Path, tmp_path: Path) -> None:
    """SIGKILL during a build: feeds/ is the previous complete build; the next build cleans up."""
    _big_show(show, 80)
    first = _stationcast("build", cwd=tmp_path)
    assert first.wait(timeout=300) == 0, (tmp_path / "stationcast.log").read_text()
    before = tree_digest(tmp_path / "feeds")
    (show / "segment-0001" / "episode.yaml").write_text(
        (show / "segment-0001" / "episode.yaml").read_text().replace("Segment 1", "Segment One")
    )
    victim = _stationcast("build", cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".feeds.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    after = tree_digest(tmp_path / "feeds")
    assert after == before, "the killed build changed feeds/"
    again = _stationcast("build", cwd=tmp_path)
    assert again.wait(timeout=300) == 0
    assert not list(tmp_path.glob(".feeds.staging-*")), "leftover staging folder not removed"
    assert "Segment One" in (tmp_path / "feeds" / "feed.xml").read_text()


def test_two_builds_at_once_do_not_interleave(show: Path, tmp_path: Path) -> None:
    """Two builds of one output: both finish, one after the other; the result is a clean build."""
    _big_show(show, 30)
    builds = [_stationcast("build", cwd=tmp_path) for _ in range(2)]
    assert [b.wait(timeout=300) for b in builds] == [0, 0]
    shutil.copytree(tmp_path / "feeds", tmp_path / "concurrent")
    solo = _stationcast("build", "--out", "solo", cwd=tmp_path)
    assert solo.wait(timeout=300) == 0
    assert tree_digest(tmp_path / "concurrent") == tree_digest(tmp_path / "solo")


@pytest.mark.parametrize(
    ("tz", "lang"),
    [("Asia/Tokyo", "C.UTF-8"), ("America/Los_Angeles", "POSIX"), ("UTC", "tr_TR.UTF-8")],
)
def test_output_does_not_depend_on_time_zone_or_locale(
    show: Path, tmp_path: Path, tz: str, lang: str
) -> None:
    """The same inputs give the same bytes whatever TZ and locale the machine has."""
    add_episode(show, "second", published="2015-12-31T23:30:00-05:00")
    reference = _stationcast("build", "--out", "reference", cwd=tmp_path)
    assert reference.wait(timeout=120) == 0
    env = {**os.environ, "TZ": tz, "LC_ALL": lang, "LANG": lang}
    other = subprocess.run(
        [sys.executable, "-m", "stationcast", "build", "--out", "other"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert other.returncode == 0, other.stderr
    assert tree_digest(tmp_path / "reference") == tree_digest(tmp_path / "other")


def test_output_does_not_depend_on_directory_order(tmp_path: Path, show: Path) -> None:
    """Episodes created in opposite orders (so listed in different orders) build identically."""
    from stationcast.build import build_show

    other = tmp_path / "other-episodes"
    shutil.copytree(show, other)
    names = ["zulu", "alpha", "mike"]
    for name in names:
        add_episode(show, name, published="2016-05-05T05:05:05Z")
    for name in reversed(names):
        add_episode(other, name, published="2016-05-05T05:05:05Z")
    build_show(show, tmp_path / "one")
    build_show(other, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    assert (tmp_path / "one" / EXAMPLE_SLUG / "index.html").exists()


@pytest.mark.skipif(
    not Path("/dev/shm").is_dir(), reason="needs a tmpfs at /dev/shm for a second file system"
)
def test_output_on_another_file_system(show: Path, tmp_path: Path) -> None:
    """Episodes on one file system, feeds/ on another (tmpfs): audio cannot be hard-linked
    across devices, so it is copied; staging sits beside the output, so the swap stays atomic."""
    import tempfile

    from stationcast.build import build_show

    with tempfile.TemporaryDirectory(dir="/dev/shm") as other:
        out = Path(other) / "feeds"
        if os.stat(other).st_dev == os.stat(show).st_dev:
            pytest.skip("/dev/shm is on the same file system as the test folder")
        build_show(show, out)
        build_show(show, out)  # a second build swaps over the first
        copied = out / EXAMPLE_SLUG / "audio.mp3"
        assert copied.read_bytes() == (show / EXAMPLE_SLUG / "audio.mp3").read_bytes()
        build_show(show, tmp_path / "same-fs")
        assert tree_digest(out) == tree_digest(tmp_path / "same-fs")


def test_the_swap_exchanges_the_folders_atomically(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """On this file system the new build takes the output's name in one step (renameat2
    RENAME_EXCHANGE): the output path never stops naming a complete build."""
    from stationcast.build import output

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    assert output._exchange(a, b)
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")
    assert run("build").exit_code == 0
    first = (tmp_path / "feeds").stat().st_ino
    (show / EXAMPLE_SLUG / "transcript.txt").write_text("MCEVERS: Changed.\n")
    assert run("build").exit_code == 0
    assert (tmp_path / "feeds").stat().st_ino != first
    assert (
        tmp_path / ".feeds.previous"
    ).stat().st_ino == first  # the replaced output, kept for the next build


class _Killed(BaseException):
    """Stands for SIGKILL: nothing catches it (the build's own cleanup leaves the output and
    the parked previous output alone, as a killed process would)."""


def test_a_swap_killed_between_two_renames_is_undone(
    show: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an atomic exchange the swap is two renames; a build killed between them leaves
    no output but the previous one parked as .feeds.old-*: the next build puts it back before
    anything else, so nothing published is lost."""
    from stationcast.build import output

    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    real_rename = os.rename

    def killed_after_parking(src: object, dst: object) -> None:
        real_rename(src, dst)  # type: ignore[arg-type]
        if ".feeds.old-" in os.fspath(dst):  # type: ignore[arg-type]
            raise _Killed  # the process dies here

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    monkeypatch.setattr(output.os, "rename", killed_after_parking)
    (show / EXAMPLE_SLUG / "transcript.txt").write_text("MCEVERS: Changed.\n")
    with pytest.raises(_Killed):
        run("build")
    monkeypatch.setattr(output.os, "rename", real_rename)
    assert not (tmp_path / "feeds").exists()
    assert [p.name[:11] for p in tmp_path.glob(".feeds.old-*")] == [".feeds.old-"]
    output._remove_leftovers(tmp_path / "feeds")  # what the next build does first, under its lock
    assert tree_digest(tmp_path / "feeds") == before
    assert run("build").exit_code == 0
    assert "Changed." in (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text()
