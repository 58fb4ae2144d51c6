"""Every page and stylesheet a build writes is valid HTML and CSS to the W3C Nu Html Checker
(vnu.jar, the checker behind validator.w3.org/nu), with no error, warning or note.

The pages: the example episode (aligned, so with timestamps and a captions track) and its show
page, a show with a WebVTT transcript, a right-to-left episode, and a station of three shows
(an archive paged into several feed pages, a serial show, a live program) with the station
page. `npm ci --ignore-scripts` in tests/nu installs the pinned checker (.ci/run does); it runs
offline on Java 11 or later. Skipped, with the reason, without Java or the checker.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pages.shows import rtl_show, timed_show
from station.conftest import three_shows
from stationcast.build import build_show
from stationcast.station.build import build_station
from support import EXAMPLE_SLUG, copy_example

NU_JAR = Path(
    os.environ.get("STATIONCAST_VNU_JAR")
    or Path(__file__).parents[1] / "nu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def _why_no_checker() -> str:
    if shutil.which("java") is None:
        return "the Nu Html Checker needs Java (Debian: default-jre-headless)"
    if not NU_JAR.is_file():
        return (
            f"no {NU_JAR} (run `npm ci --ignore-scripts` in tests/nu, or set STATIONCAST_VNU_JAR)"
        )
    return ""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = _why_no_checker()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("nu")
    build_show(copy_example(root / "example-show", aligned=True), root / "example")
    timed_show(root / "timed")
    rtl_show(root / "rtl")
    build_station(three_shows(root / "station-sources"), root / "station", jobs=1)
    return root


def _published(site: Path, suffix: str) -> list[Path]:
    """The files a build wrote with this suffix (not the kept previous trees or the sources)."""
    return sorted(
        path
        for path in site.rglob(f"*{suffix}")
        if not any(part.startswith(".") or part.endswith("-sources") for part in path.parts)
        and "example-show" not in path.parts
    )


def _check(files: list[Path]) -> list[str]:
    done = subprocess.run(
        ["java", "-jar", str(NU_JAR), "--format", "json", "--stdout", "--also-check-css"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    return [
        f"{message.get('url', '?')}:{message.get('lastLine', '?')}: {message['type']}"
        f"{'/' + message['subType'] if 'subType' in message else ''}: {message['message']}"
        for message in report["messages"]
    ]


def test_every_page_and_stylesheet_is_valid_to_the_nu_checker(site: Path) -> None:
    pages = _published(site, ".html")
    names = {path.relative_to(site).as_posix() for path in pages}
    # the pages of each kind are there to be checked
    assert {
        f"example/{EXAMPLE_SLUG}/index.html",
        "example/index.html",
        "timed/feeds/timed/index.html",
        "rtl/feeds/cairo/index.html",
        "station/index.html",
        "station/segments/index.html",
        "station/live-desk/index.html",
        "station/short-cuts/index.html",
    } <= names, names
    stylesheets = _published(site, ".css")
    assert stylesheets
    assert _check(pages + stylesheets) == []


def test_the_checker_reports_what_is_wrong(site: Path, tmp_path: Path) -> None:
    """The test above can fail: a page with a misnested element and a duplicate id is
    reported."""
    page = tmp_path / "broken.html"
    html = (site / "example" / "index.html").read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", '<p id="a"></p><p id="a"><div></span></main>', 1))
    found = _check([page])
    assert any("Duplicate ID" in line for line in found), found
    assert any("error" in line for line in found), found
