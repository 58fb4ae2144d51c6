"""The manifest models: what a producer writes in show.yaml and episode.yaml.

Models are frozen pydantic models with no file or network access. Field names use the
specs' words (guid, enclosure, person role) so they map straight onto feed tags.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

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
    return value.strip()


def _nonblank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
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
    return value


Url = Annotated[str, AfterValidator(_check_url)]


def _check_base_url(value: str) -> str:
    value = _check_url(value)
    return value if value.endswith("/") else value + "/"


BaseUrl = Annotated[str, AfterValidator(_check_base_url)]


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                "expected an ISO 8601 date-time with a UTC offset"
                f" (like 2015-09-22T17:35:00-04:00), got {value!r}"
            ) from None
    else:
        raise ValueError(
            "expected an ISO 8601 date-time with a UTC offset"
            f" (like 2015-09-22T17:35:00-04:00), got {value!r}"
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(
            f"{value!r} has no UTC offset; add one so listeners everywhere see the right"
            " date (like 2015-09-22T17:35:00-04:00, or Z for UTC)"
        )
    return parsed


AwareDatetime = Annotated[datetime, BeforeValidator(_parse_datetime)]

_RELATIVE_FILE = re.compile(r"^[^/\\:]+$")


_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


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
    categories: Annotated[list[RequiredText], BeforeValidator(_to_list)] = Field(min_length=1)
    type: Literal["episodic", "serial"] = "episodic"
    station: Station
    # Where listeners can follow the show besides the RSS feed, shown on the show page:
    # {Apple Podcasts: https://podcasts.apple.com/..., Spotify: https://open.spotify.com/...}
    subscribe: dict[RequiredText, Url] = Field(default_factory=dict)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
            raise ValueError(
                f"expected a language code like en or en-us (ISO 639, hyphen not underscore),"
                f" got {value!r}"
            )
        return value.lower()

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        from stationcast.data import check_category

        for text in value:
            category, _, sub = (part.strip() for part in text.partition(">"))
            check_category(category, sub or None)
        return [" > ".join(part.strip() for part in text.split(">")) for text in value]

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
    length: int = Field(gt=0)
    type: RequiredText
    duration: float | None = Field(default=None, ge=0)


class TranscriptSource(_Model):
    file: FileName
    credit: Text = ""
    language: Text = ""


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
    href: Url | None = None
    img: Url | None = None

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


class Episode(_Model):
    draft: bool = False
    title: RequiredText
    guid: RequiredText
    published: AwareDatetime
    summary: RequiredText
    audio: FileName | RemoteAudio
    transcript: TranscriptSource | None = None
    credits: list[Credit] = Field(default_factory=list)
    explicit: bool | None = None
    episode: int | None = Field(default=None, gt=0)
    season: int | None = Field(default=None, gt=0)
    episode_type: Literal["full", "trailer", "bonus"] = "full"
    station: StationOverride | None = None


class LoadedEpisode(BaseModel):
    """An episode manifest together with where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    slug: str
    folder: str  # the episode folder, as the user would type it
    manifest: str  # path of episode.yaml, for messages
    episode: Episode
    station: Station
