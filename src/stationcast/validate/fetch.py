"""A small HTTP client for untrusted URLs (stdlib http.client only).

- http and https only; at most 5 redirects, each hop re-checked; no https -> http downgrade.
- The host is resolved once and the connection goes to the address that was checked, so a
  name cannot resolve to a public address for the check and a private one for the request.
  Private, loopback, link-local, CGNAT, multicast and reserved addresses are refused unless
  allow_private is set.
- A total deadline per request (a watchdog closes the socket) and a cap on body bytes, also
  after gzip/deflate decoding.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from .. import __version__

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0
USER_AGENT = f"stationcast-validate/{__version__} (+https://github.com/stationcast)"


class FetchError(Exception):
    """A URL could not be fetched. `rule` is the id of the rule that explains why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class Response:
    url: str  # final URL, after redirects
    status: int
    headers: Message
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return None if value is None else str(value)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        value = self.header("Content-Type") or ""
        return value.split(";", 1)[0].strip().lower()


def _ip_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _ip_allowed(mapped)
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, allow_private: bool) -> str:
    """Resolve `host` and return one address we may connect to, or raise FetchError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError("http.fetch", f"cannot resolve host {host!r}: {e}") from None
    refused: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    for _family, _type, _proto, _canon, sockaddr in infos:
        addr = str(sockaddr[0]).split("%", 1)[0]
        ip = ipaddress.ip_address(addr)
        if allow_private or _ip_allowed(ip):
            return addr
        refused = ip
    assert refused is not None  # getaddrinfo returns at least one address or raises
    try:
        literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        literal = None
    what = f"{host} is" if literal == refused else f"{host} resolves to {refused}, which is"
    raise FetchError(
        "http.address",
        f"{what} {_address_kind(refused)}; refused (pass --allow-private to check a server on "
        "your own network)",
    )


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """What kind of non-public address `ip` is, for a message."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _address_kind(mapped)
    for kind, yes in (
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("an unspecified address", ip.is_unspecified),
        ("a multicast address", ip.is_multicast),
        ("a private address", ip.is_private),
    ):
        if yes:
            return kind
    return "not a public address"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def check_url(url: str) -> tuple[str, str, int, str]:
    """Split an absolute http(s) URL into (scheme, host, port, path+query) or raise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError("http.fetch", f"invalid URL: {e}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("http.scheme", f"unsupported URL scheme {scheme or '(none)'!r}")
    host = parts.hostname
    if not host:
        raise FetchError("http.fetch", "URL has no host")
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    max_bytes: int = 1024 * 1024,
    read_body: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
    max_redirects: int = MAX_REDIRECTS,
) -> Response:
    """Fetch `url`, following redirects safely. Non-2xx answers are returned, not raised."""
    redirects: list[str] = []
    current = url
    while True:
        resp = _fetch_once(
            current,
            method=method,
            headers=headers or {},
            max_bytes=max_bytes,
            read_body=read_body,
            timeout=timeout,
            allow_private=allow_private,
        )
        location = resp.header("Location")
        if resp.status in (301, 302, 303, 307, 308) and location:
            if len(redirects) >= max_redirects:
                raise FetchError(
                    "http.redirects", f"more than {max_redirects} redirects (last: {current})"
                )
            target = urljoin(current, location.strip())
            if urlsplit(current).scheme == "https" and urlsplit(target).scheme == "http":
                raise FetchError("http.scheme", f"redirect downgrades https to http: {target}")
            redirects.append(target)
            current = target
            if resp.status == 303:
                method = "GET" if method != "HEAD" else "HEAD"
            continue
        resp.redirects = redirects
        return resp


def _fetch_once(
    url: str,
    *,
    method: str,
    headers: dict[str, str],
    max_bytes: int,
    read_body: bool,
    timeout: float,
    allow_private: bool,
) -> Response:
    scheme, host, port, path = check_url(url)
    ip = resolve(host, port, allow_private)
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    conn = cls(host, port, ip, timeout)
    timed_out = threading.Event()

    def _abort() -> None:
        timed_out.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, _abort)
    watchdog.daemon = True
    deadline = time.monotonic() + timeout
    watchdog.start()
    try:
        hdrs = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **headers}
        conn.request(method, path, headers=hdrs)
        raw = conn.getresponse()
        body = b""
        if read_body and method != "HEAD" and raw.status not in (301, 302, 303, 307, 308):
            body = _read_capped(raw, max_bytes, deadline)
        return Response(url=url, status=raw.status, headers=raw.msg, body=body)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ssl.SSLError) as e:
        if timed_out.is_set():
            raise FetchError("http.fetch", f"timed out after {timeout:g} s: {url}") from None
        raise FetchError("http.fetch", f"{type(e).__name__}: {e}") from None
    finally:
        watchdog.cancel()
        conn.close()


def _read_capped(raw: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    length = raw.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(
            "xml.too-large",
            f"Content-Length {int(length):,} is larger than the {max_bytes:,}-byte limit",
        )
    encoding = (raw.getheader("Content-Encoding") or "").strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    out = bytearray()
    too_big = FetchError("xml.too-large", f"body is larger than the {max_bytes:,}-byte limit")
    while True:
        if time.monotonic() > deadline:
            raise FetchError("http.fetch", "timed out while reading the body")
        chunk = raw.read(65536)
        if not chunk:
            break
        if decoder is None:
            out += chunk
        else:
            try:
                out += decoder.decompress(chunk, max_bytes + 1 - len(out))
            except zlib.error as e:
                raise FetchError("http.fetch", f"corrupt {encoding} body: {e}") from None
            if decoder.unconsumed_tail:
                raise too_big
        if len(out) > max_bytes:
            raise too_big
    if decoder is not None:
        out += decoder.flush()
    if len(out) > max_bytes:
        raise too_big
    return bytes(out)
