"""The broken-feed corpus: each feed fires exactly the rules its header names."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import corpus
from .conftest import ids, run

FILES = sorted(corpus.BROKEN.glob("*.xml"))


def test_corpus_is_up_to_date() -> None:
    """feeds/broken/ matches corpus.CASES (regenerate: uv run python -m tests.validate.corpus)."""
    on_disk = {p.stem for p in FILES}
    assert on_disk == set(corpus.CASES) | {"xml.encoding.invalid"}
    for rule in corpus.CASES:
        assert (corpus.BROKEN / f"{rule}.xml").read_bytes() == corpus.render(rule), rule


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_broken_feed_fires_its_rule_only(path: Path, site: Path) -> None:
    """Validating the feed (with the test site as local root) fires exactly the expected rules."""
    data = path.read_bytes()
    expected = corpus.expected_of(data, path.name)
    assert path.stem in expected
    report = run(data, site)
    assert ids(report) == expected, [(f.rule.id, f.message, f.line) for f in report.findings]
    for f in report.findings:
        if f.rule.id == path.stem and f.rule.id != "xml.empty":
            assert f.message


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_broken_feed_lines_point_into_the_file(path: Path, site: Path) -> None:
    """Every finding's line number is inside the feed."""
    data = path.read_bytes()
    n = data.count(b"\n") + 1
    for f in run(data, site).findings:
        assert f.line is None or 1 <= f.line <= n
