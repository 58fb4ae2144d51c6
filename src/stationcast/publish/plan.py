"""What `publish` will do: compare the built folder with the destination, before touching it.

A file is unchanged only when the destination's published manifest
(`.stationcast/published.json`, written by the previous publish) records the same sha256 **and**
the destination still lists the file with the same size. Content hashes catch same-size edits
that size+mtime tools miss; the listing catches files removed at the destination by hand.
A file the manifest does not know is uploaded (first publish, or one interrupted early).

Whose destination it is: the manifest names the show that published there (its podcast:guid
and feed URL; a manifest from before that field is matched by the destination's own state file
or feed). A destination whose manifest names this show is *recorded*; one with nothing in it is
*new*; anything else (files but no manifest, or another show's manifest) is not this show's,
and there the plan compares same-named files by content (`differing`) and lists every file the
build lacks as `unknown` rather than as an orphan, so nothing there is overwritten or deleted
unless the caller allows it. Files that were at a destination before this show first published
there stay `unknown` in later plans too (the manifest lists them as `foreign`).

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
from typing import Any, Literal

from lxml import etree

from stationcast.errors import Message, Option, Problem
from stationcast.inputs import STATE_FILE
from stationcast.publish.headers import is_feed, is_media, is_state
from stationcast.publish.targets import TMP_MARK, PublishError, Target
from stationcast.spec import namespaces
from stationcast.xmlsafe import hardened_parser

__all__ = [
    "MANIFEST_PATH",
    "LocalFile",
    "Ownership",
    "Plan",
    "PublishedManifest",
    "ShowIdentity",
    "feed_guids",
    "feed_links",
    "is_feed_page",
    "show_identity",
    "state_guids",
    "make_plan",
    "scan_output",
]

MANIFEST_PATH = ".stationcast/published.json"
MANIFEST_FORMAT = "stationcast-published/1"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
FEED_PATH = "feed.xml"
STATE_PATH = STATE_FILE  # written by `stationcast build` (stationcast.build.state)
_ATOM = f"{{{namespaces.ATOM}}}"
_PODCAST = f"{{{namespaces.PODCAST}}}"

# Upload order. Media first; then pages, transcripts and chapters; then the archive pages
# (`archive-N.xml`, and any feed document other than feed.xml); then feed.xml, which links
# them; stationcast's own state last. Each stage is complete before the next begins.
STAGES = ("media", "pages", "archive", "feed", "state")

#: Whose destination it is (see the module docstring): "new" (nothing there), "recorded" (its
#: manifest names this show), "unrecorded" (files but no manifest), "other show" (a manifest
#: that names another show, or no show this build can be matched with).
Ownership = Literal["new", "recorded", "unrecorded", "other show"]


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
        if self.rel == FEED_PATH:
            return "feed"
        if is_feed(self.rel):
            return "archive"
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


@dataclass(frozen=True)
class ShowIdentity:
    """Which show a build or a publish record is of: its podcast:guid and feed URL."""

    podcast_guid: str | None = None
    feed_url: str | None = None

    def same_show(self, other: ShowIdentity) -> bool:
        """The podcast:guid decides when both have one (it survives a move to another host);
        otherwise the feed URL. With neither to compare, they are not known to be the same."""
        if self.podcast_guid and other.podcast_guid:
            return self.podcast_guid == other.podcast_guid
        if self.feed_url and other.feed_url:
            return self.feed_url == other.feed_url
        return False

    def __str__(self) -> str:
        parts = [f"podcast:guid {self.podcast_guid}"] if self.podcast_guid else []
        parts += [f"feed {self.feed_url}"] if self.feed_url else []
        return ", ".join(parts) or "no podcast:guid or feed URL"


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


class _Malformed(Exception):
    """A published manifest that does not have the shape `PublishedManifest.to_bytes` writes."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _expect(value: object, kind: type, where: str, expected: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Malformed(f"{_json_type(value)}; expected {expected}", where)
    return value


