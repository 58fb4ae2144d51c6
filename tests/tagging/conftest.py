"""Tiny shows in tmp_path whose episodes use copies of the committed audio fixtures.

The fixtures in tests/data/audio/ are never modified: every test tags copies.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.cli import cli

REPO = Path(__file__).resolve().parents[2]
AUDIO = REPO / "tests" / "data" / "audio"
ARTWORK = REPO / "episodes" / "artwork.jpg"

SHOW_YAML = """\
title: Test Segments
description: Segments for the tagging tests.
language: en-us
base_url: https://podcasts.example.org/test/
copyright: © 2024 Test Radio
artwork: artwork.jpg
categories: [News]
station:
  name: Test Public Radio
"""

TRANSCRIPT = """\
Good morning. This is the introduction.

MCEVERS: Welcome to the program.

PETER NEUMANN: Thank you for having me.

(LAUGHTER)

NEUMANN: It is a pleasure.
"""

# The plain text every format must carry as its lyrics: write_text with resolved names.
LYRICS = (
    "Kelly McEvers: Good morning. This is the introduction.\n\n"
    "Kelly McEvers: Welcome to the program.\n\n"
    "Peter Neumann: Thank you for having me.\n\n"
    "(LAUGHTER)\n\n"
    "Peter Neumann: It is a pleasure.\n\n"
    "Transcript provided by Test Radio.\n"
)

CHAPTERS_YAML = """\
chapters:
  - {start: 0, title: Opening}
  - {start: 1.5, title: Interview, url: "https://example.org/interview"}
  - {start: 2.25, title: Hidden, toc: false}
"""

SUMMARY = "A conversation about tagging, " + "with a long summary. " * 10


def episode_yaml(
    audio: str,
    *,
    title: str = "Tagging Test Episode",
    guid: str = "0e7c2d1a-1b2c-4d3e-8f40-5a6b7c8d9e0f",
    extra: str = "",
) -> str:
    return (
        f"title: {title}\n"
        f"guid: {guid}\n"
        "published: 2015-09-22T17:35:00-04:00\n"
        f"summary: {json.dumps(SUMMARY.strip())}\n"
        f"audio: {audio}\n"
        "transcript:\n"
        "  file: transcript.txt\n"
        "  credit: Transcript provided by Test Radio.\n"
        "credits:\n"
        "  - {name: Kelly McEvers, role: host, speaker: MCEVERS}\n"
        "  - {name: Peter Neumann, role: guest, speaker: [PETER NEUMANN, NEUMANN]}\n"
        "  - {name: Ari Shapiro, role: co-host}\n" + extra
    )


class Show:
    """A show folder under tmp_path; add episodes with copies of fixtures."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "show.yaml").write_text(SHOW_YAML, encoding="utf-8")
        shutil.copyfile(ARTWORK, root / "artwork.jpg")

    def add(
        self,
        slug: str,
        fixture: str | None,
        *,
        name: str | None = None,
        extra: str = "",
        guid: str | None = None,
    ) -> Path:
        """Episode `slug` with a copy of `fixture` (None: no audio file); returns the audio path."""
        folder = self.root / slug
        folder.mkdir()
        audio_name = name or ("audio" + Path(fixture or "x.mp3").suffix)
        if fixture is not None:
            shutil.copyfile(AUDIO / fixture, folder / audio_name)
        (folder / "transcript.txt").write_text(TRANSCRIPT, encoding="utf-8")
        number = sum(1 for p in self.root.iterdir() if p.is_dir())
        uid = guid or f"0e7c2d1a-1b2c-4d3e-8f40-{number:012d}"
        (folder / "episode.yaml").write_text(
            episode_yaml(audio_name, extra=extra, guid=uid), encoding="utf-8"
        )
        return folder / audio_name


@pytest.fixture
def show(tmp_path: Path) -> Show:
    return Show(tmp_path / "episodes")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """The real CLI, run in tmp_path so paths in messages are short and stable."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[str, str]:
    """Every file under root (relative path -> sha256)."""
    return {str(p.relative_to(root)): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def ffprobe_duration(path: Path) -> str:
    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe not on PATH (Debian: apt-get install ffmpeg; .ci/run installs it)")
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def decoded_md5(path: Path) -> str:
    """MD5 of the decoded audio (ffmpeg's md5 muxer): the samples a listener hears."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not on PATH (Debian: apt-get install ffmpeg; .ci/run installs it)")
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-f", "md5", "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()
