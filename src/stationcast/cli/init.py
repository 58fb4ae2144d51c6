"""`stationcast init`: options -> stationcast.scaffold.init_show -> what to do next."""

from __future__ import annotations

from pathlib import Path

import click

from stationcast.cli.report import Command, echo, folder
from stationcast.errors import display_path


@click.command("init", cls=Command)
@click.argument(
    "directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."), required=False
)
@click.option("--title", prompt="Show title", help="The show's title.")
@click.option("--station", prompt="Station name", help="The station's name.")
@click.option(
    "--base-url",
    "base_url",
    prompt="URL the feed will be published at (the folder holding feed.xml)",
    help="Where the built feeds/ folder will be published; the podcast:guid is computed from it.",
)
@click.option("--language", default="en-us", show_default=True, help="The show's language.")
def init_command(directory: Path, title: str, station: str, base_url: str, language: str) -> None:
    """Start a show in DIRECTORY (default: here): episodes/show.yaml and a first draft episode.

    Then fill in what it lists as TODO and run `stationcast build` in DIRECTORY.
    """
    from stationcast.scaffold import init_show

    started = init_show(
        directory, title=title, station=station, base_url=base_url, language=language
    )
    shown = display_path(started.show)
    echo(f"Created {shown} and {display_path(started.episode)}")
    echo("To do before the first build:", err=True)
    for todo in started.todos:
        echo(f"  {shown}:{todo.line}: {todo.field}: {todo.message}", err=True)
    episode = folder(started.episode.parent)
    echo(
        f"  {display_path(started.episode)}: put audio.mp3 and transcript.txt in {episode},"
        " fill in the summary and the host's name and transcript label, then delete"
        " `draft: true`; or start another episode with `stationcast new TITLE`",
        err=True,
    )
    where = (
        "" if directory.resolve() == Path.cwd().resolve() else f"cd {display_path(directory)} && "
    )
    echo(f"Next: {where}stationcast build, then stationcast serve to preview it", err=True)
