# ruff: noqa: E501 - test data: feed lines and XML snippets are clearer unbroken
"""Generate a large feed shaped like stationcast's own output (for tests and the benchmark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .conftest import CLEAN

_ITEM = """    <item>
      <title>Stories From Around The State</title>
      <link>https://station.example/show/seg-{i}/</link>
      <guid isPermaLink="false">7c2d{i:08d}-0000-4000-8000-000000000000</guid>
      <pubDate>{date}</pubDate>
      <description><![CDATA[<p>Reporters across the state on the day's news, with <a href="https://station.example/show/seg-{i}/">a full transcript</a>.</p>]]></description>
      <enclosure url="https://station.example/show/seg-{i}/audio.mp3" length="{length}" type="audio/mpeg"/>
      <itunes:duration>{duration}</itunes:duration>
      <itunes:explicit>false</itunes:explicit>
      <itunes:episodeType>full</itunes:episodeType>
      <podcast:transcript url="https://station.example/show/seg-{i}/transcript.vtt" type="text/vtt"/>
      <podcast:transcript url="https://station.example/show/seg-{i}/" type="text/html"/>
      <podcast:person role="host">Kelly McEvers</podcast:person>
      <podcast:person role="reporter" group="cast">Jeff Tiberii</podcast:person>
    </item>
"""


def big_feed(n: int = 10_000) -> bytes:
    """The clean feed's channel with `n` generated items (newest first)."""
    text = CLEAN.read_text(encoding="utf-8")
    head, _, _ = text.partition("    <item>")
    start = datetime(2015, 10, 1, 6, 0, tzinfo=UTC)
    items = []
    for i in range(n, 0, -1):
        when = start - timedelta(hours=6 * (n - i))
        items.append(
            _ITEM.format(
                i=i,
                date=when.strftime("%a, %d %b %Y %H:%M:%S +0000"),
                length=1_000_000 + i,
                duration=600 + i % 900,
            )
        )
    return (head + "".join(items) + "  </channel>\n</rss>\n").encode("utf-8")
