"""Where `publish` may write: never into the show's sources or the built output, never over or
deleting files at a destination that has no record of this show unless told to, never through
a symlink leading out of a folder destination; and a damaged publish record stops it cleanly.

Every case runs the real CLI in a temporary folder holding a copy of the example show
(`episodes/`) and its committed build (`feeds/`). The refusals are the table CASES below: each
row is one hostile destination, with the exact message it must get.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from support import EXAMPLE_OUTPUT, EXAMPLE_SLUG, tree_digest

from .conftest import FaultProxy, feed_xml

Run = Callable[..., Result]

THIS_SHOW = (
    "podcast:guid d490e970-ce05-5115-8dd9-fdca9f82feda, "
    "feed https://podcasts.example.org/wunc/feed.xml"
)
OTHER_GUID = "0b7e33a6-52d3-5a5b-9a5e-0ad0ab3b7a11"
OTHER_FEED = "https://radio.example.net/other/feed.xml"
NO_RECORD = "has no record of a publish of this show (no .stationcast/published.json)"
RECORD = ".stationcast/published.json"
SYMLINK_TAIL = "publish never writes or deletes through a symlink at the destination"


@pytest.fixture
def home(show: Path, tmp_path: Path) -> Path:
    """tmp_path holding episodes/ (the example show) and feeds/ (its committed build)."""
    shutil.copytree(EXAMPLE_OUTPUT, tmp_path / "feeds")
    # The committed build is the build of these sources: it is newer than them, as after a
    # `stationcast build` (a checkout gives files arbitrary times; publish compares them).
    os.utime(tmp_path / "feeds")
    return tmp_path


def publish(run: Run, *args: str) -> Result:
    return run("publish", "--no-ping", *args)


def _other_record(folder: Path, guids: list[str] | None = None) -> None:
    """Another show's publish record, as stationcast writes it."""
    (folder / ".stationcast").mkdir(parents=True, exist_ok=True)
    record = {
        "format": "stationcast-published/1",
        "show": {"podcast_guid": OTHER_GUID, "feed_url": OTHER_FEED},
        "feed": {"path": "feed.xml", "guids": guids or []},
        "files": {},
    }
    (folder / ".stationcast" / "published.json").write_text(json.dumps(record), encoding="utf-8")


# --- setups: each prepares tmp_path (the current folder) for one row ------------------------


def _nothing(tmp: Path) -> None:
    pass


def _link_to_sources(tmp: Path) -> None:
    (tmp / "link").symlink_to(tmp / "episodes", target_is_directory=True)


def _sources_in_a_subfolder(tmp: Path) -> None:
    (tmp / "shows").mkdir()
    (tmp / "episodes").rename(tmp / "shows" / "wunc")


def _output_in_a_subfolder(tmp: Path) -> None:
    (tmp / "site").mkdir()
    (tmp / "feeds").rename(tmp / "site" / "feeds")


def _unknown_folder(tmp: Path) -> None:
    (tmp / "other").mkdir()
    for i in range(20):
        (tmp / "other" / f"f{i:02}.txt").write_text(f"unrelated file {i}\n", encoding="utf-8")


def _differing_same_named_file(tmp: Path) -> None:
    (tmp / "www").mkdir()
    (tmp / "www" / "index.html").write_text("<p>the station's website</p>", encoding="utf-8")


def _other_show(tmp: Path) -> None:
    www = tmp / "www"
    _other_record(www)
    (www / "feed.xml").write_bytes(feed_xml(None, []))
    (www / "other-episode").mkdir()
    (www / "other-episode" / "audio.mp3").write_bytes(b"ID3 another show")


def _other_show_with_episodes(tmp: Path) -> None:
    www = tmp / "www"
    _other_record(www, guids=["other-episode"])
    (www / "feed.xml").write_bytes(feed_xml(None, ["other-episode"]))


def _outside(tmp: Path) -> Path:
    (tmp / "outside").mkdir(exist_ok=True)
    (tmp / "outside" / "x.xml").write_text("<not-yours/>", encoding="utf-8")
    (tmp / "www").mkdir(exist_ok=True)
    return tmp / "outside"


def _feed_links_out(tmp: Path) -> None:
    (tmp / "www" / "feed.xml").symlink_to(_outside(tmp) / "x.xml")


def _episode_folder_links_out(tmp: Path) -> None:
    (tmp / "www" / EXAMPLE_SLUG).symlink_to(_outside(tmp), target_is_directory=True)


