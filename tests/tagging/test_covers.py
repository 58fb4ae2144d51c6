"""The artwork `tag` embeds is untrusted like every input: it is checked as the build checks it
(inside the show folder, a regular file of bounded size, a square RGB JPEG or PNG that decodes),
so a FIFO, a link out of the show or a decompression bomb is one located line, not a hang, a
read of somebody else's file or a traceback, and no audio file is changed."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image

from .conftest import Show, sha256


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _outside(path: Path) -> None:
    target = path.parent.parent / "elsewhere.png"
    Image.new("RGB", (1400, 1400)).save(target)
    path.symlink_to(target)


def _bomb(path: Path) -> None:
    """A PNG of a few bytes whose header declares 200,000 x 200,000 pixels."""
    Image.new("RGB", (1, 1)).save(path)
    data = bytearray(path.read_bytes())
    data[16:24] = (200_000).to_bytes(4, "big") * 2  # the IHDR chunk's width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # and its checksum
    path.write_bytes(bytes(data))


def _palette(path: Path) -> None:
    Image.new("P", (1400, 1400)).save(path)


def _truncated(path: Path) -> None:
    Image.effect_noise((1400, 1400), 64).convert("RGB").save(path)
    path.write_bytes(path.read_bytes()[:5000])


# (case, how cover.png is made, the message after "episodes/show.yaml: artwork: ")
COVER_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "fifo",
        _fifo,
        "is not a regular file (it is a FIFO (named pipe)); an image must be an ordinary file",
    ),
    (
        "outside",
        _outside,
        "is a symbolic link out of the episodes folder; copy the file into it instead",
    ),
    (
        "bomb",
        _bomb,
        "declares 40,000,000,000 pixels (a decompression bomb?); artwork must be 1400 to 3000"
        " pixels square",
    ),
    (
        "palette",
        _palette,
        "is an indexed-colour (palette) image; Apple Podcasts takes artwork in the RGB colour"
        " space only: save it as an RGB (truecolour) PNG or as a JPEG",
    ),
    (
        "truncated",
        _truncated,
        "is a truncated PNG file (its image data ends early); export it again",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), COVER_CASES, ids=[c[0] for c in COVER_CASES])
def test_a_hostile_cover_is_refused_at_the_artwork_field(
    show: Show, run: Callable[..., Result], case: str, make: Callable[[Path], None], message: str
) -> None:
    """Each hostile cover: exit 1, the show.yaml `artwork:` field and the file named with what
    is wrong, no traceback, and the episode's audio byte-identical."""
    yaml = show.root / "show.yaml"
    yaml.write_text(yaml.read_text().replace("artwork.jpg", "cover.png"), encoding="utf-8")
    make(show.root / "cover.png")
    audio = show.add("ep", "cbr-32k-22050-mono.mp3")
    before = sha256(audio)
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        f"episodes/show.yaml: artwork: episodes/cover.png: {message}\n"
        "error: 1 problem in 1 file; no audio file was changed\n"
    )
    assert sha256(audio) == before
