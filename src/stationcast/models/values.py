"""The values manifests hold, as annotated types that check them: text, URLs, identifiers,
places, times, sizes, dates and file names, each checked against stationcast.spec where a
specification sets the rule.

Every check raises ValueError with a message a producer can act on; the manifest reader
(stationcast.manifest) adds the file, line and field.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Annotated, Any
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from stationcast.spec import analytics, apple, media, podcast, rss
from stationcast.spec.rss import MIN_YEAR
from stationcast.spec.xml import ILLEGAL_CHARACTER, UUID


def check_text(value: str) -> str:
    # Characters XML 1.0 forbids reach a manifest by copy and paste from word processors
    # (form feed, vertical tab) and would make the feed unparseable.
    bad = ILLEGAL_CHARACTER.search(value)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}, which XML does not allow;"
            " delete it (it often comes from pasted word-processor text)"
        )
    # XML parsers turn every CR and CRLF into LF; doing it here keeps what we publish equal
    # to what apps read back.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# Characters that show nothing on their own: besides whitespace and format characters (zero-width
# space and joiners, the byte order mark, word joiner, bidi marks: categories Zs, Zl, Zp, Cf, Cc),
# the Hangul fillers, the blank Braille pattern, the combining grapheme joiner and the variation
# selectors. A title made only of them looks empty in every app.
_BLANK = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0") | frozenset(
    chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
)


_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})


def invisible(text: str) -> bool:
    """True when `text` shows nothing: it is empty or made only of invisible characters."""
    return all(ch in _BLANK or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text)


def nonblank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    if invisible(value):
        first = value[0]
        name = unicodedata.name(first, "")
        raise ValueError(
            f"is empty (only invisible characters, such as U+{ord(first):04X}"
            f"{' ' + name if name else ''}); write the text"
        )
    return value


def to_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


Text = Annotated[str, AfterValidator(check_text)]
RequiredText = Annotated[str, AfterValidator(check_text), AfterValidator(nonblank)]

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def check_url(value: str) -> str:
    value = check_text(value)
    if not _URL.match(value):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    parts = _split_url(value)
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            f"{_redacted(value)} carries a user name or password (user:password@); the feed"
            " is public, so it would be published for everyone to read. Remove it"
        )
    return value


def _split_url(value: str) -> SplitResult:
    """The parts of an http(s) URL whose host (and port) can be read, else ValueError."""
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"...
        raise ValueError(
            f"expected an http:// or https:// URL with a valid host, got {value!r} ({exc})"
        ) from None
    if not host:
        raise ValueError(f"expected an http:// or https:// URL with a host name, got {value!r}")
    return parts


def _redacted(value: str) -> str:
    """A URL with its password replaced, for messages."""
    parts = urlsplit(value)
    if parts.password is None:
        return repr(value)
    user, _, host = parts.netloc.rpartition("@")
    return repr(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}").geturl())


Url = Annotated[str, AfterValidator(check_url)]


def ascii_url(value: str) -> str:
    """An audio or artwork URL (or the base of them): plain ASCII, as Apple requires."""
    if apple.ascii_url(value):
        return value
    parts = urlsplit(value)
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        fix = "write the host in its ASCII (xn--) form and percent-encode the rest"
    else:
        netloc = host + (f":{parts.port}" if parts.port is not None else "")
        path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
        query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        fix = f"write it as {urlunsplit((parts.scheme, netloc, path, query, ''))!r}"
    raise ValueError(
        f"{value!r} has characters other than ASCII; Apple Podcasts refuses audio and artwork"
        f" URLs that are not plain ASCII: {fix}"
    )


def check_base_url(value: str) -> str:
    """The base URL every published file's URL starts with, ending in `/`; ValueError says
    what is wrong (show.yaml's `base_url`, and the `--base-url` of build, serve and tag)."""
    value = check_url(value)
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(
            f"must not have a query (?...) or fragment (#...), got {value!r}: every published"
            " file's URL is this URL with the file's path appended"
        )
    value = ascii_url(value)
    return value if value.endswith("/") else value + "/"


BaseUrl = Annotated[str, AfterValidator(check_base_url)]


def _check_https(value: str) -> str:
    value = check_url(value)
    if not podcast.is_https(value):
        raise ValueError(
            f"expected an https:// URL (the Podcasting 2.0 namespace requires https), got {value!r}"
        )
    return value


HttpsUrl = Annotated[str, AfterValidator(_check_https)]


def check_analytics_prefix(value: str) -> str:
    """One prefix of `analytics:` (stationcast.spec.analytics): an https URL ending in `/`,
    written as its service's instructions give it."""
    value = ascii_url(_check_https(value))
    parts = urlsplit(value)
    if parts.query or parts.fragment or not value.endswith("/"):
        raise ValueError(
            f"expected a prefix URL ending in / with no ?query or #fragment (the media URL is"
            f" appended to it), got {value!r}"
        )
    host = (parts.hostname or "").lower()
    for service in analytics.SERVICES:
        if urlsplit(service.example).hostname == host and not service.pattern.fullmatch(value):
            raise ValueError(
                f"{value!r} is not the form of {service.name}'s prefix, which is like"
                f" {service.example!r}"
            )
    return value


AnalyticsPrefix = Annotated[str, AfterValidator(check_analytics_prefix)]


def _check_uuid(value: str) -> str:
    value = check_text(value)
    if not UUID.fullmatch(value):
        raise ValueError(
            f"expected a UUID like 917393e3-1b1e-5cef-ace4-edaa54e1f810, got {value!r}"
        )
    return value.lower()


Uuid = Annotated[str, AfterValidator(_check_uuid)]


def _check_mime_type(value: str) -> str:
    value = check_text(value)
    if not media.is_mime_type(value):
        raise ValueError(f"expected a MIME type like audio/mpeg, got {value!r}")
    return value


#: A media type such as audio/mpeg (type/subtype, no parameters).
MimeType = Annotated[str, AfterValidator(_check_mime_type)]


def short(limit: int) -> AfterValidator:
    """Text the Podcasting 2.0 spec asks to keep short ("do not exceed 128 characters")."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(
                f"is {len(value)} characters; keep it to {limit} or fewer"
                " (podcast apps truncate it)"
            )
        return value

    return AfterValidator(check)


ShortText = Annotated[
    str, AfterValidator(check_text), AfterValidator(nonblank), short(podcast.NODE_LIMIT)
]


def _check_email(value: str) -> str:
    value = check_text(value)
    if not podcast.EMAIL.fullmatch(value):
        raise ValueError(f"expected an email address like podcasts@example.org, got {value!r}")
    return value


Email = Annotated[str, AfterValidator(_check_email)]


def _check_geo(value: str) -> str:
    value = check_text(value)
    match = podcast.GEO.fullmatch(value)
    if not match or abs(float(match["lat"])) > 90 or abs(float(match["lon"])) > 180:
        raise ValueError(
            "expected an RFC 5870 geo URI, geo:latitude,longitude (like geo:35.9049,-79.0469),"
            f" got {value!r}"
        )
    return value


Geo = Annotated[str, AfterValidator(_check_geo)]


def _check_osm(value: str) -> str:
    value = check_text(value)
    if not podcast.OSM.fullmatch(value):
        raise ValueError(
            "expected an OpenStreetMap type and id: N (node), W (way) or R (relation) and the"
            f" number, like R2380133, got {value!r}"
        )
    return value


Osm = Annotated[str, AfterValidator(_check_osm)]


def _check_country(value: str) -> str:
    value = check_text(value)
    if not podcast.COUNTRY.fullmatch(value):
        raise ValueError(f"expected an ISO 3166-1 two-letter country code like US, got {value!r}")
    return value.upper()


Country = Annotated[str, AfterValidator(_check_country)]


def _seconds(value: Any) -> Any:
    """12.5, "75", "1:15" or "0:01:15.5" -> seconds."""
    if isinstance(value, str) and ":" in value:
        parts = value.strip().split(":")
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise ValueError(
                f"expected seconds (75) or a time (1:15, 0:01:15.5), got {value!r}"
            ) from None
        if len(numbers) > 3 or any(n < 0 for n in numbers):
            raise ValueError(f"expected seconds (75) or a time (1:15, 0:01:15.5), got {value!r}")
        total = 0.0
        for number in numbers:
            total = total * 60 + number
        return total
    return value


#: The longest time a manifest may give: a week, longer than any episode or broadcast.
MAX_SECONDS = 7 * 24 * 3600
#: The largest media file a manifest may state: 1 TB, far above any podcast's (a four-hour
#: 4K video is about 50 GB), and exactly representable wherever apps parse it as a double.
MAX_MEDIA_BYTES = 10**12
#: Episode and season numbers: apps store them as 32-bit signed integers; date-like numbers
#: such as 2024060301 still fit.
MAX_NUMBER = 2**31 - 1


def at_most_a_week(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"expected a number of seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise ValueError(
            f"is {value:g} seconds; a time in a manifest is at most a week ({MAX_SECONDS:,}"
            " seconds)"
        )
    return value


def positive(value: float) -> float:
    if not value > 0:  # NaN too
        raise ValueError(f"expected more than 0 seconds (leave it out when unknown), got {value:g}")
    return value


def _media_size(value: int) -> int:
    if value > MAX_MEDIA_BYTES:
        raise ValueError(
            f"is {value:,} bytes; a media file is at most {MAX_MEDIA_BYTES:,} bytes (1 TB):"
            " give the file's size in bytes"
        )
    return value


def _serial_number(value: int) -> int:
    if value > MAX_NUMBER:
        raise ValueError(
            f"is {value}; episode and season numbers are at most {MAX_NUMBER:,} (podcast apps"
            " store them as 32-bit numbers)"
        )
    return value


Seconds = Annotated[float, BeforeValidator(_seconds), Field(ge=0), AfterValidator(at_most_a_week)]
#: A positive duration in seconds (or m:ss).
Duration = Annotated[float, BeforeValidator(_seconds), Field(gt=0), AfterValidator(at_most_a_week)]
MediaSize = Annotated[int, Field(gt=0), AfterValidator(_media_size)]
#: Remote audio's size: also 0, what RSS feeds write when the size cannot be known (RSS Best
#: Practices Profile, rssboard.org/rss-profile, "enclosure": "a publisher SHOULD use a length
#: of 0"); the build's validation warns about it (rss.enclosure.length-zero).
RemoteMediaSize = Annotated[int, Field(ge=0), AfterValidator(_media_size)]
SerialNumber = Annotated[int, Field(gt=0), AfterValidator(_serial_number)]


def check_timezone(value: str) -> str:
    """An IANA time zone name (`America/New_York`), as `station.timezone` gives it."""
    try:
        zone_of(value)
    except ValueError:
        raise ValueError(
            f"expected an IANA time zone name like America/New_York or Europe/Berlin, got"
            f" {value!r} (the list: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)"
        ) from None
    return value


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The time zone named `name` (ValueError for a name the time zone database lacks)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        raise ValueError(f"unknown time zone {name!r}") from None


def localize(naive: datetime, zone: tzinfo, written: str) -> datetime:
    """`naive` (a wall-clock time in `zone`) as an aware date-time. ValueError for a time the
    clocks skip (the hour lost when daylight saving time starts) or name twice (the hour
    repeated when it ends): `written` is the text, for the message."""
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    name = str(zone)
    if back != naive:
        raise ValueError(
            f"{written!r} does not exist in {name}: the clocks skip that hour (daylight saving"
            f" time starts); give a time outside it, or add the UTC offset"
        )
    if first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{written!r} happens twice in {name} (daylight saving time ends); add the UTC"
            f" offset to say which: {_offset(first)} ({first.tzname()}) or {_offset(second)}"
            f" ({second.tzname()})"
        )
    return first


def _offset(value: datetime) -> str:
    text = value.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def parse_local_datetime(value: Any, zone: tzinfo | None) -> datetime:
    """A date-time as parse_datetime reads it, except that one without a UTC offset is a
    wall-clock time in `zone` (the station's time zone), when there is one."""
    if isinstance(value, str):
        try:
            naive = datetime.fromisoformat(value.strip())
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            if zone is None:
                raise ValueError(
                    f"{value!r} has no UTC offset; add one (like 2015-09-22T17:35:00-04:00, or"
                    " Z for UTC), or set the station's time zone in show.yaml (station:"
                    " timezone: America/New_York) to read such times in it"
                )
            return parse_datetime(localize(naive, zone, value.strip()))
    return parse_datetime(value)


def _station_datetime(value: Any, info: ValidationInfo) -> datetime:
    context = info.context
    zone = context.get("zone") if isinstance(context, dict) else None
    return parse_local_datetime(value, zone)


def parse_datetime(value: Any) -> datetime:
    """A date-time with a UTC offset, as manifests give `published` (ValueError says why not)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            reason = str(exc)
            if reason.startswith("Invalid isoformat"):
                raise ValueError(
                    "expected an ISO 8601 date-time with a UTC offset"
                    f" (like 2015-09-22T17:35:00-04:00), got {value!r}"
                ) from None
            raise ValueError(_impossible(value.strip(), reason)) from None
    else:
        raise ValueError(
            "expected an ISO 8601 date-time with a UTC offset"
            f" (like 2015-09-22T17:35:00-04:00), got {value!r}"
        )
    offset = parsed.utcoffset()
    if parsed.tzinfo is None or offset is None:
        raise ValueError(
            f"{value!r} has no UTC offset; add one so listeners everywhere see the right"
            " date (like 2015-09-22T17:35:00-04:00, or Z for UTC)"
        )
    if offset % timedelta(minutes=1):
        raise ValueError(
            f"the UTC offset of {value!r} has seconds; UTC offsets are whole minutes (RFC 2822"
            " dates, which feeds use, and Apple Podcasts write them as +hhmm), like -04:00"
        )
    if parsed.year < MIN_YEAR:
        raise ValueError(
            f"year {parsed.year:04d} is not a publication date; dates in a feed (RFC 2822)"
            f" start at {MIN_YEAR}, got {value!r}"
        )
    try:
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            f"{value!r} is past the last moment a date can name (9999-12-31 UTC)"
        ) from None
    return parsed


def _impossible(value: str, reason: str) -> str:
    """Why a well-formed date-time names no real moment (February 30th, hour 25...)."""
    ymd = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if reason.startswith("day is out of range") and ymd and 1 <= int(ymd[2]) <= 12:
        year, month = int(ymd[1]), int(ymd[2])
        days = calendar.monthrange(year, month)[1]
        return (
            f"{reason}: {ymd[0]} does not exist ({calendar.month_name[month]} {year} has"
            f" {days} days)"
        )
    if "offset" in reason:
        return f"the UTC offset must be less than 24 hours (like -04:00), got {value!r}"
    return f"{reason}, got {value!r}"


AwareDatetime = Annotated[datetime, BeforeValidator(parse_datetime)]

_WINDOW = re.compile(r"(\d{1,5})\s*([hdw])", re.I)
_WINDOW_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_window(value: Any) -> timedelta:
    """A rights window as a duration: `30d`, `7 d`, `48h`, `2w` (ValueError says why not)."""
    match = _WINDOW.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) == 0:
        raise ValueError(
            f"expected a duration like 30d (days), 48h (hours) or 2w (weeks), got {value!r}"
        )
    return int(match[1]) * _WINDOW_UNITS[match[2].lower()]


@dataclass(frozen=True)
class Expiry:
    """An episode's `expires:`: a moment (`at`), a time after `published` (`after`), or never
    (both None: the show's default does not apply)."""

    at: datetime | None = None
    after: timedelta | None = None


def _expiry(value: Any, info: ValidationInfo) -> Expiry:
    if isinstance(value, Expiry):
        return value
    if isinstance(value, str) and value.strip().lower() == "never":
        return Expiry()
    if isinstance(value, str) and _WINDOW.fullmatch(value.strip()):
        return Expiry(after=parse_window(value))
    try:
        return Expiry(at=_station_datetime(value, info))
    except ValueError as exc:
        raise ValueError(
            f"expected a date-time (like 2026-12-31T23:59:00-05:00), a duration after"
            f" `published` (like 30d, 48h or 2w) or never; {exc}"
        ) from None


ExpiryValue = Annotated[Expiry, BeforeValidator(_expiry)]
Window = Annotated[timedelta, BeforeValidator(parse_window)]
#: A date-time in an episode manifest: without a UTC offset, it is read in the station's time
#: zone (`station.timezone`, passed as the validation context's "zone").
StationDatetime = Annotated[datetime, BeforeValidator(_station_datetime)]
TimeZoneName = Annotated[str, AfterValidator(check_timezone)]

_RELATIVE_FILE = re.compile(r"^[^/\\:]+$")


_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


def _check_file_name(value: str) -> str:
    """A file beside the manifest: a plain name, never a path that could leave the folder.

    The name becomes part of a published URL and is copied to other systems, so it must
    also be a valid file name on Windows and no longer than file systems allow.
    """
    value = check_text(value)
    if not value or not _RELATIVE_FILE.match(value) or value in {".", ".."}:
        raise ValueError(
            f"expected the name of a file in the episode's folder (like audio.mp3), got {value!r};"
            " paths are not allowed"
        )
    if value.split(".")[0].lower() in _WINDOWS_DEVICES:
        raise ValueError(f"{value!r} is a reserved device name on Windows; rename the file")
    if value.endswith((".", " ")) or any(ch in value for ch in '<>"|?*'):
        raise ValueError(f"{value!r} is not a valid file name on every system; rename the file")
    if len(value.encode("utf-8")) > 200:
        raise ValueError("the file name is longer than 200 bytes; shorten it")
    return value


FileName = Annotated[str, AfterValidator(_check_file_name)]

#: The files the build writes into an episode's folder of the output (stationcast.build.episode);
#: a media file the build copies there must not take one of these names.
GENERATED_NAMES = (
    "index.html",
    "transcript.txt",
    "transcript.vtt",
    "transcript.srt",
    "transcript.json",
    "chapters.json",
)


def _not_generated(value: str) -> str:
    if value.casefold() in GENERATED_NAMES:
        raise ValueError(
            f"{value!r} is the name of a file the build writes beside it in the episode's"
            f" output folder ({', '.join(GENERATED_NAMES)}); rename the file"
        )
    return value


#: A file beside the manifest that the build copies into the output.
MediaName = Annotated[str, AfterValidator(_check_file_name), AfterValidator(_not_generated)]


def check_language(value: str) -> str:
    value = check_text(value)
    if not rss.LANGUAGE_TAG.fullmatch(value):
        raise ValueError(
            "expected a language code like en or es-MX (BCP 47, hyphen not underscore),"
            f" got {value!r}"
        )
    return value


#: How a message names the formats Apple accepts as an episode's audio (its main enclosure).
MAIN_ENCLOSURE_FORMATS = "MP3, M4A (AAC), or MP4, M4V or MOV video"


def enclosure_type_problem(mime: str) -> str | None:
    """Why media of type `mime` cannot be an episode's audio (Apple's enclosure types, from
    stationcast.spec.apple), or None when it can."""
    if apple.enclosure_type(mime) is not None:
        return None
    label = media.type_name(mime)
    what = f"{label} ({mime})" if label else repr(mime)
    return (
        f"is {what}, which Apple Podcasts does not take as an episode's audio; the audio (the"
        f" feed's main enclosure) may be {MAIN_ENCLOSURE_FORMATS}: give such a file as"
        " `audio:` and offer this one under `alternates:`"
    )


def enclosure_name_problem(mime: str, name: str, *, url: bool = False) -> str | None:
    """Why an episode's audio of type `mime` cannot have the file name (or, with `url`, the
    URL) `name`: Apple plays an episode by its URL's extension, which must fit the type. None
    when it fits, or when the type is not Apple's at all (enclosure_type_problem says so)."""
    canonical = apple.enclosure_type(mime)
    if canonical is None:
        return None
    last = urlsplit(name).path.rsplit("/", 1)[-1] if url else name
    extension = last.rsplit(".", 1)[-1].lower() if "." in last else ""
    fitting = apple.ENCLOSURE_TYPES[canonical]
    if extension in fitting:
        return None
    label = media.type_name(canonical) or canonical
    ends = f"ends in .{extension}" if extension else "has no file extension"
    if url:
        fix = f"give the URL of the .{fitting[0]} file, or the type of the file it names"
        return (
            f"the URL {name!r} {ends}, but the audio is {label} ({mime}); Apple Podcasts plays"
            f" an episode by its URL's extension: {fix}"
        )
    stem = last.rsplit(".", 1)[0] if "." in last else last
    return (
        f"is {label} ({mime}) but its name {ends}; Apple Podcasts plays an episode by its URL's"
        f" extension: rename the file to {stem}.{fitting[0]}"
    )
