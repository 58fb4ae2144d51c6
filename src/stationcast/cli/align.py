"""`stationcast align`: options -> stationcast.align.episodes -> one line per episode."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stationcast.cli.options import complete_slugs, episodes_option
from stationcast.cli.report import Command, echo


@click.command("align", cls=Command)
@click.argument("slugs", nargs=-1, metavar="[SLUG]...", shell_complete=complete_slugs)
@episodes_option()
@click.option("--force", is_flag=True, help="Align again even where the alignment is up to date.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that speak the text (default: one per core).",
)
def align_command(slugs: tuple[str, ...], episodes: Path, force: bool, jobs: int | None) -> None:
    """Time each episode's station transcript (plain text) against its audio, offline, and
    write the times beside its manifest as alignment.json. The build then writes WebVTT, SRT
    and JSON transcripts from the text and those times, and the page shows a time on every
    turn. Only the named episodes (SLUG: the folder name) when given.

    The text is never changed. An alignment made for another version of the text or audio is
    not used: the build warns and names this command. Needs espeak-ng and ffmpeg (Debian
    packages) and the `align` extra (librosa).
    """
    import os

    from stationcast.align.engine import check_tools
    from stationcast.align.episodes import align_episode, plan

    check_tools()
    items = plan(episodes, slugs)
    from stationcast.manifest import load_show_model

    show = load_show_model(episodes, [])
    language = show.language if show is not None else "en"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = jobs or cores or 1
    counts = {"aligned": 0, "current": 0, "skipped": 0}
    on_terminal = sys.stderr.isatty()
    for number, item in enumerate(items, start=1):

        def phase(name: str, slug: str = item.slug, number: int = number) -> None:
            # on a terminal, one status line: which episode, which step (cleared after)
            where = f"{number}/{len(items)} " if len(items) > 1 else ""
            click.echo(f"\r{where}{slug}: {name}…\x1b[K", nl=False, err=True)

        outcome = align_episode(
            item, language, force=force, jobs=workers, progress=phase if on_terminal else None
        )
        if on_terminal:
            click.echo("\r\x1b[K", nl=False, err=True)
        counts[outcome.status] += 1
        if outcome.status == "aligned":
            echo(f"Aligned {item.slug} in {outcome.seconds:.1f} s: {outcome.shown}")
            for turn in outcome.doubtful:
                echo(
                    f"warning: {outcome.shown}: {turn} (music, a soundbite or words not in the"
                    " text?); it is captioned over the stretch it lies in and has no time"
                    " on the page",
                    err=True,
                )
        elif outcome.status == "current":
            echo(f"Up to date: {outcome.shown}")
        else:
            echo(f"note: {item.slug}: not aligned, {outcome.reason}", err=True)
    echo(
        f"{counts['aligned']} aligned, {counts['current']} up to date,"
        f" {counts['skipped']} without station text to align."
    )
