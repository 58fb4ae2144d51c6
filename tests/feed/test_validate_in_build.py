"""The build validates its own feed (offline) and refuses to publish one with errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import stationcast.validate as validate
from support import tree_digest


def test_the_example_feed_has_no_validation_errors(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """`stationcast validate` (every profile, offline, files checked in the output) finds no error."""
    assert run("build").exit_code == 0
    out = tmp_path / "feeds"
    report = validate.validate_bytes(
        (out / "feed.xml").read_bytes(), location="feed.xml", local_root=out
    )
    assert [report.describe(f) for f in report.errors] == []


def test_a_feed_with_validation_errors_is_not_published(
    show: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When validation finds an error in the staged feed, the build fails and feeds/ is untouched."""
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    real = validate.validate_bytes
    seen: dict[str, Any] = {}

    def strict(data: bytes, **kwargs: Any) -> Any:
        seen.update(kwargs)
        report = real(data, **kwargs)
        rule = next(r for r in validate.RULES.values() if r.severity == "error")
        report.findings.append(validate.Finding(rule, "planted for this test", 7))
        return report

    monkeypatch.setattr(validate, "validate_bytes", strict)
    result = run("build")
    assert result.exit_code == 1
    rule_id = next(r for r in validate.RULES.values() if r.severity == "error").id
    assert result.stderr == (
        "error: the built feed fails validation (1 error), so it was not published and the previous"
        f" output is untouched:\n  feed.xml:7: {rule_id}: planted for this test\n"
    )
    assert tree_digest(tmp_path / "feeds") == before
    assert seen["location"] == "feed.xml" and seen["local_root"].name.startswith(".feeds.staging-")
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]
