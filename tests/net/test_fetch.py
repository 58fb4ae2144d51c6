"""stationcast.net, the one HTTP client stationcast downloads with, against real servers on
127.0.0.1 that the tests start and stop: what it refuses, and the limits it enforces."""

from __future__ import annotations

import datetime
import gzip
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from remote_server import FakeRemote, Route, serve
from stationcast.net import FetchError, fetch, resolve

LOCAL = ["127.0.0.1"]  # the host the tests' URLs name, allowed to be private
#: The hostile server keeps sending for this long; the fetch must give up long before.
GUARD = 10.0


@pytest.fixture
def remote() -> Iterator[FakeRemote]:
    with serve() as srv:
        yield srv


def _raises(call: Callable[[], object]) -> FetchError:
    with pytest.raises(FetchError) as e:
        call()
    return e.value


# (host, message): every spelling of a non-public address is refused before connecting.
ADDRESS_CASES = [
    ("127.0.0.1", "127.0.0.1 is a loopback address; refused"),
    ("::1", "::1 is a loopback address; refused"),
    ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address; refused"),
    ("2130706433", "2130706433 resolves to 127.0.0.1, which is a loopback address; refused"),
    ("0x7f000001", "0x7f000001 resolves to 127.0.0.1, which is a loopback address; refused"),
    ("localhost", "localhost resolves to 127.0.0.1, which is a loopback address; refused"),
    ("10.0.0.1", "10.0.0.1 is a private address; refused"),
    ("192.168.1.20", "192.168.1.20 is a private address; refused"),
    ("fc00::1", "fc00::1 is a private address; refused"),
    ("::ffff:10.0.0.1", "::ffff:10.0.0.1 is a private address; refused"),
    ("169.254.169.254", "169.254.169.254 is a cloud metadata address; refused"),
    ("::ffff:169.254.169.254", "::ffff:169.254.169.254 is a cloud metadata address; refused"),
    ("169.254.1.1", "169.254.1.1 is a link-local address; refused"),
    ("fe80::1", "fe80::1 is a link-local address; refused"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address; refused"),
    ("224.0.0.1", "224.0.0.1 is a multicast address; refused"),
    ("100.64.0.1", "100.64.0.1 is a shared (carrier-grade NAT) address; refused"),
    ("240.0.0.1", "240.0.0.1 is a reserved address; refused"),
    ("2002:7f00:1::", "2002:7f00:1:: is a loopback address; refused"),  # 6to4 of 127.0.0.1
    ("64:ff9b::7f00:1", "64:ff9b::7f00:1 is a loopback address; refused"),  # NAT64 of it
]


@pytest.mark.parametrize(("host", "message"), ADDRESS_CASES)
def test_non_public_address_refused(host: str, message: str) -> None:
    """The address is named (and, for a name, what it resolves to) and refused."""
    error = _raises(lambda: resolve(host, 80))
    assert (error.kind, error.message) == ("address", message)


def test_public_address_accepted() -> None:
    """A public address literal passes the check (nothing is connected to)."""
    assert resolve("93.184.215.14", 80) == [(socket.AF_INET, ("93.184.215.14", 80))]


def test_metadata_address_refused_even_when_private_is_allowed() -> None:
    """169.254.169.254 (cloud instance metadata) is refused even for an allowed host."""
    error = _raises(lambda: resolve("169.254.169.254", 80, allow_private=True))
    assert error.message == "169.254.169.254 is a cloud metadata address; refused"


def test_private_server_refused_by_default(remote: FakeRemote) -> None:
    """127.0.0.1 is refused unless it is allowed; no request reaches the server."""
    remote.routes["/x"] = Route(b"hello")
    error = _raises(lambda: fetch(remote.url("/x")))
    assert (error.kind, error.url, error.host) == ("address", remote.url("/x"), "127.0.0.1")
    assert str(error) == f"{remote.url('/x')}: 127.0.0.1 is a loopback address; refused"
    assert remote.requests == []


def test_allowed_private_host_is_fetched(remote: FakeRemote) -> None:
    """private_hosts=["127.0.0.1"]: the server on 127.0.0.1 answers."""
    remote.routes["/x"] = Route(b"hello", "text/plain; charset=utf-8")
    response = fetch(remote.url("/x"), private_hosts=LOCAL)
    assert (response.status, response.body, response.content_type, response.charset) == (
        200,
        b"hello",
        "text/plain",
        "utf-8",
    )


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "gopher://127.0.0.1/", "x"]
)
def test_other_schemes_refused(url: str) -> None:
    """Only http and https are fetched."""
    error = _raises(lambda: fetch(url, private_hosts=LOCAL))
    assert error.kind == "scheme"
    scheme = url.split(":", 1)[0] if ":" in url else "(none)"
    assert error.message == f"unsupported URL scheme {scheme!r}; only http and https"


