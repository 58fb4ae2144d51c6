"""A station folder: station.yaml and several shows, one build, one publish."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import listparser
import pytest
from click.testing import CliRunner
from lxml import etree

from station.conftest import CLIP, copy_station
from stationcast.build import build_show
from stationcast.cli import cli
from stationcast.manifest import load_show_model
from stationcast.station.build import build_station
from stationcast.validate.api import validate_source
from support import EXAMPLE_SLUG, copy_example, tree_digest

PN = "{https://podcastindex.org/namespace/1.0}"
NOW = "2026-12-03T12:00:00Z"


def feed(out: Path, show: str) -> etree._Element:
    return etree.fromstring((out / show / "feed.xml").read_bytes())


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


# -- inheritance --------------------------------------------------------------------------


def test_a_show_inherits_the_station_and_overrides_it(station: Path) -> None:
    cuts = load_show_model(station / "short-cuts", [])
    segments = load_show_model(station / "segments", [])
    assert cuts is not None and segments is not None
    # the station's fields, with the show's own `station:` block winning
    assert cuts.station.name == segments.station.name == "WUNC North Carolina Public Radio"
    assert segments.station.slogan == "Bringing The World Home To You"
    assert cuts.station.slogan == "One answer from the day's interviews"
    assert cuts.station.timezone == "America/New_York"
    # `shows:` defaults, and the base URL from the station's and the folder's name
    assert cuts.language == "en-us" and cuts.owner is not None
    assert cuts.base_url == "https://podcasts.example.org/wunc/short-cuts/"
    assert cuts.categories == ["News > Daily News"]
    # a show's own value wins over `shows:`
    (station / "short-cuts" / "show.yaml").write_text(
        (station / "short-cuts" / "show.yaml").read_text() + "language: fr\n"
        "base_url: https://cuts.example.org/\n"
    )
    cuts = load_show_model(station / "short-cuts", [])
    assert cuts is not None and cuts.language == "fr"
    assert cuts.base_url == "https://cuts.example.org/"


def test_a_show_folder_alone_builds_as_the_station_build_does(
    station: Path, tmp_path: Path
) -> None:
    """`build --episodes station/<show>` reads station.yaml too: the same feed either way."""
    build_station(station, tmp_path / "all", jobs=1, now=NOW)
    build_show(station / "short-cuts", tmp_path / "one", now=NOW)
    assert (tmp_path / "one" / "feed.xml").read_bytes() == (
        tmp_path / "all" / "short-cuts" / "feed.xml"
    ).read_bytes()


def test_a_problem_in_an_inherited_value_is_reported_at_station_yaml(station: Path) -> None:
    text = (station / "station.yaml").read_text()
    (station / "station.yaml").write_text(
        text.replace("  explicit: false\n", "  explicit: maybe\n  artwrk: x.jpg\n")
    )
    problems: list[object] = []
    assert load_show_model(station / "segments", problems) is None  # type: ignore[arg-type]
    lines = [str(p) for p in problems]
    assert len(lines) == 1, lines  # station.yaml is read before any show's values
    assert lines[0].startswith(f"{station / 'station.yaml'}:")
    assert "artwrk: is not a show.yaml field; did you mean 'artwork'?" in lines[0]


def test_a_wrong_value_a_show_inherits_is_located_in_station_yaml(
    station: Path, tmp_path: Path
) -> None:
    """A `shows:` default the show model refuses stops every show, each naming station.yaml,
    the line and the field as station.yaml spells it."""
    text = (station / "station.yaml").read_text()
    (station / "station.yaml").write_text(text.replace("  explicit: false\n", "  explicit: 7\n"))
    result = build_station(station, tmp_path / "feeds", jobs=1, now=NOW)
    assert len(result.failed) == 3
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  explicit:"))
    for outcome in result.failed:
        assert str(outcome.error).startswith(
            f"{station / 'station.yaml'}:{line}:13: shows.explicit"
        )


# -- one build ----------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_build_makes_every_show_and_the_station_files(
    station: Path, tmp_path: Path, jobs: int
) -> None:
    out = tmp_path / "feeds"
    result = build_station(station, out, jobs=jobs, now=NOW)
    assert [s.name for s in result.shows] == ["live-desk", "segments", "short-cuts"]
    assert not result.failed
    for name in ("live-desk", "segments", "short-cuts"):
        assert (out / name / "feed.xml").is_file() and (out / name / "index.html").is_file()
    # archive paging, serial, live: each show as a single show's build makes it
    assert list(out.glob("segments/feed-*.xml")) or list(out.glob("segments/archive*"))
    assert feed(out, "short-cuts").findtext("channel/{*}type") == "serial"
    assert feed(out, "live-desk").find(f"channel/{PN}liveItem") is not None
    for name in ("index.html", "podcasts.opml", "publisher.xml", "style.css", "logo.jpg"):
        assert (out / name).is_file(), name
    # the station's page links every show, relative (works opened from disk)
    page = (out / "index.html").read_text()
    for name in ("live-desk", "segments", "short-cuts"):
        assert f'href="{name}/index.html"' in page


def test_the_same_station_builds_the_same_bytes_serial_or_side_by_side(
    station: Path, tmp_path: Path
) -> None:
    build_station(station, tmp_path / "one", jobs=1, now=NOW)
    build_station(station, tmp_path / "two", jobs=2, now=NOW)
    first, second = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")

    def published(tree: dict[str, str]) -> dict[str, str]:  # (not caches, locks, records)
        return {k: v for k, v in tree.items() if not any(p.startswith(".") for p in k.split("/"))}

    assert published(first) == published(second)
    assert "segments/feed.xml" in published(first)


def test_a_second_build_renders_nothing_and_station_yaml_rebuilds(
    station: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    again = build_station(station, out, jobs=1, now=NOW)
    assert all(s.result is not None and s.result.built == 0 for s in again.shows)
    assert again.written == ()
    text = (station / "station.yaml").read_text()
    (station / "station.yaml").write_text(
        text.replace("Bringing The World", "Bringing The Wide World")
    )
    third = build_station(station, out, jobs=1, now=NOW)
    assert all(s.result is not None and s.result.built > 0 for s in third.shows)
    assert "Bringing The Wide World" in (out / "segments" / "index.html").read_text()
    assert "Bringing The Wide World" in (out / "index.html").read_text()


def test_one_show_failing_leaves_the_others_built_and_its_output_as_it_was(
    station: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    before = tree_digest(out / "short-cuts")
    manifest = station / "short-cuts" / CLIP / "episode.yaml"
    manifest.write_text(manifest.read_text().replace("audio: audio.mp3", "audio: missing.mp3"))
    (station / "segments" / "second-segment" / "transcript.txt").write_text("MCEVERS: Hi.\n")
    code, output = run("build", "--episodes", str(station), "--out", str(out), "--now", NOW)
    assert code == 1
    assert "short-cuts: not built; its previous output is kept" in output
    assert "missing.mp3" in output
    assert re.search(r"segments: Built 3 episodes .* \(1 rendered, 2 reused", output)
    assert "Station: 2 of 3 shows built" in output
    assert "1 show(s) not built: short-cuts" in output
    assert tree_digest(out / "short-cuts") == before
    assert "Hi." in (out / "segments" / "second-segment" / "index.html").read_text()


def test_show_builds_one_show_and_an_unknown_name_is_refused(station: Path, tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    code, output = run(
        "build", "--episodes", str(station), "--out", str(out), "--show", "segments", "--now", NOW
    )
    assert code == 0, output
    assert (out / "segments" / "feed.xml").is_file()
    assert not (out / "short-cuts").exists()
    code, output = run("build", "--episodes", str(station), "--out", str(out), "--show", "segment")
    assert code == 1
    assert "has no show 'segment'; did you mean 'segments'?" in output


def test_build_in_the_station_folder_needs_no_episodes_option(
    station: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stationcast build` run in a station folder (which has no episodes/) builds it into
    feeds/ there: the output may lie in the station folder, not in a show's."""
    monkeypatch.chdir(station)
    code, output = run("build", "--now", NOW)
    assert code == 0, output
    assert (station / "feeds" / "segments" / "feed.xml").is_file()
    code, output = run("build", "--now", NOW)  # feeds/ is not taken for a show
    assert code == 0 and "Station: 3 of 3 shows" in output, output
    code, output = run("build", "--out", "segments/feeds", "--now", NOW)
    assert code == 1 and "is inside the show folder" in output


