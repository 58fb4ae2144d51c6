"""What `publish` will do: compare the built folder with the destination, before touching it.

A file is unchanged only when the destination's published manifest
(`.stationcast/published.json`, written by the previous publish) records the same sha256 **and**
the destination still lists the file with the same size. Content hashes catch same-size edits
that size+mtime tools miss; the listing catches files removed at the destination by hand.
A file the manifest does not know is uploaded (first publish, or one interrupted early).

Which episodes are published is compared as sets of GUIDs across the whole show, not just
`feed.xml`: with `archive: {feed_items: N}` older episodes live in `archive-N.xml` pages, and an
episode moving from the feed into an archive page is not an unpublish (nor is one dropped from
an archive page a harmless change). The build's side is its state file
(`.stationcast/state.json`, which lists every episode it published); the destination's side is
the GUIDs the published manifest recorded plus the destination's state file, or, when it has
none (published by another tool or an older stationcast), `feed.xml` and every `archive-*.xml`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from stationcast.publish.headers import is_feed, is_media, is_state
from stationcast.publish.targets import TMP_MARK, PublishError, Target
from stationcast.xmlsafe import hardened_parser

__all__ = [
    "MANIFEST_PATH",
    "LocalFile",
    "Plan",
    "PublishedManifest",
    "feed_guids",
    "feed_links",
    "is_feed_page",
    "state_guids",
    "make_plan",
    "scan_output",
]

MANIFEST_PATH = ".stationcast/published.json"
MANIFEST_FORMAT = "stationcast-published/1"
FEED_PATH = "feed.xml"
STATE_PATH = ".stationcast/state.json"  # written by `stationcast build` (stationcast.state)
_ATOM = "{http://www.w3.org/2005/Atom}"

# Upload order: media first, then everything else, the feed after that, our state last.
STAGES = ("media", "pages", "feed", "state")


@dataclass(frozen=True)
class LocalFile:
    rel: str  # POSIX path relative to the output folder
    path: Path
    size: int
    sha256: str

    @property
    def stage(self) -> str:
        if is_state(self.rel):
            return "state"
        if is_feed(self.rel):
            return "feed"
        if is_media(self.rel):
            return "media"
        return "pages"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def scan_output(out: Path) -> list[LocalFile]:
    """Every file of the built folder (hidden ones too), with size and sha256, sorted.

    Symlinks are followed only while they stay inside the folder.
    """
    out = Path(out)
    if not (out / FEED_PATH).is_file():
        raise PublishError(f"{out / FEED_PATH} not found; run `stationcast build` first")
    root = out.resolve()
    files: list[LocalFile] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in [*names, *[d for d in dirs if os.path.islink(os.path.join(folder, d))]]:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if rel == MANIFEST_PATH or TMP_MARK in name:
                continue
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                raise PublishError(
                    f"{out / rel}: symlink leads out of {out}; refusing to publish it"
                )
            if resolved.is_dir():
                raise PublishError(f"{out / rel}: symlinked folder; publish copies files only")
            if not resolved.is_file():
                continue
            files.append(LocalFile(rel, resolved, resolved.stat().st_size, _sha256(resolved)))
    return sorted(files, key=lambda f: f.rel)


@dataclass
class PublishedManifest:
    """What the destination holds according to the last publish."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # rel -> {sha256, size}
    guids: list[str] = field(default_factory=list)  # GUIDs of every published episode

    @classmethod
    def parse(cls, data: bytes | None) -> PublishedManifest:
        if not data:
            return cls()
        try:
            raw = json.loads(data)
        except ValueError as exc:
            raise PublishError(
                f"{MANIFEST_PATH} at the destination is not valid JSON ({exc}); "
                "move it aside to publish everything again"
            ) from None
        if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
            raise PublishError(
                f"{MANIFEST_PATH} at the destination was not written by this version of "
                "stationcast; move it aside to publish everything again"
            )
        files = raw.get("files") or {}
        guids = raw.get("feed", {}).get("guids") or []
        return cls(
            files={str(k): dict(v) for k, v in files.items() if isinstance(v, dict)},
            guids=[str(g) for g in guids],
        )

    def to_bytes(self) -> bytes:
        body = {
            "format": MANIFEST_FORMAT,
            "feed": {"path": FEED_PATH, "guids": self.guids},
            "files": {k: self.files[k] for k in sorted(self.files)},
        }
        return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")

    def record(self, f: LocalFile) -> None:
        self.files[f.rel] = {"sha256": f.sha256, "size": f.size}


def _parse_feed(data: bytes) -> Any:
    return etree.fromstring(data, hardened_parser())


def feed_guids(data: bytes) -> list[str]:
    """Item GUIDs of an RSS feed (the enclosure URL stands in for an item without one)."""
    root = _parse_feed(data)
    guids: list[str] = []
    for item in root.iterfind("./channel/item"):
        guid = item.findtext("guid")
        if guid is None or not guid.strip():
            enclosure = item.find("enclosure")
            guid = enclosure.get("url") if enclosure is not None else None
        if guid and guid.strip():
            guids.append(guid.strip())
    return guids


def state_guids(data: bytes) -> list[str] | None:
    """GUIDs of the episodes a build state file (`.stationcast/state.json`) lists.

    None when the file is not a state file stationcast can read.
    """
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    episodes = raw.get("episodes") if isinstance(raw, dict) else None
    if not isinstance(episodes, list):
        return None
    guids: list[str] = []
    for entry in episodes:
        guid = entry.get("guid") if isinstance(entry, dict) else None
        if not isinstance(guid, str) or not guid.strip():
            return None
        guids.append(guid.strip())
    return guids


