"""Hostile input files: every file the build reads is inside the show, an ordinary file and
of a sane size before a byte of it is read, and every bad value is a located error.

Cases that could hang or exhaust memory if a check regressed (FIFOs, sparse 3 GB files) run
the real CLI in a subprocess with a timeout and a 2 GiB address-space limit, so a regression
fails the test instead of blocking or swapping the suite. Each case asserts the exact
message, exit status 1, no traceback or raw Python warning, and feeds/ unchanged.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from stationcast.inputs import MANIFEST, Refused, read_input
from stationcast.models import GENERATED_NAMES
from support import EXAMPLE, EXAMPLE_SLUG, tree_digest

EPISODE = f"episodes/{EXAMPLE_SLUG}/episode.yaml"
SHOW = "episodes/show.yaml"
AUDIO = f"episodes/{EXAMPLE_SLUG}/audio.mp3"
TRANSCRIPT = f"episodes/{EXAMPLE_SLUG}/transcript.txt"
SUMMARY = "error: 1 problem in 1 file; nothing was written to feeds/"
SPARSE = 3_000_000_000  # bytes: os.truncate makes it sparse, so it takes no disk space


@pytest.fixture
def built(show: Path, run: Callable[..., Result], tmp_path: Path) -> dict[str, str]:
    """A good build in feeds/, which every failing build below must leave as it is."""
    assert run("build").exit_code == 0
    return tree_digest(tmp_path / "feeds")


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _guarded(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`stationcast build ARGS` in a subprocess: killed after 60 s, at most 2 GiB of memory."""
    return subprocess.run(
        [sys.executable, "-m", "stationcast", "build", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )


def _assert_refused(stderr: str, expected: str, tmp_path: Path, before: dict[str, str]) -> None:
    assert "Traceback" not in stderr and "Warning" not in stderr, stderr
    assert stderr.splitlines()[0] == expected, stderr
    assert tree_digest(tmp_path / "feeds") == before


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_image(show: Path, name: str = "cover.jpg") -> Path:
    """Give the example episode an image (a copy of the show's artwork); its path."""
    image = show / EXAMPLE_SLUG / name
    shutil.copyfile(show / "artwork.jpg", image)
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "audio: audio.mp3\n",
        f"audio: audio.mp3\nimage: {name}\n",
    )
    return image


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _sparse(path: Path) -> None:
    """A new file in place of `path` (the published copy may be a hard link to the old one)."""
    path.unlink(missing_ok=True)
    path.touch()
    os.truncate(path, SPARSE)


# -- files that are not ordinary files, or far too large -----------------------------------

