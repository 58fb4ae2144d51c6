"""`validate --remote --audio`: a remote enclosure's real duration against its itunes:duration,
measured by the build's own probe through range requests for the few blocks it reads, on a
real HTTP server on 127.0.0.1 serving the example's audio (an MP3 without a VBR header, as
stations have it) and encodings of it made with ffmpeg: VBR with a Xing header, the same with
the header stripped, M4A with its moov box at the end and at the start, Opus."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from remote_server import FakeRemote, Route, serve
from stationcast.media import mp3
from stationcast.media.ranged import BUDGET
from stationcast.validate import validate_source
from support import EXAMPLE, EXAMPLE_SLUG

from .conftest import NOW

AUDIO = EXAMPLE / EXAMPLE_SLUG / "audio.mp3"  # 223.24 s, CBR 40 kb/s, no Xing/Info header
SECONDS = 223.24

# name -> (MIME type, ffmpeg options to make it from the example's audio; None: the file itself)
KINDS: dict[str, tuple[str, list[str] | None]] = {
    "cbr.mp3": ("audio/mpeg", None),
    "vbr.mp3": ("audio/mpeg", ["-c:a", "libmp3lame", "-q:a", "6"]),
    "end.m4a": ("audio/x-m4a", ["-c:a", "aac", "-b:a", "64k"]),
    "fast.m4a": ("audio/x-m4a", ["-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"]),
    "speech.opus": ("audio/ogg", ["-c:a", "libopus", "-b:a", "32k"]),
}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not on PATH (Debian: apt-get install ffmpeg; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("remote-audio")
    made = {}
    for name, (_, options) in KINDS.items():
        if options is None:
            made[name] = AUDIO.read_bytes()
            continue
        out = folder / name
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(AUDIO), *options, str(out)], check=True
        )
        made[name] = out.read_bytes()
    vbr = made["vbr.mp3"]
    xing = vbr.find(b"Xing")
    assert 0 < xing < 8192
    at = vbr.rfind(b"\xff", 0, xing)  # the frame that holds the Xing header
    while mp3._frame_at(vbr, at) is None:
        at = vbr.rfind(b"\xff", 0, at)
    frame = mp3._frame_at(vbr, at)
    assert frame is not None
    made["stripped.mp3"] = vbr[:at] + vbr[at + frame.length :]  # VBR, no header left
    return made


def _feed(remote: FakeRemote, items: list[tuple[str, str, float]]) -> bytes:
    entries = "".join(
        f"<item><title>{name}</title><guid isPermaLink='false'>{name}</guid>"
        f"<pubDate>Tue, 22 Sep 2015 08:00:00 -0400</pubDate>"
        f"<enclosure url='{remote.url('/' + name)}' length='{length}' type='{mime}'/>"
        f"<itunes:duration>{seconds:g}</itunes:duration></item>"
        for name, mime, seconds, length in items
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'"
        " xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel>"
        "<title>Durations</title><link>https://station.example/</link>"
        "<description>Remote audio.</description><language>en</language>"
        f"{entries}</channel></rss>"
    ).encode()


@pytest.fixture
def remote(media: dict[str, bytes]) -> Iterator[FakeRemote]:
    with serve() as remote:
        for name, data in media.items():
            mime = KINDS.get(name, ("audio/mpeg", None))[0]
            remote.routes["/" + name] = Route(data, mime)
        yield remote


def _durations(remote: FakeRemote, media: dict[str, bytes], said: dict[str, float]) -> list[str]:
    items = [
        (name, KINDS.get(name, ("audio/mpeg", None))[0], seconds, len(media[name]))
        for name, seconds in said.items()
    ]
    remote.routes["/feed.xml"] = Route(_feed(remote, items), "application/rss+xml")
    report = validate_source(
        remote.url("/feed.xml"),
        audio=True,
        allow_private=True,
        now=NOW,
        timeout=10,
        remote_items=len(items),
    )
    return sorted(f.message for f in report.findings if f.rule.id.startswith("audio."))


def _downloaded(remote: FakeRemote, name: str) -> int:
    """The bytes the range GETs for one file asked for (and they were few requests)."""
    total = requests = 0
    for method, path, headers in remote.requests:
        if method == "GET" and path == "/" + name and "Range" in headers:
            first, _, last = headers["Range"][6:].partition("-")
            total += int(last) - int(first) + 1
            requests += 1
    assert requests <= 16, (name, requests)
    return total


def test_a_true_duration_is_not_reported_for_any_kind(
    remote: FakeRemote, media: dict[str, bytes]
) -> None:
    assert _durations(remote, media, dict.fromkeys(KINDS, SECONDS)) == []
    # none was downloaded whole: the first 64 KiB and a few blocks
    for name in KINDS:
        assert _downloaded(remote, name) < 200 * 1024, name


@pytest.mark.parametrize("name", list(KINDS))
def test_a_wrong_duration_is_reported_with_how_much_was_read(
    remote: FakeRemote, media: dict[str, bytes], name: str
) -> None:
    found = _durations(remote, media, {name: 300})
    assert len(found) == 1, found
    message = found[0]
    assert message.startswith(
        f"enclosure '{remote.url('/' + name)}': <itunes:duration> says 300 s but the audio lasts"
        " 223."
    ), message
    assert re.search(r" \(measured from [\d,]+ KiB of its [\d,.]+ (KiB|MiB)\)$", message), message
    assert _downloaded(remote, name) < 200 * 1024


def test_a_vbr_mp3_without_a_header_is_not_guessed(
    remote: FakeRemote, media: dict[str, bytes]
) -> None:
    """Its length needs every frame counted (its whole 1.2 MB): more than a probe may fetch,
    so its duration is not judged, and what it downloads stays within the budget."""
    assert len(media["stripped.mp3"]) > BUDGET
    assert _durations(remote, media, {"stripped.mp3": 300}) == []
    assert _downloaded(remote, "stripped.mp3") <= 64 * 1024 + BUDGET


def test_a_server_without_ranges_gets_no_duration_check(
    remote: FakeRemote, media: dict[str, bytes]
) -> None:
    remote.routes["/end.m4a"].ranges = False
    assert _durations(remote, media, {"end.m4a": 300}) == []
