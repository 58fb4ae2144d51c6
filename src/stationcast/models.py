"""The manifest models: what a producer writes in show.yaml and episode.yaml.

Models are frozen pydantic models with no file or network access. Field names use the
specs' words (guid, enclosure, person role) so they map straight onto feed tags.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import SplitResult, urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Characters XML 1.0 forbids. They reach a manifest by copy and paste from word
# processors (form feed, vertical tab) and would make the feed unparseable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _check_text(value: str) -> str:
    bad = _XML_ILLEGAL.search(value)
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


def _nonblank(value: str) -> str:
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


def _to_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


Text = Annotated[str, AfterValidator(_check_text)]
RequiredText = Annotated[str, AfterValidator(_check_text), AfterValidator(_nonblank)]

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def _check_url(value: str) -> str:
    value = _check_text(value)
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


Url = Annotated[str, AfterValidator(_check_url)]


def _check_base_url(value: str) -> str:
    value = _check_url(value)
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(
            f"must not have a query (?...) or fragment (#...), got {value!r}: every published"
            " file's URL is this URL with the file's path appended"
        )
    return value if value.endswith("/") else value + "/"


BaseUrl = Annotated[str, AfterValidator(_check_base_url)]


def _check_https(value: str) -> str:
    value = _check_url(value)
    if not value.startswith("https://"):
        raise ValueError(
            f"expected an https:// URL (the Podcasting 2.0 namespace requires https), got {value!r}"
        )
    return value


HttpsUrl = Annotated[str, AfterValidator(_check_https)]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _check_uuid(value: str) -> str:
    value = _check_text(value)
    if not _UUID.match(value):
        raise ValueError(
            f"expected a UUID like 917393e3-1b1e-5cef-ace4-edaa54e1f810, got {value!r}"
        )
    return value.lower()


Uuid = Annotated[str, AfterValidator(_check_uuid)]


def _short(limit: int) -> AfterValidator:
    """Text the Podcasting 2.0 spec asks to keep short ("do not exceed 128 characters")."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(
                f"is {len(value)} characters; keep it to {limit} or fewer"
                " (podcast apps truncate it)"
            )
        return value

    return AfterValidator(check)


ShortText = Annotated[str, AfterValidator(_check_text), AfterValidator(_nonblank), _short(128)]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(value: str) -> str:
    value = _check_text(value)
    if not _EMAIL.match(value):
        raise ValueError(f"expected an email address like podcasts@example.org, got {value!r}")
    return value


Email = Annotated[str, AfterValidator(_check_email)]

_GEO = re.compile(r"^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;[\w.=;-]*)?$")


def _check_geo(value: str) -> str:
    value = _check_text(value)
    match = _GEO.match(value)
    if not match or abs(float(match[1])) > 90 or abs(float(match[2])) > 180:
        raise ValueError(
            "expected an RFC 5870 geo URI, geo:latitude,longitude (like geo:35.9049,-79.0469),"
            f" got {value!r}"
        )
    return value


Geo = Annotated[str, AfterValidator(_check_geo)]


def _check_osm(value: str) -> str:
    value = _check_text(value)
    if not re.fullmatch(r"[NWR]\d+(#\d+)?", value):
        raise ValueError(
            "expected an OpenStreetMap type and id: N (node), W (way) or R (relation) and the"
            f" number, like R2380133, got {value!r}"
        )
    return value


Osm = Annotated[str, AfterValidator(_check_osm)]


def _check_country(value: str) -> str:
    value = _check_text(value)
    if not re.fullmatch(r"[A-Za-z]{2}", value):
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


def _at_most_a_week(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"expected a number of seconds, got {value!r}")
    if value > MAX_SECONDS:
        raise ValueError(
            f"is {value:g} seconds; a time in a manifest is at most a week ({MAX_SECONDS:,}"
            " seconds)"
        )
    return value


def _positive(value: float) -> float:
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


