"""Fixtures for publish tests: a hand-built output folder, a WebSub/Podping receiver, moto's
S3 server on 127.0.0.1 and a fault-injecting proxy in front of it. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

GUIDS = ["guid-isis-defectors", "guid-second-episode"]


def feed_xml(hub: str | None, guids: list[str], title: str = "Show") -> bytes:
    hub_link = f'<atom:link rel="hub" href="{hub}"/>' if hub else ""
    items = "".join(
        f'<item><title>{g}</title><guid isPermaLink="false">{g}</guid>'
        f'<enclosure url="https://podcasts.example.org/{g}/audio.mp3" length="4000" '
        'type="audio/mpeg"/></item>'
        for g in guids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{title}</title>"
        '<atom:link rel="self" href="https://podcasts.example.org/feed.xml" '
        'type="application/rss+xml"/>'
        f"{hub_link}{items}</channel></rss>\n"
    ).encode()


def make_site(root: Path, hub: str | None = None, guids: list[str] | None = None) -> Path:
    """A folder shaped like feeds/ after `stationcast build`."""
    guids = GUIDS if guids is None else guids
    root.mkdir(parents=True, exist_ok=True)
    (root / "feed.xml").write_bytes(feed_xml(hub, guids))
    (root / "index.html").write_text("<!doctype html><title>Show</title>", encoding="utf-8")
    (root / "artwork.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(1000))
    for n, guid in enumerate(guids):
        ep = root / guid.removeprefix("guid-")
        ep.mkdir(exist_ok=True)
        (ep / "audio.mp3").write_bytes(b"ID3" + bytes([n]) * 3997)
        (ep / "index.html").write_text(f"<!doctype html><title>{guid}</title>", encoding="utf-8")
        (ep / "transcript.vtt").write_text(
            "WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", encoding="utf-8"
        )
        (ep / "transcript.srt").write_text(
            "1\n00:00:00,000 --> 00:00:01,000\nHi\n", encoding="utf-8"
        )
        (ep / "transcript.json").write_text('{"version":"1.0.0","segments":[]}', encoding="utf-8")
        (ep / "transcript.txt").write_text("MCEVERS: Hi.\n", encoding="utf-8")
        (ep / "chapters.json").write_text('{"version":"1.2.0","chapters":[]}', encoding="utf-8")
    write_state(root, guids)
    return root


def write_state(root: Path, guids: list[str]) -> None:
    """The build's state file (`.stationcast/state.json`), listing `guids` as published."""
    episodes = [
        {
            "guid": g,
            "slug": g.removeprefix("guid-"),
            "enclosure": f"https://podcasts.example.org/{g.removeprefix('guid-')}/audio.mp3",
            "published": "2015-09-22T17:35:00-04:00",
        }
        for g in guids
    ]
    (root / ".stationcast").mkdir(exist_ok=True)
    (root / ".stationcast" / "state.json").write_text(
        json.dumps({"version": 1, "episodes": episodes}, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "feeds")


# --- a receiver for WebSub and Podping pings ------------------------------------------------


@dataclass
class Ping:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    seen_feed: bytes | None  # what the destination's feed.xml held when the ping arrived


@dataclass
class Receiver:
    url: str
    pings: list[Ping] = field(default_factory=list)
    status: int = 202
    read_feed: Callable[[], bytes | None] = lambda: None
    location: str = ""  # answer with this Location header (a redirect, with a 3xx status)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A WebSub hub / Podping endpoint on 127.0.0.1 that records what it is sent."""
    yield from serve_receiver()


def serve_receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            rec = state["r"]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            rec.pings.append(
                Ping(self.command, self.path, dict(self.headers.items()), body, rec.read_feed())
            )
            self.send_response(rec.status)
            if rec.location:
                self.send_header("Location", rec.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET = _record

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["r"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pings and S3 calls go straight to 127.0.0.1, whatever the environment says."""
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("STATIONCAST_PODPING_TOKEN", raising=False)
    monkeypatch.delenv("STATIONCAST_PODPING_URL", raising=False)


# --- moto's S3 server and a fault-injecting proxy in front of it ----------------------------


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class FaultProxy:
    """Forwards to moto; after `allow_puts` object PUTs, answers further PUTs with 403."""

    url: str
    allow_puts: int | None = None
    reject_checksum_headers: bool = False  # like older MinIO, B2 and other S3-compatibles
    puts: list[str] = field(default_factory=list)  # keys PUT (including refused ones)
    deletes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    #: ("start", key) when an object PUT arrives, ("stored", key) once the server has answered
    #: it with success: the order in which uploads began and landed.
    events: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def s3_proxy(moto_endpoint: str) -> Iterator[FaultProxy]:
    upstream = moto_endpoint.removeprefix("http://")
    up_host, up_port = upstream.split(":")
    state: dict[str, FaultProxy] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _forward(self) -> None:
            proxy = state["p"]
            body = self._body()
            key = self.path.split("?")[0]
            names = [k.lower() for k in self.headers]
            if proxy.reject_checksum_headers and any(
                n.startswith(("x-amz-checksum-", "x-amz-sdk-checksum")) for n in names
            ):
                payload = (
                    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code>'
                    b"<Message>Unsupported header 'x-amz-sdk-checksum-algorithm' received for "
                    b"this API call.</Message></Error>"
                )
                self.send_response(400)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            put = self.command == "PUT" and key.count("/") >= 2
            if put:
                proxy.puts.append(key)
                proxy.events.append(("start", key))
                if proxy.allow_puts is not None and len(proxy.puts) > proxy.allow_puts:
                    proxy.refused.append(key)
                    payload = (
                        b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code>'
                        b"<Message>injected failure</Message></Error>"
                    )
                    self.send_response(403)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
            if self.command == "DELETE" or (self.command == "POST" and "delete" in self.path):
                proxy.deletes.append(key)
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("transfer-encoding", "connection", "content-length")
            }
            headers["Content-Length"] = str(len(body))
            conn = http.client.HTTPConnection(up_host, int(up_port), timeout=30)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                if put and resp.status < 300:
                    proxy.events.append(("stored", key))
                self.send_response(resp.status, resp.reason)
                for k, v in resp.getheaders():
                    if k.lower() not in (
                        "transfer-encoding",
                        "connection",
                        "content-length",
                        "date",
                        "server",
                    ):
                        self.send_header(k, v)
                # A HEAD answer has no body but says how long the object is.
                length = resp.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            finally:
                conn.close()

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["p"] = FaultProxy(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["p"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials; no config or profile from the machine."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def bucket(moto_endpoint: str, aws_env: None) -> str:
    import boto3

    name = f"show-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1").create_bucket(
        Bucket=name
    )
    return name


@pytest.fixture
def s3(moto_endpoint: str, aws_env: None) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
