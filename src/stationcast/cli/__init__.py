"""The `stationcast` command line: parse options, call the library, print results and errors.

All click code lives in this package; the libraries it calls (build, validate, serve, publish,
tagging, importers) do not import click. One module per command, each loaded only when that
command runs (`stationcast build` does not pay for the HTTP server or the S3 client):

- `COMMANDS` below: the command's name -> where its click command is;
- `report`: the classes every command is made with (help settings, the one error reporter,
  flags spelled from the options library messages name), `options`: options several commands
  share, `process`: signals and lock messages of the commands that build.

A new command is a module here holding one `@click.command(NAME, cls=Command)` (options ->
one library call -> print; stationcast's errors are left to the reporter) and one row in
`COMMANDS`; its library code raises StationcastError and names options as `Option` values.

Diagnostics go to stderr, data to stdout. Exit status: 0 ok, 1 bad input or failed build,
2 bad command line. No traceback unless --traceback is given.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module

import click

from stationcast.cli.report import Group, echo

#: Every command: its name -> "module:attribute" of its click command, imported when used.
COMMANDS = {
    "init": "stationcast.cli.init:init_command",
    "build": "stationcast.cli.build:build_command",
    "new": "stationcast.cli.new:new_command",
    "validate": "stationcast.cli.validate:validate_command",
    "serve": "stationcast.cli.serve:serve_command",
    "publish": "stationcast.cli.publish:publish_command",
    "tag": "stationcast.cli.tag:tag_command",
    "align": "stationcast.cli.align:align_command",
    "import": "stationcast.cli.import_:import_command",
    "schema": "stationcast.cli.schema:schema_command",
}


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands by name, each imported the first time it is looked up; so click's
    own listing, lookup and "Did you mean" suggestions see every command without loading any."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = dict(targets)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attr = self._targets[name].partition(":")
            self._loaded[name] = getattr(import_module(module), attr)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._targets.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._targets[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version (the version is looked up only here, not on every start)."""
    if not value or ctx.resilient_parsing:
        return
    from stationcast import __version__

    click.echo(f"stationcast, version {__version__}")
    ctx.exit()


@click.group(cls=Group, commands=_Commands(COMMANDS))
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option("--traceback", is_flag=True, help="Show Python tracebacks (for bug reports).")
def cli(traceback: bool) -> None:
    """Publish a radio station's segments as a podcast: feed, transcript pages, audio metadata."""
    # --traceback is read where errors are reported (stationcast.cli.report.wants_traceback).
    if sys.platform == "win32":
        echo(UNSUPPORTED, err=True)
        raise SystemExit(1)


#: Why no command runs on Windows: the build's lock (POSIX record locks, released by the kernel
#: when a build dies) and the swap of the output folder use POSIX calls (stationcast.build.output).
UNSUPPORTED = (
    "error: stationcast runs on Linux and macOS, not on Windows: the build's lock and its"
    " swap of the output folder need POSIX; run it under WSL"
)


def main() -> None:
    cli(prog_name="stationcast")


if __name__ == "__main__":  # pragma: no cover
    main()