# (id, what to do to the show, extra CLI arguments, the first line of stderr)
FILE_CASES: list[tuple[str, Callable[[Path], None], tuple[str, ...], str]] = [
    (
        "show.yaml is a FIFO",
        lambda show: _fifo(show / "show.yaml"),
        (),
        f"{SHOW}: is not a regular file (it is a FIFO (named pipe)); a manifest must be an"
        " ordinary file",
    ),
    (
        "episode.yaml is a FIFO",
        lambda show: _fifo(show / EXAMPLE_SLUG / "episode.yaml"),
        (),
        f"{EPISODE}: is not a regular file (it is a FIFO (named pipe)); a manifest must be an"
        " ordinary file",
    ),
    (
        "artwork is a FIFO",
        lambda show: _fifo(show / "artwork.jpg"),
        (),
        f"{SHOW}:13:10: artwork: artwork.jpg: is not a regular file (it is a FIFO (named pipe));"
        " an image must be an ordinary file",
    ),
    (
        "episode image is a FIFO",
        lambda show: _fifo(_with_image(show)),
        (),
        f"{EPISODE}:14:8: image.file: episodes/{EXAMPLE_SLUG}/cover.jpg: is not a regular file (it"
        " is a FIFO (named pipe)); an image must be an ordinary file",
    ),
    (
        "transcript is a FIFO",
        lambda show: _fifo(show / EXAMPLE_SLUG / "transcript.txt"),
        (),
        f"{EPISODE}:15:9: transcript.file: {TRANSCRIPT}: is not a regular file (it is a FIFO (named"
        " pipe)); a transcript must be an ordinary file",
    ),
    (
        "audio is a FIFO",
        lambda show: _fifo(show / EXAMPLE_SLUG / "audio.mp3"),
        (),
        f"{EPISODE}:13:8: audio: {AUDIO}: is not a regular file (it is a FIFO (named pipe));"
        " a media file must be an ordinary file",
    ),
    (
        "--state is a FIFO",
        lambda show: os.mkfifo(show.parent / "state.json"),
        ("--state", "state.json"),
        "error: the state file state.json is not a regular file (it is a FIFO (named pipe));"
        " a state file must be an ordinary file",
    ),
    (
        "transcript is a folder",
        lambda show: _folder(show / EXAMPLE_SLUG / "transcript.txt"),
        (),
        f"{EPISODE}:15:9: transcript.file: {TRANSCRIPT}: is not a regular file (it is a"
        " directory); a transcript must be an ordinary file",
    ),
    (
        "artwork is a folder",
        lambda show: _folder(show / "artwork.jpg"),
        (),
        f"{SHOW}:13:10: artwork: artwork.jpg: is not a regular file (it is a directory); an image"
        " must be an ordinary file",
    ),
    (
        "show.yaml of 3 GB",
        lambda show: _sparse(show / "show.yaml"),
        (),
        f"{SHOW}: is 3,000,000,000 bytes; a manifest may be at most 1,000,000 bytes (put long text"
        " such as transcripts in their own files)",
    ),
    (
        "episode.yaml of 3 GB",
        lambda show: _sparse(show / EXAMPLE_SLUG / "episode.yaml"),
        (),
        f"{EPISODE}: is 3,000,000,000 bytes; a manifest may be at most 1,000,000 bytes (put long"
        " text such as transcripts in their own files)",
    ),
    (
        "artwork of 3 GB",
        lambda show: _sparse(show / "artwork.jpg"),
        (),
        f"{SHOW}:13:10: artwork: artwork.jpg: is 3,000,000,000 bytes; an image may be at most"
        " 100,000,000 bytes (save it as a JPEG or a compressed PNG)",
    ),
    (
        "episode image of 3 GB",
        lambda show: _sparse(_with_image(show)),
        (),
        f"{EPISODE}:14:8: image.file: episodes/{EXAMPLE_SLUG}/cover.jpg: is 3,000,000,000 bytes; an"
        " image may be at most 100,000,000 bytes (save it as a JPEG or a compressed PNG)",
    ),
    (
        "transcript of 3 GB",
        lambda show: _sparse(show / EXAMPLE_SLUG / "transcript.txt"),
        (),
        f"{EPISODE}:15:9: transcript.file: {TRANSCRIPT}: is 3,000,000,000 bytes; a transcript"
        " may be at most 50,000,000 bytes",
    ),
    (
        "--state of 3 GB",
        lambda show: _sparse(show.parent / "state.json"),
        ("--state", "state.json"),
        "error: the state file state.json is 3,000,000,000 bytes; a state file may be at most"
        " 67,108,864 bytes",
    ),
]


