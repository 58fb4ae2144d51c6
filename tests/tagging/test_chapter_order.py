"""ID3 chapters are stored in start-time order, read back by ffprobe as the independent reader.

Players that ignore CTOC (ffmpeg among them) list CHAP frames in the order the file stores
them, and mutagen stores frames by size. The chapters below have titles that get shorter as
they go, so a size-ordered tag would list them backwards; twelve of them, so chp10 and chp11
must come after chp2.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from .conftest import Show

STARTS = [n * 0.25 for n in range(12)]  # 0 .. 2.75 s; the fixtures are about 3 s long
TITLES = [f"Part {n} " + "x" * (40 - 3 * n) for n in range(12)]
HIDDEN = 4  # this one is toc: false: a CHAP frame, left out of the CTOC
CHAPTERS_YAML = "chapters:\n" + "".join(
    f"  - {{start: {start}, title: {title}{', toc: false' if n == HIDDEN else ''}}}\n"
    for n, (start, title) in enumerate(zip(STARTS, TITLES, strict=True))
)

# (container, fixture, how mutagen opens its tags)
FORMATS = [
    ("MP3", "cbr-32k-22050-mono.mp3", lambda path: MP3(path).tags),
    ("WAV", "pcm-8000-mono.wav", lambda path: WAVE(path).tags),
]


def ffprobe_chapters(path: Path) -> list[tuple[int, str]]:
    """(start in ms, title) of each chapter, in the order ffprobe lists them."""
    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe not on PATH (Debian: apt-get install ffmpeg; .ci/run installs it)")
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    chapters = json.loads(out.stdout)["chapters"]
    return [(round(float(c["start_time"]) * 1000), c["tags"]["title"]) for c in chapters]


def _tag(run: Callable[..., Result]) -> Result:
    result = run("tag")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


EXPECTED = [(round(s * 1000), t) for s, t in zip(STARTS, TITLES, strict=True)]


@pytest.mark.parametrize(("kind", "fixture", "tags_of"), FORMATS, ids=[f[0] for f in FORMATS])
def test_manifest_chapters_are_stored_in_time_order(
    kind: str, fixture: str, tags_of: Callable[[Path], ID3], show: Show, run: Callable[..., Result]
) -> None:
    """ffprobe lists the manifest's chapters in ascending start time, with their titles."""
    path = show.add("ep", fixture, extra=CHAPTERS_YAML)
    _tag(run)
    assert ffprobe_chapters(path) == EXPECTED


@pytest.mark.parametrize(("kind", "fixture", "tags_of"), FORMATS, ids=[f[0] for f in FORMATS])
def test_element_ids_and_ctoc_follow_time_order(
    kind: str, fixture: str, tags_of: Callable[[Path], ID3], show: Show, run: Callable[..., Result]
) -> None:
    """Element IDs chp0, chp1... are given in start-time order, stored in that order, and the
    top-level CTOC lists them in that order (without the toc: false one)."""
    path = show.add("ep", fixture, extra=CHAPTERS_YAML)
    _tag(run)
    tags = tags_of(path)
    stored = [(c.element_id, c.start_time) for c in tags.getall("CHAP")]  # file order
    assert stored == [(f"chp{n}", round(s * 1000)) for n, s in enumerate(STARTS)]
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [f"chp{n}" for n in range(12) if n != HIDDEN]


def test_files_own_chapters_are_put_in_time_order(show: Show, run: Callable[..., Result]) -> None:
    """A file whose own chapters are stored out of order (0 s, 2 s, 1 s) and a manifest
    without chapters: the chapters are kept, frame for frame, and stored in time order."""
    path = show.add("ep", "chapters-cover-22050-mono.mp3")
    assert ffprobe_chapters(path) == [(0, "Opening"), (2000, "Credits"), (1000, "Interview")]
    before = ID3(path)
    _tag(run)
    after = ID3(path)
    assert ffprobe_chapters(path) == [(0, "Opening"), (1000, "Interview"), (2000, "Credits")]
    for kind in ("CHAP", "CTOC"):
        assert sorted(map(repr, after.getall(kind))) == sorted(map(repr, before.getall(kind)))


def test_out_of_order_manifest_chapters_are_rewritten(
    show: Show, run: Callable[..., Result]
) -> None:
    """A file holding the manifest's chapters stored out of time order (as mutagen alone
    saves them) is not up to date: tag reports the chapters and stores them in order."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3", extra=CHAPTERS_YAML)
    _tag(run)
    tags = ID3(path)
    tags.save(path, v2_version=4)  # mutagen's own frame order: by size
    assert ffprobe_chapters(path) != EXPECTED
    result = _tag(run)
    assert "Tagged episodes/ep/audio.mp3 (MP3, ID3v2.4): 1 change\n" in result.stdout
    assert ffprobe_chapters(path) == EXPECTED
    assert "Up to date: episodes/ep/audio.mp3" in _tag(run).stdout
