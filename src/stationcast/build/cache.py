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
* a stat key that differs (a fresh clone: every mtime and inode new) is not yet a change: the
  content decides. Text inputs and the files a build wrote are compared by SHA-256; an audio
  file is probed again and compared by its probe (see `docs/build-cache.md` for why not by a
  hash); an image by SHA-256. When the content is the same the entry takes the new stat keys
  and is reused, and the media it links into the output are linked again from the show;
* a cache that cannot be read, is from another format or code version, or has an entry of the
  wrong shape is ignored (everything concerned is rebuilt), never an error.

The file is JSON (never pickle: loading it must not be able to run code), written to a
temporary file and renamed, only after a successful build. Its entries are typed here
(`ShowEntry`, `EpisodeEntry`, `DraftEntry`), each with its JSON form (`to_json`) and a reader
that checks every field's type (`load`): the build never sees a raw dict. Layout (FORMAT 4):

    {"format": 4, "code": <code fingerprint>, "show": ShowEntry | null,
     "episodes": {<slug>: EpisodeEntry | DraftEntry}}

The serialised feed items are kept beside it (`<cache>.items`, see `FeedItems`): most
rebuilds never read them.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from stat import S_ISREG
from typing import Any, Literal, TypeAlias

import stationcast

try:  # several times faster on a 30 MB cache; the standard library's json otherwise
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

