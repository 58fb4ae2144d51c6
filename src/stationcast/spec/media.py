"""Media and transcript types: what each kind of file is called in a feed and over HTTP.

One table, ``FILE_TYPES``: file extension -> the MIME type a feed announces for such a file
(``<enclosure type>``, ``podcast:alternateEnclosure type``, ``podcast:transcript type``), the
``Content-Type`` a server sends with it (the same type, with a charset for text), and its
kind. publish and serve send these headers, pages name the formats from it, and the probe's
formats map onto the same types (``FORMAT_TYPES``), so a file is announced and served as one
type everywhere. Which of these types Apple accepts as an episode's main enclosure is Apple's
list: stationcast.spec.apple.ENCLOSURE_TYPES.

Why each media type
===================

- MP3 (and MPEG-1/2 layer I/II): ``audio/mpeg``, RFC 3003; Apple's enclosure list; PSP-1.
- M4A (AAC or ALAC in MPEG-4): ``audio/x-m4a``, Apple's enclosure list ("A Podcaster's Guide
  to RSS", help.apple.com/itc/podcasts_connect/#/itcb54353390). The IANA type is
  ``audio/mp4`` (RFC 4337), but Apple documents ``audio/x-m4a`` and hosts that sent
  ``audio/mp4`` had reports (podlove-publisher #1180).
- MP4, M4V and MOV video: ``video/mp4`` (RFC 4337), ``video/x-m4v`` (file brand ``M4V``),
  ``video/quicktime`` (file brand ``qt``), all on Apple's list.
- Ogg Vorbis: ``audio/ogg``, RFC 5334 and the IANA audio/ogg registration.
- Ogg Opus: ``audio/ogg``. RFC 7845 section 9: "The RECOMMENDED mime-type for Ogg Opus files
  is audio/ogg"; section 10 added ``.opus`` to the IANA audio/ogg registration. ``audio/opus``
  (RFC 7587) is the RTP payload type, not a file type. The optional ``; codecs=opus`` is left
  out: apps that compare the type string exactly would not recognise it (the feed names the
  codec in ``podcast:alternateEnclosure codecs`` instead).
- FLAC: ``audio/flac``, registered by RFC 9639.
- WAV: ``audio/wav``, what browsers and podcast apps recognise (MDN "Common media types");
  IANA only has ``audio/vnd.wave`` (RFC 2361), which players rarely know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "FILE_TYPES",
    "FORMAT_TYPES",
    "MIME_TYPE",
    "SRT_CUE_LINES",
    "SRT_LINE_CHARS",
    "TRANSCRIPT_FORMATS",
    "TRANSCRIPT_TYPES",
    "VTT_LINE_CHARS",
    "TRANSCRIPT_TYPE_ALIASES",
    "FileType",
    "TranscriptFormat",
    "is_mime_type",
    "media_type",
    "type_name",
]

#: RFC 6838 section 4.2: type "/" subtype, each a restricted-name. Use ``fullmatch``.
MIME_TYPE = re.compile(r"[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*")


def is_mime_type(value: str) -> bool:
    """True for a MIME type without parameters, like ``audio/mpeg``."""
    return MIME_TYPE.fullmatch(value) is not None


@dataclass(frozen=True)
class FileType:
    """A kind of file as feeds and servers name it."""

    mime: str  # what a feed announces (an enclosure's or transcript's type)
    content_type: str  # what HTTP sends: the MIME type, with a charset for text
    kind: str  # audio, video, image (pictures), graphic (icons, SVG), transcript, feed, page...
    name: str = ""  # what people call the format ("MP3"); media only


def _text(mime: str, kind: str) -> FileType:
    return FileType(mime, f"{mime}; charset=utf-8", kind)


_FEED = "application/rss+xml"

#: Extension (lower case, with its dot) -> type. A media format with several extensions lists
#: its usual one first.
FILE_TYPES: Mapping[str, FileType] = MappingProxyType(
    {
        ".mp3": FileType("audio/mpeg", "audio/mpeg", "audio", "MP3"),
        ".mp2": FileType("audio/mpeg", "audio/mpeg", "audio", "MP3"),
        ".mp1": FileType("audio/mpeg", "audio/mpeg", "audio", "MP3"),
        ".m4a": FileType("audio/x-m4a", "audio/x-m4a", "audio", "M4A"),
        ".m4b": FileType("audio/x-m4a", "audio/x-m4a", "audio", "M4A"),
        ".aac": FileType("audio/aac", "audio/aac", "audio", "AAC"),
        ".ogg": FileType("audio/ogg", "audio/ogg", "audio", "Ogg"),
        ".oga": FileType("audio/ogg", "audio/ogg", "audio", "Ogg"),
        ".opus": FileType("audio/ogg", "audio/ogg", "audio", "Opus"),
        ".flac": FileType("audio/flac", "audio/flac", "audio", "FLAC"),
        ".wav": FileType("audio/wav", "audio/wav", "audio", "WAV"),
        ".wave": FileType("audio/wav", "audio/wav", "audio", "WAV"),
        ".mp4": FileType("video/mp4", "video/mp4", "video", "MP4 video"),
        ".m4v": FileType("video/x-m4v", "video/x-m4v", "video", "M4V video"),
        ".mov": FileType("video/quicktime", "video/quicktime", "video", "QuickTime video"),
        ".jpg": FileType("image/jpeg", "image/jpeg", "image"),
        ".jpeg": FileType("image/jpeg", "image/jpeg", "image"),
        ".png": FileType("image/png", "image/png", "image"),
        ".webp": FileType("image/webp", "image/webp", "image"),
        ".gif": FileType("image/gif", "image/gif", "image"),
        ".svg": FileType("image/svg+xml", "image/svg+xml", "graphic"),
        ".ico": FileType("image/x-icon", "image/x-icon", "graphic"),
        ".vtt": FileType("text/vtt", "text/vtt", "transcript"),
        ".srt": FileType("application/x-subrip", "application/x-subrip", "transcript"),
        ".txt": _text("text/plain", "transcript"),
        ".json": FileType("application/json", "application/json", "data"),
        ".xml": FileType(_FEED, _FEED, "feed"),
        ".rss": FileType(_FEED, _FEED, "feed"),
        ".html": _text("text/html", "page"),
        ".htm": _text("text/html", "page"),
        ".css": _text("text/css", "style"),
        ".js": _text("text/javascript", "script"),
    }
)

#: The formats a probe tells apart by their bytes (stationcast's format names) -> the MIME
#: type announced for them (see "Why each media type" above).
FORMAT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "mp3": "audio/mpeg",
        "mp2": "audio/mpeg",
        "mp1": "audio/mpeg",
        "m4a": "audio/x-m4a",
        "mp4-video": "video/mp4",
        "m4v-video": "video/x-m4v",
        "mov-video": "video/quicktime",
        "ogg-vorbis": "audio/ogg",
        "opus": "audio/ogg",
        "flac": "audio/flac",
        "wav": "audio/wav",
    }
)


def media_type(path: str) -> str | None:
    """The MIME type of the audio or video file a path or URL path names, by its extension
    (None for other files): the same answer on every machine, unlike Python's mimetypes."""
    name = path.rsplit("/", 1)[-1]
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    file_type = FILE_TYPES.get(extension)
    if file_type is None or file_type.kind not in ("audio", "video"):
        return None
    return file_type.mime