def _optional_text(raw: dict[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text: str = _expect(value, str, f"{where}.{key}", "a string or null")
    return text


@dataclass
class PublishedManifest:
    """What the destination holds according to the last publish.

    On disk: `{"format": "stationcast-published/1", "show": {"podcast_guid", "feed_url"},
    "feed": {"path", "guids"}, "files": {rel: {"sha256", "size"}}, "foreign": [rel, ...]}`.
    `show` and `foreign` were added within format 1 (older stationcast ignores them; a record
    without them reads as show unknown and nothing foreign).
    """

    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # rel -> {sha256, size}
    guids: list[str] = field(default_factory=list)  # GUIDs of every published episode
    show: ShowIdentity | None = None  # the show that published; None in older records
    #: Files that were at the destination before this show first published there.
    foreign: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, data: bytes | None, source: str = MANIFEST_PATH) -> PublishedManifest:
        """Read a manifest; `source` names it in errors. None (no manifest) reads as empty.

        Raises PublishError naming `source`, what is wrong and what was expected.
        """
        if data is None:
            return cls()
        try:
            return cls._parse(data)
        except _Malformed as exc:
            problem = Problem(source, field=exc.field, message=exc.message)
            raise PublishError(
                f"{problem}. Nothing was uploaded or deleted; if the destination is right, "
                "move it aside to publish as if for the first time"
            ) from None

    @classmethod
    def _parse(cls, data: bytes) -> PublishedManifest:
        expected = "the JSON object `stationcast publish` writes there"
        if not data.strip():
            raise _Malformed(f"the file is empty; expected {expected}")
        if len(data) > MAX_MANIFEST_BYTES:
            raise _Malformed(f"the file is larger than 64 MiB; expected {expected}")
        try:
            raw = json.loads(data)
        except RecursionError:
            raise _Malformed(f"nested too deeply to read; expected {expected}") from None
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise _Malformed(f"not valid JSON ({exc}); expected {expected}") from None
        if not isinstance(raw, dict):
            raise _Malformed(f"{_json_type(raw)}, not an object; expected {expected}")
        if raw.get("format") != MANIFEST_FORMAT:
            found = raw.get("format")
            shown = (
                "missing"
                if "format" not in raw
                else json.dumps(found[:80])
                if isinstance(found, str)
                else _json_type(found)
            )
            raise _Malformed(
                f'{shown}, not "{MANIFEST_FORMAT}": it was not written by this version of '
                "stationcast",
                "format",
            )
        files: dict[str, dict[str, Any]] = {}
        entries = _expect(
            raw.get("files", {}), dict, "files", "an object of file path -> {sha256, size}"
        )
        for rel, entry in entries.items():
            where = f"files[{json.dumps(rel)}]"
            _expect(entry, dict, where, "an object with sha256 and size")
            sha = _expect(entry.get("sha256"), str, f"{where}.sha256", "64 hex digits")
            size = _expect(entry.get("size"), int, f"{where}.size", "a size in bytes")
            if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
                shown = json.dumps(sha[:80])
                raise _Malformed(f"{shown}; expected 64 hex digits", f"{where}.sha256")
            if size < 0:
                raise _Malformed(f"{size}; expected a size in bytes (0 or more)", f"{where}.size")
            files[rel] = {"sha256": sha, "size": size}
        feed = _expect(raw.get("feed", {}), dict, "feed", "an object with the feed's guids")
        guids = _expect(feed.get("guids", []), list, "feed.guids", "an array of episode GUIDs")
        for i, guid in enumerate(guids):
            _expect(guid, str, f"feed.guids[{i}]", "an episode GUID (a string)")
        show: ShowIdentity | None = None
        if raw.get("show") is not None:
            entry = _expect(raw["show"], dict, "show", "an object with podcast_guid, feed_url")
            show = ShowIdentity(
                _optional_text(entry, "podcast_guid", "show"),
                _optional_text(entry, "feed_url", "show"),
            )
        foreign = _expect(raw.get("foreign", []), list, "foreign", "an array of file paths")
        for i, rel in enumerate(foreign):
            _expect(rel, str, f"foreign[{i}]", "a file path (a string)")
        return cls(files=files, guids=list(guids), show=show, foreign=list(foreign))

    def to_bytes(self) -> bytes:
        body: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "feed": {"path": FEED_PATH, "guids": self.guids},
            "files": {k: self.files[k] for k in sorted(self.files)},
        }
        if self.show is not None:
            body["show"] = {
                "podcast_guid": self.show.podcast_guid,
                "feed_url": self.show.feed_url,
            }
        if self.foreign:
            body["foreign"] = sorted(self.foreign)
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
    except (ValueError, RecursionError):
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


