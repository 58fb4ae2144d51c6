"""The example show's built feed (feeds/feed.xml in the repository) is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.validate import validate_source

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "feeds" / "feed.xml"
STATE = ROOT / "feeds" / ".stationcast" / "state.json"


@pytest.mark.skipif(not FEED.exists(), reason="feeds/feed.xml has not been built")
def test_example_feed_has_no_errors_or_warnings() -> None:
    """Validated offline with its own folder as local root and its build state."""
    report = validate_source(str(FEED), previous_state=STATE if STATE.exists() else None)
    assert [report.describe(f) for f in report.findings if f.severity != "info"] == []
    assert report.ok(strict=True)


def test_finding_str_is_one_line() -> None:
    from stationcast.validate import RULES, Finding, Report

    f = Finding(RULES["apple.image.size"], "artwork is 10×10 px", 7, "itunes:image")
    assert str(f) == "line 7: apple.image.size: artwork is 10×10 px"
    assert Report([f], "feeds/feed.xml").describe(f) == (
        "feeds/feed.xml:7: apple.image.size: artwork is 10×10 px"
    )
