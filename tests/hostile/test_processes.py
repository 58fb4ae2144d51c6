"""Killed, stopped and waiting builds: no worker outlives its build, no lock is left held,
a waiting build says what it waits for, and a build that fills the disk frees what it wrote.

Every build here is a real `stationcast` process; its workers are found in /proc (children
of the build's pid) and every process a test starts is stopped by its pid in a `finally`.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from click.testing import Result

from stationcast.build.output import Staging, lock_file, locked
from support import add_episode, tree_digest

CHANGED = 120  # more than build.PARALLEL_MIN, so the build renders in a pool of workers
_TRANSCRIPT = "".join(
    f"MCEVERS: Question {i}?\n\nNEUMANN: Answer {i}. " + "words " * 200 + "\n\n" for i in range(40)
)
_GUARD = 300  # seconds: a hung build fails the test instead of hanging it


def _add_changed_episodes(show: Path, count: int = CHANGED) -> None:
    for n in range(count):
        add_episode(
            show,
            f"segment-{n:04d}",
            title=f"Segment {n}",
            published=f"2016-01-01T{n % 24:02d}:{n % 60:02d}:00Z",
            transcript=_TRANSCRIPT,
        )


def _start(cwd: Path, *args: str, **options: object) -> subprocess.Popen[str]:
    """Start the real command in `cwd`; stdout and stderr are pipes (text)."""
    return subprocess.Popen(
        [sys.executable, "-m", "stationcast", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,  # type: ignore[call-overload]
    )


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stationcast", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=_GUARD,
        check=False,
    )


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rpartition(")")[2].split()


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (a zombie runs nothing and holds nothing)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _exists(pid: int) -> bool:
    return _stat(pid) is not None


def _await_workers(process: subprocess.Popen[str], count: int = 2) -> list[int]:
    """Poll /proc until the build has `count` worker processes; their pids."""
    deadline = time.monotonic() + _GUARD
    while True:
        workers = _children(process.pid)
        if len(workers) >= count:
            return workers
        if process.poll() is not None:
            pytest.fail(f"the build ended before its workers started: {process.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail("the build never started its workers")
        time.sleep(0.002)


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still running after `seconds` (polled; returns as soon as none is)."""
    deadline = time.monotonic() + seconds
    while True:
        left = [pid for pid in pids if _running(pid)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.005)


@contextmanager
def _stopped_finally(
    *processes: subprocess.Popen[str], extra: list[int] | None = None
) -> Iterator[None]:
    """Kill (by pid) whatever the test started that is still alive, whatever happens."""
    try:
        yield
    finally:
        for pid in extra or []:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        for process in processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            process.communicate()


def _first_build(show: Path, tmp_path: Path) -> dict[str, str]:
    """Build the example show (one episode), then add the changed ones: the next build renders
    them in a pool. The digest of the first output."""
    first = _run(tmp_path, "build")
    assert first.returncode == 0, first.stderr
    _add_changed_episodes(show)
    return tree_digest(tmp_path / "feeds")


def test_a_build_killed_with_sigkill_leaves_no_workers_and_no_lock(
    show: Path, tmp_path: Path
) -> None:
    """kill -9 of the build's main process while its workers render: the workers are gone
    within a second, the next build takes the lock at once (--lock-timeout 0) and succeeds,
    and the output was the previous complete build in between."""
    before = _first_build(show, tmp_path)
    victim = _start(tmp_path, "build", "-j", "2")
    workers: list[int] = []
    with _stopped_finally(victim, extra=workers):
        workers.extend(_await_workers(victim))
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=_GUARD)
        assert _gone_within(workers, 1.0) == [], "workers outlived the killed build"
        assert tree_digest(tmp_path / "feeds") == before
        again = _run(tmp_path, "build", "--lock-timeout", "0")
        assert again.returncode == 0, again.stderr
        assert "waiting" not in again.stderr
        assert "Segment 119" in (tmp_path / "feeds" / "feed.xml").read_text()
        assert not list(tmp_path.glob(".feeds.staging-*"))


