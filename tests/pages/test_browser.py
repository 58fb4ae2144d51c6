"""The pages in a real browser: axe-core finds no WCAG 2.0/2.1/2.2 A or AA or best-practice
violation in light or dark mode, the pages reflow at 320 px and with text at 200%, focus is
visible, and nothing is fetched from the network.

Runs headless Debian Chromium through Playwright (see browser.py); skipped, with the reason,
when there is no browser. Set STATIONCAST_SCREENSHOTS=/some/folder to also save screenshots
of every page at desktop width and at 390 px, light and dark, for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pages.browser import Browser, chromium, serve_folder, why_no_browser
from pages.shows import rtl_show, timed_show
from station.conftest import copy_station
from stationcast.build import build_show
from stationcast.station.build import build_station
from support import EXAMPLE_SLUG, copy_example

pytestmark = pytest.mark.browser

PAGES = [
    "example-episode",
    "example-show",
    "timed-episode",
    "timed-show",
    "rtl-episode",
    "station",
]
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding every show under test, built fresh: the example, a timed show and a
    right-to-left one."""
    root = tmp_path_factory.mktemp("sites")
    build_show(copy_example(root / "example-show", aligned=True), root / "example")
    timed_show(root / "timed")
    rtl_show(root / "rtl")
    build_station(copy_station(root / "station-sources"), root / "station", jobs=1)
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve_folder(site) as base:
        yield base


@pytest.fixture(scope="module")
def sites(server: str) -> dict[str, str]:
    """The URL of each page under test."""
    return {
        "example-episode": f"{server}example/{EXAMPLE_SLUG}/index.html",
        "example-show": f"{server}example/index.html",
        "timed-episode": f"{server}timed/feeds/timed/index.html",
        "timed-show": f"{server}timed/feeds/index.html",
        "rtl-episode": f"{server}rtl/feeds/cairo/index.html",
        "station": f"{server}station/index.html",
    }


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, server: str) -> Iterator[Browser]:
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    with chromium(tmp_path_factory.mktemp("chromium-profile"), server) as running:
        yield running


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(
    browser: Browser, sites: dict[str, str], name: str, scheme: str
) -> None:
    """axe-core, WCAG 2.0/2.1/2.2 A+AA and best practices (and the experimental rules under
    those tags): zero violations and nothing left for review, in light and dark mode."""
    page = browser.open(sites[name], color_scheme=scheme)
    try:
        result = browser.axe(page)
    finally:
        page.close()
    rules = {
        r["id"]
        for kind in ("passes", "violations", "incomplete", "inapplicable")
        for r in result[kind]
    }
    assert "color-contrast" in rules and "target-size" in rules, sorted(rules)
    assert result["violations"] == [], _describe(result["violations"])
    # "Needs review" would mean axe could not decide; only audio-caption may (it cannot tell
    # that the transcript on the same page is the audio's alternative, WCAG 1.2.1).
    undecided = [r for r in result["incomplete"] if r["id"] != "audio-caption"]
    assert undecided == [], _describe(undecided)
    assert browser.blocked == []


