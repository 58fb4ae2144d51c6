"""How the build is put together: the transcript registry decides which transcript files an
episode gets, and a rebuild with nothing changed never loads what renders episodes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stationcast.build import build_show
from stationcast.build import episode as episode_step
from stationcast.transcripts import FORMATS, LABELS, WRITERS, Format, Transcript
from support import EXAMPLE_SLUG

BASE = "https://podcasts.example.org/wunc/"


def shouted(transcript: Transcript, names: object) -> str:
    """A writer for the test's extra format: every segment in capitals, one per line."""
    return "".join(segment.text.upper() + "\n" for segment in transcript.segments)


def test_a_format_added_to_the_registry_is_published(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One FORMATS row, its writer and its label: the build writes transcript<extension>, links
    it from the episode page and announces it in the feed, after the formats before it."""
    row = Format("shout", ".shout", "text/plain", timed=False, rel=None)
    monkeypatch.setattr(episode_step, "FORMATS", {**FORMATS, "shout": row})
    monkeypatch.setitem(WRITERS, "shout", shouted)
    monkeypatch.setitem(LABELS, "shout", "Shouted text")
    build_show(show, tmp_path / "feeds", cache=False)
    folder = tmp_path / "feeds" / EXAMPLE_SLUG
    assert (folder / "transcript.shout").read_text().startswith("WHAT HAPPENS")
    page = (folder / "index.html").read_text()
    assert 'href="transcript.shout"' in page and "Shouted text" in page
    feed = (tmp_path / "feeds" / "feed.xml").read_text()
    plain = f'url="{BASE}{EXAMPLE_SLUG}/transcript.txt" type="text/plain"'
    extra = f'url="{BASE}{EXAMPLE_SLUG}/transcript.shout" type="text/plain"'
    assert plain in feed and extra in feed
    assert feed.index(plain) < feed.index(extra)


def test_a_format_removed_from_the_registry_is_not_published(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the plain-text writer the build writes no transcript.txt and links none; the
    episode page (the html row) is still announced as the transcript."""
    monkeypatch.delitem(WRITERS, "text")
    build_show(show, tmp_path / "feeds", cache=False)
    folder = tmp_path / "feeds" / EXAMPLE_SLUG
    assert not (folder / "transcript.txt").exists()
    assert "transcript.txt" not in (folder / "index.html").read_text()
    feed = (tmp_path / "feeds" / "feed.xml").read_text()
    assert "transcript.txt" not in feed
    assert f'url="{BASE}{EXAMPLE_SLUG}/" type="text/html"' in feed


def test_every_file_an_episode_gets_is_a_reserved_name() -> None:
    """The names the build writes into an episode's folder (its page, one file per written
    transcript format, its chapters) are exactly those a media file may not take."""
    from stationcast.build.episode import CHAPTERS_FILE, TRANSCRIPT_NAME
    from stationcast.models import GENERATED_NAMES

    written = {TRANSCRIPT_NAME + f.extension for f in FORMATS.values() if f.name in WRITERS}
    assert {"index.html", CHAPTERS_FILE, *written} == set(GENERATED_NAMES)


# Modules a rebuild with nothing changed must not import: they render episodes, the show's
# files and feed, check artwork or validate, none of which such a rebuild does.
NOT_FOR_A_NO_CHANGE_BUILD = [
    "stationcast.build.episode",
    "stationcast.build.show",
    "stationcast.build.workers",
    "stationcast.validate",
    "stationcast.feed",
    "stationcast.media",
    "feedgen",
    "lxml",
    "mutagen",
    "PIL",
    "markdown_it",
    "nh3",
    "concurrent.futures.process",
]


def test_a_rebuild_with_nothing_changed_loads_no_renderer(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build of unchanged inputs, in a fresh process, reuses every episode without
    importing any module that renders, probes or validates."""
    monkeypatch.chdir(tmp_path)  # (the working directory is one of the build's inputs)
    out = tmp_path / "feeds"
    build_show(show, out)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from stationcast.build import build_show\n"
        f"result = build_show(Path({str(show)!r}), Path({str(out)!r}))\n"
        "assert (result.built, result.reused) == (0, 1), result\n"
        f"print(' '.join(m for m in {NOT_FOR_A_NO_CHANGE_BUILD!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


# Libraries a build with nothing changed must not import: reading manifests (PyYAML,
# pydantic), rendering (Jinja2, markupsafe, feedgen, lxml, markdown-it, nh3), probing
# (mutagen), the artwork (Pillow), and importlib.metadata (the version, looked up lazily).
RENDERING_STACK = (
    "yaml",
    "pydantic",
    "jinja2",
    "markupsafe",
    "feedgen",
    "lxml",
    "markdown_it",
    "nh3",
    "mutagen",
    "PIL",
    "importlib.metadata",
)


def test_a_no_change_rebuild_imports_only_what_checking_needs(show: Path, tmp_path: Path) -> None:
    """The CLI's second build of an unchanged show, in a fresh interpreter, loads none of the
    rendering stack (each costs start-up time on every rebuild); the first build does."""
    script = (
        "import sys\n"
        "from stationcast.cli import main\n"
        "sys.argv = ['stationcast', 'build', '--episodes', sys.argv[1], '--out', sys.argv[2]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"names = {RENDERING_STACK!r}\n"
        "print(sorted(n for n in names if n in sys.modules), file=sys.stderr)\n"
    )
    argv = [sys.executable, "-c", script, str(show), str(tmp_path / "feeds")]

    def loaded() -> str:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True)
        return done.stderr.strip().splitlines()[-1]

    assert loaded() != "[]"  # the cold build renders: the stack is loaded
    assert loaded() == "[]"
