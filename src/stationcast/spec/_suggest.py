"""Naming the closest valid value in messages about a value outside a fixed list."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice closest to *value*: a case-insensitive equal first, then difflib's best."""
    by_fold = {c.casefold(): c for c in choices}
    folded = value.strip().casefold()
    if folded in by_fold:
        return by_fold[folded]
    matches = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
    if matches:
        return by_fold[matches[0]]
    # A retired name that starts a current one: "Health" -> "Health & Fitness".
    for fold, choice in by_fold.items():
        if fold.startswith(folded + " "):
            return choice
    # A retired name that contains a current one: "News & Politics" -> "News".
    for word in re.split(r"[^\w-]+", folded):
        if word in by_fold:
            return by_fold[word]
    return None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'X'?" for the closest choice, else "."."""
    match = closest(value, choices)
    return f"; did you mean {match!r}?" if match is not None else "."


def listing(choices: Iterable[str]) -> str:
    return ", ".join(repr(c) for c in choices)
