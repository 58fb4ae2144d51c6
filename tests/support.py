"""Helpers shared by the test modules (importable because pyproject puts tests/ on the path)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from stationcast.transcripts import Segment, Transcript

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "episodes"
EXAMPLE_OUTPUT = REPO / "feeds"
EXAMPLE_SLUG = "islamic-state-defectors"
#: The example show's own files: what tests copy, so an episode a user adds to episodes/ (or
#: a stray file there) never reaches a test.
EXAMPLE_FILES = ("show.yaml", "artwork.jpg", EXAMPLE_SLUG)


def copy_example(target: Path, *, aligned: bool = False) -> Path:
    """A private copy of the example show at `target` (which must not exist): its show.yaml,
    artwork and episode, nothing else the episodes/ folder may hold.

    Without its alignment.json unless `aligned` (the example as published, with timed
    transcripts): a test that edits the transcript then sees what it edits, not also the
    warning that the alignment no longer fits."""
    import shutil

    target.mkdir(parents=True)
    for name in EXAMPLE_FILES:
        source = EXAMPLE / name
        if source.is_dir():
            ignore = None if aligned else shutil.ignore_patterns("alignment.json")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


@contextmanager
def local_http(handler: Callable[..., BaseHTTPRequestHandler] | Any) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) answering with `handler`; yields its base
    URL (`http://127.0.0.1:PORT/`) and stops the server and its thread on leaving."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` (relative path -> sha256), to prove a folder did not change."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def add_episode(
    show: Path,
    slug: str,
    *,
    title: str = "An Extra Segment",
    published: str = "2015-09-23T08:00:00-04:00",
    summary: str = "Another segment from the station.",
    transcript: str | None = "MCEVERS: Hello.\n\nNEUMANN: Goodbye.\n",
    guid: str | None = None,
) -> Path:
    """Add an episode to a copy of the example show, reusing the example's audio (hard link)."""
    import os
    import uuid

    import yaml

    def quoted(value: str) -> str:  # a YAML double-quoted scalar that reads back as `value`
        return (
            yaml.safe_dump(value, allow_unicode=True, default_style='"', width=1 << 30)
            .strip()
            .removesuffix("...")
            .strip()
        )

    folder = show / slug
    folder.mkdir()
    os.link(show / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    lines = [
        f"title: {quoted(title)}",
        f"guid: {quoted(guid or str(uuid.uuid5(uuid.NAMESPACE_URL, slug)))}",
        f"published: {published}",
        f"summary: {quoted(summary)}",
        "audio: audio.mp3",
        "credits:",
        "  - {name: Kelly McEvers, role: host, speaker: MCEVERS}",
        "  - {name: Peter Neumann, role: guest, speaker: NEUMANN}",
    ]
    if transcript is not None:
        (folder / "transcript.txt").write_text(transcript, encoding="utf-8")
        lines += ["transcript:", "  file: transcript.txt"]
    (folder / "episode.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def rejoined(t: Transcript) -> Transcript:
    """`t` with the cues write_srt split a long segment into joined again: a speech cue that
    continues its speaker's turn where the cue before ended, or a note that follows a note
    without a gap. (Applied to both sides of a round trip: segments of the original that
    abut the same way are joined too.)"""
    out: list[Segment] = []
    for s in t.segments:
        last = out[-1] if out else None
        if last is not None and last.end == s.start and last.kind == s.kind:
            if s.kind == "speech" and s.speaker == last.speaker and not s.new_turn:
                out[-1] = replace(last, text=f"{last.text} {s.text}", end=s.end)
                continue
            if s.kind == "nonspeech":
                out[-1] = replace(last, text=f"{last.text[:-1]} {s.text[1:]}", end=s.end)
                continue
        out.append(s)
    return replace(t, segments=tuple(out))
