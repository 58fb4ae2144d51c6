"""`validate --apps`: the feed as feedparser and gPodder's podcastparser read it, compared
with what the feed says."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stationcast.cli import cli
from stationcast.spec.namespaces import PODCAST, PODCAST_GITHUB
from stationcast.validate import validate_bytes
from stationcast.validate.apps import APPS, App, check_apps
from stationcast.validate.safexml import parse_feed
from support import EXAMPLE_OUTPUT as EXAMPLE_FEEDS

pytest.importorskip("feedparser", reason="the `apps` extra (feedparser) is not installed")
pytest.importorskip("podcastparser", reason="the `apps` extra (podcastparser) is not installed")


def _feed(namespace: str = PODCAST, second_item: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:podcast="{namespace}"><channel><title>Show</title><link>https://s.example/</link>
<description>d</description>
<item><title>One</title><guid>g1</guid>
<enclosure url="https://s.example/1.mp3" length="100" type="audio/mpeg"/>
<itunes:duration>3:43</itunes:duration>
<podcast:transcript url="https://s.example/1.vtt" type="text/vtt"/>
<podcast:transcript url="https://s.example/1.srt" type="application/x-subrip"/>
<podcast:person role="host">Kelly McEvers</podcast:person>
</item>{second_item}</channel></rss>""".encode()


def _findings(data: bytes) -> list[tuple[str, str]]:
    root, _, _ = parse_feed(data)
    return [(f.rule.id, f.message) for f in check_apps(root, data)]


def test_the_example_as_apps_see_it() -> None:
    """The example's five transcripts and two persons: feedparser keeps one transcript and no
    names, podcastparser none of them (it knows only the namespace's old URI)."""
    data = (EXAMPLE_FEEDS / "feed.xml").read_bytes()
    found = _findings(data)
    assert {rule for rule, _ in found} == {"apps.summary", "apps.limit"}
    messages = "\n".join(m for _, m in found)
    assert "feedparser (many aggregators" in messages and "podcastparser (gPodder) sees" in messages
    assert "1 transcript for 5 transcripts" in messages
    assert "(no name) for 'Kelly McEvers', 'Peter Neumann'" in messages
    assert f"only under the namespace's old GitHub URI, not {PODCAST}" in messages
    # an app limit is not the feed's fault: no warning, so --strict still passes
    report = validate_bytes(data, location="feed.xml", apps=True)
    assert not [f for f in report.warnings if f.rule.id.startswith("apps.")]


def test_under_the_old_namespace_uri_podcastparser_sees_transcripts_and_persons() -> None:
    podcastparser = [m for _, m in _findings(_feed(PODCAST_GITHUB)) if "podcastparser" in m]
    assert podcastparser[0].startswith("podcastparser (gPodder) sees 1 of 1 items")
    assert "persons on 1 of 1" in podcastparser[0]
    assert not any("no persons" in m or "no transcripts" in m for m in podcastparser)


def test_an_enclosure_an_app_reads_otherwise_is_a_warning() -> None:
    """A relative enclosure URL: podcastparser resolves it against where it fetched the feed,
    feedparser keeps it as written; the feed's fault, so a warning names the item."""
    data = _feed().replace(b'url="https://s.example/1.mp3"', b'url="1.mp3"')
    warnings = [m for rule, m in _findings(data) if rule == "apps.differs"]
    assert warnings == [
        "podcastparser (gPodder) sees other enclosures on 1 (first: 'One':"
        " 'https://feed.invalid/1.mp3' for '1.mp3')"
    ], warnings


def test_a_parser_that_is_not_installed_is_named() -> None:
    missing = App("no_such_parser_module", "some app", lambda data: [])
    root, _, _ = parse_feed(_feed())
    (finding,) = check_apps(root, _feed(), apps=[missing])
    assert finding.rule.id == "apps.unavailable"
    assert "pip install 'stationcast[apps]'" in finding.message


def test_a_parser_that_fails_is_a_warning_naming_it() -> None:
    def broken(data: bytes) -> list:  # type: ignore[type-arg]
        raise ValueError("cannot read this")

    root, _, _ = parse_feed(_feed())
    (finding,) = check_apps(root, _feed(), apps=[App("json", "a test app", broken)])
    assert finding.rule.id == "apps.differs"
    assert finding.message == "json (a test app) fails on this feed: ValueError: cannot read this"


def test_validate_apps_on_the_command_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_feed())
    result = CliRunner().invoke(cli, ["validate", "--apps", str(feed)])
    assert result.exit_code == 1  # (the minimal feed lacks what Apple requires)
    assert "apps.summary: feedparser" in result.output
    assert "apps.summary: podcastparser (gPodder) sees 1 of 1 items" in result.output
    assert [app.name for app in APPS] == ["feedparser", "podcastparser"]
