"""`stationcast import page|feed`: click commands only; the work is in page.py and feed.py."""

from __future__ import annotations

import os
from pathlib import Path

import click

from stationcast.importers.page import ImportReport
from stationcast.importers.source import TIMEOUT

MAX_LISTED = 100  # lines of notes and TODOs printed; a 3,000-item feed can have one per item
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

_episodes_option = click.option(
    "--episodes",
    "episodes",
    type=click.Path(path_type=Path, file_okay=False),
    default="episodes",
    show_default=True,
    help="Folder holding show.yaml and one folder per episode.",
)
_allow_private_option = click.option(
    "--allow-private",
    is_flag=True,
    help="Allow the URL's own host to be a private, loopback or link-local address (a server "
    "on your own network). Redirects to other private hosts are still refused.",
)
_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=TIMEOUT,
    show_default=True,
    help="Seconds allowed for fetching a URL, in all (redirects included).",
)


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _print_report(report: ImportReport, what: str) -> None:
    for path in report.written:
        if path.name == "show.yaml" or (path.name == "episode.yaml" and not what):
            click.echo(f"Wrote {_shown(path)}")
    if what:
        click.echo(what)
    for line in report.differences:
        click.echo(f"differs: {line}", err=True)
    for line in report.notes[:MAX_LISTED]:
        click.echo(f"note: {line}", err=True)
    if len(report.notes) > MAX_LISTED:
        click.echo(
            f"note: ... and {len(report.notes) - MAX_LISTED} more notes like these", err=True
        )
    if report.todos:
        click.echo(
            f"{len(report.todos)} field{'s' if len(report.todos) != 1 else ''} to fill in "
            "(marked TODO(import)):",
            err=True,
        )
        for line in report.todos[:MAX_LISTED]:
            click.echo(f"  {line}", err=True)
        if len(report.todos) > MAX_LISTED:
            click.echo(
                f"  ... and {len(report.todos) - MAX_LISTED} more; list them all with: "
                f"grep -rn 'TODO(import)' {_shown(report.root)}",
                err=True,
            )


@click.group("import", context_settings=CONTEXT_SETTINGS)
def import_command() -> None:
    """Bring existing material in: a station's story page, or a whole podcast feed."""


@import_command.command("page", context_settings=CONTEXT_SETTINGS)
@click.argument("file_or_url")
@_episodes_option
@click.option(
    "--slug", help="Folder name and URL part of the new episode (default: made from the title)."
)
@_allow_private_option
@_timeout_option
def page_command(
    file_or_url: str, episodes: Path, slug: str | None, allow_private: bool, timeout: float
) -> None:
    """Create an episode from a story page: saved text or HTML, from a file or an http(s) URL.

    Writes EPISODES/<slug>/episode.yaml (a draft) and transcript.txt; starts show.yaml from
    the station details on the page when there is none, otherwise reports where they differ.
    Whatever the page does not say is marked TODO(import) and listed.
    """
    from stationcast.importers.page import import_page

    report = import_page(
        file_or_url, episodes, slug=slug, allow_private=allow_private, timeout=timeout
    )
    _print_report(report, "")
    click.echo(
        "Next: fill in the TODO(import) fields, delete `draft: true`, "
        "then run `stationcast build`.",
        err=True,
    )


@import_command.command("feed", context_settings=CONTEXT_SETTINGS)
@click.argument("file_or_url")
@_episodes_option
@_allow_private_option
@_timeout_option
def feed_command(file_or_url: str, episodes: Path, allow_private: bool, timeout: float) -> None:
    """Migrate a podcast from its RSS feed (a file or an http(s) URL) into EPISODES.

    Writes show.yaml from the channel (unless there is one) and one folder per item, keeping
    each item's guid, date and enclosure (as remote media). Items already imported (same
    guid) are skipped, so the command can be run again after the old feed gains episodes.
    """
    from stationcast.importers.feed import import_feed

    report = import_feed(file_or_url, episodes, allow_private=allow_private, timeout=timeout)
    _print_report(report, report.summary)
