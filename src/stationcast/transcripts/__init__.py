"""Transcripts: one reader and/or writer per format, all sharing one model."""

from ._text import split_cues
from .model import INTRO_KEY, Kind, Segment, Transcript, Turn, mark_turns
from .station import Label, match_label, parse_station_text

__all__ = [
    "INTRO_KEY",
    "Kind",
    "Label",
    "Segment",
    "Transcript",
    "Turn",
    "mark_turns",
    "match_label",
    "parse_station_text",
    "split_cues",
]
