"""Lexical facts: the characters XML 1.0 can hold, and the shapes of identifiers in feeds."""

from __future__ import annotations

import re

#: XML 1.0 section 2.2, the Char production: no C0 control characters except tab, LF and CR,
#: no surrogates (they are never characters on their own), no U+FFFE or U+FFFF. A document
#: holding one is not XML, and lxml refuses to write it.
ILLEGAL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: RFC 9562 section 4 (formerly RFC 4122): the string form of a UUID, either case. Use
#: ``fullmatch``.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

#: RFC 3986 section 3.1: an absolute URI starts with a scheme and a colon. Use ``match``.
URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
