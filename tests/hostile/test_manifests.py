"""Hostile and broken manifests: each gets a clear error naming file and field, never a
traceback, and the previous feeds/ stays exactly as it was.

The catalogue of inputs and the behaviour each must get is the table below; the README's
"Guarantees" section points here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from support import EXAMPLE_SLUG, add_episode, tree_digest

MANIFEST = f"episodes/{EXAMPLE_SLUG}/episode.yaml"


@pytest.fixture
def built(show: Path, run: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    assert run("build").exit_code == 0
    return tree_digest(tmp_path / "feeds")


def _replace(show: Path, old: str, new: str) -> None:
    path = show / EXAMPLE_SLUG / "episode.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build_fails(run: Callable[..., Result], tmp_path: Path, before: dict[str, str]) -> str:
    result = run("build")
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert tree_digest(tmp_path / "feeds") == before
    assert result.stderr.rstrip().splitlines()[-1].endswith("nothing was written to feeds/")
    return result.stderr


# (what, old text in the example manifest, new text, expected fragment of the message)
TEXT_CASES = [
    (
        "NUL in a title",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "Report\\0"',
        "title: contains the control character U+0000",
    ),
    (
        "vertical tab",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "Report\\v"',
        "title: contains the control character U+000B",
    ),
    (
        "form feed from pasted text",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "Report\\f"',
        "U+000C",
    ),
    (
        "escape sequence",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "\\e[31mReport"',
        "U+001B",
    ),
    (
        "lone surrogate",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "\\ud800Report"',
        "found invalid Unicode character escape code",
    ),
    (
        "U+FFFE",
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "\\uFFFEReport"',
        "U+FFFE",
    ),
    (
        "javascript: URL for a person",
        "    title: Head",
        "    href: javascript:alert(1)\n    title: Head",
        "credits.1.href: expected an http:// or https:// URL",
    ),
    (
        "audio path leaving the folder",
        "audio: audio.mp3",
        "audio: ../../secret.mp3",
        "audio: expected the name of a file in the episode's folder",
    ),
    ("absolute audio path", "audio: audio.mp3", "audio: /etc/passwd", "paths are not allowed"),
    (
        "file: URL as audio",
        "audio: audio.mp3",
        "audio: {url: 'file:///etc/passwd', length: 1, type: audio/mpeg}",
        "audio.url: expected an http:// or https:// URL",
    ),
    (
        "Windows device name",
        "audio: audio.mp3",
        "audio: aux.mp3",
        "'aux.mp3' is a reserved device name on Windows",
    ),
    (
        "transcript path leaving the folder",
        "  file: transcript.txt",
        "  file: ~/notes.txt",
        "transcript.file",
    ),
    ("tab indentation", "transcript:\n  file", "transcript:\n\tfile", "YAML syntax error"),
    (
        "two documents",
        "title: Report",
        "title: Report\n---\ntitle: Other\n",
        "holds more than one YAML document",
    ),
    (
        "python object tag",
        "title: Report",
        "title: !!python/name:os.system Report",
        "is not allowed",
    ),
    ("merge key", "title: Report", "<<: {x: 1}\ntitle: Report", "merge keys << are not supported"),
    (
        "list instead of mapping",
        "  - name: Kelly McEvers\n    role: host\n    speaker: MCEVERS\n",
        "  - Kelly McEvers\n",
        "credits.0: expected a mapping of fields (key: value lines), got 'Kelly McEvers'",
    ),
    (
        "impossible date",
        "2015-09-22T17:35:00-04:00",
        "2015-13-45T17:35:00-04:00",
        "published: month must be in 1..12, got '2015-13-45T17:35:00-04:00'",
    ),
    (
        "zero episode number",
        "audio: audio.mp3",
        "audio: audio.mp3\nepisode: 0",
        "episode: expected a number greater than 0",
    ),
    (
        "boolean as explicit text",
        "audio: audio.mp3",
        "audio: audio.mp3\nexplicit: sometimes",
        "explicit: expected true or false",
    ),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "expected"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES]
)
def test_bad_manifest_values(
    what: str,
    old: str,
    new: str,
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """Each bad value is reported with the manifest's name and the field; nothing is written."""
    _replace(show, old, new)
    stderr = _build_fails(run, tmp_path, built)
    assert stderr.startswith(MANIFEST), stderr
    assert expected in stderr, stderr


def test_non_utf8_manifest(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """Latin-1 bytes are reported with their line, column and the fix."""
    path = show / EXAMPLE_SLUG / "episode.yaml"
    path.write_bytes(path.read_bytes().replace(b"title: Report", b"title: Caf\xe9 Report"))
    stderr = _build_fails(run, tmp_path, built)
    assert stderr.startswith(
        f"{MANIFEST}:1:11: is not valid UTF-8 (byte 0xE9); save the file as UTF-8\n"
    )


def test_huge_manifest_is_not_parsed(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A 50 MB manifest is refused by its size, before any parsing."""
    path = show / EXAMPLE_SLUG / "episode.yaml"
    with open(path, "ab") as handle:
        handle.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    stderr = _build_fails(run, tmp_path, built)
    assert stderr.startswith(f"{MANIFEST}: is 52,")
    assert "a manifest may be at most 1,000,000 bytes" in stderr


def test_empty_manifest(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """An empty file says what a manifest should be."""
    (show / EXAMPLE_SLUG / "episode.yaml").write_text("", encoding="utf-8")
    assert _build_fails(run, tmp_path, built).startswith(
        f"{MANIFEST}:1:1: is empty; expected a YAML mapping"
    )


@pytest.mark.parametrize("slug", ["CON", "Episode-1", "-dash", "a" * 101, "café", "a.b"])
def test_bad_episode_folder_names(
    slug: str, show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """Folder names become URLs: only lower-case ASCII letters, digits and hyphens, 1-100 long."""
    add_episode(show, slug)
    stderr = _build_fails(run, tmp_path, built)
    assert stderr.startswith(f"episodes/{slug}: episode folder name "), stderr


def test_episode_folder_symlinked_out_of_the_show(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """An episode folder that is a symlink to somewhere else is refused."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    add_episode(show, "outside").rename(elsewhere / "outside")
    (show / "outside").symlink_to(elsewhere / "outside")
    stderr = _build_fails(run, tmp_path, built)
    assert "episodes/outside: is a symbolic link out of the episodes folder" in stderr


def test_audio_symlinked_out_of_the_episode(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """An audio file that is a symlink out of the show (to /etc/passwd, say) is refused, at
    the manifest's audio field."""
    audio = show / EXAMPLE_SLUG / "audio.mp3"
    audio.unlink()
    audio.symlink_to("/etc/passwd")
    stderr = _build_fails(run, tmp_path, built)
    assert stderr.startswith(
        f"{MANIFEST}:13:8: audio: episodes/{EXAMPLE_SLUG}/audio.mp3: is a symbolic link out of"
        " the episodes folder; copy the file into it instead\n"
    ), stderr


def test_duplicate_guids_name_both_files(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """Two episodes with one GUID: an error naming both manifests."""
    add_episode(show, "copy", guid="1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909")
    stderr = _build_fails(run, tmp_path, built)
    assert "duplicate GUID '1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909'" in stderr
    assert "episodes/copy/episode.yaml" in stderr and MANIFEST in stderr
