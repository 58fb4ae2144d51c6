"""`stationcast serve`: build a preview with local URLs, serve it over HTTP, rebuild on change.

Library choice. The server is Starlette's `FileResponse` running on uvicorn:

- `FileResponse` (Starlette >= 0.39) answers single and multiple byte ranges with 206 and
  `Content-Range`, unsatisfiable ranges with 416 and `Content-Range: bytes */SIZE`, `If-Range`,
  HEAD without a body, and sets `ETag`, `Last-Modified` and `Accept-Ranges: bytes`; it streams
  the file in 64 KiB chunks. Apple requires HEAD and byte ranges of podcast hosts, and podcast
  apps seek with ranges, so this is the part worth taking from a well-kept library.
  Python's `http.server` has no Range support and serves symlinks that point out of its root.
- uvicorn is the reference ASGI server, pure Python with h11, which bounds request-line and
  header sizes while a request is incomplete (a request still unparsed at 16 KiB is refused
  with 400); a complete but oversized header block still reaches us, so we cap it too.

What we add in front of `FileResponse` (the request catalogue H1-H14 in the reliability notes):

- Paths: the raw request path is percent-decoded exactly once; NUL is refused (400); backslashes,
  empty, `.`/`..` and hidden (dot) segments are refused (404); the candidate is resolved
  (following symlinks) and must stay inside the served folder (404 otherwise). Directories
  answer their `index.html`, never a listing; a directory without its trailing slash redirects
  to a Location built from the checked segments, so it can never start with `//`.
- Ranges: Starlette answers a malformed `Range` (`bytes=5-3`, `bytes=abc`, `items=0-5`) with 400
  and up to 100 ranges as multipart. RFC 9110 lets a server ignore Range, so we pass one
  well-formed single range through and drop every other Range header (200, whole file):
  bounded work whatever the header says (CVE-2011-3192).
- Conditional GET: `If-None-Match` / `If-Modified-Since` answer 304 (StaticFiles has this, but
  FileResponse alone does not).
- One fixed Content-Type table shared with `publish` (`stationcast.publish.headers`), CORS
  (`Access-Control-Allow-Origin: *`) on the feed, transcripts and chapters, `Cache-Control:
  no-cache` (a preview changes under the browser; ETags keep revalidation cheap).
- Limits: request paths over 2048 bytes answer 414; more than 100 header fields or 16 KiB of
  headers answer 431.

Rebuilds use watchfiles (Rust `notify` underneath: inotify here, FSEvents on macOS). The
build is atomic (staging + swap), so a failed rebuild leaves the previous preview in place; we
print the error and keep serving it.
"""

from __future__ import annotations

import socket
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from starlette.responses import FileResponse, PlainTextResponse, Response

from stationcast.errors import StationcastError
from stationcast.publish.headers import content_type, wants_cors

__all__ = [
    "DEFAULT_PREVIEW_DIR",
    "HTTP_PREVIEW_NOTE",
    "PreviewApp",
    "PreviewServer",
    "Rebuilder",
    "preview_url",
    "watched_paths",
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Any]
Send = Callable[[MutableMapping[str, Any]], Any]

DEFAULT_PREVIEW_DIR = Path(".stationcast-cache") / "preview"
MAX_PATH_BYTES = 2048
MAX_HEADER_FIELDS = 100
MAX_HEADER_BYTES = 16 * 1024
_MAX_RANGE_DIGITS = 20  # 2**64 has 20 digits; longer numbers are not a usable position anyway
_METHODS = ("GET", "HEAD", "OPTIONS")
# Printed once when serving (not on every rebuild): podcast apps need https for these tags.
HTTP_PREVIEW_NOTE = (
    "note: served over http, the preview feed leaves out the podcast: tags that need https"
    " (transcripts, chapters, images, alternate enclosures); the pages still link them, and"
    " the feed you publish at an https base_url has them all"
)
_COMMON_HEADERS = {"x-content-type-options": "nosniff", "cache-control": "no-cache"}
_CORS_HEADERS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "Content-Length, Content-Range, Accept-Ranges, ETag",
}


