"""docs/feed.md stays true: its examples use real fields, and every build option is documented."""

from __future__ import annotations

import re

import yaml

from stationcast.cli.build import build_command as build
from stationcast.models import Episode, Show, Station
from support import REPO

DOC = (REPO / "docs" / "feed.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[dict[str, object]]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", DOC, re.S)]


def test_show_example_validates() -> None:
    """The show.yaml example, with the required fields added, is a valid show."""
    show = _yaml_blocks()[0]
    assert set(show) <= set(Show.model_fields)
    station = show.pop("station")
    assert isinstance(station, dict) and set(station) <= set(Station.model_fields)
    Show.model_validate(
        {
            "title": "t",
            "description": "d",
            "language": "en",
            "base_url": "https://example.org/",
            "artwork": "artwork.jpg",
            "categories": ["News"],
            "station": {"name": "WUNC", **station},
            **show,
        }
    )


def test_episode_example_validates() -> None:
    """The episode.yaml example, with the required fields added, is a valid episode."""
    example = _yaml_blocks()[1]
    assert set(example) <= set(Episode.model_fields)
    Episode.model_validate(
        {
            "title": "t",
            "published": "2024-01-01T00:00:00Z",
            "summary": "s",
            "audio": "audio.mp3",
            **example,
        }
    )


def test_every_build_option_is_documented() -> None:
    """--state, --allow-removal, --allow-guid-change and --now appear in docs/feed.md."""
    for option in ("--state", "--allow-removal", "--allow-guid-change", "--now"):
        assert any(option in p.opts for p in build.params)
        assert option in DOC
