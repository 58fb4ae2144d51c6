"""`stationcast validate` through click's CliRunner: exit codes and every output format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from stationcast.cli.validate import validate_command
from stationcast.inputs import STATE_FILE
from stationcast.validate import RULES

from . import corpus
from .conftest import CLEAN

GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,title=[^,:]+::\S.*$")


@pytest.fixture
def out_dir(site: Path) -> Path:
    """The test site as a built output folder (with the build's state file), with the feed
    at its root."""
    (site / STATE_FILE).parent.mkdir(exist_ok=True)
    (site / STATE_FILE).write_text('{"episodes": []}', encoding="utf-8")
    return site


def feed_in(out_dir: Path, data: bytes) -> str:
    path = out_dir / "feed.xml"
    path.write_bytes(data)
    return str(path)


def invoke(*args: str, color: bool = False) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(validate_command, list(args), color=color)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def broken(rule: str) -> bytes:
    return (corpus.BROKEN / f"{rule}.xml").read_bytes()


def test_clean_feed_exits_0(out_dir: Path) -> None:
    """A clean feed: exit 0, a one-line summary, nothing else."""
    # pubDates in 2015 are in the past for the real clock too.
    code, out, _ = invoke(feed_in(out_dir, CLEAN.read_bytes()))
    assert code == 0
    assert out.strip().endswith("0 errors, 0 warnings, 0 info (3 items, profile all)")


def test_errors_exit_1_with_file_line_locations(out_dir: Path) -> None:
    """An error: exit 1, grouped under 'Errors', located as feed.xml:LINE, with a hint."""
    path = feed_in(out_dir, broken("apple.image.size"))
    code, out, _ = invoke(path)
    assert code == 1
    assert out.startswith("Errors (1)\n")
    assert re.search(
        rf"^  {re.escape(path)}:17: apple.image.size: artwork .*1000×1000 px", out, re.M
    )
    assert "      hint: Export square artwork" in out
    assert "      rule: src/stationcast/validate/RULES.md#apple.image.size" in out


def test_warnings_pass_unless_strict(out_dir: Path) -> None:
    path = feed_in(out_dir, broken("psp1.locked.missing"))
    code, out, _ = invoke(path)
    assert code == 0
    assert "Warnings (1)" in out
    assert invoke(path, "--strict")[0] == 1


def test_info_never_fails(out_dir: Path) -> None:
    path = feed_in(out_dir, broken("apple.owner"))
    assert invoke(path, "--strict")[0] == 0


def test_profile_filters_rules(out_dir: Path) -> None:
    """--profile apple ignores a PSP-1-only rule; --profile psp1 reports it."""
    path = feed_in(out_dir, broken("psp1.self.missing"))
    assert invoke(path, "--profile", "apple")[0] == 0
    assert invoke(path, "--profile", "psp1")[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["no/such/feed.xml"],
        ["ftp://example.org/feed.xml"],
        ["file:///etc/passwd"],
        ["--format", "yaml", "x.xml"],
        ["--profile", "google", "x.xml"],
        ["--bogus"],
    ],
)
def test_usage_problems_exit_2(args: list[str]) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert "Error" in err


def test_default_feed_path(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without FEED, feeds/feed.xml is validated (its folder is the local root)."""
    monkeypatch.chdir(tmp_path)
    assert invoke()[0] == 2  # no feeds/feed.xml yet
    shutil.copytree(site, tmp_path / "feeds")
    shutil.copy(CLEAN, tmp_path / "feeds" / "feed.xml")
    code, out, _ = invoke()
    assert code == 0
    assert "feeds/feed.xml" in out


def test_json_format(out_dir: Path) -> None:
    path = feed_in(out_dir, broken("rss.guid.duplicate"))
    code, out, _ = invoke(path, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False
    assert doc["counts"] == {"error": 1, "warning": 0, "info": 0}
    [f] = doc["findings"]
    assert f["rule"] == "rss.guid.duplicate" and f["severity"] == "error"
    assert isinstance(f["line"], int) and f["element"] == "guid" and f["hint"]
    rule = RULES["rss.guid.duplicate"]
    assert f["doc"] == "src/stationcast/validate/RULES.md#rss.guid.duplicate"
    assert f["source"] == rule.source


def test_github_format(out_dir: Path) -> None:
    """GitHub Actions annotations: ::error file=…,line=…::message."""
    path = feed_in(out_dir, broken("rss.enclosure.length-zero"))
    code, out, _ = invoke(path, "--format", "github")
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert GITHUB_LINE.match(line), line
    assert any(line.startswith(f"::error file={path},line=") for line in lines)
    assert any(line.startswith("::warning ") for line in lines)
    hint = RULES["rss.enclosure.length-zero"].hint
    assert f"%0AFix: {hint.replace('%', '%25')}%0ARule: " in out
    assert "%0ARule: src/stationcast/validate/RULES.md#rss.enclosure.length-zero" in out


def test_junit_format(out_dir: Path) -> None:
    """JUnit XML parses; one test case per rule in the profile, failures for what fired."""
    path = feed_in(out_dir, broken("apple.enclosure.size"))
    code, out, _ = invoke(path, "--format", "junit")
    assert code == 1
    root = etree.fromstring(out.encode())
    suite = root.find("testsuite")
    assert suite is not None
    assert int(suite.get("tests")) == len(RULES)
    assert suite.get("failures") == "1"
    [failure] = suite.iter("failure")
    assert failure.getparent().get("name") == "apple.enclosure.size"


def test_hostile_text_is_escaped_in_every_format(out_dir: Path) -> None:
    """F21: C1 controls and bidi overrides from the feed never reach the terminal raw."""
    data = CLEAN.read_bytes().replace(
        b"<title>Beach Towns", "<title>Episode 1 \u009b31m\u202e Beach Towns".encode()
    )
    path = feed_in(out_dir, data)
    for fmt in ("text", "json", "github", "junit"):
        _, out, _ = invoke(path, "--format", fmt, color=True)
        assert "\u009b" not in out and "\u202e" not in out, fmt
        assert "x9b31m" in out, fmt


def test_colour_only_on_a_terminal(out_dir: Path) -> None:
    path = feed_in(out_dir, broken("apple.image.size"))
    assert "\x1b[" not in invoke(path)[1]
    assert "\x1b[31m" in invoke(path, color=True)[1]


def test_list_rules() -> None:
    code, out, _ = invoke("--list-rules")
    assert code == 0
    for rule in RULES:
        assert re.search(rf"^{re.escape(rule)} ", out, re.M), rule
    assert f"{len(RULES)} rules" in out
    code, out, _ = invoke("--list-rules", "--profile", "apple")
    assert "apple.image.size" in out and "psp1.self.missing" not in out


def test_help_has_short_option() -> None:
    code, out, _ = invoke("-h")
    assert code == 0
    assert "--allow-private" in out and "--state" in out


def test_state_option(out_dir: Path, tmp_path: Path) -> None:
    """--state: an episode that vanished since the last build fails the feed."""
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "episodes": [
                    {
                        "guid": "gone-1",
                        "enclosure": "https://station.example/show/gone.mp3",
                        "slug": "gone",
                    }
                ]
            }
        )
    )
    path = feed_in(out_dir, CLEAN.read_bytes())
    code, out, _ = invoke(path, "--state", str(state))
    assert code == 1
    assert "state.episode.vanished" in out and "'gone'" in out


