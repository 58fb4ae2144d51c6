"""Small shows for the page tests, built from dictionaries by the real build.

`build_fixture_show` writes show.yaml, one folder per episode (the example's audio and a
transcript) and runs the real build, so every page under test went through the same code as
`stationcast build`.
"""

from __future__ import annotations

import copy
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from stationcast.build import build_show
from stationcast.models import Show
from support import EXAMPLE, EXAMPLE_SLUG

DATA = Path(__file__).parent / "data"

#: make_show(episodes, *, transcripts, templates, **show_fields) -> the built output folder
MakeShow = Callable[..., Path]
# The podcast:guid namespace (Podcasting 2.0 spec): uuidv5 of the feed URL without its scheme.
PODCAST_NS = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6"

SHOW: dict[str, Any] = {
    "title": "WUNC Segments",
    "description": "Interviews and reports from WUNC North Carolina Public Radio.",
    "language": "en-us",
    "base_url": "https://podcasts.example.org/wunc/",
    "copyright": "© 2024 WUNC North Carolina Public Radio",
    "artwork": "artwork.jpg",
    "categories": ["News > Daily News"],
    "station": {
        "name": "WUNC North Carolina Public Radio",
        "slogan": "Bringing The World Home To You",
        "address": {
            "street": "120 Friday Center Dr",
            "locality": "Chapel Hill",
            "region": "NC",
            "postal_code": "27517",
            "country": "US",
        },
        "phones": ["919.445.9150", "800.962.9862"],
        "website": "https://www.example.org/",
        "donate": "https://www.example.org/donate",
    },
    "subscribe": {
        "Apple Podcasts": "https://podcasts.apple.com/us/podcast/id000000000",
        "Spotify": "https://open.spotify.com/show/0000000000000000000000",
    },
}

CREDITS = [
    {"name": "Kelly McEvers", "role": "host", "speaker": "MCEVERS"},
    {
        "name": "Peter Neumann",
        "role": "guest",
        "speaker": ["PETER NEUMANN", "NEUMANN"],
        "title": "Head of the International Centre for the Study of Radicalisation",
    },
]


def episode(slug: str = "segment", **fields: Any) -> dict[str, Any]:
    """An episode manifest (with its folder name under the key `slug`)."""
    data: dict[str, Any] = {
        "slug": slug,
        "title": "Report Compiles Stories Of Islamic State Defectors",
        "guid": f"guid-{slug}",
        "published": "2015-09-22T17:35:00-04:00",
        "summary": "What happens when you leave the militant Islamist group ISIS?",
        "audio": "audio.mp3",
        "credits": copy.deepcopy(CREDITS),
    }
    data.update(fields)
    return data


def build_fixture_show(
    root: Path,
    episodes: list[dict[str, Any]],
    *,
    transcripts: dict[str, tuple[str, str]],
    templates: dict[str, str] | None = None,
    **show_fields: Any,
) -> Path:
    source = root / "episodes"
    source.mkdir(parents=True)
    show = copy.deepcopy(SHOW)
    if "podcast_guid" in Show.model_fields:  # required once the show has a podcast:guid
        show["podcast_guid"] = str(
            uuid.uuid5(uuid.UUID(PODCAST_NS), "podcasts.example.org/wunc/feed.xml")
        )
    show.update(show_fields)
    _dump(source / "show.yaml", show)
    shutil.copyfile(EXAMPLE / "artwork.jpg", source / "artwork.jpg")
    for item in episodes:
        item = dict(item)
        slug = item.pop("slug")
        folder = source / slug
        folder.mkdir()
        shutil.copyfile(EXAMPLE / EXAMPLE_SLUG / "audio.mp3", folder / "audio.mp3")
        if slug in transcripts:
            name, text = transcripts[slug]
            (folder / name).write_text(text, encoding="utf-8")
            item.setdefault("transcript", {"file": name})
        _dump(folder / "episode.yaml", item)
    if templates:
        (source / "templates").mkdir()
        for name, text in templates.items():
            (source / "templates" / name).write_text(text, encoding="utf-8")
    out = root / "feeds"
    build_show(source, out)
    return out


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def timed_show(root: Path) -> Path:
    """A show whose episode has a WebVTT transcript with voices and cues (captions track)."""
    return build_fixture_show(
        root,
        [episode("timed", title="Defectors, timed")],
        transcripts={"timed": ("transcript.vtt", (DATA / "voices.vtt").read_text("utf-8"))},
    )


def rtl_show(root: Path) -> Path:
    """A show whose episode mixes Arabic, Hebrew and English text, with non-speech cues."""
    credits = [
        {"name": "Kelly McEvers", "role": "host", "speaker": "MCEVERS"},
        {
            "name": "رانيا أبو زيد",
            "role": "guest",
            "speaker": "RANIA ABOUZEID",
            "title": "مراسلة في القاهرة",
        },
    ]
    return build_fixture_show(
        root,
        [
            episode(
                "cairo",
                title="صوت القاهرة: Voices From Cairo",
                summary="Rania Abouzeid on صوت القاهرة, the voice of Cairo.",
                credits=credits,
            )
        ],
        transcripts={"cairo": ("transcript.txt", (DATA / "rtl.txt").read_text("utf-8"))},
    )
