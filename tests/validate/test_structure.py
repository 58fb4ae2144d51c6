"""The passing counterparts of the structure, character, link and RSS-part rules (their
failing feeds are in feeds/broken/): shapes that are fine must give no finding."""

from __future__ import annotations

import pytest

from .conftest import CLEAN, ids, run


def _channel(fragment: str) -> bytes:
    data = CLEAN.read_text(encoding="utf-8")
    assert data.count("<itunes:type>") == 1
    return data.replace("<itunes:type>", fragment + "\n    <itunes:type>").encode("utf-8")


FINE_IN_CHANNEL = [
    "<managingEditor>Newsroom</managingEditor>",  # a name, no address: left alone
    "<managingEditor>news@station.example (Newsroom)</managingEditor>",
    "<webMaster>Web Team &lt;web@station.example&gt;</webMaster>",
    "<managingEditor>John Doe (john@station.example)</managingEditor>",  # name first
    "<webMaster>mailto:web@station.example</webMaster>",
    "<image><url>https://station.example/show/artwork.jpg</url><title>All Things Carolina"
    "</title><link>https://station.example/show/</link><width>144</width><height>400</height>"
    "</image>",
    "<ttl>60</ttl>",
    '<cloud domain="rpc.station.example" port="80" path="/RPC2" '
    'registerProcedure="pleaseNotify" protocol="xml-rpc"/>',
    "<skipHours><hour>0</hour><hour>23</hour></skipHours>",
    "<skipDays><day>Saturday</day><day>Sunday</day></skipDays>",
    "<textInput><title>Search</title><description>Search the archive</description>"
    "<name>q</name><link>https://station.example/search</link></textInput>",
    "<generator>stationcast</generator><docs>https://www.rssboard.org/rss-specification</docs>",
    "<itunes:subtitle>" + "x" * 255 + "</itunes:subtitle>",
    "<itunes:keywords>news, north carolina, radio</itunes:keywords>",
    "<itunes:summary>" + "y" * 4000 + "</itunes:summary>",
    "<itunes:block>No</itunes:block>",
    "<category>News</category><category>Radio</category>",  # RSS category repeats
    "<pubDate>Mon, 02 Jan 1995 00:00:00 GMT</pubDate>",
    "<itunes:subtitle>Café Naïve — São Paulo</itunes:subtitle>",  # accents: not mojibake
    "<itunes:title>Tom &amp; Jerry &lt; 3 hours</itunes:title>",  # & and < as text
]


@pytest.mark.parametrize("fragment", FINE_IN_CHANNEL)
def test_fine_channel_parts_pass(fragment: str) -> None:
    report = run(_channel(fragment))
    assert ids(report) == set(), [(f.rule.id, f.message) for f in report.findings]


def test_an_owner_with_a_good_address_passes_but_is_noted() -> None:
    fragment = (
        "<itunes:owner><itunes:name>WUNC</itunes:name>"
        "<itunes:email>podcasts@station.example</itunes:email></itunes:owner>"
    )
    assert ids(run(_channel(fragment))) == {"apple.owner"}
    bad = fragment.replace("podcasts@station.example", "podcasts at station")
    assert ids(run(_channel(bad))) == {"apple.owner", "rss.contact.email"}
    misplaced = "<itunes:email>podcasts@station.example</itunes:email>"
    assert ids(run(_channel(misplaced))) == {"apple.element.parent"}


def test_a_misspelt_tag_names_the_right_one() -> None:
    report = run(_channel("<itunes:explict>true</itunes:explict><textinput/>"))
    messages = {f.rule.id: f.message for f in report.findings}
    assert "did you mean <itunes:explicit>?" in messages["apple.element.unknown"]
    assert "did you mean <textInput>?" in messages["rss.element.unknown"]


def test_a_duplicate_item_element_is_an_error() -> None:
    data = CLEAN.read_text(encoding="utf-8").replace(
        "<pubDate>Tue, 29 Sep 2015 06:00:00 GMT</pubDate>",
        "<pubDate>Tue, 29 Sep 2015 06:00:00 GMT</pubDate><pubDate>Wed, 30 Sep 2015 06:00:00 GMT"
        "</pubDate>",
    )
    report = run(data.encode("utf-8"))
    assert ids(report) == {"rss.element.duplicate"}
    assert not report.ok()


def test_markup_in_a_title_is_a_warning_not_an_error() -> None:
    """A title a producer wrote with a tag in it ('Using <template> in Vue') is shown as text
    by apps: worth a warning, never a refused build."""
    data = CLEAN.read_text(encoding="utf-8").replace(
        "A Flooded Library</title>", "A Flooded &lt;template&gt; Library</title>"
    )
    report = run(data.encode("utf-8"))
    assert ids(report) == {"rss.text.html"}
    assert report.ok()


def test_many_bad_characters_are_counted_not_listed() -> None:
    items = "".join(
        f'<item><title>Episode&#x92;s part {n}</title><guid isPermaLink="false">g{n}</guid></item>'
        for n in range(15)
    )
    data = CLEAN.read_text(encoding="utf-8").replace("</channel>", items + "</channel>")
    found = [f for f in run(data.encode("utf-8")).findings if f.rule.id == "rss.text.control"]
    assert len(found) == 11
    assert "'’' in Windows-1252" in found[0].message
    assert found[-1].message == "5 more element(s) like the above"
