"""The build cache: what an earlier build made from which inputs, so a rebuild redoes only
what changed.

It lives outside the output (`.stationcast-cache/<output name>.json` beside the output folder,
or wherever `--cache` says) and is never trusted blindly:

* every entry is keyed by the inputs it was made from: the episode's manifest and transcript
  (size, mtime_ns, ctime_ns and inode: an edit, a copy or `touch` changes them, and nobody can
  set ctime), its media files (size, mtime_ns, inode: hard-linking them into the output
  changes their ctime), plus a global key covering show.yaml, the artwork, the templates, the
  base URL, the working directory (messages name paths relative to it), the stationcast
  version and a fingerprint of its code and of the libraries that shape the output;
* an entry also records the stat of each output file it produced, and is reused only while
  the previous output still holds exactly those files;
* a cache that cannot be read, is from another format or code version, or has an entry of the
  wrong shape is ignored (everything concerned is rebuilt), never an error.

The file is JSON (never pickle: loading it must not be able to run code), written to a
temporary file and renamed, only after a successful build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

try:  # several times faster on a 30 MB cache; the standard library's json otherwise
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

#: Bump when the layout of the file or the meaning of an entry changes.
FORMAT = 2
CACHE_DIR = ".stationcast-cache"
# Parts of the package a build never runs: editing them does not invalidate built episodes.
# (Anything else, a new module included, counts, so a build is never wrongly reused.)
_NOT_IN_BUILD = frozenset(
    {"importers", "publish", "tagging", "serve.py", "cli.py", "scaffold.py", "__main__.py"}
)
# Libraries whose version can change the bytes of the output.
_LIBRARIES = (
    "feedgen",
    "lxml",
    "jinja2",
    "markupsafe",
    "pydantic",
    "mutagen",
    "nh3",
    "markdown-it-py",
    "pyyaml",
    "pillow",
)


def default_location(out: Path) -> Path:
    """`.stationcast-cache/<output folder name>.json` beside the output folder."""
    out = out.absolute()
    return out.parent / CACHE_DIR / f"{out.name}.json"


def text_stat(path: str | Path) -> list[int] | None:
    """The stat key of a text input (manifest, transcript): None when it is not a file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def media_stat(path: str | Path) -> list[int] | None:
    """The stat key of a media input, which the build hard-links (so no ctime)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def output_stat(path: str | Path) -> list[int] | None:
    """The stat key of an output file (linking it into the next build changes its ctime)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


@cache
def code_fingerprint() -> str:
    """SHA-256 over stationcast's own files (code and templates), its version, the Python
    version and the versions of the libraries that shape the output."""
    from importlib import metadata

    import stationcast

    digest = hashlib.sha256()
    digest.update(f"{stationcast.__version__}\0{sys.version}\0".encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    package = Path(stationcast.__file__).parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if relative.parts[0] in _NOT_IN_BUILD or "__pycache__" in relative.parts:
            continue
        if path.suffix in (".py", ".html", ".css", ".json", ".txt", ".xml") and path.is_file():
            digest.update(str(relative).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def hash_bytes(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def load(file: Path | None) -> dict[str, Any]:
    """The cache's contents, or an empty cache when the file is missing or not usable."""
    empty: dict[str, Any] = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "global": None,
        "episodes": {},
    }
    if file is None:
        return empty
    try:
        raw = Path(file).read_bytes()
        data = orjson.loads(raw) if orjson is not None else json.loads(raw)
    except (OSError, ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        return empty
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("code") != code_fingerprint()
        or not isinstance(data.get("episodes"), dict)
    ):
        return empty
    if not isinstance(data.get("global"), dict):
        data["global"] = None
    return data


def items_location(file: Path) -> Path:
    """The file beside the cache that holds the serialised feed items (read only when a feed
    must be assembled: most rebuilds need only the small part)."""
    return file.parent / f"{file.name}.items"


def load_items(file: Path | None) -> dict[str, str]:
    """{slug: serialised item}; empty when unusable (each item is checked by its hash)."""
    if file is None:
        return {}
    try:
        raw = items_location(file).read_bytes()
        data = orjson.loads(raw) if orjson is not None else json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def save_items(file: Path | None, items: dict[str, str]) -> None:
    if file is not None:
        save(items_location(file), items)


def save(file: Path | None, data: dict[str, Any]) -> None:
    """Write the cache atomically; a cache that cannot be written is only a slower next build."""
    if file is None:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        if orjson is not None:
            text = orjson.dumps(data)
        else:  # pragma: no cover - orjson is a dependency
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        handle, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(text)
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError):
        pass
