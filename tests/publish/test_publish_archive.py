"""The unpublish check with RFC 5005 archive pages: real builds with `archive: {feed_items: 1}`
published into a folder. An episode moving from feed.xml into an archive page is not an
unpublish; an episode dropped from an archive page is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from stationcast.publish.plan import feed_guids
from support import EXAMPLE_SLUG, add_episode

from .conftest import FaultProxy


def _guid(show: Path, slug: str) -> str:
    import yaml

    return str(yaml.safe_load((show / slug / "episode.yaml").read_text(encoding="utf-8"))["guid"])


def _paged_show(show: Path) -> list[str]:
    """The example plus two later episodes, one per feed page: three documents."""
    with (show / "show.yaml").open("a", encoding="utf-8") as f:
        f.write("archive: {feed_items: 1}\n")
    add_episode(show, "second", published="2015-09-23T08:00:00-04:00")
    add_episode(show, "third", published="2015-09-24T08:00:00-04:00")
    return [EXAMPLE_SLUG, "second", "third"]


def _publish(run: Callable[..., Result], out: Path, dest: Path, *extra: str) -> Result:
    return run("publish", "--to", str(dest), "--out", str(out), "--no-ping", *extra)


def test_episode_moving_into_an_archive_page_is_not_an_unpublish(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A 4th episode pushes the 3rd from feed.xml into archive-N.xml; publish accepts it."""
    _paged_show(show)
    out, dest = tmp_path / "out", tmp_path / "www"
    assert (built := run("build", "--episodes", str(show), "--out", str(out))).exit_code == 0, (
        built.output
    )
    assert (out / "archive-2.xml").is_file()
    assert (first := _publish(run, out, dest)).exit_code == 0, first.output

    add_episode(show, "fourth", published="2015-09-25T08:00:00-04:00")
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    result = _publish(run, out, dest)
    assert result.exit_code == 0, result.output
    assert "unpublish" not in result.output
    recorded = json.loads((dest / ".stationcast/published.json").read_text())["feed"]["guids"]
    assert recorded == sorted(_guid(show, s) for s in (EXAMPLE_SLUG, "second", "third", "fourth"))


def test_episode_dropped_from_an_archive_page_is_refused(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Removing the oldest episode (in archive-1.xml) is an unpublish, though feed.xml is the
    same; --allow-removal lets it through."""
    _paged_show(show)
    oldest = _guid(show, EXAMPLE_SLUG)
    out, dest = tmp_path / "out", tmp_path / "www"
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    feed_before = feed_guids((out / "feed.xml").read_bytes())
    assert (first := _publish(run, out, dest)).exit_code == 0, first.output

    shutil.rmtree(show / EXAMPLE_SLUG)
    rebuilt = run("build", "--episodes", str(show), "--out", str(out), "--allow-removal")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert feed_guids((out / "feed.xml").read_bytes()) == feed_before
    result = _publish(run, out, dest)
    assert result.exit_code == 1
    assert "would unpublish 1 episode that" in result.stderr
    assert oldest in result.stderr
    assert _publish(run, out, dest, "--allow-removal").exit_code == 0


def test_without_a_state_file_the_destination_archive_pages_count(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A destination without state or manifest (another tool published it): feed.xml and
    every archive-*.xml page together say what is published."""
    _paged_show(show)
    oldest = _guid(show, EXAMPLE_SLUG)
    out, dest = tmp_path / "out", tmp_path / "www"
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    dest.mkdir()
    for page in sorted(out.glob("*.xml")):
        shutil.copy(page, dest / page.name)

    shutil.rmtree(show / EXAMPLE_SLUG)
    rebuilt = run("build", "--episodes", str(show), "--out", str(out), "--allow-removal")
    assert rebuilt.exit_code == 0, rebuilt.output
    result = _publish(run, out, dest)
    assert result.exit_code == 1
    assert oldest in result.stderr


def _when(events: list[tuple[str, str]], what: str, name: str) -> int:
    """Index of the event `what` ("start" or "stored") for the object named `name`."""
    return next(i for i, (w, key) in enumerate(events) if w == what and key.endswith("/" + name))


def test_archive_pages_are_stored_before_the_feed_on_s3(
    show: Path, run: Callable[..., Result], tmp_path: Path, bucket: str, s3_proxy: FaultProxy
) -> None:
    """On S3 (8 uploads in flight at once) every archive page is stored before the PUT of
    feed.xml begins, and the media and pages before the first archive page; so the live feed
    never names an archive page that is not there yet."""
    _paged_show(show)
    out = tmp_path / "out"
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    to = ["--to", f"s3://{bucket}/shows/wunc", "--endpoint-url", s3_proxy.url]
    result = run("publish", "--out", str(out), "--no-ping", *to)
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in out.glob("archive-*.xml"))
    assert pages == ["archive-1.xml", "archive-2.xml"]
    events = s3_proxy.events
    feed_starts = _when(events, "start", "feed.xml")
    first_page = min(_when(events, "start", page) for page in pages)
    assert all(_when(events, "stored", page) < feed_starts for page in pages)
    others = [k for w, k in events if w == "stored" and k.endswith((".mp3", ".html", ".vtt"))]
    assert others and all(events.index(("stored", k)) < first_page for k in others)


def test_new_archive_page_is_stored_before_the_page_that_links_it(
    show: Path, run: Callable[..., Result], tmp_path: Path, bucket: str, s3_proxy: FaultProxy
) -> None:
    """A new episode adds archive-3.xml and gives archive-2.xml a next-archive link to it: on
    S3, archive-3.xml is stored before archive-2.xml is replaced, and both before feed.xml."""
    _paged_show(show)
    out = tmp_path / "out"
    publish = ["publish", "--out", str(out), "--no-ping", "--to", f"s3://{bucket}/shows/wunc"]
    publish += ["--endpoint-url", s3_proxy.url]
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    assert (first := run(*publish)).exit_code == 0, first.output
    add_episode(show, "fourth", published="2015-09-25T08:00:00-04:00")
    assert run("build", "--episodes", str(show), "--out", str(out)).exit_code == 0
    s3_proxy.events.clear()
    result = run(*publish)
    assert result.exit_code == 0, result.output
    events = s3_proxy.events
    assert {k.rsplit("/", 1)[-1] for _, k in events} >= {"archive-2.xml", "archive-3.xml"}
    assert _when(events, "stored", "archive-3.xml") < _when(events, "start", "archive-2.xml")
    assert _when(events, "stored", "archive-2.xml") < _when(events, "start", "feed.xml")