@pytest.mark.parametrize(
    ("what", "setup", "args", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES]
)
def test_inputs_are_type_and_size_checked_before_reading(
    what: str,
    setup: Callable[[Path], None],
    args: tuple[str, ...],
    expected: str,
    show: Path,
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """A FIFO is refused without being opened (it would block the build for good) and a huge
    file by its size before it is read (read whole, it would exhaust memory): located, exit 1."""
    setup(show)
    result = _guarded(tmp_path, *args)
    assert result.returncode == 1, result.stderr
    _assert_refused(result.stderr, expected, tmp_path, built)


def test_a_name_too_long_is_a_refusal(tmp_path: Path) -> None:
    """A path the file system cannot look up (ENAMETOOLONG) is a message, not an OSError."""
    with pytest.raises(Refused) as refused:
        read_input(tmp_path / ("x" * 300 + ".yaml"), MANIFEST, root=tmp_path)
    assert refused.value.message == (
        "cannot be read: its path is too long for the file system; shorten it"
    )


# -- symbolic links ------------------------------------------------------------------------


def _link_out(path: Path, target: Path | str) -> None:
    path.unlink()
    path.symlink_to(target)


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def _outside_copy(show: Path, name: str) -> Path:
    """A copy of the show's artwork outside the show folder."""
    target = show.parent / name
    shutil.copyfile(show / "artwork.jpg", target)
    return target


OUTSIDE = "is a symbolic link out of the episodes folder; copy the file into it instead"
LOOP = "is a symbolic link that cannot be followed (a loop?); put the file itself there"

# (id, what to do to the show, the first line of stderr)
LINK_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "artwork linked to /etc/passwd",
        lambda show: _link_out(show / "artwork.jpg", "/etc/passwd"),
        f"{SHOW}:13:10: artwork: artwork.jpg: {OUTSIDE}",
    ),
    (
        "artwork linked to an image outside the show",
        lambda show: _link_out(show / "artwork.jpg", _outside_copy(show, "elsewhere.jpg")),
        f"{SHOW}:13:10: artwork: artwork.jpg: {OUTSIDE}",
    ),
    (
        "episode image linked out of the show",
        lambda show: _link_out(_with_image(show), _outside_copy(show, "elsewhere.jpg")),
        f"{EPISODE}:14:8: image.file: episodes/{EXAMPLE_SLUG}/cover.jpg: {OUTSIDE}",
    ),
    (
        "transcript linked to /etc/passwd",
        lambda show: _link_out(show / EXAMPLE_SLUG / "transcript.txt", "/etc/passwd"),
        f"{EPISODE}:15:9: transcript.file: {TRANSCRIPT}: {OUTSIDE}",
    ),
    (
        "alternate linked out of the show",
        lambda show: _alternate_out(show),
        f"{EPISODE}:14:14: alternates.0.file: episodes/{EXAMPLE_SLUG}/other.mp3: {OUTSIDE}",
    ),
    (
        "audio that links to itself",
        lambda show: _loop(show / EXAMPLE_SLUG / "audio.mp3"),
        f"{EPISODE}:13:8: audio: {AUDIO}: {LOOP}",
    ),
    (
        "artwork that links to itself",
        lambda show: _loop(show / "artwork.jpg"),
        f"{SHOW}:13:10: artwork: artwork.jpg: {LOOP}",
    ),
    (
        "show.yaml that links to itself",
        lambda show: _loop(show / "show.yaml"),
        f"{SHOW}: {LOOP}",
    ),
    (
        "episode folder that links to itself",
        lambda show: (show / "looping").symlink_to("looping"),
        "episodes/looping: is a symbolic link that cannot be followed (a loop?); put the episode"
        " folder itself there",
    ),
]


def _alternate_out(show: Path) -> None:
    outside = show.parent / "other.mp3"
    shutil.copyfile(show / EXAMPLE_SLUG / "audio.mp3", outside)
    (show / EXAMPLE_SLUG / "other.mp3").symlink_to(outside)
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "audio: audio.mp3\n",
        "audio: audio.mp3\nalternates: [other.mp3]\n",
    )


