"""Timed transcripts from a station's own text: align its paragraphs to the audio, offline.

`stationcast align` speaks each sentence of an episode's untimed transcript (espeak-ng),
finds where it lies in the episode's audio (see engine.py) and writes the times beside the
manifest as `alignment.json`, keyed by the SHA-256 of the transcript and of the audio. The
station's text is never changed: the build reads the text as before and, when the
alignment file belongs to this text and this audio, gives every paragraph and every sentence
its times, so it writes WebVTT, SRT and JSON transcripts and the page shows a time on every
turn. An alignment made for another text or audio is a warning naming the command, never
used.

This module reads and applies alignment files with the standard library only: the build
never needs the aligner's libraries (the optional `align` extra), only `stationcast align`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from stationcast.transcripts.model import Segment, Transcript

if TYPE_CHECKING:
    from stationcast.align.engine import Progress

__all__ = [
    "ALIGNMENT_FILE",
    "FORMAT",
    "Alignment",
    "align_transcript",
    "apply_alignment",
    "read_alignment",
    "sentences",
]

ALIGNMENT_FILE = "alignment.json"
#: No time in an alignment file is this late (a thousand hours): a bigger one is damage.
MAX_SECONDS = 3_600_000.0
FORMAT = "stationcast-alignment/1"
#: A sentence lasting this many times longer (or shorter) in the audio than the episode's
#: typical sentence, relative to the synthetic speech, makes its paragraph doubtful (see
#: Alignment.doubtful): a soundbite or music not in the text was taken for it, or it was
#: squeezed out by one.
DOUBT = 1.8
#: Seconds of sound next to a paragraph that the text does not account for (the warp passed
#: over it in a pause of the synthetic speech, and no bracketed note such as `(SOUNDBITE OF
#: MUSIC)` stands there) that make the paragraphs on either side doubtful: words or music the
#: text leaves out, which may have been taken for one of them.
UNSAID = 1.5

# A sentence ends at . ! ? (and any closing quotes or brackets after it) before a space and a
# word that starts like a sentence: a capital, a digit or an opening quote.
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?= [\"'“‘(\[]?[A-Z0-9])")
# ... but not after an abbreviation: initials (U.S., a.m.) or a title before a name.
_ABBREVIATION = re.compile(
    r"(?<!\S)(?:(?:[A-Za-z]\.){1,4}|(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Jr|Sr|Prof"
    r"|Rev|Mt|No|vs|etc)\.)$"
)


def sentences(text: str) -> list[str]:
    """`text` (whitespace-normalised) cut into sentences; joined with spaces they are `text`."""
    out: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if _ABBREVIATION.search(text, start, match.start()):  # (the full stop just before)
            continue
        out.append(text[start:end])
        start = end + 1
    if start < len(text) or not out:
        out.append(text[start:])
    return [part for part in out if part] or [text]


@dataclass(frozen=True)
class Alignment:
    """The times of one episode's transcript: per segment (paragraph), its sentences'
    (start, end) in seconds, or None for a segment not spoken (a bracketed note) or not found."""

    transcript: str  # the transcript's file name
    transcript_sha256: str
    audio: str  # the audio's file name
    audio_sha256: str
    tools: str
    segments: tuple[tuple[tuple[float, float], ...] | None, ...]
    doubtful: tuple[int, ...] = ()  # indexes of segments whose sound matched poorly
    #: Why each doubtful segment is (for the report; not kept in the file).
    reasons: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    def to_json(self) -> str:
        """The file's text: a header, then one line per segment (its sentences' times)."""
        head = {
            "format": FORMAT,
            "transcript": {"file": self.transcript, "sha256": self.transcript_sha256},
            "audio": {"file": self.audio, "sha256": self.audio_sha256},
            "made_with": self.tools,
            "doubtful": list(self.doubtful),
        }
        lines = [
            "  " + json.dumps(None if spans is None else [[s, e] for s, e in spans])
            for spans in self.segments
        ]
        header = json.dumps(head, ensure_ascii=False)[:-1]
        return header + ', "segments": [\n' + ",\n".join(lines) + "\n]}\n"


class AlignmentUnreadable(ValueError):
    """An alignment file that is not one stationcast wrote (its message says what is wrong)."""


def read_alignment(text: str) -> Alignment:
    """Parse an alignment file's text; AlignmentUnreadable when it is not one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise AlignmentUnreadable(f"is not JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AlignmentUnreadable(f"is not a stationcast alignment file ({FORMAT})")
    try:
        transcript, audio = data["transcript"], data["audio"]
        segments: list[tuple[tuple[float, float], ...] | None] = []
        for spans in data["segments"]:
            if spans is None:
                segments.append(None)
                continue
            pairs = tuple((float(s), float(e)) for s, e in spans)
            if not all(0 <= s <= e < MAX_SECONDS for s, e in pairs):  # (NaN fails too)
                raise ValueError("a time is negative, not a number, or ends before it starts")
            segments.append(pairs)
        return Alignment(
            str(transcript["file"]),
            str(transcript["sha256"]),
            str(audio["file"]),
            str(audio["sha256"]),
            str(data.get("made_with", "")),
            tuple(segments),
            tuple(int(i) for i in data.get("doubtful", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise AlignmentUnreadable(f"is damaged ({str(exc)[:80]})") from None


def apply_alignment(t: Transcript, alignment: Alignment) -> Transcript | None:
    """`t` (untimed station text) timed by `alignment`: each paragraph one segment per
    sentence, the first opening the paragraph's turn as it did, the others continuing it.
    A doubtful paragraph stays one segment, `approximate`: it spans the stretch between the
    paragraphs around it that are not doubtful, where it is certainly said, and has no times
    of its own. None when the alignment does not fit the transcript's paragraphs."""
    if len(alignment.segments) != len(t.segments):
        return None
    doubtful = set(alignment.doubtful)
    spans_of = list(alignment.segments)
    windows = _windows(spans_of, doubtful)
    out: list[Segment] = []
    for index, (seg, spans) in enumerate(zip(t.segments, spans_of, strict=True)):
        if spans is None:  # a note in brackets: between what comes before and after it
            at = out[-1].end if out and out[-1].end is not None else 0.0
            following = _next_start(spans_of, index)
            out.append(replace(seg, start=at, end=max(at, following or at)))
            continue
        if index in windows:
            start, end = windows[index]
            out.append(replace(seg, start=start, end=end, approximate=True))
            continue
        parts = sentences(seg.text)
        if len(parts) != len(spans):
            return None
        for n, (part, (start, end)) in enumerate(zip(parts, spans, strict=True)):
            first = n == 0
            out.append(
                replace(
                    seg,
                    text=part,
                    start=start,
                    end=end,
                    new_turn=seg.new_turn if first else False,
                    continues=not first,
                )
            )
    return replace(t, segments=tuple(out))


def _windows(
    segments: Sequence[tuple[tuple[float, float], ...] | None], doubtful: set[int]
) -> dict[int, tuple[float, float]]:
    """For each doubtful spoken segment, the stretch it certainly lies in: from the end of
    the last segment before it that is not doubtful (or 0) to the start of the first after
    it that is not (or its own end); a run of doubtful segments shares its stretch, cut at
    their own starts, kept inside it and in order."""
    out: dict[int, tuple[float, float]] = {}
    spoken = [i for i, spans in enumerate(segments) if spans]
    k = 0
    while k < len(spoken):
        if spoken[k] not in doubtful:
            k += 1
            continue
        run = [spoken[k]]
        while k + len(run) < len(spoken) and spoken[k + len(run)] in doubtful:
            run.append(spoken[k + len(run)])
        before = spoken[k - 1] if k > 0 else None
        after = spoken[k + len(run)] if k + len(run) < len(spoken) else None
        low = segments[before][-1][1] if before is not None else 0.0  # type: ignore[index]
        own_last = segments[run[-1]][-1][1]  # type: ignore[index]
        high = segments[after][0][0] if after is not None else own_last  # type: ignore[index]
        high = max(low, high)
        cuts = [low]
        for i in run[1:]:
            own = segments[i][0][0]  # type: ignore[index]
            cuts.append(min(high, max(cuts[-1], own)))
        cuts.append(high)
        for n, i in enumerate(run):
            out[i] = (cuts[n], cuts[n + 1])
        k += len(run)
    return out


def _next_start(
    segments: Sequence[tuple[tuple[float, float], ...] | None], index: int
) -> float | None:
    for spans in segments[index + 1 :]:
        if spans:
            return spans[0][0]
    return None


def align_transcript(
    t: Transcript,
    audio: Path,
    voice: str,
    *,
    transcript_name: str,
    transcript_sha256: str,
    audio_sha256: str,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Alignment:
    """Align `t` (untimed station text) to `audio`, speaking it with espeak-ng's `voice`."""
    from stationcast.align import engine

    engine.check_tools()
    spoken: list[str] = []
    owners: list[int] = []
    for index, seg in enumerate(t.segments):
        if seg.kind == "nonspeech":
            continue
        for part in sentences(seg.text):
            spoken.append(part)
            owners.append(index)
    spans = engine.align_sentences(spoken, audio, voice, jobs=jobs, progress=progress)
    per: list[list[tuple[float, float]]] = [[] for _ in t.segments]
    reasons: dict[int, str] = {}
    for owner, times, stretch in zip(owners, spans.times, spans.stretch, strict=True):
        per[owner].append(times)
        if not 1 / DOUBT <= stretch <= DOUBT and owner not in reasons:
            reasons[owner] = (
                "took up far more of the audio than its words would"
                if stretch > 1
                else "took up far less of the audio than its words would"
            )
    for k, unsaid in enumerate(spans.unsaid_after[:-1]):
        here, following = owners[k], owners[k + 1]
        noted = any(t.segments[i].kind == "nonspeech" for i in range(here + 1, following))
        if unsaid < UNSAID or noted:
            continue  # (the sound a bracketed note names is expected there)
        for owner in dict.fromkeys((here, following)):
            reasons.setdefault(owner, f"{unsaid:.1f} s of sound next to it is not in the text")
    doubtful = tuple(sorted(reasons))
    return Alignment(
        transcript_name,
        transcript_sha256,
        audio.name,
        audio_sha256,
        engine.tools(),
        tuple(tuple(p) if t.segments[i].kind != "nonspeech" else None for i, p in enumerate(per)),
        doubtful,
        tuple(sorted(reasons.items())),
    )
