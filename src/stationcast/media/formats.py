"""The formats a probe tells apart, by the name it gives them (``AudioInfo.format``): the
MIME type a feed announces for each (the table of stationcast.spec.media, where the reasons
for each type are given) and the file extensions that fit each.
"""

from __future__ import annotations

from stationcast.spec.media import FORMAT_TYPES

#: Format -> the MIME type announced for it: the table of stationcast.spec.media.
MIME_TYPES = FORMAT_TYPES

# File extensions that fit each format; the first is the one to rename to. Apple Podcasts
# decides how to play an episode by the enclosure URL's extension ("A Podcaster's Guide to
# RSS": the file extension must match the type), so content and name must agree. The build
# and `stationcast tag` both use this table.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "mp3": (".mp3",),
    "mp2": (".mp3", ".mp2"),
    "mp1": (".mp3", ".mp1"),
    "m4a": (".m4a", ".m4b"),
    "mp4-video": (".mp4", ".m4v"),
    "m4v-video": (".m4v", ".mp4"),
    "mov-video": (".mov",),
    "ogg-vorbis": (".ogg", ".oga"),
    "opus": (".opus", ".ogg", ".oga"),
    "flac": (".flac",),
    "wav": (".wav", ".wave"),
}
