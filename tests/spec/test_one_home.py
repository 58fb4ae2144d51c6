"""Each fact has one home, stationcast.spec, and everything that uses it agrees with it."""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from stationcast import models
from stationcast.media import probe_audio
from stationcast.publish.headers import content_type
from stationcast.spec import namespaces, podcast, xml
from stationcast.spec.media import TRANSCRIPT_FORMATS
from support import REPO

SRC = REPO / "src" / "stationcast"
AUDIO_DATA = REPO / "tests" / "data" / "audio"

#: Facts no module outside spec/ may spell out: a copy would drift from the one in spec/.
FACTS = [
    namespaces.ITUNES,
    namespaces.PODCAST,
    namespaces.PODCAST_GITHUB,
    namespaces.ATOM,
    namespaces.CONTENT,
    namespaces.HISTORY,
    str(podcast.GUID_NAMESPACE),
    podcast.CHAPTERS_TYPE,
    xml.ILLEGAL_CHARACTER.pattern,
    xml.UUID.pattern,
]


def _constants(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, its docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_spec_imports_nothing_else_of_stationcast() -> None:
    """spec/ is the ground floor: importing all of it (in a fresh interpreter) loads no other
    stationcast module, so anything may import it without a cycle."""
    modules = sorted(p.stem for p in (SRC / "spec").glob("*.py") if p.stem != "__init__")
    code = (
        f"import sys\nfor m in {modules!r}: __import__('stationcast.spec.' + m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('stationcast.')"
        " and not m.startswith('stationcast.spec')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def _spellings(value: str) -> set[str]:
    """`value`, and what it holds as a Clark-notation tag prefix or an anchored pattern."""
    found = {value, value.removeprefix("^").removesuffix("$")}
    if value.startswith("{") and value.endswith("}"):
        found.add(value[1:-1])
    return found


def test_facts_are_spelled_out_only_in_spec() -> None:
    """No module outside stationcast/spec/ holds its own copy of a namespace URI, the
    podcast:guid namespace, the chapters type or the XML and UUID patterns."""
    copies = [
        f"{path.relative_to(SRC)}:{line}: {value!r}"
        for path in sorted(SRC.rglob("*.py"))
        if "spec" not in path.relative_to(SRC).parts
        for line, value in _constants(path)
        if _spellings(value) & set(FACTS)
    ]
    assert copies == []


# (model, field, the spec's values it must stay within, or equal when `whole`)
VOCABULARIES = [
    (models.Location, "rel", podcast.LOCATION_RELS, True),
    (models.LiveProgram, "status", podcast.LIVE_STATUSES, True),
    (models.RemoteTranscript, "rel", podcast.TRANSCRIPT_RELS, True),
    (models.Show, "medium", podcast.MEDIUMS, False),
    (models.RemoteFeed, "medium", podcast.MEDIUMS, False),
]


def _literal_values(annotation: object) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    return {v for arg in typing.get_args(annotation) for v in _literal_values(arg)}


@pytest.mark.parametrize(
    ("model", "name", "allowed", "whole"),
    VOCABULARIES,
    ids=[f"{m.__name__}.{n}" for m, n, _, _ in VOCABULARIES],
)
def test_model_vocabularies_follow_the_spec(
    model: type[models.BaseModel], name: str, allowed: tuple[str, ...], whole: bool
) -> None:
    """A manifest field typed as a list of words (for the type checker) offers exactly the
    spec's words, or a choice among them where a show takes only some (a show's medium)."""
    values = _literal_values(model.model_fields[name].annotation)
    if whole:
        assert values == set(allowed)
    else:
        assert values and values <= set(allowed)


# Fixtures whose name fits their content: the feed announces their probed type.
FITTING = sorted(p.name for p in AUDIO_DATA.iterdir() if not p.name.startswith(("bad-", "m4a-")))


@pytest.mark.parametrize("name", FITTING)
def test_media_is_served_as_the_type_the_feed_announces(name: str) -> None:
    """publish and serve send each media file with the MIME type its feed entry gives (an
    .opus file: audio/ogg, as RFC 7845 recommends for Ogg Opus), so the two never differ."""
    assert content_type(f"episode/{name}") == probe_audio(AUDIO_DATA / name).mime_type


@pytest.mark.parametrize("name", [n for n in TRANSCRIPT_FORMATS if n != "html"])
def test_transcripts_are_served_as_the_type_the_feed_announces(name: str) -> None:
    """Each transcript file the build links is served with its podcast:transcript type."""
    fmt = TRANSCRIPT_FORMATS[name]
    assert content_type(f"episode/transcript{fmt.extension}").split(";")[0] == fmt.mime_type
