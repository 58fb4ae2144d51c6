"""Fixtures: a small hand-made output folder served by a real server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stationcast.serve import PreviewServer

AUDIO = bytes(range(256)) * 40  # 10 240 bytes, every position distinguishable


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder shaped like feeds/, plus a secret next to it and a symlink out."""
    return make_site(tmp_path)


def make_site(tmp_path: Path) -> Path:
    root = tmp_path / "feeds"
    ep = root / "isis-defectors"
    ep.mkdir(parents=True)
    (root / "feed.xml").write_bytes(b"<?xml version='1.0'?><rss version='2.0'/>")
    (root / "index.html").write_text("<!doctype html><title>show</title>", encoding="utf-8")
    (root / "artwork.jpg").write_bytes(b"\xff\xd8\xff\xe0fakejpeg")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (ep / "index.html").write_text("<!doctype html><title>episode</title>", encoding="utf-8")
    (ep / "audio.mp3").write_bytes(AUDIO)
    for name in ("audio.m4a", "audio.ogg", "audio.opus", "audio.flac"):
        (ep / name).write_bytes(b"x" * 10)
    (ep / "transcript.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (ep / "transcript.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", encoding="utf-8")
    (ep / "transcript.json").write_text('{"version":"1.0.0","segments":[]}', encoding="utf-8")
    (ep / "transcript.txt").write_text("MCEVERS: Hi.\n", encoding="utf-8")
    (ep / "chapters.json").write_text('{"version":"1.2.0","chapters":[]}', encoding="utf-8")
    (root / "empty-dir").mkdir()
    (root / ".stationcast").mkdir()
    (root / ".stationcast" / "state.json").write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (root / "leak.txt").symlink_to(secret)
    (root / "leakdir").symlink_to(tmp_path)
    (root / "inside-link.mp3").symlink_to(ep / "audio.mp3")
    return root


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names; repeated names joined with ", "
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def raw_request(port: int, request: bytes, timeout: float = 5.0) -> Reply:
    """Send bytes exactly as given and parse the HTTP/1.1 reply (Connection: close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return Reply(status, headers, body)


def get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return raw_request(port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    """One server per module over a site the tests only read."""
    srv = PreviewServer(make_site(tmp_path_factory.mktemp("site")), host="127.0.0.1", port=0)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
