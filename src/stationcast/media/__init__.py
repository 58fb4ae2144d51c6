"""Probing media files for a feed: exact size, MIME type, duration, chapters, cover art."""

from stationcast.media.probe import (
    APPLE_FORMATS,
    EXTENSIONS,
    MIME_TYPES,
    PARSER_ERRORS,
    AudioInfo,
    Chapter,
    extension_warning,
    probe_audio,
)

__all__ = [
    "APPLE_FORMATS",
    "EXTENSIONS",
    "MIME_TYPES",
    "PARSER_ERRORS",
    "AudioInfo",
    "Chapter",
    "extension_warning",
    "probe_audio",
]
