"""The one transcript model every reader produces and every writer consumes.

A transcript is an ordered tuple of segments. A segment is one paragraph (station text) or one
cue (WebVTT, SRT, JSON): plain text, whitespace-normalised, never markup. Non-speech cues such as
``(LAUGHTER)`` keep their parentheses in ``text`` so they stay visibly marked in every output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["speech", "nonspeech"]

#: Key under which :func:`~stationcast.transcripts.resolve.resolve_speakers` stores the host's
#: name, so writers can attribute the unlabelled introduction (``Segment.intro``) to the host.
#: Real labels are never empty, so the key cannot collide with one.
INTRO_KEY = ""


@dataclass(frozen=True)
class Segment:
    """One paragraph or cue of a transcript."""

    text: str
    #: The speaker as written in the source: the name part of a station label (``ARI SHAPIRO``
    #: for ``ARI SHAPIRO, HOST:``), or the voice/speaker name of a timed format. None when unknown.
    speaker: str | None = None
    start: float | None = None  # seconds
    end: float | None = None  # seconds
    kind: Kind = "speech"
    #: False when this paragraph continues the previous speaker's turn.
    new_turn: bool = True
    #: The role suffix of a station label (``HOST`` for ``ARI SHAPIRO, HOST:``), as written.
    label_role: str | None = None
    #: True for the unlabelled text before the first label of a station transcript: the host's
    #: introduction. Its speaker is None; writers and pages attribute it to the show's host.
    intro: bool = False
    #: True for a sentence of the paragraph the segment before began, timed on its own (an
    #: aligned station text): captions show it as a cue of its own, pages and plain text as
    #: part of that paragraph.
    continues: bool = False
    #: True when `start` and `end` are only the stretch the segment lies within, not when it
    #: is said (a doubtful turn of an aligned station text): captions show it over that
    #: stretch, pages give it no time.
    approximate: bool = False

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None


def paragraphs(segments: Iterable[Segment]) -> list[list[Segment]]:
    """`segments` grouped into paragraphs: each with the sentences that continue it."""
    out: list[list[Segment]] = []
    for seg in segments:
        if seg.continues and out:
            out[-1].append(seg)
        else:
            out.append([seg])
    return out


@dataclass(frozen=True)
class Turn:
    """Consecutive segments of one speaker (or one non-speech cue on its own)."""

    speaker: str | None
    segments: tuple[Segment, ...]

    @property
    def start(self) -> float | None:
        return self.segments[0].start

    @property
    def end(self) -> float | None:
        return self.segments[-1].end

    @property
    def kind(self) -> Kind:
        return self.segments[0].kind

    @property
    def intro(self) -> bool:
        return self.segments[0].intro

    @property
    def label_role(self) -> str | None:
        return self.segments[0].label_role


@dataclass(frozen=True)
class Transcript:
    """An ordered sequence of segments, plus the transcript credit found in the source."""

    segments: tuple[Segment, ...] = ()
    #: e.g. "Transcript provided by NPR, Copyright NPR.", removed from the last paragraph.
    credit: str | None = None
    #: The audio's length in seconds, when the writer of a timed file knows it: the credit's
    #: cue (SRT, JSON) ends by then.
    length: float | None = None

    def __bool__(self) -> bool:
        return bool(self.segments)

    @property
    def timed(self) -> bool:
        """True when there is at least one segment and every segment has a start and an end.

        Only timed transcripts may be written as WebVTT, SRT or JSON: we never invent timings.
        """
        return bool(self.segments) and all(s.timed for s in self.segments)

    def turns(self) -> list[Turn]:
        """Group consecutive segments into turns.

        A turn starts at every segment with ``new_turn=True``, at every non-speech segment, after
        a non-speech segment, and wherever the speaker changes. Each non-speech cue is a turn of
        its own (speaker None, kind "nonspeech").
        """
        turns: list[Turn] = []
        current: list[Segment] = []
        for seg in self.segments:
            if current and (
                seg.new_turn
                or seg.kind == "nonspeech"
                or current[-1].kind == "nonspeech"
                or seg.speaker != current[-1].speaker
                or seg.intro != current[-1].intro
            ):
                turns.append(Turn(current[0].speaker, tuple(current)))
                current = []
            current.append(seg)
        if current:
            turns.append(Turn(current[0].speaker, tuple(current)))
        return turns

    def labels(self) -> list[str]:
        """Distinct speaker labels (``Segment.speaker``) in order of first appearance."""
        seen: dict[str, None] = {}
        for seg in self.segments:
            if seg.speaker is not None:
                seen.setdefault(seg.speaker, None)
        return list(seen)


def mark_turns(segments: Iterable[Segment]) -> tuple[Segment, ...]:
    """Set ``new_turn`` the way timed formats (WebVTT, SRT, JSON) imply it.

    Those formats have no paragraphs, so a speech segment continues the previous turn exactly when
    the previous segment is speech by the same speaker (None counts as a speaker: consecutive
    cues without a voice are one turn); everything else starts a turn.
    """
    out: list[Segment] = []
    prev: Segment | None = None
    for seg in segments:
        new_turn = not (
            prev is not None
            and seg.kind == "speech"
            and prev.kind == "speech"
            and prev.speaker == seg.speaker
        )
        out.append(seg if seg.new_turn == new_turn else replace(seg, new_turn=new_turn))
        prev = seg
    return tuple(out)
