"""Bad manifests: the exact message a producer sees, exit status 1, and feeds/ untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from support import EXAMPLE_SLUG, tree_digest

EPISODE = f"episodes/{EXAMPLE_SLUG}/episode.yaml"


@pytest.fixture
def built(show: Path, run: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    """A good build in feeds/, whose files each test checks are still there afterwards."""
    assert run("build").exit_code == 0
    return tree_digest(tmp_path / "feeds")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fails(run: Callable[..., Result], tmp_path: Path, before: dict[str, str]) -> str:
    result = run("build")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert tree_digest(tmp_path / "feeds") == before, "a failed build changed feeds/"
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name], (
        "staging folder left behind"
    )
    return result.stderr


def test_yaml_syntax_error(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A YAML syntax error points at the bracket left open, and says where the parser gave up."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "title: Report", "title: [Report")
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:1:8: YAML syntax error: the flow sequence opened here with '[' is never"
        " closed with ']' (found 'guid: 1f1f7b56-5cc3-4e34-9b...' on line 3, column 1 where"
        " ',' or ']' was expected); if the value is text starting with '[', put it in quotes\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_missing_required_field(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A missing field says which, and how to add it."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "title: Report Compiles Stories Of Islamic State Defectors\n",
        "",
    )
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:1:1: title: required field is missing; add a line `title: ...`\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_wrong_type(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A list where text belongs is reported at the value, with the expected type."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "  credit: Transcript", "  credit: [Transcript")
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "Copyright NPR.", "Copyright NPR.]")
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:16:11: transcript.credit: expected text, got a list\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_unknown_key_suggests_the_right_one(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A misspelt field is reported at its key, with a "did you mean" suggestion."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "summary:", "sumary:")
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:1:1: summary: required field is missing; add a line `summary: ...`\n"
        f"{EPISODE}:5:1: sumary: unknown field; did you mean 'summary'?\n"
        "error: 2 problems in 1 file; nothing was written to feeds/\n"
    )


def test_bad_date(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A date that is not ISO 8601 shows the expected form."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "published: 2015-09-22T17:35:00-04:00",
        "published: Sept 22",
    )
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:4:12: published: expected an ISO 8601 date-time with a UTC offset"
        " (like 2015-09-22T17:35:00-04:00), got 'Sept 22'\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_date_without_offset(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A date without a UTC offset, in a show without station.timezone, is refused:
    listeners in other zones would see the wrong day."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "2015-09-22T17:35:00-04:00", "2015-09-22T17:35:00")
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:4:12: published: '2015-09-22T17:35:00' has no UTC offset; add one"
        " (like 2015-09-22T17:35:00-04:00, or Z for UTC), or set the station's time zone in"
        " show.yaml (station: timezone: America/New_York) to read such times in it\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_impossible_date(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """February 30th is not a date: the message says so rather than asking for ISO 8601."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "2015-09-22T17:35:00-04:00",
        "2015-02-30T17:35:00-04:00",
    )
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:4:12: published: day is out of range for month: 2015-02-30 does not exist"
        " (February 2015 has 28 days)\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_missing_audio(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A missing audio file names the episode's manifest and the file."""
    (show / EXAMPLE_SLUG / "audio.mp3").unlink()
    stderr = _fails(run, tmp_path, built)
    assert stderr.startswith(f"{EPISODE}:13:8: audio: episodes/{EXAMPLE_SLUG}/audio.mp3: ")
    assert "not found" in stderr.splitlines()[0]
    assert stderr.endswith("error: 1 problem in 1 file; nothing was written to feeds/\n")


def test_missing_transcript(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A missing transcript file names the manifest field and the file."""
    (show / EXAMPLE_SLUG / "transcript.txt").unlink()
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:15:9: transcript.file: episodes/{EXAMPLE_SLUG}/transcript.txt: file not found;"
        f" expected the transcript beside episode.yaml (episodes/{EXAMPLE_SLUG}/ has audio.mp3,"
        " episode.yaml)\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_all_problems_at_once(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """Problems in several files are all listed in one run, sorted by file and line."""
    _edit(show / "show.yaml", "language: en-us", "language: en_US")
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "published: 2015-09-22T17:35:00-04:00",
        "published: Sept 22",
    )
    lines = _fails(run, tmp_path, built).splitlines()
    assert lines[0].startswith(f"{EPISODE}:4:12: published:")
    assert lines[1].startswith("episodes/show.yaml:7:11: language: expected a language code")
    assert lines[2] == "error: 2 problems in 2 files; nothing was written to feeds/"


def test_unknown_category_suggests_closest(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """An Apple category that does not exist is an error naming the closest real one."""
    _edit(show / "show.yaml", "- News > Daily News", "- News > Daily Newz")
    stderr = _fails(run, tmp_path, built)
    assert stderr.startswith("episodes/show.yaml:")
    assert "did you mean 'Daily News'" in stderr


def test_unknown_role_suggests_closest(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A credit role outside the Podcast Taxonomy is an error naming the closest valid role."""
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "role: guest", "role: gust")
    stderr = _fails(run, tmp_path, built)
    assert stderr.startswith(f"{EPISODE}:22:11: credits.1.role: unknown podcast:person role 'gust'")
    assert "did you mean 'guest'" in stderr


def test_object_tags_are_never_constructed(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """`!!python/object` tags are refused, not executed."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "title: Report",
        "title: !!python/object/apply:os.system [echo hi] #",
    )
    stderr = _fails(run, tmp_path, built)
    assert "the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in stderr


def test_duplicate_keys(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A key given twice is an error (YAML would silently keep the last)."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "audio: audio.mp3",
        "audio: audio.mp3\naudio: other.mp3",
    )
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:14:1: audio: appears twice (first on line 13); keep one\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_alias_bomb_is_refused(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """Anchors and aliases are refused before anything expands ("billion laughs")."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [*{alias}, *{alias}, *{alias}, *{alias}]\n"
        for name, alias in zip("bcdefghij", "abcdefghi", strict=True)
    )
    (show / EXAMPLE_SLUG / "episode.yaml").write_text(bomb, encoding="utf-8")
    assert _fails(run, tmp_path, built) == (
        f"{EPISODE}:1:4: YAML anchors and aliases (& and *) are not supported in manifests;"
        " write the value out\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )
