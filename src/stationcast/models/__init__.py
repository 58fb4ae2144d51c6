"""The manifest models: what a producer writes in show.yaml and episode.yaml.

Models are frozen pydantic models with no file or network access. Field names use the
specs' words (guid, enclosure, person role) so they map straight onto feed tags. The value
types they are made of (text, URLs, times, file names...) are in stationcast.models.values;
the ones other modules use are named here too.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

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

from stationcast.models.values import (
    GENERATED_NAMES,
    MAIN_ENCLOSURE_FORMATS,
    MAX_MEDIA_BYTES,
    MAX_NUMBER,
    MAX_SECONDS,
    AnalyticsPrefix,
    AwareDatetime,
    BaseUrl,
    Country,
    Duration,
    Email,
    Expiry,
    ExpiryValue,
    FileName,
    Geo,
    HttpsUrl,
    MediaName,
    MediaSize,
    MimeType,
    Osm,
    RemoteMediaSize,
    RequiredText,
    Seconds,
    SerialNumber,
    ShortText,
    StationDatetime,
    Text,
    TimeZoneName,
    Url,
    Uuid,
    Window,
    ascii_url,
    at_most_a_week,
    check_language,
    check_text,
    check_url,
    enclosure_name_problem,
    enclosure_type_problem,
    invisible,
    nonblank,
    parse_datetime,
    positive,
    short,
    to_list,
)
from stationcast.spec import apple, media, podcast, rss
from stationcast.spec.apple import check_category
from stationcast.spec.taxonomy import check_person

__all__ = [
    "Address",
    "Alternate",
    "Archive",
    "BaseUrl",
    "ChapterEntry",
    "Credit",
    "Episode",
    "EpisodeImage",
    "GENERATED_NAMES",
    "License",
    "LiveProgram",
    "LoadedEpisode",
    "Location",
    "MAIN_ENCLOSURE_FORMATS",
    "MAX_CREDITS",
    "MAX_HOSTS",
    "MAX_MEDIA_BYTES",
    "MAX_NUMBER",
    "MAX_SECONDS",
    "Owner",
    "RemoteAudio",
    "RemoteFeed",
    "RemoteTranscript",
    "Show",
    "Soundbite",
    "Station",
    "StationOverride",
    "TranscriptSource",
    "Txt",
    "UpdateFrequency",
    "Url",
    "enclosure_name_problem",
    "enclosure_type_problem",
    "invisible",
    "parse_datetime",
]


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
    phones: Annotated[list[RequiredText], BeforeValidator(to_list)] = Field(default_factory=list)
    email: Text = ""
    website: Url | None = None
    live_stream: Url | None = None
    donate: HttpsUrl | None = None  # podcast:funding requires https
    # The station's page of all its podcasts, linked from every page's header (in a station
    # folder, the station page the build writes, unless this names another).
    podcasts: Url | None = None
    # Where the station is, for podcast:location (the city comes from the address).
    geo: Geo | None = None
    osm: Osm | None = None
    # IANA name (America/New_York): episodes' dates without a UTC offset are read in it, and
    # pages show dates in it. Only in show.yaml: one station, one clock.
    timezone: TimeZoneName | None = None


class StationOverride(_Model):
    """An episode's `station:` block: only the fields it changes."""

    name: RequiredText | None = None
    slogan: Text | None = None
    address: Address | None = None
    phones: Annotated[list[RequiredText], BeforeValidator(to_list)] | None = None
    email: Text | None = None
    website: Url | None = None
    live_stream: Url | None = None
    donate: HttpsUrl | None = None  # podcast:funding requires https
    podcasts: Url | None = None
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
    text: Annotated[
        str,
        AfterValidator(check_text),
        AfterValidator(nonblank),
        short(podcast.TAGS["txt"].node_limit or 0),
    ]
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


class PublisherLink(_Model):
    """`podcast:publisher`: the publisher feed that lists this show among its feeds
    (publishers/publishers.md: the child feed's link back up to its parent)."""

    feed_guid: Uuid  # the publisher feed's own podcast:guid
    feed_url: HttpsUrl | None = None


class UpdateFrequency(_Model):
    text: ShortText
    rrule: Text | None = None
    # Checked even when absent: an rrule with COUNT needs it.
    dtstart: AwareDatetime | None = Field(default=None, validate_default=True)
    complete: bool | None = None

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        if value is not None and not podcast.RRULE_FREQ.search(value.upper()):
            raise ValueError(
                f"expected an RFC 5545 recurrence rule like FREQ=WEEKLY;BYDAY=MO, got {value!r}"
            )
        return value

    @field_validator("dtstart")
    @classmethod
    def _counted_from(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        rrule = info.data.get("rrule")
        if value is None and rrule and podcast.RRULE_COUNT.search(rrule.upper()):
            raise ValueError(
                f"required because the rrule {rrule!r} has COUNT (the count starts at dtstart);"
                " add a line `dtstart: ...` under update_frequency, like"
                " dtstart: 2024-01-01T17:00:00-05:00"
            )
        return value


class LiveProgram(_Model):
    """A scheduled live program on the station's stream: a `podcast:liveItem`."""

    title: RequiredText
    guid: RequiredText
    start: AwareDatetime
    end: AwareDatetime | None = None
    # Pinned when given; else from start, end and the build's clock (status_at).
    status: Literal["pending", "live", "ended"] | None = None
    description: Text = ""
    stream: Url | None = None  # default: the station's live_stream
    type: MimeType = "audio/mpeg"
    page: HttpsUrl | None = None  # where listeners can follow it; default: station website

    def status_at(self, now: datetime) -> str:
        """The `podcast:liveItem` status at `now`: the pinned one, else pending before the
        start, live until the end (for good without one), ended after it."""
        if self.status is not None:
            return self.status
        if now < self.start:
            return "pending"
        return "ended" if self.end is not None and now >= self.end else "live"

    def next_change(self, now: datetime) -> datetime | None:
        """When its derived status next changes after `now` (None: pinned, or never again)."""
        if self.status is not None:
            return None
        return next((t for t in (self.start, self.end) if t is not None and t > now), None)

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

    name: ShortText  # the text of podcast:person
    group: Text | None = None
    role: RequiredText = "host"
    speaker: Annotated[list[RequiredText], BeforeValidator(to_list)] = Field(default_factory=list)
    title: Text = ""
    href: HttpsUrl | None = None  # podcast:person requires https
    img: HttpsUrl | None = None

    @field_validator("role")
    @classmethod
    def _role(cls, value: str, info: ValidationInfo) -> str:
        role, _ = check_person(value, info.data.get("group") or None)
        return role

    @property
    def role_group(self) -> tuple[str, str]:
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
    category, _, sub = (part.strip() for part in text.partition(">"))
    check_category(category, sub or None)
    return " > ".join(part.strip() for part in text.split(">"))


# Checked one by one, so each bad category is its own problem at its own line.
Category = Annotated[
    str, AfterValidator(check_text), AfterValidator(nonblank), AfterValidator(_check_category)
]


def _description_size(value: str) -> str:
    size = len(value.encode("utf-8"))
    if size > apple.DESCRIPTION_MAX_BYTES:
        raise ValueError(
            f"is {size:,} bytes long (UTF-8); Apple Podcasts takes a show description of at"
            f" most {apple.DESCRIPTION_MAX_BYTES:,} bytes: shorten it"
        )
    return value


ShowDescription = Annotated[
    str,
    AfterValidator(check_text),
    AfterValidator(nonblank),
    AfterValidator(_description_size),
]


class ShowDefaults(_Model):
    """show.yaml's `defaults:`: values every episode takes unless its manifest gives its own."""

    expires: Window | None = None  # rights window after `published`, like 30d


class StationPublisher(_Model):
    """station.yaml's `publisher:`: a publisher feed (podcast:medium publisher) listing every
    show, and each show's podcast:publisher pointing back at it."""

    podcast_guid: Uuid  # the publisher feed's own, kept for good like a show's
    title: Text | None = None  # default: the station's name


class StationFile(Station):
    """station.yaml, at the root of a folder of shows: the station every show in it shares
    (a show's own `station:` block overrides a field), and the defaults of its shows."""

    logo: FileName | None = None  # square artwork for the station's page and publisher feed
    description: Text = ""  # one or two sentences for the station's page
    language: RequiredText = "en"  # the station page's language
    # Where the output root is published; a show without its own base_url is at
    # <base_url><folder>/.
    base_url: BaseUrl | None = None
    podroll: bool = False  # each show's podcast:podroll recommends its sister shows
    publisher: StationPublisher | None = None
    # Any show.yaml field every show takes unless its own show.yaml gives it:
    # {language: en-us, author: ..., owner: {...}, analytics: [...], categories: [...]}
    shows: dict[str, Any] = Field(default_factory=dict)

    @field_validator("shows")
    @classmethod
    def _show_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if key in STATION_OWN:
                raise ValueError(f"{key}: is not a default for shows; {STATION_OWN[key]}")
            if key not in Show.model_fields:
                import difflib

                close = difflib.get_close_matches(key, list(Show.model_fields), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "expected a show.yaml field"
                raise ValueError(f"{key}: is not a show.yaml field; {hint}")
        return value


#: show.yaml fields station.yaml's `shows:` may not give every show, and why.
STATION_OWN = {
    "title": "each show has its own title",
    "podcast_guid": "each show has its own podcast:guid",
    "station": "the station's fields are station.yaml's own top-level fields",
    "new_feed_url": "a move is one show's",
    "artwork": "each show has its own artwork, a file in its folder",
    "base_url": "give the station's base_url at the top level: each show is at <base_url><folder>/",
}


class Show(_Model):
    title: RequiredText
    description: ShowDescription
    language: RequiredText
    base_url: BaseUrl
    link: Url | None = None
    author: Text = ""
    copyright: Text = ""
    artwork: FileName
    explicit: bool = False
    categories: Annotated[list[Category], BeforeValidator(to_list)] = Field(min_length=1)
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
    websub_hubs: Annotated[list[Url], BeforeValidator(to_list)] = Field(default_factory=list)
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
    publisher: PublisherLink | None = None  # (in a station folder: the station's, if it has one)
    update_frequency: UpdateFrequency | None = None
    live: list[LiveProgram] = Field(default_factory=list)
    archive: Archive | None = None
    # Prefix analytics services (stationcast.spec.analytics), in the order the enclosure URLs
    # chain them: [https://op3.dev/e/, https://dts.podtrac.com/redirect.mp3/]. The state and
    # its checks keep the media URL behind them.
    analytics: Annotated[list[AnalyticsPrefix], BeforeValidator(to_list)] = Field(
        default_factory=list, max_length=8
    )
    # The pages' player and download link behind the prefixes too (Podtrac's and Blubrry's
    # instructions ask for it, to count plays on the website); default: the file itself.
    analytics_pages: bool = False
    # What every episode has unless its manifest says otherwise: {expires: 30d}.
    defaults: ShowDefaults | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not rss.LANGUAGE_TAG.fullmatch(value):
            raise ValueError(
                f"expected a language code like en or en-us (ISO 639, hyphen not underscore),"
                f" got {value!r}"
            )
        if rss.unknown_language(value):
            primary = value.split("-")[0].lower()
            raise ValueError(
                f"{primary!r} is not an ISO 639-1 language code; expected a language code like"
                " en or en-us"
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
    """Media hosted elsewhere: the manifest states what a probe would have measured.

    It is the episode's main enclosure, so its type and URL follow Apple's enclosure rules
    (stationcast.spec.apple); other formats belong in `alternates:`.
    """

    url: Annotated[str, AfterValidator(check_url), AfterValidator(ascii_url)]
    length: RemoteMediaSize  # 0: unknown, as an imported feed may say
    type: RequiredText
    duration: Annotated[float, AfterValidator(positive), AfterValidator(at_most_a_week)] | None = (
        None
    )

    @field_validator("type")
    @classmethod
    def _apple_type(cls, value: str) -> str:
        problem = enclosure_type_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _extension_fits(self) -> RemoteAudio:
        problem = enclosure_name_problem(self.type, self.url, url=True)
        if problem is not None:
            raise ValueError(problem)
        return self


def _language_or_none(value: str) -> str:
    return check_language(value) if value else value


class TranscriptSource(_Model):
    file: FileName
    credit: Text = ""
    # Station text to be timed by `stationcast align`: without a current alignment.json the
    # build warns and names the command (else it publishes the text untimed, silently).
    align: bool = False
    # podcast:transcript language; empty: the show's
    language: Annotated[str, AfterValidator(check_text), AfterValidator(_language_or_none)] = ""


#: How an episode.yaml without a guid starts its message; the build offers the published GUID
#: instead of a fresh one when its state file knows the episode (build.pipeline).
GUID_MISSING = "required field is missing or empty"


def _check_guid(value: str) -> str:
    value = check_text(value)
    if not value:
        raise ValueError(
            f"{GUID_MISSING}; add the line `guid: {uuid.uuid4()}` (a fresh"
            " GUID made for this episode; never change it: podcast apps identify the episode by it)"
        )
    # RSS allows any text; a published guid with spaces inside (`160 at http://...`, as
    # Drupal writes them) is kept byte for byte (check_text has trimmed the ends, as XML
    # readers do).
    other = next((ch for ch in value if ch.isspace() and ch != " "), None)
    if other is not None:  # a line break or tab inside: apps that trim or fold it see another GUID
        raise ValueError(
            f"must be one line with plain spaces only; it holds U+{ord(other):04X}, got {value!r}"
        )
    return value


def _check_transcript_type(value: str) -> str:
    value = check_text(value).lower()
    if value not in media.TRANSCRIPT_TYPES:
        raise ValueError(
            "expected one of the transcript types podcast apps read:"
            f" {', '.join(media.TRANSCRIPT_TYPES)}; got {value!r}"
        )
    return value


class RemoteTranscript(_Model):
    """A transcript hosted elsewhere, linked from the feed with `podcast:transcript`.

    The build links its own transcript files itself; these are extra links, such as the
    captions an old host published (`stationcast import feed` keeps them).
    """

    url: HttpsUrl
    type: Annotated[str, AfterValidator(_check_transcript_type)]
    language: Annotated[str, AfterValidator(check_language)] | None = None
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
    title: Annotated[str, AfterValidator(check_text), short(podcast.NODE_LIMIT)] = ""


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
    type: MimeType | None = None
    length: MediaSize | None = None
    title: Annotated[
        str,
        AfterValidator(check_text),
        short(podcast.TAGS["alternateEnclosure"].limits["title"]),
    ] = ""
    # Bits per second and the RFC 6381 codecs string; for a file, probing gives them too.
    bitrate: Annotated[int, Field(gt=0)] | None = None
    codecs: ShortText | None = None

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
    published: StationDatetime  # without a UTC offset: in the station's time zone
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
    # The end of its rights window: a date-time, a duration after `published` (30d), or never;
    # default: the show's `defaults: {expires: ...}`. Once past, the episode leaves the feed.
    expires: ExpiryValue | None = None

    @field_validator("expires")
    @classmethod
    def _after_published(cls, value: Expiry | None, info: ValidationInfo) -> Expiry | None:
        published = info.data.get("published")
        if (
            value is not None
            and value.at is not None
            and published is not None
            and value.at <= published
        ):
            raise ValueError(
                f"is {value.at.isoformat()}, not after `published` ({published.isoformat()});"
                " an episode's rights window ends after it goes out"
            )
        return value

    def expiry(self, default: timedelta | None) -> datetime | None:
        """When its rights window ends (None: never), with the show's default window."""
        if self.expires is not None:
            if self.expires.at is not None:
                return self.expires.at
            return self.published + self.expires.after if self.expires.after else None
        return self.published + default if default is not None else None

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
    expires: datetime | None = None  # the end of its rights window (with the show's default)
