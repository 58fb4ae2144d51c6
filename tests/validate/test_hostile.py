"""Hostile and broken documents are refused quickly with one clear error, never a crash.

Cases F1-F21: XXE, entity expansion, size caps, wrong encodings, HTML, SSRF and friends.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stationcast.validate import validate_bytes, validate_source

from .conftest import CLEAN, NOW, ids, run

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><title>&x;</title></channel></rss>'
)


def billion_laughs(levels: int = 9) -> bytes:
    ents = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{"".join(ents)}\n]>\n'
        f'<rss version="2.0"><channel><title>&l{levels};</title></channel></rss>'
    ).encode()


def quadratic_blowup(n: int = 50_000) -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"A" * n + b'">]>'
        b'<rss version="2.0"><channel><title>' + b"&a;" * n + b"</title></channel></rss>"
    )


def only_finding(data: bytes, **kw: object) -> tuple[str, str, int | None]:
    report = run(data, **kw)
    assert len(report.findings) == 1, [(f.rule.id, f.message) for f in report.findings]
    f = report.findings[0]
    assert not report.ok()
    return f.rule.id, f.message, f.line


@pytest.mark.parametrize(
    "data",
    [XXE, billion_laughs(), quadratic_blowup()],
    ids=["F1-xxe", "F2-billion-laughs", "F3-quadratic-blowup"],
)
def test_entity_declarations_are_refused_unparsed(data: bytes) -> None:
    """A DOCTYPE declaring entities is refused before parsing, in well under a second."""
    start = time.perf_counter()
    rule, message, line = only_finding(data)
    assert time.perf_counter() - start < 1.0
    assert rule == "xml.doctype.entities"
    assert "DOCTYPE with entity declarations is not allowed" in message
    assert line == 1 or line == 2
    assert "root:" not in message


def test_entity_declaration_hidden_after_a_comment_is_refused() -> None:
    """Comments and processing instructions before the DOCTYPE do not hide it."""
    data = XXE.replace(b"<!DOCTYPE", b"<!-- <rss> --><?pi x?><!DOCTYPE")
    assert only_finding(data)[0] == "xml.doctype.entities"


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[tuple[str, type[_Counter]]]:
    handler = type("Handler", (_Counter,), {"hits": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_external_dtd_is_ignored_without_a_request(
    counting_server: tuple[str, type[_Counter]],
) -> None:
    """F4: an external DTD is never fetched; the feed is validated with a warning."""
    base, handler = counting_server
    data = CLEAN.read_bytes().replace(
        b"<rss version", f'<!DOCTYPE rss SYSTEM "{base}/x.dtd">\n<rss version'.encode(), 1
    )
    assert ids(run(data)) == {"xml.doctype"}
    assert handler.hits == 0


def test_size_cap_refuses_without_parsing() -> None:
    """F5: a feed over the byte limit gets one error."""
    data = CLEAN.read_bytes()
    rule, message, _ = only_finding(data, max_bytes=1000)
    assert rule == "xml.too-large"
    assert "1,000-byte limit" in message


def test_size_cap_on_a_file_does_not_read_it(tmp_path: Path) -> None:
    """F5: validate_source checks the size before reading a file."""
    path = tmp_path / "huge.xml"
    with open(path, "wb") as f:
        f.truncate(3 * 1024 * 1024)  # sparse: 3 MB of NULs
    report = validate_source(str(path), max_bytes=1024 * 1024, now=NOW)
    assert [f.rule.id for f in report.findings] == ["xml.too-large"]


def test_huge_text_node_is_refused() -> None:
    """libxml2's text-node limit stays on (huge_tree=False), and hitting it is a size problem
    (xml.too-large, its own message), not a syntax error with the advice to escape '&'."""
    data = b'<rss version="2.0"><channel><title>' + b"a" * 11_000_000 + b"</title></channel></rss>"
    rule, message, _ = only_finding(data)
    assert rule == "xml.too-large"
    assert message == (
        "a text node (a description or other text) is longer than the 10,000,000 bytes the XML "
        "parser accepts; the feed was not parsed"
    )
    assert "XML_PARSE_HUGE" not in message


def test_excessive_nesting_is_a_parser_limit() -> None:
    """libxml2's depth limit is reported like the other parser limits."""
    data = b'<rss version="2.0"><channel>' + b"<a>" * 300 + b"</a>" * 300 + b"</channel></rss>"
    rule, message, _ = only_finding(data)
    assert rule == "xml.too-large"
    assert "nested deeper than the 256 levels" in message


def test_ordinary_syntax_errors_stay_wellformed() -> None:
    """A real syntax error is still xml.wellformed, with libxml2's message."""
    rule, message, _ = only_finding(b'<rss version="2.0"><channel>&nbsp;</channel></rss>')
    assert rule == "xml.wellformed"
    assert "nbsp" in message


def test_html_page() -> None:
    """F7: an HTML page gets 'this is an HTML page', not a parser message."""
    data = b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi<br></body></html>"
    assert only_finding(data)[:2] == ("xml.html", "this is an HTML page, not an RSS feed")
    assert only_finding(b"\n  <html lang=en><body>x</body></html>")[0] == "xml.html"


