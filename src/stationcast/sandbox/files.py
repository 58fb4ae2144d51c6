"""Reading a show's own templates: only from inside the show, only regular files (a FIFO is
refused before it is opened), at most MAX_TEMPLATE_BYTES, only UTF-8. No Jinja2 here: a build
with nothing to render checks the templates folder without loading it."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from stationcast.errors import BuildError, byte_position
from stationcast.inputs import outside as inside_show  # (not via manifest: no pydantic)
from stationcast.sandbox.limits import MAX_TEMPLATE_BYTES, thousands

#: The shipped templates, each of which a show may override in its templates/ folder.
TEMPLATE_NAMES = ("base.html", "episode.html", "show.html", "style.css")


def read_template(path: Path, name: str) -> str:
    """A template file's text; BuildError naming the file when it is not a regular UTF-8
    file of at most MAX_TEMPLATE_BYTES (a FIFO is refused before it is opened, never read)."""
    shown = os.fspath(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise BuildError(f"{shown}: is a folder; expected the template file {name}")
        if not stat.S_ISREG(st.st_mode):
            raise BuildError(
                f"{shown}: is not a regular file (a FIFO, socket or device?);"
                f" expected the template file {name}"
            )
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat above
                raise BuildError(
                    f"{shown}: is not a regular file; expected the template file {name}"
                )
            with os.fdopen(fd, "rb", closefd=False) as stream:
                data = stream.read(MAX_TEMPLATE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise BuildError(f"{shown}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise BuildError(
            f"{shown}: is larger than {thousands(MAX_TEMPLATE_BYTES)} bytes, the most a template"
            " may have"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        raise BuildError(
            f"{shown}:{line}:{column}: is not valid UTF-8 (byte 0x{data[exc.start]:02x});"
            " save the template as UTF-8"
        ) from None


def check_templates_folder(folder: Path) -> Path | None:
    """The show folder of a `templates/` folder (`folder`, beside show.yaml); None when there
    is none. BuildError when it is not a folder or leads out of the show."""
    if not os.path.lexists(folder):
        return None
    root = folder.parent
    reason = inside_show(folder, root)
    if reason:
        raise BuildError(f"{os.fspath(folder)}: {reason}")
    if not folder.is_dir():
        raise BuildError(
            f"{os.fspath(folder)}: is not a folder; expected a folder of templates beside show.yaml"
            " (see docs/pages.md)"
        )
    return root


def scan_templates(folder: Path, names: Iterable[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """Every file in a show's `templates/` folder (`folder`), as (name, path), and warnings
    about top-level files whose names look like a misspelt template of `names`.

    BuildError naming the file for what the build must not read: the folder or a file in it
    leading out of the show, something other than a regular file or folder (a FIFO), a
    folder where a template of `names` belongs. Links to folders within the show are
    followed once each, so a loop of links ends.
    """
    if not os.path.lexists(folder):
        return [], []
    check_templates_folder(folder)  # the folder itself: inside the show, a folder
    root = folder.parent
    known = tuple(names)
    files: list[tuple[str, Path]] = []
    warnings: list[str] = []
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[Path, str]] = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        st = os.stat(directory)
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise BuildError(f"{os.fspath(directory)}: cannot be read ({exc.strerror})") from None
        for entry in entries:
            path = Path(entry.path)
            name = prefix + entry.name
            if entry.is_symlink():
                reason = inside_show(path, root)
                if reason:
                    raise BuildError(f"{entry.path}: {reason}")
            try:
                mode = os.stat(path).st_mode
            except OSError:
                files.append((name, path))  # a link to nothing: absent if a template asks for it
                continue
            if stat.S_ISDIR(mode):
                if name in known:
                    raise BuildError(
                        f"{entry.path}: is a folder; expected the template file {name}"
                    )
                pending.append((path, name + "/"))
            elif stat.S_ISREG(mode):
                files.append((name, path))
                if not prefix and name not in known:
                    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
                    if close:
                        warnings.append(
                            f"{entry.path}: no page uses a template of this name;"
                            f" did you mean {close[0]}? (the pages use {', '.join(known[:-1])}"
                            f" and {known[-1]}; any other file only when a template includes,"
                            " imports or extends it)"
                        )
            else:
                raise BuildError(
                    f"{entry.path}: is not a regular file (a FIFO, socket or device?);"
                    " expected a template file or folder"
                )
    files.sort()
    return files, warnings