def test_dark_mode_is_dark(browser: Browser, sites: dict[str, str]) -> None:
    """prefers-color-scheme: dark really switches the colours (so the dark axe run tests them)."""
    backgrounds = {}
    for scheme in SCHEMES:
        page = browser.open(sites["example-episode"], color_scheme=scheme)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.close()
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(18, 18, 18)"}


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scroll_at_320_px(browser: Browser, sites: dict[str, str], name: str) -> None:
    """WCAG 1.4.10 Reflow: at 320 CSS px nothing is wider than the viewport."""
    page = browser.open(sites[name], width=320, height=640)
    try:
        assert _overflow(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_text_at_200_percent_reflows(browser: Browser, sites: dict[str, str], name: str) -> None:
    """WCAG 1.4.4 Resize Text: a 1280 px window zoomed to 200% is a 640 px viewport; with the
    text size doubled on top of that, still no horizontal scrolling."""
    page = browser.open(sites[name], width=640, height=720)
    try:
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert _overflow(page) == []
    finally:
        page.close()


def _overflow(page: Any) -> list[str]:
    """Horizontal overflow of the document, and the elements that stick out, if any."""
    result: list[str] = page.evaluate(
        """() => {
            const root = document.documentElement;
            const out = [];
            if (root.scrollWidth > root.clientWidth) {
                out.push(`document ${root.scrollWidth} > ${root.clientWidth}`);
                for (const el of document.body.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.right > root.clientWidth + 0.5 && r.width > 0)
                        out.push(`${el.tagName.toLowerCase()}.${el.className}: ${r.right}`);
                }
            }
            return out.slice(0, 10);
        }"""
    )
    return result


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["example-episode", "timed-show"])
def test_focus_is_visible_on_every_link(
    browser: Browser, sites: dict[str, str], name: str, scheme: str
) -> None:
    """WCAG 2.4.7: tabbing through the page, every link shows a solid outline at least 2 px
    wide, and the skip link (the first stop) comes into view."""
    page = browser.open(sites[name], color_scheme=scheme)
    try:
        stops = []
        for _ in range(60):
            page.keyboard.press("Tab")
            info = page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const s = getComputedStyle(el);
                    const r = el.getBoundingClientRect();
                    return {tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                            style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                            color: s.outlineColor, top: r.top, bottom: r.bottom};
                }"""
            )
            if info["tag"] == "body" or (stops and info == stops[0]):
                break
            stops.append(info)
        links = [s for s in stops if s["tag"] == "a"]
        assert len(links) >= 5, stops
        assert links[0]["text"] == "Skip to main content"
        assert links[0]["top"] >= 0, "the skip link stays off screen when focused"
        hidden = [s for s in links if s["style"] != "solid" or s["width"] < 2]
        assert hidden == [], hidden
    finally:
        page.close()


def test_skip_link_moves_focus_to_main(browser: Browser, sites: dict[str, str]) -> None:
    """WCAG 2.4.1: activating the skip link puts the keyboard focus on <main>."""
    page = browser.open(sites["example-episode"])
    try:
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()


def test_print_style_hides_the_player(browser: Browser, sites: dict[str, str]) -> None:
    """On paper the player and the skip link go; the transcript and station details stay."""
    page = browser.open(sites["example-episode"])
    try:
        page.emulate_media(media="print")
        shown = page.evaluate(
            """sel => sel.map(s => getComputedStyle(document.querySelector(s)).display)""",
            ["audio", ".skip", ".transcript", "address"],
        )
        assert shown == ["none", "none", "block", "block"]
    finally:
        page.close()


SHOTS = os.environ.get("STATIONCAST_SCREENSHOTS", "")


@pytest.mark.skipif(not SHOTS, reason="set STATIONCAST_SCREENSHOTS=/folder to save screenshots")
@pytest.mark.parametrize("name", PAGES)
def test_screenshots(browser: Browser, sites: dict[str, str], name: str) -> None:
    """Full-page screenshots at 1280 and 390 px, light and dark, for a person to look at."""
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        for scheme in SCHEMES:
            page = browser.open(sites[name], width=width, height=900, color_scheme=scheme)
            try:
                target = folder / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                assert re.fullmatch(rb"\x89PNG.*", target.read_bytes()[:4] + b"", re.S)
            finally:
                page.close()


def test_the_captions_track_of_the_aligned_example_loads(
    browser: Browser, sites: dict[str, str]
) -> None:
    """The example ships aligned: its page's <track> is the WebVTT the build wrote from the
    station text and alignment.json, and Chromium loads it, every cue with its voice."""
    page = browser.open(sites["example-episode"])
    loaded = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const element = document.querySelector('audio track');
            if (!element) return reject('no track');
            const done = () => resolve({
                cues: element.track.cues.length,
                first: element.track.cues[0].text,
                kind: element.kind,
            });
            element.addEventListener('load', done);
            element.addEventListener('error', () => reject('the track failed to load'));
            element.track.mode = 'hidden';  // (a track loads once it is not disabled)
            if (element.readyState === 2) done();
            setTimeout(() => reject('not loaded after 10 s: ' + element.readyState), 10000);
        })"""
    )
    page.close()
    assert loaded["kind"] == "captions"
    assert loaded["cues"] > 40
    assert loaded["first"].startswith("<v Kelly McEvers>What happens when you leave")
