"""The build's worker processes: forked, and never outliving the build that forked them.

A build renders many changed episodes in a pool of forked processes (fork, so the work is
inherited and nothing is pickled). A worker left behind by a build that was killed would go on
writing into a staging folder nobody owns, and would keep whatever the build had open. So every
worker is tied to its parent in two ways:

- On Linux it asks the kernel for SIGKILL when its parent dies (`prctl(PR_SET_PDEATHSIG)`),
  then checks that its parent is still the build: a build killed between the fork and the
  prctl has already left the worker an orphan, and the worker exits at once.
  (The kernel signals the worker when the *thread* that forked it ends, so `worker_pool`
  creates and shuts down its pool in one thread, the one that uses it.)
- Everywhere, it watches a pipe whose write end only the build holds (`ParentLink`): when the
  build exits in any way the kernel closes that end, the worker's read returns end-of-file
  and the worker exits. This is the whole mechanism where prctl does not exist.

A build that stops on an error, an exception or a signal (see `worker_pool`) kills its workers
itself and waits for them before its staging folder is cleaned up, so nothing writes into a
folder being removed. Workers ignore SIGINT and SIGHUP, which a terminal sends to the whole
process group: the build decides what happens and stops them. A worker that dies on its own
(killed, out of memory) fails the build with a BuildError.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress

from stationcast.errors import BuildError

__all__ = ["ParentLink", "die_with_parent", "worker_pool"]

_PR_SET_PDEATHSIG = 1
_LAUNCH_BLOCKS = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}


class ParentLink:
    """A pipe from a parent process to the children it forks, which tells them it has ended.

    Create it in the parent before forking; each child calls `watch()`. The parent keeps the
    only write end (children close their inherited copies), so once the parent has exited,
    however it exited, a watching child reads end-of-file and exits.
    """

    def __init__(self) -> None:
        # Both ends are close-on-exec: programs the workers run do not hold them.
        self._read, self._write = os.pipe()

    def watch(self) -> None:
        """In a forked child: exit (status 1) as soon as the parent has ended."""
        os.close(self._write)
        threading.Thread(target=self._wait, name="stationcast-parent-watch", daemon=True).start()

    def _wait(self) -> None:
        try:
            while os.read(self._read, 1):  # nothing is ever written: this returns at end-of-file
                pass
        except OSError:
            pass
        os._exit(1)

    def close(self) -> None:
        """In the parent, once its children are gone."""
        for fd in (self._read, self._write):
            with suppress(OSError):
                os.close(fd)


def die_with_parent(parent: int) -> bool:
    """In a forked child: have the kernel kill this process when `parent` ends (Linux).

    False where the system cannot. A child whose parent already died exits at once.
    """
    if sys.platform != "linux":
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # the parent died before prctl: nobody would signal us
        os._exit(1)
    return True


def _start_worker(parent: int, link: ParentLink) -> None:
    """The pool's initializer, run first in every worker."""
    # Ctrl-C and hangups reach the whole process group; the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own handler (inherited by fork)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _LAUNCH_BLOCKS)  # blocked while forking (see below)
    die_with_parent(parent)
    link.watch()


@contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `jobs` forked workers that die with this process (see the module docstring).

    Leaving the block normally waits for the workers to finish; leaving it with an exception
    (an error, Ctrl-C, a signal turned into an exception) kills them and waits for them to be
    gone first. A worker that died on its own raises BuildError.
    """
    link = ParentLink()
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), link),
    )
    try:
        try:
            # Start every worker now, with the signals that stop a build held back meanwhile:
            # one arriving between a fork and the pool's record of the new process would leave
            # a worker `_stop` cannot see. A signal that came is delivered right after.
            old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _LAUNCH_BLOCKS)
            try:
                pool.submit(os.getpid)  # a fork pool starts all its workers on the first task
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
            yield pool
            pool.shutdown(wait=True)  # inside: a signal arriving while this waits stops them too
        except BrokenProcessPool:
            _stop(pool, before)
            raise BuildError(
                "a process rendering episodes ended unexpectedly (it was killed, or the system"
                " ran out of memory); nothing was published"
            ) from None
        except BaseException:
            _stop(pool, before)
            raise
    finally:
        link.close()


def _stop(pool: ProcessPoolExecutor, before: set[multiprocessing.process.BaseProcess]) -> None:
    """Kill the pool's workers now, without waiting for their work, and reap them."""
    workers = [p for p in multiprocessing.active_children() if p not in before]
    for process in workers:
        with suppress(OSError, ValueError):  # already reaped or closed
            process.kill()
    for process in workers:
        process.join()
    # Then one shutdown that waits for the pool's own management thread, which sees the dead
    # workers and fails the queued work. Not before the kill, and without cancelling: a
    # shutdown that does not wait forgets that thread while it still closes its pipes (the
    # interpreter's exit may then write to a closed pipe), and a future cancelled here races
    # that thread failing it (Python 3.11 reports an InvalidStateError from the thread).
    pool.shutdown(wait=True)
