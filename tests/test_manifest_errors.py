"""Manifest problems are reported where the producer made them, with the right explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.errors import ManifestError, Problem
from stationcast.manifest import load_show, read_document
from support import EXAMPLE_SLUG


def _problems(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    assert read_document(path, problems) is None
    return problems


def _load_fails(show: Path) -> list[Problem]:
    with pytest.raises(ManifestError) as caught:
        load_show(show)
    return caught.value.problems


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unterminated_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    """A quote never closed is located at the opening quote, not at the end of the file."""
    path = tmp_path / "episode.yaml"
    path.write_text('title: "Report\nguid: abc\nsummary: x\n', encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (1, 8)
    assert problem.message == (
        "YAML syntax error: the quoted text opened here is never closed"
        " (reached the end of the file); add the closing quote"
    )


def test_unclosed_flow_mapping_is_reported_where_it_opens(tmp_path: Path) -> None:
    """An unclosed `{` is located at the brace, naming the line where the parser gave up."""
    path = tmp_path / "episode.yaml"
    text = "title: x\naudio: {url: https://example.org/a.mp3\nlength: 3\n"
    path.write_text(text, encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (2, 8)
    assert problem.message.startswith(
        "YAML syntax error: the flow mapping opened here with '{' is never closed with '}'"
        " (found ': 3' on line 3, column 7 where ',' or '}' was expected)"
    )


def test_error_on_one_line_keeps_the_problem_position(tmp_path: Path) -> None:
    """Errors without an opening construct on another line keep PyYAML's own position."""
    path = tmp_path / "episode.yaml"
    path.write_text("title: a\n  summary: b\n", encoding="utf-8")
    [problem] = _problems(path)
    assert (problem.line, problem.column) == (2, 10)
    assert problem.message == "YAML syntax error: mapping values are not allowed in this context"
