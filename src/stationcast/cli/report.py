"""How every command reports: its help settings, and the one error reporter.

A command's callback does not catch stationcast's errors: :class:`Command` (the class of every
command) catches StationcastError and prints it, phrased for the command line, on stderr with
exit status 1; with `stationcast --traceback` it lets the error through instead, traceback
and all. Library messages name the caller's options as :class:`~stationcast.errors.Option`
values; :func:`flag` spells each one as the running command's own flag.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import click

from stationcast.errors import (
    ExitStatus,
    InputError,
    Option,
    StationcastError,
    display_path,
    is_note,
    spelled,
)

#: Every command's help: -h as well as --help, wrapped at up to 100 columns.
CONTEXT_SETTINGS: Mapping[str, Any] = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
}


#: The exit status of a command stopped by Ctrl-C: 128 + SIGINT, as a shell reports it.
INTERRUPTED = 130


#: ctx.meta keys: how much to say (-1 quiet, 0 normal, 1+ verbose) and whether to colour.
VERBOSITY = "stationcast.verbosity"
COLOR = "stationcast.color"
#: The options every command takes, handled here rather than by each command's callback.
SHARED_OPTIONS = ("quiet", "verbose", "color")


def _manners() -> list[click.Parameter]:
    return [
        click.Option(
            ["-q", "--quiet"], is_flag=True, help="Print errors only (and the data asked for)."
        ),
        click.Option(
            ["-v", "--verbose"], count=True, help="Say more: each step of a build, with times."
        ),
        click.Option(
            ["--color/--no-color"],
            "color",
            default=None,
            help="Colour errors and warnings (default: on a terminal, unless NO_COLOR is set).",
        ),
    ]


class Command(click.Command):
    """A stationcast command: the shared help settings, the options every command takes
    (-q, -v, --color/--no-color), and stationcast's errors reported by :func:`fail` (one
    message, exit status 1) rather than as tracebacks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["context_settings"] = {**CONTEXT_SETTINGS, **(kwargs.get("context_settings") or {})}
        super().__init__(*args, **kwargs)
        self.params.extend(_manners())

    def invoke(self, ctx: click.Context) -> Any:
        quiet, verbose, color = (ctx.params.pop(name, None) for name in SHARED_OPTIONS)
        ctx.meta[VERBOSITY] = -1 if quiet else int(verbose or 0)
        no_color = bool(os.environ.get("NO_COLOR"))  # https://no-color.org/: set and not empty
        ctx.meta[COLOR] = color if color is not None else (False if no_color else None)
        try:
            return super().invoke(ctx)
        except StationcastError as exc:
            fail(ctx, exc)
        except KeyboardInterrupt:  # Ctrl-C: one line, and the status shells expect (128 + 2)
            if wants_traceback(ctx):
                raise
            echo("\nerror: interrupted", err=True)
            ctx.exit(INTERRUPTED)


class Group(click.Group):
    """A group of stationcast commands (`stationcast import ...`): the same help settings, and
    every command made with its `.command()` decorator is a :class:`Command`."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["context_settings"] = {**CONTEXT_SETTINGS, **(kwargs.get("context_settings") or {})}
        super().__init__(*args, **kwargs)


_KINDS = {"error:": ("red", True), "warning:": ("yellow", True), "note:": ("cyan", False)}


def echo(
    message: str = "",
    *,
    err: bool = False,
    nl: bool = True,
    verbose: bool = False,
    always: bool = False,
) -> None:
    """Print a message the way every command does: errors always; warnings, notes and other
    messages unless -q; `verbose` ones only with -v. The `error:`, `warning:` or `note:` a
    message starts with is coloured (on a terminal, or with --color; never with NO_COLOR).
    `always`: part of an error's report, printed even with -q."""
    ctx = click.get_current_context(silent=True)
    level = ctx.meta.get(VERBOSITY, 0) if ctx is not None else 0
    color = ctx.meta.get(COLOR) if ctx is not None else None
    text = str(message)
    lead = text.lstrip("\n")
    kind = next((k for k in _KINDS if lead.startswith(k)), "")
    if (level < 0 and kind != "error:" and not always) or (verbose and level < 1):
        return
    if kind:
        fg, bold = _KINDS[kind]
        at = len(text) - len(lead)
        text = text[:at] + click.style(kind, fg=fg, bold=bold) + text[at + len(kind) :]
    click.echo(text, err=err, nl=nl, color=color)


def build_warnings(warnings: Sequence[str], command: click.Command | None) -> None:
    """Print a build's warnings (a note says so itself)."""
    for warning in warnings:
        echo(f"{'' if is_note(warning) else 'warning: '}{phrase(warning, command)}", err=True)


def wants_color(ctx: click.Context | None = None) -> bool | None:
    """--color (True), --no-color or NO_COLOR (False), else None: colour on a terminal."""
    ctx = ctx or click.get_current_context(silent=True)
    return ctx.meta.get(COLOR) if ctx is not None else None


def wants_traceback(ctx: click.Context) -> bool:
    """Whether `stationcast --traceback` was given (False for a command run on its own)."""
    return bool(ctx.find_root().params.get("traceback"))


def fail(ctx: click.Context, exc: StationcastError, *, kept: Path | None = None) -> NoReturn:
    """Report `exc` and exit with status 1 (or raise it again, with --traceback).

    `kept`: the output folder a failed run leaves as it was, named after a list of problems.
    """
    if wants_traceback(ctx):
        raise exc
    report(exc, ctx.command, kept=kept)
    ctx.exit(ExitStatus.FAILURE)


def report(exc: StationcastError, command: click.Command, *, kept: Path | None = None) -> None:
    """Print `exc` on stderr: each problem of an InputError on its own line, then a summary;
    any other error as one `error: ...` line."""
    if isinstance(exc, InputError):
        spelling = partial(flag, command=command)
        for problem in exc.problems:
            click.echo(str(problem.spelled(spelling)), err=True, color=wants_color())
        files = len({p.file for p in exc.problems})
        count = len(exc.problems)
        problems = f"{count} problem{'s' if count != 1 else ''}"
        summary = f"error: {problems} in {files} file{'s' if files != 1 else ''}"
        if kept is not None:
            summary += f"; nothing was written to {folder(kept)}"
        echo(exc.summary or summary, err=True, always=True)
    else:
        echo(f"error: {describe(exc, command)}", err=True)


def describe(exc: StationcastError, command: click.Command | None) -> str:
    """The text of `exc` (an InputError's problems, one a line), options spelled as flags."""
    return exc.spelled(partial(flag, command=command))


def phrase(text: str, command: click.Command | None) -> str:
    """A library message (a warning, say) with the options it names spelled as flags."""
    return spelled(text, partial(flag, command=command))


def flag(option: Option, command: click.Command | None = None) -> str:
    """How the command line spells `option`: the long flag `command` declares for that
    parameter (publish's `dest` is `--to`), else the name with dashes (`allow_removal` is
    `--allow-removal`); then the value given, if the message is about it (`--out notes`)."""
    declared = (
        opt
        for param in (command.params if command is not None else ())
        if isinstance(param, click.Option) and param.name == option.name
        for opt in param.opts
        if opt.startswith("--")
    )
    text = next(declared, "--" + option.name.replace("_", "-"))
    return text if option.value is None else f"{text} {option.value}"


def folder(path: Path) -> str:
    """A folder as the user would type it, with a trailing slash: `feeds/`."""
    return display_path(path).rstrip("/") + "/"
