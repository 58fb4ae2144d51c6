"""`stationcast align`: options -> stationcast.align.episodes -> one line per episode."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stationcast.cli.options import complete_slugs, episodes_option
from stationcast.cli.report import Command, echo, report
from stationcast.errors import StationcastError

if TYPE_CHECKING:
    from stationcast.align.episodes import Outcome
    from stationcast.models import LoadedEpisode


@click.command("align", cls=Command)
@click.argument("slugs", nargs=-1, metavar="[SLUG]...", shell_complete=complete_slugs)
@episodes_option()
@click.option("--force", is_flag=True, help="Align again even where the alignment is up to date.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes at work at once: episodes aligned side by side, and espeak-ng speaking"
    " an episode's sentences (default: one per core).",
)
def align_command(slugs: tuple[str, ...], episodes: Path, force: bool, jobs: int | None) -> None:
    """Time each episode's station transcript (plain text) against its audio, offline, and
    write the times beside its manifest as alignment.json. The build then writes WebVTT, SRT
    and JSON transcripts from the text and those times, and the page shows a time on every
    turn. Only the named episodes (SLUG: the folder name) when given; drafts too, so they
    are ready when they are published.

    The text is never changed. An alignment made for another version of the text or audio is
    not used: the build warns and names this command. Needs espeak-ng and ffmpeg (Debian
    packages) and the `align` extra (librosa).
    """
    from stationcast.align.engine import check_tools
    from stationcast.align.episodes import plan
    from stationcast.cores import usable_cores
    from stationcast.manifest import load_show_model

    check_tools()
    items, notes = plan(episodes, slugs)
    for note in notes:
        echo(note, err=True)
    show = load_show_model(episodes, [])
    language = show.language if show is not None else "en"
    workers = jobs or usable_cores()
    bar = _Bar(len(items)) if sys.stderr.isatty() else None
    counts = {"aligned": 0, "current": 0, "skipped": 0, "failed": 0}
    for item, outcome in _outcomes(items, language, force, workers, bar):
        if bar:
            bar.clear()
        if isinstance(outcome, StationcastError):
            counts["failed"] += 1
            report(outcome, click.get_current_context().command)
            continue
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
    if bar:
        bar.clear()
    failed = f", {counts['failed']} failed" if counts["failed"] else ""
    echo(
        f"{counts['aligned']} aligned, {counts['current']} up to date,"
        f" {counts['skipped']} without station text to align{failed}."
    )
    if counts["failed"]:
        click.get_current_context().exit(1)


def _outcomes(
    items: list[LoadedEpisode], language: str, force: bool, workers: int, bar: _Bar | None
) -> Iterator[tuple[LoadedEpisode, Outcome | StationcastError]]:
    """Each episode with what became of it, in the order of `items`: one at a time with all
    `workers` speaking its sentences, or, for several episodes and workers, episodes side by
    side in worker processes (each speaking with its share of the workers). An episode that
    fails is reported as its error; the others go on."""
    from stationcast.align.episodes import align_episode

    side_by_side = min(workers, len(items))
    if side_by_side <= 1:
        for number, item in enumerate(items):

            def told(step: str, done: float, slug: str = item.slug, number: int = number) -> None:
                if bar:
                    bar.show(number + done, f"{slug}: {step}")

            told("checking", 0.0)
            try:
                yield (
                    item,
                    align_episode(
                        item, language, force=force, jobs=workers, progress=told if bar else None
                    ),
                )
            except StationcastError as exc:
                yield item, exc
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    speakers = max(1, workers // side_by_side)
    import multiprocessing

    # (forkserver: the workers do not inherit this process's threads and their locks)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=side_by_side, mp_context=context) as pool:
        futures = [
            pool.submit(align_episode, item, language, force=force, jobs=speakers) for item in items
        ]
        pending = set(futures)
        for item, future in zip(items, futures, strict=True):
            while not future.done():  # (the bar moves as any episode finishes)
                if bar:
                    finished = len(futures) - len(pending)
                    bar.show(
                        finished, f"{finished}/{len(items)} episodes, {side_by_side} at a time"
                    )
                _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            pending.discard(future)
            try:
                yield item, future.result()
            except StationcastError as exc:
                yield item, exc


class _Bar:
    """One status line on a terminal: a bar of the work done, a percentage and what is
    being done; cleared before anything else is printed."""

    WIDTH = 24

    def __init__(self, total: int) -> None:
        self.total = max(1, total)
        self.shown = 0.0

    def show(self, done: float, what: str) -> None:
        now = time.monotonic()
        if now - self.shown < 0.1:  # (a terminal need not be redrawn more often)
            return
        self.shown = now
        share = min(1.0, max(0.0, done / self.total))
        filled = round(share * self.WIDTH)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} {what}"
        click.echo(f"\r{line}\x1b[K", nl=False, err=True)

    def clear(self) -> None:
        click.echo("\r\x1b[K", nl=False, err=True)
        self.shown = 0.0
