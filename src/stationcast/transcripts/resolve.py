"""Speaker labels -> credited people.

A station transcript names speakers by labels (``MCEVERS``, ``PETER NEUMANN``, ``ARI SHAPIRO,
HOST``); the manifest's credits say who they are, and a person may have several labels. Labels
are matched case-insensitively, after NFC, ignoring zero-width and bidi control characters and
surrounding whitespace, so ``PE\u0301TER`` and a label with a stray U+200B still resolve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._text import nfc
from .model import INTRO_KEY, Transcript

# Zero-width and bidirectional formatting characters: invisible, so never part of an identity.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


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
) -> tuple[dict[str, str], list[str]]:
    """Map every speaker label in ``t`` to a credited person's full name.

    ``people`` is ``(full name, labels)`` per credit; a person's full name also counts as one of
    their labels, so timed formats that already carry full names resolve too. A label that two
    people claim goes to the first of them, with a warning.

    Returns ``(names, warnings)``: ``names`` maps each resolved label, exactly as written in the
    transcript, to the full name, and ``INTRO_KEY`` ("") to ``host`` when the transcript has an
    unlabelled introduction. Unresolved labels are absent from ``names`` (writers and pages show
    them as written) and each gets one warning.
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
            warnings.append(
                f"{source}: speaker label {label!r} is not in the credits; shown as written"
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