#: Names of media types that feeds write under other spellings (manifests of remote media
#: may use them).
_OTHER_NAMES = {"audio/mp4": "M4A", "audio/opus": "Opus"}


def type_name(mime: str) -> str | None:
    """What people call the media format of *mime* ("MP3"), or None when it is not media."""
    base = mime.split(";")[0].strip().lower()
    for file_type in FILE_TYPES.values():
        if file_type.mime == base and file_type.name:
            return file_type.name
    return _OTHER_NAMES.get(base)


# --- transcripts ------------------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptFormat:
    """A transcript format as the feed announces it in ``<podcast:transcript>``."""

    name: str
    extension: str
    mime_type: str
    #: Written only from a timed transcript (we never invent timings).
    timed: bool
    #: ``rel`` attribute of ``<podcast:transcript>``: "captions" for timecoded caption files.
    rel: str | None
    #: The caption layout recommended for it (see SRT_LINE_CHARS): at most this many
    #: characters per line, and lines per cue (None: no recommendation).
    line_chars: int | None = None
    cue_lines: int | None = None


#: The caption layout the namespace's transcript notes recommend (podcast-namespace
#: docs/examples/transcripts/transcripts.md): SRT cues of at most 2 lines of at most 32
#: characters; WebVTT lines of at most 65 characters.
SRT_LINE_CHARS = 32
SRT_CUE_LINES = 2
VTT_LINE_CHARS = 65


#: docs/tags/transcript.md: the formats the namespace names, by stationcast's name for them.
TRANSCRIPT_FORMATS: Mapping[str, TranscriptFormat] = MappingProxyType(
    {
        "html": TranscriptFormat("html", ".html", "text/html", timed=False, rel=None),
        "vtt": TranscriptFormat(
            "vtt", ".vtt", "text/vtt", timed=True, rel="captions", line_chars=VTT_LINE_CHARS
        ),
        "srt": TranscriptFormat(
            "srt",
            ".srt",
            "application/x-subrip",
            timed=True,
            rel="captions",
            line_chars=SRT_LINE_CHARS,
            cue_lines=SRT_CUE_LINES,
        ),
        "json": TranscriptFormat("json", ".json", "application/json", timed=True, rel=None),
        "text": TranscriptFormat("text", ".txt", "text/plain", timed=False, rel=None),
    }
)
#: The types ``podcast:transcript type`` may be, in the order the spec lists them.
TRANSCRIPT_TYPES = tuple(
    TRANSCRIPT_FORMATS[name].mime_type for name in ("text", "html", "vtt", "json", "srt")
)
#: Spellings seen in the wild for the same formats; accepted by some apps only.
TRANSCRIPT_TYPE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "application/srt": "application/x-subrip",
        "text/srt": "application/x-subrip",
        "application/x-srt": "application/x-subrip",
        "text/x-subrip": "application/x-subrip",
        "text/webvtt": "text/vtt",
    }
)
