"""Read what an importer starts from: a local file or an http(s) URL, with a size cap.

URLs are fetched with stationcast's hardened client (:mod:`stationcast.net`): http and https
only, every hop's address checked and pinned, private addresses refused unless allowed for the
host given, at most 5 redirects, one total deadline per request, and at most ``max_bytes`` of
body (also after gzip). Errors are :class:`ImportSourceError` naming the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from stationcast import __version__
from stationcast.errors import StationcastError
from stationcast.net import FetchError, fetch, url_host

USER_AGENT = f"stationcast-import/{__version__}"
TIMEOUT = 30.0


class ImportSourceError(StationcastError):
    """The page or feed to import cannot be read or understood at all."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True)
class Source:
    name: str  # as the user gave it, for messages
    data: bytes
    content_type: str = ""  # from the HTTP response, lower-case, without parameters
    url: str | None = None  # final URL when fetched
    charset: str = ""  # from the HTTP Content-Type, when given


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


def read_source(
    where: str,
    *,
    max_bytes: int,
    what: str,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
) -> Source:
    """The bytes of a file or URL; ImportSourceError when it cannot be read.

    allow_private: a URL's own host may have a private, loopback or link-local address (a
        server on the user's network); a redirect to another private host is still refused.
    timeout: seconds for the whole request, redirects included.
    """
    if is_url(where):
        return _fetch(
            where, max_bytes=max_bytes, what=what, allow_private=allow_private, timeout=timeout
        )
    if "://" in where:
        raise ImportSourceError(
            where, f"only http:// and https:// URLs can be imported, or a file holding the {what}"
        )
    path = Path(where)
    try:
        if not path.is_file():
            raise ImportSourceError(
                where, f"not found; expected a file holding the {what}, or an http(s) URL"
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportSourceError(
                where, f"is {size:,} bytes; a {what} may be at most {max_bytes:,} bytes"
            )
        return Source(where, path.read_bytes())
    except OSError as exc:
        raise ImportSourceError(where, f"cannot be read: {exc.strerror or exc}") from None


def _fetch(url: str, *, max_bytes: int, what: str, allow_private: bool, timeout: float) -> Source:
    given = url_host(url)
    try:
        response = fetch(
            url,
            max_bytes=max_bytes,
            timeout=timeout,
            private_hosts=(given,) if allow_private else (),
            user_agent=USER_AGENT,
        )
    except FetchError as exc:
        message = exc.message
        if exc.url != url and not message.startswith("redirected to"):
            message = f"at {exc.url}: {message}"
        if exc.kind == "too-large":
            message += f"; a {what} may be at most {max_bytes:,} bytes"
        if exc.kind == "address" and not allow_private and exc.host == given:
            message += " (pass --allow-private to import from a server on your own network)"
        raise ImportSourceError(url, f"cannot be fetched: {message}") from None
    if not 200 <= response.status < 300:
        where = f" (at {response.url})" if response.url != url else ""
        raise ImportSourceError(
            url,
            f"the server answered {response.status} {response.reason}{where}; check the URL",
        )
    return Source(url, response.body, response.content_type, response.url, response.charset)


def decode_text(source: Source) -> str:
    """Text of a saved page: UTF-8 (BOM optional), UTF-16 with a BOM, else an error."""
    data = source.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportSourceError(source.name, "is not valid UTF-16; save it as UTF-8") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportSourceError(
            source.name,
            f"line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02X}); "
            "save the page as UTF-8 text",
        ) from None
