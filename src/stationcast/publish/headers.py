"""HTTP headers a published file carries: Content-Type and Cache-Control.

Content types come from the one media-type table, stationcast.spec.media.FILE_TYPES, shared by
`publish` (object metadata) and `serve` (preview responses), so a file is served as the type
the feed announces for it, locally and in production. Python's `mimetypes` reads the machine's
own tables (/etc/mime.types, the Windows registry) and would make the answer depend on where
the command runs, so it is not used.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from stationcast.spec.media import FILE_TYPES, TRANSCRIPT_FORMATS
from stationcast.spec.podcast import CHAPTERS_TYPE

FEED_TYPE = FILE_TYPES[".xml"].content_type
DEFAULT_TYPE = "application/octet-stream"

#: Media files (audio, video, images): cached for a week.
MEDIA_SUFFIXES = frozenset(
    ext for ext, kind in FILE_TYPES.items() if kind.kind in ("audio", "video", "image")
)
_TRANSCRIPT_SUFFIXES = frozenset(
    f.extension for f in TRANSCRIPT_FORMATS.values() if f.extension != ".html"
)

# Cache lifetimes, in seconds.
#
# The feed is what apps poll: five minutes lets a new episode reach listeners quickly while a
# CDN still absorbs the polling.
# Media is most of the traffic, so it is cached for a week. Not a year and not `immutable`:
# enclosure URLs are stable by design (apps key on them), so when a producer replaces the audio
# of an episode (a corrected mix) the new bytes go out under the same URL, and `immutable`
# would keep the old bytes in browsers and CDNs for as long as max-age says.
# Pages, transcripts and chapters are corrected more often than audio: one hour.
# stationcast's own state must never be served stale: no-cache.
FEED_CACHE = "public, max-age=300"
MEDIA_CACHE = "public, max-age=604800"
PAGE_CACHE = "public, max-age=3600"
STATE_CACHE = "no-cache"


def is_chapters(path: str) -> bool:
    """Chapters files: `chapters.json`, `<slug>/chapters.json` or anything under `chapters/`."""
    p = PurePosixPath(path)
    return p.suffix.lower() == ".json" and (
        p.name.lower() in {"chapters.json"}
        or p.name.lower().endswith(".chapters.json")
        or "chapters" in p.parts[:-1]
    )


def is_feed(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in {".xml", ".rss"}


def is_media(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in MEDIA_SUFFIXES


def is_transcript(path: str) -> bool:
    p = PurePosixPath(path)
    return p.stem.lower() == "transcript" and p.suffix.lower() in _TRANSCRIPT_SUFFIXES


def is_state(path: str) -> bool:
    return PurePosixPath(path).parts[:1] == (".stationcast",)


def content_type(path: str) -> str:
    """The Content-Type for a file of the output folder, by its relative POSIX path."""
    if is_chapters(path):
        return CHAPTERS_TYPE
    file_type = FILE_TYPES.get(PurePosixPath(path).suffix.lower())
    return file_type.content_type if file_type is not None else DEFAULT_TYPE


def cache_control(path: str) -> str:
    """The Cache-Control a published file carries (see the lifetimes above)."""
    if is_state(path):
        return STATE_CACHE
    if is_feed(path):
        return FEED_CACHE
    if is_media(path):
        return MEDIA_CACHE
    return PAGE_CACHE


def wants_cors(path: str) -> bool:
    """Files other sites' players fetch from a browser: transcripts, chapters and the feed."""
    return is_transcript(path) or is_chapters(path) or is_feed(path)
