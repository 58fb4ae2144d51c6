"""Dates as story pages and feeds print them -> aware datetimes, or a reason why not.

Only what the text states is used: a date without a time, or a time without a UTC offset or
zone, is *not* completed with a guess; the caller leaves the field for the producer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_FIXED_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EDT": -4,
    "EST": -5,
    "CDT": -5,
    "CST": -6,
    "MDT": -6,
    "MST": -7,
    "PDT": -7,
    "PST": -8,
    "AKDT": -8,
    "AKST": -9,
    "HST": -10,
    "HDT": -9,
    "AST": -4,
    "ADT": -3,
}
# "ET" and friends name a place's local time; zoneinfo knows whether DST applied that day.
_REGION_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}

_WRITTEN = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"(?:\s*(?:at|,|·|-|–)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"(?:\s+(?P<zone>[A-Z]{1,4}|[+-]\d{2}:?\d{2}))?)?"
)
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True)
class FoundDate:
    text: str  # as the page printed it
    value: datetime | None  # aware, or None when the page leaves the time or zone open
    problem: str = ""  # why value is None


def parse_date(text: str) -> FoundDate | None:
    """The first date in `text`, or None when it holds none."""
    text = text.strip()
    m = _ISO.search(text)
    if m:
        raw = m.group().replace(" ", "T")
        if raw.endswith("Z"):
            raw = raw[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            value = None
        if value is not None:
            if "T" not in raw:
                return FoundDate(
                    m.group(), None, f"the page gives the date {m.group()} but no time"
                )
            if value.tzinfo is None:
                return FoundDate(
                    m.group(), None, f"the page gives {m.group()} without a UTC offset or time zone"
                )
            return FoundDate(m.group(), value)
    if re.search(r"\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}", text):
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None:
            if value.tzinfo is None:  # "-0000": UTC, source time zone unknown (RFC 5322 3.3)
                value = value.replace(tzinfo=UTC)
            return FoundDate(text, value)
    m = _WRITTEN.search(text)
    if not m or m.group("month").lower() not in _MONTHS:
        return None
    found = m.group().strip()
    try:
        day = datetime(int(m.group("year")), _MONTHS[m.group("month").lower()], int(m.group("day")))
    except ValueError:
        return None
    if m.group("hour") is None:
        return FoundDate(found, None, f"the page gives the date {found!r} but no time")
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    ampm = (m.group("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    local = day.replace(hour=hour, minute=minute)
    zone = m.group("zone")
    if not zone:
        return FoundDate(found, None, f"the page gives {found!r} without a time zone")
    if zone in _FIXED_ZONES:
        return FoundDate(found, local.replace(tzinfo=timezone(timedelta(hours=_FIXED_ZONES[zone]))))
    if zone in _REGION_ZONES:
        try:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(_REGION_ZONES[zone])
        except (ImportError, LookupError, OSError):
            return FoundDate(found, None, f"cannot tell the UTC offset of {zone} on that date here")
        value = local.replace(tzinfo=tz)
        return FoundDate(found, value.replace(tzinfo=timezone(value.utcoffset() or timedelta(0))))
    zm = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", zone)
    if zm:
        sign = -1 if zm.group(1) == "-" else 1
        return FoundDate(
            found,
            local.replace(
                tzinfo=timezone(sign * timedelta(hours=int(zm.group(2)), minutes=int(zm.group(3))))
            ),
        )
    return FoundDate(found, None, f"the page gives {found!r} in the unknown time zone {zone!r}")
