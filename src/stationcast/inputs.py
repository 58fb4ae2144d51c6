"""Opening the files a build reads: inside the show, ordinary files, and of a sane size.

Every file the build reads from the show folder (manifests, transcripts, artwork, episode
images, audio) and the state file given with ``--state`` goes through :func:`read_input`,
:func:`open_input` or :func:`check_input`, which in this order:

1. refuse a path that resolves outside the show folder (a symbolic link out of it; links
   that stay inside are fine), when a show folder is given;
2. ``stat`` the path without opening it, so a loop of links, a name too long or a missing
   permission is a message, and a FIFO, socket, device or folder is refused before anything
   could block on it;
3. refuse a file larger than the cap of its kind before reading a byte of it;
4. open it non-blocking (a file swapped for a FIFO in between cannot block either), check
   that the opened file is the one just checked, and read at most the cap.

What is wrong is raised as :class:`Refused`, whose message reads after the file's name.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from stationcast.errors import display_path


@dataclass(frozen=True)
class Kind:
    """A kind of input, with the largest file of that kind the build reads."""

    what: str  # as the messages name it: "a manifest"
    max_bytes: int | None  # None: never read whole (audio is probed in place)
    hint: str = ""  # what to do about a file over the cap


#: show.yaml and episode.yaml: a page of text.
MANIFEST = Kind("a manifest", 1_000_000, "put long text such as transcripts in their own files")
#: A three-hour show's word-level JSON transcript is about 5 MB.
TRANSCRIPT_BYTES = 50_000_000
TRANSCRIPT = Kind("a transcript", TRANSCRIPT_BYTES)
#: Artwork and episode images. Apple's 512 KB is advice (the validator warns about it); an
#: uncompressed 3000x3000 RGBA PNG is 36 MB.
IMAGE = Kind("an image", 100_000_000, "save it as a JPEG or a compressed PNG")
#: `.stationcast/state.json`: about 250 bytes per published episode.
STATE = Kind("a state file", 64 * 1024 * 1024)
#: Where a build keeps that state inside its output folder (`validate` also takes a folder
#: holding it for a stationcast output).
STATE_DIR = ".stationcast"
STATE_FILE = f"{STATE_DIR}/state.json"
#: Audio and other media: type-checked and contained, never read whole.
MEDIA = Kind("a media file", None)
#: `stationcast align`'s times for a transcript (one pair of numbers per sentence).
ALIGNMENT = Kind("an alignment file", 5_000_000)

LOOP = "is a symbolic link that cannot be followed (a loop?); put the file itself there"
OUTSIDE = "is a symbolic link out of the episodes folder; copy the file into it instead"


class Refused(Exception):
    """Why an input cannot be read; `message` reads after the file's name.

    `missing` is set when there is no file at all, so a caller can say what belongs there.
    """

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


def outside(path: Path, root: Path) -> str | None:
    """Why the build must not read `path`, or None when it lies inside the show folder `root`.

    A symbolic link (the file's own, or a folder's on the way) that leads out of the show
    would publish a file from elsewhere on the machine, so it is refused; a link within the
    show is fine. A path written below `root` with no link on the way is inside; any other is
    checked on resolved paths, never on string prefixes.
    """
    if _no_link_below(root, path):
        return None
    try:
        target = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        return LOOP
    if target == base or target.is_relative_to(base):
        return None
    return OUTSIDE


def _no_link_below(root: Path, path: Path) -> bool:
    """True when `path` is written below `root` (no `..`) and nothing on the way from `root`
    to it is a symbolic link, so it resolves inside `root` whatever `root` itself is: one
    lstat per component instead of resolving both paths from the file system root."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if ".." in parts:
        return False
    current = root
    for part in parts:
        current = current / part
        if os.path.islink(current):
            return False
    return True


def check_input(path: Path, kind: Kind, *, root: Path | None = None) -> os.stat_result:
    """The stat of `path` once it passed the containment, type and size checks (see above)."""
    if root is not None:
        reason = outside(path, root)
        if reason:
            raise Refused(reason)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _refusal(exc) from None
    _require_regular(info, kind)
    _require_size(info.st_size, kind)
    return info


@contextmanager
def open_input(path: Path, kind: Kind, *, root: Path | None = None) -> Iterator[BinaryIO]:
    """`path` opened for reading, after :func:`check_input`."""
    checked = check_input(path, kind, root=root)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refusal(exc) from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        _require_regular(opened, kind)  # swapped since the stat? then it is refused too
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise Refused("changed while it was being read; run the build again")
        _require_size(opened.st_size, kind)
        yield handle


def read_input(path: Path, kind: Kind, *, root: Path | None = None) -> bytes:
    """The bytes of `path`, after :func:`check_input`; never more than the kind's cap."""
    with open_input(path, kind, root=root) as handle:
        try:
            data = handle.read() if kind.max_bytes is None else handle.read(kind.max_bytes + 1)
        except OSError as exc:
            raise _refusal(exc) from None
    _require_size(len(data), kind)  # it grew while being read
    return data


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is: "a FIFO (named pipe)", "a directory"..."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _require_regular(info: os.stat_result, kind: Kind) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise Refused(
            f"is not a regular file (it is {describe_mode(info.st_mode)}); {kind.what} must be"
            " an ordinary file"
        )


def _require_size(size: int, kind: Kind) -> None:
    if kind.max_bytes is not None and size > kind.max_bytes:
        hint = f" ({kind.hint})" if kind.hint else ""
        raise Refused(
            f"is {size:,} bytes; {kind.what} may be at most {kind.max_bytes:,} bytes{hint}"
        )


def _refusal(exc: OSError) -> Refused:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Refused("not found", missing=True)
    if exc.errno == errno.ELOOP:
        return Refused(LOOP)
    if exc.errno == errno.ENAMETOOLONG:
        return Refused("cannot be read: its path is too long for the file system; shorten it")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Refused("cannot be read: permission denied; make it readable by the build")
    return Refused(f"cannot be read: {exc.strerror or exc}")


#: What a missing input is, by what names it: one wording for the manifest reader (which
#: checks that the files exist) and the readers (which find one gone since).
MISSING_AUDIO = "audio file not found"
MISSING_TRANSCRIPT = "file not found; expected the transcript beside episode.yaml"
MISSING_IMAGE = "file not found; expected the image beside episode.yaml"
MISSING_ARTWORK = "file not found; expected a square JPEG or PNG beside show.yaml"

#: At most this many of a folder's names are listed after a missing file.
_LISTED = 12


def missing_hint(path: Path) -> str:
    """What to add after "file not found" for `path`: the closest name its folder has
    (`; did you mean audio.mp3?`) and the files the folder holds, so a typo is fixed at once."""
    import difflib

    try:
        names = sorted(
            p.name for p in path.parent.iterdir() if not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    shown = display_path(path.parent).rstrip("/") + "/"
    if not names:
        return f"{hint} ({shown} has no files)"
    listed = ", ".join(names[:_LISTED]) + (", ..." if len(names) > _LISTED else "")
    return f"{hint} ({shown} has {listed})"


#: JSON inputs (transcripts, state files) nest three or four levels; the json module's
#: decoder recurses per level and stops with RecursionError near a thousand.
MAX_JSON_DEPTH = 100
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> tuple[int, int] | None:
    """(line, column), 1-based, of the first `[` or `{` nested more than `limit` deep in the
    JSON `text`, or None. Linear; run only after the decoder gave up (RecursionError)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif token in "]}":
            depth -= 1
    return None
