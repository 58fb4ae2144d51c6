"""`stationcast schema`: JSON Schemas of the manifests from the models, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from stationcast.cli import cli
from stationcast.manifest import read_document
from support import EXAMPLE, EXAMPLE_SLUG


def _schema(name: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _data(path: Path) -> object:
    doc = read_document(path, [])  # as the build reads it: dates stay text
    assert doc is not None
    return doc.data


@pytest.mark.parametrize(
    ("name", "path"),
    [("show", EXAMPLE / "show.yaml"), ("episode", EXAMPLE / EXAMPLE_SLUG / "episode.yaml")],
)
def test_the_example_fits_its_schema(name: str, path: Path) -> None:
    jsonschema.Draft202012Validator(_schema(name)).validate(_data(path))


def test_shorthands_fit_and_typos_do_not() -> None:
    """What the models accept as a shorthand fits; an unknown field or a wrong type does not."""
    validator = jsonschema.Draft202012Validator(_schema("episode"))
    base = {"title": "T", "published": "2024-05-01T06:00:00-04:00", "summary": "S"}
    good = {
        **base,
        "audio": "audio.mp3",
        "credits": [{"name": "A", "speaker": "A"}],
        "image": "cover.jpg",
        "soundbites": [{"start": "1:15", "duration": 30}],
    }
    assert list(validator.iter_errors(good)) == []
    assert [e.message for e in validator.iter_errors({**good, "titel": "T"})] == [
        "Additional properties are not allowed ('titel' was unexpected)"
    ]
    assert list(validator.iter_errors({**good, "credits": [{"name": 5}]}))


def test_init_and_new_point_editors_at_the_schemas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["init", "--title", "T", "--station", "S", "--base-url", "https://example.org/"]
    assert runner.invoke(cli, args).exit_code == 0
    assert runner.invoke(cli, ["new", "Second"]).exit_code == 0
    show = (tmp_path / "episodes" / "show.yaml").read_text(encoding="utf-8")
    episode = (tmp_path / "episodes" / "second" / "episode.yaml").read_text(encoding="utf-8")
    assert show.startswith("# yaml-language-server: $schema=.schema/show.json\n")
    assert episode.startswith("# yaml-language-server: $schema=../.schema/episode.json\n")
    for name in ("show", "episode"):
        written = (tmp_path / "episodes" / ".schema" / f"{name}.json").read_text(encoding="utf-8")
        assert json.loads(written) == _schema(name)
    result = runner.invoke(cli, ["schema", "--write"])
    assert (
        result.stdout == "Wrote episodes/.schema/show.json\nWrote episodes/.schema/episode.json\n"
    )
