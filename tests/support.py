"""Helpers shared by the test modules (importable because pyproject puts tests/ on the path)."""

from __future__ import annotations

import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "episodes"
EXAMPLE_OUTPUT = REPO / "feeds"
EXAMPLE_SLUG = "islamic-state-defectors"


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` (relative path -> sha256), to prove a folder did not change."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
