"""Round trip on real feeds: import each feed of the corpus, build it, compare item for item.

Each feed is built twice: straight after the import, where the build may fail only at the
fields the import listed as TODO(import) (the artwork, which no feed carries as a file), and
with the artwork in place, where it must succeed.

The corpus (tests/importers/corpus/, sources and licences in its SOURCES.md) is real podcasts'
feeds as other feed readers keep them for their own tests. Each is served from 127.0.0.1 and
imported from its URL, as a user would; the imported show is built; then every item the
import kept (not a draft) must come back with the same guid, enclosure and date, the same
visible words in its notes, and every element of the old item either in the rebuilt item or
counted in the import's report. The drafts and the items not imported must be exactly the
ones the report counts, each with its reason in its manifest. ROUNDTRIP.md there is the report
for the whole corpus; `test_round_trip_report_is_current` keeps it in step.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from stationcast.build import build_show
from stationcast.errors import InputError, Problem
from stationcast.importers.feedvalues import short_tag
from support import EXAMPLE, local_http

from .helpers import manifest, stationcast_cli
from .test_notes_text import visible_words

CORPUS = Path(__file__).parent / "corpus"
FEEDS = sorted(p.name.removesuffix(".gz") for p in CORPUS.glob("*.xml.gz"))
# Feeds the import refuses as a whole, with the message it gives (line and column included).
REFUSED = {
    "partytime-no-agenda.xml": "partytime-no-agenda.xml:2761:18: is not well-formed XML: Entity"
    " 'gtgt' not defined",
}
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
# What the build writes anew for every item from the manifest, whatever the old item had:
# itunes:summary is the summary (description), an itunes:title equal to the title is the
# title (one that differs is counted).
REBUILT = {"title", "guid", "pubDate", "enclosure", "description", CONTENT}
REBUILT |= {f"{ITUNES}summary", f"{ITUNES}title"}


def _xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data.lstrip(), parser)


@pytest.fixture(scope="module")
def corpus_server() -> Iterator[str]:
    """The corpus, unpacked, served from 127.0.0.1 (a random port); stopped after the module."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = CORPUS / (self.path.lstrip("/") + ".gz")
            if path.parent != CORPUS or not path.is_file():
                self.send_error(404)
                return
            body = gzip.decompress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with local_http(Handler) as url:
        yield url


@dataclass
class RoundTrip:
    name: str
    source: Any  # the old feed's root element
    report: dict[str, Any]  # `import feed --json`
    episodes: Path
    rebuilt: Any  # the rebuilt feed's root element
    unedited: list[Problem]  # what the build said before any edit (nothing when it built)


def _import(url: str, episodes: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", url, "--episodes", str(episodes), "--allow-private", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module", params=[f for f in FEEDS if f not in REFUSED])
def round_trip(
    request: pytest.FixtureRequest, corpus_server: str, tmp_path_factory: pytest.TempPathFactory
) -> RoundTrip:
    """One feed of the corpus imported from its URL and built, with no edit in between."""
    name = request.param
    folder = tmp_path_factory.mktemp(name.removesuffix(".xml"))
    episodes = folder / "episodes"
    report = _import(corpus_server + name, episodes)
    unedited: list[Problem] = []
    try:  # straight after the import: the only problems are the ones it listed
        build_show(episodes, folder / "unedited", cache=False)
    except InputError as exc:
        unedited = exc.problems
    shutil.copy(EXAMPLE / "artwork.jpg", episodes / "artwork.jpg")  # the edit the report asks
    build_show(episodes, folder / "feeds")
    source = _xml(gzip.decompress((CORPUS / f"{name}.gz").read_bytes()))
    rebuilt = _xml((folder / "feeds" / "feed.xml").read_bytes())
    return RoundTrip(name, source, report, episodes, rebuilt, unedited)


def _guid(item: Any) -> str:
    enclosure = item.find("enclosure")
    return (item.findtext("guid") or "").strip() or (
        enclosure.get("url", "").strip() if enclosure is not None else ""
    )


def _kept(rt: RoundTrip) -> list[tuple[Any, Any]]:
    """(old item, rebuilt item) for every old item the rebuilt feed has."""
    rebuilt = {_guid(item): item for item in rt.rebuilt.iter("item")}
    pairs, seen = [], set()
    for item in rt.source.iter("item"):
        guid = _guid(item)
        if guid in rebuilt and guid not in seen:
            pairs.append((item, rebuilt[guid]))
            seen.add(guid)
    return pairs


def test_every_item_is_kept_drafted_or_refused_as_the_report_counts(round_trip: RoundTrip) -> None:
    """Items read = kept in the rebuilt feed + drafts + not imported, as the report says."""
    rt = round_trip
    items = len(list(rt.source.iter("item")))
    kept = len(_kept(rt))
    assert rt.report["items"] == items
    assert (kept, rt.report["drafted"], rt.report["not_imported"]) == (
        rt.report["imported"] - rt.report["drafted"],
        items - kept - rt.report["not_imported"],
        items - rt.report["imported"],
    )
    for folder in rt.episodes.iterdir():
        data = manifest(folder / "episode.yaml") if folder.is_dir() else None
        if isinstance(data, dict) and data.get("draft"):
            text = (folder / "episode.yaml").read_text(encoding="utf-8")
            assert "TODO(import)" in text, folder  # a draft says what it needs


