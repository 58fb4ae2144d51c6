"""`stationcast import feed` changes no data silently: a repeated guid is reported (naming both
items) instead of dropped, and a pubDate's year is kept as written, refused when impossible,
or read by RFC 5322's rule for two and three digits with a note."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.importers.dates import parse_date

from .helpers import manifest, stationcast_cli

CLI = stationcast_cli()


def _item(title: str, guid: str, date: str = "Tue, 22 Sep 2015 17:35:00 -0400") -> str:
    return (
        f"<item><title>{title}</title><guid>{guid}</guid><pubDate>{date}</pubDate>"
        f'<description>About {title}.</description><enclosure url="https://media.example/'
        f'{guid}-{len(title)}.mp3" length="1000" type="audio/mpeg"/></item>\n'
    )


def _feed(tmp_path: Path, *items: str) -> Path:
    path = tmp_path / "old-feed.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        "<title>Night Shift</title><link>https://s.example/</link>"
        "<description>Radio after dark.</description>\n" + "".join(items) + "</channel></rss>\n",
        encoding="utf-8",
    )
    return path


def _import(feed: Path, episodes: Path) -> Result:
    result = CliRunner().invoke(
        CLI, ["import", "feed", str(feed), "--episodes", str(episodes)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def _repeated_note(feed: Path) -> str:
    return (
        f"note: {feed}:5: item 2 ('Storm, part 2') has the guid 'ep-12' of item 1 ('Storm', "
        "line 4); not imported: a guid names one episode, and stationcast does not invent "
        "another (give it its own in the old feed, or add it with `stationcast new`)"
    )


def test_repeated_guid_is_reported_naming_both_items(tmp_path: Path) -> None:
    """The second item with a guid is not imported, and the report names both items and
    counts it in the summary; no new guid is made up for it."""
    feed = _feed(tmp_path, _item("Storm", "ep-12"), _item("Storm, part 2", "ep-12"))
    episodes = tmp_path / "episodes"
    result = _import(feed, episodes)
    assert _repeated_note(feed) in result.stderr.splitlines()
    assert result.stdout.splitlines()[-1] == (
        f"Imported 1 episode into {episodes}/; 1 not imported (a guid used twice; see the notes)"
    )
    folders = sorted(p.name for p in episodes.iterdir() if p.is_dir())
    assert folders == ["storm"]
    assert manifest(episodes / "storm" / "episode.yaml")["guid"] == "ep-12"  # type: ignore[index]


def test_repeated_guid_is_reported_again_on_a_rerun(tmp_path: Path) -> None:
    """Run again, the first item is 'already there', and the repeat is still reported."""
    feed = _feed(tmp_path, _item("Storm", "ep-12"), _item("Storm, part 2", "ep-12"))
    episodes = tmp_path / "episodes"
    _import(feed, episodes)
    result = _import(feed, episodes)
    assert _repeated_note(feed) in result.stderr.splitlines()
    assert result.stdout.splitlines()[-1] == (
        f"Imported 0 episodes into {episodes}/; 1 already there (same guid) skipped; "
        "1 not imported (a guid used twice; see the notes)"
    )


_RFC_TWO = "(RFC 5322: 00-49 are 2000-2049, 50-99 are 1950-1999)"
# (pubDate, published as written to episode.yaml or "" for a TODO, the note or TODO reason)
DATE_CASES = [
    ("Tue, 22 Sep 2015 17:35:00 -0400", "2015-09-22T17:35:00-04:00", ""),
    (
        "Tue, 22 Sep 15 17:35:00 -0400",
        "2015-09-22T17:35:00-04:00",
        f"note: item 1: pubDate: the two-digit year 15 is read as 2015 {_RFC_TWO}",
    ),
    (
        "Fri, 22 Sep 50 10:00:00 +0000",
        "1950-09-22T10:00:00+00:00",
        f"note: item 1: pubDate: the two-digit year 50 is read as 1950 {_RFC_TWO}",
    ),
    (
        "Tue, 22 Sep 115 17:35:00 -0400",
        "2015-09-22T17:35:00-04:00",
        "note: item 1: pubDate: the three-digit year 115 is read as 2015 (RFC 5322: 1900 plus it)",
    ),
    (
        "Mon, 01 Jan 0001 00:00:00 +0000",
        "",
        "published: the feed's date 'Mon, 01 Jan 0001 00:00:00 +0000' has the year 0001, which "
        "cannot be a publication date (before 1900; a placeholder?); write it as ISO 8601 with "
        "a UTC offset",
    ),
    (
        "Thu, 01 Jan 0099 10:00:00 +0000",
        "",
        "published: the feed's date 'Thu, 01 Jan 0099 10:00:00 +0000' has the year 0099, which "
        "cannot be a publication date (before 1900; a placeholder?); write it as ISO 8601 with "
        "a UTC offset",
    ),
]


@pytest.mark.parametrize(("date", "published", "said"), DATE_CASES)
def test_pubdate_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, date: str, published: str, said: str
) -> None:
    """A four-digit year is kept or, before 1900, refused with a TODO (never turned into
    2001/1999); two and three digits follow RFC 5322 with a note naming the item."""
    monkeypatch.chdir(tmp_path)  # paths in the report are relative to the working folder
    _feed(tmp_path, _item("Storm", "ep-12", date))
    result = _import(Path("old-feed.xml"), Path("episodes"))
    episode = tmp_path / "episodes" / "storm" / "episode.yaml"
    data = manifest(episode)
    assert data["published"] == published  # type: ignore[index]
    lines = result.stderr.splitlines()
    if not said:
        assert not [line for line in lines if "pubDate" in line or ": published:" in line]
    elif said.startswith("note: "):
        assert f"note: old-feed.xml:4: {said.removeprefix('note: ')}" in lines
    else:
        line = episode.read_text(encoding="utf-8").splitlines().index('published: ""') + 1
        assert f"  episodes/storm/episode.yaml:{line}: {said}" in lines
        assert data["draft"] is True  # type: ignore[index]


# (text on a story page, the date read or None, the reason when None)
PAGE_DATE_CASES = [
    ("Published Sep 22, 2015 10:00 GMT", "2015-09-22T10:00:00+00:00", ""),
    ("Published Sep 22, 2015 at 10:00 a.m. ET", "2015-09-22T10:00:00-04:00", ""),
    (
        "Published Jan 1, 0001 10:00 AM EST",
        None,
        "'Jan 1, 0001 10:00 AM EST' has the year 0001, which cannot be a publication date "
        "(before 1900; a placeholder?)",
    ),
    (
        "0001-01-01T00:00:00Z",
        None,
        "'0001-01-01T00:00:00Z' has the year 0001, which cannot be a publication date "
        "(before 1900; a placeholder?)",
    ),
]


@pytest.mark.parametrize(("text", "value", "problem"), PAGE_DATE_CASES)
def test_page_dates(text: str, value: str | None, problem: str) -> None:
    """Page datelines: a zone after the time is read (not dropped), a year before 1900 is
    refused with the reason."""
    found = parse_date(text)
    assert found is not None
    assert (found.value.isoformat() if found.value else None, found.problem) == (value, problem)