# (signal, sent to the whole process group as a terminal does, expected exit, expected stderr)
SIGNAL_CASES = [
    (
        signal.SIGTERM,
        False,
        -signal.SIGTERM,
        "error: stopped by SIGTERM; feeds/ holds the last complete build\n",
    ),
    (
        signal.SIGHUP,
        True,
        -signal.SIGHUP,
        "error: stopped by SIGHUP; feeds/ holds the last complete build\n",
    ),
    (  # Ctrl-C: the shell sees 130, as for any program Ctrl-C stops
        signal.SIGINT,
        True,
        -signal.SIGINT,
        "error: stopped by SIGINT; feeds/ holds the last complete build\n",
    ),
    (  # `kill -INT` of the main process alone
        signal.SIGINT,
        False,
        -signal.SIGINT,
        "error: stopped by SIGINT; feeds/ holds the last complete build\n",
    ),
]


@pytest.mark.parametrize(
    ("signum", "group", "status", "message"),
    SIGNAL_CASES,
    ids=[f"{c[0].name}{'-group' if c[1] else ''}" for c in SIGNAL_CASES],
)
def test_a_signal_stops_the_whole_build_cleanly(
    show: Path, tmp_path: Path, signum: int, group: bool, status: int, message: str
) -> None:
    """SIGTERM, SIGHUP or Ctrl-C during rendering: the build kills and reaps its workers,
    prints one line (no traceback, nothing from the workers), keeps the previous output,
    removes its staging folder and releases the lock."""
    before = _first_build(show, tmp_path)
    victim = _start(tmp_path, "build", "-j", "2", start_new_session=True)
    workers: list[int] = []
    with _stopped_finally(victim, extra=workers):
        workers.extend(_await_workers(victim))
        if group:
            os.killpg(victim.pid, signum)
        else:
            os.kill(victim.pid, signum)
        _, stderr = victim.communicate(timeout=_GUARD)
        assert (victim.returncode, stderr) == (status, message)
        assert [pid for pid in workers if _exists(pid)] == [], "the build did not reap its workers"
        assert tree_digest(tmp_path / "feeds") == before
        assert not list(tmp_path.glob(".feeds.staging-*"))
        assert lock_file(tmp_path / "feeds").read_bytes() == b""  # released, nobody named
        again = _run(tmp_path, "build", "--lock-timeout", "0")
        assert again.returncode == 0, again.stderr


def test_a_worker_killed_alone_fails_the_build_cleanly(show: Path, tmp_path: Path) -> None:
    """One worker killed (as the out-of-memory killer would): the build stops the others and
    fails with one clear line, exit 1, and the output stays as it was."""
    before = _first_build(show, tmp_path)
    victim = _start(tmp_path, "build", "-j", "2")
    workers: list[int] = []
    with _stopped_finally(victim, extra=workers):
        workers.extend(_await_workers(victim))
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = victim.communicate(timeout=_GUARD)
        assert victim.returncode == 1
        assert stderr == (
            "error: a process rendering episodes ended unexpectedly (it was killed, or the system"
            " ran out of memory); nothing was published\n"
        )
        assert [pid for pid in workers if _running(pid)] == []
        assert tree_digest(tmp_path / "feeds") == before


def test_a_waiting_build_says_once_what_it_waits_for(show: Path, tmp_path: Path) -> None:
    """A build started while another holds the lock prints `waiting for another build of
    feeds/ (pid N)…` once, with the holder's pid, and builds as soon as the lock is free."""
    holding = locked(tmp_path / "feeds")
    holding.__enter__()
    waiter = _start(tmp_path, "build", "--lock-timeout", str(_GUARD))
    with _stopped_finally(waiter):
        try:
            assert waiter.stderr is not None
            line = waiter.stderr.readline()  # the guard ends the build if no line comes
            assert line == f"waiting for another build of feeds/ (pid {os.getpid()})…\n"
        finally:
            holding.__exit__(None, None, None)
        _, rest = waiter.communicate(timeout=_GUARD)
        assert waiter.returncode == 0, rest
        assert rest == ""
        assert (tmp_path / "feeds" / "feed.xml").is_file()


# (--lock-timeout, expected stderr; {pid} is the holder's)
LOCK_TIMEOUT_CASES = [
    (
        "0",
        "error: another stationcast build (pid {pid}) is writing feeds/; try again when it ends\n",
    ),
    (
        "0.2",
        "waiting for another build of feeds/ (pid {pid})…\n"
        "error: another stationcast build (pid {pid}) is still writing feeds/ after 0.2 s of"
        " waiting; try again when it ends\n",
    ),
]