Seconds = Annotated[float, BeforeValidator(_seconds), Field(ge=0), AfterValidator(_at_most_a_week)]
#: A positive duration in seconds (or m:ss).
Duration = Annotated[float, BeforeValidator(_seconds), Field(gt=0), AfterValidator(_at_most_a_week)]
MediaSize = Annotated[int, Field(gt=0), AfterValidator(_media_size)]
SerialNumber = Annotated[int, Field(gt=0), AfterValidator(_serial_number)]


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


#: RFC 2822 (section 3.3): "the year is any numeric year 1900 or later".
MIN_YEAR = 1900


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

_RELATIVE_FILE = re.compile(r"^[^/\\:]+$")


_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


def _check_file_name(value: str) -> str:
    """A file beside the manifest: a plain name, never a path that could leave the folder.

    The name becomes part of a published URL and is copied to other systems, so it must
    also be a valid file name on Windows and no longer than file systems allow.
    """
    value = _check_text(value)
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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Address(_Model):
    street: RequiredText
    locality: RequiredText
    region: Text = ""
    postal_code: Text = ""
    country: Text = ""

    def lines(self) -> list[str]:
        """The address as a postal service prints it (US form: street, then city, state zip)."""
        city = self.locality
        if self.region:
            city += f", {self.region}"
        if self.postal_code:
            city += f" {self.postal_code}"
        return [self.street, city]


class Station(_Model):
    """The station behind the show. Every field may be overridden per episode."""

    name: RequiredText
    slogan: Text = ""
    address: Address | None = None
    phones: Annotated[list[RequiredText], BeforeValidator(_to_list)] = Field(default_factory=list)
    email: Text = ""
    website: Url | None = None
    live_stream: Url | None = None
    donate: Url | None = None
    # Where the station is, for podcast:location (the city comes from the address).
    geo: Geo | None = None
    osm: Osm | None = None


class StationOverride(_Model):
    """An episode's `station:` block: only the fields it changes."""

    name: RequiredText | None = None
    slogan: Text | None = None
    address: Address | None = None
    phones: Annotated[list[RequiredText], BeforeValidator(_to_list)] | None = None
    email: Text | None = None
    website: Url | None = None
    live_stream: Url | None = None
    donate: Url | None = None
    geo: Geo | None = None
    osm: Osm | None = None


class Location(_Model):
    """A `podcast:location`: a place name, with coordinates and country when known."""

    name: ShortText
    geo: Geo | None = None
    osm: Osm | None = None
    country: Country | None = None
    rel: Literal["subject", "creator"] = "subject"


class Owner(_Model):
    """Who to contact about the feed: `itunes:owner` and the `podcast:locked` owner email."""

    name: Text = ""
    email: Email


class License(_Model):
    identifier: ShortText
    url: HttpsUrl | None = None


def _license(value: Any) -> Any:
    return {"identifier": value} if isinstance(value, str) else value


class Txt(_Model):
    text: Annotated[str, AfterValidator(_check_text), AfterValidator(_nonblank), _short(4000)]
    purpose: ShortText | None = None


def _txt(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [{"text": v} if isinstance(v, str) else v for v in value]
    return value


class RemoteFeed(_Model):
    """A `podcast:remoteItem` in the podroll: another show this one recommends."""

    feed_guid: Uuid
    feed_url: HttpsUrl | None = None
    title: Text | None = None
    medium: (
        Literal["podcast", "music", "video", "film", "audiobook", "newsletter", "blog"] | None
    ) = None


class UpdateFrequency(_Model):
    text: ShortText
    rrule: Text | None = None
    dtstart: AwareDatetime | None = None
    complete: bool | None = None

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        if value is not None and not re.search(
            r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)", value.upper()
        ):
            raise ValueError(
                f"expected an RFC 5545 recurrence rule like FREQ=WEEKLY;BYDAY=MO, got {value!r}"
            )
        return value


