"""`stationcast import page|feed`: options -> stationcast.importers -> what was written."""

from __future__ import annotations

import json
from pathlib import Path

import click

from stationcast.cli.options import (
    allow_private_option,
    episodes_option,
    slug_option,
    timeout_option,
)
from stationcast.cli.report import Group, echo
from stationcast.errors import display_path
from stationcast.importers import FeedReport, ImportReport
from stationcast.importers.source import TIMEOUT

MAX_LISTED = 100  # lines of notes and TODOs printed; a 3,000-item feed can have one per item

_ALLOW_PRIVATE_HELP = (
    "Allow the URL's own host to be a private, loopback or link-local address (a server "
    "on your own network). Redirects to other private hosts are still refused."
)
_TIMEOUT_HELP = "Seconds allowed for fetching a URL, in all (redirects included)."


def _print_report(report: ImportReport, what: str, before: list[str] | None = None) -> None:
    for path in report.written:
        if path.name == "show.yaml" or (path.name == "episode.yaml" and not what):
            echo(f"Wrote {display_path(path)}")
    for line in before or ():
        echo(line)
    if what:
        echo(what)
    for line in report.differences:
        echo(f"differs: {line}", err=True)
    for line in report.notes[:MAX_LISTED]:
        echo(f"note: {line}", err=True)
    if len(report.notes) > MAX_LISTED:
        echo(f"note: ... and {len(report.notes) - MAX_LISTED} more notes like these", err=True)
    if report.todos:
        echo(
            f"{len(report.todos)} field{'s' if len(report.todos) != 1 else ''} to fill in "
            "(marked TODO(import)):",
            err=True,
        )
        for line in report.todos[:MAX_LISTED]:
            echo(f"  {line}", err=True)
        if len(report.todos) > MAX_LISTED:
            echo(
                f"  ... and {len(report.todos) - MAX_LISTED} more; list them all with: "
                f"grep -rn 'TODO(import)' {display_path(report.root)}",
                err=True,
            )


@click.group("import", cls=Group)
def import_command() -> None:
    """Bring existing material in: a station's story page, or a whole podcast feed."""


@import_command.command("page")
@click.argument("file_or_url")
@episodes_option()
@slug_option("Folder name and URL part of the new episode (default: made from the title).")
@allow_private_option(_ALLOW_PRIVATE_HELP)
@timeout_option(_TIMEOUT_HELP, TIMEOUT)
def page_command(
    file_or_url: str, episodes: Path, slug: str | None, allow_private: bool, timeout: float
) -> None:
    """Create an episode from a story page: saved text or HTML, from a file or an http(s) URL.

    Writes EPISODES/<slug>/episode.yaml (a draft) and transcript.txt; starts show.yaml from
    the station details on the page when there is none, otherwise reports where they differ.
    Whatever the page does not say is marked TODO(import) and listed.
    """
    from stationcast.importers import import_page

    report = import_page(
        file_or_url, episodes, slug=slug, allow_private=allow_private, timeout=timeout
    )
    _print_report(report, "")
    echo(
        "Next: fill in the TODO(import) fields, delete `draft: true`, "
        "then run `stationcast build`.",
        err=True,
    )


def _round_trip(report: FeedReport) -> list[str]:
    """What came over and what did not, at a glance: the lines above the summary."""
    counts = report.round_trip()
    lines = [
        f"Round trip: {counts['items']} item{'s' if counts['items'] != 1 else ''} read"
        f" ({counts['pages']} page{'s' if counts['pages'] != 1 else ''}):"
        f" {counts['imported']} imported, {counts['drafted']} of them drafts;"
        f" {counts['already_imported']} already there; {counts['not_imported']} not imported"
    ]
    if counts["unknown_lengths"]:
        unknown = counts["unknown_lengths"]
        lines.append(
            f"Enclosure size unknown (length 0, kept as the old feed had it): {unknown}"
            f" episode{'s' if unknown != 1 else ''}; the build warns about each"
            " (rss.enclosure.length-zero)"
        )
    dropped = counts["not_carried_over"]
    if not dropped:
        return [*lines, "Not carried over: nothing"]
    lines.append("Not carried over (each listed where it was, in show.yaml or episode.yaml):")
    width = max(len(tag) for tag in dropped)
    lines.extend(f"  {tag:<{width}}  {count}" for tag, count in dropped.items())
    return lines


@import_command.command("feed")
@click.argument("file_or_url")
@episodes_option()
@allow_private_option(_ALLOW_PRIVATE_HELP)
@timeout_option(_TIMEOUT_HELP, TIMEOUT)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the report as JSON: what was written, the notes, the TODO fields and the round"
    " trip counts.",
)
@click.option(
    "--feed-url",
    metavar="URL",
    default="",
    help="Where the old feed is published, for a saved copy whose channel does not say (no"
    " atom:link rel=self): podcast:guid is computed from it, and the report names it as the"
    " URL to redirect.",
)
def feed_command(
    file_or_url: str,
    episodes: Path,
    allow_private: bool,
    timeout: float,
    as_json: bool,
    feed_url: str,
) -> None:
    """Migrate a podcast from its RSS feed (a file or an http(s) URL) into EPISODES.

    Writes show.yaml from the channel (unless there is one) and one folder per item, keeping
    each item's guid, date and enclosure (as remote media). Items already imported (same
    guid) are skipped, so the command can be run again after the old feed gains episodes.
    """
    from stationcast.importers import import_feed

    if feed_url and not feed_url.lower().startswith(("http://", "https://")):
        raise click.BadParameter(
            f"{feed_url!r} is not an http(s) URL; give the address podcast apps fetch the old"
            " feed from",
            param_hint="--feed-url",
        )
    report = import_feed(
        file_or_url, episodes, allow_private=allow_private, timeout=timeout, feed_url=feed_url
    )
    if as_json:
        document = {
            "summary": report.summary,
            "written": [display_path(p) for p in report.written],
            "notes": report.notes,
            "todos": report.todos,
            **report.round_trip(),
        }
        echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    _print_report(report, report.summary, _round_trip(report))
