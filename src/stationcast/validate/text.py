"""Make untrusted text safe to print: control, format and separator characters become escapes.

Anything `str.isprintable()` rejects is escaped: C0/C1 controls (ESC, CSI, BEL, CR, LF, TAB),
bidi overrides and other invisible format characters, line/paragraph separators, unassigned
and private-use code points. What remains cannot move the cursor, recolour the terminal or
reorder the line.
"""

from __future__ import annotations


def _escape(c: str) -> str:
    o = ord(c)
    if o < 0x100:
        return f"\\x{o:02x}"
    if o < 0x10000:
        return f"\\u{o:04x}"
    return f"\\U{o:08x}"


def safe(text: str) -> str:
    """`text` with every non-printable character written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def quote(text: str | None, limit: int = 80) -> str:
    """A short, escaped, quoted rendering of an untrusted value for messages."""
    if text is None:
        return "(none)"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + safe(text) + "'"