@pytest.mark.parametrize(("what", "setup", "expected"), LINK_CASES, ids=[c[0] for c in LINK_CASES])
def test_links_out_of_the_show_and_loops_are_refused(
    what: str,
    setup: Callable[[Path], None],
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """A link out of the show folder is never followed (it would publish a file from elsewhere
    on the machine), and a loop of links is a located error, not a traceback."""
    setup(show)
    result = run("build")
    assert result.exit_code == 1, result.stderr
    _assert_refused(result.stderr, expected, tmp_path, built)
    assert result.stderr.rstrip().splitlines()[-1] == SUMMARY


def test_links_within_the_show_are_followed(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Artwork and an episode image that link to files elsewhere inside the show are fine."""
    assets = show / "_assets"
    assets.mkdir()
    (show / "artwork.jpg").rename(assets / "artwork.jpg")
    (show / "artwork.jpg").symlink_to(Path("_assets") / "artwork.jpg")
    image = _with_image(show)
    image.unlink()
    image.symlink_to(Path("..") / "_assets" / "artwork.jpg")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "feeds" / EXAMPLE_SLUG / "cover.jpg").read_bytes() == (
        assets / "artwork.jpg"
    ).read_bytes()


# -- JSON nested too deeply ------------------------------------------------------------------


def test_deep_json_transcript(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A JSON transcript nested 100,000 deep is a located error, not a RecursionError."""
    folder = show / EXAMPLE_SLUG
    (folder / "transcript.json").write_text('{"segments": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _edit(folder / "episode.yaml", "file: transcript.txt", "file: transcript.json")
    result = run("build")
    assert result.exit_code == 1
    _assert_refused(
        result.stderr,
        f"episodes/{EXAMPLE_SLUG}/transcript.json:1:113: transcript: is nested too deeply (arrays"
        ' and objects more than 100 levels inside each other); a JSON transcript is {"segments":'
        " [{...}, ...]}",
        tmp_path,
        built,
    )


def test_deep_state_file(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A --state file nested 100,000 deep is an error naming it, not a RecursionError."""
    (tmp_path / "state.json").write_text('{"episodes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = run("build", "--state", "state.json")
    assert result.exit_code == 1
    _assert_refused(
        result.stderr,
        "error: the state file state.json is not usable (it is nested too deeply: arrays and"
        " objects more than 100 levels inside each other from line 1, column 113); it records"
        " what earlier builds published. Restore it from the published site (and pass it with"
        " --state), or delete it to skip the GUID and removal checks once",
        tmp_path,
        built,
    )


def test_deep_yaml_manifest(
    show: Path, run: Callable[..., Result], tmp_path: Path, built: dict[str, str]
) -> None:
    """A manifest nested 990 lists deep (below the YAML parser's own limit) is refused at the
    level where it goes too deep, not with a RecursionError."""
    _edit(
        show / EXAMPLE_SLUG / "episode.yaml",
        "audio: audio.mp3\n",
        "audio: audio.mp3\nx: " + "[" * 990 + "]" * 990 + "\n",
    )
    result = run("build")
    assert result.exit_code == 1
    _assert_refused(
        result.stderr,
        f"{EPISODE}:14:54: is nested too deeply (more than 50 levels of lists and mappings); a"
        " manifest nests a few levels at most",
        tmp_path,
        built,
    )


# -- images ----------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, *, rows: int | None = None, before_data: bytes = b"") -> bytes:
    """A black RGB PNG; `rows` limits the image data actually stored (a bomb stores few)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    stream = zlib.compressobj(9)
    row = b"\0" * (1 + 3 * width)
    data = (
        b"".join(stream.compress(row) for _ in range(height if rows is None else rows))
        + stream.flush()
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + before_data
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _noise_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((1400, 1400), 64).convert("RGB").save(out, "PNG")
    return out.getvalue()


def _use_artwork(show: Path, data: bytes, name: str = "artwork.png") -> None:
    (show / name).write_bytes(data)
    _edit(show / "show.yaml", "artwork: artwork.jpg", f"artwork: {name}")


ZTXT = _chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"A" * 5_000_000, 9))

# (id, what to do to the show, the first line of stderr)
IMAGE_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "decompression bomb of 400 million pixels",
        lambda show: _use_artwork(show, _png(20_000, 20_000, rows=1)),
        f"{SHOW}:13:10: artwork: artwork.png: declares 400,000,000 pixels (a decompression bomb?);"
        " artwork must be 1400 to 3000 pixels square",
    ),
    (
        "decompression bomb Pillow only warns about",
        lambda show: _use_artwork(show, _png(10_000, 10_000, rows=1)),
        f"{SHOW}:13:10: artwork: artwork.png: declares 100,000,000 pixels (a decompression bomb?);"
        " artwork must be 1400 to 3000 pixels square",
    ),
    (
        "zTXt bomb",
        lambda show: _use_artwork(show, _png(1400, 1400, before_data=ZTXT)),
        f"{SHOW}:13:10: artwork: artwork.png: holds a text chunk (PNG zTXt or iTXt metadata) that"
        " decompresses to more than 1 MB; save the image again without its metadata",
    ),
    (
        "truncated PNG",
        lambda show: _use_artwork(show, (data := _noise_png())[: len(data) // 2]),
        f"{SHOW}:13:10: artwork: artwork.png: is a truncated PNG file (its image data ends early);"
        " export it again",
    ),
    (
        "truncated JPEG",
        lambda show: _use_artwork(
            show, (data := (show / "artwork.jpg").read_bytes())[: len(data) // 2], "cut.jpg"
        ),
        f"{SHOW}:13:10: artwork: cut.jpg: is a truncated JPEG file (its image data ends early);"
        " export it again",
    ),
    (
        "truncated episode image",
        lambda show: (image := _with_image(show)).write_bytes(image.read_bytes()[:40_000]),
        f"{EPISODE}:14:8: image.file: episodes/{EXAMPLE_SLUG}/cover.jpg: is a truncated JPEG file"
        " (its image data ends early); export it again",
    ),
]


@pytest.mark.parametrize(
    ("what", "setup", "expected"), IMAGE_CASES, ids=[c[0] for c in IMAGE_CASES]
)
def test_hostile_images(
    what: str,
    setup: Callable[[Path], None],
    expected: str,
    show: Path,
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """Bombs, text-chunk bombs and truncated images are located errors, with no Pillow
    warning printed (run as a subprocess, so stderr holds everything Python itself prints)."""
    setup(show)
    result = _guarded(tmp_path)
    assert result.returncode == 1, result.stderr
    _assert_refused(result.stderr, expected, tmp_path, built)


# -- bad values ------------------------------------------------------------------------------

_EXAMPLE = (EXAMPLE / EXAMPLE_SLUG / "episode.yaml").read_text(encoding="utf-8")
SUMMARY_BLOCK = _EXAMPLE[_EXAMPLE.index("summary: >-") : _EXAMPLE.index("audio: audio.mp3")]
REMOTE = (
    "audio: {url: https://media.example.org/a.mp3, type: audio/mpeg, length: 1234567,"
    " duration: 600}"
)

# (id, manifest (show or episode), old text, new text, the first line of stderr)
VALUE_CASES = [
    (
        "remote audio of 10^20 bytes",
        EPISODE,
        "audio: audio.mp3",
        REMOTE.replace("1234567", "100000000000000000000"),
        f"{EPISODE}:13:73: audio.length: is 100,000,000,000,000,000,000 bytes; a media file is at"
        " most 1,000,000,000,000 bytes (1 TB): give the file's size in bytes",
    ),
    (
        "remote audio of 1e30 seconds",
        EPISODE,
        "audio: audio.mp3",
        REMOTE.replace("600", "1e30"),
        f"{EPISODE}:13:92: audio.duration: is 1e+30 seconds; a time in a manifest is at most a week"
        " (604,800 seconds)",
    ),
    (
        "remote audio of 0 seconds",
        EPISODE,
        "audio: audio.mp3",
        REMOTE.replace("600", "0"),
        f"{EPISODE}:13:92: audio.duration: expected more than 0 seconds (leave it out when"
        " unknown), got 0",
    ),
    (
        "episode number 10^30",
        EPISODE,
        "audio: audio.mp3",
        "audio: audio.mp3\nepisode: 1000000000000000000000000000000",
        f"{EPISODE}:14:10: episode: is 1000000000000000000000000000000; episode and season numbers"
        " are at most 2,147,483,647 (podcast apps store them as 32-bit numbers)",
    ),
    (
        "season number 2^31",
        EPISODE,
        "audio: audio.mp3",
        "audio: audio.mp3\nseason: 2147483648",
        f"{EPISODE}:14:9: season: is 2147483648; episode and season numbers are at most"
        " 2,147,483,647 (podcast apps store them as 32-bit numbers)",
    ),
    (
        "soundbite of 1e30 seconds",
        EPISODE,
        "audio: audio.mp3",
        "audio: audio.mp3\nsoundbites: [{start: 1, duration: 1e30}]",
        f"{EPISODE}:14:35: soundbites.0.duration: is 1e+30 seconds; a time in a manifest is at most"
        " a week (604,800 seconds)",
    ),
    (
        "title of zero-width spaces",
        EPISODE,
        "title: Report Compiles Stories Of Islamic State Defectors",
        'title: "\\u200b\\u200b\\u200b"',
        f"{EPISODE}:1:8: title: is empty (only invisible characters, such as U+200B ZERO WIDTH"
        " SPACE); write the text",
    ),
    (
        "summary of a byte order mark and word joiners",
        EPISODE,
        SUMMARY_BLOCK,
        'summary: "\\ufeff\\u2060\\u2060"\n',
        f"{EPISODE}:5:10: summary: is empty (only invisible characters, such as U+FEFF ZERO WIDTH"
        " NO-BREAK SPACE); write the text",
    ),
    (
        "show title of a Hangul filler",
        SHOW,
        "title: WUNC Segments",
        'title: "\\u3164"',
        f"{SHOW}:3:8: title: is empty (only invisible characters, such as U+3164 HANGUL FILLER);"
        " write the text",
    ),
    (
        "base_url with a password",
        SHOW,
        "base_url: https://podcasts.example.org/wunc/",
        "base_url: https://station:s3cret@podcasts.example.org/wunc/",
        f"{SHOW}:10:11: base_url: 'https://station:***@podcasts.example.org/wunc/' carries a user"
        " name or password (user:password@); the feed is public, so it would be published for"
        " everyone to read. Remove it",
    ),
    (
        "base_url with a query",
        SHOW,
        "base_url: https://podcasts.example.org/wunc/",
        "base_url: https://podcasts.example.org/wunc/?id=3",
        f"{SHOW}:10:11: base_url: must not have a query (?...) or fragment (#...), got"
        " 'https://podcasts.example.org/wunc/?id=3': every published file's URL is this URL with"
        " the file's path appended",
    ),
    (
        "base_url with a fragment",
        SHOW,
        "base_url: https://podcasts.example.org/wunc/",
        "base_url: https://podcasts.example.org/wunc/#top",
        f"{SHOW}:10:11: base_url: must not have a query (?...) or fragment (#...), got"
        " 'https://podcasts.example.org/wunc/#top': every published file's URL is this URL with"
        " the file's path appended",
    ),
    (
        "base_url with a broken IPv6 literal",
        SHOW,
        "base_url: https://podcasts.example.org/wunc/",
        "base_url: https://[2001:db8::1/wunc/",
        f"{SHOW}:10:11: base_url: expected an http:// or https:// URL with a valid host, got"
        " 'https://[2001:db8::1/wunc/' (Invalid IPv6 URL)",
    ),
    (
        "remote audio URL with a password",
        EPISODE,
        "audio: audio.mp3",
        REMOTE.replace("https://media", "https://me:pw@media"),
        f"{EPISODE}:13:14: audio.url: 'https://me:***@media.example.org/a.mp3' carries a user name"
        " or password (user:password@); the feed is public, so it would be published for everyone"
        " to read. Remove it",
    ),
    (
        "UTC offset with seconds",
        EPISODE,
        "published: 2015-09-22T17:35:00-04:00",
        "published: 2015-09-22T17:35:00-04:00:30",
        f"{EPISODE}:4:12: published: the UTC offset of '2015-09-22T17:35:00-04:00:30' has seconds;"
        " UTC offsets are whole minutes (RFC 2822 dates, which feeds use, and Apple Podcasts write"
        " them as +hhmm), like -04:00",
    ),
    (
        "year 0001",
        EPISODE,
        "published: 2015-09-22T17:35:00-04:00",
        "published: 0001-09-22T17:35:00-04:00",
        f"{EPISODE}:4:12: published: year 0001 is not a publication date; dates in a feed"
        " (RFC 2822) start at 1900, got '0001-09-22T17:35:00-04:00'",
    ),
    (
        "the last day of year 9999 west of UTC",
        EPISODE,
        "published: 2015-09-22T17:35:00-04:00",
        "published: 9999-12-31T23:00:00-04:00",
        f"{EPISODE}:4:12: published: '9999-12-31T23:00:00-04:00' is past the last moment a date can"
        " name (9999-12-31 UTC)",
    ),
    *[
        (
            f"audio named {name}",
            EPISODE,
            "audio: audio.mp3",
            f"audio: {name}",
            f"{EPISODE}:13:8: audio: {name!r} is the name of a file the build writes beside it in"
            f" the episode's output folder ({', '.join(GENERATED_NAMES)}); rename the file",
        )
        for name in ("index.html", "transcript.txt", "transcript.vtt", "Chapters.JSON")
    ],
    (
        "alternate named transcript.srt",
        EPISODE,
        "audio: audio.mp3",
        "audio: audio.mp3\nalternates: [transcript.srt]",
        f"{EPISODE}:14:14: alternates.0.file: 'transcript.srt' is the name of a file the build"
        f" writes beside it in the episode's output folder ({', '.join(GENERATED_NAMES)}); rename"
        " the file",
    ),
    (
        "chapter past the end of the audio",
        EPISODE,
        "audio: audio.mp3",
        "audio: audio.mp3\nchapters: [{start: 0, title: Start}, {start: 3600, title: Later}]",
        f"{EPISODE}:14:46: chapters.1.start: starts at 3600 s, but the audio is only 223.242 s"
        " long",
    ),
    (
        "chapter past the end of remote audio",
        EPISODE,
        "audio: audio.mp3",
        REMOTE + "\nchapters: [{start: 600, title: At the end}]",
        f"{EPISODE}:14:20: chapters.0.start: starts at 600 s, but the audio is only 600 s long",
    ),
]


@pytest.mark.parametrize(
    ("what", "manifest", "old", "new", "expected"), VALUE_CASES, ids=[c[0] for c in VALUE_CASES]
)
def test_bad_values_are_located(
    what: str,
    manifest: str,
    old: str,
    new: str,
    expected: str,
    show: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    built: dict[str, str],
) -> None:
    """Each value out of its bounds is an error at the manifest field; nothing is written."""
    _edit(tmp_path / manifest, old, new)
    result = run("build")
    assert result.exit_code == 1, result.stderr
    _assert_refused(result.stderr, expected, tmp_path, built)
    assert result.stderr.rstrip().splitlines()[-1] == SUMMARY


def test_transcript_past_the_end_is_a_warning(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A timed transcript running far past the end of the audio builds, with a located warning;
    a last cue within the 5 s tolerance gets none."""
    folder = show / EXAMPLE_SLUG
    (folder / "transcript.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:05.000\n<v MCEVERS>Hello.\n\n"
        "03:40.000 --> 03:48.000\n<v NEUMANN>Just past the end.\n",
        encoding="utf-8",
    )
    _edit(folder / "episode.yaml", "file: transcript.txt", "file: transcript.vtt")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    _edit(folder / "transcript.vtt", "03:40.000 --> 03:48.000", "59:00.000 --> 59:04.000")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: {EPISODE}:15:9: transcript.file: episodes/{EXAMPLE_SLUG}/transcript.vtt:"
        " cue 2 of 2 ends at 3544 s, 3320.758 s after the audio ends (223.242 s), so its"
        " captions will not line up; is it the transcript of another cut of the audio?\n"
        "1 warning (--strict makes them errors)\n"
    )


def test_generated_names_cover_every_file_the_build_writes(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """GENERATED_NAMES lists every file the build writes into an episode's folder besides the
    media it copies, so a media file can never be refused too little (or be overwritten)."""
    folder = show / EXAMPLE_SLUG
    (folder / "transcript.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:05.000\n<v MCEVERS>Hello.\n", encoding="utf-8"
    )
    _edit(folder / "episode.yaml", "file: transcript.txt", "file: transcript.vtt")
    _edit(
        folder / "episode.yaml",
        "audio: audio.mp3\n",
        "audio: audio.mp3\nchapters: [{start: 0, title: Start}]\n",
    )
    _with_image(show)
    assert run("build").exit_code == 0
    written = {p.name for p in (tmp_path / "feeds" / EXAMPLE_SLUG).iterdir()}
    assert written - {"audio.mp3", "cover.jpg"} == set(GENERATED_NAMES)


@pytest.mark.parametrize("name", ["feeds.json", "feeds.json.items", "feeds.json.held"])
def test_a_fifo_in_the_cache_folder_is_not_read(name: str, show: Path, tmp_path: Path) -> None:
    """A FIFO put where a build cache file was (a cache folder restored in CI is input like any
    other) is refused without being opened blocking: the build renders everything again, and
    its output is the cold build's."""
    first = _guarded(tmp_path)
    assert first.returncode == 0, first.stderr
    cold = tree_digest(tmp_path / "feeds")
    (tmp_path / "feeds" / "feed.xml").write_bytes(b"")  # (the feed must be assembled again)
    cache = tmp_path / ".stationcast-cache" / name
    cache.unlink(missing_ok=True)
    os.mkfifo(cache)
    again = _guarded(tmp_path)  # (a blocking read would hang here until the 60 s timeout)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert tree_digest(tmp_path / "feeds") == cold
