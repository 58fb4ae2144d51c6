"""`stationcast validate`: would Apple Podcasts, Spotify, Podcast Index and real apps accept a feed?

Library API (no click needed)::

    from stationcast.validate import validate_bytes, validate_source, RULES
    report = validate_bytes(data, location="feeds/feed.xml", local_root=Path("feeds"))
    if not report.ok():
        ...

The click command is `stationcast.validate.command.validate_command` (also importable from
here); RULES.md documents every rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import FeedSourceError, validate_bytes, validate_source
from .rules import PROFILES, RULES, Finding, Report, Rule, rules_markdown

if TYPE_CHECKING:
    import click

    validate_command: click.Command


def __getattr__(name: str) -> Any:
    # Imported lazily so that the library does not pull in click.
    if name == "validate_command":
        from .command import validate_command

        return validate_command
    raise AttributeError(name)


__all__ = [
    "PROFILES",
    "RULES",
    "FeedSourceError",
    "Finding",
    "Report",
    "Rule",
    "rules_markdown",
    "validate_bytes",
    "validate_command",
    "validate_source",
]