# -- across the shows ---------------------------------------------------------------------


def test_an_episode_guid_in_two_shows_is_refused(station: Path, tmp_path: Path) -> None:
    shutil.copytree(station / "segments" / EXAMPLE_SLUG, station / "live-desk" / "copy")
    result = build_station(station, tmp_path / "feeds", jobs=1, now=NOW)
    [failed] = result.failed
    assert failed.name == "segments"  # built after live-desk, which claimed the GUID first
    text = str(failed.error)
    assert "is also the GUID of" in text and "live-desk" in text
    assert not (tmp_path / "feeds" / "segments").exists()


def test_two_shows_with_one_podcast_guid_are_refused(station: Path, tmp_path: Path) -> None:
    cuts = station / "short-cuts" / "show.yaml"
    cuts.write_text(
        cuts.read_text().replace(
            "35d23e39-e7b8-5f6b-a326-5a0c2454e81a", "da9e302e-14a1-598e-9770-20e169035de7"
        )
    )
    result = build_station(station, tmp_path / "feeds", jobs=1, now=NOW)
    [failed] = result.failed
    assert failed.name == "short-cuts"
    assert "is also the podcast:guid of the station's show 'segments'" in str(failed.error)


def test_an_episode_moved_to_another_show_keeps_its_guid_and_is_reported(
    station: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    guid = "fc9299a8-39e4-4281-a87d-c46b53475b11"
    shutil.move(station / "short-cuts" / CLIP, station / "segments" / CLIP)
    result = build_station(station, out, jobs=1, now=NOW)
    assert not result.failed, [str(s.error) for s in result.failed]
    by_name = {s.name: s.result for s in result.shows}
    assert by_name["segments"] is not None and by_name["short-cuts"] is not None
    assert any(
        "moved here from the station's show 'short-cuts'" in str(w)
        for w in by_name["segments"].warnings
    )
    assert any(
        "moved to the station's show 'segments'" in str(w) for w in by_name["short-cuts"].warnings
    )
    assert guid in (out / "segments" / "feed.xml").read_text() + "".join(
        p.read_text() for p in (out / "segments").glob("*.xml")
    )
    assert guid not in (out / "short-cuts" / "feed.xml").read_text()


def test_a_move_to_a_show_built_later_waits_for_it(station: Path, tmp_path: Path) -> None:
    """segments builds before short-cuts: it drops an episode nobody has claimed yet, so it
    waits (is built again after the others) and then lets it go as moved."""
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    shutil.move(station / "segments" / "third-segment", station / "short-cuts" / "third-segment")
    manifest = station / "short-cuts" / "third-segment" / "episode.yaml"
    manifest.write_text(manifest.read_text() + "episode: 2\n")
    result = build_station(station, out, jobs=1, now=NOW)
    assert not result.failed, [str(s.error) for s in result.failed]
    assert "third-segment" not in (out / "segments" / "feed.xml").read_text()
    assert "third-segment" in (out / "short-cuts" / "feed.xml").read_text()


def test_an_episode_dropped_without_a_new_home_is_still_a_removal(
    station: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=2, now=NOW)
    shutil.rmtree(station / "segments" / "third-segment")
    result = build_station(station, out, jobs=2, now=NOW)
    [failed] = result.failed
    assert failed.name == "segments" and "allow" in str(failed.error)
    assert "third-segment" in (out / "segments" / "feed.xml").read_text() + "".join(
        p.read_text() for p in (out / "segments").glob("*.xml")
    )


# -- the station's files ------------------------------------------------------------------


def test_the_opml_lists_every_feed_for_a_real_reader(station: Path, tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    parsed = listparser.parse((out / "podcasts.opml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.meta.title == "Podcasts from WUNC North Carolina Public Radio"
    urls = sorted(f.url for f in parsed.feeds)
    assert urls == [
        f"https://podcasts.example.org/wunc/{name}/feed.xml"
        for name in ("live-desk", "segments", "short-cuts")
    ]
    assert {f.title for f in parsed.feeds} == {"WUNC Live Desk", "WUNC Segments", "WUNC Short Cuts"}


def test_the_publisher_feed_and_the_shows_point_at_each_other(
    station: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    report = validate_source(str(out / "publisher.xml"))
    assert not [f for f in report.findings if f.severity == "error"], report.findings
    root = etree.fromstring((out / "publisher.xml").read_bytes())
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext(f"{PN}medium") == "publisher"
    publisher_guid = channel.findtext(f"{PN}guid")
    listed = {r.get("feedGuid") for r in channel.iter(f"{PN}remoteItem")}
    for name in ("live-desk", "segments", "short-cuts"):
        show = feed(out, name).find("channel")
        assert show is not None
        assert show.findtext(f"{PN}guid") in listed
        link = show.find(f"{PN}publisher/{PN}remoteItem")
        assert link is not None and link.get("feedGuid") == publisher_guid
        assert link.get("medium") == "publisher"
        assert link.get("feedUrl") == "https://podcasts.example.org/wunc/publisher.xml"
        # the podroll recommends the two sister shows, not the show itself
        roll = [
            r.get("feedUrl")
            for r in show.iter(f"{PN}remoteItem")
            if r.getparent().tag == f"{PN}podroll"
        ]
        assert sorted(roll) == sorted(
            f"https://podcasts.example.org/wunc/{other}/feed.xml"
            for other in ("live-desk", "segments", "short-cuts")
            if other != name
        )
        errors = [
            f
            for f in validate_source(str(out / name / "feed.xml")).findings
            if f.severity == "error"
        ]
        assert not errors, errors


def test_a_station_without_publisher_or_podroll_writes_neither(
    station: Path, tmp_path: Path
) -> None:
    text = (station / "station.yaml").read_text()
    text = text.replace("podroll: true\n", "")
    text = re.sub(r"publisher:\n  podcast_guid: .*\n", "", text)
    (station / "station.yaml").write_text(text)
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    assert not (out / "publisher.xml").exists()
    data = (out / "segments" / "feed.xml").read_text()
    assert "podcast:podroll" not in data and "podcast:publisher" not in data


def test_the_station_page_escapes_what_station_yaml_says(station: Path, tmp_path: Path) -> None:
    text = (station / "station.yaml").read_text()
    (station / "station.yaml").write_text(
        text.replace("description: >-\n", 'description: >-\n  <script>alert(1)</script> "&"\n')
    )
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    page = (out / "index.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    etree.fromstring((out / "podcasts.opml").read_bytes())  # still well-formed


def _station_link(page: Path) -> str | None:
    """Where the station's name in a page's header links (None: no link)."""
    header = etree.fromstring(page.read_bytes(), etree.HTMLParser()).find(".//header")
    assert header is not None
    link = header.find(".//span[@class='from']/a")
    return None if link is None else link.get("href")


def test_every_page_of_a_show_links_back_to_the_station_page(station: Path, tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    build_station(station, out, jobs=1, now=NOW)
    pages = [out / "segments" / "index.html", out / "segments" / EXAMPLE_SLUG / "index.html"]
    pages += [out / "short-cuts" / "index.html", out / "short-cuts" / CLIP / "index.html"]
    for page in pages:
        href = _station_link(page)
        assert href is not None and href.endswith("index.html"), page
        # relative, to the station page this build wrote: it works opened from disk
        assert (page.parent / href).resolve() == (out / "index.html").resolve(), page
    # a show of no station links nowhere; `station.podcasts` names the page to link
    alone = tmp_path / "alone"
    build_show(copy_example(tmp_path / "show"), alone)
    assert _station_link(alone / "index.html") is None
    assert _station_link(alone / EXAMPLE_SLUG / "index.html") is None
    yaml = station / "station.yaml"
    yaml.write_text(yaml.read_text() + "podcasts: https://www.example.org/podcasts/\n")
    build_station(station, out, jobs=1, now=NOW)
    for page in pages:
        assert _station_link(page) == "https://www.example.org/podcasts/", page


def test_a_copy_of_the_example_station_builds_clean(tmp_path: Path) -> None:
    station = copy_station(tmp_path / "station")
    result = build_station(station, tmp_path / "feeds", jobs=1, now=NOW)
    assert not result.failed
    for show in result.shows:
        assert show.result is not None and not [
            w for w in show.result.warnings if not str(w).startswith("note:")
        ], show.result.warnings


def test_shows_built_apart_are_assembled_and_checked_across(station: Path, tmp_path: Path) -> None:
    """One CI job per show (each `build --episodes station/<show> --out feeds/<show>`), then
    `build --station-only` writes the station's files from their outputs, refusing a GUID
    that two of them publish."""
    out = tmp_path / "feeds"
    for name in ("live-desk", "segments", "short-cuts"):
        code, output = run(
            "build", "--episodes", str(station / name), "--out", str(out / name), "--now", NOW
        )
        assert code == 0, output
    code, output = run("build", "--episodes", str(station), "--out", str(out), "--station-only")
    assert code == 0, output
    assert "wrote index.html, podcasts.opml" in output
    together = tmp_path / "together"
    build_station(station, together, jobs=1, now=NOW)
    for name in ("index.html", "podcasts.opml", "publisher.xml"):
        assert (out / name).read_bytes() == (together / name).read_bytes(), name
    # a show built apart with another show's episode: the assembly refuses it
    shutil.copytree(station / "segments" / EXAMPLE_SLUG, station / "live-desk" / "copy")
    code, output = run(
        "build",
        "--episodes",
        str(station / "live-desk"),
        "--out",
        str(out / "live-desk"),
        "--now",
        NOW,
    )
    assert code == 0, output
    code, output = run("build", "--episodes", str(station), "--out", str(out), "--station-only")
    assert code == 1
    assert "is published by the station's show" in output


# -- one publish --------------------------------------------------------------------------


def _record_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real folder target's writes, in order, as paths under the destination."""
    from stationcast.publish.targets import FolderTarget

    order: list[str] = []
    put, put_bytes = FolderTarget.put, FolderTarget.put_bytes

    def where(target: FolderTarget, rel: str) -> str:
        return f"{Path(target.root).name}/{rel}"

    def spy_put(self: FolderTarget, local: Path, rel: str, **kw: str) -> None:
        order.append(where(self, rel))
        put(self, local, rel, **kw)  # type: ignore[arg-type]

    def spy_bytes(self: FolderTarget, data: bytes, rel: str, **kw: str) -> None:
        order.append(where(self, rel))
        put_bytes(self, data, rel, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(FolderTarget, "put", spy_put)
    monkeypatch.setattr(FolderTarget, "put_bytes", spy_bytes)
    return order


def test_publish_sends_each_show_media_first_feed_last_then_the_station(
    station: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, dest = tmp_path / "feeds", tmp_path / "www"
    build_station(station, out, jobs=1, now=NOW)
    order = _record_writes(monkeypatch)
    code, output = run(
        "publish", "--to", str(dest), "--out", str(out), "--episodes", str(station), "--no-ping"
    )
    assert code == 0, output
    for name in ("live-desk", "segments", "short-cuts"):
        mine = [p for p in order if p.startswith(f"{name}/")]
        feed_at = mine.index(f"{name}/feed.xml")
        audio = [i for i, p in enumerate(mine) if p.endswith(".mp3")]
        assert audio and max(audio) < feed_at
        assert all(not p.endswith(".html") for p in mine[feed_at + 1 :])
    station_files = [i for i, p in enumerate(order) if p.startswith("www/")]
    feeds = [i for i, p in enumerate(order) if p.endswith("/feed.xml") and not p.startswith("www/")]
    assert station_files and min(station_files) > max(feeds)
    assert {order[i] for i in station_files} >= {
        "www/index.html",
        "www/podcasts.opml",
        "www/publisher.xml",
    }
    for name in ("live-desk", "segments", "short-cuts"):
        assert (dest / name / "feed.xml").read_bytes() == (out / name / "feed.xml").read_bytes()
    # again: nothing to send
    order.clear()
    code, output = run(
        "publish", "--to", str(dest), "--out", str(out), "--episodes", str(station), "--no-ping"
    )
    assert code == 0 and order == [], order


def test_a_show_that_fails_to_publish_holds_back_the_station_files(
    station: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stationcast.publish.targets import FolderTarget

    out, dest = tmp_path / "feeds", tmp_path / "www"
    build_station(station, out, jobs=1, now=NOW)
    put = FolderTarget.put

    def failing(self: FolderTarget, local: Path, rel: str, **kw: str) -> None:
        if Path(self.root).name == "segments" and rel == "feed.xml":
            raise OSError(5, "Input/output error")
        put(self, local, rel, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(FolderTarget, "put", failing)
    code, output = run(
        "publish", "--to", str(dest), "--out", str(out), "--episodes", str(station), "--no-ping"
    )
    assert code == 1
    assert "1 show(s) not published (segments)" in output
    assert (dest / "short-cuts" / "feed.xml").is_file()
    assert not (dest / "segments" / "feed.xml").exists()
    assert not (dest / "index.html").exists() and not (dest / "podcasts.opml").exists()
