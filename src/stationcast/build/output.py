"""Write a build into a staging folder, then swap it into place.

The staging folder is a sibling of the output folder, so it is on the same file system and
the final swap is one atomic exchange of the two names (two renames where the system cannot
exchange, with the previous output put back by the next build if a crash fell between them):
the output path holds either the complete previous build or the complete new one.

The lock. A lock file beside the output (`.<out>.lock`) makes a second build of the same
output wait (or fail, with a timeout) instead of interleaving its files with ours. It must be
held by the build's own process and by nothing it forks: a build killed while its worker
processes were alive must not leave the lock held by them, or every later build waits
forever. The choice of lock follows from that:

- `flock` (and Linux's open-file-description locks, F_OFD_SETLK) belong to the open file,
  which `fork` shares with every worker: the workers would hold the lock after the build
  died, and unlocking in a worker would unlock the build's lock too. Not these.
- POSIX record locks (`fcntl.lockf`, F_SETLK) belong to a process and are not inherited by
  `fork`, and the kernel releases them when the process ends, however it ends: a killed build
  can never leave its lock behind. Their one trap: a process loses the lock when it closes
  *any* descriptor of the lock file. So the lock file is opened exactly once per process
  (never by anything else in stationcast), and threads of one process, which a POSIX lock
  does not tell apart, take turns on an in-process lock per lock file before opening it.

The lock file records who holds it (`{"pid": ..., "host": ..., "since": ...}`, emptied on
release) so that a waiting build can say what it waits for. The record is only a label: the
kernel's lock decides, so a record left by a killed build (its process gone, the lock free)
is simply overwritten by the next build.

Files a failed build wrote are kept as the next build's scratch tree (see `staged`), except
when the disk is full (ENOSPC, EDQUOT): then they are deleted, so the failure frees the space
it took.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from stationcast.errors import BuildError

if sys.platform == "win32":  # pragma: no cover - the CLI refuses Windows before building
    raise ImportError("stationcast's build needs POSIX (fcntl record locks); use WSL on Windows")
import fcntl  # noqa: E402 - after the platform check, so Windows gets a message, not a traceback


class Staging:
    """A folder that receives a build's files; every write is checked to stay inside it.

    A `recycled` staging folder is the output of the build before the previous one (see
    `staged`): its files may be hard links shared with the published output, so a file is
    always unlinked before it is written (never written through), a file already linked to
    the wanted one is kept, and `prune` removes whatever this build did not produce.
    """

    def __init__(self, root: Path, *, recycled: bool = False) -> None:
        self.root = root
        self._resolved = root.resolve()
        self.written: set[str] = set()
        self._folders: set[Path] = {self._resolved}
        self.recycled = recycled
        self._text = str(self._resolved)

    def path(self, relative: str, *, keep: bool = False) -> Path:
        """The absolute path for `relative`, refusing anything that would leave the folder.

        In a recycled folder, whatever is at that path is removed first, unless `keep`.
        """
        if relative in self.written:
            raise BuildError(f"two outputs want the same path {relative!r}; rename one of them")
        parts = relative.split("/")
        if _plain(relative):
            # Plain names below a folder this build created and filled itself (it holds no
            # symbolic links): the path cannot leave it, no need to resolve it.
            target = self._resolved.joinpath(*parts)
        else:
            target = (self._resolved / relative).resolve()
            if not target.is_relative_to(self._resolved) or target == self._resolved:
                raise BuildError(f"refusing to write {relative!r}: it is outside the output folder")
        self.written.add(relative)
        parent = target.parent
        if parent not in self._folders:
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except FileExistsError:  # a file where this build wants a folder (recycled)
                if not self.recycled:
                    raise
                _remove(parent)
                parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        if self.recycled and not keep:
            _remove(target)
        return target

    def write_bytes(self, relative: str, data: bytes) -> None:
        self.path(relative).write_bytes(data)

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def link_from(self, relative: str, source: Path | str) -> None:
        """Hard-link a file of the previous output (unchanged, so its bytes are reused)."""
        if self.recycled and relative not in self.written and _plain(relative):
            try:
                here, there = os.lstat(f"{self._text}/{relative}"), os.lstat(source)
            except OSError:
                pass
            else:
                if (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev) and stat.S_ISREG(
                    there.st_mode
                ):
                    self.written.add(relative)  # already the same file: only record it
                    return
        target = self.path(relative)
        try:
            os.link(source, target)
        except FileExistsError:
            raise
        except OSError:
            shutil.copy2(source, target)

    def prune(self) -> None:
        """Delete every file and folder this build did not write (in a recycled folder)."""
        folders = {""}
        for relative in self.written:
            parts = relative.split("/")
            for end in range(1, len(parts)):
                folders.add("/".join(parts[:end]))

        def walk(path: str, prefix: str) -> None:
            with os.scandir(path) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if relative in folders:
                            walk(entry.path, relative + "/")
                        else:
                            shutil.rmtree(entry.path)
                    elif relative not in self.written:
                        os.unlink(entry.path)

        walk(str(self._resolved), "")

    def link_or_copy(self, relative: str, source: Path) -> None:
        """Hard-link `source` (large audio costs no space or time), copying across devices.

        A symbolic link is followed: the output gets the file itself (Linux's link(2) would
        link the symbolic link, which then points nowhere or back into the show)."""
        target = self.path(relative)
        try:
            os.link(os.path.realpath(source), target)
        except OSError:
            shutil.copyfile(source, target)


def output_matches(out: Path, files: object) -> bool:
    """True when `out` holds every file of `files` ({relative path: [size, mtime_ns, inode]})
    exactly as a build left it."""
    if not isinstance(files, dict) or not files:
        return False
    for relative, expected in files.items():
        try:
            st = os.lstat(out / relative)
        except (OSError, TypeError, ValueError):
            return False
        if expected != [st.st_size, st.st_mtime_ns, st.st_ino]:
            return False
    return True


def mark_current(out: Path) -> None:
    """Give the output folder itself the time of the build that last checked it (`publish`
    compares the sources' times with it: an edit after it means the output is stale). The
    folder's time is in no file's stat key, so this never makes the next build redo work."""
    with suppress(OSError):
        os.utime(out)


@dataclass(frozen=True)
class LockHolder:
    """Who holds an output's lock, as its lock file says (None: not recorded)."""

    pid: int | None = None
    host: str | None = None

    def __str__(self) -> str:
        """`pid 1234`, `pid 1234 on otherhost` (another machine), or "" when unknown."""
        if self.pid is None:
            return ""
        elsewhere = self.host is not None and self.host != socket.gethostname()
        return f"pid {self.pid} on {self.host}" if elsewhere else f"pid {self.pid}"


#: Called once when a build has to wait for the lock, with who holds it.
Waiting = Callable[[LockHolder], None]

_POLL_SECONDS = 0.05  # how often a build with a timeout tries the lock again
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def lock_file(out: Path) -> Path:
    """The lock file of the output folder `out` (beside it)."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def locked(
    out: Path, *, timeout: float | None = None, waiting: Waiting | None = None
) -> Iterator[None]:
    """Hold the exclusive lock for building into `out` (see the module docstring).

    When another build holds it, `waiting(holder)` is called once, then this waits until the
    lock is free: for ever when `timeout` is None, else at most `timeout` seconds (0: not at
    all) before raising BuildError naming the holder.
    """
    path = lock_file(out)
    shown = os.fspath(out).rstrip("/") + "/"
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False

    def wait_for(holder: LockHolder) -> None:
        nonlocal told
        if timeout == 0:
            raise BuildError(
                f"another stationcast build{_named(holder)} is writing {shown};"
                " try again when it ends"
            )
        if not told and waiting is not None:
            waiting(holder)
        told = True

    def timed_out(holder: LockHolder) -> BuildError:
        return BuildError(
            f"another stationcast build{_named(holder)} is still writing {shown}"
            f" after {timeout:g} s of waiting; try again when it ends"
        )

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = _reason(exc, out.parent)
        raise BuildError(f"cannot create the lock file {path}: {reason}") from None
    in_process = _process_lock(path)
    if not in_process.acquire(blocking=False):  # another thread of this process builds `out`
        me = LockHolder(os.getpid(), socket.gethostname())
        wait_for(me)
        left = -1 if deadline is None else max(0.0, deadline - time.monotonic())
        if not in_process.acquire(timeout=left):
            raise timed_out(me)
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            reason = _reason(exc, out.parent)
            raise BuildError(f"cannot create the lock file {path}: {reason}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise BuildError(f"cannot use the lock file {path}: it is not a regular file")
            if not _try_lock(fd, path):
                wait_for(_holder(fd))
                if deadline is None:
                    _lock(fd, path, block=True)
                else:
                    while not _try_lock(fd, path):
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise timed_out(_holder(fd))
                        time.sleep(min(_POLL_SECONDS, left))
            try:
                _record(fd)
                yield
            finally:
                with suppress(OSError):
                    os.ftruncate(fd, 0)  # released: no holder to name
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)  # the only descriptor of the lock file this process has (see above)
    finally:
        in_process.release()


def _named(holder: LockHolder) -> str:
    text = str(holder)
    return f" ({text})" if text else ""


def _process_lock(path: Path) -> threading.Lock:
    key = os.path.realpath(path)
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(key, threading.Lock())


def _try_lock(fd: int, path: Path) -> bool:
    return _lock(fd, path, block=False)


def _lock(fd: int, path: Path, *, block: bool) -> bool:
    """Take the POSIX lock on the whole file; False when another process holds it."""
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX if block else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if not block and exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise BuildError(f"cannot lock {path}: {exc.strerror or exc}") from None
    return True


def _record(fd: int) -> None:
    """Write who holds the lock into the lock file (a full disk only leaves it unnamed)."""
    record = {"pid": os.getpid(), "host": socket.gethostname(), "since": int(time.time())}
    data = (json.dumps(record) + "\n").encode()
    try:
        os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))
    except OSError:
        pass


def _holder(fd: int) -> LockHolder:
    """The holder a lock file names. A build that has just taken the lock may not have
    written its record yet: an empty file is read again for a moment."""
    for _ in range(10):
        try:
            data = os.pread(fd, 4096, 0)
        except OSError:
            return LockHolder()
        if data:
            break
        time.sleep(0.01)
    try:
        record = json.loads(data.split(b"\n", 1)[0])
    except ValueError:
        return LockHolder()
    if not isinstance(record, dict):
        return LockHolder()
    pid, host = record.get("pid"), record.get("host")
    return LockHolder(
        pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None,
        host if isinstance(host, str) and host else None,
    )


def _reason(exc: OSError, folder: Path) -> str:
    """Why a file in `folder` cannot be created, in words."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        for part in reversed([folder, *folder.parents]):
            if (part.exists() or part.is_symlink()) and not part.is_dir():
                return f"{part} is a file, not a folder"
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link; remove it"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{folder} cannot be written by this user ({exc.strerror}); choose another folder"
    if exc.errno == errno.ENOENT and folder.is_dir():  # /proc, /sys: no new files there
        return f"{folder} does not take new files ({exc.strerror}); choose another folder"
    return exc.strerror or str(exc)


def _plain(relative: str) -> bool:
    """Plain names separated by slashes: no empty, `.` or `..` part, no backslash or NUL."""
    return all(
        p not in ("", ".", "..") and "\\" not in p and "\0" not in p for p in relative.split("/")
    )


def _remove(target: Path) -> None:
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)


