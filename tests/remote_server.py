"""A real HTTP(S) server on 127.0.0.1 whose answers each test controls (validate, import, net)."""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    ranges: bool = True  # answer "Range: bytes=a-b" with 206
    head: bool = True  # answer HEAD (else 405)
    etag: bool = True
    cors: bool = False
    content_length: int | None = None  # lie about Content-Length in HEAD
    delay: float = 0.0  # sleep before answering
    drip: float = 0.0  # sleep between body bytes
    drip_headers: float = 0.0  # sleep between the bytes of the status line and headers
    length_header: bool = True  # False: no Content-Length; the body ends when the server closes
    declared_length: int | None = None  # Content-Length to send for GET (a lie), then close


class FakeRemote:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.server_names: list[str | None] = []  # TLS: the SNI name of each handshake
        self.base = ""
        self.port = 0

    def url(self, path: str) -> str:
        return self.base + path


def _handler(remote: FakeRemote) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, head: bool) -> None:
            remote.requests.append((self.command, self.path, dict(self.headers)))
            route = remote.routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
            if head and not route.head:
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = route.body
            status = route.status
            extra = dict(route.headers)
            rng = self.headers.get("Range")
            if rng and route.ranges and status == 200 and rng.startswith("bytes="):
                first, _, last = rng[6:].partition("-")
                a = int(first)
                b = min(int(last) if last else len(body) - 1, len(body) - 1)
                extra["Content-Range"] = f"bytes {a}-{b}/{len(body)}"
                body = body[a : b + 1]
                status = 206
            if route.drip_headers:
                self._drip(
                    f"HTTP/1.1 {status} OK\r\nContent-Length: {len(body)}\r\n\r\n".encode(),
                    route.drip_headers,
                )
                return
            self.send_response(status)
            self.send_header("Content-Type", route.content_type)
            if route.declared_length is not None and not head:
                self.send_header("Content-Length", str(route.declared_length))
                self.close_connection = True
            elif route.length_header or head:
                length = (
                    route.content_length
                    if (head and route.content_length is not None)
                    else len(body)
                )
                self.send_header("Content-Length", str(length))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            if route.ranges:
                self.send_header("Accept-Ranges", "bytes")
            if route.etag:
                self.send_header("ETag", '"v1"')
            if route.cors:
                self.send_header("Access-Control-Allow-Origin", "*")
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            if head:
                return
            if route.drip:
                self._drip(body, route.drip)
            else:
                self.wfile.write(body)

        def _drip(self, data: bytes, pause: float) -> None:
            """Send `data` one byte at a time; stop when the client has gone."""
            self.close_connection = True
            for i in range(len(data)):
                try:
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(pause)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(head=True)

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    # The default listen backlog (5) drops connections when the validator's 8 workers connect
    # at once, and the kernel retries them a second later.
    request_queue_size = 64

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up after the headers (Range probes) are expected


@contextmanager
def serve(tls: ssl.SSLContext | None = None, host_name: str = "127.0.0.1") -> Iterator[FakeRemote]:
    """A server on 127.0.0.1 (a free port), stopped on exit. With `tls` it speaks https
    (and records each handshake's SNI name); URLs name it as `host_name`."""
    remote = FakeRemote()
    server = _Server(("127.0.0.1", 0), _handler(remote))
    server.daemon_threads = True
    if tls is not None:

        def record(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, ctx: object) -> None:
            remote.server_names.append(name)

        tls.sni_callback = record  # type: ignore[assignment]
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    remote.port = server.server_address[1]
    remote.base = f"{'https' if tls else 'http'}://{host_name}:{remote.port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield remote
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
