"""The `stationcast` command line: parse options, call the library, print results and errors.

Diagnostics go to stderr, data to stdout. Exit status: 0 ok, 1 bad input or failed build,
2 bad command line. No traceback unless --traceback is given.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stationcast import __version__
from stationcast.errors import ExitStatus, InputError, StationcastError

if TYPE_CHECKING:
    from stationcast.build.output import LockHolder, Waiting

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

episodes_option = click.option(
    "--episodes",
    "episodes",
    type=click.Path(path_type=Path, file_okay=False),
    default="episodes",
    show_default=True,
    help="Folder holding show.yaml and one folder per episode.",
)
out_option = click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default="feeds",
    show_default=True,
    help="Folder the build writes (replaced as a whole, only when the build succeeds).",
)

lock_timeout_option = click.option(
    "--lock-timeout",
    "lock_timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="While another build of the same output runs, wait at most this long for it"
    " (0: fail at once). Default: wait until it ends.",
)


def lock_waiting(out: Path) -> Waiting:
    """What a build prints, once, when it has to wait for another build of `out`."""

    def waiting(holder: LockHolder) -> None:
        who = f" ({holder})" if str(holder) else ""
        click.echo(f"waiting for another build of {_shown(out)}{who}…", err=True)

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
    """Turn SIGTERM and SIGHUP into `Stopped` in the main thread while the block runs.

    The build then stops the way Ctrl-C stops it: its workers are killed, its staging folder
    is handled as for any failed build, its lock is released. A signal this process was
    started ignoring (`nohup`) stays ignored; a second signal during that cleanup is ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = [s for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) is signal.SIG_DFL]

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
    where = _shown(out)
    click.echo(f"error: stopped by {stopped.name}; {where} holds the last complete build", err=True)
    sys.stdout.flush()
    signal.signal(stopped.signum, signal.SIG_DFL)
    os.kill(os.getpid(), stopped.signum)
    sys.exit(128 + stopped.signum)  # not reached where the signal ends the process


# Commands that live in their own modules, imported only when used: `stationcast build`
# should not pay for loading the HTTP server or the S3 client.
_LAZY_COMMANDS = {
    "validate": "stationcast.validate.command:validate_command",
    "serve": "stationcast.serve:serve_command",
    "publish": "stationcast.publish.command:publish_command",
    "tag": "stationcast.tagging:tag_command",
    "import": "stationcast.importers.command:import_command",
}


class _Group(click.Group):
    """Turns our errors into one readable message and exit status 1; loads commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        from importlib import import_module

        module, _, attr = target.partition(":")
        command: click.Command = getattr(import_module(module), attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StationcastError as exc:
            if ctx.obj and ctx.obj.get("traceback"):
                raise
            report_error(exc)
            ctx.exit(ExitStatus.FAILURE)


def report_error(exc: StationcastError, *, out: Path | None = None) -> None:
    if isinstance(exc, InputError):
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        files = len({p.file for p in exc.problems})
        count = len(exc.problems)
        problems = f"{count} problem{'s' if count != 1 else ''}"
        summary = f"error: {problems} in {files} file{'s' if files != 1 else ''}"
        if out is not None:
            summary += f"; nothing was written to {_shown(out)}"
        click.echo(exc.summary or summary, err=True)
    else:
        click.echo(f"error: {exc}", err=True)


def _shown(path: Path) -> str:
    text = os.path.relpath(path) if not str(os.path.relpath(path)).startswith("..") else str(path)
    return text.rstrip("/") + "/"


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="stationcast")
@click.option(
    "--traceback", is_flag=True, hidden=False, help="Show Python tracebacks (for bug reports)."
)
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """Publish a radio station's segments as a podcast: feed, transcript pages, audio metadata."""
    ctx.obj = {"traceback": traceback}


@cli.command(context_settings=CONTEXT_SETTINGS)
@episodes_option
@out_option
@click.option(
    "--base-url", help="URL the output will be published at (overrides base_url in show.yaml)."
)
@click.option(
    "--state",
    "state",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="State file of the published feed (its .stationcast/state.json), checked besides"
    " OUT's own.",
)
@click.option(
    "--allow-removal", is_flag=True, help="Allow episodes that were published to leave the feed."
)
@click.option(
    "--allow-guid-change",
    is_flag=True,
    help="Allow published episodes' GUIDs and enclosure URLs (and the podcast:guid) to change.",
)
@click.option(
    "--cache",
    "cache",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Build cache file (default: .stationcast-cache/OUT.json beside OUT).",
)
@click.option(
    "--no-cache", is_flag=True, help="Render everything; neither read nor write the build cache."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes that render (default: one per core).",
)
@lock_timeout_option
@click.pass_context
def build(
    ctx: click.Context,
    episodes: Path,
    out: Path,
    base_url: str | None,
    state: Path | None,
    allow_removal: bool,
    allow_guid_change: bool,
    cache: Path | None,
    no_cache: bool,
    jobs: int | None,
    lock_timeout: float | None,
) -> None:
    """Build the feed, transcript pages and transcript files from EPISODES into OUT.

    Only episodes whose files changed since the last build are rendered again.
    """
    from stationcast.build import build_show

    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if total < 200 or not sys.stderr.isatty():
                return
            bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        with stopped_by_signals():
            result = build_show(
                episodes,
                out,
                base_url=base_url,
                state=state,
                allow_removal=allow_removal,
                allow_guid_change=allow_guid_change,
                cache=False if no_cache else (cache or True),
                jobs=jobs,
                progress=progress,
                lock_timeout=lock_timeout,
                waiting=lock_waiting(out),
            )
    except Stopped as stopped:
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        end_by_signal(stopped, out)
        raise  # pragma: no cover - end_by_signal does not return
    except InputError as exc:
        if ctx.obj.get("traceback"):
            raise
        report_error(exc, out=out)
        ctx.exit(ExitStatus.FAILURE)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    count = result.episodes
    click.echo(
        f"Built {count} episode{'s' if count != 1 else ''} into {_shown(out)}"
        f" in {result.seconds:.2f} s"
        f" ({result.built} rendered, {result.reused} reused);"
        f" feed: {_shown(out)}feed.xml".replace("/feed.xml/", "/feed.xml")
    )


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("title")
@episodes_option
@click.option("--slug", help="Folder name and URL part (default: made from the title).")
@click.option("--date", "published", help="Publication date-time with UTC offset (default: now).")
def new(title: str, episodes: Path, slug: str | None, published: str | None) -> None:
    """Create an episode folder with a manifest and a fresh, permanent GUID."""
    from stationcast.manifest import check_slug
    from stationcast.models import _parse_datetime
    from stationcast.scaffold import new_episode

    # Bad option values are command-line mistakes (exit 2), checked before touching anything.
    if slug is not None and (reason := check_slug(slug)):
        raise click.BadParameter(f"{slug!r} {reason}", param_hint="--slug")
    if published is not None:
        try:
            _parse_datetime(published)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--date") from None
    path = new_episode(episodes, title, slug=slug, published=published)
    click.echo(
        f"Created {_shown(path.parent)}episode.yaml".replace("/episode.yaml/", "/episode.yaml")
    )
    click.echo(
        "Next: put the audio and transcript in that folder, fill in the summary and credits,"
        " set draft: false, then run `stationcast build`.",
        err=True,
    )


def main() -> None:
    cli(prog_name="stationcast")


if __name__ == "__main__":  # pragma: no cover
    main()
