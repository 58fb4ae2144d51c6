"""Write a build into a staging folder, then swap it into place.

The staging folder is a sibling of the output folder, so it is on the same file system and
the final swap is two renames: at every moment the output path holds either the complete
previous build or the complete new one. A lock file beside the output makes a second build
of the same output wait (or fail) instead of interleaving its files with ours.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stationcast.errors import BuildError


class Staging:
    """A folder that receives a build's files; every write is checked to stay inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._resolved = root.resolve()
        self.written: set[str] = set()
        self._folders: set[Path] = {self._resolved}

    def path(self, relative: str) -> Path:
        """The absolute path for `relative`, refusing anything that would leave the folder."""
        if relative in self.written:
            raise BuildError(f"two outputs want the same path {relative!r}; rename one of them")
        parts = relative.split("/")
        if all(p not in ("", ".", "..") and "\\" not in p and "\0" not in p for p in parts):
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
            parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        return target

    def write_bytes(self, relative: str, data: bytes) -> None:
        self.path(relative).write_bytes(data)

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def link_from(self, relative: str, source: Path) -> None:
        """Hard-link a file of the previous output (unchanged, so its bytes are reused)."""
        target = self.path(relative)
        try:
            os.link(source, target)
        except FileExistsError:
            raise
        except OSError:
            shutil.copy2(source, target)

    def link_or_copy(self, relative: str, source: Path) -> None:
        """Hard-link `source` (large audio costs no space or time), copying across devices."""
        target = self.path(relative)
        try:
            os.link(source, target)
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


@contextmanager
def locked(out: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock for building into `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BuildError(f"another stationcast build is writing {out}; try again when it ends") from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def staged(out: Path) -> Iterator[Staging]:
    """Yield a staging folder; on normal exit swap it into `out`, on error delete it."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder; refusing to replace it")
    if out.is_symlink():
        raise BuildError(f"{out} is a symbolic link; give the real folder as the output")
    _remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield Staging(tmp)
        _swap(tmp, out)
    except OSError as exc:  # disk full, permissions, a file vanishing under us
        shutil.rmtree(tmp, ignore_errors=True)
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildError(
            f"could not write the output: {exc.strerror or exc}{where}; {out} was left as it was"
        ) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _remove_leftovers(out: Path) -> None:
    """Delete staging folders of builds that were killed (we hold the lock, so none is live)."""
    for prefix in (f".{out.name}.staging-", f".{out.name}.old-"):
        for leftover in out.parent.glob(prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _swap(new: Path, out: Path) -> None:
    new.chmod(0o755)  # mkdtemp makes it private; the published folder should not be
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(old, out)  # put the previous build back
        raise
    shutil.rmtree(old, ignore_errors=True)