@pytest.mark.parametrize(
    ("timeout", "expected"), LOCK_TIMEOUT_CASES, ids=[c[0] for c in LOCK_TIMEOUT_CASES]
)
def test_lock_timeout_ends_with_an_error_naming_the_holder(
    show: Path, tmp_path: Path, timeout: str, expected: str
) -> None:
    """--lock-timeout 0 fails at once, a positive one after waiting that long; both name the
    pid holding the lock, exit 1, and write nothing."""
    with locked(tmp_path / "feeds"):
        result = _run(tmp_path, "build", "--lock-timeout", timeout)
    assert (result.returncode, result.stderr) == (1, expected.format(pid=os.getpid()))
    assert not (tmp_path / "feeds").exists()
    assert not list(tmp_path.glob(".feeds.staging-*"))


def test_the_lock_file_names_its_holder_only_while_held(tmp_path: Path) -> None:
    """While a build holds the lock, the lock file records its pid and host; once released,
    the file is empty again."""
    out = tmp_path / "feeds"
    with locked(out):
        record = json.loads(lock_file(out).read_text())
        assert (record["pid"], record["host"]) == (os.getpid(), socket.gethostname())
    assert lock_file(out).read_bytes() == b""


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# What a lock file left behind may hold (nobody holds the lock)
STALE_LOCK_CASES = [
    (
        "a killed build's record",
        lambda: json.dumps({"pid": _dead_pid(), "host": socket.gethostname(), "since": 0}) + "\n",
    ),
    (
        "a live process's record",
        lambda: json.dumps({"pid": os.getppid(), "host": socket.gethostname()}) + "\n",
    ),
    ("garbage", lambda: "\x00\xff not json {"),
    ("an empty file", lambda: ""),
]


@pytest.mark.parametrize(
    ("case", "content"), STALE_LOCK_CASES, ids=[c[0] for c in STALE_LOCK_CASES]
)
def test_a_stale_lock_file_is_simply_taken(
    show: Path, run: Callable[..., Result], tmp_path: Path, case: str, content: Callable[[], str]
) -> None:
    """A lock file whose lock nobody holds, whatever it says, does not stop a build, which
    does not wait either."""
    lock_file(tmp_path / "feeds").write_text(content(), encoding="latin-1")
    result = run("build", "--lock-timeout", "0")
    assert result.exit_code == 0, result.stderr
    assert "waiting" not in result.stderr
    assert lock_file(tmp_path / "feeds").read_bytes() == b""


@contextmanager
def _mounted(target: Path, options: str) -> Iterator[None]:
    """A real tmpfs at `target` (root only; the test is skipped where mount is refused)."""
    target.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=True)


