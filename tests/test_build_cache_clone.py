"""The build cache across a fresh clone, as in CI: the show repository cloned to a new path
(every mtime and inode new), the cache folder and the previous output restored. Unchanged
episodes are recognised by their content, only edited ones are rendered, and the output is
byte-identical to a cold build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from stationcast.build import build_show
from support import EXAMPLE_SLUG, add_episode, copy_example, tree_digest

SLUGS = [f"segment-{i}" for i in range(1, 5)]
ID3V1 = b"TAG" + b"Original title".ljust(30, b"\0") + bytes(95)


def _git(*args: str | Path, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org", *map(str, args)],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A show repository (the example show, four more episodes, an ID3v1 tag on one
    episode's audio), committed, and built once in place: its cache folder and output are
    what a CI job would save."""
    if shutil.which("git") is None:
        pytest.skip("git not on PATH")
    origin = tmp_path / "origin"
    copy_example(origin / "episodes")
    for i, slug in enumerate(SLUGS, start=1):
        add_episode(
            origin / "episodes",
            slug,
            title=f"Segment {i}",
            published=f"2016-01-0{i}T08:00:00-05:00",
            transcript=f"MCEVERS: Hello {i}.\n\nNEUMANN: Goodbye {i}.\n",
        )
    audio = origin / "episodes" / SLUGS[0] / "audio.mp3"
    audio.write_bytes(audio.read_bytes() + ID3V1)
    (origin / ".gitignore").write_text("/feeds/\n/.stationcast-cache/\n")
    _git("init", "-q", cwd=origin)
    _git("add", ".", cwd=origin)
    _git("commit", "-q", "-m", "show", cwd=origin)
    monkeypatch.chdir(origin)
    result = build_show(Path("episodes"), Path("feeds"))
    assert result.built == 1 + len(SLUGS)
    return origin


def _ci_checkout(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`git clone` to a new path, then restore the saved folders as a CI cache step does
    (copies: new inodes and mtimes)."""
    clone = tmp_path / "ci" / "work"
    clone.parent.mkdir()
    _git("clone", "-q", repo, clone, cwd=tmp_path)
    for folder in (".stationcast-cache", "feeds"):
        shutil.copytree(repo / folder, clone / folder, copy_function=shutil.copy)
    monkeypatch.chdir(clone)
    return clone


def _cold(clone: Path) -> dict[str, str]:
    build_show(Path("episodes"), clone.parent / "cold", cache=False)
    return tree_digest(clone.parent / "cold")


def test_one_edit_in_a_fresh_clone_renders_one_episode(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clone, restore the cache and the output, edit one transcript, build: one episode is
    rendered, the others are reused, and the output equals a cold build's."""
    clone = _ci_checkout(repo, tmp_path, monkeypatch)
    transcript = clone / "episodes" / SLUGS[2] / "transcript.txt"
    transcript.write_text(transcript.read_text().replace("Hello", "Hullo"))
    result = build_show(Path("episodes"), Path("feeds"))
    assert (result.built, result.reused) == (1, len(SLUGS))
    assert "Hullo 3" in (clone / "feeds" / SLUGS[2] / "index.html").read_text()
    assert tree_digest(clone / "feeds") == _cold(clone)
    again = build_show(Path("episodes"), Path("feeds"))  # the new stat keys were saved
    assert (again.built, again.reused) == (0, 1 + len(SLUGS))


def test_no_edit_in_a_fresh_clone_renders_nothing(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = _ci_checkout(repo, tmp_path, monkeypatch)
    result = build_show(Path("episodes"), Path("feeds"))
    assert (result.built, result.reused) == (0, 1 + len(SLUGS))
    assert tree_digest(clone / "feeds") == _cold(clone)


def test_a_retag_of_the_same_size_is_published(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ID3v1 title rewritten in place (same size): the probe is the same, so the pages
    are reused, but the output's audio is the new file, not the restored old copy."""
    clone = _ci_checkout(repo, tmp_path, monkeypatch)
    audio = clone / "episodes" / SLUGS[0] / "audio.mp3"
    data = audio.read_bytes()
    audio.write_bytes(data.replace(b"Original title", b"Retagged title"))
    assert audio.stat().st_size == len(data)
    result = build_show(Path("episodes"), Path("feeds"))
    assert result.reused == 1 + len(SLUGS)
    published = clone / "feeds" / SLUGS[0] / "audio.mp3"
    assert b"Retagged title" in published.read_bytes()
    assert tree_digest(clone / "feeds") == _cold(clone)


def _id3v2_padding(size: int) -> bytes:
    """An ID3v2.3 tag of `size` bytes holding only padding."""
    body = size - 10
    syncsafe = bytes((body >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + bytes(body)


def test_changed_audio_of_the_same_size_is_rendered_again(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audio rewritten in place to the same byte count but 2 s shorter (its last 10,000
    bytes of frames dropped, an ID3v2 tag of that size put in front): the probe differs, so
    the episode is rendered again with the new duration."""
    clone = _ci_checkout(repo, tmp_path, monkeypatch)
    audio = clone / "episodes" / EXAMPLE_SLUG / "audio.mp3"
    data = audio.read_bytes()
    cut = 10_000  # about 2 s at 40 kb/s
    audio.write_bytes(_id3v2_padding(cut) + data[:-cut])
    assert audio.stat().st_size == len(data)
    result = build_show(Path("episodes"), Path("feeds"))
    assert (result.built, result.reused) == (1, len(SLUGS))
    assert tree_digest(clone / "feeds") == _cold(clone)


def test_a_retag_by_a_new_file_is_published_without_a_clone(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In place, a tagger that writes a new file and renames it over the old one (a new
    inode: the output's hard link still holds the old bytes): nothing is rendered, and the
    output links the new file."""
    audio = repo / "episodes" / SLUGS[0] / "audio.mp3"
    new = audio.with_name("audio.mp3.new")
    new.write_bytes(audio.read_bytes().replace(b"Original title", b"Retagged title"))
    new.replace(audio)
    result = build_show(Path("episodes"), Path("feeds"))
    assert result.built == 0
    published = repo / "feeds" / SLUGS[0] / "audio.mp3"
    assert published.stat().st_ino == audio.stat().st_ino
    assert b"Retagged title" in published.read_bytes()