def previous_folder(out: Path) -> Path:
    """Where the output a build replaced is kept, to be the next build's staging folder."""
    out = out.absolute()
    return out.parent / f".{out.name}.previous"


@contextmanager
def staged(out: Path, *, recycle: bool = False) -> Iterator[Staging]:
    """Yield a staging folder; on normal exit swap it into `out`, on error delete it.

    With `recycle`, the output this swap replaces is kept beside it (`.<out>.previous`; after
    a first build, which replaces nothing, a tree of hard links of the new output) and
    the next build's staging folder is made from it: unchanged files there are already hard
    links of the published ones, so an incremental build creates, links and deletes only
    what changed instead of rebuilding the whole tree (on a file system where creating and
    removing ten thousand folders takes seconds). It is a separate folder until the swap, so
    the output is replaced as a whole, as before.
    """
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder; refusing to replace it")
    if out.is_symlink():
        raise BuildError(f"{out} is a symbolic link; give the real folder as the output")
    previous = previous_folder(out)
    try:
        _remove_leftovers(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    except OSError as exc:
        raise BuildError(
            f"could not create a staging folder in {out.parent}: {exc.strerror or exc};"
            f" {out} was left as it was"
        ) from exc
    recycled = False
    if recycle and previous.is_dir() and not previous.is_symlink():
        tmp.rmdir()
        os.rename(previous, tmp)  # a killed build leaves it as a staging folder: removed later
        recycled = True
    elif previous.exists() or previous.is_symlink():
        _remove(previous)

    def discard(*, free: bool = False) -> None:
        """A failed build's staging folder: kept as the next build's scratch tree when
        recycling (whatever it holds is checked file by file before use), else deleted; and
        always deleted when the disk is full (`free`), so the failure gives back what it took."""
        if recycle and not free and not previous.exists():
            try:
                os.rename(tmp, previous)
                return
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)

    try:
        stage = Staging(tmp, recycled=recycled)
        yield stage
        if recycled:
            stage.prune()
        _swap(tmp, out, previous if recycle else None)
    except OSError as exc:  # disk full, permissions, a file vanishing under us
        discard(free=exc.errno in _DISK_FULL)
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildError(
            f"could not write the output: {exc.strerror or exc}{where}; {out} was left as it was"
        ) from exc
    except BaseException:
        discard()
        raise


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def _remove_leftovers(out: Path) -> None:
    """Delete staging folders of builds that were killed (we hold the lock, so none is live).

    A build killed inside a swap without an atomic exchange (see `_swap`) leaves no output
    but the complete previous one as `.<out>.old-*`: that one is put back first.
    """
    if not out.exists() and not out.is_symlink():
        olds = sorted(
            (p for p in out.parent.glob(f".{out.name}.old-*") if p.is_dir() and not p.is_symlink()),
            key=lambda p: p.stat().st_mtime_ns,
        )
        if olds:
            os.rename(olds[-1], out)
    for prefix in (f".{out.name}.staging-", f".{out.name}.old-"):
        for leftover in out.parent.glob(prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, out: Path, keep: Path | None = None) -> None:
    """Put the staged folder `new` in place of `out`; the replaced output goes to `keep`
    (the next build's staging folder) or is deleted.

    Where the kernel and file system can exchange two paths atomically (Linux renameat2 with
    RENAME_EXCHANGE: ext4, xfs, btrfs, tmpfs...), `out` always names a complete build, even
    for a process killed mid-swap. Elsewhere it is two renames, the previous output parked as
    `.<out>.old-*` in between, which the next build puts back if it finds no output.
    """
    new.chmod(0o755)  # mkdtemp makes it private; the published folder should not be
    if not out.exists():
        os.rename(new, out)
        if keep is not None and not keep.exists():
            _mirror(out, keep)  # nothing replaced to keep: the next build recycles a mirror
        return
    if _exchange(new, out):  # `new` now names the previous output
        if keep is not None and not keep.exists():
            os.rename(new, keep)
        else:
            shutil.rmtree(new, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)  # put the previous build back
        raise
    if keep is not None and not keep.exists():
        os.rename(old, keep)
    else:
        shutil.rmtree(old, ignore_errors=True)


def _mirror(out: Path, keep: Path) -> None:
    """A tree of hard links of every file in `out` at `keep`: what a replaced output would
    have been (after a first build, which replaced nothing), so the next build recycles it and
    costs what later ones cost instead of linking the whole tree anew. Best effort: the output
    is already in place, so a failure (links across devices, a full disk) only removes the
    mirror."""
    top = os.fspath(out)
    try:
        for folder, _dirs, files in os.walk(top):
            rel = folder[len(top) + 1 :]
            target = os.path.join(keep, rel) if rel else os.fspath(keep)
            os.mkdir(target)
            for name in files:
                source = os.path.join(folder, name)
                os.link(source, os.path.join(target, name), follow_symlinks=False)
    except OSError:
        shutil.rmtree(keep, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` atomically; False where the system cannot (then nothing
    changed)."""
    if sys.platform != "linux":
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False  # not supported here: fall back to two renames
    raise OSError(error, os.strerror(error), os.fspath(b))