@contextmanager
def _immutable(target: Path) -> Iterator[None]:
    """`chattr +i`: not even root may create files in the folder."""
    target.mkdir(exist_ok=True)
    done = subprocess.run(["chattr", "+i", str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot make a folder immutable here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)


@contextmanager
def _read_only_mode(target: Path) -> Iterator[None]:
    """chmod 555, which stops everyone but root."""
    target.mkdir(exist_ok=True)
    target.chmod(0o555)
    try:
        probe = target / "probe"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("this user writes into read-only folders anyway (root)")
        yield
    finally:
        target.chmod(0o755)


@contextmanager
def _a_file(target: Path) -> Iterator[None]:
    target.write_text("not a folder")
    yield


@contextmanager
def _a_symlink_lock(target: Path) -> Iterator[None]:
    target.mkdir()
    (target / "precious.txt").write_text("keep me")
    (target / ".feeds.lock").symlink_to("precious.txt")
    yield
    assert (target / "precious.txt").read_text() == "keep me"


# (case, how the output's parent is made unusable, --out, expected message)
LOCK_FILE_CASES = [
    (
        "immutable parent",
        _immutable,
        "parent/feeds",
        "cannot create the lock file parent/.feeds.lock: parent cannot be written by this user"
        " (Operation not permitted); choose another folder",
    ),
    (
        "read-only file system",
        lambda p: _mounted(p, "ro,size=1m"),
        "parent/feeds",
        "cannot create the lock file parent/.feeds.lock: parent cannot be written by this user"
        " (Read-only file system); choose another folder",
    ),
    (
        "read-only mode",
        _read_only_mode,
        "parent/feeds",
        "cannot create the lock file parent/.feeds.lock: parent cannot be written by this user"
        " (Permission denied); choose another folder",
    ),
    (
        "parent is a file",
        _a_file,
        "parent/feeds",
        "cannot create the lock file parent/.feeds.lock: parent is a file, not a folder",
    ),
    (
        "grandparent is a file",
        _a_file,
        "parent/sub/feeds",
        "cannot create the lock file parent/sub/.feeds.lock: parent is a file, not a folder",
    ),
    (
        "lock file is a symlink",
        _a_symlink_lock,
        "parent/feeds",
        "cannot create the lock file parent/.feeds.lock: it is a symbolic link; remove it",
    ),
]


@pytest.mark.parametrize(
    ("case", "make", "out", "message"), LOCK_FILE_CASES, ids=[c[0] for c in LOCK_FILE_CASES]
)
def test_a_lock_file_that_cannot_be_created_is_a_clear_error(
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    case: str,
    make: Callable[[Path], AbstractContextManager[None]],
    out: str,
    message: str,
) -> None:
    """An output folder whose lock file cannot be created: one line naming the lock file and
    why, exit 1, no traceback, nothing written."""
    sources = tree_digest(show)
    with make(tmp_path / "parent"):
        result = run("build", "--out", out)
        assert (result.exit_code, result.stderr) == (1, f"error: {message}\n")
        assert "Traceback" not in result.output
        assert not (tmp_path / out).exists()
    assert tree_digest(show) == sources


def test_an_output_whose_folder_became_read_only_is_left_as_it_was(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """The output's parent made immutable after a build (the lock file exists already): the
    staging folder cannot be created; one clear line, exit 1, the output untouched."""
    assert run("build", "--out", "parent/feeds").exit_code == 0
    before = tree_digest(tmp_path / "parent" / "feeds")
    (show / "islamic-state-defectors" / "transcript.txt").write_text("MCEVERS: Changed.\n")
    with _immutable(tmp_path / "parent"):
        result = run("build", "--out", "parent/feeds")
    out = tmp_path / "parent" / "feeds"
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: could not create a staging folder in {out.parent}: Operation not permitted;"
        f" {out} was left as it was\n",
    )
    assert tree_digest(out) == before


# (errno a write fails with, whether the failed build's files are kept for the next build)
DISCARD_CASES = [
    (errno.ENOSPC, False),
    (errno.EDQUOT, False),
    (errno.EIO, True),
]


@pytest.mark.parametrize(
    ("code", "kept"), DISCARD_CASES, ids=[errno.errorcode[c[0]] for c in DISCARD_CASES]
)
def test_a_full_disk_frees_what_the_failed_build_wrote(
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    kept: bool,
) -> None:
    """A write failing with ENOSPC or EDQUOT deletes the failed build's staging folder (not
    kept as .feeds.previous); any other write error keeps it as the next build's scratch tree."""
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    add_episode(show, "another")
    real = Staging.write_bytes
    calls = {"n": 0}

    def failing(self: Staging, relative: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(code, os.strerror(code), str(self.root / relative))
        real(self, relative, data)

    monkeypatch.setattr(Staging, "write_bytes", failing)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: could not write the output: {os.strerror(code)} (")
    assert tree_digest(tmp_path / "feeds") == before
    assert (tmp_path / ".feeds.previous").is_dir() == kept
    assert not list(tmp_path.glob(".feeds.staging-*"))


def test_a_build_that_fills_a_real_disk_gives_the_space_back(show: Path, tmp_path: Path) -> None:
    """On a small real file system (tmpfs, 4 MiB) the output fits once; a build that then runs
    out of space fails with ENOSPC, leaves the output as it was and frees every block it took."""
    small = tmp_path / "small"
    with _mounted(small, "size=4m"):
        out = small / "feeds"
        first = _run(tmp_path, "build", "--out", str(out))
        assert first.returncode == 0, first.stderr
        before = tree_digest(out)
        for n in range(3):  # each copies 1.1 MB of audio (no hard link across file systems)
            add_episode(show, f"more-{n}")
        free = os.statvfs(small).f_bfree
        failed = _run(tmp_path, "build", "--out", str(out))
        assert failed.returncode == 1
        assert failed.stderr.startswith(
            "error: could not write the output: No space left on device ("
        )
        assert "Traceback" not in failed.stderr
        assert tree_digest(out) == before
        assert sorted(p.name for p in small.iterdir()) == [
            ".feeds.lock",
            ".stationcast-cache",
            "feeds",
        ]
        assert os.statvfs(small).f_bfree == free


def test_a_parent_link_tells_forked_children_that_the_parent_died(tmp_path: Path) -> None:
    """The pipe mechanism alone (what workers rely on where prctl does not exist): a child
    watching a ParentLink exits within a second of its parent being killed with SIGKILL."""
    script = (
        "import os, sys, time\n"
        "from stationcast.build.workers import ParentLink\n"
        "link = ParentLink()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    link.watch()\n"
        "    time.sleep(600)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child: list[int] = []
    with _stopped_finally(parent, extra=child):
        assert parent.stdout is not None
        child.append(int(parent.stdout.readline()))
        assert _running(child[0])
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=_GUARD)
        assert _gone_within(child, 1.0) == []


def test_serve_waits_for_the_lock_too(show: Path, tmp_path: Path) -> None:
    """`serve` builds under the same lock: with another build holding it and --lock-timeout 0,
    it fails at once with the error naming the holder, and serves nothing."""
    preview = tmp_path / ".stationcast-cache" / "preview"
    with locked(preview):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "stationcast",
                "serve",
                "--no-watch",
                "--port",
                "0",
                "--lock-timeout",
                "0",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=_GUARD,
            check=False,
        )
    assert (result.returncode, result.stderr) == (
        1,
        "error: the preview build failed; nothing to serve:\n"
        f"another stationcast build (pid {os.getpid()}) is writing .stationcast-cache/preview/;"
        " try again when it ends\n",
    )
    assert not (preview / "feed.xml").exists()


def test_the_lock_is_not_held_by_a_forked_child_that_outlives_the_build(
    show: Path, tmp_path: Path
) -> None:
    """The lock belongs to the build's own process, not to what it forks: a holder killed
    with SIGKILL while a forked child of it lives on (no parent-death signal here) leaves the
    lock free, and a build with --lock-timeout 0 takes it at once."""
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from stationcast.build.output import locked\n"
        "with locked(Path('feeds')):\n"
        "    child = os.fork()\n"
        "    if child == 0:\n"
        "        time.sleep(600)\n"
        "        os._exit(0)\n"
        "    print(child, flush=True)\n"
        "    time.sleep(600)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    child: list[int] = []
    with _stopped_finally(holder, extra=child):
        assert holder.stdout is not None
        child.append(int(holder.stdout.readline()))
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=_GUARD)
        assert _running(child[0])  # the orphan lives on, with the lock file open
        result = _run(tmp_path, "build", "--lock-timeout", "0")
        assert result.returncode == 0, result.stderr


def test_sigint_stops_a_build_started_in_the_background(show: Path, tmp_path: Path) -> None:
    """A script's background job starts ignoring SIGINT; `kill -INT` of the build still stops
    it (exit status 130 in a shell), with its one line."""
    before = _first_build(show, tmp_path)

    def as_background_job() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    build = _start(
        tmp_path, "build", "-j", "2", start_new_session=True, preexec_fn=as_background_job
    )
    with _stopped_finally(build):
        _await_workers(build)
        os.kill(build.pid, signal.SIGINT)
        _, stderr = build.communicate(timeout=_GUARD)
        assert (build.returncode, stderr) == (
            -signal.SIGINT,
            "error: stopped by SIGINT; feeds/ holds the last complete build\n",
        )
        assert tree_digest(tmp_path / "feeds") == before


def test_a_build_started_ignoring_sighup_keeps_ignoring_it(show: Path, tmp_path: Path) -> None:
    """Under `nohup` (SIGHUP ignored from the start) a hangup sent to the whole process group
    during rendering stops nothing: the build and its workers finish, exit 0."""
    _first_build(show, tmp_path)

    def ignore_hangups() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    build = _start(tmp_path, "build", "-j", "2", start_new_session=True, preexec_fn=ignore_hangups)
    with _stopped_finally(build):
        _await_workers(build)
        os.killpg(build.pid, signal.SIGHUP)
        _, stderr = build.communicate(timeout=_GUARD)
        assert build.returncode == 0, stderr
        assert "Segment 119" in (tmp_path / "feeds" / "feed.xml").read_text()


def test_threads_of_one_process_take_turns_too(tmp_path: Path) -> None:
    """POSIX locks do not tell a process's threads apart; the lock does: a second thread of
    the same process that wants the lock is refused (timeout 0) while the first holds it."""
    import threading

    from stationcast.errors import BuildError

    out = tmp_path / "feeds"
    refused: list[str] = []

    def second() -> None:
        try:
            with locked(out, timeout=0):
                pass
        except BuildError as exc:
            refused.append(str(exc))

    with locked(out):
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=_GUARD)
    assert refused == [
        f"another stationcast build (pid {os.getpid()}) is writing {out}/; try again when it ends"
    ]
    with locked(out, timeout=0):  # and it is free again afterwards
        pass
