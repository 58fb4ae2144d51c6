"""`stationcast new`: scaffolds an episode with a fresh permanent GUID."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from stationcast.scaffold import slugify
from support import tree_digest


def test_new_creates_a_draft_with_a_fresh_guid(show: Path, run: Callable[..., Result]) -> None:
    """The manifest has the title, a UUID guid, the given date, and is a draft."""
    result = run("new", 'Mayor\'s "Budget" Plan: Día 1', "--date", "2024-05-01T06:00:00-04:00")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Created episodes/mayor-s-budget-plan-dia-1/episode.yaml\n"
    data = yaml.safe_load(
        (show / "mayor-s-budget-plan-dia-1" / "episode.yaml").read_text(encoding="utf-8")
    )
    assert data["title"] == 'Mayor\'s "Budget" Plan: Día 1'
    assert uuid.UUID(data["guid"]).version == 4
    assert data["draft"] is True
    assert str(data["published"]) == "2024-05-01 06:00:00-04:00"


def test_two_new_episodes_get_different_guids(show: Path, run: Callable[..., Result]) -> None:
    """Every scaffold gets its own GUID."""
    assert run("new", "One").exit_code == 0
    assert run("new", "Two").exit_code == 0
    one = yaml.safe_load((show / "one" / "episode.yaml").read_text())["guid"]
    two = yaml.safe_load((show / "two" / "episode.yaml").read_text())["guid"]
    assert one != two


def test_new_never_overwrites(show: Path, run: Callable[..., Result]) -> None:
    """An existing folder is left alone and the command fails with a clear message."""
    result = run("new", "Islamic State Defectors", "--slug", "islamic-state-defectors")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: episodes/islamic-state-defectors already exists; choose another --slug\n"
    )


def test_new_rejects_a_bad_slug(show: Path, run: Callable[..., Result]) -> None:
    """A slug that cannot be a URL segment is refused."""
    result = run("new", "Anything", "--slug", "../escape")
    assert result.exit_code == 2
    assert "Invalid value for --slug: '../escape' must be 1-100 lower-case letters" in result.stderr


def test_new_rejects_a_bad_date(show: Path, run: Callable[..., Result]) -> None:
    """A date without a UTC offset is a command-line error (exit 2), and nothing is created."""
    result = run("new", "Anything", "--date", "yesterday")
    assert result.exit_code == 2
    assert "Invalid value for --date: expected an ISO 8601 date-time" in result.stderr
    assert not (show / "anything").exists()


def test_slugify() -> None:
    """Slugs are ASCII, lower case, hyphenated, and cut at a word boundary."""
    assert (
        slugify("Report Compiles Stories Of Islamic State Defectors")
        == "report-compiles-stories-of-islamic-state-defectors"
    )
    assert slugify("Ça va? Über-cool!") == "ca-va-uber-cool"
    assert slugify("!!!") == "episode"
    assert len(slugify("word " * 40)) <= 60


# (title, what `new` says about it)
BAD_TITLE_CASES = [
    ("   ", "error: the title must not be empty\n"),
    (
        "\u200b",
        "error: the title is empty (only invisible characters, such as U+200B ZERO WIDTH SPACE);"
        " write the text\n",
    ),
    (
        "Budget\x0bPlan",
        "error: the title contains the control character U+000B, which XML does not allow;"
        " delete it (it often comes from pasted word-processor text)\n",
    ),
]


@pytest.mark.parametrize(("title", "message"), BAD_TITLE_CASES)
def test_new_refuses_a_title_the_manifest_would_refuse(
    title: str, message: str, show: Path, run: Callable[..., Result]
) -> None:
    """A title the episode model refuses is refused with the model's reason (exit 1), and no
    folder is created."""
    before = tree_digest(show)
    result = run("new", title, "--slug", "bad-title")
    assert (result.exit_code, result.stderr) == (1, message)
    assert "Traceback" not in result.output
    assert tree_digest(show) == before


PASTED = """\
MARIA ORTEGA, HOST:

Good morning. The county board meets tonight. Joining me is reporter James DeBruyn.

JAMES DEBRUYN, BYLINE: It does, and the budget is on the agenda.

ORTEGA: Thank you, James.

DEBRUYN: Thanks, Maria.
"""


def test_new_from_a_pasted_transcript_reads_the_credits(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """`new --transcript`: the transcript is copied in and the credits come from its labels,
    as `import page` reads them; with a summary and audio, the episode builds."""
    import shutil

    from support import EXAMPLE_SLUG

    pasted = tmp_path / "pasted.txt"
    pasted.write_text(PASTED, encoding="utf-8")
    result = run(
        "new", "Budget Night", "--transcript", str(pasted), "--date", "2024-05-01T06:00:00-04:00"
    )
    assert result.exit_code == 0, result.output
    folder = show / "budget-night"
    assert (folder / "transcript.txt").read_text(encoding="utf-8") == PASTED
    data = yaml.safe_load((folder / "episode.yaml").read_text(encoding="utf-8"))
    assert data["credits"] == [
        {"name": "Maria Ortega", "role": "host", "speaker": ["MARIA ORTEGA", "ORTEGA"]},
        {"name": "James DeBruyn", "role": "reporter", "speaker": ["JAMES DEBRUYN", "DEBRUYN"]},
    ]
    manifest = folder / "episode.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("draft: true\n", "").replace('summary: ""', "summary: The budget.")
    manifest.write_text(text, encoding="utf-8")
    shutil.copy(show / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    built = run("build")
    assert built.exit_code == 0, built.output
    assert "not in the credits" not in built.stderr
    page = (tmp_path / "feeds" / "budget-night" / "index.html").read_text(encoding="utf-8")
    assert "James DeBruyn" in page and "Thanks, Maria." in page


def test_new_refuses_a_transcript_that_is_not_utf8(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    pasted = tmp_path / "pasted.txt"
    pasted.write_bytes("MCEVERS: Caf\xe9.\n".encode("latin-1"))
    result = run("new", "Anything", "--transcript", str(pasted))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: --transcript pasted.txt: is not UTF-8 text (byte 12); save it as UTF-8\n",
    )
    assert not (show / "anything").exists()