_ALLOWED_ONLY = " (private addresses are allowed only for 127.0.0.1)"
# (Location, kind, message after "redirected to <Location>: "): where an allowed private
# host may not send the fetcher. {port} is the test server's port.
REDIRECT_CASES = [
    (
        "http://10.0.0.1/feed.xml",
        "address",
        "10.0.0.1 is a private address; refused" + _ALLOWED_ONLY,
    ),
    (
        "http://169.254.169.254/latest/meta-data/",
        "address",
        "169.254.169.254 is a cloud metadata address; refused" + _ALLOWED_ONLY,
    ),
    (
        "http://localhost:{port}/admin",
        "address",
        "localhost resolves to 127.0.0.1, which is a loopback address; refused" + _ALLOWED_ONLY,
    ),
    (
        "http://127.0.0.2:{port}/admin",
        "address",
        "127.0.0.2 is a loopback address; refused" + _ALLOWED_ONLY,
    ),
    ("http://[::1]:{port}/admin", "address", "::1 is a loopback address; refused" + _ALLOWED_ONLY),
    (
        "ftp://127.0.0.1/feed.xml",
        "scheme",
        "unsupported URL scheme 'ftp'; only http and https",
    ),
    ("file:///etc/passwd", "scheme", "unsupported URL scheme 'file'; only http and https"),
]


@pytest.mark.parametrize(("location", "kind", "message"), REDIRECT_CASES)
def test_redirect_target_refused(
    remote: FakeRemote, location: str, kind: str, message: str
) -> None:
    """A redirect from the allowed host is checked like a first request: another private
    host (another name for loopback too) or another scheme is refused, never connected to."""
    target = location.format(port=remote.port)
    remote.routes["/go"] = Route(status=302, headers={"Location": target})
    error = _raises(lambda: fetch(remote.url("/go"), private_hosts=LOCAL))
    assert (error.kind, error.url) == (kind, target)
    assert error.message == f"redirected to {target}: {message}"
    assert [path for _, path, _ in remote.requests] == ["/go"]


def test_allowed_host_may_redirect_to_itself_on_another_port(remote: FakeRemote) -> None:
    """The host given stays allowed after a redirect to the same host (another port)."""
    with serve() as other:
        other.routes["/feed.xml"] = Route(b"<rss/>")
        remote.routes["/go"] = Route(status=301, headers={"Location": other.url("/feed.xml")})
        response = fetch(remote.url("/go"), private_hosts=LOCAL)
    assert (response.status, response.body, response.url) == (
        200,
        b"<rss/>",
        other.url("/feed.xml"),
    )
    assert response.redirects == [other.url("/feed.xml")]


def test_redirect_loop_reported_at_once(remote: FakeRemote) -> None:
    """/a -> /b -> /a is a loop: reported after two requests, not after five redirects."""
    remote.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    remote.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    error = _raises(lambda: fetch(remote.url("/a"), private_hosts=LOCAL))
    assert (error.kind, error.url) == ("redirects", remote.url("/b"))
    assert error.message == f"redirect loop: redirected to {remote.url('/a')}, already requested"
    assert [path for _, path, _ in remote.requests] == ["/a", "/b"]


def test_redirect_chain_capped(remote: FakeRemote) -> None:
    """At most 5 redirects: the sixth is not followed."""
    for i in range(10):
        remote.routes[f"/r{i}"] = Route(status=307, headers={"Location": f"/r{i + 1}"})
    error = _raises(lambda: fetch(remote.url("/r0"), private_hosts=LOCAL))
    assert error.kind == "redirects"
    assert error.message == f"more than 5 redirects (the last one to {remote.url('/r6')})"
    assert len(remote.requests) == 6


