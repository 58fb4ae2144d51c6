"""Errors stationcast raises, and how their messages name files and the caller's options.

The command line (stationcast.cli.report) catches StationcastError and prints it without a
traceback. Library code does not know how its caller spells an option: a message that names
one holds it as an :class:`Option` inside a :class:`Message`, and whoever prints the message
spells it (the command line as its flag, `--allow-removal`; Python code reads the keyword
argument, `allow_removal`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    FAILURE = 1  # bad input, failed build, validation errors
    USAGE = 2  # bad command line (click's own UsageError uses 2 as well)


@dataclass(frozen=True)
class Option:
    """An option of the caller's that a message names: its keyword argument's name, and the
    value given when the message is about that value.

    Printed as is it reads as the keyword argument (`allow_removal`, `out=notes`); the command
    line spells it as its flag (`--allow-removal`, `--out notes`).
    """

    name: str
    value: str | None = None

    def __str__(self) -> str:
        return self.name if self.value is None else f"{self.name}={self.value}"


#: How a printer spells an option: `Option("out", "notes")` -> `--out notes`.
Spelling = Callable[[Option], str]


class Message(str):
    """Message text that names options of the caller.

    It is the text with each option as `str(option)`, so it can go wherever a message goes (a
    Problem's message, a warning, an error's argument); it keeps its parts, so that a printer
    can spell the options its own way with :meth:`spelled`.
    """

    parts: tuple[str | Option, ...]

    def __new__(cls, *parts: str | Option) -> Message:
        text = super().__new__(cls, "".join(str(part) for part in parts))
        text.parts = parts
        return text

    def spelled(self, spelling: Spelling) -> str:
        return "".join(p if isinstance(p, str) else spelling(p) for p in self.parts)


def spelled(text: str, spelling: Spelling) -> str:
    """`text` with the options it names spelled by `spelling` (plain text stays as it is)."""
    return text.spelled(spelling) if isinstance(text, Message) else str(text)


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of byte `offset` in `data`, as an editor counts them (the
    column in bytes: where a decoder stopped, the characters before it may not be known)."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it: relative to the working directory when it lies
    inside it, otherwise as given. Every message that names a file names it this way."""
    text = os.fspath(path)
    if ".." not in text:  # the common cases, without os.path.relpath
        if not os.path.isabs(text):
            return os.path.normpath(text)
        cwd = os.getcwd()
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if text.startswith(prefix):
            return os.path.normpath(text[len(prefix) :])
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    Rendered in GNU style (`file:line:col: field: message`) so editors can jump to it.
    """

    file: str
    line: int | None = None
    column: int | None = None
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def spelled(self, spelling: Spelling) -> Problem:
        """This problem with the options its message names spelled by `spelling`."""
        if not isinstance(self.message, Message):
            return self
        return replace(self, message=self.message.spelled(spelling))


class StationcastError(Exception):
    """Base class of every error stationcast reports to a user."""

    def spelled(self, spelling: Spelling) -> str:
        """The message, with the options it names spelled by `spelling` (see Message)."""
        if len(self.args) == 1 and isinstance(self.args[0], Message):
            return self.args[0].spelled(spelling)
        return str(self)


class InputError(StationcastError):
    """One or more problems in the user's files; nothing was written."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = sorted(set(problems), key=_problem_key)
        self.summary = summary
        super().__init__(self.render())

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem], str]]:
        # (to cross from a worker process: Exception pickles only its message)
        return (type(self), (self.problems, self.summary))

    def render(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def spelled(self, spelling: Spelling) -> str:
        return "\n".join(str(p.spelled(spelling)) for p in self.problems)


class ManifestError(InputError):
    """Problems in show.yaml or an episode.yaml."""


class AudioError(StationcastError):
    """An audio file cannot be used as an enclosure."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")

    def __reduce__(self) -> tuple[type[AudioError], tuple[str, str]]:
        return (type(self), (self.path, self.message))


class BuildError(StationcastError):
    """The build could not complete; the previous output is untouched."""


def _problem_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.file, p.line or 0, p.column or 0, p.field, p.message)


#: A build warning that only informs starts with this (it never fails `--strict`).
NOTE = "note: "


def is_note(warning: object) -> bool:
    """Whether a build warning is a note (text or Message: its text starts with NOTE)."""
    return str(warning).startswith(NOTE)
