"""The build's clock: one *now* for the whole build, and how times are said to the producer.

*Now* decides which episodes are due (see the pipeline's load step) and is the moment the
build's validation compares dates with. It is read once, at the start: `--now` when given,
else `SOURCE_DATE_EPOCH` (the reproducible-builds convention: seconds since the epoch), else
the wall clock. Two builds with the same *now*, or with different ones at which the same
episodes are due, write the same bytes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Literal

from stationcast.errors import BuildError, Message, Option

ENVIRONMENT = "SOURCE_DATE_EPOCH"
HELD_FORMAT = 1


@dataclass(frozen=True)
class Scheduled:
    """An episode whose `published:` is later than the build's *now*: held back until then."""

    slug: str
    due: datetime  # its `published:`
    manifest: str  # its episode.yaml, for messages


@dataclass(frozen=True)
class Expired:
    """An episode whose rights window (`expires:`) ended by the build's *now*: it leaves the
    feed, and publish deletes its files."""

    slug: str
    at: datetime  # when the window ended
    manifest: str
    guid: str


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
            from stationcast.models.values import parse_datetime  # (pydantic: only for --now)

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


# -- held episodes: what the build cache needs to know of them ----------------------------
# Kept in a small file of its own beside the build cache (`<cache>.held`), so that a build
# whose scheduled episodes are still not due (and whose expired ones stay expired) finds
# nothing changed and writes nothing: the cron or timer loop that builds every few minutes
# costs a stat per episode. It also keeps the end of each built episode's rights window, so
# that an unchanged episode is read again, and leaves, once its window has ended.


@dataclass(frozen=True)
class Held:
    """An episode the last build left out: scheduled (not yet due) or expired (its rights
    window ended), with its manifest's stat and the moment that decides."""

    slug: str
    key: str  # the show entry key it was read under (cache.ShowEntry.key)
    stat: list[int] | None  # of its episode.yaml (cache.text_stat)
    due: datetime  # scheduled: when it goes live; expired: when its window ended
    kind: Literal["scheduled", "expired"] = "scheduled"
    guid: str = ""

    def current(self, key: str, stat: list[int] | None, now: datetime) -> bool:
        """Still left out: read under the same show, its manifest unchanged, and still not due
        (scheduled) or still past its window (expired)."""
        if self.key != key or self.stat != stat:
            return False
        return self.due > now if self.kind == "scheduled" else self.due <= now


@dataclass
class HeldRecord:
    held: dict[str, Held] = field(default_factory=dict)
    zone: str | None = None  # the station's time zone, for messages
    windows: dict[str, datetime] = field(default_factory=dict)  # built episodes' expiry
    read: bool = False  # the file was there and usable (written beside every build cache)
    live_next: datetime | None = None  # when a live program's derived status changes next


def held_location(cache_file: Path) -> Path:
    return cache_file.parent / f"{cache_file.name}.held"


def _moment(value: object) -> datetime:
    when = datetime.fromisoformat(value) if isinstance(value, str) else None
    if when is None or when.utcoffset() is None:
        raise ValueError(value)
    return when


def load_held(cache_file: Path | None) -> HeldRecord:
    """What the last build recorded (nothing when the file is missing or not usable: the
    episodes are read again)."""
    record = HeldRecord()
    if cache_file is None:
        return record
    try:
        from stationcast.build.cache import read_regular

        data = json.loads(read_regular(held_location(cache_file)))
    except (OSError, ValueError, RecursionError):
        return record
    if not isinstance(data, dict) or data.get("format") != HELD_FORMAT:
        return record
    record.read = True
    zone = data.get("zone")
    record.zone = zone if isinstance(zone, str) else None
    entries = data.get("held")
    for slug, value in entries.items() if isinstance(entries, dict) else ():
        try:
            stat, kind, guid = value["stat"], value.get("kind", "scheduled"), value.get("guid", "")
            if stat is not None and not (
                isinstance(stat, list) and all(isinstance(n, int) for n in stat)
            ):
                continue
            if not isinstance(value["key"], str) or kind not in ("scheduled", "expired"):
                continue
            if not isinstance(guid, str):
                continue
            record.held[slug] = Held(slug, value["key"], stat, _moment(value["due"]), kind, guid)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    try:
        record.live_next = _moment(data["live_next"]) if data.get("live_next") else None
    except (TypeError, ValueError):
        record.live_next = datetime.min.replace(tzinfo=UTC)  # unreadable: rebuild the channel
    windows = data.get("windows")
    for slug, value in windows.items() if isinstance(windows, dict) else ():
        try:
            record.windows[slug] = _moment(value)
        except (TypeError, ValueError):
            continue
    return record


def save_held(cache_file: Path | None, record: HeldRecord) -> None:
    """Record what the build left out and the windows of what it built (atomically; a file
    that cannot be written only means those episodes are read again next time)."""
    if cache_file is None:
        return
    file = held_location(cache_file)
    data = {
        "format": HELD_FORMAT,
        "zone": record.zone,
        "held": {
            h.slug: {
                "key": h.key,
                "stat": h.stat,
                "due": h.due.isoformat(),
                "kind": h.kind,
                "guid": h.guid,
            }
            for h in sorted(record.held.values(), key=lambda h: h.slug)
        },
        "windows": {slug: when.isoformat() for slug, when in sorted(record.windows.items())},
        "live_next": record.live_next.isoformat() if record.live_next else None,
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
