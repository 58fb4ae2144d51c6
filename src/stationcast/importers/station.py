"""The station's header or footer on a story page: slogan, copyright, address, phones.

Station sites print the same block on every page (the seed page starts with it):

    Bringing The World Home To You
    © 2024 WUNC North Carolina Public Radio
    120 Friday Center Dr
    Chapel Hill, NC 27517
    919.445.9150 | 800.962.9862

Each line is recognised by its shape; a line that is none of these is the slogan (only the
first such line, and only if it comes before the copyright line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_COPYRIGHT = re.compile(
    r"^(?:©|\([cC]\)|Copyright\b)\s*(?:©\s*)?(?:(?P<year>\d{4})(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[^|]{2,120}?)[.\s]*$"
)
_PHONE = re.compile(r"(?<![\d.])(?:\+?1[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d.])")
# What may stand beside phone numbers on a phones line: separators and words like "Tel:".
_PHONE_REST = re.compile(r"[\s|/,;·•–-]+|\b(?:tel|phone|toll[- ]free|fax|call)\b:?", re.IGNORECASE)
_STREET = re.compile(r"^(?:\d+[A-Za-z]?\s+\S.{2,80}|P\.?\s?O\.? Box \d+.*)$", re.IGNORECASE)
_CITY = re.compile(
    r"^(?P<locality>[^\d,][^,]{1,60}),\s*(?P<region>[A-Z]{2})\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$"
)
_CITY_ANY = re.compile(
    r"^(?P<locality>[^\d,][^,]{1,60}),\s*"
    r"(?P<region>[^\d,]{2,40}?)\s+"
    r"(?P<postal>[A-Z0-9][A-Z0-9 -]{2,9})$"
)
_US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "PR",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "VI",
        "WA",
        "WV",
        "WI",
        "WY",
        "GU",
        "AS",
        "MP",
    ]
)


@dataclass
class StationInfo:
    """What the page says about the station. Empty strings are "not on the page"."""

    name: str = ""
    slogan: str = ""
    copyright: str = ""
    street: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    country_inferred: bool = False
    phones: list[str] = field(default_factory=list)
    website: str = ""

    def found(self) -> bool:
        return bool(self.name or self.copyright or self.street or self.phones)

    def address(self) -> dict[str, str] | None:
        if not (self.street and self.locality):
            return None
        out = {"street": self.street, "locality": self.locality}
        for key in ("region", "postal_code", "country"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


def classify(line: str) -> str | None:
    """ "copyright", "phones", "street", "city" or None for one header line."""
    if _COPYRIGHT.match(line) and ("©" in line or re.search(r"\d{4}", line)):
        return "copyright"
    if _PHONE.search(line) and not _PHONE_REST.sub("", _PHONE.sub("", line)):
        return "phones"
    if _CITY.match(line):
        return "city"
    if _STREET.match(line) and len(line.split()) <= 8:
        return "street"
    return None


def read_header(lines: Sequence[str], *, slogan: bool = True) -> StationInfo:
    """Station details from header or footer lines (already stripped, no blank lines).

    With `slogan`, the first short line that is nothing else and comes before the copyright
    line is the slogan (saved text); HTML pages mark theirs with a class instead."""
    info = StationInfo()
    for index, line in enumerate(lines):
        kind = classify(line)
        if kind == "copyright" and not info.copyright:
            info.copyright = line
            m = _COPYRIGHT.match(line)
            if m:
                info.name = (
                    m.group("name")
                    .strip()
                    .rstrip(".")
                    .removesuffix(" All rights reserved")
                    .strip(" .,")
                )
        elif kind == "phones":
            for phone in _PHONE.findall(line):
                if phone not in info.phones:
                    info.phones.append(phone.strip())
        elif kind == "city" and info.street and not info.locality:
            m = _CITY.match(line)
            assert m is not None
            info.locality, info.region, info.postal_code = (
                m.group("locality").strip(),
                m.group("region"),
                m.group("postal"),
            )
            if info.region in _US_STATES:
                info.country, info.country_inferred = "US", True
        elif (
            kind == "street"
            and not info.street
            and index + 1 < len(lines)
            and classify(lines[index + 1]) == "city"
        ):
            info.street = line
        elif (
            kind is None
            and slogan
            and not info.slogan
            and not info.copyright
            and not info.street
            and len(line.split()) <= 12
        ):
            info.slogan = line
    return info
