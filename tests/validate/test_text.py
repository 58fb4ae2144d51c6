"""Escaping untrusted text for terminals and CI logs."""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from stationcast.validate.output import format_github, format_text
from stationcast.validate.text import quote, safe

from .conftest import CLEAN, run

_XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
    "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff",
)


def _printable(s: str) -> bool:
    return all(unicodedata.category(c) not in ("Cc", "Cf") for c in s)


@given(st.text())
def test_safe_leaves_no_control_or_format_characters(text: str) -> None:
    assert _printable(safe(text).replace("\u00ad", ""))


@given(st.text(max_size=300))
def test_quote_is_short_and_safe(text: str) -> None:
    q = quote(text)
    assert q.startswith("'") and q.endswith("'")
    assert _printable(q)


@settings(max_examples=60, deadline=None)
@given(st.text(_XML_CHARS, min_size=1, max_size=80))
def test_any_title_is_reported_safely(title: str) -> None:
    """Whatever an item title holds, the feed parses and every report format is printable."""
    data = CLEAN.read_bytes().replace(
        b"<title>Beach Towns Brace For A Slow Storm</title>",
        f"<title>Episode 1 {escape(title)}</title>".encode(),
    )
    report = run(data)
    assert "xml.wellformed" not in report.rule_ids()
    for out in (format_text(report), format_github(report)):
        assert _printable(out.replace("\n", ""))


def test_known_escapes() -> None:
    assert safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert safe("\u202eevil") == "\\u202eevil"
    assert safe("tag\U000e0041") == "tag\\U000e0041"
    assert safe("plain text, café ✓") == "plain text, café ✓"