def test_the_report_names_every_edit_the_build_needs(round_trip: RoundTrip) -> None:
    """Built with no edit at all after the import, the show fails only at fields the import's
    report listed as TODO(import), in the same file: here the artwork, which a feed does not
    carry as a file (and no episode problem at all: an episode that cannot build is a draft).
    With the artwork in place (the one edit), the fixture's build succeeds."""
    todos = {(todo.split(":", 1)[0], todo.split(": ", 2)[1]) for todo in round_trip.report["todos"]}
    assert round_trip.unedited, "the artwork is always missing after an import"
    for problem in round_trip.unedited:
        assert problem.file.endswith("show.yaml"), str(problem)
        assert any(
            Path(problem.file).resolve() == Path(file).resolve() and problem.field == field
            for file, field in todos
        ), str(problem)


def test_guids_enclosures_and_dates_are_identical(round_trip: RoundTrip) -> None:
    """Every kept item has the old guid byte for byte, the same enclosure URL, length and type,
    and a pubDate naming the same instant with the same UTC offset (-0000 is +0000). A length
    the old feed left empty or out is 0, RSS's "unknown"."""
    for old, new in _kept(round_trip):
        assert _guid(new) == _guid(old)
        old_enclosure, new_enclosure = old.find("enclosure"), new.find("enclosure")
        for attr in ("url", "length", "type"):
            if attr == "length" and not (old_enclosure.get(attr) or "").strip():
                assert new_enclosure.get(attr) == "0", _guid(old)
                continue
            if old_enclosure.get(attr) is None:  # no type: taken from the file name, noted
                assert attr == "type" and new_enclosure.get(attr), _guid(old)
                continue
            assert new_enclosure.get(attr) == old_enclosure.get(attr).strip(), (_guid(old), attr)
        when_old = parsedate_to_datetime(old.findtext("pubDate").strip())
        if when_old.tzinfo is None:  # -0000: UTC, the local zone unknown (RFC 5322 3.3)
            when_old = when_old.replace(tzinfo=UTC)
        when_new = parsedate_to_datetime(new.findtext("pubDate").strip())
        assert (when_new, when_new.utcoffset()) == (when_old, when_old.utcoffset()), _guid(old)


def _notes(item: Any) -> str:
    """The item's richest text: content:encoded, else description, else itunes:summary."""
    for tag in (CONTENT, "description", f"{ITUNES}summary"):
        if (item.findtext(tag) or "").strip():
            return str(item.findtext(tag)).strip()
    return ""


def test_notes_show_the_same_words(round_trip: RoundTrip) -> None:
    """The visible text of every kept item's notes (content:encoded, else description, else
    itunes:summary) is the old notes' text, word for word after whitespace normalisation."""
    for old, new in _kept(round_trip):
        if not visible_words(_notes(old)):
            continue  # no text at all: the title is the summary (the import notes it)
        assert visible_words(_notes(new)) == visible_words(_notes(old)), _guid(old)


def test_every_element_is_carried_or_counted(round_trip: RoundTrip) -> None:
    """Each element of an old item is in the rebuilt item, rebuilt by the build from the
    manifest, or counted in the report's "not carried over"."""
    counted = {key.split(" ")[0] for key in round_trip.report["not_carried_over"]}
    missing = set()
    for old, new in _kept(round_trip):
        # By prefix: the build writes podcast: tags in the namespace's current URI.
        present = {short_tag(child.tag) for child in new if isinstance(child.tag, str)}
        for child in old:
            if not isinstance(child.tag, str) or child.tag in REBUILT:
                continue
            if short_tag(child.tag) in present:
                continue
            if short_tag(child.tag) not in counted:
                missing.add((short_tag(child.tag), _guid(old)))
    assert not missing


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_feed_that_is_not_xml_is_refused_with_its_line(name: str, tmp_path: Path) -> None:
    """A real feed that is not well-formed (an undefined entity) is refused as a whole, naming
    the line and column, and nothing is written."""
    (tmp_path / name).write_bytes(gzip.decompress((CORPUS / f"{name}.gz").read_bytes()))
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", str(tmp_path / name), "--episodes", str(tmp_path / "episodes")],
    )
    assert result.exit_code == 1
    assert f"{tmp_path}/{REFUSED[name]}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "episodes").exists()


def _report_table(corpus_server: str, root: Path) -> str:
    lines = [
        "# Round trip on the corpus",
        "",
        "Written by `tests/importers/test_corpus.py` (`STATIONCAST_WRITE_ROUNDTRIP=1` rewrites"
        " it): each feed imported from its URL, then built.",
        "",
        "| feed | items | imported | drafts | not imported | not carried over (element: items) |",
        "|---|---|---|---|---|---|",
    ]
    totals = [0, 0, 0, 0]
    for name in FEEDS:
        if name in REFUSED:
            lines.append(f"| {name} | refused: {REFUSED[name].split(': ', 1)[1]} | | | | |")
            continue
        report = _import(corpus_server + name, root / name / "episodes")
        counts = [report[k] for k in ("items", "imported", "drafted", "not_imported")]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        dropped = ", ".join(f"{k}: {v}" for k, v in report["not_carried_over"].items())
        lines.append(f"| {name} | {' | '.join(map(str, counts))} | {dropped} |")
    lines.append(f"| **all {len(FEEDS)} feeds** | {' | '.join(map(str, totals))} | |")
    return "\n".join(lines) + "\n"


def test_round_trip_report_is_current(corpus_server: str, tmp_path: Path) -> None:
    """ROUNDTRIP.md is what importing the corpus reports today (counts per feed)."""
    import os

    table = _report_table(corpus_server, tmp_path)
    committed = CORPUS / "ROUNDTRIP.md"
    if os.environ.get("STATIONCAST_WRITE_ROUNDTRIP") == "1":
        committed.write_text(table, encoding="utf-8")
    assert committed.read_text(encoding="utf-8") == table
