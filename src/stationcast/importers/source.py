"""Read what an importer starts from: a local file or an http(s) URL, with a size cap.

URLs are fetched with the standard library only: http and https, a timeout, at most
``max_bytes`` of body, and errors turned into :class:`ImportSourceError` naming the source.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from stationcast import __version__
from stationcast.errors import StationcastError

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


def read_source(where: str, *, max_bytes: int, what: str) -> Source:
    """The bytes of a file or URL; ImportSourceError when it cannot be read."""
    if is_url(where):
        return _fetch(where, max_bytes=max_bytes, what=what)
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


def _fetch(url: str, *, max_bytes: int, what: str) -> Source:
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (scheme checked by is_url)
            final = response.geturl()
            if not is_url(final):
                raise ImportSourceError(
                    url, f"redirected to {final!r}, which is not an http(s) URL"
                )
            data = response.read(max_bytes + 1)
            content_type = (response.headers.get_content_type() or "").lower()
            charset = (response.headers.get_content_charset() or "").lower()
    except urllib.error.HTTPError as exc:
        raise ImportSourceError(
            url, f"the server answered {exc.code} {exc.reason}; check the URL"
        ) from None
    except urllib.error.URLError as exc:
        raise ImportSourceError(url, f"cannot be fetched: {exc.reason}") from None
    except (OSError, ValueError) as exc:
        raise ImportSourceError(url, f"cannot be fetched: {exc}") from None
    if len(data) > max_bytes:
        raise ImportSourceError(
            url, f"is larger than {max_bytes:,} bytes; a {what} may be at most that"
        )
    return Source(url, data, content_type, final, charset)


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
            f"line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02X}); save the page as UTF-8 text",
        ) from None
