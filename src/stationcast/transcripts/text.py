"""Plain-text writer: paragraphs, the speaker's full name at the start of each turn."""

from __future__ import annotations

from collections.abc import Mapping

from ._names import display_name
from .model import Transcript


def write_text(t: Transcript, names: Mapping[str, str] | None = None) -> str:
    """Write ``t`` as plain text, one paragraph per segment, blank lines between.

    A paragraph that starts a turn (``new_turn``) opens with ``Full Name: `` (the label as
    written when ``names`` has no entry; nothing when the speaker is unknown), continuation
    paragraphs do not, as in station text; non-speech cues stand alone,
    brackets and all; the transcript credit is the last paragraph. Works for untimed and timed
    transcripts alike (timings are not written).
    """
    paragraphs: list[str] = []
    previous: tuple[str | None, bool] | None = None  # (speaker, intro) of the last speech
    for seg in t.segments:
        name = None
        if seg.kind == "speech":
            current = (seg.speaker, seg.intro)
            if seg.new_turn or current != previous:
                name = display_name(seg, names)
            previous = current
        paragraphs.append(f"{name}: {seg.text}" if name else seg.text)
    if t.credit:
        paragraphs.append(t.credit)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
