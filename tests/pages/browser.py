"""A headless Debian Chromium driven by Playwright, and axe-core run inside it.

Nothing is downloaded: the browser is the system's /usr/bin/chromium (never `playwright
install`), axe-core's script comes from the axe-playwright-python wheel and is injected from
disk, and every request that is not file:// is aborted and recorded, so a page that tried to
load a font, script or image from the network fails its test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("STATIONCAST_CHROMIUM", "/usr/bin/chromium"))

# As root in a container: no sandbox; no GPU, /dev/shm, first-run, sync, component updates or
# background networking, so the browser talks to nothing but the pages we give it.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus Deque's best practices. (axe has no rule tagged
# wcag22a yet; it is listed so a future axe-core that adds one runs it.)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def why_no_browser() -> str | None:
    """The reason the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM}: install Debian's (`apt-get install chromium`, as "
            ".ci/run does) or set STATIONCAST_CHROMIUM to another Chromium binary"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is a dev dependency: `uv sync`)"
    if axe_script() is None:
        return "axe-core's axe.min.js not found (dev dependency axe-playwright-python: `uv sync`)"
    return None


def axe_script() -> Path | None:
    try:
        import axe_playwright_python
    except ImportError:
        return None
    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return path if path.is_file() else None


@dataclass
class Browser:
    """One Chromium with a fresh profile; `blocked` lists every non-file request it tried."""

    context: Any
    blocked: list[str] = field(default_factory=list)

    def open(
        self, page_path: Path, *, width: int = 1280, height: int = 900, color_scheme: str = "light"
    ) -> Any:
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=color_scheme, reduced_motion="reduce")
        page.goto(page_path.as_uri(), wait_until="load")
        return page

    def axe(self, page: Any) -> dict[str, Any]:
        """axe.run on the whole document with AXE_TAGS; the full result object."""
        script = axe_script()
        assert script is not None
        page.add_script_tag(path=str(script))
        result: dict[str, Any] = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations', 'incomplete'],
            })""",
            AXE_TAGS,
        )
        return result


@contextmanager
def chromium(profile: Path) -> Iterator[Browser]:
    """Start Chromium (profile in `profile`, which is removed afterwards) and stop it on exit."""
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            service_workers="block",
        )
        try:
            browser = Browser(context)

            def refuse(route: Any) -> None:
                browser.blocked.append(route.request.url)
                route.abort()

            context.route(
                "**/*",
                lambda route: (
                    refuse(route)
                    if not route.request.url.startswith("file:")
                    else route.continue_()
                ),
            )
            yield browser
        finally:
            context.close()
    finally:
        playwright.stop()
        shutil.rmtree(profile, ignore_errors=True)
