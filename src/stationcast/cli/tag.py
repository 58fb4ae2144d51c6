"""`stationcast tag`: options -> stationcast.tagging (plan_tags, then apply_tags) -> each file."""

from __future__ import annotations

from pathlib import Path

import click

from stationcast.cli.options import (
    base_url_option,
    complete_slugs,
    dry_run_option,
    episodes_option,
)
from stationcast.cli.report import Command, echo
from stationcast.tagging import FilePlan, apply_tags, plan_tags


@click.command("tag", cls=Command)
@click.argument("slugs", nargs=-1, metavar="[SLUG]...", shell_complete=complete_slugs)
@episodes_option()
@base_url_option(
    "URL the feed is published at (overrides base_url in show.yaml), for the episode"
    " page and feed links written into the files."
)
@dry_run_option("Print what would change, per file and tag (old -> new); change nothing.")
def tag_command(
    slugs: tuple[str, ...], episodes: Path, base_url: str | None, dry_run: bool
) -> None:
    """Write each episode's metadata into its audio file: ID3v2.4 for MP3, iTunes atoms for
    M4A, Vorbis comments for Ogg Vorbis, Opus and FLAC (title, hosts, show, date, summary,
    transcript, artwork, chapters, podcast tags). Only the named episodes (SLUG: the folder
    name) when given.

    Every episode is checked first; nothing is written if any has a problem. Each file is
    tagged through a copy that is read back and compared (tags and audio stream) before it
    replaces the original. Files already up to date are not rewritten.
    """
    plan = plan_tags(episodes, slugs, base_url=base_url)
    for note in plan.notes:
        echo(f"note: {note}", err=True)
    if not plan.files:
        echo("Nothing to tag: no episode has a local audio file.")
        return
    if dry_run:
        for item in plan.files:
            echo(_heading(item))
            for change in item.changes:
                echo(f"  {change.render()}")
        would, current = len(plan.changed), len(plan.files) - len(plan.changed)
        echo(
            f"Dry run: {_files(would)} would be tagged, {current} up to date; nothing was written."
        )
        return
    result = apply_tags(plan)
    for item in plan.files:
        echo(f"Tagged {_heading(item)}" if item.changes else f"Up to date: {item.shown}")
    echo(f"Tagged {_files(len(result.tagged))}, {len(result.up_to_date)} up to date.")


def _heading(item: FilePlan) -> str:
    count = len(item.changes)
    what = f"{count} change{'s' if count != 1 else ''}" if count else "up to date"
    return f"{item.shown} ({item.container.label}): {what}"


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"
