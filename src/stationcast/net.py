"""The one HTTP client stationcast downloads with (validate, import page, import feed).

Every URL it is given is treated as hostile:

- Only http and https, on every hop; a redirect from https to http is refused.
- The host is resolved once per hop, *every* address it resolves to is checked, and the
  connection goes to a checked address (pinning: no second lookup that a name could answer
  differently). TLS still verifies the certificate for the host name and sends it as SNI, and
  the Host header names the host.
- Loopback, private, link-local, shared (CGNAT), multicast, reserved and unspecified
  addresses are refused, also in IPv6 spellings that embed an IPv4 address (IPv4-mapped,
  6to4, NAT64). ``private_hosts`` lists the host names whose private addresses are allowed:
  callers put there the host the user typed, so a redirect or a link to *another* private
  host is still refused. Cloud metadata addresses (169.254.169.254, ...) are always refused.
- At most ``max_redirects`` redirects, each checked like the first request; a redirect back
  to a URL already requested is reported as a loop at once.
- One total deadline per call: resolving, connecting, the TLS handshake, the headers, the
  body and every redirect share ``timeout`` seconds. Each socket operation is given only the
  time left, so a server sending one byte a second is cut off at the deadline.
- The body is capped at ``max_bytes``, before and after gzip/deflate decoding (a small
  compressed body that expands to gigabytes is refused when it passes the cap), and a body
  shorter than its Content-Length is an error, not a silently truncated file.

No cookies, credentials or proxies are used. Errors are :class:`FetchError`, naming the URL
and what went wrong; non-2xx answers are returned, not raised.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import StationcastError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "FetchError",
    "Response",
    "fetch",
    "resolve",
    "split_url",
    "url_host",
]

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"stationcast/{__version__}"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_CHUNK = 65536
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# Instance metadata services of cloud hosts (AWS, ECS, GCP/Azure share the first, Alibaba):
# no podcast lives there, so they are refused even for a host allowed to be private.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254")
) | {ipaddress.ip_address("100.100.100.200")}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(StationcastError):
    """A URL could not be fetched.

    kind: what failed, for callers that sort errors: "url", "scheme", "address", "resolve",
        "connect", "timeout", "redirects", "too-large", "encoding" or "http" (a broken answer).
    url: the URL of the hop that failed (a redirect target, when a redirect led there).
    host: for "address", the host name whose address was refused.
    """

    def __init__(self, kind: str, url: str, message: str, *, host: str = "") -> None:
        self.kind = kind
        self.url = url
        self.message = message
        self.host = host
        super().__init__(f"{url}: {message}")


@dataclass
class Response:
    url: str  # final URL, after redirects
    status: int
    headers: Message
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)  # the URLs redirected to, in order
    reason: str = ""
    hops: list[int] = field(default_factory=list)  # each redirect's status, in that order
    seconds: float = 0.0  # the whole fetch, redirects included

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return None if value is None else str(value)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        value = self.header("Content-Type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        """The charset parameter of Content-Type, lower-cased ('' when absent)."""
        return str(self.headers.get_content_charset() or "").lower()


def url_host(url: str) -> str:
    """The host of `url` as ``private_hosts`` compares it: lower-case, no trailing dot."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path+query) of an absolute http(s) URL, or FetchError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchError("url", url, f"not a valid URL ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            "scheme", url, f"unsupported URL scheme {scheme or '(none)'!r}; only http and https"
        )
    host = parts.hostname
    if not host:
        raise FetchError("url", url, "the URL has no host")
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path


def _embedded_ipv4(ip: _IP) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_metadata(ip: _IP) -> bool:
    inner = _embedded_ipv4(ip)
    return ip in _METADATA or (inner is not None and inner in _METADATA)


def _public(ip: _IP) -> bool:
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return _public(inner)
    return ip.is_global and not ip.is_multicast


