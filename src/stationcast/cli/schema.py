"""`stationcast schema`: the manifests' JSON Schemas, printed or written for editors."""

from __future__ import annotations

from pathlib import Path

import click

from stationcast.cli.options import episodes_option
from stationcast.cli.report import Command, echo
from stationcast.errors import StationcastError, display_path


@click.command("schema", cls=Command)
@click.argument("manifest", type=click.Choice(["show", "episode"]), required=False)
@episodes_option()
@click.option(
    "--write",
    is_flag=True,
    help="Write both schemas into EPISODES/.schema/, where the manifests' first lines point.",
)
def schema_command(manifest: str | None, episodes: Path, write: bool) -> None:
    """Print the JSON Schema of show.yaml or episode.yaml, or --write both for editors.

    With the YAML language server (VS Code's YAML extension and others), a manifest whose
    first line is `# yaml-language-server: $schema=.schema/show.json` (episode.yaml:
    `../.schema/episode.json`) gets completion and checks as you type; `stationcast init`
    writes the schemas and those lines, and `stationcast new` writes the line when the
    schemas are there. Run `stationcast schema --write` after upgrading stationcast.
    """
    from stationcast.models.schema import schema_text
    from stationcast.scaffold import write_schemas

    if write:
        if manifest is not None:
            raise click.UsageError("--write writes both schemas; leave out MANIFEST")
        if not episodes.is_dir():
            raise StationcastError(f"{display_path(episodes)} is not a folder; pass --episodes")
        try:
            paths = write_schemas(episodes)
        except OSError as exc:
            raise StationcastError(f"cannot write the schemas: {exc.strerror or exc}") from None
        for path in paths:
            echo(f"Wrote {display_path(path)}")
        return
    if manifest is None:
        raise click.UsageError("name the manifest (show or episode), or pass --write")
    click.echo(schema_text(manifest), nl=False)
