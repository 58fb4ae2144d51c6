"""Prefix analytics: `analytics:` chains enclosure URLs; the guards compare the media URL."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import Result

from stationcast import validate
from stationcast.spec.analytics import apply_chain, strip_prefixes
from support import EXAMPLE_SLUG, REPO, add_episode

OP3 = "https://op3.dev/e/"
PODTRAC = "https://dts.podtrac.com/redirect.mp3/"
MEDIA = f"https://podcasts.example.org/wunc/{EXAMPLE_SLUG}/audio.mp3"
OPUS = REPO / "tests" / "data" / "audio" / "opus-48000-mono.opus"


def set_analytics(show: Path, *prefixes: str) -> None:
    path = show / "show.yaml"
    text = re.sub(r"\nanalytics:\n(  - .*\n)*", "\n", path.read_text(encoding="utf-8"))
    if prefixes:
        text += "analytics:\n" + "".join(f"  - {p}\n" for p in prefixes)
    path.write_text(text, encoding="utf-8")


def enclosures(feed: Path) -> list[str]:
    text = feed.read_text(encoding="utf-8")
    return re.findall(r'<enclosure url="([^"]+)"', text) + re.findall(
        r'<podcast:source uri="([^"]+)"', text
    )


def test_the_chain_is_applied_in_order_without_the_schemes_that_follow() -> None:
    assert apply_chain([OP3, PODTRAC], MEDIA) == (
        "https://op3.dev/e/dts.podtrac.com/redirect.mp3/podcasts.example.org/wunc/"
        f"{EXAMPLE_SLUG}/audio.mp3"
    )
    assert apply_chain([], MEDIA) == MEDIA
    assert strip_prefixes(apply_chain([OP3, PODTRAC], MEDIA))[0] == MEDIA
    assert [s.name for s in strip_prefixes(apply_chain([OP3, PODTRAC], MEDIA))[1]] == [
        "OP3",
        "Podtrac",
    ]


@pytest.fixture
def published(show: Path, tmp_path: Path, run: Callable[..., Result]) -> Path:
    """The example show with an Opus alternate and a second episode, built (published)."""
    shutil.copy(OPUS, show / EXAMPLE_SLUG / "audio.opus")
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    manifest.write_text(manifest.read_text() + "alternates: [audio.opus]\n")
    add_episode(show, "second")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    return show


def test_adding_changing_and_removing_a_chain_never_trips_the_guard(
    published: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    feed = tmp_path / "feeds" / "feed.xml"
    before = enclosures(feed)
    state = (tmp_path / "feeds" / ".stationcast" / "state.json").read_text()
    assert len(before) == 4  # two enclosures, the MP3 and the Opus as alternates
    for chain in ([OP3, PODTRAC], [PODTRAC], []):
        set_analytics(published, *chain)
        result = run("build")
        assert result.exit_code == 0, result.stderr
        assert enclosures(feed) == [apply_chain(chain, url) for url in before]
        # the state keeps the media URLs: the same file whatever the chain
        assert (tmp_path / "feeds" / ".stationcast" / "state.json").read_text() == state
    set_analytics(published, OP3, PODTRAC)
    assert run("build").exit_code == 0
    # the podcast apps' parsers read the chained enclosures
    parsed = feedparser.parse(feed.read_bytes())
    hrefs = [link["href"] for e in parsed.entries for link in e.enclosures]
    main = re.findall(r'<enclosure url="([^"]+)"', feed.read_text(encoding="utf-8"))
    assert len(main) == 2 and hrefs == main
    assert all(h.startswith("https://op3.dev/e/dts.podtrac.com/redirect.mp3/") for h in hrefs)
    with feed.open("rb") as f:
        podcast = podcastparser.parse("https://podcasts.example.org/wunc/feed.xml", f)
    urls = [enc["url"] for ep in podcast["episodes"] for enc in ep["enclosures"]]
    assert urls == hrefs
    # a prefixed feed still validates against the state of the unprefixed one
    report = validate.validate_bytes(
        feed.read_bytes(),
        location="feed.xml",
        local_root=tmp_path / "feeds",
        previous_state=tmp_path / "feeds" / ".stationcast" / "state.json",
    )
    assert not [f for f in report.findings if f.rule.id.startswith(("state.", "analytics."))]


def test_a_real_change_of_the_media_url_behind_the_chain_is_still_caught(
    published: Path, run: Callable[..., Result]
) -> None:
    set_analytics(published, OP3)
    assert run("build").exit_code == 0
    (published / "second" / "audio.mp3").rename(published / "second" / "episode.mp3")
    manifest = published / "second" / "episode.yaml"
    manifest.write_text(manifest.read_text().replace("audio: audio.mp3", "audio: episode.mp3"))
    result = run("build")
    assert result.exit_code == 1
    assert "enclosure URL" in result.stderr and "--allow-guid-change" in result.stderr


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("http://op3.dev/e/", "expected an https:// URL"),
        ("https://op3.dev/e", "expected a prefix URL ending in /"),
        ("https://stats.example.org/p/?show=1", "expected a prefix URL ending in /"),
        (
            "https://dts.podtrac.com/redirect/",
            "is not the form of Podtrac's prefix, which is like"
            " 'https://dts.podtrac.com/redirect.mp3/'",
        ),
    ],
)
def test_a_bad_prefix_is_an_error_at_its_line(
    show: Path, run: Callable[..., Result], prefix: str, expected: str
) -> None:
    set_analytics(show, prefix)
    result = run("build")
    assert result.exit_code == 1
    lines = (show / "show.yaml").read_text().splitlines()
    line = lines.index(f"  - {prefix}") + 1
    assert f"show.yaml:{line}:5: analytics.0: " in result.stderr
    assert expected in result.stderr


@pytest.mark.parametrize(
    ("url", "services"),
    [
        # each as the service's own set-up instructions write it (see spec/analytics.py)
        ("https://chtbl.com/track/ABC123/podcasts.example.org/a.mp3", ["Chartable"]),
        ("https://chrt.fm/track/ABC123/podcasts.example.org/a.mp3", ["Chartable"]),
        ("https://pdcn.co/e/podcasts.example.org/a.mp3", ["Podcorn"]),
        ("https://media.blubrry.com/wunc/podcasts.example.org/a.mp3", ["Blubrry"]),
        (
            "https://pdst.fm/e/chtbl.com/track/95538/dts.podtrac.com/redirect.mp3/"
            "podcasts.example.org/a.mp3",
            ["Podsights", "Chartable", "Podtrac"],
        ),
    ],
)
def test_the_known_services_are_seen_through(url: str, services: list[str]) -> None:
    media, found = strip_prefixes(url)
    assert media == "https://podcasts.example.org/a.mp3"
    assert [s.name for s in found] == services


def test_a_long_chain_is_a_warning_at_its_line(show: Path, run: Callable[..., Result]) -> None:
    """More than four prefixes: each is a redirect, and apps follow only so many."""
    chain = [
        OP3,
        PODTRAC,
        "https://pdst.fm/e/",
        "https://pdcn.co/e/",
        "https://chtbl.com/track/X1/",
    ]
    set_analytics(show, *chain)
    result = run("build")
    assert result.exit_code == 0, result.output
    line = (show / "show.yaml").read_text().splitlines().index("analytics:") + 1
    assert (
        f"warning: episodes/show.yaml:{line + 1}:3: analytics: 5 prefixes chained; each is a"
        " redirect podcast apps must follow, and Apple Podcasts follows only so many: keep at"
        " most 4"
    ) in result.stderr.splitlines()
    assert run("build", "--strict").exit_code == 1
    set_analytics(show, *chain[:4])
    assert "prefixes chained" not in run("build").stderr


def test_the_pages_player_goes_through_the_chain_when_asked(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """By default the page plays the file itself (a page view is no download); with
    `analytics_pages: true` its player, download link and timestamps use the chained URL,
    as Podtrac and Blubrry ask, and the feed is the same."""
    set_analytics(show, OP3, PODTRAC)
    assert run("build").exit_code == 0
    page = tmp_path / "feeds" / EXAMPLE_SLUG / "index.html"
    feed = (tmp_path / "feeds" / "feed.xml").read_bytes()
    assert 'src="audio.mp3"' in page.read_text()
    (show / "show.yaml").write_text((show / "show.yaml").read_text() + "analytics_pages: true\n")
    assert run("build").exit_code == 0
    html = page.read_text()
    chained = apply_chain([OP3, PODTRAC], MEDIA)
    assert f'src="{chained}"' in html and f'<a href="{chained}"' in html
    assert 'audio.mp3"' not in html.replace(chained + '"', "")
    assert (tmp_path / "feeds" / "feed.xml").read_bytes() == feed
