"""A producer's first hour: `init` in an empty folder, `new`, a transcript and real audio,
then `build`, with no edits beyond the TODOs `init` and `new` print."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from PIL import Image

from stationcast.cli import cli
from stationcast.spec.podcast import podcast_guid
from support import REPO

TRANSCRIPT = """\
MARIA ORTEGA, HOST:

Good morning. The county board meets tonight.

JAMES DEBRUYN, BYLINE: It does, and the budget is on the agenda.

ORTEGA: Thank you, James.
"""


def cli_run(*args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def real_mp3(path: Path) -> None:
    """Two seconds of a 440 Hz tone, encoded by lame (through ffmpeg)."""
    if shutil.which("ffmpeg") is None:  # pragma: no cover - .ci/run installs it
        pytest.skip("ffmpeg is not installed")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k", str(path)],
        check=True,
    )  # fmt: skip


def fill(path: Path, old: str, new: str) -> None:
    """One edit a TODO asked for: `old` (once in the file) becomes `new`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_first_hour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "my-show"
    result = cli_run(
        "init", "my-show", "--title", "County Matters", "--station", "WXYZ Public Radio",
        "--base-url", "https://podcasts.example.org/county", cwd=tmp_path, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Created my-show/episodes/show.yaml and my-show/episodes/first-episode/episode.yaml\n"
    )
    show = home / "episodes" / "show.yaml"
    todos = re.findall(r"^  my-show/episodes/show\.yaml:(\d+): (\w+): ", result.stderr, re.M)
    assert [field for _, field in todos] == ["description", "artwork", "categories"]
    assert result.stderr.endswith(
        "Next: cd my-show && stationcast build, then stationcast serve to preview it\n"
    )
    lines = show.read_text(encoding="utf-8").splitlines()
    for line, field in todos:  # each TODO points at its field's line
        assert lines[int(line) - 1].startswith(f"{field}:")
    data = yaml.safe_load(show.read_text(encoding="utf-8"))
    assert data["podcast_guid"] == podcast_guid("https://podcasts.example.org/county/feed.xml")
    assert data["station"] == {"name": "WXYZ Public Radio"}

    # The TODOs of show.yaml.
    fill(show, 'description: ""', "description: The county's week, in ten minutes.")
    fill(show, "categories: []", "categories: [News > Politics]")
    Image.new("RGB", (1400, 1400), (20, 90, 160)).save(home / "episodes" / "artwork.jpg")

    # `stationcast new`, and what it says to do next.
    result = cli_run(
        "new", "Budget Night", "--date", "2026-11-30T18:00:00-05:00", cwd=home,
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created episodes/budget-night/episode.yaml\n"
    assert "put the audio and transcript in that folder" in result.stderr
    episode = home / "episodes" / "budget-night"
    real_mp3(episode / "audio.mp3")
    (episode / "transcript.txt").write_text(TRANSCRIPT, encoding="utf-8")
    manifest = episode / "episode.yaml"
    fill(manifest, 'summary: ""', "summary: The county board takes up the budget.")
    fill(manifest, '  - name: ""', "  - name: Maria Ortega")
    fill(manifest, "    speaker: []", "    speaker: ORTEGA")
    fill(manifest, "draft: true\n", "")

    result = cli_run("build", cwd=home, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert re.match(r"Built 1 episode into feeds/ in [0-9.]+ s", result.stdout)
    feed = (home / "feeds" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Budget Night</title>" in feed
    assert f"<podcast:guid>{data['podcast_guid']}</podcast:guid>" in feed
    assert "First episode" not in feed  # init's draft stays out
    page = (home / "feeds" / "budget-night" / "index.html").read_text(encoding="utf-8")
    assert "Maria Ortega" in page and "Thank you, James." in page


def test_init_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("init", "--title", "T", "--station", "S", "--base-url", "https://example.org/")
    assert cli_run(*args, cwd=tmp_path, monkeypatch=monkeypatch).exit_code == 0
    before = (tmp_path / "episodes" / "show.yaml").read_bytes()
    result = cli_run(*args, cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: episodes/show.yaml already exists; this folder already holds a show\n"
    )
    assert (tmp_path / "episodes" / "show.yaml").read_bytes() == before


def test_init_refuses_a_bad_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli_run(
        "init", "--title", "T", "--station", "S", "--base-url", "podcasts.example.org",
        cwd=tmp_path, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --base-url 'podcasts.example.org': expected an http:// or https:// URL,"
        " got 'podcasts.example.org'\n"
    )
    assert not (tmp_path / "episodes").exists()


def test_windows_is_refused_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows every command stops with one line saying why, before importing the build."""
    monkeypatch.setattr("sys.platform", "win32")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: stationcast runs on Linux and macOS, not on Windows: the build's lock and its"
        " swap of the output folder need POSIX; run it under WSL\n"
    )


def test_readme_and_ci_run_the_same_test_command() -> None:
    """The quick start's test command is the one .ci/run runs."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = "uv run --locked pytest"
    assert f"\n{command}  " in readme
    assert f"\n{command}\n" in ci


def test_tests_copy_only_the_example() -> None:
    """No test copies or builds the whole episodes/ folder, where a user's own episode may be:
    they copy the example's files (support.copy_example)."""
    pattern = re.compile(r"copytree\(EXAMPLE\b|build_show\(EXAMPLE\b|parents\[\d\] / \"episodes\"")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_init_asks_for_what_it_was_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README's quick start runs it: `stationcast init` alone asks for the title, the
    station and the feed's URL."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["init"], input="County Matters\nWXYZ Public Radio\nhttps://example.org/county/\n"
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "episodes" / "show.yaml").read_text(encoding="utf-8"))
    assert (data["title"], data["station"]["name"], data["base_url"]) == (
        "County Matters",
        "WXYZ Public Radio",
        "https://example.org/county/",
    )
    assert result.stderr.endswith("Next: stationcast build, then stationcast serve to preview it\n")