def test_latin1_declared_utf8() -> None:
    """F8: the error names the byte, the line and the column."""
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><rss><channel><title>Caf\xe9</title></channel></rss>'
    ).encode("latin-1")
    rule, message, line = only_finding(data)
    assert rule == "xml.encoding.invalid"
    assert "byte 0xE9 at line 1, column 63" in message
    assert line == 1


def test_utf8_declared_latin1_is_flagged() -> None:
    """F9: a non-UTF-8 declaration is an error for Apple/PSP-1, but the feed is still checked."""
    data = CLEAN.read_bytes().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    assert ids(run(data)) == {"xml.encoding.utf8"}


def test_utf16_with_bom() -> None:
    """F10: UTF-16 (BOM) with a UTF-8 declaration parses, with the encoding error."""
    data = CLEAN.read_text(encoding="utf-8").encode("utf-16")
    assert ids(run(data)) == {"xml.encoding.utf8"}


@pytest.mark.parametrize(
    "data",
    [
        b'\xef\xbb\xbf  <?xml version="1.0"?><rss/>',  # F11
        # F13
        b'<rss version="2.0"><channel><itunes:category text="Health & Fitness"/></channel></rss>',
        b'<rss version="2.0"><channel><title>a&nbsp;b</title></channel></rss>',  # F13
        b'<rss version="2.0"><channel><title><![CDATA[abc</title></channel></rss>',  # F14
        b'<rss version="2.0"><channel><title>a\x00b</title></channel></rss>',  # F15
        # F15, even when XML 1.1 is declared
        b'<?xml version="1.1"?><rss version="2.0"><channel><title>&#1;</title></channel></rss>',
        b"this is not xml at all",
        b'{"version": "1.0"}',
    ],
)
def test_not_well_formed(data: bytes) -> None:
    """F11-F15: one 'not well-formed' error with lxml's line/column."""
    rule, message, line = only_finding(data)
    assert rule == "xml.wellformed"
    assert message.startswith("not well-formed XML: ")
    assert line == 1


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\n"])
def test_empty(data: bytes) -> None:
    """F12: empty or blank documents."""
    assert only_finding(data)[0] == "xml.empty"


def test_truncated_feed() -> None:
    """A feed cut off half way is refused as not well-formed (premature end)."""
    data = CLEAN.read_bytes()
    rule, message, line = only_finding(data[: len(data) // 2])
    assert rule == "xml.wellformed"
    assert line is not None and line > 1


def test_atom_feed() -> None:
    assert (
        only_finding(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')[0]
        == "rss.atom"
    )


def test_control_characters_in_values_are_escaped_in_messages() -> None:
    """F21: terminal controls that XML allows (C1 such as CSI U+009B, bidi overrides) reach
    messages only as visible escapes. (C0 controls like ESC are not well-formed XML at all.)"""
    data = CLEAN.read_bytes().replace(
        b"<title>Beach Towns", "<title>Episode 1 \u009b31m \u202e Beach Towns".encode()
    )
    report = run(data)
    [finding] = [f for f in report.findings if f.rule.id == "apple.title.numbers"]
    assert "\\x9b31m" in finding.message and "\\u202e" in finding.message
    assert "\u009b" not in finding.message and "\u202e" not in finding.message


def test_escape_in_xml_is_not_well_formed() -> None:
    """F21 as written in the catalogue (ESC/BEL in a title) cannot reach a message: XML 1.0
    forbids those characters, so the feed is refused as not well-formed."""
    data = CLEAN.read_bytes().replace(b"<title>Beach Towns", b"<title>\x1b]0;pwned\x07 Beach")
    rule, message, _ = only_finding(data)
    assert rule == "xml.wellformed"
    assert "\x1b" not in message and "\x07" not in message


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_report(data: bytes) -> None:
    """Whatever the bytes, validate_bytes returns a report and never raises."""
    report = validate_bytes(data, location="x.xml", now=NOW)
    assert isinstance(report.findings, list)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(CLEAN.read_bytes())))
def test_any_truncation_gives_a_report(cut: int) -> None:
    """Every prefix of a valid feed is either valid or refused with one error."""
    report = validate_bytes(CLEAN.read_bytes()[:cut], location="x.xml", now=NOW)
    if cut < len(CLEAN.read_bytes()) - 10:
        assert len(report.errors) >= 1


def test_gzip_is_only_a_transport_encoding() -> None:
    """A gzip file given as a feed is not decompressed: it is simply not XML."""
    rule, _, _ = only_finding(gzip.compress(CLEAN.read_bytes()))
    assert rule in ("xml.wellformed", "xml.encoding.invalid")


@pytest.mark.parametrize("profile", ["apple", "spotify", "psp1", "all"])
def test_refusals_are_reported_in_every_profile(profile: str) -> None:
    """A document that cannot be checked fails whatever the profile."""
    for data in (b"", XXE, b'<feed xmlns="http://www.w3.org/2005/Atom"/>', b"<html></html>"):
        report = run(data, profile=profile)
        assert len(report.errors) == 1, (profile, data[:20])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    """UTF-16 without a byte order mark (declared UTF-16) is flagged as not UTF-8."""
    text = CLEAN.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert ids(run(text.encode(codec))) == {"xml.encoding.utf8"}