class LiveProgram(_Model):
    """A scheduled live program on the station's stream: a `podcast:liveItem`."""

    title: RequiredText
    guid: RequiredText
    start: AwareDatetime
    end: AwareDatetime | None = None
    status: Literal["pending", "live", "ended"] = "pending"
    description: Text = ""
    stream: Url | None = None  # default: the station's live_stream
    type: RequiredText = "audio/mpeg"
    page: HttpsUrl | None = None  # where listeners can follow it; default: station website

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if value is not None and start is not None and value <= start:
            raise ValueError(f"must be after start ({start.isoformat()}), got {value.isoformat()}")
        return value


class Archive(_Model):
    """RFC 5005 paging for large archives: feed.xml keeps the newest `feed_items` episodes."""

    feed_items: int = Field(gt=0)


class Credit(_Model):
    """A person credited on an episode; becomes a `podcast:person` tag and a page credit.

    `role` and `group` come from the Podcast Taxonomy (host, guest, reporter, producer...);
    `speaker` lists the labels this person has in the transcript (MCEVERS, PETER NEUMANN).
    """

    name: RequiredText
    group: Text | None = None
    role: RequiredText = "host"
    speaker: Annotated[list[RequiredText], BeforeValidator(_to_list)] = Field(default_factory=list)
    title: Text = ""
    href: HttpsUrl | None = None  # podcast:person requires https
    img: HttpsUrl | None = None

    @field_validator("role")
    @classmethod
    def _role(cls, value: str, info: ValidationInfo) -> str:
        from stationcast.data import check_person

        role, _ = check_person(value, info.data.get("group") or None)
        return role

    @property
    def role_group(self) -> tuple[str, str]:
        from stationcast.data import check_person

        return check_person(self.role, self.group or None)


#: The most people an episode may credit, and a show may list as hosts (docs/feed.md says why).
MAX_CREDITS = 1000
MAX_HOSTS = 100


def _at_most(limit: int, noun: str, whose: str, hint: str) -> BeforeValidator:
    """Refuse a list longer than `limit` before validating its entries one by one.

    Reported at the field's key (error kind "too_many"): the list is the mistake, not an entry.
    """

    def check(value: Any) -> Any:
        if isinstance(value, list) and len(value) > limit:
            raise PydanticCustomError(
                "too_many",
                f"{len(value):,} {noun}; {whose} may have at most {limit:,} ({hint})",
            )
        return value

    return BeforeValidator(check)


Credits = Annotated[
    list[Credit],
    _at_most(
        MAX_CREDITS,
        "credits",
        "an episode",
        "credit the people heard or named in the episode; a longer roll belongs in the notes",
    ),
]
Hosts = Annotated[
    list[Credit],
    _at_most(
        MAX_HOSTS,
        "hosts",
        "a show",
        "list the regular hosts here and credit the others on their episodes",
    ),
]


def _check_category(text: str) -> str:
    """One `Category > Subcategory` line, checked against Apple's list and tidied."""
    from stationcast.data import check_category

    category, _, sub = (part.strip() for part in text.partition(">"))
    check_category(category, sub or None)
    return " > ".join(part.strip() for part in text.split(">"))


# Checked one by one, so each bad category is its own problem at its own line.
Category = Annotated[
    str, AfterValidator(_check_text), AfterValidator(_nonblank), AfterValidator(_check_category)
]


