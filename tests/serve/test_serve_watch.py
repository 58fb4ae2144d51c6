"""Rebuild on change, and the `serve` command end to end in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stationcast.errors import BuildError
from stationcast.serve import HTTP_PREVIEW_NOTE, PreviewServer, Rebuilder
from support import tree_digest

from .conftest import get


def _wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def _fake_build(src: Path, out: Path) -> Callable[[], object]:
    """A stand-in for build_show: copies src/title.txt into out/feed.xml, atomically.

    A title of "bad" fails like a manifest error; the previous output stays.
    """

    def build() -> object:
        title = (src / "title.txt").read_text(encoding="utf-8").strip()
        if title == "bad":
            raise BuildError("episodes/title.txt:1:1: title: 'bad' is not allowed")
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / ".feed.xml.tmp"
        tmp.write_text(f"<rss><title>{title}</title></rss>", encoding="utf-8")
        os.replace(tmp, out / "feed.xml")
        return None

    return build


def test_rebuilds_on_change_and_keeps_previous_on_failure(tmp_path: Path) -> None:
    """A change rebuilds the preview; a failing rebuild prints the error and keeps serving."""
    src, out = tmp_path / "episodes", tmp_path / "preview"
    src.mkdir()
    (src / "title.txt").write_text("one", encoding="utf-8")
    messages: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def report(message: str, is_error: bool) -> None:
        with lock:
            messages.append((message, is_error))

    rebuilder = Rebuilder(_fake_build(src, out), [src], ignore=[out], report=report, debounce_ms=50)
    assert rebuilder.rebuild()
    server = PreviewServer(out, port=0)
    server.start()
    rebuilder.start()
    try:
        time.sleep(0.3)  # let the watcher register before the first edit
        (src / "title.txt").write_text("two", encoding="utf-8")
        assert _wait_for(lambda: b"two" in get(server.port, "/feed.xml").body)

        (src / "title.txt").write_text("bad", encoding="utf-8")
        assert _wait_for(lambda: rebuilder.failures == 1)
        reply = get(server.port, "/feed.xml")
        assert reply.status == 200
        assert b"two" in reply.body
        with lock:
            errors = [m for m, is_error in messages if is_error]
        assert any("still serving the previous build" in m and "title.txt:1:1" in m for m in errors)

        (src / "title.txt").write_text("three", encoding="utf-8")
        assert _wait_for(lambda: b"three" in get(server.port, "/feed.xml").body)
    finally:
        rebuilder.stop()
        server.stop()


def test_unexpected_exception_does_not_stop_watching(tmp_path: Path) -> None:
    """A bug in a build step is reported like a failed build, not raised."""

    def broken() -> object:
        raise KeyError("boom")

    messages: list[str] = []
    rebuilder = Rebuilder(broken, [tmp_path], report=lambda m, _: messages.append(m))
    assert rebuilder.rebuild() is False
    assert "KeyError" in messages[0]


def test_a_failed_rebuild_prints_its_error_once(tmp_path: Path) -> None:
    """The same failure again (another save before the fix, or one save arriving as two
    batches of changes) prints a one-line reminder, not the error a second time; once a
    build succeeds, the next failure is printed in full again."""
    src, out = tmp_path / "episodes", tmp_path / "preview"
    src.mkdir()
    (src / "title.txt").write_text("one", encoding="utf-8")
    messages: list[tuple[str, bool]] = []
    rebuilder = Rebuilder(_fake_build(src, out), [src], report=lambda m, e: messages.append((m, e)))
    assert rebuilder.rebuild(first=True)
    (src / "title.txt").write_text("bad", encoding="utf-8")
    assert rebuilder.rebuild() is False
    assert rebuilder.rebuild() is False
    full = [m for m, is_error in messages if is_error and "title.txt:1:1" in m]
    assert len(full) == 1
    assert full[0].count("'bad' is not allowed") == 1
    assert messages[-1] == ("the preview build still fails with the error above", True)
    assert rebuilder.failures == 2

    (src / "title.txt").write_text("two", encoding="utf-8")
    assert rebuilder.rebuild()
    (src / "title.txt").write_text("bad", encoding="utf-8")
    assert rebuilder.rebuild() is False
    assert "title.txt:1:1" in messages[-1][0]


def test_failure_before_any_build_does_not_claim_a_previous_build(tmp_path: Path) -> None:
    """While no build has succeeded yet, a failed rebuild says to fix and save, not that a
    previous build is still being served."""
    src = tmp_path / "episodes"
    src.mkdir()
    (src / "title.txt").write_text("bad", encoding="utf-8")
    messages: list[str] = []
    build = _fake_build(src, tmp_path / "out")
    rebuilder = Rebuilder(build, [src], report=lambda m, _: messages.append(m))
    assert rebuilder.rebuild(first=True) is False
    (src / "title.txt").unlink()  # a different failure
    assert rebuilder.rebuild() is False
    assert len(messages) == 2
    assert "FileNotFoundError" in messages[1]
    assert all("previous build" not in m for m in messages)


_RUNNER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path

    def build_show(episodes, out, *, base_url=None, **options):
        title = (Path(episodes) / "title.txt").read_text().strip()
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "feed.xml").write_text(f"<rss><link>{base_url}</link><title>{title}</title></rss>")
        (out / "ep").mkdir(exist_ok=True)
        (out / "ep" / "audio.mp3").write_bytes(b"ID3" + bytes(997))

    import stationcast.build

    stationcast.build.build_show = build_show  # stationcast.build.outdir and .output stay real
    from stationcast.cli.serve import serve_command
    serve_command(sys.argv[1:])
    """
)