#: Bump when the layout of the file or the meaning of an entry changes.
FORMAT = 4
CACHE_DIR = ".stationcast-cache"
# Parts of the package a build never runs: editing them does not invalidate built episodes.
# (Anything else, a new module included, counts, so a build is never wrongly reused.)
_NOT_IN_BUILD = frozenset(
    {"importers", "publish", "tagging", "serve.py", "cli", "scaffold.py", "__main__.py"}
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
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0".encode())
    versions = _installed_versions()
    for name in ("stationcast", *_LIBRARIES):
        digest.update(f"{name}={versions.get(_normalised(name), '-')}\0".encode())
    package = Path(stationcast.__file__).parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if relative.parts[0] in _NOT_IN_BUILD or "__pycache__" in relative.parts:
            continue
        if path.suffix in (".py", ".html", ".css", ".json", ".txt", ".xml") and path.is_file():
            digest.update(str(relative).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextmanager
def _regular(path: str | Path) -> Iterator[io.BufferedReader]:
    """A regular file opened for reading; OSError for anything else. A FIFO or device (put
    where a manifest or a cache file was: a restored CI cache is input like any other) is
    opened without blocking and refused, never read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(os.dup(fd), "rb") as stream:
            yield stream
    finally:
        os.close(fd)


def content_digest(path: str | Path) -> str | None:
    """SHA-256 of a regular file's bytes; None when it is not one or cannot be read."""
    try:
        with _regular(path) as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def read_regular(path: str | Path) -> bytes:
    """The bytes of a regular file of the cache folder; OSError for anything else."""
    with _regular(path) as stream:
        return stream.read()


def _normalised(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _installed_versions() -> dict[str, str]:
    """Distribution (normalised name) -> version, from the names of the `.dist-info` folders
    on sys.path (`<name>-<version>.dist-info`, the first on the path winning, as for imports):
    what importlib.metadata would say, without its import and a search per library."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder[: -len(".dist-info")].partition("-")
                found.setdefault(_normalised(name), version)
    return found


def hash_bytes(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# -- the entries --------------------------------------------------------------------------

#: A stat key (see text_stat, media_stat, output_stat); None: the file was not there.
StatKey: TypeAlias = list[int]
#: One file an episode was made from: (name in the episode's folder, "text" or "media", stat).
# "absent": an optional input that was not there (alignment.json): current while it is not.
Dep: TypeAlias = tuple[str, Literal["text", "media", "absent"], StatKey | None]
#: An earlier probe of a media file: (its media stat then, AudioInfo.to_json()).
Probe: TypeAlias = tuple[StatKey | None, dict[str, Any]]
#: An episode's line on the show page (the template's `episodes` items), all text.
Listing: TypeAlias = dict[str, str]
LISTING_KEYS = frozenset(
    {"href", "title", "datetime", "date_text", "duration_text", "duration_iso", "summary"}
)


@dataclass(slots=True)
class EpisodeEntry:
    """A published episode as a build made it: from which files, into which files, and what
    the feed, the show page and the state checks need of it without reading it again."""

    slug: str
    key: str  # the ShowEntry key it was rendered under
    deps: list[Dep]
    files: dict[str, StatKey | None]  # output path (below `slug/`) -> its stat when written
    listing: Listing
    guid: str
    published: str  # ISO 8601, as in the manifest
    ts: int  # `published` in microseconds since the epoch: the feed's order
    enclosure: str  # the enclosure URL
    item_sha: str  # SHA-256 of its serialised feed item (kept in FeedItems)
    probes: dict[str, Probe] = field(default_factory=dict)  # by media file name
    warnings: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # dep name -> SHA-256 (not audio)
    made: dict[str, str] = field(default_factory=dict)  # written output path -> SHA-256
    linked: dict[str, str] = field(default_factory=dict)  # output path -> the dep it links
    checked: list[str] = field(default_factory=list)  # the feed validator's warnings on its item
    # (not saved) output paths to link again from the show (see `current`)
    relink: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "deps": self.deps,
            "files": self.files,
            "listing": self.listing,
            "guid": self.guid,
            "published": self.published,
            "ts": self.ts,
            "enclosure": self.enclosure,
            "item_sha": self.item_sha,
            "probes": self.probes,
            "warnings": self.warnings,
            "digests": self.digests,
            "made": self.made,
            "linked": self.linked,
            "checked": self.checked,
        }

    def current(self, key: str, root: str, out: str) -> bool:
        """Made under `key` from the same files as now in `root/<slug>/`, and its output
        files are still in `out` as that build left them.

        "The same": the same stat key, or else the same content (then the entry takes the new
        stat keys). An output file that links a media input and changed or went missing is
        put in `relink`: the build links it again from the show instead of rendering."""
        if self.key != key:
            return False
        renewed = _deps_current(self.deps, f"{root}/{self.slug}", self.digests, self.probes)
        if renewed is None:
            return False
        for rel, stat in self.files.items():
            now = output_stat(f"{out}/{rel}")
            if rel in self.linked and not _plain_name(self.linked[rel]):
                return False
            if rel in self.linked and self.linked[rel] in renewed:
                self.relink.add(rel)  # the same probe, but perhaps other bytes (a retag)
                continue
            if now == stat and stat is not None:
                continue
            if rel in self.linked:
                self.relink.add(rel)
                continue
            digest = self.made.get(rel)
            if now is None or digest is None or content_digest(f"{out}/{rel}") != digest:
                return False
            self.files[rel] = now
        return True


@dataclass(slots=True)
class DraftEntry:
    """An episode whose manifest says `draft: true` (nothing of it is published)."""

    slug: str
    key: str
    deps: list[Dep]
    digests: dict[str, str] = field(default_factory=dict)  # dep name -> SHA-256

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "deps": self.deps, "draft": True, "digests": self.digests}

    def current(self, key: str, root: str, out: str) -> bool:
        folder = f"{root}/{self.slug}"
        return self.key == key and _deps_current(self.deps, folder, self.digests, {}) is not None


Entry: TypeAlias = EpisodeEntry | DraftEntry


@dataclass(slots=True)
class ShowEntry:
    """What the episodes of a build share: its global inputs and the show's own files."""

    inputs: str  # hash of show.yaml, the templates, the base URL, the code... (not the artwork)
    artwork: str  # show.yaml's `artwork:` file name
    artwork_stat: StatKey | None
    key: str  # `inputs` and the artwork's bytes: every entry made under it is current
    base: str  # the base URL the feed is built for
    feed_guid: str | None  # podcast:guid
    warnings: list[str] = field(default_factory=list)
    top: dict[str, StatKey | None] = field(default_factory=dict)  # show-level output files
    keys: dict[str, str] = field(default_factory=dict)  # their inputs: style, show_page, feed
    validator: str | None = None  # which validator passed the whole feed last
    channel_sha: str | None = None  # the channel it passed with (see the build's validate)
    artwork_digest: str | None = None  # SHA-256 of the artwork (when its stat key differs)
    checked: list[str] = field(default_factory=list)  # the validator's warnings on the channel

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "artwork": self.artwork,
            "artwork_stat": self.artwork_stat,
            "key": self.key,
            "base": self.base,
            "feed_guid": self.feed_guid,
            "warnings": self.warnings,
            "top": self.top,
            "keys": self.keys,
            "validator": self.validator,
            "channel_sha": self.channel_sha,
            "artwork_digest": self.artwork_digest,
            "checked": self.checked,
        }


@dataclass(slots=True)
class CacheData:
    """The cache file's contents."""

    show: ShowEntry | None = None
    episodes: dict[str, Entry] = field(default_factory=dict)


def _deps_current(
    deps: list[Dep], folder: str, digests: Mapping[str, str], probes: dict[str, Probe]
) -> set[str] | None:
    """Every dep has its stat key, or else the same content (then it takes the new key):
    the names of those that took a new key; None when any changed.

    Every dep is looked at, even after a changed one: an episode rendered again then still
    reuses the probes of its unchanged audio."""
    current, renewed = True, set()
    for index, (file, kind, stat) in enumerate(deps):
        path = f"{folder}/{file}"
        if kind == "absent":
            if os.path.lexists(path):  # it has come: the episode is made again with it
                current = False
            continue
        now = text_stat(path) if kind == "text" else media_stat(path)
        if now == stat and stat is not None:
            continue
        if now is None or not _same_content(path, file, digests, probes):
            current = False
            continue
        deps[index] = (file, kind, now)
        renewed.add(file)
        if file in probes:
            probes[file] = (now, probes[file][1])
    return renewed if current else None


def _same_content(
    path: str, file: str, digests: Mapping[str, str], probes: Mapping[str, Probe]
) -> bool:
    """The file holds what it held when the entry was made (see the module's docstring)."""
    if file in probes:  # audio: what the build takes from it is its probe
        if os.path.islink(path):
            return False
        from stationcast.errors import AudioError  # (mutagen: only when a stat key differs)
        from stationcast.media import probe_audio

        try:
            return probe_audio(Path(path)).to_json() == probes[file][1]
        except AudioError:
            return False
    digest = digests.get(file)
    return digest is not None and content_digest(path) == digest


# -- reading and writing ------------------------------------------------------------------


def load(file: Path | None) -> CacheData:
    """The cache's contents, or an empty cache when the file is missing or not usable.

    An entry of the wrong shape is left out (its episode is rendered again)."""
    if file is None:
        return CacheData()
    with _collector_paused():
        try:
            raw = read_regular(file)
            data = orjson.loads(raw) if orjson is not None else json.loads(raw)
        except (OSError, ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
            return CacheData()
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("code") != code_fingerprint()
            or not isinstance(data.get("episodes"), dict)
        ):
            return CacheData()
        episodes: dict[str, Entry] = {}
        for slug, value in data["episodes"].items():
            entry = _read_entry(slug, value)
            if entry is not None:
                episodes[slug] = entry
        return CacheData(_read_show(data.get("show")), episodes)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the cache is read: JSON holds no cycles, and what is
    read stays alive, but the entries' objects would trigger a collection every 700 of them,
    each going over the parsed document (a tenth of a no-change rebuild of 10,000 episodes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save(file: Path | None, data: CacheData) -> None:
    """Write the cache atomically; a cache that cannot be written is only a slower next build."""
    _write_json(
        file,
        {
            "format": FORMAT,
            "code": code_fingerprint(),
            "show": data.show.to_json() if data.show is not None else None,
            "episodes": {slug: entry.to_json() for slug, entry in data.episodes.items()},
        },
    )


def _is_stat(value: object) -> bool:
    # (its numbers are not checked: a stat key is only ever compared with a fresh one)
    return value is None or type(value) is list


def _read_deps(value: object) -> list[Dep] | None:
    if type(value) is not list:
        return None
    deps: list[Dep] = []
    for dep in value:
        if type(dep) is not list or len(dep) != 3:
            return None
        file, kind, stat = dep
        if (
            type(file) is not str
            or "/" in file
            or file in ("", ".", "..")
            or kind not in ("text", "media", "absent")
            or (stat is not None and type(stat) is not list)
        ):
            return None
        deps.append((file, kind, stat))
    return deps


def _read_entry(slug: str, value: object) -> Entry | None:
    """An entry as `to_json` wrote it, or None when any field has the wrong type.

    (Plain loops, not all(...): a no-change rebuild reads every entry, 10,000 of them.)"""
    if type(value) is not dict:
        return None
    key, deps = value.get("key"), _read_deps(value.get("deps"))
    if type(key) is not str or deps is None:
        return None
    digests = value.get("digests")  # (its values are checked where they are used)
    if type(digests) is not dict:
        return None
    if value.get("draft") is True:
        return DraftEntry(slug, key, deps, digests)
    try:
        files, listing, probes = value["files"], value["listing"], value["probes"]
        guid, published, enclosure = value["guid"], value["published"], value["enclosure"]
        ts, item_sha, warnings = value["ts"], value["item_sha"], value["warnings"]
        made, linked, checked = value["made"], value["linked"], value["checked"]
    except KeyError:
        return None
    if type(made) is not dict or type(linked) is not dict or type(checked) is not list:
        return None
    if (
        type(guid) is not str
        or type(published) is not str
        or type(enclosure) is not str
        or type(item_sha) is not str
        or type(ts) is not int
        or type(files) is not dict
        or type(listing) is not dict
        or type(probes) is not dict
        or type(warnings) is not list
        or listing.keys() != LISTING_KEYS
    ):
        return None
    prefix = slug + "/"
    for rel, stat in files.items():
        if (
            not rel.startswith(prefix)
            or (".." in rel and ".." in rel.split("/"))
            or (stat is not None and type(stat) is not list)
        ):
            return None
    for text in listing.values():
        if type(text) is not str:
            return None
    for probe in probes.values():
        if type(probe) is not list or len(probe) != 2 or type(probe[1]) is not dict:
            return None
        if probe[0] is not None and type(probe[0]) is not list:
            return None
    for warning in warnings:
        if type(warning) is not str:
            return None
    for warning in checked:
        if type(warning) is not str:
            return None
    return EpisodeEntry(
        slug,
        key,
        deps,
        files,
        listing,
        guid,
        published,
        ts,
        enclosure,
        item_sha,
        {name: (p[0], p[1]) for name, p in probes.items()},
        warnings,
        digests,
        made,
        linked,
        checked,
    )


def _plain_name(name: object) -> bool:
    """A file name inside the episode's folder (a dep's name, as `_read_deps` accepts it)."""
    return type(name) is str and "/" not in name and name not in ("", ".", "..")


def _read_show(value: object) -> ShowEntry | None:
    if type(value) is not dict:
        return None
    texts = [value.get(k) for k in ("inputs", "artwork", "key", "base")]
    optional = [value.get(k) for k in ("feed_guid", "validator", "channel_sha", "artwork_digest")]
    warnings, top, keys = value.get("warnings"), value.get("top"), value.get("keys")
    checked = value.get("checked")
    if (
        type(checked) is not list
        or not all(type(w) is str for w in checked)
        or not all(type(v) is str for v in texts)
        or not all(v is None or type(v) is str for v in optional)
        or not _is_stat(value.get("artwork_stat"))
        or type(warnings) is not list
        or not all(type(w) is str for w in warnings)
        or type(top) is not dict
        or not all(type(k) is str and _is_stat(v) for k, v in top.items())
        or type(keys) is not dict
        or not all(type(k) is str and type(v) is str for k, v in keys.items())
    ):
        return None
    return ShowEntry(
        value["inputs"],
        value["artwork"],
        value["artwork_stat"],
        value["key"],
        value["base"],
        value["feed_guid"],
        warnings,
        top,
        keys,
        value["validator"],
        value["channel_sha"],
        value.get("artwork_digest"),
        checked,
    )


def items_location(file: Path) -> Path:
    """The file beside the cache that holds the serialised feed items (read only when a feed
    must be assembled: most rebuilds need only the small part)."""
    return file.parent / f"{file.name}.items"


class StaleCacheError(Exception):
    """The items file does not hold what the cache's entries say (damaged or replaced)."""


class FeedItems:
    """The episodes' serialised feed items: this build's, and earlier builds' from the items
    file (read once, when a feed document must be assembled), each checked by its hash."""

    def __init__(self, cache_file: Path | None, *, trust: bool = True) -> None:
        self._file = cache_file
        # without trust the items file is never read: every item used is one rendered now
        self._earlier: dict[str, str] | None = None if trust else {}
        self._new: dict[str, tuple[str, str]] = {}  # slug -> (item, its SHA-256)

    def add(self, slug: str, item: str, sha: str) -> None:
        self._new[slug] = (item, sha)

    def get(self, entry: EpisodeEntry) -> bytes:
        """The item of `entry`; StaleCacheError when the items file lost or changed it."""
        if entry.slug in self._new:
            return self._new[entry.slug][0].encode("utf-8")
        item = self._read().get(entry.slug)
        data = item.encode("utf-8") if isinstance(item, str) else b""
        if hashlib.sha256(data).hexdigest() != entry.item_sha:
            raise StaleCacheError(entry.slug)
        return data

    def save(self, order: Sequence[str], earlier: Mapping[str, Entry]) -> None:
        """Write the items of the episodes in `order`, when any changed since `earlier` (the
        cache before this build) or the file was read anyway (then it drops removed ones)."""
        if self._file is None:
            return
        changed = any(
            not isinstance(old := earlier.get(slug), EpisodeEntry) or old.item_sha != sha
            for slug, (_, sha) in self._new.items()
        )
        if not changed and self._earlier is None:
            return
        items = dict(self._read())
        items.update((slug, item) for slug, (item, _) in self._new.items())
        _write_json(items_location(self._file), {n: items[n] for n in order if n in items})

    def _read(self) -> dict[str, str]:
        if self._earlier is None:
            self._earlier = {}
            if self._file is not None:
                try:
                    raw = read_regular(items_location(self._file))
                    data = orjson.loads(raw) if orjson is not None else json.loads(raw)
                except (OSError, ValueError, RecursionError):
                    data = None
                if isinstance(data, dict):
                    self._earlier = data
        return self._earlier


def _write_json(file: Path | None, data: object) -> None:
    """Write `data` as JSON, atomically; a file that cannot be written is only a slower next
    build."""
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
