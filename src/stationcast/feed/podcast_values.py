"""The argument checks and the node list the Podcasting 2.0 extension is built from.

Every setter of stationcast.feed.podcastindex checks its arguments with these functions
before it stores a tag, so a bad value fails where it is set, with a message naming the tag
(``podcast:person: name must not exceed 128 characters, got 129``), never later when the feed
is written. The facts they check against (limits, value lists, the https rule) come from
stationcast.spec; the manifest models check the same facts first, with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import format_datetime
from typing import Any, overload
from urllib.parse import urlsplit

# feedgen.util uses lxml.etree at import time without importing it.
import lxml.etree  # noqa: F401
from feedgen.util import xml_elem

from stationcast.spec.media import is_mime_type
from stationcast.spec.podcast import NODE_LIMIT
from stationcast.spec.xml import ILLEGAL_CHARACTER

__all__ = [
    "Node",
    "TagValues",
    "attrs",
    "boolean",
    "check_xml",
    "choice",
    "clean",
    "integer",
    "iso8601",
    "mime",
    "number",
    "optional_text",
    "rfc2822",
    "text",
    "uri",
    "url",
    "yes_no",
]


def text(tag: str, value: Any, what: str = "text", limit: int | None = NODE_LIMIT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required and cannot be blank, got {value!r}")
    text: str = value.strip()
    if limit is not None and len(text) > limit:
        raise ValueError(
            f"podcast:{tag}: {what} must not exceed {limit} characters, got {len(text)}"
        )
    return text


def optional_text(tag: str, value: Any, what: str, limit: int | None = NODE_LIMIT) -> str | None:
    return None if value is None else text(tag, value, what, limit)


def url(tag: str, value: Any, what: str = "url", strict: bool = True) -> str:
    """docs/1.0.md: "Anywhere the url of a hyper-text based resource is specified, it must
    be given as https: and not http:". With *strict* False (local previews), http: passes."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required, got {value!r}")
    parts = urlsplit(value.strip())
    allowed = ("https",) if strict else ("https", "http")
    if parts.scheme.lower() not in allowed or not parts.netloc:
        rule = (
            "an https: URL (the namespace requires https for web resources)"
            if strict
            else "an http: or https: URL"
        )
        raise ValueError(f"podcast:{tag}: {what} must be {rule}, got {value!r}")
    return value.strip()


def uri(tag: str, value: Any, what: str) -> str:
    """Any absolute URI (https:, ipfs:, magnet:, ...), as podcast:source allows."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required, got {value!r}")
    if not urlsplit(value.strip()).scheme:
        raise ValueError(f"podcast:{tag}: {what} must be an absolute URI, got {value!r}")
    return value.strip()


def choice(tag: str, value: Any, what: str, choices: Sequence[str]) -> str:
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"podcast:{tag}: {what} must be one of {allowed}, got {value!r}")
    return str(value)


def yes_no(tag: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in ("yes", "no"):
        return str(value)
    raise ValueError(f"podcast:{tag}: value must be 'yes' or 'no' (or a bool), got {value!r}")


def boolean(tag: str, value: Any, what: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value in ("true", "false"):
        return str(value)
    raise ValueError(f"podcast:{tag}: {what} must be true or false, got {value!r}")


def mime(tag: str, value: Any, what: str = "type") -> str:
    if not isinstance(value, str) or not is_mime_type(value):
        raise ValueError(
            f"podcast:{tag}: {what} must be a MIME type like 'audio/mpeg', got {value!r}"
        )
    return value


def integer(tag: str, value: Any, what: str, minimum: int | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value)):
            raise ValueError(f"podcast:{tag}: {what} must be an integer, got {value!r}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"podcast:{tag}: {what} must be at least {minimum}, got {value!r}")
    return str(value)


def number(
    tag: str, value: Any, what: str, minimum: float | None = None, positive: bool = False
) -> str:
    """A decimal number, written as given (73 -> "73", 73.0 -> "73.0", "42.25" -> "42.25")."""
    if isinstance(value, bool):
        raise ValueError(f"podcast:{tag}: {what} must be a number, got {value!r}")
    try:
        number = (
            Decimal(str(value).strip()) if isinstance(value, (int, float, str, Decimal)) else None
        )
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"podcast:{tag}: {what} must be a number, got {value!r}")
    if positive and number <= 0:
        raise ValueError(f"podcast:{tag}: {what} must be greater than 0, got {value!r}")
    if minimum is not None and number < Decimal(str(minimum)):
        raise ValueError(f"podcast:{tag}: {what} must be at least {minimum}, got {value!r}")
    return format(number, "f")


def iso8601(tag: str, value: Any, what: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"podcast:{tag}: {what} needs a time zone, got {value.isoformat()!r}")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return text
    raise ValueError(
        f"podcast:{tag}: {what} must be an ISO 8601 date-time "
        f"(like 2021-09-26T07:30:00-06:00), got {value!r}"
    )


def rfc2822(tag: str, value: Any, what: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"podcast:{tag}: {what} needs a time zone, got {value.isoformat()!r}")
        return format_datetime(value)
    raise ValueError(f"podcast:{tag}: {what} must be a datetime with a time zone, got {value!r}")


# --- the node list --------------------------------------------------------------------


def check_xml(tag: str, what: str, value: str | None) -> None:
    """Refuse now what lxml would refuse only when the feed is written."""
    bad = ILLEGAL_CHARACTER.search(value or "")
    if bad:
        raise ValueError(
            f"podcast:{tag}: {what} contains U+{ord(bad.group()):04X}, "
            "a character XML 1.0 cannot hold"
        )


@dataclass
class Node:
    """One ``podcast:`` element to write: tag, attributes in spec order, text, children."""

    tag: str
    attrs: dict[str, str]
    text: str | None = None
    children: list[Node] = field(default_factory=list)
    value: dict[str, Any] = field(default_factory=dict)  # what the getter returns

    def __post_init__(self) -> None:
        for name, text in [("text", self.text), *self.attrs.items()]:
            check_xml(self.tag, name, text)

    def write(self, parent: Any, ns: str) -> None:
        element = xml_elem(f"{{{ns}}}{self.tag}", parent)
        for name, val in self.attrs.items():
            element.attrib[name] = val
        if self.text is not None:
            element.text = self.text
        for child in self.children:
            child.write(element, ns)


def attrs(**pairs: str | None) -> dict[str, str]:
    return {name.replace("_", "-"): val for name, val in pairs.items() if val is not None}


def clean(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None}


class TagValues(Sequence[dict[str, Any]]):
    """The values of a repeatable tag as a setter returns them: a read-only snapshot.

    Making one costs the same for the first value as for the ten-thousandth (nothing is
    copied until it is read), so adding n values costs O(n) in all. Items are fresh dicts;
    it compares equal to a list of the same dicts. Getters (no arguments) return a list.
    """

    __slots__ = ("_count", "_nodes")

    def __init__(self, nodes: list[Node]) -> None:
        # The tag's node list is only ever appended to (replace=True starts a new list),
        # so its first _count nodes never change.
        self._nodes = nodes
        self._count = len(nodes)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [dict(self._nodes[i].value) for i in range(self._count)[index]]
        return dict(self._nodes[range(self._count)[index]].value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(other) == self._count and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))