def test_host_is_looked_up_once_per_hop(
    remote: FakeRemote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pinning: each hop resolves its host once and connects to what was checked (there is
    no second lookup a name could answer differently)."""
    lookups: list[tuple[Any, Any]] = []
    real = socket.getaddrinfo

    def counting(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        lookups.append((host, port))
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    remote.routes["/go"] = Route(status=302, headers={"Location": "/feed.xml"})
    remote.routes["/feed.xml"] = Route(b"<rss/>")
    response = fetch(f"http://localhost:{remote.port}/go", private_hosts=["localhost"])
    assert response.body == b"<rss/>"
    assert lookups == [("localhost", remote.port), ("localhost", remote.port)]


def test_redirects_share_one_deadline(remote: FakeRemote) -> None:
    """The timeout covers the whole request: three hops of 0.6 s each do not fit in 1.5 s,
    although each alone would."""
    remote.routes["/h1"] = Route(status=302, headers={"Location": "/h2"}, delay=0.6)
    remote.routes["/h2"] = Route(status=302, headers={"Location": "/h3"}, delay=0.6)
    remote.routes["/h3"] = Route(b"done", delay=0.6)
    error = _raises(lambda: fetch(remote.url("/h1"), private_hosts=LOCAL, timeout=1.5))
    assert (error.kind, error.url) == ("timeout", remote.url("/h3"))
    assert error.message == (
        "timed out: no complete answer within 1.5 s (waiting for the response headers)"
    )


def test_dripping_headers_cut_off_at_the_deadline(remote: FakeRemote) -> None:
    """A status line and headers sent a byte every 0.2 s (30 s in all) are cut off at 1 s."""
    remote.routes["/drip"] = Route(headers={"X-Pad": "x" * 120}, drip_headers=0.2)
    start = time.monotonic()
    error = _raises(lambda: fetch(remote.url("/drip"), private_hosts=LOCAL, timeout=1))
    assert time.monotonic() - start < GUARD
    assert error.kind == "timeout"
    assert error.message == (
        "timed out: no complete answer within 1 s (waiting for the response headers)"
    )


def test_dripping_body_cut_off_at_the_deadline(remote: FakeRemote) -> None:
    """A body sent a byte every 0.2 s (40 s in all) is cut off at 1 s, saying how much came."""
    remote.routes["/drip"] = Route(b"x" * 200, drip=0.2)
    start = time.monotonic()
    error = _raises(lambda: fetch(remote.url("/drip"), private_hosts=LOCAL, timeout=1))
    assert time.monotonic() - start < GUARD
    assert error.kind == "timeout"
    assert error.message.startswith("timed out: no complete answer within 1 s (reading the body, ")
    assert error.message.endswith(" bytes received)")


def test_gzip_bomb_refused(remote: FakeRemote) -> None:
    """20 KB of gzip that expands to 20 MiB is refused when it passes the 1 MiB cap."""
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    remote.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    error = _raises(lambda: fetch(remote.url("/bomb"), private_hosts=LOCAL, max_bytes=1 << 20))
    assert (error.kind, error.message) == (
        "too-large",
        "the gzip body expands to more than the 1,048,576-byte limit",
    )


def test_gzip_body_is_decoded(remote: FakeRemote) -> None:
    """A gzip body within the cap arrives decoded."""
    remote.routes["/z"] = Route(gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    assert fetch(remote.url("/z"), private_hosts=LOCAL).body == b"<rss/>"


def test_large_content_length_refused_unread(remote: FakeRemote) -> None:
    """A Content-Length over the cap is refused before the body is read."""
    remote.routes["/big"] = Route(b"x" * 5000)
    error = _raises(lambda: fetch(remote.url("/big"), private_hosts=LOCAL, max_bytes=1000))
    assert (error.kind, error.message) == (
        "too-large",
        "Content-Length 5,000 is larger than the 1,000-byte limit",
    )


def test_large_body_without_length_refused(remote: FakeRemote) -> None:
    """A body without Content-Length is cut off at the cap."""
    remote.routes["/big"] = Route(b"x" * 5000, length_header=False)
    error = _raises(lambda: fetch(remote.url("/big"), private_hosts=LOCAL, max_bytes=1000))
    assert (error.kind, error.message) == (
        "too-large",
        "the body is larger than the 1,000-byte limit",
    )


def test_body_shorter_than_its_length_is_an_error(remote: FakeRemote) -> None:
    """A connection closed before Content-Length bytes came is an error, not a short file."""
    remote.routes["/short"] = Route(b"x" * 10, declared_length=1000)
    error = _raises(lambda: fetch(remote.url("/short"), private_hosts=LOCAL))
    assert (error.kind, error.message) == ("http", "the connection closed after 10 of 1,000 bytes")


def test_truncated_gzip_is_an_error(remote: FakeRemote) -> None:
    """A gzip stream that stops early is an error, not a silently shortened body."""
    remote.routes["/z"] = Route(
        gzip.compress(b"<rss>" + b"x" * 5000)[:-12], headers={"Content-Encoding": "gzip"}
    )
    error = _raises(lambda: fetch(remote.url("/z"), private_hosts=LOCAL))
    assert (error.kind, error.message) == ("encoding", "the gzip body is truncated")


def test_encoding_not_asked_for_is_refused(remote: FakeRemote) -> None:
    """Only gzip and deflate are asked for; a Brotli body is refused, not passed on as text."""
    remote.routes["/br"] = Route(b"\x1b\x00", headers={"Content-Encoding": "br"})
    error = _raises(lambda: fetch(remote.url("/br"), private_hosts=LOCAL))
    assert (error.kind, error.message) == (
        "encoding",
        "the body has Content-Encoding 'br', which was not asked for",
    )


def test_refused_connection_is_named(remote: FakeRemote) -> None:
    """Nothing listening: the error names the address and port tried."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused
        error = _raises(lambda: fetch(f"http://127.0.0.1:{port}/", private_hosts=LOCAL))
    assert (error.kind, error.message) == (
        "connect",
        f"cannot connect to 127.0.0.1 port {port}: Connection refused",
    )


# --- https: the connection is pinned to the checked address, the name still verified ---


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for the name `localhost` (no IP address in it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_remote(certificate: tuple[Path, Path]) -> Iterator[FakeRemote]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with serve(tls=context, host_name="localhost") as srv:
        yield srv


@pytest.fixture
def trusting(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts the test certificate (and checks host names)."""
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_https_sends_the_name_to_the_pinned_address(
    tls_remote: FakeRemote, trusting: ssl.SSLContext
) -> None:
    """https://localhost: connected to the checked 127.0.0.1, with SNI, certificate check and
    Host header all for `localhost`."""
    tls_remote.routes["/x"] = Route(b"secure")
    response = fetch(tls_remote.url("/x"), private_hosts=["localhost"], ssl_context=trusting)
    assert response.body == b"secure"
    assert tls_remote.server_names == ["localhost"]
    assert tls_remote.requests[0][2]["Host"] == f"localhost:{tls_remote.port}"


def test_https_certificate_for_another_name_refused(
    tls_remote: FakeRemote, trusting: ssl.SSLContext
) -> None:
    """The certificate is checked against the URL's host: one for `localhost` does not do
    for 127.0.0.1, and no request is sent."""
    url = f"https://127.0.0.1:{tls_remote.port}/x"
    error = _raises(lambda: fetch(url, private_hosts=LOCAL, ssl_context=trusting))
    assert error.kind == "connect"
    assert error.message == (
        "the TLS certificate was refused: IP address mismatch, certificate is not valid for "
        "'127.0.0.1'."
    )
    assert tls_remote.requests == []


def test_https_to_http_redirect_refused(tls_remote: FakeRemote, trusting: ssl.SSLContext) -> None:
    """A redirect may not downgrade https to http."""
    target = f"http://localhost:{tls_remote.port}/x"
    tls_remote.routes["/go"] = Route(status=302, headers={"Location": target})
    error = _raises(
        lambda: fetch(tls_remote.url("/go"), private_hosts=["localhost"], ssl_context=trusting)
    )
    assert (error.kind, error.message) == ("scheme", f"redirect downgrades https to http: {target}")
