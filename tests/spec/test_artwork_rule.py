"""One artwork rule: the build's check of the artwork file (stationcast.artwork) and the
validator's check of the published image (stationcast.validate.content) agree on every image,
because both apply stationcast.spec.apple.artwork_faults."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from stationcast.artwork import inspect_artwork
from stationcast.validate.content import check_artwork

# (id, Pillow colour mode, format, side in pixels, file name)
IMAGES = [
    ("RGB JPEG", "RGB", "JPEG", 1400, "a.jpg"),
    ("RGB PNG", "RGB", "PNG", 1400, "a.png"),
    ("palette PNG", "P", "PNG", 1400, "a.png"),
    ("RGBA PNG", "RGBA", "PNG", 1400, "a.png"),
    ("grey JPEG", "L", "JPEG", 1400, "a.jpg"),
    ("grey PNG with alpha", "LA", "PNG", 1400, "a.png"),
    ("CMYK JPEG", "CMYK", "JPEG", 1400, "a.jpg"),
    ("one-bit PNG", "1", "PNG", 1400, "a.png"),
    ("RGB PNG named .jpg", "RGB", "PNG", 1400, "a.jpg"),
    ("RGB GIF", "RGB", "GIF", 1400, "a.gif"),
    ("too small", "RGB", "JPEG", 1399, "a.jpg"),
    ("too large", "RGB", "JPEG", 3001, "a.jpg"),
    ("largest", "RGB", "PNG", 3000, "a.png"),
]


def _write(path: Path, mode: str, fmt: str, side: int) -> None:
    Image.new("RGB", (side, side), (200, 40, 40)).convert(mode).save(path, fmt)


@pytest.mark.parametrize(
    ("what", "mode", "fmt", "side", "name"), IMAGES, ids=[i[0] for i in IMAGES]
)
def test_build_and_validator_agree(
    tmp_path: Path, what: str, mode: str, fmt: str, side: int, name: str
) -> None:
    """An image the build refuses is one the validator flags, and the other way round."""
    path = tmp_path / name
    _write(path, mode, fmt, side)
    refused = inspect_artwork(path, "show.yaml", root=tmp_path).problems
    flagged = check_artwork(path.read_bytes(), f"https://example.org/{name}")
    assert bool(refused) == bool(flagged), (refused, flagged)


def test_a_palette_png_is_refused_with_what_to_save_instead(tmp_path: Path) -> None:
    """The decision: an indexed-colour PNG is not RGB artwork; the message says what is."""
    path = tmp_path / "artwork.png"
    _write(path, "P", "PNG", 1400)
    [problem] = inspect_artwork(path, "show.yaml", root=tmp_path).problems
    assert str(problem) == (
        "show.yaml: artwork: artwork.png: is an indexed-colour (palette) image; Apple Podcasts"
        " takes artwork in the RGB colour space only: save it as an RGB (truecolour) PNG or as a"
        " JPEG"
    )
    assert check_artwork(path.read_bytes(), "https://example.org/artwork.png") == [
        (
            "apple.image.colorspace",
            "artwork 'https://example.org/artwork.png' is in mode P, not RGB",
        )
    ]
