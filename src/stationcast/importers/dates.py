"""Dates as story pages and feeds print them -> aware datetimes, or a reason why not.

Only what the text states is used: a date without a time, or a time without a UTC offset or
zone, is *not* completed with a guess; the caller leaves the field for the producer.

Years are kept as written. The one exception is the one RFC 5322 (section 4.3) defines for
e-mail style dates (`Tue, 22 Sep 15 17:35:00 -0400`): a two-digit year 00-49 is 2000-2049,
50-99 is 1950-1999, and a three-digit year is 1900 plus it; FoundDate.note says so. A
four-digit year is never reinterpreted: `0001` or `0099` is not 2001 or 1999 but an
impossible publication date (before MIN_YEAR), refused with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from stationcast.spec.rss import MIN_YEAR

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

# Publication dates before MIN_YEAR (RFC 2822's first year) are refused as impossible
# (placeholders like 0001).

_WRITTEN = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"(?:\s*(?:at|,|·|-|–)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s+(?P<zone>[A-Z]{1,4}|[+-]\d{2}:?\d{2}))?)?"
)
# RFC 5322 date-time: `[Tue, ]22 Sep 2015 17:35[:00] -0400`, the year with 2-4 digits.
_RFC5322 = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})\s+(?P<year>\d{2,4})\s+"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)
# An RFC 5322 comment without nested ones; a backslash quotes the next character (`\)`).
_COMMENT = re.compile(r"\((?:[^()\\]|\\.)*\)")
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True)
class FoundDate:
    text: str  # as the page printed it
    value: datetime | None  # aware, or None when the page leaves the time or zone open
    problem: str = ""  # why value is None
    note: str = ""  # how the text was read, when not literally (a two-digit year)
    refused_year: int | None = None  # set when the year is refused as impossible


def _too_early(text: str, year: int) -> FoundDate | None:
    if year >= MIN_YEAR:
        return None
    return FoundDate(
        text,
        None,
        f"{text!r} has the year {year:04d}, which cannot be a publication date "
        f"(before {MIN_YEAR}; a placeholder?)",
        refused_year=year,
    )


def _rfc5322_year(digits: str) -> tuple[int, str]:
    """The year RFC 5322 4.3 reads `digits` as, and a note when that is not literal."""
    year = int(digits)
    if len(digits) == 4:
        return year, ""
    if len(digits) == 2:
        full = year + (2000 if year < 50 else 1900)
        return full, (
            f"the two-digit year {digits} is read as {full} "
            "(RFC 5322: 00-49 are 2000-2049, 50-99 are 1950-1999)"
        )
    full = year + 1900
    return full, f"the three-digit year {digits} is read as {full} (RFC 5322: 1900 plus it)"


def _uncomment(text: str) -> str:
    """`text` without RFC 5322 comments (`(EDT)`, nested ones too), each replaced by a space."""
    previous = None
    while previous != text:
        previous, text = text, _COMMENT.sub(" ", text)
    return " ".join(text.split())


def _rfc5322_zone(text: str, end: int) -> tuple[str, str, str]:
    """The zone after the time (which ends at `end`) as a numeric offset the parser reads,
    with a note when RFC 5322 4.3 decides its meaning, or a problem ("" when none)."""
    rest = text[end:].strip()
    zone = rest.split(" ")[0] if rest else ""
    if re.fullmatch(r"[+-]\d{4}", zone):
        return zone, "", ""
    upper = zone.upper()
    if upper in ("UT", "UTC", "GMT", "Z"):
        return "+0000", "", ""
    if upper in _FIXED_ZONES:
        hours = _FIXED_ZONES[upper]
        return f"{'-' if hours < 0 else '+'}{abs(hours):02d}00", "", ""
    if re.fullmatch(r"[A-Za-z]{1,5}", zone):
        kind = "military time zone" if len(zone) == 1 else "time zone"
        return (
            "-0000",
            f"the {kind} {zone!r} is read as UTC (RFC 5322 4.3: its meaning is not known, so it"
            " is -0000); check the time",
            "",
        )
    return "", "", "without a UTC offset or time zone" if not zone else f"with the zone {zone!r}"


def _rfc5322(text: str) -> FoundDate | None:
    """An RFC 5322 (RFC 822) date-time, in every form the grammar allows, obsolete ones too:
    two- and three-digit years, any letter case, comments, named and military zones."""
    plain = _uncomment(text)
    m = _RFC5322.search(plain)
    if not m or m.group("month").lower() not in _MONTHS:
        return None
    year, note = _rfc5322_year(m.group("year"))
    early = _too_early(text, year)
    if early is not None:
        return early
    zone, zone_note, problem = _rfc5322_zone(plain, m.end())
    if problem:
        return FoundDate(text, None, f"{text!r} gives the time {problem}")
    # Hand the parser the four-digit year (it would apply its own two-digit rule) and the
    # numeric zone.
    written = f"{m.group('day')} {m.group('month')} {year} {m.group('time')} {zone}"
    try:
        value = parsedate_to_datetime(written)
    except (TypeError, ValueError, IndexError):
        return FoundDate(text, None, f"{text!r} is not a date (no such day or time)")
    if value.tzinfo is None:  # "-0000": UTC, source time zone unknown (RFC 5322 3.3)
        value = value.replace(tzinfo=UTC)
    return FoundDate(text, value, note="; ".join(n for n in (note, zone_note) if n))


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
            early = _too_early(m.group(), value.year)
            if early is not None:
                return early
            if "T" not in raw:
                return FoundDate(
                    m.group(), None, f"the page gives the date {m.group()} but no time"
                )
            if value.tzinfo is None:
                return FoundDate(
                    m.group(), None, f"the page gives {m.group()} without a UTC offset or time zone"
                )
            return FoundDate(m.group(), value)
    rfc = _rfc5322(text)
    if rfc is not None:
        return rfc
    m = _WRITTEN.search(text)
    if not m or m.group("month").lower() not in _MONTHS:
        return None
    found = m.group().strip()
    early = _too_early(found, int(m.group("year")))
    if early is not None:
        return early
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