class Show(_Model):
    title: RequiredText
    description: RequiredText
    language: RequiredText
    base_url: BaseUrl
    link: Url | None = None
    author: Text = ""
    copyright: Text = ""
    artwork: FileName
    explicit: bool = False
    categories: Annotated[list[Category], BeforeValidator(_to_list)] = Field(min_length=1)
    type: Literal["episodic", "serial"] = "episodic"
    station: Station
    # Where listeners can follow the show besides the RSS feed, shown on the show page:
    # {Apple Podcasts: https://podcasts.apple.com/..., Spotify: https://open.spotify.com/...}
    subscribe: dict[RequiredText, Url] = Field(default_factory=dict)
    # -- feed identity and ownership
    # podcast:guid, computed once from the feed URL and then kept even when the URL changes.
    podcast_guid: Uuid | None = None
    owner: Owner | None = None
    itunes_owner: bool = False  # also write owner as itunes:owner (Apple no longer reads it)
    locked: bool = False  # podcast:locked yes: other hosts must refuse to import the feed
    new_feed_url: Url | None = None  # itunes:new-feed-url, when the show has moved
    block: bool = False  # itunes:block Yes: keep the show out of Apple Podcasts
    complete: bool = False  # itunes:complete Yes: no more episodes will come
    websub_hubs: Annotated[list[Url], BeforeValidator(_to_list)] = Field(default_factory=list)
    # -- Podcasting 2.0 channel tags
    medium: Literal[
        "podcast", "music", "video", "film", "audiobook", "newsletter", "blog", "course"
    ] = "podcast"
    license: Annotated[License | None, BeforeValidator(_license)] = None
    hosts: Hosts = Field(default_factory=list)  # restated on every episode's podcast:person
    location: Location | None = None  # default: the station's city (rel="creator")
    funding_text: ShortText | None = None  # text beside station.donate; default "Support <station>"
    txt: Annotated[list[Txt], BeforeValidator(_txt)] = Field(default_factory=list)
    podroll: list[RemoteFeed] = Field(default_factory=list)
    update_frequency: UpdateFrequency | None = None
    live: list[LiveProgram] = Field(default_factory=list)
    archive: Archive | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
            raise ValueError(
                f"expected a language code like en or en-us (ISO 639, hyphen not underscore),"
                f" got {value!r}"
            )
        return value.lower()

    def category_pairs(self) -> list[tuple[str, str | None]]:
        """The categories as (category, subcategory or None), primary first."""
        pairs: list[tuple[str, str | None]] = []
        for text in self.categories:
            category, _, sub = (part.strip() for part in text.partition(">"))
            pairs.append((category, sub or None))
        return pairs


class RemoteAudio(_Model):
    """Media hosted elsewhere: the manifest states what a probe would have measured."""

    url: Url
    length: MediaSize
    type: RequiredText
    duration: (
        Annotated[float, AfterValidator(_positive), AfterValidator(_at_most_a_week)] | None
    ) = None


class TranscriptSource(_Model):
    file: FileName
    credit: Text = ""
    language: Text = ""


def _check_guid(value: str) -> str:
    value = _check_text(value)
    if not value:
        raise ValueError(
            f"required field is missing or empty; add the line `guid: {uuid.uuid4()}` (a fresh"
            " GUID made for this episode; never change it: podcast apps identify the episode by it)"
        )
    if any(ch.isspace() for ch in value):
        raise ValueError(f"must not contain spaces, got {value!r}")
    return value


# The transcript formats the Podcasting 2.0 namespace names (docs/tags/transcript.md); the
# same list as podcast_ns.TRANSCRIPT_TYPES, which models cannot import (it is downstream).
TRANSCRIPT_TYPES = (
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
)


def _check_transcript_type(value: str) -> str:
    value = _check_text(value).lower()
    if value not in TRANSCRIPT_TYPES:
        raise ValueError(
            "expected one of the transcript types podcast apps read:"
            f" {', '.join(TRANSCRIPT_TYPES)}; got {value!r}"
        )
    return value


def _check_language(value: str) -> str:
    value = _check_text(value)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
        raise ValueError(
            "expected a language code like en or es-MX (BCP 47, hyphen not underscore),"
            f" got {value!r}"
        )
    return value


class RemoteTranscript(_Model):
    """A transcript hosted elsewhere, linked from the feed with `podcast:transcript`.

    The build links its own transcript files itself; these are extra links, such as the
    captions an old host published (`stationcast import feed` keeps them).
    """

    url: HttpsUrl
    type: Annotated[str, AfterValidator(_check_transcript_type)]
    language: Annotated[str, AfterValidator(_check_language)] | None = None
    rel: Literal["captions"] | None = None  # a timed file meant as closed captions


