"""The hand-written clean feed passes every profile with nothing to report."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.validate import PROFILES

from .conftest import ids, run


@pytest.mark.parametrize("profile", list(PROFILES))
def test_clean_feed_has_no_findings(clean_bytes: bytes, site: Path, profile: str) -> None:
    """A complete station feed, with its files on disk, gives no errors, warnings or notes."""
    report = run(clean_bytes, site, profile=profile)
    assert [(f.rule.id, f.message, f.line) for f in report.findings] == []
    assert report.ok(strict=True)
    assert report.items == 3


def test_clean_feed_without_files(clean_bytes: bytes) -> None:
    """Without a local root nothing file-based is checked and the feed is still clean."""
    assert ids(run(clean_bytes)) == set()