def is_feed_page(rel: str) -> bool:
    """`feed.xml` or one of its RFC 5005 archive pages (`archive-N.xml`, top level)."""
    return rel == FEED_PATH or (
        "/" not in rel and rel.startswith("archive-") and rel.endswith(".xml")
    )


def feed_links(data: bytes) -> tuple[str | None, list[str]]:
    """The feed's `atom:link rel="self"` URL and its `rel="hub"` URLs (WebSub)."""
    root = _parse_feed(data)
    self_url: str | None = None
    hubs: list[str] = []
    for link in root.iterfind(f"./channel/{_ATOM}link"):
        rel, href = link.get("rel"), (link.get("href") or "").strip()
        if not href:
            continue
        if rel == "self" and self_url is None:
            self_url = href
        elif rel == "hub" and href not in hubs:
            hubs.append(href)
    return self_url, hubs


@dataclass
class Plan:
    new: list[LocalFile]
    changed: list[LocalFile]
    unchanged: list[LocalFile]
    orphans: list[str]  # at the destination, not in the build
    unpublished: list[str]  # GUIDs published before and missing from the new build
    manifest: PublishedManifest
    local: list[LocalFile]
    manifest_bytes: bytes | None = None  # the destination's manifest as read
    guids: list[str] = field(default_factory=list)  # every GUID the build publishes, sorted

    @property
    def uploads(self) -> list[LocalFile]:
        """New and changed files in upload order: media, pages, feed, state."""
        order = {stage: i for i, stage in enumerate(STAGES)}
        return sorted(self.new + self.changed, key=lambda f: (order[f.stage], f.rel))

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.new + self.changed)

    def lines(self, *, delete: bool, uploads: bool = True) -> Iterable[str]:
        """The plan as text: each upload (unless `uploads` is false), each orphan, a summary."""
        kinds = {f.rel: "new" for f in self.new} | {f.rel: "changed" for f in self.changed}
        for f in self.uploads if uploads else []:
            yield f"{kinds[f.rel]:<9} {f.rel} ({human_size(f.size)})"
        for rel in self.orphans:
            yield f"{'delete' if delete else 'orphan':<9} {rel}" + (
                "" if delete else " (kept; --delete removes it)"
            )
        yield (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
            f"{len(self.orphans)} {'to delete' if delete else 'orphaned (kept)'}; "
            f"{human_size(self.upload_bytes)} to upload"
        )


def human_size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def make_plan(out: Path, target: Target) -> Plan:
    """Scan the build, read the destination's manifest, listing and feed; compare."""
    local = scan_output(out)
    remote = target.list()
    manifest_bytes = target.read(MANIFEST_PATH)
    manifest = PublishedManifest.parse(manifest_bytes)

    new: list[LocalFile] = []
    changed: list[LocalFile] = []
    unchanged: list[LocalFile] = []
    for f in local:
        if f.rel not in remote:
            new.append(f)
            continue
        known = manifest.files.get(f.rel, {})
        if known.get("sha256") == f.sha256 and remote[f.rel] == f.size == known.get("size"):
            unchanged.append(f)
        else:
            changed.append(f)

    local_names = {f.rel for f in local}
    orphans = sorted(
        rel
        for rel in remote
        if rel not in local_names
        and rel != MANIFEST_PATH
        and TMP_MARK not in PurePosixPath(rel).name
    )

    local_feed = next(f for f in local if f.rel == FEED_PATH)
    try:
        feed_guids(local_feed.path.read_bytes())
    except etree.XMLSyntaxError as exc:
        raise PublishError(f"{local_feed.path}: not well-formed XML ({exc}); rebuild it") from None
    building = _built_guids(out, local)
    published = set(manifest.guids) | _published_guids(target, remote)
    unpublished = sorted(published - set(building))
    return Plan(
        new, changed, unchanged, orphans, unpublished, manifest, local, manifest_bytes, building
    )


def _built_guids(out: Path, local: list[LocalFile]) -> list[str]:
    """Every GUID the build publishes: its state file, or else its feed and archive pages."""
    by_rel = {f.rel: f for f in local}
    state = by_rel.get(STATE_PATH)
    if state is not None:
        guids = state_guids(state.path.read_bytes())
        if guids is None:
            raise PublishError(
                f"{out / STATE_PATH}: not a stationcast state file; rebuild with "
                "`stationcast build` before publishing"
            )
        return sorted(set(guids))
    guids_: set[str] = set()
    for rel in sorted(r for r in by_rel if is_feed_page(r)):
        path = by_rel[rel].path
        try:
            guids_.update(feed_guids(path.read_bytes()))
        except etree.XMLSyntaxError as exc:
            raise PublishError(f"{path}: not well-formed XML ({exc}); rebuild it") from None
    return sorted(guids_)


def _published_guids(target: Target, remote: dict[str, int]) -> set[str]:
    """Every GUID the destination publishes: its state file, or else its feed pages.

    Unreadable files cannot tell us more than the published manifest does, so they are skipped.
    """
    if STATE_PATH in remote:
        data = target.read(STATE_PATH)
        guids = state_guids(data) if data else None
        if guids is not None:
            return set(guids)
    published: set[str] = set()
    for rel in sorted(r for r in remote if is_feed_page(r)):
        data = target.read(rel)
        if data:
            with contextlib.suppress(etree.XMLSyntaxError):
                published.update(feed_guids(data))
    return published
