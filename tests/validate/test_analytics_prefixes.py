"""validate and prefix analytics: chains of known services, and the state compared behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stationcast import validate


def _feed_with(url: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>'
        "<link>https://example.org/</link><description>d</description><item><title>e</title>"
        "<guid>g1</guid><pubDate>Tue, 22 Sep 2015 17:35:00 -0400</pubDate>"
        f'<enclosure url="{url}" length="1000" type="audio/mpeg"/></item></channel></rss>'
    ).encode()


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://op3.dev/e/", "analytics.prefix.target"),
        ("https://op3.dev/e/dts.podtrac.com/redirect.mp3/", "analytics.prefix.target"),
        ("https://op3.dev/e/audio.mp3", "analytics.prefix.target"),
        (
            "https://dts.podtrac.com/redirect.mp3/https://media.example.org/a.mp3",
            "analytics.prefix.scheme",
        ),
        ("https://op3.dev/e/https://media.example.org/a.mp3", None),
        ("https://op3.dev/e/dts.podtrac.com/redirect.mp3/media.example.org/a.mp3", None),
        ("https://stats.example.org/p/media.example.org/a.mp3", None),  # not a known service
    ],
)
def test_validate_checks_chains_of_known_services(url: str, rule: str | None) -> None:
    report = validate.validate_bytes(_feed_with(url), location="feed.xml")
    found = [f.rule.id for f in report.findings if f.rule.id.startswith("analytics.")]
    assert found == ([rule] if rule else [])


def test_the_state_check_compares_media_urls(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    media = "https://media.example.org/a.mp3"
    state.write_text(json.dumps({"episodes": [{"guid": "g1", "enclosure": media}]}))
    for url, changed in [
        (f"https://op3.dev/e/{media[8:]}", False),
        (f"https://op3.dev/e/dts.podtrac.com/redirect.mp3/{media[8:]}", False),
        ("https://op3.dev/e/media.example.org/b.mp3", True),
    ]:
        report = validate.validate_bytes(_feed_with(url), location="feed.xml", previous_state=state)
        ids = [f.rule.id for f in report.findings if f.rule.id.startswith("state.")]
        assert ids == (["state.enclosure.changed"] if changed else []), url
