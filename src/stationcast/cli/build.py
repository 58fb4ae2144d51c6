"""`stationcast build`: options -> stationcast.build.build_show -> a progress bar and a summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import click

from stationcast.cli.options import (
    base_url_option,
    episodes_option,
    lock_timeout_option,
    out_option,
    state_option,
)
from stationcast.cli.process import Stopped, end_by_signal, lock_waiting, stopped_by_signals
from stationcast.cli.report import VERBOSITY, Command, build_warnings, echo, fail, folder
from stationcast.errors import InputError, is_note


@click.command("build", cls=Command)
@episodes_option()
@out_option("Folder the build writes (replaced as a whole, only when the build succeeds).")
@base_url_option("URL the output will be published at (overrides base_url in show.yaml).")
@state_option(
    "State file of the published feed (its .stationcast/state.json), checked besides OUT's own."
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
@click.option(
    "--now",
    "now",
    metavar="ISO",
    help="The build's clock, a date-time with UTC offset (default: SOURCE_DATE_EPOCH, else the"
    " wall clock): which episodes are due, and what dates are compared with.",
)
@click.option(
    "--max-expire",
    "max_expire",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Most published episodes whose rights window ended that may leave the feed in one"
    " build; more stop the build.",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: the build fails, OUT stays as it was."
)
@click.option(
    "--show",
    "shows",
    multiple=True,
    metavar="NAME",
    help="In a station folder: build only this show (its folder's name); repeatable.",
)
@click.option(
    "--station-only",
    is_flag=True,
    help="In a station folder: build no show, only the station's page, OPML and publisher feed"
    " from the shows' outputs in OUT (built by separate jobs).",
)
@lock_timeout_option()
@click.pass_context
def build_command(
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
    now: str | None,
    max_expire: int,
    strict: bool,
    shows: tuple[str, ...],
    station_only: bool,
    lock_timeout: float | None,
) -> None:
    """Build the feed, transcript pages and transcript files from EPISODES into OUT.

    Only episodes whose files changed since the last build are rendered again. EPISODES
    may be a station folder (station.yaml, one sub-folder per show): every show is built
    into OUT/<show>/, and the station's page and OPML into OUT.
    """

    station = station_folder(ctx, episodes)
    if station is not None or shows or station_only:
        if station is None:
            raise click.UsageError(
                f"--show and --station-only are for a station folder, and {folder(episodes)}"
                " has no station.yaml"
            )
        _build_station(
            ctx,
            station,
            out,
            shows=shows,
            station_only=station_only,
            options=dict(
                allow_removal=allow_removal,
                allow_guid_change=allow_guid_change,
                now=now,
                max_expire=max_expire,
                strict=strict,
                lock_timeout=lock_timeout,
            ),
            cache=not no_cache,
            jobs=jobs,
            refused={"--base-url": base_url, "--state": state, "--cache": cache},
        )
        return
    from stationcast.build import build_show  # the pipeline: loaded to build, not for -h

    bar: Any = None
    level = ctx.meta.get(VERBOSITY, 0)
    # On a terminal, the step running is shown on one line that the next replaces (and the
    # progress bar, for many episodes), cleared before the summary; -v prints each instead.
    status = level == 0 and sys.stderr.isatty()
    shown = False

    def progress(done: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None:
            if total < 200 or level < 0 or not sys.stderr.isatty():
                return
            clear()
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    def clear() -> None:
        nonlocal shown
        if shown:
            click.echo("\r\x1b[K", nl=False, err=True)
            shown = False

    begun = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal bar, shown
        if bar is not None:  # rendering is over: the bar has said all it will
            bar.__exit__(None, None, None)
            bar = None
        echo(f"{name}… ({time.perf_counter() - begun:.2f} s)", err=True, verbose=True)
        if status:
            click.echo(f"\r{name}…\x1b[K", nl=False, err=True)
            shown = True

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
                now=now,
                max_expire=max_expire,
                phase=phase,
                strict=strict,
            )
    except Stopped as stopped:
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        clear()
        end_by_signal(stopped, out)
        raise  # pragma: no cover - end_by_signal does not return
    except InputError as exc:
        clear()
        fail(ctx, exc, kept=out)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        clear()
    _summary(ctx, result, out)


def _summary(ctx: click.Context, result: Any, out: Path, prefix: str = "") -> None:
    """The build's summary line, its warnings, and what expired or waits."""
    notes = sum(map(is_note, result.warnings))
    count = result.episodes
    warned = len(result.warnings) - notes
    counts = [
        f"{warned} warning{'s' if warned != 1 else ''}" if warned else "",
        f"{notes} note{'s' if notes != 1 else ''}" if notes else "",
        f"{result.drafts} draft{'s' if result.drafts != 1 else ''} skipped"
        if result.drafts
        else "",
        f"{len(result.scheduled)} scheduled" if result.scheduled else "",
    ]
    extra = "".join(f", {c}" for c in counts if c)
    echo(
        f"{prefix}Built {count} episode{'s' if count != 1 else ''} into {folder(out)}"
        f" in {result.seconds:.2f} s"
        f" ({result.built} rendered, {result.reused} reused{extra});"
        f" feed: {folder(out)}feed.xml".replace("/feed.xml/", "/feed.xml")
    )
    if result.warnings:  # after the summary, grouped by the file they are about
        from stationcast.build.pipeline import sort_warnings

        build_warnings(sort_warnings(result.warnings), ctx.command)
        if warned:
            echo(
                f"{warned} warning{'s' if warned != 1 else ''} (--strict makes them errors)",
                err=True,
            )
    if result.expired and result.now is not None:
        _say_expired(result.expired, result.now, result.zone)
    if result.scheduled and result.now is not None:
        _say_scheduled(result.scheduled, result.now, result.zone)


