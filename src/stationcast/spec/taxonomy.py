"""The Podcast Taxonomy: the roles and groups of ``podcast:person``.

``data/taxonomy.json`` holds the role/group pairs of Podcastindex-org/podcast-namespace
``taxonomy-en.json``, which docs/tags/person.md points to (its ``_source`` says which
snapshot). Roles and groups are case-insensitive in feeds; the defaults are role "host" and
group "cast".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType

from ._suggest import did_you_mean, listing

__all__ = ["check_person", "roles_by_group", "taxonomy", "taxonomy_groups"]


@cache
def taxonomy() -> tuple[tuple[str, str], ...]:
    """The Podcast Taxonomy as (role, group) pairs, lower-case, in the table's order."""
    text = resources.files(__package__).joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    rows = json.loads(text)["roles"]
    return tuple((row["role"].lower(), row["group"].lower()) for row in rows)


@cache
def taxonomy_groups() -> tuple[str, ...]:
    """The Podcast Taxonomy's groups, lower-case, in the table's order."""
    return tuple(dict.fromkeys(group for _, group in taxonomy()))


@cache
def roles_by_group() -> Mapping[str, tuple[str, ...]]:
    """Group -> its roles, lower-case, in the table's order (read-only)."""
    table: dict[str, list[str]] = {}
    for role, group in taxonomy():
        table.setdefault(group, []).append(role)
    return MappingProxyType({group: tuple(roles) for group, roles in table.items()})


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
            f"unknown podcast:person role {role!r}{did_you_mean(str(role), roles)} "
            f"Valid roles (Podcast Taxonomy): {listing(roles)}"
        )
    role_groups = [g for r, g in pairs if r == wanted_role]
    if group is None:
        if len(role_groups) > 1:
            raise ValueError(
                f"podcast:person role {wanted_role!r} belongs to more than one group "
                f"({listing(role_groups)}); give the group as well"
            )
        return wanted_role, role_groups[0]
    all_groups = taxonomy_groups()
    wanted_group = group.strip().lower()
    if wanted_group not in all_groups:
        raise ValueError(
            f"unknown podcast:person group {group!r}{did_you_mean(group, all_groups)} "
            f"Valid groups (Podcast Taxonomy): {listing(all_groups)}"
        )
    if wanted_group not in role_groups:
        raise ValueError(
            f"podcast:person role {wanted_role!r} is not in group {wanted_group!r}; "
            f"it belongs to {listing(role_groups)}"
        )
    return wanted_role, wanted_group
