"""`stationcast tag` on the command line: exact output, --dry-run, idempotence, selection."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from mutagen.id3 import ID3

from stationcast.cli.report import SHARED_OPTIONS

from .conftest import ARTWORK, SUMMARY, Show, sha256, tree

GUID = "0e7c2d1a-1b2c-4d3e-8f40-5a6b7c8d9e0f"
COVER = ARTWORK.read_bytes()
COVER_SHOWN = (
    f"image/jpeg front cover, {len(COVER):,} bytes, sha256 {hashlib.sha256(COVER).hexdigest()[:12]}"
)
SUMMARY_SHOWN = f"'{SUMMARY[:59]}…' ({len(SUMMARY.strip())} chars)"
FORMATS = [
    "cbr-32k-22050-mono.mp3",
    "vbr-xing-22050-mono.mp3",
    "chapters-cover-22050-mono.mp3",
    "aac-44100-stereo.m4a",
    "video-h264-aac.m4v",
    "vorbis-22050-mono.ogg",
    "opus-48000-mono.opus",
    "flac-22050-mono.flac",
    "pcm-8000-mono.wav",
]


def test_dry_run_prints_every_change_and_writes_nothing(
    show: Show, run: Callable[..., Result]
) -> None:
    """--dry-run lists each frame that would change, old -> new, long values shortened with
    their length, binary values by size and hash; no file changes."""
    show.add("ep", "cbr-32k-22050-mono.mp3", guid=GUID)
    before = tree(show.root)
    result = run("tag", "--dry-run")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "episodes/ep/audio.mp3 (MP3, ID3v2.4): 15 changes\n"
        "  TIT2: (none) -> 'Tagging Test Episode'\n"
        "  TPE1: (none) -> 'Kelly McEvers', 'Ari Shapiro'\n"
        "  TALB: (none) -> 'Test Segments'\n"
        "  TDRC: (none) -> '2015-09-22T21:35:00'\n"
        "  TCON: (none) -> 'Podcast'\n"
        f"  COMM::eng: (none) -> {SUMMARY_SHOWN}\n"
        "  USLT::eng: (none) -> 'Kelly McEvers: Good morning. This is the introduction. Kell…'"
        " (218 chars)\n"
        "  TCOP: (none) -> '© 2024 Test Radio'\n"
        "  TPUB: (none) -> 'Test Public Radio'\n"
        "  WOAS: (none) -> 'https://podcasts.example.org/test/ep/'\n"
        f"  APIC: (none) -> {COVER_SHOWN}\n"
        "  PCST: (none) -> 1\n"
        f"  TGID: (none) -> '{GUID}'\n"
        f"  TDES: (none) -> {SUMMARY_SHOWN}\n"
        "  WFED: (none) -> 'https://podcasts.example.org/test/feed.xml'\n"
        "Dry run: 1 file would be tagged, 0 up to date; nothing was written.\n"
    )
    assert tree(show.root) == before


def test_dry_run_shows_old_and_new_values(show: Show, run: Callable[..., Result]) -> None:
    """After a manifest edit, --dry-run names exactly the frames that differ, with the value
    the file has and the value it would get."""
    path = show.add("ep", "vorbis-22050-mono.ogg", guid=GUID)
    assert run("tag").exit_code == 0
    manifest = path.parent / "episode.yaml"
    manifest.write_text(
        manifest.read_text().replace("Tagging Test Episode", "A Better Title"), encoding="utf-8"
    )
    before = tree(show.root)
    result = run("tag", "--dry-run")
    assert result.stdout == (
        "episodes/ep/audio.ogg (Ogg Vorbis, Vorbis comments): 1 change\n"
        "  TITLE: 'Tagging Test Episode' -> 'A Better Title'\n"
        "Dry run: 1 file would be tagged, 0 up to date; nothing was written.\n"
    )
    assert tree(show.root) == before


def test_dry_run_shows_replaced_artwork(show: Show, run: Callable[..., Result]) -> None:
    """A file's own front cover is shown by type, size and hash on the left of the arrow."""
    show.add("ep", "flac-22050-mono.flac", guid=GUID)
    result = run("tag", "--dry-run")
    assert (
        "  PICTURE: image/png front cover, 99 bytes, sha256 f0f2c6cba118 -> " + COVER_SHOWN + "\n"
    ) in result.stdout


def test_tag_reports_each_file_then_a_total(show: Show, run: Callable[..., Result]) -> None:
    """A real run says what it tagged and what was already up to date, on stdout."""
    show.add("a", "aac-44100-stereo.m4a")
    show.add("b", "opus-48000-mono.opus")
    assert run("tag", "b").exit_code == 0
    result = run("tag")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "Tagged episodes/a/audio.m4a (MP4, iTunes atoms): 14 changes\n"
        "Up to date: episodes/b/audio.opus\n"
        "Tagged 1 file, 1 up to date.\n"
    )


@pytest.mark.parametrize("fixture", FORMATS)
def test_second_run_changes_nothing(show: Show, run: Callable[..., Result], fixture: str) -> None:
    """Tagging twice: the second run finds nothing to change and does not rewrite the file
    (same bytes, same inode, same modification time)."""
    path = show.add("ep", fixture, extra="chapters:\n  - {start: 0, title: One}\n")
    assert run("tag").exit_code == 0
    first, st = sha256(path), os.stat(path)
    result = run("tag")
    assert result.stdout == f"Up to date: episodes/ep/{path.name}\nTagged 0 files, 1 up to date.\n"
    again = os.stat(path)
    assert sha256(path) == first
    assert (again.st_ino, again.st_mtime_ns, again.st_size) == (
        st.st_ino,
        st.st_mtime_ns,
        st.st_size,
    )


