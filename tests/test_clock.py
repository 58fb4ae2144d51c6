"""The build's clock (--now, SOURCE_DATE_EPOCH) and the station's time zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from stationcast.build.schedule import build_now, say_until, say_when
from stationcast.errors import BuildError
from stationcast.models.values import zone_of
from support import add_episode


def set_timezone(show: Path, name: str) -> None:
    """Give the show's station a time zone (the first key of its station block)."""
    path = show / "show.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nstation:\n" in text
    path.write_text(text.replace("\nstation:\n", f"\nstation:\n  timezone: {name}\n", 1))


def pub_dates(feed: Path) -> list[str]:
    return re.findall(r"<pubDate>([^<]+)</pubDate>", feed.read_text(encoding="utf-8"))


def test_now_comes_from_the_option_then_source_date_epoch_then_the_clock() -> None:
    assert build_now("2026-12-03T07:00:00-05:00", {}) == datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert build_now(None, {"SOURCE_DATE_EPOCH": "1733216400"}) == datetime(
        2024, 12, 3, 9, tzinfo=UTC
    )
    assert build_now("2026-12-03T07:00:00Z", {"SOURCE_DATE_EPOCH": "0"}).year == 2026
    before = datetime.now(UTC)
    assert before <= build_now(None, {}) <= datetime.now(UTC)
    with pytest.raises(BuildError, match="no UTC offset"):
        build_now("2026-12-03T07:00", {})
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH='soon': expected whole seconds"):
        build_now(None, {"SOURCE_DATE_EPOCH": "soon"})


def test_times_are_said_on_the_station_clock() -> None:
    now = datetime(2026, 12, 2, 22, tzinfo=UTC)
    when = datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert say_when(when, zone_of("America/New_York"), now) == "Thu 3 Dec 07:00 EST"
    assert say_when(when, None, now) == "Thu 3 Dec 12:00 UTC"
    assert say_when(datetime(2027, 7, 1, 12, tzinfo=UTC), zone_of("America/New_York"), now) == (
        "Thu 1 Jul 2027 08:00 EDT"
    )
    assert say_until(when, now) == "in 14 h"
    assert say_until(datetime(2026, 12, 2, 22, 25, tzinfo=UTC), now) == "in 25 min"
    assert say_until(datetime(2026, 12, 9, 22, tzinfo=UTC), now) == "in 7 d"


def test_a_date_without_an_offset_is_read_in_the_station_zone_across_dst(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Winter and summer times in America/New_York get EST and EDT; an offset still counts."""
    set_timezone(show, "America/New_York")
    add_episode(show, "winter", published="2016-03-12T07:00:00")  # the day before DST starts
    add_episode(show, "summer", published="2016-03-14 07:00")  # the day after
    add_episode(show, "given", published="2016-03-13T07:00:00+00:00")
    result = run("build", "--now", "2026-01-01T00:00:00Z")
    assert result.exit_code == 0, result.stderr
    dates = pub_dates(tmp_path / "feeds" / "feed.xml")
    assert dates[:3] == [
        "Mon, 14 Mar 2016 07:00:00 -0400",
        "Sun, 13 Mar 2016 07:00:00 +0000",
        "Sat, 12 Mar 2016 07:00:00 -0500",
    ]
    # The page shows the day as the station's clock has it: 02:00 UTC is the evening before.
    add_episode(show, "late", published="2016-03-20T02:00:00Z")
    assert run("build", "--now", "2026-01-01T00:00:00Z").exit_code == 0
    page = (tmp_path / "feeds" / "late" / "index.html").read_text(encoding="utf-8")
    assert "March 19, 2016</time>" in page
    assert 'datetime="2016-03-20T02:00:00+00:00"' in page
    listing = (tmp_path / "feeds" / "index.html").read_text(encoding="utf-8")
    assert "March 19, 2016" in listing


def test_without_a_station_zone_a_time_needs_an_offset(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """No station.timezone: a date without an offset is an error naming the fix."""
    folder = add_episode(show, "plain", published="2016-03-12T07:00:00")
    result = run("build")
    assert result.exit_code == 1
    assert f"{folder.name}/episode.yaml:3:12: published: '2016-03-12T07:00:00' has no UTC" in (
        result.stderr
    )
    assert "station:\n" not in result.stderr and "timezone: America/New_York" in result.stderr


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2016-03-13T02:30:00", "does not exist in America/New_York: the clocks skip that hour"),
        (
            "2016-11-06T01:30:00",
            "happens twice in America/New_York (daylight saving time ends); add the UTC offset"
            " to say which: -04:00 (EDT) or -05:00 (EST)",
        ),
    ],
)
def test_times_the_dst_change_skips_or_repeats_are_errors_at_the_line(
    show: Path, run: Callable[..., Result], written: str, expected: str
) -> None:
    set_timezone(show, "America/New_York")
    add_episode(show, "edge", published=written)
    result = run("build", "--now", "2026-01-01T00:00:00Z")
    assert result.exit_code == 1
    assert f"edge/episode.yaml:3:12: published: '{written}' {expected}" in result.stderr


def test_an_unknown_time_zone_is_an_error_in_show_yaml(
    show: Path, run: Callable[..., Result]
) -> None:
    set_timezone(show, "America/Raleigh")
    result = run("build")
    assert result.exit_code == 1
    assert "show.yaml:" in result.stderr
    assert "station.timezone: expected an IANA time zone name like America/New_York" in (
        result.stderr
    )
    assert "'America/Raleigh'" in result.stderr


def test_an_episode_cannot_set_its_own_zone(show: Path, run: Callable[..., Result]) -> None:
    folder = add_episode(show, "elsewhere")
    with (folder / "episode.yaml").open("a", encoding="utf-8") as f:
        f.write("station:\n  timezone: Europe/Berlin\n")
    result = run("build")
    assert result.exit_code == 1
    assert "elsewhere/episode.yaml:" in result.stderr and "timezone" in result.stderr


def test_the_validation_gate_uses_the_builds_clock(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """An episode dated after the wall clock but before --now is due: it builds."""
    add_episode(show, "ahead", published="2099-01-05T08:00:00-05:00")
    result = run("build", "--now", "2099-01-06T00:00:00Z")
    assert result.exit_code == 0, result.stderr
    assert pub_dates(tmp_path / "feeds" / "feed.xml")[0] == "Mon, 05 Jan 2099 08:00:00 -0500"


def test_a_bad_now_is_a_usage_error(show: Path, run: Callable[..., Result]) -> None:
    result = run("build", "--now", "tomorrow")
    assert result.exit_code != 0
    assert "--now" in result.stderr and "tomorrow" in result.stderr


def test_new_reads_a_local_date_in_the_station_zone(show: Path, run: Callable[..., Result]) -> None:
    set_timezone(show, "America/New_York")
    result = run("new", "Morning Edition", "--date", "2026-07-01T06:00")
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((show / "morning-edition" / "episode.yaml").read_text())
    assert str(data["published"]) == "2026-07-01 06:00:00-04:00"
    result = run("new", "Skipped", "--date", "2026-03-08T02:30")
    assert result.exit_code == 1
    assert "does not exist in America/New_York" in result.stderr
    assert not (show / "skipped").exists()


def test_new_without_a_zone_wants_an_offset(show: Path, run: Callable[..., Result]) -> None:
    result = run("new", "Morning Edition", "--date", "2026-07-01T06:00")
    assert result.exit_code == 1
    assert "has no UTC offset" in result.stderr
    assert not (show / "morning-edition").exists()
