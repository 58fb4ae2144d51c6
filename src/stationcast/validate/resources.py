"""Checks on what the feed links to: local files under the output folder, and HTTP servers."""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .content import check_artwork, check_chapters, check_transcript
from .elements import Resources
from .fetch import FetchError, Response, fetch, rule_of
from .text import quote

#: (rule id, message, line, element)
Raw = tuple[str, str, int | None, str | None]

MAX_ARTWORK_BYTES = 16 * 1024 * 1024
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: How many items (newest first, in feed order) get their transcripts/chapters read.
CONTENT_ITEMS = 50
#: How many items get network checks (HEAD, Range, Content-Type, CORS).
REMOTE_ITEMS = 5
MAX_ARTWORK_IMAGES = 20


def feed_base(self_url: str) -> str | None:
    """The folder URL of the feed: `scheme://host/dir/` of its self link.

    A self link without a path (`https://example.com`) has the base `https://example.com/`;
    one without a host has none (no URL maps to a file).
    """
    try:
        parts = urlsplit(self_url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    folder = parts.path.rpartition("/")[0] + "/" if "/" in parts.path else "/"
    return f"{parts.scheme}://{parts.netloc}{folder}"


class LocalMap:
    """Maps URLs under the feed's own base URL to files under local_root."""

    def __init__(self, self_url: str, local_root: Path) -> None:
        self.base = feed_base(self_url)
        self.root = str(local_root)

    def path(self, url: str) -> str | None:
        if self.base is None or not url.startswith(self.base):
            return None
        rel = unquote(url[len(self.base) :].split("#", 1)[0].split("?", 1)[0])
        if rel.endswith("/"):
            rel += "index.html"
        if not rel or "\x00" in rel:
            return None
        norm = posixpath.normpath(rel)
        if norm.startswith(("../", "/")) or norm in ("..", "."):
            return None
        return os.path.join(self.root, *norm.split("/"))


def _read(path: str, limit: int) -> bytes | None:
    """At most limit+1 bytes of a regular file (never a FIFO or device, which could block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except OSError:
        return None


#: How far itunes:duration may be from the audio's own length before it is reported: a
#: second, or 1% of a long file (players show the feed's figure; transcripts and chapters
#: are timed against the audio's).
DURATION_SLACK = (1.0, 0.01)


def check_audio(
    url: str, path: Path, declared: str, duration: float | None, line: int | None
) -> list[Raw]:
    """The enclosure file itself, probed as the build probes audio: its real container
    against the declared type, its real length against itunes:duration."""
    from stationcast.errors import AudioError
    from stationcast.media.probe import probe_audio
    from stationcast.spec.apple import enclosure_type

    try:
        info = probe_audio(path)
    except AudioError as err:
        return [("audio.unreadable", f"enclosure {quote(url)}: {err.message}", line, "enclosure")]
    out: list[Raw] = []
    real = enclosure_type(info.mime_type) or info.mime_type
    said = enclosure_type(declared) or declared
    if said != real:
        out.append(
            (
                "audio.type",
                f"enclosure {quote(url)} says type={declared} but the file is {info.format}"
                f" ({info.mime_type})",
                line,
                "enclosure",
            )
        )
    return out + _duration(url, duration, info.duration, line)


def _duration(
    url: str, declared: float | None, real: float, line: int | None, how: str = ""
) -> list[Raw]:
    """itunes:duration against the audio's real length (`how`: how that was measured)."""
    if declared is None or abs(declared - real) <= max(DURATION_SLACK[0], DURATION_SLACK[1] * real):
        return []
    return [
        (
            "audio.duration",
            f"enclosure {quote(url)}: <itunes:duration> says {declared:g} s but the audio lasts"
            f" {real:.1f} s{how}",
            line,
            "itunes:duration",
        )
    ]


def check_local(
    res: Resources,
    local_root: Path,
    elsewhere: frozenset[str] = frozenset(),
    *,
    audio: bool = False,
) -> list[Raw]:
    """Offline: enclosure sizes, artwork bytes, transcripts and chapters under local_root.

    elsewhere: enclosure URLs known not to be files of local_root, even under the self link's
    folder (media a show's manifests give by URL, still hosted where the old feed had it).
    audio: also probe each enclosure file (see check_audio)."""
    if not res.self_url:
        return []
    m = LocalMap(res.self_url, local_root)
    out: list[Raw] = []
    for index, (url, length, type_, line) in enumerate(res.enclosures):
        p = m.path(url)
        if p is None or url in elsewhere:
            continue
        try:
            size = os.stat(p).st_size
        except OSError:
            out.append(
                (
                    "local.file.missing",
                    f"enclosure {quote(url)}: no file {quote(p)}",
                    line,
                    "enclosure",
                )
            )
            continue
        if length is not None and size != length:
            out.append(
                (
                    "apple.enclosure.size",
                    f"enclosure {quote(url)} says length={length:,} but the file is {size:,} bytes",
                    line,
                    "enclosure",
                )
            )
        if audio:
            out.extend(check_audio(url, Path(p), type_, res.durations.get(index), line))
    seen: set[str] = set()
    for url, line, _where in res.artwork:
        if url in seen or len(seen) >= MAX_ARTWORK_IMAGES:
            continue
        seen.add(url)
        p = m.path(url)
        if p is None:
            continue
        data = _read(p, MAX_ARTWORK_BYTES)
        if data is None:
            out.append(
                (
                    "local.file.missing",
                    f"artwork {quote(url)}: no file {quote(p)}",
                    line,
                    "itunes:image",
                )
            )
            continue
        out.extend((rule, msg, line, "itunes:image") for rule, msg in check_artwork(data, url))
    for kind, entries in (
        ("podcast:transcript", res.transcripts),
        ("podcast:chapters", res.chapters),
    ):
        read = 0
        for url, type_, line in entries:
            p = m.path(url)
            if p is None:
                continue
            if read >= CONTENT_ITEMS:
                if not os.path.exists(p):
                    out.append(
                        ("local.file.missing", f"{quote(url)}: no file {quote(p)}", line, kind)
                    )
                continue
            read += 1
            data = _read(p, MAX_TEXT_BYTES)
            if data is None:
                out.append(("local.file.missing", f"{quote(url)}: no file {quote(p)}", line, kind))
                continue
            problems = (
                check_chapters(data, url)
                if kind == "podcast:chapters"
                else check_transcript(data, url, type_)
            )
            out.extend((rule, msg, line, kind) for rule, msg in problems)
    return out


def _fetch_rule(e: FetchError) -> str:
    rule = rule_of(e)
    return rule if rule in ("http.address", "http.scheme", "http.redirects") else "http.unreachable"


def check_served(
    url: str,
    what: str,
    line: int | None,
    element: str | None,
    get: Callable[..., Response],
    *,
    head: bool = True,
) -> list[Raw]:
    """HEAD support and `Range: bytes=0-1` -> 206 (Apple: feed, artwork, media)."""
    out: list[Raw] = []
    try:
        head_status = get(url, method="HEAD", read_body=False).status if head else None
        r = get(url, method="GET", headers={"Range": "bytes=0-1"}, read_body=False)
        if r.status >= 400:
            out.append(("http.unreachable", f"{what} {quote(url)}: HTTP {r.status}", line, element))
            return out
        if head_status is not None and head_status >= 400:
            out.append(
                ("http.head", f"{what} {quote(url)}: HEAD answered {head_status}", line, element)
            )
        if r.status != 206:
            out.append(
                (
                    "http.range",
                    f"{what} {quote(url)}: 'Range: bytes=0-1' answered {r.status}, not 206",
                    line,
                    element,
                )
            )
    except FetchError as e:
        out.append((_fetch_rule(e), f"{what} {quote(url)}: {e.message}", line, element))
    return out


def check_remote(
    res: Resources,
    *,
    allow_private: bool,
    timeout: float,
    given_host: str = "",
    remote_items: int = REMOTE_ITEMS,
    workers: int = 8,
    audio: bool = False,
) -> list[Raw]:
    """Network checks on artwork, the first `remote_items` enclosures, transcripts, chapters.

    With allow_private, links to `given_host` (the host the user named) may be private.
    audio: also download each of those enclosures' first bytes and check what they are.
    """

    def get(url: str, **kw: object) -> Response:
        return fetch(url, given_host=given_host, allow_private=allow_private, timeout=timeout, **kw)

    # Each URL is checked, and its problems reported, once (at its first use), however many
    # items link to it: one broken artwork URL shared by every item is one finding.
    uses: dict[str, int] = {}
    for entries in (res.artwork, res.transcripts, res.chapters):
        for url, _, _ in entries:
            uses[url] = uses.get(url, 0) + 1
    tasks: dict[str, Callable[[], list[Raw]]] = {}
    for url, line, _ in res.artwork:
        if url not in tasks and len(tasks) < MAX_ARTWORK_IMAGES:
            tasks[url] = lambda url=url, line=line: _artwork(url, line, get)  # type: ignore[misc]
    for index, (url, length, type_, line) in enumerate(res.enclosures[:remote_items]):
        if url not in tasks:
            seconds = res.durations.get(index)
            tasks[url] = lambda u=url, n=length, t=type_, ln=line, s=seconds: _enclosure(  # type: ignore[misc]
                u, n, t, ln, get, audio, s
            )
    last_line = (res.items[remote_items][2] if len(res.items) > remote_items else None) or float(
        "inf"
    )
    for kind, entries in (
        ("podcast:transcript", res.transcripts),
        ("podcast:chapters", res.chapters),
    ):
        for url, type_, line in entries:
            if line is not None and line < last_line and url not in tasks:
                tasks[url] = lambda u=url, t=type_, ln=line, k=kind: _text(u, t, ln, k, get)  # type: ignore[misc]
    if not tasks:
        return []
    with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        results = list(pool.map(lambda t: t(), tasks.values()))
    out: list[Raw] = []
    for url, batch in zip(tasks, results, strict=True):
        n = uses.get(url, 1)
        note = f" (linked {n} times; reported once)" if n > 1 else ""
        out.extend((rule, message + note, line, element) for rule, message, line, element in batch)
    return out


def _artwork(url: str, line: int | None, get: Callable[..., Response]) -> list[Raw]:
    el = "itunes:image"
    try:
        r = get(url, max_bytes=MAX_ARTWORK_BYTES)
    except FetchError as e:
        return [(_fetch_rule(e), f"artwork {quote(url)}: {e.message}", line, el)]
    if not 200 <= r.status < 300:
        return [("http.unreachable", f"artwork {quote(url)}: HTTP {r.status}", line, el)]
    out: list[Raw] = [(rule, msg, line, el) for rule, msg in check_artwork(r.body, url)]
    out += check_served(url, "artwork", line, el, get)
    return out


#: What `--remote --audio` downloads of an enclosure to see what it is.
SNIFF_BYTES = 65536


def _sniffed(
    url: str,
    declared: str,
    line: int | None,
    get: Callable[..., Response],
    duration: float | None = None,
) -> list[Raw]:
    """--remote --audio: the enclosure's first bytes (a Range request) against its type, and
    its real length against itunes:duration (`duration`), measured by the build's own probe
    through range requests for the few blocks it reads (see stationcast.media.ranged)."""
    from stationcast.errors import AudioError
    from stationcast.media.probe import SNIFFED_TYPES, sniff_format
    from stationcast.spec.apple import enclosure_type

    try:
        r = get(url, headers={"Range": f"bytes=0-{SNIFF_BYTES - 1}"}, max_bytes=SNIFF_BYTES)
    except FetchError:
        return []  # (a server that sends the whole file for a Range: reported as http.range)
    if r.status not in (200, 206) or not r.body:
        return []
    try:
        kind = sniff_format(r.body, url)
    except AudioError as err:
        return [("audio.unreadable", f"enclosure {quote(url)}: {err.message}", line, "enclosure")]
    said = enclosure_type(declared) or declared
    if said not in SNIFFED_TYPES[kind]:
        return [
            (
                "audio.type",
                f"enclosure {quote(url)} says type={declared} but its first bytes are"
                f" {kind.upper()}",
                line,
                "enclosure",
            )
        ]
    size = _full_size(r)
    if duration is None or size is None:
        return []
    return _remote_duration(url, r.body, size, duration, line, get)


_CONTENT_RANGE = re.compile(r"bytes\s+\d+-\d+/(\d+)\s*$")


def _full_size(r: Response) -> int | None:
    """The whole file's size, from a Range answer: Content-Range's, or the body's when the
    server sent the whole file (200)."""
    if r.status == 200:
        return len(r.body) if len(r.body) < SNIFF_BYTES else None
    found = _CONTENT_RANGE.match(r.header("Content-Range") or "")
    return int(found.group(1)) if found else None


def _remote_duration(
    url: str,
    head: bytes,
    size: int,
    duration: float,
    line: int | None,
    get: Callable[..., Response],
) -> list[Raw]:
    from stationcast.errors import AudioError
    from stationcast.media.probe import probe_ranged
    from stationcast.media.ranged import RangedFile, RangeUnavailable

    def fetch_range(start: int, end: int) -> bytes:
        try:
            r = get(url, headers={"Range": f"bytes={start}-{end - 1}"}, max_bytes=end - start)
        except FetchError as e:
            raise RangeUnavailable(e.message) from None
        if r.status != 206:
            raise RangeUnavailable(f"a Range request answered {r.status}, not 206")
        return r.body

    remote = RangedFile(fetch_range, size, known=head)
    try:
        info = probe_ranged(url, remote)
    except AudioError as err:
        return [("audio.unreadable", f"enclosure {quote(url)}: {err.message}", line, "enclosure")]
    if info is None:  # not measurable within the budget (a VBR MP3 without a header): unsaid
        return []
    read = min(size, len(head) + remote.fetched)
    whole = "the whole file" if read >= size else f"{_kib(read)} of its {_kib(size)}"
    return _duration(url, duration, info.duration, line, f" (measured from {whole})")


def _kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 1048576 else f"{size / 1048576:,.1f} MiB"


def _enclosure(
    url: str,
    length: int | None,
    type_: str,
    line: int | None,
    get: Callable[..., Response],
    audio: bool = False,
    duration: float | None = None,
) -> list[Raw]:
    el = "enclosure"
    out: list[Raw] = []
    try:
        r = get(url, method="HEAD", read_body=False)
    except FetchError as e:
        return [(_fetch_rule(e), f"enclosure {quote(url)}: {e.message}", line, el)]
    served = check_served(url, "enclosure", line, el, get, head=False)
    if r.status >= 400:
        if not any(rule == "http.unreachable" for rule, *_ in served):
            out.append(("http.head", f"enclosure {quote(url)}: HEAD answered {r.status}", line, el))
    else:
        size = r.header("Content-Length")
        if length is not None and size and size.strip().isdigit() and int(size) != length:
            out.append(
                (
                    "apple.enclosure.size",
                    f"enclosure {quote(url)} says length={length:,} but "
                    f"the server reports {int(size):,} bytes",
                    line,
                    el,
                )
            )
        ctype = r.content_type
        if type_ and ctype and ctype != type_:
            out.append(
                (
                    "http.enclosure.content-type",
                    f"enclosure {quote(url)} is served as {quote(ctype)}, declared {quote(type_)}",
                    line,
                    el,
                )
            )
        if audio:
            out.extend(_sniffed(url, type_, line, get, duration))
    return out + served


def _text(
    url: str, type_: str, line: int | None, el: str, get: Callable[..., Response]
) -> list[Raw]:
    what = "transcript" if el == "podcast:transcript" else "chapters"
    try:
        r = get(url, max_bytes=MAX_TEXT_BYTES, headers={"Origin": "https://example.org"})
    except FetchError as e:
        return [(_fetch_rule(e), f"{what} {quote(url)}: {e.message}", line, el)]
    if not 200 <= r.status < 300:
        return [("http.unreachable", f"{what} {quote(url)}: HTTP {r.status}", line, el)]
    out: list[Raw] = []
    served = r.content_type
    if el == "podcast:transcript" and type_ and served != type_:
        out.append(
            (
                "http.transcript.content-type",
                f"transcript {quote(url)} is served as "
                f"{quote(served or '(none)')}, declared {quote(type_)}",
                line,
                el,
            )
        )
    if not r.header("Access-Control-Allow-Origin"):
        out.append(
            (
                "http.cors",
                f"{what} {quote(url)} has no Access-Control-Allow-Origin header",
                line,
                el,
            )
        )
    problems = (
        check_chapters(r.body, url) if what == "chapters" else check_transcript(r.body, url, type_)
    )
    out.extend((rule, msg, line, el) for rule, msg in problems)
    return out
