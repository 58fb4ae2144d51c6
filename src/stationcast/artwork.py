"""Check the show's artwork against Apple's rules before publishing it.

Apple Podcasts (and PSP-1) require a square JPEG or PNG between 1400 and 3000 pixels, in
RGB, whose file extension matches its real format. We read the image itself with Pillow
rather than trusting the extension.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from stationcast.errors import Problem

MIN_SIDE = 1400
MAX_SIDE = 3000
_EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}


def check_artwork(path: Path, manifest: str) -> list[Problem]:
    """Problems with the artwork at `path` (empty when it is fine)."""

    def problem(message: str) -> list[Problem]:
        return [Problem(manifest, field="artwork", message=f"{path.name}: {message}")]

    if not path.is_file():
        return problem("file not found; expected a square JPEG or PNG beside show.yaml")
    try:
        with Image.open(path) as image:
            fmt, (width, height), mode = image.format, image.size, image.mode
    except (UnidentifiedImageError, OSError) as exc:
        return problem(f"is not a readable image ({exc.__class__.__name__}); expected JPEG or PNG")
    if fmt not in _EXTENSIONS:
        return problem(f"is a {fmt} image; Apple Podcasts accepts JPEG or PNG only")
    if path.suffix.lower() not in _EXTENSIONS[fmt]:
        return problem(f"is a {fmt} image but its name ends in {path.suffix!r}; use {_EXTENSIONS[fmt][0]}")
    found: list[Problem] = []
    if width != height:
        found += problem(f"is {width}x{height} pixels; artwork must be square")
    if not MIN_SIDE <= width <= MAX_SIDE:
        found += problem(f"is {width} pixels wide; artwork must be {MIN_SIDE} to {MAX_SIDE} pixels")
    if mode not in ("RGB", "P") and not (fmt == "PNG" and mode == "RGBA"):
        found += problem(f"uses the {mode} colour mode; save it as RGB")
    return found