def _say_expired(expired: Sequence[tuple[str, datetime]], now: datetime, zone: str | None) -> None:
    """`expired: <slug> left the feed (its rights window ended Tue 1 Dec 07:00 EST)`."""
    from stationcast.build.schedule import say_when

    tz = _zone(zone)
    for slug, when in expired:
        click.echo(
            f"expired: {slug} left the feed (its rights window ended {say_when(when, tz, now)});"
            " publish deletes its files"
        )


def _zone(zone: str | None) -> tzinfo | None:
    from stationcast.models.values import zone_of

    try:
        return zone_of(zone) if zone else None
    except ValueError:  # (a damaged cache's zone: say the times in UTC)
        return None


def _say_scheduled(
    scheduled: Sequence[tuple[str, datetime]], now: datetime, zone: str | None
) -> None:
    """`scheduled: <slug> goes live Tue 3 Dec 07:00 EST (in 9 h)`, soonest first, then when
    the next build has something to publish."""
    from stationcast.build.schedule import say_until, say_when

    tz = _zone(zone)
    for slug, due in scheduled:
        click.echo(f"scheduled: {slug} goes live {say_when(due, tz, now)} ({say_until(due, now)})")
    due = scheduled[0][1]
    click.echo(
        f"Next episode due {say_when(due, tz, now)} ({say_until(due, now)}): a build from then"
        " on publishes it."
    )


def station_folder(ctx: click.Context, episodes: Path) -> Path | None:
    """The station folder to build: EPISODES when it has station.yaml; or, when EPISODES was
    not given and there is no episodes/ here, this folder if it has one."""
    from stationcast.station import is_station

    if is_station(episodes):
        return episodes
    given = ctx.get_parameter_source("episodes") is not click.core.ParameterSource.DEFAULT
    if not given and not episodes.exists() and is_station(Path(".")):
        return Path(".")
    return None


def _build_station(
    ctx: click.Context,
    station: Path,
    out: Path,
    *,
    shows: Sequence[str],
    station_only: bool,
    options: dict[str, Any],
    cache: bool,
    jobs: int | None,
    refused: dict[str, object],
) -> None:
    """Every show of the station (or those named), a summary per show as each ends, then the
    station's own files; exit status 1 when a show failed (the others are built)."""
    from stationcast.cli.report import report
    from stationcast.station.build import ShowOutcome, build_station

    for name, value in refused.items():
        if value is not None:
            raise click.UsageError(
                f"{name} is a single show's; in a station folder each show has its own"
                " (base_url in station.yaml or show.yaml, the cache beside each show's output)"
            )

    def ended(outcome: ShowOutcome) -> None:
        if outcome.error is not None:
            echo(f"{outcome.name}: not built; its previous output is kept", err=True)
            report(outcome.error, ctx.command, kept=outcome.out)
        else:
            _summary(ctx, outcome.result, outcome.out, prefix=f"{outcome.name}: ")

    try:
        with stopped_by_signals():
            result = build_station(
                station,
                out,
                shows=shows,
                jobs=jobs,
                cache=cache,
                report=ended,
                station_only=station_only,
                **options,
            )
    except Stopped as stopped:
        end_by_signal(stopped, out)
        raise  # pragma: no cover - end_by_signal does not return
    except InputError as exc:
        fail(ctx, exc, kept=out)
    written = f"; wrote {', '.join(result.written)}" if result.written else ""
    if station_only:
        echo(
            f"Station: the station's files from the shows' outputs in {folder(out)}"
            f"{written or ' (unchanged)'}; station page: {folder(out)}index.html"
        )
        return
    built = len(result.shows) - len(result.failed)
    echo(
        f"Station: {built} of {len(result.shows)} show{'s' if len(result.shows) != 1 else ''}"
        f" built into {folder(out)}{written}; station page: {folder(out)}index.html"
    )
    if result.failed:
        names = ", ".join(o.name for o in result.failed)
        echo(f"error: {len(result.failed)} show(s) not built: {names}", err=True, always=True)
        ctx.exit(1)
