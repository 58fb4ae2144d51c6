"""A headless Debian Chromium driven by Playwright, a static server on 127.0.0.1, and axe-core.

Nothing is downloaded: the browser is the system's /usr/bin/chromium (never `playwright
install`), axe-core's script comes from the axe-playwright-python wheel and is injected from
disk, and the pages are served from a local folder by a server bound to 127.0.0.1 (over HTTP,
not file://, so axe can read the stylesheet as a browser on the web would). Every request to
any other origin is aborted and recorded, so a page that tried to load a font, script or image
from elsewhere fails its test.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("STATIONCAST_CHROMIUM", "/usr/bin/chromium"))

# As root in a container: no sandbox; no GPU, /dev/shm, first-run, sync, component updates or
# background networking, so the browser talks to nothing but the pages we give it. Playwright
# adds a fresh --user-data-dir: the profile folder chromium() is given.
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

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus Deque's best practices. (axe-core 4.12 has no
# rule tagged wcag22a; it is listed so a later axe-core that adds one runs it.)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# Rules under those tags that axe leaves off by default because they are "experimental";
# they apply to our pages, so they run too. (The deprecated ones stay off.)
AXE_EXPERIMENTAL = [
    "css-orientation-lock",
    "focus-order-semantics",
    "label-content-name-mismatch",
    "p-as-heading",
    "table-fake-caption",
    "td-has-header",
]


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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="page-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Browser:
    """One Chromium with a fresh profile, seeing only `origin`; `blocked` lists every request
    it tried to send anywhere else."""

    context: Any
    origin: str
    blocked: list[str] = field(default_factory=list)

    def open(
        self, url: str, *, width: int = 1280, height: int = 900, color_scheme: str = "light"
    ) -> Any:
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=color_scheme, reduced_motion="reduce")
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        return page

    def axe(self, page: Any) -> dict[str, Any]:
        """axe.run on the whole document with AXE_TAGS (plus AXE_EXPERIMENTAL)."""
        script = axe_script()
        assert script is not None
        page.add_script_tag(path=str(script))
        result: dict[str, Any] = page.evaluate(
            """([tags, experimental]) => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                rules: Object.fromEntries(experimental.map(id => [id, {enabled: true}])),
                resultTypes: ['violations', 'incomplete'],
            })""",
            [AXE_TAGS, AXE_EXPERIMENTAL],
        )
        return result


@contextmanager
def chromium(profile: Path, origin: str) -> Iterator[Browser]:
    """Start Chromium with its profile in `profile` (removed afterwards), allowed to fetch from
    `origin` only, and stop it (and Playwright's driver) when the block ends."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            service_workers="block",
        )
        try:
            browser = Browser(context, origin)

            def gate(route: Any) -> None:
                if route.request.url.startswith(origin):
                    route.continue_()
                else:
                    browser.blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", gate)
            yield browser
        finally:
            context.close()
    finally:
        playwright.stop()
        shutil.rmtree(profile, ignore_errors=True)
