"""The rule catalogue itself: complete, documented, and every rule exercised by a test."""

from __future__ import annotations

import re
from pathlib import Path

import stationcast.validate as v
from stationcast.validate import PROFILES, RULES, rules_markdown

HERE = Path(__file__).parent
RULES_MD = Path(v.__file__).parent / "RULES.md"


def test_rules_md_is_generated_from_the_table() -> None:
    """RULES.md is current.

    Regenerate: uv run python -m stationcast.validate.rules > src/stationcast/validate/RULES.md
    """
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown()


def test_every_rule_is_complete() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+)+", rule.id), rule.id
        assert rule.severity in ("error", "warning", "info")
        assert rule.platforms and set(rule.platforms) <= PROFILES["all"], rule.id
        assert rule.summary and rule.hint and rule.source, rule.id


def test_every_rule_is_exercised_by_a_test() -> None:
    """Each rule id appears in a corpus file name or in a test's source."""
    corpus = {p.stem for p in (HERE / "feeds" / "broken").glob("*.xml")}
    sources = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py"))
    missing = [r for r in RULES if r not in corpus and f'"{r}"' not in sources]
    assert missing == []


# A web address (host/path) or a file path in a repository (docs/tags/guid.md, state.py).
_LOCATOR = re.compile(r"[a-z0-9-]+\.[a-z]{2,}/|[\w-]+/[\w./*-]+\.(md|py|json|h)\b|README\.md")


def test_every_rule_cites_a_source_that_can_be_looked_up() -> None:
    """Each rule's source names a URL or a repository path, so a reader can check it."""
    missing = [r.id for r in RULES.values() if not _LOCATOR.search(r.source)]
    assert missing == []


def test_sources_cite_documents_in_reach() -> None:
    """No source points at notes outside this repository (the research files and their
    R-numbers): the specifications and platform documents are cited directly."""
    text = rules_markdown()
    for gone in ("podcast-standards.md", "reliability-and-security.md", "DESIGN.md"):
        assert gone not in text
    assert re.findall(r"\bR\d+\b", text) == []


def test_public_api() -> None:
    for name in (
        "validate_bytes",
        "validate_source",
        "RULES",
        "Rule",
        "Finding",
        "Report",
    ):
        assert getattr(v, name) is not None


def test_every_rule_has_an_anchor_in_rules_md() -> None:
    """Each finding links to RULES.md#<id>; the anchor is there for every rule."""
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in RULES.values():
        assert rule.doc == f"src/stationcast/validate/RULES.md#{rule.id}"
        assert text.count(f'<a id="{rule.id}"></a>') == 1, rule.id