def state_expired(data: bytes) -> dict[str, str]:
    """slug -> GUID of the episodes a build state file lists as expired (their rights window
    ended: see stationcast.build.state); none when it lists none or cannot be read."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    entries = raw.get("expired") if isinstance(raw, dict) else None
    found: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        slug = entry.get("slug") if isinstance(entry, dict) else None
        guid = entry.get("guid") if isinstance(entry, dict) else None
        if isinstance(slug, str) and isinstance(guid, str) and slug and "/" not in slug:
            found[slug] = guid
    return found


def show_identity(state: bytes | None, feed: bytes | None) -> ShowIdentity:
    """Which show a build (or a destination) is of: the podcast:guid and feed URL its state
    file records, or else the ones its feed names (`podcast:guid`, `atom:link rel="self"`).

    Unreadable files tell nothing; the answer is then partly or wholly unknown.
    """
    guid = url = None
    if state:
        with contextlib.suppress(ValueError, RecursionError):
            raw = json.loads(state)
            if isinstance(raw, dict):
                guid = raw.get("podcast_guid") if isinstance(raw.get("podcast_guid"), str) else None
                url = raw.get("feed_url") if isinstance(raw.get("feed_url"), str) else None
    if feed and (guid is None or url is None):
        with contextlib.suppress(etree.XMLSyntaxError):
            channel = _parse_feed(feed).find("./channel")
            if channel is not None:
                guid = guid or (channel.findtext(f"{_PODCAST}guid") or "").strip() or None
                url = url or feed_links(feed)[0]
    return ShowIdentity(guid, url)


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
    orphans: list[str]  # at the destination, not in the build, put there by this show
    unpublished: list[str]  # GUIDs published before and missing from the new build
    manifest: PublishedManifest  # the manifest this publish will write (starts as read)
    local: list[LocalFile]
    manifest_bytes: bytes | None = None  # the destination's manifest as read
    guids: list[str] = field(default_factory=list)  # every GUID the build publishes, sorted
    identity: ShowIdentity = field(default_factory=ShowIdentity)  # the show being published
    ownership: Ownership = "new"
    recorded_show: ShowIdentity | None = None  # the show the destination's manifest is of
    #: At the destination, not in the build, and not put there by this show (every such file
    #: when the destination is not recorded; the manifest's `foreign` files when it is).
    unknown: list[str] = field(default_factory=list)
    #: Files the build has whose same-named file at a not-recorded destination differs.
    differing: list[str] = field(default_factory=list)
    #: Files this show published of episodes whose rights window ended (the build's state
    #: lists them as expired): deleted by every publish, after the feed without them is live.
    expired: list[str] = field(default_factory=list)

    @property
    def uploads(self) -> list[LocalFile]:
        """New and changed files in upload order: by stage (media, pages, archive, feed,
        state), and within a stage new files before changed ones (a changed page may start
        linking a new one; a new file is linked by nothing live until then)."""
        order = {stage: i for i, stage in enumerate(STAGES)}
        changed = {f.rel for f in self.changed}
        return sorted(
            self.new + self.changed, key=lambda f: (order[f.stage], f.rel in changed, f.rel)
        )

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.new + self.changed)

    def deletions(self, *, delete: bool, delete_unknown: bool = False) -> list[str]:
        """What a publish with these options deletes: orphans, and unknown files too when
        `delete_unknown`."""
        if not delete:
            return sorted(self.expired)
        return sorted(self.expired + self.orphans + (self.unknown if delete_unknown else []))

    def lines(
        self, *, delete: bool, uploads: bool = True, delete_unknown: bool = False
    ) -> Iterable[str]:
        """The plan as text: each upload (unless `uploads` is false), each orphan, a summary."""
        kinds = {f.rel: "new" for f in self.new} | {f.rel: "changed" for f in self.changed}
        for f in self.uploads if uploads else []:
            yield f"{kinds[f.rel]:<9} {f.rel} ({human_size(f.size)})"
        for rel in self.expired:
            yield f"{'expired':<9} {rel} (its episode's rights window ended)"
        for rel in self.orphans:
            if delete:
                yield f"{'delete':<9} {rel}"
            else:
                yield Message(f"{'orphan':<9} {rel} (kept; ", Option("delete"), " removes it)")
        drop_unknown = delete and delete_unknown
        for rel in self.unknown:
            yield f"{'delete' if drop_unknown else 'unknown':<9} {rel}" + (
                "" if drop_unknown else " (kept; not published by this show)"
            )
        unknown = (
            f", {len(self.unknown)} unknown {'to delete' if drop_unknown else '(kept)'}"
            if self.unknown
            else ""
        )
        expired = f"{len(self.expired)} expired to delete, " if self.expired else ""
        yield (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} unchanged, "
            f"{expired}"
            f"{len(self.orphans)} {'to delete' if delete else 'orphaned (kept)'}{unknown}; "
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
    """Scan the build, read the destination's manifest, listing and feed; compare.

    Nothing is read at the destination before the target has checked that every path the
    publish writes stays inside it (`Target.check_paths`).
    """
    local = scan_output(out)
    target.check_paths([*(f.rel for f in local), MANIFEST_PATH])
    remote = target.list()
    manifest_bytes = target.read(MANIFEST_PATH)
    read = PublishedManifest.parse(manifest_bytes, f"{target.display}/{MANIFEST_PATH}")
    by_rel = {f.rel: f for f in local}
    local_feed = by_rel[FEED_PATH]
    state = by_rel.get(STATE_PATH)
    identity = show_identity(
        state.path.read_bytes() if state else None, local_feed.path.read_bytes()
    )

    extras = sorted(
        rel
        for rel in remote
        if rel not in by_rel and rel != MANIFEST_PATH and TMP_MARK not in PurePosixPath(rel).name
    )
    ownership: Ownership
    recorded_show: ShowIdentity | None = None
    if manifest_bytes is None:
        ownership = "unrecorded" if any(r in by_rel for r in remote) or extras else "new"
    else:
        recorded_show = read.show or show_identity(
            target.read(STATE_PATH) if STATE_PATH in remote else None,
            target.read(FEED_PATH) if FEED_PATH in remote else None,
        )
        ownership = "recorded" if identity.same_show(recorded_show) else "other show"
    recorded = ownership == "recorded"

    new: list[LocalFile] = []
    changed: list[LocalFile] = []
    unchanged: list[LocalFile] = []
    differing: list[str] = []
    for f in local:
        if f.rel not in remote:
            new.append(f)
        elif recorded:
            known = read.files.get(f.rel, {})
            if known.get("sha256") == f.sha256 and remote[f.rel] == f.size == known.get("size"):
                unchanged.append(f)
            else:
                changed.append(f)
        elif remote[f.rel] == f.size and target.sha256(f.rel) == f.sha256:
            unchanged.append(f)  # the same bytes are already there: nothing is overwritten
        else:
            changed.append(f)
            differing.append(f.rel)

    gone = state_expired(state.path.read_bytes()) if state else {}
    expired: list[str] = []
    if recorded:
        foreign = set(read.foreign)
        orphans = [rel for rel in extras if rel not in foreign]
        # only the expired episodes' own files, which this show put there
        expired = [rel for rel in orphans if rel.partition("/")[0] in gone and "/" in rel]
        orphans = [rel for rel in orphans if rel not in set(expired)]
        unknown = [rel for rel in extras if rel in foreign]
        manifest = read
    else:
        orphans, unknown, manifest = [], extras, PublishedManifest()
    manifest.show = identity

    try:
        feed_guids(local_feed.path.read_bytes())
    except etree.XMLSyntaxError as exc:
        raise PublishError(f"{local_feed.path}: not well-formed XML ({exc}); rebuild it") from None
    building = _built_guids(out, local)
    published = set(read.guids) | _published_guids(target, remote)
    unpublished = sorted(published - set(building) - set(gone.values()))
    return Plan(
        new,
        changed,
        unchanged,
        orphans,
        unpublished,
        manifest,
        local,
        manifest_bytes,
        building,
        identity=identity,
        ownership=ownership,
        recorded_show=recorded_show,
        unknown=unknown,
        differing=differing,
        expired=expired,
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


def changed_since_build(episodes: Path, out: Path) -> Path | None:
    """A source file under `episodes` modified after `out` was last built (every build, one
    that changes nothing too, marks the output folder: build.output.mark_current), or None:
    publishing then uploads an old build.
    None too when either is missing (publish's own checks say what is wrong then)."""
    try:
        if not (out / STATE_PATH).is_file():
            return None
        built = out.stat().st_mtime
    except OSError:
        return None
    for folder, subfolders, files in os.walk(episodes):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                if path.stat().st_mtime > built:
                    return path
            except OSError:
                continue
    return None
