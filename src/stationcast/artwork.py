"""Check the show's artwork against Apple's rules before publishing it.

Apple Podcasts (and PSP-1) require a square JPEG or PNG between 1400 and 3000 pixels, in
RGB colour without an alpha channel, whose file extension matches its real format: the rule
is stationcast.spec.apple.artwork_faults, which `stationcast validate` applies to the built
feed too. We read the image itself with Pillow rather than trusting the extension.

The file is hostile until proven otherwise: it is read through stationcast.inputs (inside
the show, a regular file, at most `inputs.IMAGE` bytes), its dimensions come from the header
first, and only an image whose dimensions Apple accepts is decoded in full (at most 3000 x
3000 pixels, 36 MB), so a truncated or damaged file is caught before it is published.
Pillow's own decompression-bomb guard refuses headers of more than about 179 million pixels
while opening; its warnings become problems, never printed text. A PNG text chunk (zTXt,
iTXt) that decompresses to more than Pillow's MAX_TEXT_CHUNK (1 MB) is refused likewise.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from stationcast.errors import Problem
from stationcast.inputs import IMAGE, MISSING_ARTWORK, Refused, missing_hint, read_input
from stationcast.spec.apple import (
    ARTWORK_FORMATS,
    ARTWORK_MAX_SIDE,
    ARTWORK_MIN_SIDE,
    artwork_faults,
)

MIN_SIDE = ARTWORK_MIN_SIDE
MAX_SIDE = ARTWORK_MAX_SIDE
# What Pillow raises on hostile or damaged image data, opening or decoding it.
_PILLOW_ERRORS = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class CheckedImage:
    """The outcome of checking one image: its problems, and when it passed its size and bytes."""

    problems: list[Problem] = field(default_factory=list)
    size: tuple[int, int] | None = None
    data: bytes | None = None


def check_artwork(path: Path, manifest: str, *, root: Path | None = None) -> list[Problem]:
    """Problems with the artwork at `path` (empty when it is fine)."""
    return inspect_artwork(path, manifest, root=root).problems


def inspect_artwork(
    path: Path,
    manifest: str,
    *,
    root: Path | None = None,
    field: str = "artwork",
    missing: str = MISSING_ARTWORK,
    shown: str | None = None,
) -> CheckedImage:
    """Check the image at `path` (inside the show folder `root`, when given).

    Problems name `manifest` and `field`, then the file (as `shown`, default its name);
    `missing` is the message for no file at all.
    """
    name = shown if shown is not None else path.name

    def problem(message: str) -> CheckedImage:
        return CheckedImage([Problem(manifest, field=field, message=f"{name}: {message}")])

    try:
        data = read_input(path, IMAGE, root=root)
    except Refused as exc:
        return problem(missing + missing_hint(path) if exc.missing else exc.message)
    with warnings.catch_warnings():
        # Pillow warns (on stderr) about images of 89 to 179 million pixels: a problem here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height), mode = image.format, image.size, image.mode
                faults = {f.kind for f in artwork_faults(fmt, width, height, mode, path.suffix)}
                if "format" in faults:
                    return problem(f"is a {fmt} image; Apple Podcasts accepts JPEG or PNG only")
                assert fmt is not None
                if "extension" in faults:
                    return problem(
                        f"is a {fmt} image but its name ends in {path.suffix!r};"
                        f" use {ARTWORK_FORMATS[fmt][0]}"
                    )
                found: list[Problem] = []
                if "square" in faults:
                    found += problem(f"is {width}x{height} pixels; artwork must be square").problems
                if "size" in faults:
                    found += problem(
                        f"is {width} pixels wide; artwork must be {MIN_SIDE} to {MAX_SIDE} pixels"
                    ).problems
                if "colour" in faults:
                    found += problem(_colour(mode)).problems
                if found:  # broke a rule: never decoded
                    return CheckedImage(found)
                image.load()  # every pixel: a truncated or damaged file fails here
        except _PILLOW_ERRORS as exc:
            return problem(_unreadable(exc, fmt=_sniffed(data)))
    return CheckedImage([], (int(width), int(height)), data)


def _colour(mode: str) -> str:
    """What is wrong with an image in Pillow's colour mode `mode` (anything but RGB)."""
    if mode == "P":
        return (
            "is an indexed-colour (palette) image; Apple Podcasts takes artwork in the RGB"
            " colour space only: save it as an RGB (truecolour) PNG or as a JPEG"
        )
    if "A" in mode:  # RGBA, LA, PA
        return (
            f"has an alpha channel (transparency, {mode} colour mode); Apple Podcasts takes"
            " artwork without one: save it as RGB without transparency (or as a JPEG)"
        )
    return f"uses the {mode} colour mode; save it as RGB"


def _sniffed(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


def _unreadable(exc: BaseException, *, fmt: str | None) -> str:
    """What is wrong with image data Pillow refused."""
    text = str(exc)
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        pixels = re.search(r"\((\d+) pixels\)", text)
        many = f"{int(pixels[1]):,} pixels" if pixels else "too many pixels"
        return (
            f"declares {many} (a decompression bomb?); artwork must be {MIN_SIDE} to"
            f" {MAX_SIDE} pixels square"
        )
    if isinstance(exc, ValueError) and "MAX_TEXT" in text:
        return (
            "holds a text chunk (PNG zTXt or iTXt metadata) that decompresses to more than"
            " 1 MB; save the image again without its metadata"
        )
    if fmt is None or isinstance(exc, UnidentifiedImageError):
        return f"is not a readable image ({exc.__class__.__name__}); expected JPEG or PNG"
    if "truncated" in text:
        return f"is a truncated {fmt} file (its image data ends early); export it again"
    detail = text if 0 < len(text) <= 80 else exc.__class__.__name__
    return f"is a damaged {fmt} file ({detail}); export it again"
