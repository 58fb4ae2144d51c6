"""Speaker labels -> credited people.

A station transcript names speakers by labels (``MCEVERS``, ``PETER NEUMANN``, ``ARI SHAPIRO,
HOST``); the manifest's credits say who they are, and a person may have several labels. Labels
are matched case-insensitively, after NFC, ignoring zero-width and bidi control characters and
surrounding whitespace, so ``PE\u0301TER`` and a label with a stray U+200B still resolve.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from ._text import nfc
from .model import INTRO_KEY, Transcript

# Zero-width and bidirectional formatting characters: invisible, so never part of an identity.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


#: Labels of voices nobody credits (NPR's ``UNIDENTIFIED PERSON #1``, ``MAN``, ``WOMAN``,
#: ``CROWD``...): known, never warned about, shown as :func:`uncredited_voice` spells them.
UNCREDITED = re.compile(
    r"^(?:UNIDENTIFIED|UNKNOWN|CROWD|GROUP|MULTIPLE|PROTESTERS?|AUDIENCE|CHORUS|CHILDREN|CHILD|"
    r"CROSSTALK|ALL|VOICES?|MAN|WOMAN|BOY|GIRL|SPEAKER|INTERPRETER|TRANSLATOR)\b"
)


def uncredited_voice(label: str) -> str | None:
    """How an unidentified voice's label is shown (``UNIDENTIFIED PERSON #1`` -> ``Unidentified
    person 1``), or None when `label` names someone."""
    words = label_key(label).upper()
    if not UNCREDITED.match(words):
        return None
    return " ".join(words.replace("#", " ").split()).capitalize()


def label_line(text: str, label: str) -> int | None:
    """The first line of `text` where `label` is written (at a line's start, else anywhere)."""
    lines = text.split("\n")
    word = re.compile(rf"(?<!\w){re.escape(label)}(?!\w)")
    for number, line in enumerate(lines, 1):
        if word.match(line.lstrip()):
            return number
    return next((n for n, line in enumerate(lines, 1) if word.search(line)), None)


def label_key(label: str) -> str:
    """The form labels are compared in: NFC, invisible characters removed, whitespace
    collapsed and stripped, case-folded."""
    return " ".join(_INVISIBLE.sub("", nfc(label)).split()).casefold()


def resolve_speakers(
    t: Transcript,
    people: Sequence[tuple[str, Sequence[str]]],
    host: str | None,
    *,
    source: str,
    line_of: Callable[[str], int | None] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Map every speaker label in ``t`` to a credited person's full name.

    ``people`` is ``(full name, labels)`` per credit; a person's full name also counts as one of
    their labels, so timed formats that already carry full names resolve too. A label that two
    people claim goes to the first of them, with a warning.

    Returns ``(names, warnings)``: ``names`` maps each resolved label, exactly as written in the
    transcript, to the full name, and ``INTRO_KEY`` ("") to ``host`` when the transcript has an
    unlabelled introduction. Unresolved labels are absent from ``names`` (writers and pages show
    them as written) and each gets one warning, at ``source:LINE`` when ``line_of`` finds the
    label's first line, naming the closest credited label. Unidentified voices (``UNCREDITED``)
    resolve to their spelling by :func:`uncredited_voice`, without a warning.
    """
    by_key: dict[str, str] = {}
    warnings: list[str] = []
    for full_name, labels in people:
        for label in (*labels, full_name):
            key = label_key(label)
            if not key:
                continue
            owner = by_key.setdefault(key, full_name)
            if owner != full_name and label != full_name:
                warnings.append(
                    f"{source}: speaker label {label!r} is credited to both {owner} and "
                    f"{full_name}; using {owner}"
                )

    roles: dict[str, set[str]] = {}
    for seg in t.segments:
        if seg.speaker is not None and seg.label_role:
            roles.setdefault(seg.speaker, set()).add(seg.label_role)
    names: dict[str, str] = {}
    for label in t.labels():
        # "ARI SHAPIRO, HOST" / "STEVE INSKEEP (Host)" may be credited with or without the role.
        candidates = [label]
        for role in sorted(roles.get(label, ())):
            candidates += [f"{label}, {role}", f"{label} ({role})"]
        for candidate in candidates:
            full = by_key.get(label_key(candidate))
            if full is not None:
                names[label] = full
                break
        else:
            voice = uncredited_voice(label)
            if voice is not None:
                names[label] = voice
                continue
            line = line_of(label) if line_of is not None else None
            where = f"{source}:{line}" if line is not None else source
            close = difflib.get_close_matches(label_key(label), list(by_key), n=1, cutoff=0.7)
            hint = ""
            if close:
                written = next(
                    (lb for _, lbs in people for lb in lbs if label_key(lb) == close[0]),
                    close[0],
                )
                hint = f" (did you mean {written}, {by_key[close[0]]}?)"
            warnings.append(
                f"{where}: speaker label {label!r} is not in the credits{hint}; shown as written"
                " (add it to a credit's speaker: list)"
            )

    if any(s.intro for s in t.segments):
        if host:
            names[INTRO_KEY] = host
        else:
            warnings.append(
                f"{source}: the transcript opens with an unlabelled introduction but no host is "
                "credited; it is shown without a speaker"
            )
    return names, warnings
