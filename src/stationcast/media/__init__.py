"""Probing media files for a feed: exact size, MIME type, duration, chapters, cover art.

:func:`probe_audio` is the entry point; it names the container from the file's bytes and
hands the open file to that container's prober:

- ``mp3``: MPEG audio (MP3, MP2, MP1), with a frame count for headerless VBR files;
- ``mp4``: M4A audio and MP4/M4V/QuickTime video, and the MP4 box walk that
  :mod:`stationcast.tagging` shares (:func:`~stationcast.media.mp4.iter_mp4_boxes`);
- ``ogg``: Ogg Vorbis and Ogg Opus;
- ``flac`` and ``wav``.

``probe`` does the opening, sniffing and error handling, ``info`` defines :class:`AudioInfo`
and what the probers share, ``tags`` reads chapters and cover art from ID3 and Vorbis
comments, and ``formats`` holds the MIME type and file extensions of each format.
"""

from stationcast.media.formats import EXTENSIONS, MIME_TYPES
from stationcast.media.info import PARSER_ERRORS, AudioInfo, Chapter
from stationcast.media.probe import probe_audio

__all__ = [
    "EXTENSIONS",
    "MIME_TYPES",
    "PARSER_ERRORS",
    "AudioInfo",
    "Chapter",
    "probe_audio",
]
