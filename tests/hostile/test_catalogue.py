"""The hostile catalogue (CATALOGUE.md) and the tests stay in step: every test it names
exists, every table it names is a module-level list in that module, and every test in
tests/hostile/ is named in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from support import REPO

CATALOGUE = Path(__file__).with_name("CATALOGUE.md")
_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
_TABLE = re.compile(r"rows of `(\w+)`")


def _module(path: str) -> ast.Module:
    return ast.parse((REPO / path).read_text(encoding="utf-8"))


def _tests(tree: ast.Module) -> set[str]:
    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test_")
    }


def _tables(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _rows() -> list[str]:
    return [
        line
        for line in CATALOGUE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and "`tests/" in line
    ]


def test_every_test_the_catalogue_names_exists() -> None:
    """A renamed or deleted test cannot leave a row pointing at nothing."""
    missing = []
    for row in _rows():
        for path, name in _REFERENCE.findall(row):
            if not (REPO / path).is_file() or name not in _tests(_module(path)):
                missing.append(f"{path}::{name}")
    assert not missing


def test_every_table_the_catalogue_names_is_in_its_module() -> None:
    """`rows of TABLE` names a module-level table of the first module in that row."""
    missing = []
    for row in _rows():
        tables = _TABLE.findall(row)
        paths = {path for path, _ in _REFERENCE.findall(row)}
        for table in tables:
            if not any(table in _tables(_module(path)) for path in paths):
                missing.append(f"{table} ({', '.join(sorted(paths))})")
    assert not missing


def test_every_hostile_test_is_in_the_catalogue() -> None:
    """A new hostile test is a new line in the catalogue, so the catalogue stays complete."""
    named = {(path, name) for row in _rows() for path, name in _REFERENCE.findall(row)}
    folder = Path(__file__).parent
    absent = []
    for module in sorted(folder.glob("test_*.py")):
        if module.name == Path(__file__).name:
            continue
        path = str(module.relative_to(REPO))
        absent += [
            f"{path}::{name}" for name in sorted(_tests(_module(path))) if (path, name) not in named
        ]
    assert not absent
