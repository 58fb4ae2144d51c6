"""`stationcast import page`: the seed page and station/NPR-style pages -> episode folders."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from stationcast.build import build_show
from stationcast.cli import cli
from stationcast.importers.command import import_command
from stationcast.manifest import load_show
from support import EXAMPLE, EXAMPLE_SLUG

from .conftest import DATA, manifest

SEED = Path("/work/shared/seeds/000_1fe1131ae2569e04.txt")
SEED_COPY = DATA / "seed_wunc.txt"


if "import" not in cli.commands:  # until the lead registers it in cli.py
    cli.add_command(import_command)


def _run(*args: str) -> Result:
    """The real CLI (its error handling included): `stationcast import page ARGS`."""
    return CliRunner().invoke(cli, ["import", "page", *args], catch_exceptions=False)


def _fill(manifest: Path, **values: str) -> None:
    """Do what the producer does: replace TODO fields, drop the TODO comments and the draft flag."""
    lines = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("# TODO(import)") or line == "draft: true":
            continue
        lines.append(line)
    text = "\n".join(lines) + "\n"
    # Continuation lines of a wrapped TODO comment.
    text = re.sub(r"(?m)^\s*# (?!Imported|Fields|Permanent|Written).*\n", "", text)
    for key, value in values.items():
        text, count = re.subn(rf"(?m)^(\s*-? ?){key}: .*$", lambda m: f"{m.group(1)}{key}: {value}", text, count=1)
        assert count == 1, key
    manifest.write_text(text, encoding="utf-8")


def _transcript_section(html: str) -> str:
    return html[html.index('<section aria-labelledby="transcript-heading"') : html.index('<section aria-labelledby="formats-heading"')]


def test_seed_page_builds_the_example_transcript_page(empty_show: Path, tmp_path: Path) -> None:
    """Seed page -> import -> fill guid, date, audio and the host's name -> build: the episode page is
    byte-identical to the hand-made example's, apart from the guest's job title the page does not give."""
    result = _run(str(SEED_COPY), "--episodes", str(empty_show), "--slug", EXAMPLE_SLUG)
    assert result.exit_code == 0, result.output
    folder = empty_show / EXAMPLE_SLUG
    assert (folder / "transcript.txt").read_bytes() == (EXAMPLE / EXAMPLE_SLUG / "transcript.txt").read_bytes()
    _fill(
        folder / "episode.yaml",
        guid="1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909",
        published="2015-09-22T17:35:00-04:00",
        name='"Kelly McEvers"',
    )
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
    build_show(empty_show, tmp_path / "feeds")
    # The hand-made example, built by the same code (the committed feeds/ may lag templates).
    build_show(EXAMPLE, tmp_path / "example-feeds")
    built = (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    golden = (tmp_path / "example-feeds" / EXAMPLE_SLUG / "index.html").read_text(encoding="utf-8")
    assert _transcript_section(built) == _transcript_section(golden)
    # The example credits Peter Neumann's job title, which the page does not state.
    assert built == re.sub(r'<span class="title">, (?:<bdi>)?Head of the International Centre[^<]*(?:</bdi>)?</span>', "", golden)
    for name in ("transcript.txt", "audio.mp3"):
        assert (tmp_path / "feeds" / EXAMPLE_SLUG / name).read_bytes() == (tmp_path / "example-feeds" / EXAMPLE_SLUG / name).read_bytes()


def test_seed_copy_is_the_seed() -> None:
    """The fixture is the shared seed page, unchanged (skipped where the shared folder is absent)."""
    if SEED.exists():
        assert SEED_COPY.read_bytes() == SEED.read_bytes()


def test_seed_page_credits_and_todos(empty_show: Path) -> None:
    """Host from the sign-off "That's Peter Neumann", guest's full name from the text; the
    host's full name, the date and the audio are TODOs the command lists."""
    result = _run(str(SEED_COPY), "--episodes", str(empty_show))
    assert result.exit_code == 0, result.output
    slug = "report-compiles-stories-of-islamic-state-defectors"
    data = manifest(empty_show / slug / "episode.yaml")
    assert data["draft"] is True
    assert data["title"] == "Report Compiles Stories Of Islamic State Defectors"
    assert data["summary"].startswith("What happens when you leave the militant Islamist group ISIS?")
    assert data["transcript"] == {"file": "transcript.txt", "credit": "Transcript provided by NPR, Copyright NPR."}
    assert data["credits"] == [
        {"name": "", "role": "host", "speaker": "MCEVERS"},
        {"name": "Peter Neumann", "role": "guest", "speaker": ["PETER NEUMANN", "NEUMANN"]},
    ]
    assert data["published"] == ""
    stderr = result.stderr
    assert "3 fields to fill in (marked TODO(import)):" in stderr
    assert f"{slug}/episode.yaml:11: published: the page gives no date" in stderr
    assert "audio: the page has no audio file" in stderr
    assert "name: the page has only the label MCEVERS" in stderr
    assert "note: MCEVERS is the host and PETER NEUMANN the guest" in stderr
    assert "differs:" not in stderr  # the page's station header matches the example show.yaml


def test_seed_page_starts_show_yaml(tmp_path: Path) -> None:
    """Without show.yaml, the station header fills one that load_show accepts, with TODO marks."""
    episodes = tmp_path / "episodes"
    result = _run(str(SEED_COPY), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    text = (episodes / "show.yaml").read_text(encoding="utf-8")
    assert "# TODO(import): base_url:" in text
    data = yaml.safe_load(text)
    example = manifest(EXAMPLE / "show.yaml")["station"]
    assert data["station"] == {k: example[k] for k in ("name", "slogan", "address", "phones")}
    assert data["copyright"] == "© 2024 WUNC North Carolina Public Radio"
    loaded = load_show(episodes)  # the episode is a draft: skipped, listed
    assert loaded.show.station.phones == ["919.445.9150", "800.962.9862"]
    assert loaded.drafts == ("report-compiles-stories-of-islamic-state-defectors",)
    assert "note: " in result.stderr and "country: US, from the state and ZIP code" in result.stderr


def test_station_differences_are_reported(empty_show: Path) -> None:
    """A show.yaml whose station details differ from the page's is kept; each difference listed."""
    show = empty_show / "show.yaml"
    show.write_text(show.read_text().replace("800.962.9862", "800.555.0100").replace("Bringing The World Home To You", "Old slogan"))
    before = show.read_bytes()
    result = _run(str(SEED_COPY), "--episodes", str(empty_show))
    assert result.exit_code == 0
    assert show.read_bytes() == before
    assert "differs: episodes/show.yaml: station.slogan: show.yaml has 'Old slogan', the page has 'Bringing The World Home To You'" in result.stderr.replace(str(empty_show.parent) + "/", "")
    assert "station.phones: show.yaml has ['919.445.9150', '800.555.0100'], the page has ['919.445.9150', '800.962.9862']" in result.stderr
