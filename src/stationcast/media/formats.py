"""The media formats stationcast publishes: enclosure MIME type, fitting file extensions,
and which of them Apple Podcasts accepts. Every prober names its result's format with a key
of these tables.

MIME types written to ``<enclosure type>``
==========================================

==============  ===================  ======================================================
format          MIME type            why
==============  ===================  ======================================================
mp3 (mp2, mp1)  ``audio/mpeg``       RFC 3003; Apple's enclosure list; PSP-1.
m4a             ``audio/x-m4a``      Apple's enclosure list ("A Podcaster's Guide to RSS",
                                     help.apple.com/itc/podcasts_connect/#/itcb54353390).
                                     The IANA type is ``audio/mp4`` (RFC 4337), but Apple
                                     documents ``audio/x-m4a`` and hosts that sent
                                     ``audio/mp4`` had reports (podlove-publisher #1180).
mp4-video       ``video/mp4``        Apple's list; RFC 4337.
m4v-video       ``video/x-m4v``      Apple's list (file brand ``M4V``).
mov-video       ``video/quicktime``  Apple's list (file brand ``qt``).
ogg-vorbis      ``audio/ogg``        RFC 5334 / IANA audio/ogg registration.
opus            ``audio/ogg``        RFC 7845 section 9: "The RECOMMENDED mime-type for Ogg
                                     Opus files is audio/ogg"; section 10 added ``.opus`` to
                                     the IANA audio/ogg registration. ``audio/opus``
                                     (RFC 7587) is the RTP payload type. The optional
                                     ``; codecs=opus`` is left out: apps that compare the
                                     type string exactly would not recognise it.
flac            ``audio/flac``       Registered by RFC 9639 (FLAC).
wav             ``audio/wav``        What browsers and podcast apps recognise (MDN "Common
                                     media types"); IANA only has ``audio/vnd.wave``
                                     (RFC 2361), which players rarely know.
==============  ===================  ======================================================

Apple accepts only :data:`APPLE_FORMATS` (reference notes, podcast-standards.md section
2.3, and PSP-1 allows only MP3 and MPEG-4); the others are valid RSS enclosures that many
Podcasting 2.0 apps play, and the build should warn about them.
"""

from __future__ import annotations

MIME_TYPES: dict[str, str] = {
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

# The formats Apple Podcasts accepts as enclosures ("A Podcaster's Guide to RSS").
APPLE_FORMATS = frozenset({"mp3", "m4a", "mp4-video", "m4v-video", "mov-video"})

# File extensions that fit each format; the first is the one to rename to. Apple Podcasts
# decides whether to show an episode by the enclosure URL's extension (podcast-standards.md
# section 2.3), so content and name must agree.
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