class PreviewApp:
    """ASGI app serving the files under `root` (see the module docstring for the rules)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan is off; websockets are not served
            return
        response = self._respond(scope)
        if isinstance(response, tuple):
            response, scope = response
        await response(scope, receive, send)

    # One request -> one response. Returns (response, scope) when the scope is rewritten.
    def _respond(self, scope: Scope) -> Response | tuple[Response, Scope]:
        method = scope["method"].upper()
        if method not in _METHODS:
            return _plain(405, "Method Not Allowed", {"allow": ", ".join(_METHODS)})
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        if len(raw_path) > MAX_PATH_BYTES:
            return _plain(414, "URI Too Long")
        if (
            len(scope["headers"]) > MAX_HEADER_FIELDS
            or sum(len(k) + len(v) for k, v in scope["headers"]) > MAX_HEADER_BYTES
        ):
            return _plain(431, "Request Header Fields Too Large")

        checked = _check_path(raw_path)
        if isinstance(checked, int):
            return _plain(checked, "Bad Request" if checked == 400 else "Not Found")
        segments, trailing_slash = checked

        root = self.root.resolve()
        found = _locate(root, segments)
        if found is None:
            return _plain(404, "Not Found")
        if found.is_dir():
            if not trailing_slash:
                location = "/" + "".join(quote(s, safe="") + "/" for s in segments)
                query = scope.get("query_string", b"").decode("latin-1")
                if query:
                    location += "?" + query
                return _plain(301, "Moved Permanently", {"location": location})
            found = _locate(root, [*segments, "index.html"])
            if found is None:
                return _plain(404, "Not Found")
            segments = [*segments, "index.html"]
        elif trailing_slash:
            return _plain(404, "Not Found")

        try:
            st = found.stat()
        except OSError:
            return _plain(404, "Not Found")
        if not stat.S_ISREG(st.st_mode):
            return _plain(404, "Not Found")

        url_path = "/".join(segments)
        headers = dict(_COMMON_HEADERS)
        headers["content-type"] = content_type(url_path)
        if wants_cors(url_path):
            headers.update(_CORS_HEADERS)
        if method == "OPTIONS":
            headers.pop("content-type")
            headers["allow"] = ", ".join(_METHODS)
            if wants_cors(url_path):
                headers["access-control-allow-methods"] = ", ".join(_METHODS)
                headers["access-control-allow-headers"] = "Range, If-None-Match, If-Modified-Since"
                headers["access-control-max-age"] = "600"
            return Response(status_code=204, headers=headers)

        response = FileResponse(found, stat_result=st, headers=headers)
        if _not_modified(scope, response.headers["etag"], st.st_mtime):
            keep = ("etag", "last-modified", "cache-control", *_CORS_HEADERS)
            kept = {k: v for k, v in response.headers.items() if k in keep}
            return Response(status_code=304, headers=kept)
        return response, _gate_range(scope, st.st_size)


def _plain(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(
        text + "\n", status_code=status, headers={**_COMMON_HEADERS, **(headers or {})}
    )


def _check_path(raw_path: bytes) -> tuple[list[str], bool] | int:
    """Decode a raw request path once and check its segments; an HTTP status if refused."""
    if not raw_path.startswith(b"/"):
        return 400  # absolute-form or garbage request targets
    decoded = unquote_to_bytes(raw_path)
    if b"\x00" in decoded:
        return 400
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return 400
    if "\\" in text:
        return 404  # never a path separator here, on any OS
    trailing_slash = text.endswith("/")
    body = text[1:-1] if trailing_slash else text[1:]
    segments = body.split("/") if body else []
    for segment in segments:
        if segment in ("", ".", "..") or segment.startswith(".") or ":" in segment:
            return 404  # empty (`//`), dot, dot-dot, hidden files, drive letters / streams
    return segments, trailing_slash


def _locate(root: Path, segments: list[str]) -> Path | None:
    """The resolved file or folder for `segments`, or None if missing or outside `root`."""
    try:
        resolved = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, symlink loop, name too long
        return None
    if resolved != root and not resolved.is_relative_to(root):
        return None  # a symlink that leads out of the served folder
    return resolved


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _not_modified(scope: Scope, etag: str, mtime: float) -> bool:
    """RFC 9110 §13.1.2/§13.1.3: If-None-Match wins; If-Modified-Since only without it."""
    if_none_match = _header(scope, b"if-none-match")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        bare = etag.removeprefix("W/")
        return "*" in tags or any(t.removeprefix("W/") == bare for t in tags)
    if_modified_since = _header(scope, b"if-modified-since")
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(mtime) <= since
    return False


def _usable_range(value: str) -> bool:
    """True for exactly one syntactically valid byte range (RFC 9110 §14.1.1)."""
    unit, sep, spec = value.partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in spec:
        return False
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if not dash or len(first) > _MAX_RANGE_DIGITS or len(last) > _MAX_RANGE_DIGITS:
        return False
    if not (first.isascii() and last.isascii()):
        return False
    if first == "":
        return last.isdigit()  # suffix range; `-0` is valid syntax and unsatisfiable (416)
    if not first.isdigit() or not (last == "" or last.isdigit()):
        return False
    return last == "" or int(first) <= int(last)


def _gate_range(scope: Scope, size: int) -> Scope:
    """Drop a Range header Starlette should not see: multi-range, malformed or not bytes."""
    values = [v for k, v in scope["headers"] if k.lower() == b"range"]
    if not values:
        return scope
    if len(values) == 1 and _usable_range(values[0].decode("latin-1")):
        return scope
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"range", b"if-range")]
    return {**scope, "headers": headers}


class PreviewServer:
    """uvicorn serving a `PreviewApp` on a socket bound at construction (so the port is known).

    `port=0` picks a free port. Use `start()`/`stop()` to run it in a thread (tests, the CLI's
    watcher) or `run()` to run it in the calling thread until Ctrl-C.
    """

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root)
        self.host = host
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        self._socket = socket.socket(family, kind, proto)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._socket.bind(address)
            self._socket.listen(128)  # connections wait in the backlog until uvicorn runs
        except OSError:
            self._socket.close()
            raise
        self.port: int = self._socket.getsockname()[1]
        # Imported here, not at the top: uvicorn imports click, which the library leaves to
        # the command line (`import stationcast.serve` loads no click).
        import uvicorn

        config = uvicorn.Config(
            PreviewApp(self.root),
            lifespan="off",
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL with a trailing slash, e.g. `http://127.0.0.1:8000/`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def run(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def start(self, timeout: float = 10.0) -> None:
        self._thread = threading.Thread(target=self.run, name="stationcast-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the preview server did not start")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._socket.close()


class Rebuilder:
    """Runs `build` when files under `paths` change; a failed build is reported, not raised."""

    def __init__(
        self,
        build: Callable[[], object],
        paths: Iterable[Path],
        *,
        ignore: Iterable[Path] = (),
        report: Callable[[str, bool], None] | None = None,
        describe: Callable[[StationcastError], str] = str,
        debounce_ms: int = 300,
    ) -> None:
        self.build = build
        self.paths = [Path(p) for p in paths if Path(p).exists()]
        self.ignore = [Path(p).resolve() for p in ignore]
        self.report = report or _print
        self.describe = describe
        self.debounce_ms = debounce_ms
        self.builds = 0
        self.failures = 0
        self._last_error: str | None = None  # the error last reported, until a build succeeds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def rebuild(self, first: bool = False, after: str | None = None) -> bool:
        """Build once; report success or the error. `first`: there is no previous build.

        An error is reported once: when the next rebuild fails with the same error (another
        save before the fix, or an editor whose save arrives as two batches of changes), a
        one-line reminder replaces it.
        """
        started = time.monotonic()
        if after is None:
            after = (
                "fix it and save; the preview rebuilds on change"
                if first or self.builds == 0
                else "still serving the previous build"
            )
        try:
            self.build()
        except StationcastError as exc:
            text = self.describe(exc)
            self._failed(f"error: the preview build failed; {after}:\n{text}", text)
            return False
        except Exception as exc:  # a bug in a build step must not take the preview down
            detail = f"{type(exc).__name__}: {exc}"
            self._failed(f"error: the preview build failed ({detail}); {after}", detail)
            return False
        self.builds += 1
        self._last_error = None
        what = "built the preview" if first else "rebuilt"
        self.report(f"{what} in {time.monotonic() - started:.1f}s", False)
        return True

    def _failed(self, message: str, error: str) -> None:
        self.failures += 1
        if error == self._last_error:
            self.report("the preview build still fails with the error above", True)
            return
        self._last_error = error
        self.report(message, True)

    def _relevant(self, changes: set[tuple[Any, str]]) -> bool:
        for _, name in changes:
            path = Path(name).resolve()
            if not any(path == i or path.is_relative_to(i) for i in self.ignore):
                return True
        return False

    def watch(self) -> None:
        """Block, rebuilding on each batch of relevant changes, until `stop()`."""
        import watchfiles

        if not self.paths:
            return
        for changes in watchfiles.watch(
            *self.paths, stop_event=self._stop, debounce=self.debounce_ms, raise_interrupt=False
        ):
            if self._relevant(changes):
                self.rebuild()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.watch, name="stationcast-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def _print(message: str, is_error: bool) -> None:
    print(message, file=sys.stderr if is_error else sys.stdout, flush=True)


def watched_paths(episodes: Path) -> list[Path]:
    """What a preview rebuilds on: the show's folder and stationcast's own page templates."""
    package = Path(__file__).resolve().parent
    return [episodes, *(p for p in (package / "templates",) if p.is_dir())]


def preview_url(server: PreviewServer, base_url: str | None) -> str:
    """The URL the preview's feed and pages are built for: `base_url` when given (with a
    trailing slash), else the server's own address (this machine's name where the server
    listens on every address, so other devices can reach it)."""
    if base_url:
        return base_url if base_url.endswith("/") else base_url + "/"
    if server.host in ("0.0.0.0", "::", ""):
        # Reachable from other devices; name this machine rather than a wildcard address.
        return f"http://{socket.gethostname()}:{server.port}/"
    return server.url
