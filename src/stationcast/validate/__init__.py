"""`stationcast validate`: would Apple Podcasts, Spotify, Podcast Index and real apps accept a feed?

Library API (no click needed)::

    from stationcast.validate import validate_bytes, validate_source, RULES
    report = validate_bytes(data, location="feeds/feed.xml", local_root=Path("feeds"))
    if not report.ok():
        ...

The click command is `stationcast.cli.validate.validate_command`; RULES.md documents every
rule.
"""

from __future__ import annotations

from .api import FeedSourceError, size_finding, validate_bytes, validate_source
from .rules import PROFILES, RULES, Finding, Report, Rule, rules_markdown

__all__ = [
    "PROFILES",
    "RULES",
    "FeedSourceError",
    "Finding",
    "Report",
    "Rule",
    "rules_markdown",
    "size_finding",
    "validate_bytes",
    "validate_source",
]