def _state_folder_links_out(tmp: Path) -> None:
    (tmp / "www" / ".stationcast").symlink_to(_outside(tmp), target_is_directory=True)


def _episode_folder_links_within(tmp: Path) -> None:
    (tmp / "www" / "real").mkdir(parents=True)
    (tmp / "www" / EXAMPLE_SLUG).symlink_to("real", target_is_directory=True)


def _episode_folder_links_into_sources(tmp: Path) -> None:
    (tmp / "www").mkdir()
    (tmp / "www" / EXAMPLE_SLUG).symlink_to(Path("..") / "episodes" / EXAMPLE_SLUG)


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[Path], None]
    args: tuple[str, ...]
    message: str  # the whole of stderr, "{tmp}" standing for the temporary folder
    dest: str | None = None  # the destination folder to prove untouched, relative to tmp


SOURCES = "error: --to {to}: refusing to publish {how} the show's sources ({src}/); {then}\n"
OUTPUT = "error: --to {to}: refusing to publish {how} the built output ({out}/); {then}\n"
OUTSIDE_THEM = "give a destination outside them"
OUTSIDE_IT = "give a destination outside it"
OWN = "give a folder of its own"

CASES = [
    Case(
        "to the sources",
        _nothing,
        ("--to", "episodes"),
        SOURCES.format(to="episodes", how="into", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "to the sources with --delete",
        _nothing,
        ("--to", "episodes", "--delete"),
        SOURCES.format(to="episodes", how="into", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "into an episode folder of the sources",
        _nothing,
        ("--to", f"episodes/{EXAMPLE_SLUG}"),
        SOURCES.format(
            to=f"episodes/{EXAMPLE_SLUG}", how="inside", src="episodes", then=OUTSIDE_THEM
        ),
    ),
    Case(
        "into a new folder inside the sources",
        _nothing,
        ("--to", "episodes/www"),
        SOURCES.format(to="episodes/www", how="inside", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "to the sources by a path with ..",
        _nothing,
        ("--to", "feeds/../episodes"),
        SOURCES.format(to="feeds/../episodes", how="into", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "to the sources by a file:// URL",
        _nothing,
        ("--to", "file://{tmp}/episodes"),
        SOURCES.format(to="file://{tmp}/episodes", how="into", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "via a symlink to the sources",
        _link_to_sources,
        ("--to", "link", "--delete"),
        SOURCES.format(to="link", how="into", src="episodes", then=OUTSIDE_THEM),
    ),
    Case(
        "to the folder holding the sources and the output",
        _nothing,
        ("--to", "."),
        SOURCES.format(to=".", how="into a folder that holds", src="episodes", then=OWN),
    ),
    Case(
        "to a parent holding the sources (--episodes)",
        _sources_in_a_subfolder,
        ("--to", "shows", "--episodes", "shows/wunc"),
        SOURCES.format(to="shows", how="into a folder that holds", src="shows/wunc", then=OWN),
    ),
    Case(
        "to the output itself",
        _nothing,
        ("--to", "feeds", "--delete"),
        OUTPUT.format(to="feeds", how="into", out="feeds", then=OUTSIDE_IT),
    ),
    Case(
        "into a folder inside the output",
        _nothing,
        ("--to", "feeds/www"),
        OUTPUT.format(to="feeds/www", how="inside", out="feeds", then=OUTSIDE_IT),
    ),
    Case(
        "to a parent holding the output (--out)",
        _output_in_a_subfolder,
        ("--to", "site", "--out", "site/feeds"),
        OUTPUT.format(to="site", how="into a folder that holds", out="site/feeds", then=OWN),
    ),
    Case(
        "--delete into an unknown non-empty folder",
        _unknown_folder,
        ("--to", "other", "--delete"),
        f"error: --delete: {{tmp}}/other {NO_RECORD}, and it holds 20 files the build does not "
        "have (f00.txt, f01.txt, f02.txt, f03.txt, f04.txt ...) that are not this show's to "
        "delete. Check --to; to delete them anyway, add --delete-unknown. Nothing was uploaded.\n",
        dest="other",
    ),
    Case(
        "an unknown folder with a differing same-named file",
        _differing_same_named_file,
        ("--to", "www"),
        f"error: {{tmp}}/www {NO_RECORD}, and 1 file there differs from the build (index.html): "
        "publishing would overwrite it. Check --to; to replace it, add --overwrite-unknown. "
        "Nothing was uploaded.\n",
        dest="www",
    ),
    Case(
        "a record from another show, with --delete",
        _other_show,
        ("--to", "www", "--delete"),
        "error: {tmp}/www holds the publish record of another show (.stationcast/published.json "
        f"is for podcast:guid {OTHER_GUID}, feed {OTHER_FEED}; this build is {THIS_SHOW}), and 1 "
        "file there differs from the build (feed.xml): publishing would overwrite it. Check --to; "
        "to replace it, add --overwrite-unknown; and --delete: {tmp}/www holds the publish record "
        f"of another show (.stationcast/published.json is for podcast:guid {OTHER_GUID}, feed "
        f"{OTHER_FEED}; this build is {THIS_SHOW}), and it holds 1 file the build does not have "
        "(other-episode/audio.mp3) that is not this show's to delete. Check --to; to delete it "
        "anyway, add --delete-unknown. Nothing was uploaded.\n",
        dest="www",
    ),
    Case(
        "a record from another show, even with --overwrite-unknown",
        _other_show_with_episodes,
        ("--to", "www", "--overwrite-unknown"),
        "error: the new feed would unpublish 1 episode that {tmp}/www has published "
        "(other-episode); podcast apps would delete them. Build from the complete episodes/, or "
        "pass --allow-removal if removing them is intended. Nothing was uploaded.\n",
        dest="www",
    ),
    Case(
        "feed.xml at the destination links out of it",
        _feed_links_out,
        ("--to", "www"),
        "error: {tmp}/www/feed.xml is a symlink leading outside {tmp}/www (to {tmp}/outside/x.xml)"
        f"; {SYMLINK_TAIL}. Replace it with a real file, or remove it, and rerun\n",
        dest="www",
    ),
    Case(
        "an episode folder at the destination links out of it",
        _episode_folder_links_out,
        ("--to", "www", "--delete"),
        f"error: {{tmp}}/www/{EXAMPLE_SLUG} is a symlink leading outside {{tmp}}/www (to "
        f"{{tmp}}/outside); {SYMLINK_TAIL}. Replace it with a real folder, or remove it, and "
        "rerun\n",
        dest="www",
    ),
    Case(
        "the destination's .stationcast links out of it",
        _state_folder_links_out,
        ("--to", "www"),
        "error: {tmp}/www/.stationcast is a symlink leading outside {tmp}/www (to "
        f"{{tmp}}/outside); {SYMLINK_TAIL}. Replace it with a real folder, or remove it, and "
        "rerun\n",
        dest="www",
    ),
    Case(
        "an episode folder at the destination links within it",
        _episode_folder_links_within,
        ("--to", "www"),
        f"error: {{tmp}}/www/{EXAMPLE_SLUG} is a symlink (to real); {SYMLINK_TAIL}. Replace it "
        "with a real folder, or remove it, and rerun\n",
        dest="www",
    ),
    Case(
        "an episode folder at the destination links into the sources",
        _episode_folder_links_into_sources,
        ("--to", "www"),
        f"error: {{tmp}}/www/{EXAMPLE_SLUG} is a symlink leading outside {{tmp}}/www (to "
        f"../episodes/{EXAMPLE_SLUG}); {SYMLINK_TAIL}. Replace it with a real folder, or remove "
        "it, and rerun\n",
        dest="www",
    ),
]


def _digests(tmp: Path) -> dict[str, dict[str, str]]:
    """Every regular file under tmp, per top-level folder (symlinks not followed)."""
    found: dict[str, dict[str, str]] = {}
    for top in sorted(tmp.iterdir()):
        if top.is_dir() and not top.is_symlink():
            found[top.name] = tree_digest(top)
    return found


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_refused_destination(home: Path, run: Run, case: Case) -> None:
    """The destination is refused with the exact message, exit 1, and nothing anywhere (the
    sources, the output, the destination, the folders links lead to) changes."""
    case.setup(home)
    before = _digests(home)
    listing = sorted(p.relative_to(home).as_posix() for p in home.rglob("*"))
    result = publish(run, *(a.format(tmp=home) for a in case.args))
    assert result.exit_code == 1, result.output
    assert result.stderr == case.message.format(tmp=home)
    assert "Traceback" not in result.output
    assert _digests(home) == before
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == listing


# --- what the flags allow, and what needs no flag -------------------------------------------


def test_delete_unknown_deletes_the_unknown_files(home: Path, run: Run) -> None:
    """--delete --delete-unknown at a folder with no record deletes what the build lacks."""
    _unknown_folder(home)
    sources = tree_digest(home / "episodes")
    result = publish(run, "--to", "other", "--delete", "--delete-unknown")
    assert result.exit_code == 0, result.output
    assert "Published: 11 uploaded, 0 unchanged, 20 deleted." in result.output
    assert tree_digest(home / "other") == tree_digest(home / "feeds") | {
        ".stationcast/published.json": tree_digest(home / "other")[".stationcast/published.json"]
    }
    assert tree_digest(home / "episodes") == sources


def test_delete_unknown_needs_delete(home: Path, run: Run) -> None:
    """--delete-unknown alone is a bad command line (exit 2) and touches nothing."""
    _unknown_folder(home)
    before = tree_digest(home / "other")
    result = publish(run, "--to", "other", "--delete-unknown")
    assert result.exit_code == 2
    assert "--delete-unknown applies with --delete only" in result.stderr
    assert tree_digest(home / "other") == before


def test_overwrite_unknown_replaces_differing_files(home: Path, run: Run) -> None:
    """--overwrite-unknown replaces a differing same-named file at a folder with no record."""
    _differing_same_named_file(home)
    result = publish(run, "--to", "www", "--overwrite-unknown")
    assert result.exit_code == 0, result.output
    assert (home / "www" / "index.html").read_bytes() == (
        home / "feeds" / "index.html"
    ).read_bytes()


def test_unknown_files_are_kept_with_a_warning(home: Path, run: Run) -> None:
    """A folder with no record and no clashing files is published into; its own files stay,
    with a warning, and a later --delete keeps them (they are recorded as not this show's)."""
    _unknown_folder(home)
    theirs = tree_digest(home / "other")
    result = publish(run, "--to", "other")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {home}/other {NO_RECORD}; the 20 files there that the build does not have "
        "are kept, and recorded as not this show's, so a later --delete keeps them too\n"
    )
    assert "unknown   f00.txt (kept; not published by this show)" in result.output
    record = json.loads((home / "other/.stationcast/published.json").read_text(encoding="utf-8"))
    assert record["foreign"] == sorted(theirs)

    again = publish(run, "--to", "other", "--delete")
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    assert "0 to delete, 20 unknown (kept)" in again.output
    assert {k: v for k, v in tree_digest(home / "other").items() if k in theirs} == theirs


def test_identical_files_of_an_unknown_folder_are_adopted(home: Path, run: Run) -> None:
    """A folder already holding the same bytes (published by another tool) needs no flag:
    nothing is overwritten, the identical files count as unchanged and are recorded."""
    shutil.copytree(home / "feeds", home / "www")
    result = publish(run, "--to", "www", "--delete")
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 11 unchanged, 0 to delete" in result.output
    record = json.loads((home / "www/.stationcast/published.json").read_text(encoding="utf-8"))
    assert sorted(record["files"]) == sorted(tree_digest(home / "feeds"))


@pytest.mark.parametrize("exists", [False, True], ids=["new folder", "empty folder"])
def test_first_publish_with_delete_needs_no_flag(home: Path, run: Run, exists: bool) -> None:
    """--delete into a new or empty folder: nothing to delete, so no --delete-unknown."""
    if exists:
        (home / "www").mkdir()
    result = publish(run, "--to", "www", "--delete")
    assert result.exit_code == 0, result.output
    assert "Published: 11 uploaded, 0 unchanged, 0 deleted." in result.output


def test_record_of_this_show_allows_delete(home: Path, run: Run) -> None:
    """After a publish, --delete removes a file the build no longer has (the record names
    this show by its podcast:guid)."""
    assert publish(run, "--to", "www").exit_code == 0
    record = json.loads((home / "www/.stationcast/published.json").read_text(encoding="utf-8"))
    assert record["show"] == {
        "podcast_guid": "d490e970-ce05-5115-8dd9-fdca9f82feda",
        "feed_url": "https://podcasts.example.org/wunc/feed.xml",
    }
    (home / "www" / "old.html").write_text("<p>old</p>", encoding="utf-8")
    result = publish(run, "--to", "www", "--delete")
    assert result.exit_code == 0, result.output
    assert "deleted  old.html" in result.output
    assert not (home / "www" / "old.html").exists()


def test_record_without_show_is_matched_by_the_destination_state(home: Path, run: Run) -> None:
    """A record written before it named the show counts as this show's when the destination's
    own state file (published with it) has this show's podcast:guid; it is then upgraded."""
    assert publish(run, "--to", "www").exit_code == 0
    path = home / "www/.stationcast/published.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["show"]
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (home / "www" / "old.html").write_text("<p>old</p>", encoding="utf-8")
    result = publish(run, "--to", "www", "--delete")
    assert result.exit_code == 0, result.output
    assert not (home / "www" / "old.html").exists()
    assert "show" in json.loads(path.read_text(encoding="utf-8"))


def test_delete_never_follows_symlinks(home: Path, run: Run) -> None:
    """--delete at this show's folder leaves links it did not publish, and what they lead to,
    alone: a linked folder is not descended into, a linked file is not followed."""
    assert publish(run, "--to", "www").exit_code == 0
    outside = _outside(home)
    (outside / "old").mkdir()
    (outside / "old" / "audio.mp3").write_bytes(b"ID3 not yours")
    (home / "www" / "old").symlink_to(outside / "old", target_is_directory=True)
    (home / "www" / "stale.xml").symlink_to(outside / "x.xml")
    before = tree_digest(outside)
    result = publish(run, "--to", "www", "--delete")
    assert result.exit_code == 0, result.output
    assert "deleted" not in result.output
    assert tree_digest(outside) == before
    assert (home / "www" / "old").is_symlink() and (home / "www" / "stale.xml").is_symlink()


# --- S3: the source checks do not apply, the record check does ------------------------------


def test_s3_delete_into_unknown_prefix_refused(
    home: Path, run: Run, bucket: str, s3_proxy: FaultProxy, s3: Any
) -> None:
    """--delete into an S3 prefix holding objects but no record of this show: refused before
    any PUT or DELETE reaches the server."""
    s3.put_object(Bucket=bucket, Key="shows/wunc/other.txt", Body=b"someone else's")
    result = publish(
        run, "--to", f"s3://{bucket}/shows/wunc", "--endpoint-url", s3_proxy.url, "--delete"
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: --delete: s3://{bucket}/shows/wunc {NO_RECORD}, and it holds 1 file the build "
        "does not have (other.txt) that is not this show's to delete. Check --to; to delete it "
        "anyway, add --delete-unknown. Nothing was uploaded.\n"
    )
    assert "Traceback" not in result.output
    assert s3_proxy.puts == [] and s3_proxy.deletes == []


def test_s3_prefix_with_identical_objects_is_adopted(
    home: Path, run: Run, bucket: str, s3_proxy: FaultProxy, s3: Any
) -> None:
    """An S3 prefix already holding the build's bytes (uploaded by another tool) is compared
    object by object: nothing is overwritten, and only the publish record is written."""
    for path in sorted((home / "feeds").rglob("*")):
        if path.is_file():
            key = f"shows/wunc/{path.relative_to(home / 'feeds').as_posix()}"
            s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
    result = publish(
        run, "--to", f"s3://{bucket}/shows/wunc", "--endpoint-url", s3_proxy.url, "--delete"
    )
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 11 unchanged, 0 to delete" in result.output
    assert s3_proxy.puts == [f"/{bucket}/shows/wunc/{RECORD}"]
    assert s3_proxy.deletes == []


# --- a damaged publish record at the destination --------------------------------------------

GOOD_SHA = "0" * 64
HINT = (
    ". Nothing was uploaded or deleted; if the destination is right, move it aside to publish "
    "as if for the first time"
)
EXPECTED = "expected the JSON object `stationcast publish` writes there"


def _record(**fields: Any) -> bytes:
    body: dict[str, Any] = {"format": "stationcast-published/1", "feed": {"guids": []}}
    body.update(fields)
    return json.dumps(body).encode()


# (what, the bytes of published.json, the message after "<path>: ")
RECORD_CASES: list[tuple[str, bytes, str]] = [
    (
        "not JSON",
        b"{nope",
        f"not valid JSON (Expecting property name enclosed in double quotes: "
        f"line 1 column 2 (char 1)); {EXPECTED}",
    ),
    ("empty", b"", f"the file is empty; {EXPECTED}"),
    (
        "not UTF-8",
        b'{"format": "\xff"}',
        f"not valid JSON ('utf-8' codec can't decode byte 0xff "
        f"in position 12: invalid start byte); {EXPECTED}",
    ),
    ("a JSON string", b'"stationcast-published/1"', f"a string, not an object; {EXPECTED}"),
    ("a JSON array", b"[]", f"an array, not an object; {EXPECTED}"),
    (
        "nested 100,000 deep",
        b"[" * 100_000 + b"]" * 100_000,
        f"nested too deeply to read; {EXPECTED}",
    ),
    (
        "object nested 100,000 deep",
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        f"nested too deeply to read; {EXPECTED}",
    ),
    (
        "no format",
        b'{"files": {}}',
        'format: missing, not "stationcast-published/1": it was '
        "not written by this version of stationcast",
    ),
    (
        "another format",
        _record(format="stationcast-published/9"),
        'format: "stationcast-'
        'published/9", not "stationcast-published/1": it was not written by this version of '
        "stationcast",
    ),
    (
        "format a number",
        _record(format=1),
        'format: a number, not "stationcast-published/1": it '
        "was not written by this version of stationcast",
    ),
    (
        "files a list",
        _record(files=[]),
        "files: an array; expected an object of file path -> {sha256, size}",
    ),
    (
        "file entry a string",
        _record(files={"feed.xml": "abc"}),
        'files["feed.xml"]: a string; expected an object with sha256 and size',
    ),
    (
        "size a string",
        _record(files={"feed.xml": {"sha256": GOOD_SHA, "size": "12"}}),
        'files["feed.xml"].size: a string; expected a size in bytes',
    ),
    (
        "size true",
        _record(files={"feed.xml": {"sha256": GOOD_SHA, "size": True}}),
        'files["feed.xml"].size: true/false; expected a size in bytes',
    ),
    (
        "size negative",
        _record(files={"feed.xml": {"sha256": GOOD_SHA, "size": -1}}),
        'files["feed.xml"].size: -1; expected a size in bytes (0 or more)',
    ),
    (
        "sha256 a number",
        _record(files={"feed.xml": {"sha256": 7, "size": 1}}),
        'files["feed.xml"].sha256: a number; expected 64 hex digits',
    ),
    (
        "sha256 not hex",
        _record(files={"feed.xml": {"sha256": "z" * 64, "size": 1}}),
        f'files["feed.xml"].sha256: "{"z" * 64}"; expected 64 hex digits',
    ),
    (
        "feed a string",
        _record(feed="feed.xml"),
        "feed: a string; expected an object with the feed's guids",
    ),
    (
        "guids a string",
        _record(feed={"guids": "abc"}),
        "feed.guids: a string; expected an array of episode GUIDs",
    ),
    (
        "guid a number",
        _record(feed={"guids": ["a", 2]}),
        "feed.guids[1]: a number; expected an episode GUID (a string)",
    ),
    (
        "show a list",
        _record(show=[]),
        "show: an array; expected an object with podcast_guid, feed_url",
    ),
    (
        "show guid a number",
        _record(show={"podcast_guid": 5}),
        "show.podcast_guid: a number; expected a string or null",
    ),
    (
        "foreign an object",
        _record(foreign={}),
        "foreign: an object; expected an array of file paths",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [c[1:] for c in RECORD_CASES], ids=[c[0] for c in RECORD_CASES]
)
def test_damaged_record_is_a_located_error(home: Path, run: Run, data: bytes, message: str) -> None:
    """A published.json that is not the record stationcast writes: exit 1, the file, the
    field and what was expected, and nothing uploaded or deleted (even with --delete)."""
    (home / "www" / ".stationcast").mkdir(parents=True)
    (home / "www" / RECORD).write_bytes(data)
    (home / "www" / "old.html").write_text("<p>old</p>", encoding="utf-8")
    before = _digests(home)
    result = publish(run, "--to", "www", "--delete", "--delete-unknown", "--overwrite-unknown")
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {home}/www/{RECORD}: {message}{HINT}\n"
    assert "Traceback" not in result.output
    assert _digests(home) == before


def test_damaged_record_on_s3_names_the_object(
    home: Path, run: Run, bucket: str, s3_proxy: FaultProxy, s3: Any
) -> None:
    """On S3 the message names the object by its s3:// URL; no PUT or DELETE is sent."""
    s3.put_object(Bucket=bucket, Key=f"shows/wunc/{RECORD}", Body=b'"a string"')
    result = publish(
        run, "--to", f"s3://{bucket}/shows/wunc", "--endpoint-url", s3_proxy.url, "--delete"
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"error: s3://{bucket}/shows/wunc/{RECORD}: a string, not an object; {EXPECTED}{HINT}\n"
    )
    assert s3_proxy.puts == [] and s3_proxy.deletes == []