def test_serve_command_end_to_end(tmp_path: Path) -> None:
    """`stationcast serve --port 0`: prints the feed URL, serves local URLs, leaves feeds/ alone.

    The build is a stand-in injected in the subprocess (the real pipeline is tested elsewhere);
    the server, the watcher and the command's wiring are the real ones.
    """
    project = tmp_path / "show"
    (project / "episodes").mkdir(parents=True)
    (project / "episodes" / "title.txt").write_text("first", encoding="utf-8")
    (project / "feeds").mkdir()
    (project / "feeds" / "feed.xml").write_text("<rss>published</rss>", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        match = None
        while match is None and len(lines) < 10:
            lines.append(proc.stdout.readline())
            match = re.search(r"Subscribe to: (http://127\.0\.0\.1:(\d+)/feed\.xml)", lines[-1])
        assert match, lines
        port = int(match.group(2))
        assert _wait_for(lambda: get(port, "/feed.xml").status == 200)
        feed = get(port, "/feed.xml")
        assert f"<link>http://127.0.0.1:{port}/</link>".encode() in feed.body
        assert get(port, "/ep/audio.mp3", {"Range": "bytes=0-2"}).body == b"ID3"
        (project / "episodes" / "title.txt").write_text("second", encoding="utf-8")
        assert _wait_for(lambda: b"second" in get(port, "/feed.xml").body)
        assert (project / "feeds" / "feed.xml").read_text() == "<rss>published</rss>"
        assert (project / ".stationcast-cache" / "preview" / "feed.xml").is_file()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stderr = proc.stderr.read() if proc.stderr is not None else ""
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    # The http preview's missing podcast: tags are explained once, not on every rebuild.
    assert stderr.count(HTTP_PREVIEW_NOTE) == 1, stderr


def test_serve_refuses_feeds_as_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--out feeds` would put local URLs into the published folder: a usage error."""
    from click.testing import CliRunner

    from stationcast.cli.serve import serve_command

    monkeypatch.chdir(tmp_path)
    import stationcast.build

    monkeypatch.setattr(stationcast.build, "build_show", lambda *a, **k: None, raising=False)
    result = CliRunner().invoke(serve_command, ["--out", "feeds", "--port", "0"])
    assert result.exit_code == 2
    assert "--out feeds" in result.output
    assert not (tmp_path / "feeds").exists()


def test_a_failed_preview_build_names_the_flags(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """serve --no-watch into a folder the build refuses: the rebuild's error is phrased with
    serve's flags (`--out notes`, not the library's `out=notes`), exit 1, nothing changed."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    before = tree_digest(show)
    result = run("serve", "--episodes", str(show), "--out", "notes", "--no-watch", "--port", "0")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: the preview build failed; nothing to serve:\n--out notes is a folder stationcast"
        " did not build (it has no .stationcast/state.json); the build replaces its output"
        " folder as a whole, so give an empty or new folder\n",
    )
    assert "Traceback" not in result.output
    assert [p.name for p in notes.iterdir()] == ["todo.txt"]
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"
    assert tree_digest(show) == before
