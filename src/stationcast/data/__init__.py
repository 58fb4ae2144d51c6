"""Reference tables shipped with stationcast, and the checks built on them.

- ``apple_categories.json``: Apple Podcasts' category list (2019 revision), exact spelling.
- ``taxonomy.json``: the Podcast Taxonomy's role/group pairs used by ``podcast:person``
  (from Podcastindex-org/podcast-namespace ``taxonomy-en.json``).

Every check raises ``ValueError`` with a message a person can act on: what was wrong,
the closest valid value ("did you mean ...?") and the valid values.
"""

from __future__ import annotations

import difflib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "PODCAST_GUID_NAMESPACE",
    "apple_categories",
    "check_category",
    "check_person",
    "podcast_guid",
    "taxonomy",
    "taxonomy_groups",
]

# Podcastindex-org/podcast-namespace docs/tags/guid.md: the "podcast" namespace UUID.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def _load(name: str) -> Any:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def apple_categories() -> Mapping[str, tuple[str, ...]]:
    """Apple's categories: top-level name -> its subcategories, in Apple's order (read-only)."""
    table = _load("apple_categories.json")["categories"]
    return MappingProxyType({cat: tuple(subs) for cat, subs in table.items()})


@cache
def taxonomy() -> tuple[tuple[str, str], ...]:
    """The Podcast Taxonomy as (role, group) pairs, lower-case, in the table's order."""
    rows = _load("taxonomy.json")["roles"]
    return tuple((row["role"].lower(), row["group"].lower()) for row in rows)


@cache
def taxonomy_groups() -> tuple[str, ...]:
    """The Podcast Taxonomy's groups, lower-case, in the table's order."""
    return tuple(dict.fromkeys(group for _, group in taxonomy()))


def _closest(value: str, choices: Iterable[str]) -> str | None:
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


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    match = _closest(value, choices)
    return f"; did you mean {match!r}?" if match is not None else "."


def _listing(choices: Iterable[str]) -> str:
    return ", ".join(repr(c) for c in choices)


def check_category(category: str, sub: str | None = None) -> None:
    """Raise ValueError unless *category* (and *sub*, when given) is in Apple's list.

    Spelling and case must match exactly (``Kids & Family``, ``Stand-Up``), because Apple
    treats tags and values case-sensitively.
    """
    table = apple_categories()
    if category not in table:
        parents = [cat for cat, subs in table.items() if category in subs]
        if parents:
            raise ValueError(
                f"{category!r} is a subcategory of {parents[0]!r}, not a category; "
                f"use category {parents[0]!r} with subcategory {category!r}"
            )
        raise ValueError(
            f"unknown Apple Podcasts category {category!r}{_did_you_mean(category, table)} "
            f"Valid categories: {_listing(table)}"
        )
    if sub is None:
        return
    subs = table[category]
    if not subs:
        raise ValueError(f"Apple Podcasts category {category!r} has no subcategories, got {sub!r}")
    if sub not in subs:
        raise ValueError(
            f"unknown subcategory {sub!r} of Apple Podcasts category {category!r}"
            f"{_did_you_mean(sub, subs)} Valid subcategories of {category!r}: {_listing(subs)}"
        )


def check_person(role: str, group: str | None = None) -> tuple[str, str]:
    """Check a ``podcast:person`` role (and group) against the Podcast Taxonomy.

    Matching is case-insensitive, as the spec says. Returns the canonical lower-case
    ``(role, group)``. Without *group*, the role's own group is used when the role belongs
    to exactly one group; a role in several groups (``editor``) needs the group spelled out.
    Raises ValueError naming the closest valid role or group.
    """
    if isinstance(role, str) and (group is None or isinstance(group, str)):
        return _check_person(role, group)  # every credit of every episode asks: cached
    return _check_person.__wrapped__(role, group)


@lru_cache(maxsize=512)
def _check_person(role: str, group: str | None) -> tuple[str, str]:
    pairs = taxonomy()
    roles = list(dict.fromkeys(r for r, _ in pairs))
    wanted_role = role.strip().lower() if isinstance(role, str) else ""
    if wanted_role not in roles:
        raise ValueError(
            f"unknown podcast:person role {role!r}{_did_you_mean(str(role), roles)} "
            f"Valid roles (Podcast Taxonomy): {_listing(roles)}"
        )
    role_groups = [g for r, g in pairs if r == wanted_role]
    if group is None:
        if len(role_groups) > 1:
            raise ValueError(
                f"podcast:person role {wanted_role!r} belongs to more than one group "
                f"({_listing(role_groups)}); give the group as well"
            )
        return wanted_role, role_groups[0]
    groups = taxonomy_groups()
    wanted_group = group.strip().lower()
    if wanted_group not in groups:
        raise ValueError(
            f"unknown podcast:person group {group!r}{_did_you_mean(group, groups)} "
            f"Valid groups (Podcast Taxonomy): {_listing(groups)}"
        )
    if wanted_group not in role_groups:
        raise ValueError(
            f"podcast:person role {wanted_role!r} is not in group {wanted_group!r}; "
            f"it belongs to {_listing(role_groups)}"
        )
    return wanted_role, wanted_group


def podcast_guid(feed_url: str) -> str:
    """The ``podcast:guid`` for a feed URL, as docs/tags/guid.md defines it.

    UUIDv5 in the namespace ``ead4c236-bf58-58c6-a2c6-a6b28d128cb6`` of the URL with its
    scheme (``https://``) and trailing slashes removed. Compute it once and store it: the
    spec says the GUID stays with the podcast when the feed URL later changes.
    """
    seed = _SCHEME.sub("", feed_url.strip()).rstrip("/")
    if not seed:
        raise ValueError(f"cannot derive a podcast:guid from feed URL {feed_url!r}")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, seed))
