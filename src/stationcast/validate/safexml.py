"""Parse an untrusted feed: size cap, encoding checks, no DTDs or entities, one clear error.

The parser never loads a DTD, never touches the network and never expands entities; a
DOCTYPE that declares entities is refused before lxml sees it (XXE, billion laughs,
quadratic blowup), and libxml2's own amplification limits stay on (huge_tree=False).
"""

from __future__ import annotations

import re

from lxml import etree

from stationcast.errors import byte_position
from stationcast.spec.namespaces import ATOM
from stationcast.xmlsafe import hardened_parser

from .rules import RULES, Finding
from .text import quote, safe

#: Default cap on the bytes of a feed (after any decompression).
MAX_FEED_BYTES = 64 * 1024 * 1024

_XML_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_WS = b" \t\r\n"


class FeedRejected(Exception):
    """The document cannot be validated at all; `finding` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _reject(rule: str, message: str, line: int | None = None) -> FeedRejected:
    return FeedRejected(Finding(RULES[rule], message, line, None))


def _scan_prolog(data: bytes, start: int) -> tuple[int, int | None]:
    """Walk the prolog (XML declaration, comments, PIs, DOCTYPE).

    Returns (offset of the root element or len(data), offset of a DOCTYPE or None).
    """
    pos = start
    n = len(data)
    doctype = None
    while pos < n:
        while pos < n and data[pos] in _WS:
            pos += 1
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos)
            pos = n if end < 0 else end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            pos = n if end < 0 else end + 3
        elif data.startswith(b"<!DOCTYPE", pos) or data[pos : pos + 9].upper() == b"<!DOCTYPE":
            doctype = pos
            return pos, doctype
        else:
            return pos, doctype
    return pos, doctype


def _parser_limit(message: str) -> str | None:
    """libxml2's own limits (kept on: huge_tree=False) as a size problem, or None.

    libxml2 reports them as syntax errors ("Resource limit exceeded: Text node too long, try
    XML_PARSE_HUGE"), but the XML may be fine: it is too big to parse safely, and the advice
    to escape '&' does not apply.
    """
    if "XML_PARSE_HUGE" not in message and "Resource limit exceeded" not in message:
        return None
    text = message.lower()
    if "text node" in text:
        what = "a text node (a description or other text) is longer than the 10,000,000 bytes"
    elif "depth" in text:
        what = "elements are nested deeper than the 256 levels"
    elif "buffer size" in text or "attvalue" in text or "name too long" in text:
        what = "an attribute value or a name is longer than the 10,000,000 bytes"
    else:
        detail = re.split(r",?\s*(?:try|use) XML_PARSE_HUGE", message)[0].strip(" ,")
        return f"the feed exceeds a limit of the XML parser ({safe(detail)}); it was not parsed"
    return f"{what} the XML parser accepts; the feed was not parsed"


def _check_doctype(data: bytes, pos: int) -> Finding:
    """Refuse a DOCTYPE that declares entities; otherwise warn that it is ignored."""
    gt = data.find(b">", pos)
    bracket = data.find(b"[", pos)
    if bracket >= 0 and (gt < 0 or bracket < gt):
        end = re.compile(rb"\]\s*>").search(data, bracket)
        subset = data[bracket : (end.end() if end else len(data))]
        if b"<!ENTITY" in subset.upper():
            line, _ = byte_position(data, pos)
            raise _reject(
                "xml.doctype.entities",
                "DOCTYPE with entity declarations is not allowed; the feed was not parsed",
                line,
            )
    line, _ = byte_position(data, pos)
    return Finding(RULES["xml.doctype"], "DOCTYPE ignored: no DTD is loaded", line, "!DOCTYPE")


def parse_feed(
    data: bytes, *, max_bytes: int = MAX_FEED_BYTES
) -> tuple[etree._Element, etree._Element, list[Finding]]:
    """Parse `data` as an RSS feed. Returns (rss root, channel, findings so far).

    Raises FeedRejected with a single finding when the document cannot be validated.
    """
    findings: list[Finding] = []
    if len(data) > max_bytes:
        raise _reject(
            "xml.too-large",
            f"feed is {len(data):,} bytes, larger than the {max_bytes:,}-byte limit",
        )
    if not data or data.isspace():
        raise _reject("xml.empty", "the document is empty")

    # Encoding: Apple and PSP-1 want UTF-8; lxml follows a BOM or the declaration.
    start = 0
    # A byte order mark, or UTF-16 without one ('<' followed or preceded by a NUL byte).
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"))
    if data.startswith(b"\xef\xbb\xbf"):
        start = 3
    decl = _XML_DECL.match(data, start) if not utf16 else None
    declared = decl.group(1).decode("ascii").lower() if decl else None
    if utf16:
        findings.append(
            Finding(
                RULES["xml.encoding.utf8"], "the feed is UTF-16 (or UTF-32), not UTF-8", 1, None
            )
        )
    elif declared and declared not in ("utf-8", "utf8"):
        findings.append(
            Finding(
                RULES["xml.encoding.utf8"],
                f"the feed declares encoding {quote(declared)}, not UTF-8",
                1,
                None,
            )
        )
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            line, col = byte_position(data, e.start)
            byte = data[e.start]
            raise _reject(
                "xml.encoding.invalid",
                f"byte 0x{byte:02X} at line {line}, column {col} is not valid UTF-8, but the "
                "feed is declared (or defaults to) UTF-8; it looks like Latin-1 or Windows-1252",
                line,
            ) from None

    if not utf16:
        root_at, doctype = _scan_prolog(data, start)
        if _HTML_START.match(data, root_at):
            raise _reject("xml.html", "this is an HTML page, not an RSS feed", 1)
        if doctype is not None:
            findings.append(_check_doctype(data, doctype))

    # collect_ids=False is deliberately not set: with it, libxml2 tries to fetch an
    # external DTD (refused by no_network, but reported as a fatal error).
    parser = hardened_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        where = e.lineno if isinstance(e.lineno, int) and e.lineno > 0 else None
        limit = _parser_limit(str(e.msg))
        if limit is not None:
            raise _reject("xml.too-large", limit, where) from None
        raise _reject("xml.wellformed", f"not well-formed XML: {safe(str(e.msg))}", where) from None
    except (ValueError, MemoryError) as e:  # pragma: no cover - defensive
        raise _reject("xml.wellformed", f"not well-formed XML: {safe(str(e))}") from None
    if root is None:
        raise _reject("xml.empty", "the document has no root element")

    tag = root.tag if isinstance(root.tag, str) else ""
    local = etree.QName(root).localname if tag else ""
    if tag == f"{{{ATOM}}}feed":
        raise _reject("rss.atom", "this is an Atom feed (<feed>), not RSS 2.0", root.sourceline)
    if local.lower() == "html":
        raise _reject("xml.html", "this is an HTML page, not an RSS feed", root.sourceline)
    if tag != "rss":
        raise _reject(
            "xml.not-rss",
            f"the root element is <{safe(local or '?')}>, not <rss>",
            root.sourceline,
        )
    version = root.get("version")
    if version != "2.0":
        findings.append(
            Finding(
                RULES["rss.version"], f"<rss version> is {quote(version)}", root.sourceline, "rss"
            )
        )
    channel = root.find("channel")
    if channel is None:
        raise _reject("rss.channel", "<rss> has no <channel> element", root.sourceline)
    return root, channel, findings
