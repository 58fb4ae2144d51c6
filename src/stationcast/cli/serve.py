"""`stationcast serve`: options -> stationcast.serve (server, rebuilder) -> the preview's URL."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Any

import click

from stationcast.cli.options import (
    base_url_option,
    episodes_option,
    lock_timeout_option,
    out_option,
)
from stationcast.cli.process import lock_waiting
from stationcast.cli.report import Command, build_warnings, describe, echo
from stationcast.errors import ExitStatus, StationcastError
from stationcast.serve import (
    DEFAULT_PREVIEW_DIR,
    HTTP_PREVIEW_NOTE,
    PreviewServer,
    Rebuilder,
    preview_url,
    watched_paths,
)


@click.command("serve", cls=Command)
@episodes_option(
    "The show's source folder (show.yaml and one folder per episode), or a station folder"
    " (station.yaml and one folder per show)."
)
@out_option(
    f"Preview folder to build into and serve [default: {DEFAULT_PREVIEW_DIR}]. "
    "Never your published output: its URLs point at this server.",
    default=None,
    show_default=False,
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@base_url_option(
    "URL other devices use to reach this server (e.g. http://192.168.1.20:8000/), "
    "written into the preview feed and pages. Default: http://HOST:PORT/."
)
@click.option("--no-watch", is_flag=True, help="Build once; do not rebuild on changes.")
@lock_timeout_option()
@click.pass_context
def serve_command(
    ctx: click.Context,
    episodes: Path,
    out: Path | None,
    host: str,
    port: int,
    base_url: str | None,
    no_watch: bool,
    lock_timeout: float | None,
) -> None:
    """Build a local preview of the show and serve it over HTTP.

    The feed and pages of the preview point at this server, so you can subscribe to the
    printed feed URL from a podcast app or open the pages in a browser. Your output folder
    (feeds/) is not touched. Edits to manifests, transcripts, audio and templates rebuild the
    preview; if a rebuild fails the error is printed and the previous preview stays up.

    A station folder is previewed whole: the station page at the server's root and each
    show under /<show>/, as `stationcast build` lays them out.
    """
    from stationcast.build import build_show  # the build pipeline; imported when needed
    from stationcast.cli.build import station_folder

    out = out if out is not None else DEFAULT_PREVIEW_DIR
    if out.resolve() == Path("feeds").resolve():
        raise click.UsageError(
            "--out feeds would write local URLs into the folder you publish; "
            "leave --out out to use .stationcast-cache/preview"
        )
    default_port = ctx.get_parameter_source("port") is click.core.ParameterSource.DEFAULT
    try:
        server = PreviewServer(out, host=host, port=port)
    except OSError as exc:
        if not (exc.errno == errno.EADDRINUSE and default_port):
            busy = "; another program uses it: pass --port 0 to pick a free port, or another"
            hint = busy + " --port" if exc.errno == errno.EADDRINUSE else ""
            raise StationcastError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}"
            ) from exc
        try:  # the default port is taken: any free port will do, as the note says
            server = PreviewServer(out, host=host, port=0)
        except OSError as again:
            raise StationcastError(f"cannot listen on {host}: {again.strerror or again}") from again
        echo(f"note: port {port} is in use; serving on port {server.port} instead", err=True)
    url = preview_url(server, base_url)
    station = station_folder(ctx, episodes)
    if station is not None:
        episodes = station

    def build() -> object:
        # A preview is not a publication: removing or renaming an episode while previewing
        # must not be refused by the published-episode checks (the real build still is).
        options: dict[str, Any] = dict(
            base_url=url,
            allow_removal=True,
            allow_guid_change=True,
            lock_timeout=lock_timeout,
            waiting=lock_waiting(out),
        )
        if station is None:
            results = [build_show(episodes, out, **options)]
        else:
            from stationcast.station.build import build_station

            whole = build_station(station, out, **options)
            results = [s.result for s in whole.shows if s.result is not None]
        with ctx.scope(cleanup=False):  # rebuilds run in the watcher's thread: -q, --color hold
            for result in results:  # as `stationcast build` prints them
                build_warnings(result.warnings, ctx.command)
        if station is not None and whole.failed:  # the others are served; one error reported
            error = whole.failed[0].error
            assert error is not None
            raise error
        return results

    rebuilder = Rebuilder(
        build,
        watched_paths(episodes),
        ignore=[out],
        report=lambda message, is_error: echo(message, err=is_error),
        describe=lambda exc: describe(exc, ctx.command),
    )
    ok = rebuilder.rebuild(first=True, after="nothing to serve" if no_watch else None)
    if not ok and no_watch:
        server.stop()
        ctx.exit(ExitStatus.FAILURE)
    out.mkdir(parents=True, exist_ok=True)
    echo(f"Serving {out} at {url}")
    if station is None:
        echo(f"Subscribe to: {url}feed.xml")
    else:
        from stationcast.station import show_folders

        echo(f"Station page: {url}index.html")
        for folder in show_folders(station):
            echo(f"Subscribe to {folder.name}: {url}{folder.name}/feed.xml")
    if not url.startswith("https://"):
        echo(HTTP_PREVIEW_NOTE, err=True)
    if base_url is None and host in ("0.0.0.0", "::", ""):
        echo(
            f"note: other devices may not resolve {socket.gethostname()!r}; pass "
            f"--base-url http://<this machine's LAN address>:{server.port}/ if they cannot",
            err=True,
        )
    if not no_watch:
        echo(f"Watching {episodes} for changes. Press Ctrl-C to stop.")
        rebuilder.start()
    try:
        server.run()
    finally:
        rebuilder.stop()
