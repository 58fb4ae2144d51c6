"""Fixtures for the validator tests: the clean feed and an output folder that matches it."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from stationcast.validate import Report, validate_bytes

FEEDS = Path(__file__).parent / "feeds"
CLEAN = FEEDS / "clean.xml"
#: "Now" for every test: after the clean feed's newest episode.
NOW = datetime(2015, 10, 7, 12, 0, tzinfo=UTC)

VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Kelly McEvers>What happens when you leave ISIS?

00:00:04.000 --> 00:00:09.500
<v Peter Neumann>We found 58 of them.
"""
SRT = """1
00:00:00,000 --> 00:00:04,000
MCEVERS: What happens when
you leave ISIS?

2
00:00:04,000 --> 00:00:09,500
NEUMANN: We found 58.
"""
TRANSCRIPT_JSON = {
    "version": "1.0.0",
    "segments": [
        {"speaker": "Kelly McEvers", "startTime": 0, "endTime": 4, "body": "What happens?"},
        {"speaker": "Peter Neumann", "startTime": 4, "endTime": 9.5, "body": "We found 58."},
    ],
}
CHAPTERS = {
    "version": "1.2.0",
    "chapters": [
        {"startTime": 0, "title": "Intro"},
        {"startTime": 73.5, "title": "Why they left", "toc": True},
    ],
}


def write_image(
    path: Path, size: tuple[int, int] = (1400, 1400), mode: str = "RGB", fmt: str = "JPEG"
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    colour = (200, 40, 40) if mode in ("RGB", "RGBA") else 128
    if mode == "CMYK":
        colour = (10, 200, 200, 0)  # type: ignore[assignment]
    Image.new(mode, size, colour).save(path, fmt)


def build_site(root: Path) -> Path:
    """Files under https://station.example/show/ that the clean feed links to."""
    write_image(root / "artwork.jpg")
    write_image(root / "isis-defectors" / "art.png", fmt="PNG")
    for rel, size in (
        ("isis-defectors/audio.mp3", 12345),
        ("flooded-library/audio.m4a", 23456),
        ("slow-storm/audio.mp3", 3456),
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"\0" * size)
    ep = root / "isis-defectors"
    (ep / "transcript.vtt").write_text(VTT, encoding="utf-8")
    (ep / "transcript.srt").write_text(SRT, encoding="utf-8")
    (ep / "transcript.json").write_text(json.dumps(TRANSCRIPT_JSON), encoding="utf-8")
    (ep / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (ep / "chapters.json").write_text(json.dumps(CHAPTERS), encoding="utf-8")
    (root / "flooded-library" / "transcript.vtt").write_text(VTT, encoding="utf-8")
    build_broken_site(root)
    return root


@pytest.fixture(scope="session")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def site(site_template: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the output folder."""
    dest = tmp_path / "site"
    shutil.copytree(site_template, dest)
    return dest


@pytest.fixture
def clean_bytes() -> bytes:
    return CLEAN.read_bytes()


def run(data: bytes, site: Path | None = None, **kw: object) -> Report:
    kw.setdefault("now", NOW)
    return validate_bytes(data, location="feed.xml", local_root=site, **kw)  # type: ignore[arg-type]


def ids(report: Report) -> set[str]:
    return {f.rule.id for f in report.findings}


def build_broken_site(root: Path) -> None:
    """Extra files that the broken-feed corpus points at."""
    write_image(root / "small.jpg", size=(1000, 1000))
    write_image(root / "cmyk.jpg", mode="CMYK")
    write_image(root / "png-as.jpg", fmt="PNG")
    (root / "bad.vtt").write_text(
        "WEBVTT\n\n00:00.000 -> 00:04.000\nno arrow here\n\n"
        "00:00:04.000 --> 00:00:09.000\n" + "x" * 70 + "\n",
        encoding="utf-8",
    )
    (root / "long.srt").write_text(
        "1\n00:00:00,000 --> 00:00:04,000\nA line that is far longer than "
        "thirty-two characters\nsecond\nthird\n",
        encoding="utf-8",
    )
    (root / "bad-chapters.json").write_text(
        json.dumps(
            {"version": "1.2.0", "chapters": [{"startTime": 60}, {"startTime": 10, "toc": "no"}]}
        ),
        encoding="utf-8",
    )
    (root / "bad-transcript.json").write_text('{"segments": []}', encoding="utf-8")