class ChapterEntry(_Model):
    """One chapter: start time, title, and optionally a link and an image (https)."""

    start: Seconds
    title: RequiredText
    url: Url | None = None
    img: HttpsUrl | None = None
    toc: bool | None = None  # false: a silent chapter, not listed in the table of contents


class Soundbite(_Model):
    """A `podcast:soundbite`: a 15-120 second highlight apps can play as a preview."""

    start: Seconds
    duration: Duration
    title: Annotated[str, AfterValidator(_check_text), _short(128)] = ""


class EpisodeImage(_Model):
    file: MediaName
    alt: Text = ""


def _image(value: Any) -> Any:
    return {"file": value} if isinstance(value, str) else value


class Alternate(_Model):
    """Another file of the same episode (Opus beside the MP3, a video version): a
    `podcast:alternateEnclosure`. A file in the episode folder is probed; remote media
    states type and length."""

    file: MediaName | None = None
    url: Url | None = None
    type: Text | None = None
    length: MediaSize | None = None
    title: Annotated[str, AfterValidator(_check_text), _short(32)] = ""

    @model_validator(mode="after")
    def _one_source(self) -> Alternate:
        if (self.url is None) == (self.file is None):
            raise ValueError("give either file (a file in the episode folder) or url, not both")
        if self.url is not None and (self.type is None or self.length is None):
            raise ValueError("an alternate given by url needs its type and length too")
        return self


def _alternate(value: Any) -> Any:
    if isinstance(value, list):
        return [{"file": v} if isinstance(v, str) else v for v in value]
    return value


class Episode(_Model):
    draft: bool = False
    title: RequiredText
    # Written once by `stationcast new`; apps identify the episode by it.
    guid: Annotated[str, AfterValidator(_check_guid)] = Field(default="", validate_default=True)
    published: AwareDatetime
    summary: RequiredText
    audio: MediaName | RemoteAudio
    transcript: TranscriptSource | None = None
    credits: Credits = Field(default_factory=list)
    explicit: bool | None = None
    episode: SerialNumber | None = None
    season: SerialNumber | None = None
    season_name: ShortText | None = None
    episode_type: Literal["full", "trailer", "bonus"] = "full"
    station: StationOverride | None = None
    # Show notes in Markdown: content:encoded, rendered to Apple's HTML subset.
    notes: Text = ""
    image: Annotated[EpisodeImage | None, BeforeValidator(_image)] = None
    chapters: list[ChapterEntry] | None = None  # default: the audio file's own chapters
    # Chapters hosted elsewhere (JSON chapters), used when the episode has none of its own.
    chapters_url: HttpsUrl | None = None
    transcripts: list[RemoteTranscript] = Field(default_factory=list)  # hosted elsewhere
    soundbites: list[Soundbite] = Field(default_factory=list)
    location: Location | None = None
    alternates: Annotated[list[Alternate], BeforeValidator(_alternate)] = Field(
        default_factory=list
    )
    license: Annotated[License | None, BeforeValidator(_license)] = None

    @field_validator("chapters_url")
    @classmethod
    def _one_chapters_source(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("chapters") is not None:
            raise ValueError(
                "give either chapters (listed in this manifest) or chapters_url (a chapters"
                " file hosted elsewhere), not both"
            )
        return value

    @field_validator("chapters")
    @classmethod
    def _chapter_order(cls, value: list[ChapterEntry] | None) -> list[ChapterEntry] | None:
        if value:
            starts = [c.start for c in value]
            if starts != sorted(starts):
                raise ValueError("chapters must be listed in order of their start times")
        return value


class LoadedEpisode(BaseModel):
    """An episode manifest together with where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    slug: str
    folder: str  # the episode folder, as the user would type it
    manifest: str  # path of episode.yaml, for messages
    episode: Episode
    station: Station
