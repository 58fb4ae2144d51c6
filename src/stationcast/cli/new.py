"""`stationcast new`: options -> stationcast.scaffold.new_episode -> the path it wrote."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import click

from stationcast.cli.options import episodes_option, slug_option
from stationcast.cli.report import Command, echo, folder


@click.command("new", cls=Command)
@click.argument("title")
@episodes_option()
@slug_option("Folder name and URL part (default: made from the title).")
@click.option(
    "--date",
    "published",
    help="Publication date-time, with a UTC offset or in station.timezone (default: now).",
)
@click.option(
    "--transcript",
    "transcript",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A station transcript (NAME: paragraphs) to start from: copied in as transcript.txt,"
    " with the credits read from its speaker labels, as `import page` reads them.",
)
def new_command(
    title: str, episodes: Path, slug: str | None, published: str | None, transcript: Path | None
) -> None:
    """Create an episode folder with a manifest and a fresh, permanent GUID."""
    from stationcast.manifest import check_slug
    from stationcast.models.values import parse_local_datetime
    from stationcast.scaffold import new_episode

    # Bad option values are command-line mistakes (exit 2), checked before touching anything.
    if slug is not None and (reason := check_slug(slug)):
        raise click.BadParameter(f"{slug!r} {reason}", param_hint="--slug")
    if published is not None:
        try:  # (a time without a UTC offset is read in the station's time zone: see new_episode)
            parse_local_datetime(published, UTC)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--date") from None
    path = new_episode(episodes, title, slug=slug, published=published, transcript=transcript)
    echo(f"Created {folder(path.parent)}episode.yaml".replace("/episode.yaml/", "/episode.yaml"))
    if transcript is not None:
        echo(
            "Next: put the audio in that folder, fill in the summary, check the credits read"
            " from the transcript (fields marked TODO), delete `draft: true`, then run"
            " `stationcast build`.",
            err=True,
        )
        return
    echo(
        "Next: put the audio and transcript in that folder, fill in the summary and credits,"
        " set draft: false, then run `stationcast build`.",
        err=True,
    )
