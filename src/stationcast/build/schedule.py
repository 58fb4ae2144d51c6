"""The build's clock: one *now* for the whole build, and how times are said to the producer.

*Now* decides which episodes are due (see the pipeline's load step) and is the moment the
build's validation compares dates with. It is read once, at the start: `--now` when given,
else `SOURCE_DATE_EPOCH` (the reproducible-builds convention: seconds since the epoch), else
the wall clock. Two builds with the same *now*, or with different ones at which the same
episodes are due, write the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo

from stationcast.errors import BuildError, Message, Option
from stationcast.models.values import parse_datetime

ENVIRONMENT = "SOURCE_DATE_EPOCH"


def build_now(
    now: str | datetime | None = None, environ: Mapping[str, str] | None = None
) -> datetime:
    """The build's *now*, aware: `now` (an ISO 8601 date-time with a UTC offset, or an aware
    datetime), else SOURCE_DATE_EPOCH, else the wall clock. BuildError for a bad value."""
    if isinstance(now, datetime):
        if now.utcoffset() is None:
            raise BuildError(Message(Option("now"), ": needs a UTC offset"))
        return now
    if now is not None:
        try:
            return parse_datetime(now)
        except ValueError as exc:
            raise BuildError(Message(Option("now"), f": {exc}")) from None
    env = os.environ if environ is None else environ
    epoch = env.get(ENVIRONMENT, "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise BuildError(
                f"{ENVIRONMENT}={epoch!r}: expected whole seconds since 1970-01-01 UTC (like"
                " 1733216400)"
            ) from None
    return datetime.now(UTC)


def say_when(when: datetime, zone: tzinfo | None, now: datetime) -> str:
    """`Tue 3 Dec 07:00 EST`: a moment as the station's clock shows it (UTC without a zone),
    with the year when it is not the year of `now`."""
    local = when.astimezone(zone or UTC)
    name = local.tzname() or "UTC"
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    )  # fmt: skip
    year = "" if local.year == now.astimezone(zone or UTC).year else f" {local.year}"
    return (
        f"{days[local.weekday()]} {local.day} {months[local.month - 1]}{year} {local:%H:%M} {name}"
    )


def say_until(when: datetime, now: datetime) -> str:
    """`in 9 h`, `in 25 min`, `in 3 d`: how far `when` is from `now` (rounded up)."""
    left = when - now
    if left <= timedelta(0):
        return "now"
    minutes = -(-left // timedelta(minutes=1))
    if minutes < 60:
        return f"in {minutes} min"
    hours = -(-left // timedelta(hours=1))
    if hours < 48:
        return f"in {hours} h"
    return f"in {-(-left // timedelta(days=1))} d"
