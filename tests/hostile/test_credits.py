"""Manifests with thousands of credits or hosts: refused at their line, quickly.

An episode may credit at most 1,000 people and a show may list at most 100 hosts
(docs/feed.md says why). The real command runs in its own process with a timeout, so a build
whose cost grows faster than its credits fails here instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from stationcast.manifest import MAX_MANIFEST_BYTES
from support import EXAMPLE_SLUG, tree_digest

EPISODE = f"episodes/{EXAMPLE_SLUG}/episode.yaml"
GUARD = 60  # seconds: a guard against a hang, not a performance assertion
CREDITS_HINT = "credit the people heard or named in the episode; a longer roll belongs in the notes"
HOSTS_HINT = "list the regular hosts here and credit the others on their episodes"

# (what, manifest, list key, how many, expected message after "FILE:LINE:COL: ")
REFUSED = [
    (
        "one credit over the cap",
        EPISODE,
        "credits",
        1_001,
        f"credits: 1,001 credits; an episode may have at most 1,000 ({CREDITS_HINT})",
    ),
    (
        "30,000 credits, under the manifest size cap",
        EPISODE,
        "credits",
        30_000,
        f"credits: 30,000 credits; an episode may have at most 1,000 ({CREDITS_HINT})",
    ),
    (
        "one host over the cap",
        "episodes/show.yaml",
        "hosts",
        101,
        f"hosts: 101 hosts; a show may have at most 100 ({HOSTS_HINT})",
    ),
    (
        "30,000 hosts",
        "episodes/show.yaml",
        "hosts",
        30_000,
        f"hosts: 30,000 hosts; a show may have at most 100 ({HOSTS_HINT})",
    ),
]


def _people(count: int) -> str:
    return "".join(f"  - {{name: Person {n:05d}}}\n" for n in range(count))


def _set_list(manifest: Path, key: str, count: int) -> int:
    """Replace (or add) the manifest's `key:` list with `count` people; returns its line."""
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    if f"{key}:\n" in lines:
        at = lines.index(f"{key}:\n")
        end = at + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        del lines[at:end]
    else:
        at = len(lines)
    lines[at:at] = [f"{key}:\n", _people(count)]
    manifest.write_text("".join(lines), encoding="utf-8")
    assert manifest.stat().st_size < MAX_MANIFEST_BYTES  # the size cap is not what refuses it
    return at + 1


def _stationcast(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process; killed (and the test failed) after GUARD s."""
    return subprocess.run(
        [sys.executable, "-m", "stationcast", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GUARD,
    )


@pytest.mark.parametrize(
    ("what", "manifest", "key", "count", "expected"), REFUSED, ids=[c[0] for c in REFUSED]
)
def test_too_many_people_are_refused_at_their_line(
    what: str,
    manifest: str,
    key: str,
    count: int,
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
) -> None:
    """More people than the cap: one located error at the list's key, exit 1, no traceback,
    feeds/ and the manifests untouched."""
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    line = _set_list(tmp_path / manifest, key, count)
    sources = tree_digest(show)
    done = _stationcast(tmp_path, "build")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    summary = "error: 1 problem in 1 file; nothing was written to feeds/"
    assert done.stderr == f"{manifest}:{line}:1: {expected}\n{summary}\n"
    assert tree_digest(tmp_path / "feeds") == before
    assert tree_digest(show) == sources


def test_credits_at_the_cap_build(show: Path, tmp_path: Path) -> None:
    """1,000 credits, the most allowed, build: the episode carries every one of them as a
    podcast:person, after the two the transcript needs and before no others."""
    manifest = tmp_path / EPISODE
    text = manifest.read_text(encoding="utf-8")
    marker = "    title: Head of the International Centre for the Study of Radicalisation\n"
    assert marker in text
    manifest.write_text(text.replace(marker, marker + _people(998), 1), encoding="utf-8")
    done = _stationcast(tmp_path, "build")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    feed = etree.parse(str(tmp_path / "feeds" / "feed.xml"))
    names = feed.xpath(
        "/rss/channel/item/podcast:person/text()",
        namespaces={"podcast": "https://podcastindex.org/namespace/1.0"},
    )
    assert names == ["Kelly McEvers", "Peter Neumann"] + [f"Person {n:05d}" for n in range(998)]
