"""The build: episodes/ -> feeds/, incremental, parallel and atomic.

load -> probe -> parse -> render -> write. Everything is read and checked before anything
is published; the output is assembled in a staging folder and swapped into place only when
complete, so a failed build leaves the previous output exactly as it was.

Incremental: the build cache (stationcast.build.cache) records, per episode, the stat of every
file it was made from, the files it produced, its serialised feed item and its line on the
show page. An episode whose inputs and outputs are unchanged is not read again: its files are
hard-linked from the previous output into the staging folder (so the swap stays atomic), its
feed item is spliced into the new feed as bytes. Changed episodes are rendered by a pool of
worker processes when there are many (stationcast.build.workers: they never outlive the build).
When nothing changed at all, nothing is written; the state checks still run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stationcast.build import cache as build_cache
from stationcast.errors import BuildError, InputError, ManifestError, Problem
from stationcast.inputs import MANIFEST, Refused, read_input
from stationcast.build.outdir import check_output_folder
from stationcast.build.output import Staging, Waiting, locked, output_matches, staged
from stationcast.build.state import (
    STATE_FILE,
    Candidate,
    Published,
    State,
    check_unique,
    compare,
    read_state,
)

if TYPE_CHECKING:
    from stationcast.models import LoadedEpisode, Show
    from stationcast.build.episode import Context, Rendered

FEED_FILE = "feed.xml"
SHOW_FILE = "show.yaml"
EPISODE_FILE = "episode.yaml"
ARCHIVE_PAGE = "archive-{}.xml"  # RFC 5005 archive pages; a dot never appears in a slug
#: Below this many episodes to render, a process pool costs more than it saves.
PARALLEL_MIN = 100
_CHUNK = 40  # episodes per pool task (their feed items are serialised together)
# Validate only the new items (see _Build._validate) when at most one in this many is new.
_REVALIDATE_SHARE = 4
_EPOCH = "1970-01-01T00:00:00+00:00"

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildResult:
    out: Path
    feed_path: Path
    episodes: int
    warnings: Sequence[str] = ()
    seconds: float = 0.0
    built: int = 0  # episodes rendered by this build
    reused: int = 0  # episodes whose earlier output was kept


def build_show(
    episodes: Path,
    out: Path,
    *,
    base_url: str | None = None,
    state: Path | None = None,
    allow_removal: bool = False,
    allow_guid_change: bool = False,
    cache: Path | bool = True,
    jobs: int | None = None,
    progress: ProgressFn | None = None,
    lock_timeout: float | None = None,
    waiting: Waiting | None = None,
) -> BuildResult:
    """Build the show in `episodes` into `out`. Raises InputError or BuildError; `out` then is
    untouched.

    `state` is a state file from the published site (see stationcast.build.state), checked as well
    as the one in `out`; `allow_removal` and `allow_guid_change` accept what they name.
    `cache` is the build cache file (True: the default beside `out`; False: none), `jobs` the
    number of processes that render (default: every core), `progress(done, total)` is called
    as episodes are rendered. While another build of `out` runs, this one waits for it
    (calling `waiting(holder)` once): for ever, or at most `lock_timeout` seconds (0: not at
    all) before raising BuildError.
    """
    started = time.perf_counter()
    if not episodes.is_dir():
        from stationcast.manifest import load_show_model

        load_show_model(episodes, [])  # raises ManifestError naming the folder
    check_output_folder(episodes, out)
    cache_file = (
        build_cache.default_location(out) if cache is True else (Path(cache) if cache else None)
    )
    # The lock covers reading the cache and the previous output too: what this build reuses
    # must not be replaced under it by another build of the same output.
    with locked(out, timeout=lock_timeout, waiting=waiting):

        def run(trust: bool) -> BuildResult:
            return _Build(episodes, out, base_url, cache_file, jobs, progress, trust=trust).run(
                state=state,
                allow_removal=allow_removal,
                allow_guid_change=allow_guid_change,
                started=started,
            )

        try:
            return run(trust=True)
        except _StaleCacheError:  # cached feed items missing or damaged: build as if uncached
            return run(trust=False)


def _old_item_sha(entry: Any) -> Any:
    return entry.get("item_sha") if isinstance(entry, dict) else None


class _StaleCacheError(Exception):
    """The build cache does not hold what its entries say (a damaged items file)."""


class _Build:
    def __init__(
        self,
        root: Path,
        out: Path,
        base_url: str | None,
        cache_file: Path | None,
        jobs: int | None,
        progress: ProgressFn | None,
        *,
        trust: bool = True,
    ) -> None:
        self.root = root
        self.out = out
        self.base_url = base_url
        self.cache_file = cache_file
        self.jobs = (
            jobs
            if jobs is not None
            else len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
        self.progress = progress
        self.data = build_cache.load(cache_file if trust else None)
        self._items: dict[str, str] | None = None if trust else {}  # the items file, once read
        self._new_items: dict[str, str] = {}  # items rendered by this build
        self._feed_channel: Any = None  # the feed's channel, made once (see _channel)
        self._show: Show | None = None
        self._show_loaded = False
        self.problems: list[Problem] = []
        self.template_warnings: list[str] = []

    # -- the show ----------------------------------------------------------------------

    def show(self) -> Show | None:
        """show.yaml as a model (loaded once, when something needs it)."""
        if not self._show_loaded:
            from stationcast.manifest import load_show_model

            self._show = load_show_model(self.root, self.problems)
            self._show_loaded = True
        return self._show

    def _inputs_key(self) -> str:
        """Everything global but the artwork (whose name is in show.yaml)."""
        try:
            show_bytes = read_input(self.root / SHOW_FILE, MANIFEST, root=self.root)
        except Refused:  # load_show_model says why
            show_bytes = b"\0missing"
        from stationcast.pages import TEMPLATE_NAMES
        from stationcast.sandbox import scan_templates

        # BuildError for a templates folder the build must not read (a link out of the show, a FIFO)
        files, self.template_warnings = scan_templates(self.root / "templates", TEMPLATE_NAMES)
        templates = [f"{name}:{build_cache.text_stat(path)}" for name, path in files]
        return build_cache.hash_bytes(
            build_cache.code_fingerprint(),
            show_bytes,
            "\n".join(templates),
            self.base_url or "\0",
            os.getcwd(),
            str(self.root.absolute()),
            str(self.out.absolute()),
        )

    def _global(self) -> dict[str, Any] | None:
        """The cached global record when nothing global changed, else None."""
        g = self.data.get("global")
        if not isinstance(g, dict) or g.get("inputs") != self.inputs_key:
            return None
        artwork = g.get("artwork")
        if not isinstance(artwork, str) or build_cache.media_stat(self.root / artwork) != g.get(
            "artwork_stat"
        ):
            return None
        return g

    # -- the build ---------------------------------------------------------------------

    def run(
        self, *, state: Path | None, allow_removal: bool, allow_guid_change: bool, started: float
    ) -> BuildResult:
        root, out = self.root, self.out
        self.inputs_key = self._inputs_key()
        g = self._global()
        folders = _scan(root)
        old = self.data["episodes"]
        root_text, out_text = os.fspath(root), os.fspath(out)
        clean: dict[str, dict[str, Any]] = {}
        dirty: list[str] = []
        for name, is_link in folders:
            entry = old.get(name)
            if (
                g is not None
                and not is_link
                and _entry_unchanged(entry, g["key"], root_text, out_text, name)
            ):
                clean[name] = entry
            else:
                dirty.append(name)

        fresh: dict[str, LoadedEpisode] = {}
        drafts = {name for name, entry in clean.items() if entry.get("draft")}
        # Many changed episodes: their manifests are read by the workers that render them.
        parallel = len(dirty) >= PARALLEL_MIN and self.jobs >= 2
        if dirty or g is None:
            show = self.show()
            parallel = parallel and show is not None and not self.problems
            if not parallel:
                from stationcast.manifest import DRAFT, load_episode
                from stationcast.models import LoadedEpisode

                for name in dirty:
                    loaded = load_episode(root / name, root, show, self.problems)
                    if loaded == DRAFT:
                        drafts.add(name)
                    elif isinstance(loaded, LoadedEpisode):
                        fresh[name] = loaded
        if not parallel:
            self.problems.extend(
                _duplicates(root, clean, {n: i.episode.guid for n, i in fresh.items()}, drafts)
            )
            if self.problems:
                raise ManifestError(self.problems)

        # the show's own problems, reported with the episodes' (artwork first, show.yaml last)
        artwork_problems: list[Problem] = []
        late: list[Problem] = []
        warnings: list[str] = []
        if g is None:
            g = self._new_global(artwork_problems, late, state)
        base = g["base"]
        manifest_shown = _shown_under(root)

        def plan(
            entries: dict[str, Any], fresh: dict[str, LoadedEpisode]
        ) -> tuple[list[str], list[Candidate]]:
            order = _order(entries, fresh)
            candidates = [
                Candidate(
                    Published(
                        name,
                        entries[name]["guid"],
                        entries[name]["enclosure"],
                        entries[name]["published"],
                    )
                    if name in entries
                    else _fresh_record(fresh[name], base),
                    manifest_shown(name),
                )
                for name in order
            ]
            return order, candidates

        entries = {name: entry for name, entry in clean.items() if not entry.get("draft")}
        if not parallel:
            order, candidates = plan(entries, fresh)
        nothing_changed = (
            not dirty
            and not late
            and not artwork_problems
            and g.get("validator") == _validator()
            and set(old) == {name for name, _ in folders}
            and output_matches(out, g.get("top"))
        )
        if nothing_changed:
            for name in sorted(entries):
                warnings.extend(entries[name].get("warnings", []))
            warnings.extend(g.get("warnings", []))
            self._check_state(
                candidates, state, drafts, g, allow_removal, allow_guid_change, warnings
            )
            return BuildResult(
                out,
                out / FEED_FILE,
                len(order),
                tuple(warnings),
                time.perf_counter() - started,
                0,
                len(order),
            )
        with staged(out, recycle=self.cache_file is not None) as stage:
            if parallel:
                rendered, manifest_problems, prepare_problems, guids = self._load_and_render(
                    dirty, stage, g, old, drafts
                )
                manifest_problems += _duplicates(root, clean, guids, drafts)
                if manifest_problems:
                    raise ManifestError([*self.problems, *manifest_problems])
                self.problems.extend(prepare_problems)
            else:
                rendered = self._render(fresh, stage, g, old)
            problems = [*artwork_problems, *self.problems, *late]
            if problems:
                raise InputError(problems)
            for item in rendered:
                item.entry.update(key=g["key"], draft=False, warnings=item.warnings)
                entries[item.slug] = item.entry
                self._new_items[item.slug] = item.item
            if parallel:
                order, candidates = plan(entries, {})
            for name in sorted(entries):
                warnings.extend(entries[name].get("warnings", []))
            warnings.extend(g.get("warnings", []))
            self.problems.extend(check_unique(candidates))
            self._check_state(
                candidates, state, drafts, g, allow_removal, allow_guid_change, warnings
            )
            made = {item.slug for item in rendered}
            for name in order:
                if name not in made:
                    for rel in entries[name]["files"]:
                        stage.link_from(rel, f"{out_text}/{rel}")
            top = self._write_top(stage, g, [entries[name] for name in order])
            published = State(
                tuple(c.record for c in candidates), g["feed_guid"], g["base"] + FEED_FILE
            )
            stage.write_text(STATE_FILE, published.to_json())
            self._validate(stage, g, [entries[name] for name in order], made)
            top[STATE_FILE] = None
            tops = {rel: build_cache.output_stat(stage.root / rel) for rel in top}
        g["top"] = tops
        new_entries = {name: entries.get(name) or clean.get(name) for name, _ in folders}
        for name in drafts:
            new_entries[name] = {
                "key": g["key"],
                "draft": True,
                "deps": [[EPISODE_FILE, "text", build_cache.text_stat(root / name / EPISODE_FILE)]],
                "files": {},
            }
        self.data["global"] = g
        self.data["episodes"] = {k: v for k, v in new_entries.items() if v is not None}
        changed = [
            n for n in self._new_items if _old_item_sha(old.get(n)) != entries[n]["item_sha"]
        ]
        if changed or self._items is not None:
            items = self._load_items()
            items.update(self._new_items)
            build_cache.save_items(self.cache_file, {n: items[n] for n in order if n in items})
        build_cache.save(self.cache_file, self.data)
        built = len(made)
        return BuildResult(
            out,
            out / FEED_FILE,
            len(order),
            tuple(warnings),
            time.perf_counter() - started,
            built,
            len(order) - built,
        )

    def _new_global(
        self, artwork_problems: list[Problem], late: list[Problem], state: Path | None
    ) -> dict[str, Any]:
        """Check the show's own files (artwork, show.yaml's feed fields) and key them."""
        from stationcast import artwork as artwork_check
        from stationcast.manifest import _display, locate_fields
        from stationcast.build.episode import show_problems

        show = self.show()
        assert show is not None
        base = _base_url(self.base_url) if self.base_url else show.base_url
        artwork_path = self.root / show.artwork
        shown = _display(self.root / SHOW_FILE)
        artwork = artwork_check.inspect_artwork(artwork_path, shown, root=self.root)
        artwork_problems.extend(locate_fields(artwork.problems))
        late.extend(
            show_problems(
                show, _display(self.root / SHOW_FILE), base, _published_guid(self.out, state)
            )
        )
        warnings = list(self.template_warnings)
        if not base.startswith("https://"):
            warnings.append(
                f"the base URL {base} is not https, so the feed leaves out podcast:transcript,"
                " podcast:chapters and podcast:image (the Podcasting 2.0 namespace requires https)"
            )
        artwork_bytes = artwork.data if artwork.data is not None else b"\0unusable"
        return {
            "inputs": self.inputs_key,
            "artwork": show.artwork,
            "artwork_stat": build_cache.media_stat(artwork_path),
            "key": build_cache.hash_bytes(self.inputs_key, artwork_bytes),
            "base": base,
            "feed_guid": show.podcast_guid,
            "warnings": warnings,
        }

    def _check_state(
        self,
        candidates: list[Candidate],
        state: Path | None,
        drafts: Iterable[str],
        g: dict[str, Any],
        allow_removal: bool,
        allow_guid_change: bool,
        warnings: list[str],
    ) -> None:
        base = g["base"]
        previous = _previous_states(self.out, state)
        found, allowed = compare(
            previous,
            candidates,
            feed_url=base + FEED_FILE,
            episodes_dir=_shown(self.root),
            drafts=tuple(sorted(drafts)),
            podcast_guid=g["feed_guid"],
            show_manifest=_shown(self.root / SHOW_FILE),
            allow_removal=allow_removal,
            allow_guid_change=allow_guid_change,
            locate=_locate,
        )
        self.problems.extend(found)
        warnings.extend(allowed)
        if self.problems:
            raise InputError(self.problems)

    def _render(
        self,
        fresh: dict[str, LoadedEpisode],
        stage: Staging,
        g: dict[str, Any],
        old: dict[str, Any],
    ) -> list[Rendered]:
        """Render the changed episodes into `stage`, in worker processes when there are many."""
        if not fresh:
            return []
        from stationcast.build import episode as render

        show = self.show()
        assert show is not None
        probes = {
            name: entry.get("probes") for name in fresh if isinstance(entry := old.get(name), dict)
        }
        ctx = render.Context(
            show=show,
            root=self.root,
            base=g["base"],
            stage_root=stage.root,
            probes=probes,
            recycled=stage.recycled,
        )
        items = [fresh[name] for name in sorted(fresh)]
        chunks = [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]
        results: list[Rendered] = []
        done = 0
        if len(items) < PARALLEL_MIN or self.jobs < 2:
            for chunk in chunks:
                rendered, problems = render.render_chunk(ctx, chunk, stage)
                results.extend(rendered)
                self.problems.extend(problems)
                done += len(chunk)
                if self.progress:
                    self.progress(done, len(items))
            return results
        from stationcast.build.workers import worker_pool

        global _WORK
        _WORK = (ctx, chunks)  # inherited by the forked workers: nothing to pickle
        try:
            with worker_pool(self.jobs) as pool:
                for (rendered, problems), chunk in zip(
                    pool.map(_render_chunk, range(len(chunks))), chunks, strict=True
                ):
                    results.extend(rendered)
                    self.problems.extend(problems)
                    for item in rendered:
                        for rel in item.entry["files"]:
                            stage.written.add(rel)
                    done += len(chunk)
                    if self.progress:
                        self.progress(done, len(items))
        finally:
            _WORK = None
        return results

    def _load_and_render(
        self,
        names: list[str],
        stage: Staging,
        g: dict[str, Any],
        old: dict[str, Any],
        drafts: set[str],
    ) -> tuple[list[Rendered], list[Problem], list[Problem], dict[str, str]]:
        """Read the manifests of `names` and render them, in worker processes.

        Returns (rendered, manifest problems, other problems, {slug: GUID} of every episode
        read); drafts are added to `drafts`. Problems come in folder order, as a serial build
        reports them.
        """
        from stationcast.build import episode as render
        from stationcast.build.workers import worker_pool

        show = self.show()
        assert show is not None
        probes = {
            name: entry.get("probes") for name in names if isinstance(entry := old.get(name), dict)
        }
        ctx = render.Context(
            show=show,
            root=self.root,
            base=g["base"],
            stage_root=stage.root,
            probes=probes,
            recycled=stage.recycled,
        )
        chunks = [names[i : i + _CHUNK] for i in range(0, len(names), _CHUNK)]
        rendered: list[Rendered] = []
        manifest_problems: list[Problem] = []
        prepare_problems: list[Problem] = []
        guids: dict[str, str] = {}
        done = 0
        global _WORK
        _WORK = (ctx, chunks)  # inherited by the forked workers: nothing to pickle
        try:
            with worker_pool(self.jobs) as pool:
                for chunk, result in zip(
                    chunks, pool.map(_load_render_chunk, range(len(chunks))), strict=True
                ):
                    found, new_drafts, chunk_guids, made, problems = result
                    manifest_problems.extend(found)
                    drafts.update(new_drafts)
                    guids.update(chunk_guids)
                    rendered.extend(made)
                    prepare_problems.extend(problems)
                    for item in made:
                        for rel in item.entry["files"]:
                            stage.written.add(rel)
                    done += len(chunk)
                    if self.progress:
                        self.progress(done, len(names))
        finally:
            _WORK = None
        return rendered, manifest_problems, prepare_problems, guids

    def _write_top(
        self, stage: Staging, g: dict[str, Any], ordered: list[dict[str, Any]]
    ) -> dict[str, None]:
        """artwork, style.css, index.html and the feed documents: reused when their inputs are."""
        out = self.out
        old_top = g.get("top") or {}
        keys = g.setdefault("keys", {})
        artwork_name = "artwork" + Path(g["artwork"]).suffix.lower()
        written: dict[str, None] = {}

        def reuse(names: list[str], key: str, label: str) -> bool:
            ok = keys.get(label) == key and all(
                n in old_top
                and old_top[n] is not None
                and build_cache.output_stat(out / n) == old_top[n]
                for n in names
            )
            if ok:
                for n in names:
                    stage.link_from(n, out / n)
                    written[n] = None
            keys[label] = key
            return ok

        stage.link_or_copy(artwork_name, self.root / g["artwork"])
        written[artwork_name] = None
        env = None
        if not reuse(["style.css"], g["key"], "style"):
            from stationcast.pages import make_environment, render_stylesheet

            env = make_environment(self.root / "templates")
            stage.write_text("style.css", render_stylesheet(env))
            written["style.css"] = None
        listing = [e["listing"] for e in ordered]
        listing_key = build_cache.hash_bytes(g["key"], json.dumps(listing, ensure_ascii=False))
        if not reuse(["index.html"], listing_key, "show_page"):
            from stationcast.pages import make_environment, render_show_page

            env = env or make_environment(self.root / "templates")
            show = self.show()
            assert show is not None
            stage.write_text(
                "index.html",
                render_show_page(
                    env,
                    show=show,
                    page_url=g["base"],
                    feed_url=g["base"] + FEED_FILE,
                    artwork_href=artwork_name,
                    episodes=listing,
                ),
            )
            written["index.html"] = None
        feed_key = build_cache.hash_bytes(g["key"], *(e["item_sha"] for e in ordered))
        documents = [
            n
            for n in old_top
            if n == FEED_FILE or (n.startswith("archive-") and n.endswith(".xml"))
        ]
        if FEED_FILE in documents and reuse(documents, feed_key, "feed"):
            return written
        for name in _write_feeds(stage, self._channel(g), ordered, g["base"], self._item):
            written[name] = None
        return written

    def _validate(
        self, stage: Staging, g: dict[str, Any], ordered: list[dict[str, Any]], made: set[str]
    ) -> None:
        """Validate the staged feed (raising BuildError on errors), or only its new part.

        When the channel is byte for byte the one the last build's feed was validated with
        (but for its lastBuildDate, which no item rule reads), by the same validator, the other
        items passed then, in this same context: validating the channel with the items rendered
        now says what validating everything would. (The rules across items, duplicate GUIDs
        and enclosure URLs, are the build's own checks before this.) Anything found is reported
        from a full validation, whose line numbers are the real file's.
        """
        from stationcast.feed import feed_frame

        validator = _validator()
        channel = self._channel(g)
        archive = channel.show.archive
        channel_sha = None
        if archive is None or len(ordered) <= archive.feed_items:  # one feed document, no pages
            # The channel as the items see it: without its lastBuildDate (the newest episode's
            # date), so adding a newer episode still validates only that episode's item.
            channel_sha = hashlib.sha256(
                b"".join(feed_frame(channel, datetime.fromisoformat(_EPOCH)))
            ).hexdigest()
        if (
            channel_sha is not None
            and g.get("validator") == validator
            and g.get("channel_sha") == channel_sha
            and len(made) * _REVALIDATE_SHARE <= len(ordered)
        ):
            last = max(
                (datetime.fromisoformat(e["published"]) for e in ordered),
                default=datetime.fromisoformat(_EPOCH),
            )
            head, end = feed_frame(channel, last)
            items = [self._item(e["slug"], e) for e in ordered if e["slug"] in made]
            if not _feed_errors(b"".join([head, *items, end]), FEED_FILE, stage.root)[0]:
                return
        _validate_staged(stage)
        g["validator"] = validator
        g["channel_sha"] = channel_sha

    def _load_items(self) -> dict[str, str]:
        if self._items is None:
            self._items = build_cache.load_items(self.cache_file)
        return self._items

    def _item(self, name: str, entry: dict[str, Any]) -> bytes:
        """An episode's serialised feed item, from this build or the cache (checked by hash)."""
        if name in self._new_items:
            return self._new_items[name].encode("utf-8")
        item = self._load_items().get(name)
        data = item.encode("utf-8") if isinstance(item, str) else b""
        if hashlib.sha256(data).hexdigest() != entry.get("item_sha"):
            raise _StaleCacheError(name)
        return data

    def _channel(self, g: dict[str, Any]) -> Any:
        from stationcast.feed import FeedChannel
        from stationcast.build.episode import image_size, live_defaults, make_person

        if self._feed_channel is not None:
            return self._feed_channel
        show = self.show()
        assert show is not None
        base = g["base"]
        self._feed_channel = FeedChannel(
            show=show,
            feed_url=base + FEED_FILE,
            link=show.link or base,
            artwork_url=base + "artwork" + Path(g["artwork"]).suffix.lower(),
            persons=[make_person(c) for c in show.hosts],
            podcast_guid=show.podcast_guid,
            artwork_size=image_size(self.root / g["artwork"]),
            live_defaults=live_defaults(show, base),
        )
        return self._feed_channel


_WORK: tuple[Context, list[list[Any]]] | None = None


def _render_chunk(index: int) -> tuple[list[Rendered], list[Problem]]:
    """In a worker: render chunk `index` of the work the parent left in `_WORK`."""
    from stationcast.build import episode as render

    assert _WORK is not None
    ctx, chunks = _WORK
    return render.render_chunk(ctx, chunks[index])


def _validator() -> str:
    """Which validator passed the feed: a build with nothing changed skips validating the
    same bytes again only when the same validator would run (and the code fingerprint of the
    cache covers its rules)."""
    import sys

    module = sys.modules.get("stationcast.validate")
    function = getattr(module, "validate_bytes", None) if module is not None else None
    if function is None:
        return "stationcast.validate.api.validate_bytes"
    return f"{function.__module__}.{function.__qualname__}"


def _load_render_chunk(
    index: int,
) -> tuple[list[Problem], list[str], dict[str, str], list[Rendered], list[Problem]]:
    """In a worker: read the manifests of chunk `index` (names) and render the episodes."""
    from stationcast.build import episode as render
    from stationcast.manifest import DRAFT, load_episode
    from stationcast.models import LoadedEpisode

    assert _WORK is not None
    ctx, chunks = _WORK
    found: list[Problem] = []
    drafts: list[str] = []
    loaded: list[LoadedEpisode] = []
    for name in chunks[index]:
        item = load_episode(ctx.root / name, ctx.root, ctx.show, found)
        if item == DRAFT:
            drafts.append(name)
        elif isinstance(item, LoadedEpisode):
            loaded.append(item)
    guids = {item.slug: item.episode.guid for item in loaded}
    if found:  # the build stops at the manifests' problems: do not render
        return found, drafts, guids, [], []
    made, problems = render.render_chunk(ctx, loaded)
    return found, drafts, guids, made, problems


def _scan(root: Path) -> list[tuple[str, bool]]:
    """(name, is a symlink) of every episode folder, sorted: a folder holding episode.yaml."""
    found = []
    with os.scandir(root) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")) or name == "templates":
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # a link that cannot be followed (a loop): load_episode reports it
                if "." not in name:  # no slug has a dot; a file (show.yaml) reports itself
                    found.append((name, True))
                continue
            if not is_dir:
                continue
            if os.path.lexists(os.path.join(entry.path, EPISODE_FILE)):
                found.append((name, entry.is_symlink()))
    found.sort()
    return found


def _entry_unchanged(entry: Any, key: str, root: str, out: str, name: str) -> bool:
    """True when a cached entry was made from exactly the files now in the episode's folder
    and its output files are still in the previous output as that build left them."""
    try:
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        folder = os.path.join(root, name)
        for file, kind, stat_key in entry["deps"]:
            if "/" in file or file in ("", ".", ".."):
                return False
            path = os.path.join(folder, file)
            current = (
                build_cache.text_stat(path) if kind == "text" else build_cache.media_stat(path)
            )
            if current is None or current != stat_key:
                return False
        if entry.get("draft"):
            return True
        prefix = name + "/"
        for rel, stat_key in entry["files"].items():
            if (
                not rel.startswith(prefix)
                or ".." in rel.split("/")
                or build_cache.output_stat(os.path.join(out, rel)) != stat_key
            ):
                return False
        return (
            entry["slug"] == name
            and isinstance(entry["item_sha"], str)
            and isinstance(entry["listing"], dict)
            and all(isinstance(entry[k], str) for k in ("guid", "published", "enclosure"))
            and isinstance(entry["ts"], int)
            and all(isinstance(w, str) for w in entry.get("warnings", []))
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def _shown_under(root: Path) -> Callable[[str], str]:
    """`name -> _shown(root / name / episode.yaml)`, without a relpath per episode."""
    base = _shown(root)
    if base == str(root) and os.path.isabs(base):
        return lambda name: str(root / name / EPISODE_FILE)
    prefix = "" if base == "." else base.rstrip("/") + "/"
    return lambda name: f"{prefix}{name}/{EPISODE_FILE}"


def _order(entries: dict[str, dict[str, Any]], fresh: dict[str, LoadedEpisode]) -> list[str]:
    """Feed order: newest first, then by slug (descending), as the published dates compare."""
    keys: list[tuple[int, str]] = [(e["ts"], name) for name, e in entries.items()]
    if fresh:
        from datetime import UTC, timedelta

        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        keys += [
            ((item.episode.published - epoch) // timedelta(microseconds=1), name)
            for name, item in fresh.items()
        ]
    keys.sort(reverse=True)
    return [name for _, name in keys]


def _fresh_record(item: LoadedEpisode, base: str) -> Published:
    from stationcast.build.episode import candidate_url

    return Published(
        item.slug, item.episode.guid, candidate_url(item, base), item.episode.published.isoformat()
    )


def _duplicates(
    root: Path, clean: dict[str, dict[str, Any]], fresh: dict[str, str], drafts: set[str]
) -> list[Problem]:
    """Duplicate GUIDs and slugs among all episodes (named only when there are any);
    `fresh` maps the episodes read by this build to their GUIDs."""
    guids = [(name, e["guid"]) for name, e in clean.items() if name not in drafts] + list(
        fresh.items()
    )
    if len({g for _, g in guids}) == len(guids) and len({n.casefold() for n, _ in guids}) == len(
        guids
    ):
        return []
    from stationcast.manifest import duplicate_problems

    guids.sort()
    return duplicate_problems(
        (n, _shown(root / n), _shown(root / n / EPISODE_FILE), g) for n, g in guids
    )


def _write_feeds(
    stage: Staging,
    channel: Any,
    ordered: Sequence[dict[str, Any]],
    base: str,
    item: Callable[[str, dict[str, Any]], bytes],
) -> list[str]:
    """feed.xml, and with `archive: {feed_items: N}` the RFC 5005 archive pages.

    feed.xml holds the newest N episodes. Older ones go into archive-1.xml (the oldest N),
    archive-2.xml, ...; only the newest archive page is ever partly filled, so every other
    page stays byte-identical as the show grows.
    """
    from dataclasses import replace

    from stationcast.feed import ArchiveLinks, assemble_feed

    items = [(datetime.fromisoformat(e["published"]), item(e["slug"], e)) for e in ordered]

    def write(name: str, document: Any, page: Sequence[tuple[datetime, bytes]]) -> None:
        last = max((p for p, _ in page), default=datetime.fromisoformat(_EPOCH))
        stage.write_bytes(name, assemble_feed(document, [x for _, x in page], last))

    archive = channel.show.archive
    if archive is None or len(items) <= archive.feed_items:
        write(FEED_FILE, channel, items)
        return [FEED_FILE]
    limit = archive.feed_items
    oldest_first = list(reversed(items[limit:]))
    pages = [oldest_first[i : i + limit] for i in range(0, len(oldest_first), limit)]

    def page_url(number: int) -> str:
        return base + ARCHIVE_PAGE.format(number)

    current = ArchiveLinks(current=channel.feed_url, prev_archive=page_url(len(pages)))
    write(FEED_FILE, replace(channel, archive=current), items[:limit])
    quiet = channel.show.model_copy(
        update={"live": []}
    )  # live programs belong to the current feed only
    names = [FEED_FILE]
    for number, page in enumerate(pages, start=1):
        links = ArchiveLinks(
            current=channel.feed_url,
            prev_archive=page_url(number - 1) if number > 1 else None,
            next_archive=page_url(number + 1) if number < len(pages) else None,
            is_archive=True,
        )
        document = replace(channel, show=quiet, feed_url=page_url(number), archive=links)
        write(ARCHIVE_PAGE.format(number), document, list(reversed(page)))
        names.append(ARCHIVE_PAGE.format(number))
    return names


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when possible."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _base_url(value: str) -> str:
    from pydantic import TypeAdapter, ValidationError

    from stationcast.models import BaseUrl

    try:
        return str(TypeAdapter(BaseUrl).validate_python(value))
    except ValidationError as exc:
        raise BuildError(f"--base-url: {exc.errors()[0]['ctx']['error']}") from None


def _published_guid(out: Path, extra: Path | None) -> tuple[str, str] | None:
    """(podcast:guid, state file) from an earlier build, to suggest when show.yaml lost it."""
    try:
        states = _previous_states(out, extra)
    except BuildError:
        return None
    return next(((s.podcast_guid, s.source) for s in states if s.podcast_guid), None)


def _previous_states(out: Path, extra: Path | None) -> list[State]:
    states: list[State] = []
    own = out / STATE_FILE
    if own.is_file():
        states.append(read_state(own, _shown(own)))
    if extra is not None:
        states.append(read_state(extra, _shown(extra)))
    return states


def _locate(manifest: str, field_name: str) -> tuple[int | None, int | None]:
    """Line and column of a top-level field's value in a manifest (for messages)."""
    from stationcast.manifest import read_document

    doc = read_document(Path(manifest), [])
    if doc is None:
        return None, None
    return doc.positions.get((field_name,), (None, None))


def _feed_errors(data: bytes, name: str, local_root: Path) -> tuple[int, str]:
    """(number of errors, their lines) of `stationcast validate` on one feed document, offline."""
    try:
        from stationcast.validate import validate_bytes
    except ImportError:  # pragma: no cover - validate is an optional part of the package
        return 0, ""
    report = validate_bytes(data, location=name, local_root=local_root)
    return len(report.errors), "".join(
        f"\n  {report.describe(finding)}" for finding in report.errors
    )


def _validate_staged(stage: Staging) -> None:
    """Run `stationcast validate` on the staged feed, offline; refuse a feed with errors."""
    lines = ""
    count = 0
    for name in [FEED_FILE, *sorted(p.name for p in stage.root.glob(ARCHIVE_PAGE.format("*")))]:
        found, text = _feed_errors((stage.root / name).read_bytes(), name, stage.root)
        count += found
        lines += text
    if count:
        raise BuildError(
            f"the built feed fails validation ({count} error{'s' if count != 1 else ''}),"
            " so it was not"
            f" published and the previous output is untouched:{lines}"
        )
