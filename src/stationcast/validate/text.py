"""Make untrusted text safe to print: control, bidi and invisible characters become escapes."""

from __future__ import annotations

import re

# C0 and C1 controls (incl. ESC, CR, LF, TAB, DEL), bidi controls and other invisible
# format characters that could rewrite or hide what a terminal shows.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    o = ord(c)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def safe(text: str) -> str:
    """`text` with every control/bidi/invisible character written as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def quote(text: str | None, limit: int = 80) -> str:
    """A short, escaped, quoted rendering of an untrusted value for messages."""
    if text is None:
        return "(none)"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "'" + safe(text) + "'"
