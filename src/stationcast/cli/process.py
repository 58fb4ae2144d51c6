"""A command that builds, as a process: what it says while it waits for another build's lock,
and how SIGTERM and SIGHUP stop it (the way Ctrl-C does). Used by `build` and `serve`."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from stationcast.cli.report import echo, folder

if TYPE_CHECKING:
    from stationcast.build.output import LockHolder, Waiting


def lock_waiting(out: Path) -> Waiting:
    """What a build prints, once, when it has to wait for another build of `out`."""

    def waiting(holder: LockHolder) -> None:
        who = f" ({holder})" if str(holder) else ""
        echo(f"waiting for another build of {folder(out)}{who}…", err=True)

    return waiting


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds the build like Ctrl-C does (its cleanup runs)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGINT into `Stopped` in the main thread while the block runs.

    The build then stops the way Ctrl-C stops it: its workers are killed, its staging folder
    is handled as for any failed build, its lock is released. SIGTERM or SIGHUP this process
    was started ignoring (`nohup`) stays ignored; a second signal during that cleanup is
    ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = [s for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) is signal.SIG_DFL]
    # SIGINT too: Ctrl-C, and `kill -INT` of a build started in the background of a script
    # (which starts it ignoring SIGINT): either way the build stops, exit status 130.
    if signal.getsignal(signal.SIGINT) in (signal.default_int_handler, signal.SIG_IGN):
        caught.append(signal.SIGINT)

    def stop(signum: int, frame: object) -> None:
        for s in caught:
            signal.signal(s, signal.SIG_IGN)
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in caught}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def end_by_signal(stopped: Stopped, out: Path) -> None:
    """Report a stopped build in one line, then end as killed by that signal (a shell shows
    status 128+N, 143 for SIGTERM; a service manager sees a clean stop)."""
    where = folder(out)
    echo(f"error: stopped by {stopped.name}; {where} holds the last complete build", err=True)
    sys.stdout.flush()
    signal.signal(stopped.signum, signal.SIG_DFL)
    os.kill(os.getpid(), stopped.signum)
    sys.exit(128 + stopped.signum)  # not reached where the signal ends the process
