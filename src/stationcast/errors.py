"""Errors stationcast raises. The CLI catches StationcastError and prints it without a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    FAILURE = 1  # bad input, failed build, validation errors
    USAGE = 2  # bad command line (click's own UsageError uses 2 as well)


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


class StationcastError(Exception):
    """Base class of every error stationcast reports to a user."""


class InputError(StationcastError):
    """One or more problems in the user's files; nothing was written."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = sorted(set(problems), key=_problem_key)
        self.summary = summary
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ManifestError(InputError):
    """Problems in show.yaml or an episode.yaml."""


class AudioError(StationcastError):
    """An audio file cannot be used as an enclosure."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class BuildError(StationcastError):
    """The build could not complete; the previous output is untouched."""


def _problem_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.file, p.line or 0, p.column or 0, p.field, p.message)
