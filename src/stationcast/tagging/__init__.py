"""Write the manifest's metadata into the audio files themselves: `stationcast tag`.

The package turns each episode's manifest into :class:`~.base.Metadata`, maps it onto the
container's own tags (:mod:`.id3`, :mod:`.mp4`, :mod:`.vorbis`), and writes only what differs,
through a verified copy (:mod:`.core`, :mod:`.integrity`). See docs/tag.md.
"""

from __future__ import annotations

from .base import Change, Metadata, TagError
from .core import CONTAINERS, FilePlan, TagPlan, TagResult, apply_tags, plan_tags
from .integrity import audio_digest

__all__ = [
    "CONTAINERS",
    "Change",
    "FilePlan",
    "Metadata",
    "TagError",
    "TagPlan",
    "TagResult",
    "apply_tags",
    "audio_digest",
    "plan_tags",
]
