"""RSS dates: RFC 822 as RSS 2.0 cites it, read the way RFC 2822 section 4.3 reads its
obsolete forms.

A date in the modern form (`Tue, 22 Sep 2015 17:35:00 -0400`, English names as written there,
a four-digit year, a numeric or named zone) passes. A date in a form RFC 822 allows but
RFC 2822 calls obsolete (two- or three-digit years, names in another letter case, comments,
one-letter military zones, spaces around the comma or inside) is a warning: it is valid RSS
2.0, and some apps misread it. Anything else is an error.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from lxml import etree

from stationcast.spec import apple
from stationcast.spec.rss import DATE_ZONES, MILITARY_ZONES

from .elements import Collector
from .text import quote

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {m.lower(): i for i, m in enumerate(_MONTH_NAMES, 1)}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MODERN = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)"
)
_RFC822 = re.compile(
    r"(?:([A-Za-z]{3}) ?, ?)?(\d{1,2}) ([A-Za-z]{3}) (\d{2,4}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|[A-Za-z]{1,3})"
)
_TZ_CACHE: dict[str, timezone] = {}
#: Dates before this year predate podcasts (and nearly the web): a placeholder or a typo.
IMPLAUSIBLE_BEFORE = 1995
_A_YEAR = timedelta(days=366)


def _uncomment(text: str) -> tuple[str, bool]:
    """`text` with RFC 822 comments (nested, with \\-escapes) replaced by a space, and
    whether it had any."""
    out: list[str] = []
    depth = 0
    escaped = False
    found = False
    for ch in text:
        if depth:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if not depth:
                    out.append(" ")
            continue
        if ch == "(":
            depth = 1
            found = True
        else:
            out.append(ch)
    return "".join(out), found


def _offset(zone: str) -> timezone | None:
    """The zone's offset; None for a name RFC 822 does not define."""
    tz = _TZ_CACHE.get(zone)
    if tz is not None:
        return tz
    upper = zone.upper()
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        if abs(offset) >= timedelta(days=1):
            return None
    elif upper in DATE_ZONES:
        offset = timedelta(hours=DATE_ZONES[upper])
    elif len(upper) == 1 and upper in MILITARY_ZONES:
        offset = timedelta(0)
    else:
        return None
    tz = timezone(offset)
    if len(_TZ_CACHE) < 1000:
        _TZ_CACHE[zone] = tz
    return tz


def _obsolete(raw: str, plain: str, m: re.Match[str], commented: bool) -> list[str]:
    """What in the date RFC 2822 calls obsolete, for the warning."""
    dow, _day, mon, year, *_rest, zone = m.groups()
    why = []
    if len(year) < 4:
        why.append(f"a {len(year)}-digit year")
    if (
        (dow and dow not in _DAYS)
        or mon not in _MONTH_NAMES
        or (len(zone) > 1 and zone[0] not in "+-" and zone != zone.upper())
    ):
        why.append("names not written as 'Tue', 'Sep', 'GMT'")
    if len(zone) == 1 and zone != "Z":
        why.append(f"the military zone {quote(zone)} (read as UTC)")
    if commented:
        why.append("a comment")
    if not why and plain != raw:
        why.append("extra spaces")
    return why or ["an unusual spacing"]


def check_date(
    text: str | None,
    el: etree._Element,
    c: Collector,
    now: datetime | None,
    *,
    future: bool = True,
) -> None:
    """RFC 822 with a zone; weekday, if given, must match; with `future`, not in the future at
    `now` (Apple's rule, stationcast.spec.apple.in_the_future); plausible (after
    IMPLAUSIBLE_BEFORE, and less than a year after `now`)."""
    raw = text or ""
    value = raw.strip()
    modern = _MODERN.fullmatch(value) is not None
    stripped, commented = _uncomment(value) if "(" in value else (value, False)
    plain = " ".join(stripped.replace(",", ", ").split()).replace(" ,", ",")
    m = _RFC822.fullmatch(plain)
    if m is None:
        c.add(
            "rss.date.format",
            f"{quote(value)} is not an RFC 822 date like 'Tue, 22 Sep 2015 17:35:00 -0400'",
            el,
        )
        return
    dow, day, mon, year, hh, mm, ss, zone = m.groups()
    month = _MONTHS.get(mon.lower())
    tz = _offset(zone)
    if month is None or tz is None:
        what = f"the month {quote(mon)}" if month is None else f"the zone {quote(zone)}"
        c.add(
            "rss.date.format",
            f"{quote(value)}: {what} is not one RFC 822 defines "
            "(write e.g. 'Sep' and '-0400' or 'GMT')",
            el,
        )
        return
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 50 else 1900
    elif len(year) == 3:
        y += 1900
    try:
        when = datetime(y, month, int(day), int(hh), int(mm), int(ss or 0), tzinfo=tz)
    except ValueError as e:
        c.add("rss.date.format", f"{quote(value)} is not a real date/time ({e})", el)
        return
    if dow:
        real = _DAYS[when.weekday()]
        if dow.lower() not in (d.lower() for d in _DAYS):
            c.add("rss.date.format", f"{quote(value)}: {quote(dow)} is not a day name", el)
            return
        if real.lower() != dow.lower():
            c.add("rss.date.format", f"{quote(value)}: that date is a {real}, not a {dow}", el)
            return
    if not modern:
        c.add(
            "rss.date.obsolete",
            f"{quote(value)} uses an obsolete RFC 822 form ("
            + ", ".join(_obsolete(value, plain, m, commented))
            + "); write e.g. "
            + quote(
                f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTH_NAMES[month - 1]} {y} "
                f"{hh}:{mm}:{ss or '00'} {when.strftime('%z')}"
            ),
            el,
        )
    if when.year < IMPLAUSIBLE_BEFORE or (now is not None and when > now + _A_YEAR):
        c.add(
            "rss.date.implausible",
            f"{quote(value)} is "
            + (
                f"before {IMPLAUSIBLE_BEFORE}"
                if when.year < IMPLAUSIBLE_BEFORE
                else "over a year ahead"
            ),
            el,
        )
    if future and now is not None and apple.in_the_future(when, now):
        c.add("rss.date.future", f"pubDate {quote(value)} is in the future", el)