@pytest.mark.parametrize("fixture", FORMATS)
def test_same_input_gives_byte_identical_files(
    tmp_path: Path, run: Callable[..., Result], fixture: str
) -> None:
    """Deterministic: two shows with the same manifests tag the same fixture into
    byte-identical files (nothing from the clock, the path or the run)."""
    one, two = Show(tmp_path / "one"), Show(tmp_path / "two")
    paths = [s.add("ep", fixture, guid=GUID) for s in (one, two)]
    assert run("tag", "--episodes", "one").exit_code == 0
    assert run("tag", "--episodes", "two").exit_code == 0
    assert sha256(paths[0]) == sha256(paths[1])


def test_only_the_named_episodes_are_tagged(show: Show, run: Callable[..., Result]) -> None:
    """SLUG arguments limit the run to those episodes."""
    a = show.add("a", "cbr-32k-22050-mono.mp3")
    b = show.add("b", "cbr-32k-22050-mono.mp3")
    before = sha256(a)
    result = run("tag", "b")
    assert result.stdout.splitlines()[-1] == "Tagged 1 file, 0 up to date."
    assert sha256(a) == before
    assert ID3(b)["TIT2"].text == ["Tagging Test Episode"]


def test_unknown_episode_is_an_error_with_a_suggestion(
    show: Show, run: Callable[..., Result]
) -> None:
    """A SLUG that names no episode fails before anything is written, suggesting a close one."""
    path = show.add("first-episode", "cbr-32k-22050-mono.mp3")
    before = sha256(path)
    result = run("tag", "first-episode", "frist-episode")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "episodes: has no episode 'frist-episode'; did you mean 'first-episode'?\n"
        "error: 1 problem in 1 file; no audio file was changed\n"
    )
    assert sha256(path) == before


def test_a_draft_is_not_tagged(show: Show, run: Callable[..., Result]) -> None:
    """Naming a draft says that drafts are not tagged; a plain run skips it silently."""
    path = show.add("wip", "cbr-32k-22050-mono.mp3")
    manifest = path.parent / "episode.yaml"
    manifest.write_text("draft: true\n" + manifest.read_text(), encoding="utf-8")
    result = run("tag", "wip")
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/wip/episode.yaml: draft: is a draft; drafts are not tagged"
        " (set draft: false first)\n"
        "error: 1 problem in 1 file; no audio file was changed\n"
    )
    result = run("tag")
    assert (result.exit_code, result.stdout) == (
        0,
        "Nothing to tag: no episode has a local audio file.\n",
    )


def test_remote_audio_is_noted_and_skipped(show: Show, run: Callable[..., Result]) -> None:
    """Media hosted elsewhere has no local file to tag: a note on stderr, no error."""
    path = show.add("remote", None)
    manifest = path.parent / "episode.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "audio: audio.mp3",
            "audio: {url: 'https://cdn.example.org/a.mp3', length: 1234, type: audio/mpeg}",
        ),
        encoding="utf-8",
    )
    result = run("tag")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: remote: the audio is hosted elsewhere (https://cdn.example.org/a.mp3);"
        " nothing to tag\n"
    )
    assert result.stdout == "Nothing to tag: no episode has a local audio file.\n"


def test_base_url_option_sets_the_links(show: Show, run: Callable[..., Result]) -> None:
    """--base-url overrides show.yaml's base_url for WOAS and WFED, as it does for build."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    assert run("tag", "--base-url", "https://staging.example.org/x").exit_code == 0
    tags = ID3(path)
    assert (tags["WOAS"].url, tags["WFED"].url) == (
        "https://staging.example.org/x/ep/",
        "https://staging.example.org/x/feed.xml",
    )


def test_bad_base_url_is_a_clean_error(show: Show, run: Callable[..., Result]) -> None:
    show.add("ep", "cbr-32k-22050-mono.mp3")
    result = run("tag", "--base-url", "ftp://x")
    assert result.exit_code == 1
    assert (
        result.stderr == "error: --base-url: expected an http:// or https:// URL, got 'ftp://x'\n"
    )


def test_help(run: Callable[..., Result]) -> None:
    """`tag` is listed by --help and has its own -h with every option."""
    assert "tag " in run("--help").stdout
    result = run("tag", "-h")
    assert result.exit_code == 0
    for option in ("--episodes", "--dry-run", "--base-url", "[SLUG]..."):
        assert option in result.stdout


def test_every_option_has_help_and_is_documented(run: Callable[..., Result]) -> None:
    """Each long option has help text and is named in docs/tag.md, which the README takes."""
    from stationcast.cli.tag import tag_command

    docs = (Path(__file__).resolve().parents[2] / "docs" / "tag.md").read_text(encoding="utf-8")
    for param in tag_command.params:
        if param.name in SHARED_OPTIONS:  # every command's, documented once in the README
            continue
        for name in param.opts:
            if name.startswith("--"):
                assert getattr(param, "help", None), name
                assert f"`{name}" in docs, name
    assert "stationcast tag [--episodes DIR] [--base-url URL] [--dry-run] [SLUG]..." in docs
