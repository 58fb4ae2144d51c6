"""Feeds that are fine must not fail: each shape here once gave an error finding."""

from __future__ import annotations

import pytest
from lxml import etree

from remote_server import Route, serve
from stationcast.importers.dates import parse_date
from stationcast.validate import validate_bytes, validate_source
from stationcast.validate.dates import check_date
from stationcast.validate.elements import Collector

from .conftest import CLEAN, NOW, ids, run

#: The dates of W3C's rss20/data-types-datetime/everything.xml case (facts: the forms RFC 822
#: allows), which it expects no InvalidRFC2822Date for, and what each is.
RFC822_DATES = {
    "Thu, 09 Feb 2006 23:59:45 +0000": "modern",
    "09 Feb 2006 23:59:45 +0000": "modern",
    "Thu, 9 Feb 2006 23:59:45 +0000": "modern",
    "Thu, 09 Feb 2006 23:59 +0000": "modern",
    "Thu, 09 Feb 06 23:59:45 +0000": "obsolete",
    "Fri, 09 Feb 96 23:59:45 +0000": "obsolete",
    "Thu, 09 Feb 2006 16:59:45 PDT": "modern",
    "Thu, 09 Feb 2006 16:59:45 G": "obsolete",
    "Fri, 10 Feb 2006 03:59:45 Q": "obsolete",
    "Thu, 09 Feb 2006 21:25:45 -0234": "modern",
    "Thu, 09 Feb 2006 23:59:45 UT": "modern",
    "Thu, 09 Feb 2006 23:59:45 Z": "modern",
    "tHu, 09 Feb 2006 23:59:45 +0000": "obsolete",
    "Thu, 09 fEb 2006 23:59:45 +0000": "obsolete",
    "Thu, 09 Feb 2006 16:59:45 pDt": "obsolete",
    "Thu, 09 Feb 2006 23:59:45 z": "obsolete",
    "Thu(oh how I hate thursdays), 9(th) Feb(ruary) 2006 23:59:45 +0000(GMT r0x0rz)": "obsolete",
    "Thu, 09 (nested (comment) Mar)Feb(escaped comment\\) 2005) 2006()23:59:45 +0000": "obsolete",
    "\tThu , \t 09  Feb\t2006  23:59:45\t +0000": "obsolete",
    "Sat,29 Jul 2006 00:03:02 +0000": "obsolete",
    "31 Dec 2002 14:20:20 A": "obsolete",
    "Mon, 21 Oct 2002 14:04:23 -05:00": "invalid",
    "Tue, 09 Feb 2006 23:59:45 +0000": "invalid",  # a Thursday
    "Thu, 09 Foo 2006 23:59:45 +0000": "invalid",
    "Thu, 09 Feb 2006 23:59:45 J": "invalid",  # RFC 822 has no zone J
    "Thu, 30 Feb 2006 23:59:45 +0000": "invalid",
    "2006-02-09T23:59:45Z": "invalid",
}


@pytest.mark.parametrize("value", RFC822_DATES)
def test_rfc822_dates(value: str) -> None:
    c = Collector()
    el = etree.Element("pubDate")
    check_date(value, el, c, NOW)
    found = {f.rule.id for f in c.findings}
    expected = {
        "modern": set(),
        "obsolete": {"rss.date.obsolete"},
        "invalid": {"rss.date.format"},
    }[RFC822_DATES[value]]
    assert found == expected, [f.message for f in c.findings]


def test_an_obsolete_date_gets_its_modern_spelling() -> None:
    c = Collector()
    check_date("tue, 22 sep 15 17:35 EDT", etree.Element("pubDate"), c, None)
    (f,) = c.findings
    assert "a 2-digit year" in f.message
    assert "'Tue, 22 Sep 2015 17:35:00 -0400'" in f.message


@pytest.mark.parametrize(
    "value", [v for v, kind in RFC822_DATES.items() if kind == "obsolete" and "J" not in v]
)
def test_the_importer_reads_obsolete_dates_without_drafting(value: str) -> None:
    """The feed importer reads every date the validator only warns about (an item is drafted
    only when its date has no value)."""
    found = parse_date(value)
    assert found is not None and found.value is not None, found


def test_an_item_with_an_obsolete_date_passes() -> None:
    feed = CLEAN.read_bytes().replace(
        b"Tue, 06 Oct 2015 09:15:00 +0000", b"Tue, 06 Oct 15 09:15:00 GMT"
    )
    report = run(feed)
    assert report.ok()
    assert ids(report) == {"rss.date.obsolete"}


def test_itunes_block_no_is_the_default() -> None:
    for flag in (b"<itunes:block>No</itunes:block>", b"<itunes:complete>no</itunes:complete>"):
        feed = CLEAN.read_bytes().replace(b"<itunes:type>", flag + b"\n<itunes:type>")
        assert ids(run(feed)) == set()


def test_podcast_image_purpose_any_token_is_not_an_error() -> None:
    """The namespace lets anyone define a purpose token: an unknown one is an info."""
    feed = CLEAN.read_bytes().replace(
        b"<podcast:medium>",
        b'<podcast:image href="https://station.example/show/artwork.jpg" '
        b'purpose="artwork myapp-tile"/>\n<podcast:medium>',
    )
    report = run(feed)
    assert report.ok(strict=True)
    assert ids(report) == {"podcast.image.purpose"}
    assert [f.severity for f in report.findings] == ["info"]


@pytest.mark.parametrize("tag", [b"description", b"language"])
def test_an_empty_channel_field_is_called_empty(tag: bytes) -> None:
    data = CLEAN.read_bytes()
    start = data.index(b"<" + tag + b">")
    end = data.index(b"</" + tag + b">") + len(tag) + 3
    for replacement, said in ((b"<" + tag + b">  </" + tag + b">", "is empty"), (b"", "has no")):
        report = run(data[:start] + replacement + data[end:])
        messages = [
            f.message for f in report.findings if f.rule.id == f"rss.channel.{tag.decode()}"
        ]
        assert len(messages) == 1 and said in messages[0], messages


def test_one_broken_artwork_url_is_reported_once() -> None:
    """Every item links the same missing artwork: one finding, not one per item."""
    with serve() as remote:
        base = f"{remote.base}/show/"
        art = f'<itunes:image href="{base}gone.jpg"/>'
        feed = (
            CLEAN.read_text(encoding="utf-8")
            .replace("https://station.example/show/", base)
            .replace(f'<itunes:image href="{base}isis-defectors/art.png"/>', art)
            .replace("<itunes:duration>1832", art + "<itunes:duration>1832")
            .replace("<itunes:duration>95", art + "<itunes:duration>95")
        )
        assert feed.count("gone.jpg") == 3
        remote.routes["/show/feed.xml"] = Route(feed.encode(), "application/rss+xml")
        report = validate_source(
            remote.url("/show/feed.xml"), now=NOW, allow_private=True, timeout=5.0
        )
        gone = [f for f in report.findings if "gone.jpg" in f.message]
        assert len(gone) == 1, [f.message for f in gone]
        assert gone[0].rule.id == "http.unreachable"
        assert "linked 3 times; reported once" in gone[0].message


def test_validate_bytes_without_a_local_root_checks_no_files() -> None:
    assert ids(validate_bytes(CLEAN.read_bytes(), location="x.xml", now=NOW)) == set()