def test_url_with_local_server(out_dir: Path) -> None:
    """A URL is fetched (with --allow-private for 127.0.0.1) and remote checks run by default."""
    from remote_server import Route, serve

    with serve() as srv:
        # Every linked file is on the test server (and missing there): no other host is contacted.
        feed = CLEAN.read_bytes().replace(b"https://station.example/show/", srv.url("/").encode())
        srv.routes["/feed.xml"] = Route(feed, "application/rss+xml")
        code, out, _ = invoke(srv.url("/feed.xml"))
        assert code == 1 and "http.address" in out
        code, out, _ = invoke(srv.url("/feed.xml"), "--allow-private", "--format", "json")
        rules = {f["rule"] for f in json.loads(out)["findings"]}
        assert "http.head" not in rules
        assert any(m == "HEAD" for m, _, _ in srv.requests)
        assert "http.unreachable" in rules  # the server has no artwork or audio


def test_private_url_refused_by_default() -> None:
    """`validate http://127.0.0.1:.../feed.xml` without --allow-private: exit 1, one error that
    says how to allow it, and no request reaches the server."""
    from remote_server import Route, serve

    with serve() as srv:
        srv.routes["/feed.xml"] = Route(CLEAN.read_bytes(), "application/rss+xml")
        code, out, err = invoke(srv.url("/feed.xml"), "--format", "json")
        assert srv.requests == []
    assert (code, err) == (1, "")
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["message"]) for f in findings] == [
        (
            "http.address",
            "127.0.0.1 is a loopback address; refused "
            "(pass --allow-private to check a server on your own network)",
        )
    ]


def test_dripping_feed_cut_off_at_the_timeout() -> None:
    """A feed sent one byte every 0.2 s (about 20 minutes in all) ends `validate --timeout 1`
    with a timeout error well within a guard of 15 s, exit 1."""
    import time

    from remote_server import Route, serve

    with serve() as srv:
        srv.routes["/feed.xml"] = Route(CLEAN.read_bytes(), "application/rss+xml", drip=0.2)
        start = time.monotonic()
        code, out, _ = invoke(srv.url("/feed.xml"), "--allow-private", "--timeout", "1")
        assert time.monotonic() - start < 15
    assert code == 1
    assert "http.fetch: timed out: no complete answer within 1 s (reading the body, " in out
    assert "Traceback" not in out


def test_remote_items_option(out_dir: Path) -> None:
    """--remote-items 0 with --remote: only the artwork is fetched, no enclosures."""
    from remote_server import Route, serve

    with serve() as srv:
        feed = CLEAN.read_bytes().replace(b"https://station.example/show/", srv.url("/").encode())
        srv.routes["/feed.xml"] = Route(feed, "application/rss+xml")
        invoke(srv.url("/feed.xml"), "--allow-private", "--remote-items", "0")
        paths = {p for _, p, _ in srv.requests}
        assert "/artwork.jpg" in paths
        assert not any(p.endswith((".mp3", ".m4a", ".vtt")) for p in paths)


@pytest.mark.parametrize("kind", ["fifo", "deep"])
def test_hostile_state_file_is_unreadable_not_a_hang(
    out_dir: Path, tmp_path: Path, kind: str
) -> None:
    """--state that is a FIFO is refused without being opened blocking; JSON nested 100,000
    deep is refused without a traceback: both are `state.unreadable`, in a fresh process."""
    import os
    import subprocess
    import sys

    state = tmp_path / "state.json"
    if kind == "fifo":
        os.mkfifo(state)
    else:
        state.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    path = feed_in(out_dir, CLEAN.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "stationcast", "validate", str(path), "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "state.unreadable" in done.stdout and "Traceback" not in done.stderr
