"""Conformance with the W3C Feed Validator's RSS 2.0 and iTunes testcases (see w3c.py for
where they come from and what "agree" means). The run must match the known-gap list exactly,
so agreement can only rise, and a fixed case must leave the list."""

from __future__ import annotations

import pytest

from stationcast.validate import validate_bytes

from . import w3c
from .conftest import CLEAN


def test_the_w3c_testcases_agree_except_the_known_gaps() -> None:
    folder = w3c.testcases_dir()
    if folder is None:
        pytest.skip(f"the W3C testcases are not at {w3c.DEFAULT} (nor STATIONCAST_W3C_TESTCASES)")
    all_cases, gaps = w3c.disagreements(folder)
    assert len(all_cases) >= 280, "the testcases folder is incomplete"
    known = w3c.known_gaps()
    fixed = sorted(set(known) - set(gaps))
    new = sorted(set(gaps) - set(known))
    assert not fixed, f"now agree (remove from {w3c.GAPS.name}): {fixed}"
    assert not new, f"new disagreements: {new}"


def test_the_gap_list_is_clean() -> None:
    known = w3c.known_gaps()
    assert len(known) == len(set(known))
    assert all(p.startswith(tuple(f"{s}/" for s in w3c.SUITES)) for p in known)


def _case(expect: str) -> w3c.Case | None:
    return w3c.expectation(f"<!--\n  Expect: {expect}\n-->\n<rss/>".encode(), "x.xml")


def test_expectations_are_read_as_the_w3c_kinds() -> None:
    assert _case("DuplicateElement{parent:item,element:guid}") == w3c.Case(
        "x.xml", "DuplicateElement", "guid", True, "item"
    )
    assert _case("!Error") == w3c.Case("x.xml", "Error", None, False)
    # A class that is not an error, warning or info (ValidRFC2822Date) is skipped for the next.
    assert _case("ValidRFC2822Date, !InvalidRFC2822Date{element:pubDate}") == w3c.Case(
        "x.xml", "InvalidRFC2822Date", "pubDate", False
    )
    assert _case("ValidRFC2822Date") is None


def test_agreement_follows_the_element_named() -> None:
    data = CLEAN.read_bytes().replace(
        b"Tue, 22 Sep 2015 17:35:00 -0400", b"Tue, 22 Sep 2015 17:35:00 -04:00"
    )
    report = validate_bytes(data, location="x", now=w3c.NOW)
    on_date = w3c.Case("x", "InvalidRFC2822Date", "pubDate", True)
    on_title = w3c.Case("x", "ContainsHTML", "title", True)
    assert w3c.agrees(on_date, report)
    assert not w3c.agrees(on_title, report)
    assert not w3c.agrees(w3c.Case("x", "InvalidRFC2822Date", "pubDate", False), report)
    no_title = validate_bytes(
        data.replace(b"<title>All Things Carolina</title>", b""), location="x"
    )
    assert w3c.agrees(w3c.Case("x", "MissingTitle", "title", True, "channel"), no_title)
