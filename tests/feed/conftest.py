"""A "rich" copy of the example show that uses every manifest field the feed knows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import REPO

from .helpers import SLUG, append, edit

AUDIO = REPO / "tests" / "data" / "audio"

RICH_SHOW = """
itunes_owner: true
link: https://www.example.org/segments/
new_feed_url: https://feeds.example.org/wunc/feed.xml
block: true
complete: true
websub_hubs: [https://hub.example.org/]
license: {identifier: cc-by-4.0, url: https://creativecommons.org/licenses/by/4.0/}
funding_text: Become a member
hosts:
  - {name: Kelly McEvers, role: host, href: https://www.example.org/kelly, img: https://www.example.org/kelly.jpg}
  - {name: Pat Producer, role: producer}
txt:
  - {text: example-verify-token, purpose: verify}
  - Plain text note
podroll:
  - feed_guid: 917393e3-1b1e-5cef-ace4-edaa54e1f810
    feed_url: https://mp3s.nashownotes.com/pc20rss.xml
    title: Podcasting 2.0
  - {feed_guid: 9b024349-ccf0-5f69-a609-6b82873eab3c}
update_frequency:
  text: Weekdays
  rrule: FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
  dtstart: 2015-09-21T17:00:00-04:00
live:
  - title: All Things Considered
    guid: atc-2026-11-26
    start: 2026-11-26T16:00:00-05:00
    end: 2026-11-26T18:00:00-05:00
    status: pending  # pinned (without it, the build's clock decides)
    stream: https://stream.example.org/wunc.mp3
    page: https://www.example.org/live
"""

RICH_EPISODE = """
episode: 3
season: 2
season_name: Defectors
image: {file: cover.jpg, alt: A road in the desert}
chapters:
  - {start: 0, title: Introduction}
  - {start: "1:05.5", title: Who the defectors are, url: https://www.example.org/report}
  - {start: 150, title: Silent part, toc: false}
soundbites:
  - {start: 65, duration: 30.5, title: Why they left}
location: {name: London, geo: "geo:51.5074,-0.1278", country: gb}
alternates:
  - {file: audio.opus, title: Opus}
  - {url: https://media.example.org/isis.m4a, type: audio/x-m4a, length: 1234567, title: AAC}
license: cc-by-nd-4.0
notes: |
  Read **the report** and [its summary](https://www.example.org/summary).

  - [bad link](javascript:alert(1))
  - <script>alert(2)</script>
"""


@pytest.fixture
def rich(show: Path) -> Path:
    """The example show with every channel and item field filled in."""
    edit(show / "show.yaml", "\nlocked: false", "\nlocked: true")
    edit(
        show / "show.yaml",
        "  geo: geo:35.9131,-79.0558",
        "  geo: geo:35.9131,-79.0558\n  osm: R2380133\n  website: https://www.example.org/",
    )
    append(show / "show.yaml", RICH_SHOW)
    edit(show / SLUG / "episode.yaml", "notes: |", "old_notes: |")
    text = (show / SLUG / "episode.yaml").read_text(encoding="utf-8")
    text = text[: text.index("# Show notes in Markdown")]
    (show / SLUG / "episode.yaml").write_text(text + RICH_EPISODE, encoding="utf-8")
    shutil.copy(show / "artwork.jpg", show / SLUG / "cover.jpg")
    shutil.copy(AUDIO / "opus-48000-mono.opus", show / SLUG / "audio.opus")
    return show
