"""Rights windows: `expires:` takes an episode out of the feed and its files off the site."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result

from stationcast.build import build_show
from support import EXAMPLE_SLUG, add_episode, tree_digest

PUBLISHED = "2016-01-04T08:00:00-05:00"  # 13:00 UTC
BEFORE = "2016-02-02T00:00:00Z"
AFTER = "2016-02-03T13:00:00Z"  # the 30-day window of PUBLISHED has ended


def expiring(
    show: Path, slug: str, expires: str | None = "30d", published: str = PUBLISHED
) -> Path:
    folder = add_episode(show, slug, title=f"Syndicated {slug}", published=published)
    if expires is not None:
        with (folder / "episode.yaml").open("a", encoding="utf-8") as f:
            f.write(f"expires: {expires}\n")
    return folder


def state(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / ".stationcast" / "state.json").read_text())
    return data


@pytest.fixture
def window(show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    expiring(show, "npr-segment")
    return show


def test_an_expired_episode_leaves_feed_pages_and_output_with_a_line(
    window: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "feeds"
    assert run("build", "--now", BEFORE).exit_code == 0
    assert (out / "npr-segment" / "audio.mp3").is_file()
    assert "Syndicated npr-segment" in (out / "feed.xml").read_text()
    result = run("build", "--now", AFTER)
    assert result.exit_code == 0, result.stderr  # not a removal: no --allow-removal needed
    assert result.stdout.splitlines()[1:] == [
        "expired: npr-segment left the feed (its rights window ended Wed 3 Feb 13:00 UTC);"
        " publish deletes its files"
    ]
    assert not (out / "npr-segment").exists()
    for name in ("feed.xml", "index.html"):
        assert "npr-segment" not in (out / name).read_text()
    data = state(out)
    assert [e["slug"] for e in data["episodes"]] == [EXAMPLE_SLUG]  # type: ignore[attr-defined]
    assert data["expired"] == [
        {
            "slug": "npr-segment",
            "guid": json.loads(json.dumps(data["expired"]))[0]["guid"],
            "expired": "2016-02-03T08:00:00-05:00",
        }
    ]
    # the next builds say nothing more, render nothing, and keep the record
    again = run("build", "--now", "2016-03-01T00:00:00Z")
    assert again.exit_code == 0 and "0 rendered" in again.stdout
    assert again.stdout.count("\n") == 1
    assert state(out)["expired"] == data["expired"]


def test_the_output_equals_a_build_that_never_had_it(window: Path, tmp_path: Path) -> None:
    build_show(window, tmp_path / "feeds", now=BEFORE)
    result = build_show(window, tmp_path / "feeds", now=AFTER)
    assert result.expired == (("npr-segment", datetime(2016, 2, 3, 13, tzinfo=UTC)),)
    cold = build_show(window, tmp_path / "cold", now=AFTER, cache=False)
    assert cold.expired == ()  # never published there: nothing left that feed
    assert tree_digest(tmp_path / "feeds") == tree_digest(tmp_path / "cold")


@pytest.mark.parametrize(
    ("expires", "published", "leaves"),
    [
        ("2016-01-10T00:00:00Z", PUBLISHED, True),
        ("2016-01-10T00:00:00", PUBLISHED, None),  # no station zone: needs an offset
        ("48h", PUBLISHED, True),
        ("2w", PUBLISHED, True),
        ("9w", PUBLISHED, False),
        ("never", PUBLISHED, False),
    ],
)
def test_expires_takes_a_date_time_a_duration_or_never(
    show: Path, tmp_path: Path, expires: str, published: str, leaves: bool | None
) -> None:
    path = show / "show.yaml"
    path.write_text(path.read_text() + "defaults:\n  expires: 7d\n")
    expiring(show, "seg", expires, published)
    if leaves is None:
        with pytest.raises(Exception, match="has no UTC offset"):
            build_show(show, tmp_path / "feeds", now=AFTER)
        return
    result = build_show(show, tmp_path / "feeds", now=AFTER)
    # the example episode (2015) is long past the show's 7-day default
    assert result.episodes == (0 if leaves else 1)


def test_the_show_default_applies_to_every_episode(show: Path, tmp_path: Path) -> None:
    path = show / "show.yaml"
    path.write_text(path.read_text() + "defaults: {expires: 30d}\n")
    expiring(show, "seg", None)
    assert build_show(show, tmp_path / "feeds", now="2016-01-20T00:00:00Z").episodes == 1
    assert build_show(show, tmp_path / "feeds", now=AFTER).episodes == 0


def test_a_window_ending_before_publication_is_an_error_at_its_line(
    show: Path, run: Callable[..., Result]
) -> None:
    expiring(show, "seg", "2016-01-01T00:00:00Z")
    result = run("build")
    assert result.exit_code == 1
    assert "seg/episode.yaml:11:10: expires: is 2016-01-01T00:00:00+00:00, not after" in (
        result.stderr
    )
    expiring(show, "other", "soon")
    result = run("build")
    assert "other/episode.yaml:11:10: expires: expected a date-time" in result.stderr


def test_a_mass_expiry_stops_the_build_until_allowed(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    for i in range(3):
        expiring(show, f"seg-{i}")
    assert run("build", "--now", BEFORE).exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    result = run("build", "--now", AFTER, "--max-expire", "2")
    assert result.exit_code == 1
    assert (
        "3 published episodes' rights windows ended (seg-0, seg-1, seg-2); taking more than 2"
        in result.stderr
    )
    assert "--max-expire 3" in result.stderr
    assert tree_digest(tmp_path / "feeds") == before
    result = run("build", "--now", AFTER, "--max-expire", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("expired: ") == 3


def test_the_published_sites_state_does_not_trip_the_guard(
    window: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """--state from the site (which still lists the episode) accepts the expiry too."""
    assert run("build", "--now", BEFORE).exit_code == 0
    site_state = tmp_path / "site-state.json"
    site_state.write_bytes((tmp_path / "feeds" / ".stationcast" / "state.json").read_bytes())
    result = run("build", "--now", AFTER, "--state", str(site_state), "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert "expired: npr-segment left the feed" in result.stdout


def test_publish_to_a_folder_deletes_exactly_its_files(
    window: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    dest = tmp_path / "www"
    assert run("build", "--now", BEFORE).exit_code == 0
    assert run("publish", "--to", str(dest), "--no-ping").exit_code == 0
    (dest / "kept-by-hand.txt").write_text("not the build's")
    others = {k: v for k, v in tree_digest(dest).items() if not k.startswith("npr-segment/")}
    gone = sorted(k for k in tree_digest(dest) if k.startswith("npr-segment/"))
    assert "npr-segment/audio.mp3" in gone
    assert run("build", "--now", AFTER).exit_code == 0
    result = run("publish", "--to", str(dest), "--no-ping")
    assert result.exit_code == 0, result.stderr
    for rel in gone:
        assert f"expired   {rel} (its episode's rights window ended)" in result.stdout
        assert f"deleted  {rel}" in result.stdout
    after = tree_digest(dest)
    assert not [k for k in after if k.startswith("npr-segment/")]
    changed = {"feed.xml", "index.html", ".stationcast/state.json", ".stationcast/published.json"}
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in others.items() if k not in changed
    }
    again = run("publish", "--to", str(dest), "--no-ping")
    assert again.stdout.splitlines()[-1] == "Nothing to upload: the destination is up to date."


def test_a_lost_window_record_cannot_keep_an_episode_past_its_window(
    window: Path, tmp_path: Path
) -> None:
    """The windows are kept beside the build cache; without that file every episode is read
    again, so an unchanged one still leaves on time."""
    build_show(window, tmp_path / "feeds", now=BEFORE)
    held = tmp_path / ".stationcast-cache" / "feeds.json.held"
    assert json.loads(held.read_text())["windows"] == {"npr-segment": "2016-02-03T08:00:00-05:00"}
    held.unlink()
    result = build_show(window, tmp_path / "feeds", now=AFTER)
    assert [slug for slug, _ in result.expired] == ["npr-segment"]
    assert not (tmp_path / "feeds" / "npr-segment").exists()