def _address_kind(ip: _IP) -> str:
    """What kind of non-public address `ip` is, for a message."""
    inner = _embedded_ipv4(ip)
    if inner is not None and ip not in _METADATA:
        return _address_kind(inner)
    for kind, yes in (
        ("a cloud metadata address", ip in _METADATA),
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("an unspecified address", ip.is_unspecified),
        ("a multicast address", ip.is_multicast),
        ("a shared (carrier-grade NAT) address", ip in ipaddress.ip_network("100.64.0.0/10")),
        ("a reserved address", ip.is_reserved),
        ("a private address", ip.is_private),
    ):
        if yes:
            return kind
    return "not a public address"


def _remaining(deadline: float, timeout: float, stage: str, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(timeout, stage, url)
    return left


def _timed_out(timeout: float, stage: str, url: str) -> FetchError:
    return FetchError(
        "timeout", url, f"timed out: no complete answer within {timeout:g} s ({stage})"
    )


def _getaddrinfo(
    host: str, port: int, deadline: float, timeout: float, url: str
) -> list[tuple[Any, ...]]:
    """getaddrinfo, given only the time left (the lookup runs in a thread it cannot stop;
    a resolver that hangs is abandoned at the deadline)."""
    box: list[list[tuple[Any, ...]] | BaseException] = []

    def lookup() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as e:  # handed to the waiting thread
            box.append(e)

    worker = threading.Thread(target=lookup, name="stationcast-resolve", daemon=True)
    worker.start()
    worker.join(_remaining(deadline, timeout, "resolving the host", url))
    if not box:
        raise _timed_out(timeout, "resolving the host", url)
    got = box[0]
    if isinstance(got, BaseException):
        raise FetchError("resolve", url, f"cannot resolve host {host!r}: {got}") from None
    return got


def resolve(
    host: str,
    port: int,
    *,
    allow_private: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    url: str = "",
    deadline: float | None = None,
) -> list[tuple[int, tuple[Any, ...]]]:
    """Every (family, sockaddr) `host` resolves to, each one checked, or FetchError.

    One refused address refuses the host: a name that answers with a public and a private
    address is not connected to at all.
    """
    url = url or host
    if deadline is None:
        deadline = time.monotonic() + timeout
    infos = _getaddrinfo(host, port, deadline, timeout, url)
    out: list[tuple[int, tuple[Any, ...]]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if _is_metadata(ip) or not (allow_private or _public(ip)):
            name = host.strip("[]").rstrip(".").lower()
            raise FetchError("address", url, _refusal(host, ip), host=name)
        if (family, sockaddr) not in out:
            out.append((family, sockaddr))
    if not out:
        raise FetchError("resolve", url, f"cannot resolve host {host!r}: no address")
    return out


def _refusal(host: str, ip: _IP) -> str:
    try:
        literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        literal = None
    what = f"{host} is" if literal == ip else f"{host} resolves to {ip}, which is"
    return f"{what} {_address_kind(ip)}; refused"


class _DeadlineReader(io.RawIOBase):
    """Reads from a socket, giving each read only the time left before the deadline.

    Reads go through the socket's own file object, which keeps the socket open until this
    reader is closed too (http.client closes the connection before the body is read when the
    server says it will close).
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(left)
        return self._raw.readinto(buffer) or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """What http.client needs of a socket (sendall, makefile, close), under one deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(left)  # sendall's timeout covers the whole call
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        self._sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Stage:
    """Which part of a request is under way, for the timeout message."""

    def __init__(self) -> None:
        self.name = "connecting"
        self.received = 0


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to addresses already checked; `host` is only the name."""

    def __init__(
        self,
        scheme: str,
        host: str,
        port: int,
        addresses: list[tuple[int, tuple[Any, ...]]],
        deadline: float,
        context: ssl.SSLContext | None,
        stage: _Stage,
    ) -> None:
        super().__init__(host, port)
        self._scheme = scheme
        self._addresses = addresses
        self._deadline = deadline
        self._context = context
        self._stage = stage

    def connect(self) -> None:
        errors: list[str] = []
        for family, sockaddr in self._addresses:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("deadline passed")
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(left)  # connect's timeout covers the whole call
                sock.connect(sockaddr)
            except TimeoutError:
                sock.close()
                raise
            except OSError as e:
                sock.close()
                errors.append(f"{sockaddr[0]} port {sockaddr[1]}: {e.strerror or e}")
                continue
            if self._scheme == "https":
                self._stage.name = "during the TLS handshake"
                context = self._context or ssl.create_default_context()
                try:
                    tls = context.wrap_socket(
                        sock, server_hostname=self.host, do_handshake_on_connect=False
                    )
                except BaseException:
                    sock.close()
                    raise
                try:  # the TLS socket owns the connection now
                    left = self._deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError("deadline passed")
                    tls.settimeout(left)  # the handshake's timeout covers the whole call
                    tls.do_handshake()
                except BaseException:
                    tls.close()
                    raise
                sock = tls
            self.sock = _DeadlineSocket(sock, self._deadline)
            return
        raise ConnectionError("cannot connect to " + "; ".join(errors))


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read_body: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    private_hosts: Collection[str] = (),
    max_redirects: int = MAX_REDIRECTS,
    user_agent: str = USER_AGENT,
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """Fetch `url` (GET or HEAD), following redirects safely, within `timeout` seconds in all.

    private_hosts: host names (as :func:`url_host` gives them) whose private, loopback or
        link-local addresses may be connected to; every other host must be public.
    ssl_context: for https (default: the system's trusted certificates, host name checked).
    """
    started = time.monotonic()
    deadline = started + timeout
    allowed = {h.rstrip(".").lower() for h in private_hosts}
    redirects: list[str] = []
    hops: list[int] = []
    requested = {url.split("#", 1)[0]}
    current = url
    while True:
        resp = _fetch_once(
            current,
            method=method,
            headers=headers or {},
            max_bytes=max_bytes,
            read_body=read_body,
            timeout=timeout,
            deadline=deadline,
            allowed=allowed,
            redirected=bool(redirects),
            ssl_context=ssl_context,
            user_agent=user_agent,
        )
        location = resp.header("Location")
        if resp.status not in REDIRECT_STATUSES or not location:
            resp.redirects = redirects
            resp.hops = hops
            resp.seconds = time.monotonic() - started
            return resp
        target = urljoin(current, location.strip())
        if target.split("#", 1)[0] in requested:
            raise FetchError(
                "redirects", current, f"redirect loop: redirected to {target}, already requested"
            )
        if len(redirects) >= max_redirects:
            raise FetchError(
                "redirects",
                current,
                f"more than {max_redirects} redirects (the last one to {target})",
            )
        if urlsplit(current).scheme.lower() == "https" and urlsplit(target).scheme.lower() == (
            "http"
        ):
            raise FetchError("scheme", current, f"redirect downgrades https to http: {target}")
        redirects.append(target)
        hops.append(resp.status)
        requested.add(target.split("#", 1)[0])
        current = target
        if resp.status == 303 and method != "HEAD":
            method = "GET"


def _fetch_once(
    url: str,
    *,
    method: str,
    headers: dict[str, str],
    max_bytes: int,
    read_body: bool,
    timeout: float,
    deadline: float,
    allowed: set[str],
    redirected: bool,
    ssl_context: ssl.SSLContext | None,
    user_agent: str,
) -> Response:
    name = url_host(url)
    try:
        scheme, host, port, path = split_url(url)
        addresses = resolve(
            host,
            port,
            allow_private=name in allowed,
            timeout=timeout,
            url=url,
            deadline=deadline,
        )
    except FetchError as e:
        if redirected and e.kind in ("url", "scheme", "address"):
            e.message = f"redirected to {url}: {e.message}"
        if e.kind == "address" and allowed and name not in allowed:
            e.message += f" (private addresses are allowed only for {', '.join(sorted(allowed))})"
        raise
    stage = _Stage()
    conn = _PinnedConnection(scheme, host, port, addresses, deadline, ssl_context, stage)
    raw: http.client.HTTPResponse | None = None
    try:
        hdrs = {"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate", **headers}
        conn.request(method, path, headers=hdrs)
        stage.name = "waiting for the response headers"
        raw = conn.getresponse()
        body = b""
        if read_body and method != "HEAD" and raw.status not in REDIRECT_STATUSES:
            stage.name = "reading the body"
            body = _read_body(raw, url, max_bytes, stage)
        return Response(
            url=url, status=raw.status, headers=raw.msg, body=body, reason=raw.reason or ""
        )
    except TimeoutError:
        where = stage.name
        if stage.received:
            where += f", {stage.received:,} bytes received"
        raise _timed_out(timeout, where, url) from None
    except ssl.SSLCertVerificationError as e:
        raise FetchError(
            "connect", url, f"the TLS certificate was refused: {e.verify_message or e}"
        ) from None
    except ssl.SSLError as e:
        raise FetchError("connect", url, f"TLS failed: {e.reason or e}") from None
    except ConnectionError as e:
        if str(e).startswith("cannot connect"):
            raise FetchError("connect", url, str(e)) from None
        raise FetchError("http", url, f"the connection broke ({e})") from None
    except http.client.InvalidURL as e:
        raise FetchError("url", url, f"cannot be requested: {e}") from None
    except http.client.IncompleteRead as e:
        raise FetchError(
            "http", url, f"the connection closed before the end of the body ({e})"
        ) from None
    except http.client.HTTPException as e:
        raise FetchError(
            "http", url, f"not a valid HTTP answer ({type(e).__name__}: {e})"
        ) from None
    except OSError as e:
        raise FetchError("connect", url, f"{type(e).__name__}: {e.strerror or e}") from None
    finally:
        if raw is not None:
            raw.close()
        conn.close()


def _read_body(raw: http.client.HTTPResponse, url: str, max_bytes: int, stage: _Stage) -> bytes:
    length_header = (raw.getheader("Content-Length") or "").strip()
    length = int(length_header) if length_header.isdigit() else None
    if length is not None and length > max_bytes:
        raise FetchError(
            "too-large",
            url,
            f"Content-Length {length:,} is larger than the {max_bytes:,}-byte limit",
        )
    encoding = (raw.getheader("Content-Encoding") or "").strip().lower()
    decoder: Any = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding not in ("", "identity"):
        raise FetchError(
            "encoding", url, f"the body has Content-Encoding {encoding!r}, which was not asked for"
        )
    too_big = FetchError("too-large", url, f"the body is larger than the {max_bytes:,}-byte limit")
    out = bytearray()
    while True:
        chunk = raw.read1(_CHUNK)
        if not chunk:
            break
        stage.received += len(chunk)
        if stage.received > max_bytes:
            raise too_big
        if decoder is None:
            out += chunk
            continue
        if decoder.eof:
            raise FetchError("encoding", url, f"data after the end of the {encoding} body")
        try:
            out += decoder.decompress(chunk, max_bytes + 1 - len(out))
        except zlib.error as e:
            raise FetchError("encoding", url, f"corrupt {encoding} body: {e}") from None
        if decoder.unconsumed_tail or len(out) > max_bytes:
            raise FetchError(
                "too-large",
                url,
                f"the {encoding} body expands to more than the {max_bytes:,}-byte limit",
            )
    if length is not None and stage.received < length:
        raise FetchError(
            "http",
            url,
            f"the connection closed after {stage.received:,} of {length:,} bytes",
        )
    if decoder is not None and stage.received:
        if not decoder.eof:
            raise FetchError("encoding", url, f"the {encoding} body is truncated")
        if decoder.unused_data:
            raise FetchError("encoding", url, f"data after the end of the {encoding} body")
    return bytes(out)
