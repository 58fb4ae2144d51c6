"""The build: episodes/ -> feeds/, incremental, parallel and atomic, as named steps.

    plan      the build cache decides which episodes are unchanged (Plan)
    load      the changed episodes' manifests (Loaded; ManifestError stops here)
    show      show.yaml's feed fields and the artwork, checked and keyed (CheckedShow)
    episodes  per changed episode: probe -> parse -> render -> write (episode.py, in worker
              processes when there are many; they read the manifests too)
    publish   the state checks: no published episode lost, no GUID or enclosure URL changed
    write     unchanged episodes linked from the previous output; artwork, style.css,
              index.html, feed.xml (+ archive pages) and the state file (show.py)
    validate  the staged feed, offline (show.validate_feed); BuildError stops here
    record    the cache for the next build

Everything is read and checked before anything is published; the output is assembled in a
staging folder and swapped into place only when complete, so a failed build leaves the
previous output exactly as it was.

Incremental: the build cache (build.cache) records, per episode, the stat of every file it
was made from, the files it produced, its serialised feed item and its line on the show page.
An episode whose inputs and outputs are unchanged is not read again: its files are
hard-linked from the previous output into the staging folder (so the swap stays atomic), its
feed item is spliced into the new feed as bytes. When nothing changed at all, nothing is
written; the state checks still run.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from stationcast.build import cache as build_cache
from stationcast.build.cache import CacheData, Dep, DraftEntry, Entry, EpisodeEntry, ShowEntry
from stationcast.build.outdir import check_output_folder
from stationcast.build.output import (
    Staging,
    Waiting,
    locked,
    mark_current,
    output_matches,
    staged,
)
from stationcast.build.schedule import (
    Expired,
    Held,
    HeldRecord,
    Scheduled,
    build_now,
    load_held,
    save_held,
)
from stationcast.build.state import (
    STATE_FILE,
    Candidate,
    Gone,
    Published,
    State,
    check_unique,
    compare,
    read_state,
)
from stationcast.cores import usable_cores
from stationcast.errors import (
    BuildError,
    InputError,
    ManifestError,
    Message,
    Option,
    Problem,
    display_path,
    is_note,
)
from stationcast.inputs import IMAGE, MANIFEST, Refused, read_input
from stationcast.sandbox.files import TEMPLATE_NAMES, scan_templates

if TYPE_CHECKING:
    # imported when a step needs them: a build with nothing changed reads no manifest (no
    # PyYAML, pydantic), renders nothing (no Jinja2, feedgen, lxml, mutagen) and validates
    # nothing (see the steps)
    from stationcast.build.episode import ChunkResult, Context
    from stationcast.build.show import TopFiles, Validated
    from stationcast.feed import FeedChannel
    from stationcast.models import LoadedEpisode, Show

FEED_FILE = "feed.xml"
SHOW_FILE = "show.yaml"
EPISODE_FILE = "episode.yaml"
#: Below this many episodes to render, a process pool costs more than it saves.
PARALLEL_MIN = 100
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Episodes per pool task (their feed items are serialised together).
CHUNK = 40

ProgressFn = Callable[[int, int], None]
#: A station's check of one show's build, before anything is written: (the episodes it is
#: about to publish, its podcast:guid, the GUIDs its last build published but those whose
#: rights window ended) -> (problems that
#: stop it, {GUID it published before: the show it moved to}, notes to report).
Claim: TypeAlias = Callable[
    [Sequence[Candidate], str | None, frozenset[str]],
    tuple[list[Problem], dict[str, str], list[str]],
]


@dataclass(frozen=True)
class BuildResult:
    out: Path
    feed_path: Path
    episodes: int
    warnings: Sequence[str] = ()
    seconds: float = 0.0
    built: int = 0  # episodes rendered by this build
    reused: int = 0  # episodes whose earlier output was kept
    # Episodes held back until their `published:` (slug, when), soonest first; the build's
    # clock, and the station's time zone (to say when).
    scheduled: Sequence[tuple[str, datetime]] = ()
    now: datetime | None = None
    zone: str | None = None
    # Published episodes whose rights window ended: they left the feed in this build.
    expired: Sequence[tuple[str, datetime]] = ()
    drafts: int = 0  # episodes skipped as drafts


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
    now: str | datetime | None = None,
    max_expire: int = 50,
    phase: Callable[[str], None] | None = None,
    strict: bool = False,
    claim: Claim | None = None,
) -> BuildResult:
    """Build the show in `episodes` into `out`. Raises InputError or BuildError; `out` then is
    untouched.

    `state` is a state file from the published site (see build.state), checked as well
    as the one in `out`; `allow_removal` and `allow_guid_change` accept what they name.
    `cache` is the build cache file (True: the default beside `out`; False: none), `jobs` the
    number of processes that render (default: every core), `progress(done, total)` is called
    as episodes are rendered. While another build of `out` runs, this one waits for it
    (calling `waiting(holder)` once): for ever, or at most `lock_timeout` seconds (0: not at
    all) before raising BuildError. `now` is the build's clock (see build.schedule: the
    default is SOURCE_DATE_EPOCH, else the wall clock). A build that would take more than
    `max_expire` published episodes out of the feed at once, their rights windows ended,
    raises InputError instead (a wrong default must not empty a feed). `phase(name)` is
    called as each step starts: "reading", "rendering", "writing", "validating" (for a
    progress display).
    `strict` makes the build's warnings errors: BuildError, and `out` untouched.
    `claim`, for a show of a station (stationcast.station.build), is asked before anything
    is written whether the station lets this show publish its GUIDs (see Claim).
    """
    started = time.perf_counter()
    if not episodes.is_dir():
        from stationcast.manifest import load_show_model

        load_show_model(episodes, [])  # raises ManifestError naming the folder
    check_output_folder(episodes, out)
    cache_file = (
        build_cache.default_location(out) if cache is True else (Path(cache) if cache else None)
    )
    options = _Options(
        base_url,
        state,
        allow_removal,
        allow_guid_change,
        jobs,
        progress,
        build_now(now),
        max_expire,
        phase,
        strict,
        claim,
    )
    # The lock covers reading the cache and the previous output too: what this build reuses
    # must not be replaced under it by another build of the same output.
    with locked(out, timeout=lock_timeout, waiting=waiting):
        try:
            return _Build(episodes, out, cache_file, options, trust=True).run(started)
        except build_cache.StaleCacheError:  # cached feed items missing or damaged: no cache
            return _Build(episodes, out, cache_file, options, trust=False).run(started)


@dataclass(eq=False)
class _Options:
    base_url: str | None
    state: Path | None
    allow_removal: bool
    allow_guid_change: bool
    jobs: int | None
    progress: ProgressFn | None
    now: datetime  # the build's clock (build.schedule)
    max_expire: int = 50
    phase: Callable[[str], None] | None = None
    strict: bool = False
    claim: Claim | None = None


# -- the values the steps pass on ---------------------------------------------------------
# The step values are plain dataclasses (eq=False, not frozen): nothing compares or hashes
# them, and every method a dataclass generates is compiled when the module is imported.


@dataclass(eq=False)
class Plan:
    """The plan step's result: what the cache lets this build reuse."""

    folders: list[str]  # every episode folder, sorted
    clean: dict[str, EpisodeEntry]  # published episodes whose inputs and outputs are unchanged
    clean_drafts: set[str]  # drafts whose manifest is unchanged
    dirty: list[str]  # the episodes to load and render
    show: ShowEntry | None  # the cached show entry, when nothing global changed
    inputs: str  # the key of the global inputs but the artwork (see _global_inputs)
    template_warnings: list[str]
    held: dict[str, Held] = field(default_factory=dict)  # unchanged, still left out
    windows: dict[str, datetime] = field(default_factory=dict)  # of the clean episodes


@dataclass(eq=False)
class CheckedShow:
    """The show step's result: the show's cache entry, and what is wrong with its files."""

    entry: ShowEntry
    problems: list[Problem] = field(default_factory=list)


@dataclass(eq=False)
class Loaded:
    """The load step's result: the changed episodes, read (or left to the workers to read)."""

    episodes: list[LoadedEpisode] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # folders the worker processes load
    drafts: set[str] = field(default_factory=set)  # every draft, unchanged ones included
    scheduled: dict[str, datetime] = field(default_factory=dict)  # read now, not yet due
    expired: dict[str, Expired] = field(default_factory=dict)  # read now, window ended
    windows: dict[str, datetime] = field(default_factory=dict)  # read now, with an expiry


# -- the pipeline --------------------------------------------------------------------------


class _Build:
    def __init__(
        self, root: Path, out: Path, cache_file: Path | None, options: _Options, *, trust: bool
    ) -> None:
        self.root = root
        self.out = out
        self.cache_file = cache_file
        self.options = options
        jobs = options.jobs
        self.jobs = jobs if jobs is not None else usable_cores()
        self.data = build_cache.load(cache_file if trust else None)
        self.items = build_cache.FeedItems(cache_file, trust=trust)
        self._show: Show | None = None
        self._show_problems: list[Problem] | None = None
        self._leaving: dict[str, datetime] = {}  # published episodes expiring in this build
        self.held_record = load_held(cache_file if trust else None)
        self.held = self.held_record.held
        if not self.held_record.read:
            # Without the record of the rights windows an unchanged episode's window could
            # pass unnoticed: every episode is read again (and the record written) once.
            self.data = CacheData(self.data.show, {})

    def run(self, started: float) -> BuildResult:
        self.phase("reading")
        plan = self.plan()
        loaded = self.load(plan)
        checked = self.check_show(plan)
        show = checked.entry
        if self.nothing_changed(plan, show):
            order = _order(plan.clean)
            candidates = self._candidates(order, plan.clean)
            warnings = self.check_published(
                candidates, plan.clean, loaded.drafts, show, [], plan, loaded
            )
            warnings += _checked(show, [plan.clean[name] for name in order])
            self.strict(warnings)
            mark_current(self.out)
            return self._result(
                started, order, warnings, built=0, plan=plan, drafts=len(loaded.drafts)
            )
        with staged(self.out, recycle=self.cache_file is not None) as stage:
            self.phase("rendering")
            made = self.episodes(loaded, show, stage)
            loaded.drafts.update(made.drafts)  # found by the workers that read the manifests
            loaded.scheduled.update(made.scheduled)
            loaded.expired.update({e.slug: e for e in made.expired})
            loaded.windows.update(made.windows)
            self.check_episodes(plan, loaded, checked, made)
            for m in made.made:
                self.items.add(m.entry.slug, m.item, m.entry.item_sha)
            entries = {**plan.clean, **{m.entry.slug: m.entry for m in made.made}}
            fresh = {m.entry.slug for m in made.made}
            order = _order(entries)
            candidates = self._candidates(order, entries)
            warnings = self.check_published(
                candidates, entries, loaded.drafts, show, check_unique(candidates), plan, loaded
            )
            ordered = [entries[name] for name in order]
            channel = self.channel(show)
            self.phase("writing")
            top = self.write(stage, channel, show, ordered, fresh, candidates, plan, loaded)
            self.phase("validating")
            validated = self.validate(stage, channel, show, ordered, fresh)
            for entry in ordered:
                if validated.full or entry.slug in fresh:
                    entry.checked = validated.item_warnings.get(entry.guid, [])
            if validated.channel_warnings is not None:
                show = replace(show, checked=validated.channel_warnings)
            warnings += _checked(show, ordered)
            self.strict(warnings)
            top_stats = {rel: build_cache.output_stat(stage.root / rel) for rel in top.names}
        mark_current(self.out)
        recorded = replace(
            show,
            top=top_stats,
            keys=top.keys,
            validator=validated.validator,
            channel_sha=validated.channel_sha,
        )
        self.record(plan, recorded, entries, loaded.drafts, order)
        self.record_held(plan, recorded, loaded)
        return self._result(
            started,
            order,
            warnings,
            built=len(fresh),
            plan=plan,
            loaded=loaded,
            drafts=len(loaded.drafts),
        )

    def phase(self, name: str) -> None:
        if self.options.phase is not None:
            self.options.phase(name)

    def show_model(self) -> Show | None:
        """show.yaml as a model (read once, when a step needs it); its problems go to
        ManifestError in the load step."""
        if self._show_problems is None:
            from stationcast.manifest import load_show_model

            self._show_problems = []
            self._show = load_show_model(self.root, self._show_problems)
        return self._show

    def _result(
        self,
        started: float,
        order: Sequence[str],
        warnings: Sequence[str],
        built: int,
        plan: Plan,
        loaded: Loaded | None = None,
        drafts: int = 0,
    ) -> BuildResult:
        due = {name: h.due for name, h in plan.held.items() if h.kind == "scheduled"}
        if loaded is not None:
            due.update(loaded.scheduled)
        scheduled = tuple(sorted(due.items(), key=lambda pair: (pair[1], pair[0])))
        if loaded is not None or self._show is not None:
            model = self.show_model()
            zone = model.station.timezone if model is not None else None
        else:
            zone = self.held_record.zone
        return BuildResult(
            self.out,
            self.out / FEED_FILE,
            len(order),
            tuple(warnings),
            time.perf_counter() - started,
            built,
            len(order) - built,
            scheduled,
            self.options.now,
            zone,
            tuple(sorted(self._leaving.items(), key=lambda pair: (pair[1], pair[0]))),
            drafts,
        )

    # -- plan: what the cache lets this build reuse ----------------------------------------

    def plan(self) -> Plan:
        """Split the episode folders into unchanged (by the cache) and changed ones."""
        inputs, template_warnings = self._global_inputs()
        show = self.data.show
        live_next = self.held_record.live_next
        if show is not None and (
            show.inputs != inputs
            or not self._artwork_current(show)
            or (live_next is not None and live_next <= self.options.now)  # a live status changed
        ):
            show = None
        folders = _scan(self.root)
        old = self.data.episodes
        root_text, out_text = os.fspath(self.root), os.fspath(self.out)
        clean: dict[str, EpisodeEntry] = {}
        clean_drafts: set[str] = set()
        dirty: list[str] = []
        held: dict[str, Held] = {}
        windows: dict[str, datetime] = {}
        now = self.options.now
        now_us = (now - _EPOCH) // timedelta(microseconds=1)
        for name, is_link in folders:
            entry = old.get(name)
            hold = self.held.get(name)
            window = self.held_record.windows.get(name)
            if (
                hold is not None
                and show is not None
                and not is_link
                and hold.current(
                    show.key, build_cache.text_stat(f"{root_text}/{name}/{EPISODE_FILE}"), now
                )
            ):
                held[name] = hold
                continue
            if (
                show is None
                or is_link
                or entry is None
                or not entry.current(show.key, root_text, out_text)
                or (isinstance(entry, EpisodeEntry) and entry.ts > now_us)  # not yet due
                or (window is not None and window <= now)  # its rights window ended
            ):
                dirty.append(name)
            elif isinstance(entry, DraftEntry):
                clean_drafts.add(name)
            else:
                clean[name] = entry
                if window is not None:
                    windows[name] = window
        names = [name for name, _ in folders]
        return Plan(
            names, clean, clean_drafts, dirty, show, inputs, template_warnings, held, windows
        )

    def _artwork_current(self, show: ShowEntry) -> bool:
        """The artwork has its stat key, or else the same bytes (then it takes the new key)."""
        path = self.root / show.artwork
        now = build_cache.media_stat(path)
        if now == show.artwork_stat and now is not None:
            return True
        try:
            data = read_input(path, IMAGE, root=self.root)
        except Refused:
            return False
        if now is None or build_cache.hash_bytes(data) != show.artwork_digest:
            return False
        show.artwork_stat = now
        return True

    def _global_inputs(self) -> tuple[str, list[str]]:
        """The key of everything global but the artwork (whose name is in show.yaml), and the
        templates' warnings."""
        try:
            show_bytes = read_input(self.root / SHOW_FILE, MANIFEST, root=self.root)
        except Refused:  # load_show_model says why
            show_bytes = b"\0missing"
        # BuildError for a templates folder the build must not read (a link out of the show, a FIFO)
        files, warnings = scan_templates(self.root / "templates", TEMPLATE_NAMES)
        templates = [f"{name}:{build_cache.content_digest(path)}" for name, path in files]
        from stationcast.station import station_inputs  # (reads, does not parse)

        key = build_cache.hash_bytes(
            build_cache.code_fingerprint(),
            show_bytes,
            *station_inputs(self.root),
            "\n".join(templates),
            self.options.base_url or "\0",
            # where the show and the output are as messages name them (relative to the working
            # directory when inside it): a clone elsewhere, built the same way, has the same key
            display_path(self.root.absolute()),
            display_path(self.out.absolute()),
        )
        return key, warnings

    # -- load: the changed episodes' manifests ---------------------------------------------

    def load(self, plan: Plan) -> Loaded:
        """Read show.yaml and the changed episodes' manifests, unless worker processes will
        (many changed episodes); raise ManifestError for their problems and duplicates."""
        loaded = Loaded(drafts=set(plan.clean_drafts))
        problems: list[Problem] = []
        if plan.dirty or plan.show is None:
            from stationcast.manifest import DRAFT, load_episode, settle
            from stationcast.models import LoadedEpisode

            show = self.show_model()
            assert self._show_problems is not None
            problems += self._show_problems
            if len(plan.dirty) >= PARALLEL_MIN and self.jobs >= 2 and not settle(problems):
                loaded.deferred = plan.dirty  # the workers read them as they render them
                return loaded
            for name in plan.dirty:
                item = load_episode(
                    self.root / name, self.root, show, problems, now=self.options.now
                )
                if item == DRAFT:
                    loaded.drafts.add(name)
                elif isinstance(item, Scheduled):
                    loaded.scheduled[name] = item.due
                elif isinstance(item, Expired):
                    loaded.expired[name] = item
                elif isinstance(item, LoadedEpisode):
                    if item.expires is not None:
                        loaded.windows[name] = item.expires
                    loaded.episodes.append(item)
        guids = {item.slug: item.episode.guid for item in loaded.episodes}
        problems += _duplicates(self.root, plan.clean, guids, loaded.drafts)
        if problems:  # (manifest: not imported when nothing was read)
            from stationcast.manifest import settle

            if settle(problems):  # (missing files alone: the readers report them with the rest)
                raise ManifestError(self.published_guids(problems))
        return loaded

    def published_guids(self, problems: list[Problem]) -> list[Problem]:
        """`problems`, where an episode that lost its guid line was published: the line to
        add back is its published GUID (a fresh one would stop the next build as a change)."""
        from stationcast.models import GUID_MISSING

        if not any(p.field == "guid" and p.message.startswith(GUID_MISSING) for p in problems):
            return problems
        try:
            states = _previous_states(self.out, self.options.state)
        except BuildError:
            return problems
        known = {e.slug: (e.guid, s.source) for s in reversed(states) for e in s.episodes}
        fixed: list[Problem] = []
        for problem in problems:
            was = known.get(Path(problem.file).parent.name)
            if problem.field == "guid" and problem.message.startswith(GUID_MISSING) and was:
                problem = replace(
                    problem,
                    message=f"{GUID_MISSING}; this episode was published with the GUID {was[0]}"
                    f" (recorded in {was[1]}): add the line `guid: {was[0]}` back, unchanged,"
                    " or podcast apps take it for a new episode",
                )
            fixed.append(problem)
        return fixed

    # -- show: show.yaml's feed fields and the artwork -------------------------------------

    def check_show(self, plan: Plan) -> CheckedShow:
        """The cached show entry when nothing global changed, else the show's files checked."""
        if plan.show is not None:
            return CheckedShow(plan.show)
        # Pillow (the artwork), feedgen, the validator: not needed by a build with nothing changed
        from stationcast.build.show import check_show

        show = self.show_model()
        assert show is not None  # (else the load step raised ManifestError)
        base = _base_url(self.options.base_url) if self.options.base_url else show.base_url
        published = _published_guid(self.out, self.options.state)
        entry, problems = check_show(
            show, self.root, base, plan.inputs, plan.template_warnings, published
        )
        return CheckedShow(entry, problems)

    def nothing_changed(self, plan: Plan, show: ShowEntry) -> bool:
        """Nothing to write: no episode changed, came or went, the output is as the last
        build left it (no media file to link again), and the same validator passed its feed."""
        return (
            plan.show is not None
            and not plan.dirty
            and show.validator == validator_name()
            and set(self.data.episodes) | set(plan.held) == set(plan.folders)
            and output_matches(self.out, show.top)
            and not any(entry.relink for entry in plan.clean.values())
        )

    # -- episodes: probe -> parse -> render -> write, per changed episode ------------------

    def episodes(self, loaded: Loaded, show: ShowEntry, stage: Staging) -> ChunkResult:
        """Make the changed episodes' files in `stage` (see episode.build_chunk): in worker
        processes when they read the manifests too (`loaded.deferred`), else here."""
        # feedgen, lxml, mutagen, the Markdown renderer: only for episodes to render
        from stationcast.build.episode import ChunkResult, Context, build_chunk

        result = ChunkResult()
        work: Sequence[LoadedEpisode | str] = loaded.deferred or loaded.episodes
        if not work:
            return result
        model = self.show_model()
        assert model is not None
        old = self.data.episodes
        names = loaded.deferred or [item.slug for item in loaded.episodes]
        ctx = Context(
            show=model,
            root=self.root,
            base=show.base,
            key=show.key,
            stage_root=stage.root,
            probes={
                name: entry.probes
                for name in names
                if isinstance(entry := old.get(name), EpisodeEntry)
            },
            recycled=stage.recycled,
            now=self.options.now,
        )
        chunks = [work[i : i + CHUNK] for i in range(0, len(work), CHUNK)]
        done = 0

        def collect(chunk: ChunkResult, size: int) -> None:
            nonlocal done
            result.made += chunk.made
            result.problems += chunk.problems
            result.manifest_problems += chunk.manifest_problems
            result.drafts += chunk.drafts
            result.scheduled += chunk.scheduled
            result.expired += chunk.expired
            result.windows.update(chunk.windows)
            result.guids.update(chunk.guids)
            done += size
            if self.options.progress:
                self.options.progress(done, len(work))

        if not loaded.deferred:
            for chunk in chunks:
                collect(build_chunk(ctx, chunk, stage), len(chunk))
            return result
        # multiprocessing and concurrent.futures: only for a build with many episodes to render
        from stationcast.build.workers import worker_pool

        global _WORK
        _WORK = (build_chunk, ctx, chunks)  # inherited by the forked workers: nothing to pickle
        try:
            with worker_pool(self.jobs) as pool:
                # submit, not map: map's iterator cancels the remaining work when a signal or an
                # error leaves this loop, racing the pool's own thread, which fails that work
                # once worker_pool has stopped the workers (Python 3.11 then prints a traceback)
                futures = [pool.submit(_build_chunk, i) for i in range(len(chunks))]
                for chunk, future in zip(chunks, futures, strict=True):
                    made = future.result()
                    for m in made.made:  # the worker wrote them
                        stage.written.update(m.entry.files)
                    collect(made, len(chunk))
        finally:
            _WORK = None
        return result

    def check_episodes(
        self, plan: Plan, loaded: Loaded, checked: CheckedShow, made: ChunkResult
    ) -> None:
        """Stop at the problems of the manifests the workers read (and their duplicates), then
        at those of the episodes' files and the show's own."""
        if loaded.deferred:
            from stationcast.manifest import settle

            found = _duplicates(self.root, plan.clean, made.guids, loaded.drafts)
            if settle(problems := [*made.manifest_problems, *found]):
                raise ManifestError(self.published_guids(problems))
        problems = [*made.problems, *checked.problems]
        if problems:
            raise InputError(problems)

    # -- publish: the state checks ---------------------------------------------------------

    def _candidates(
        self, order: Sequence[str], entries: dict[str, EpisodeEntry]
    ) -> list[Candidate]:
        """The episodes this build publishes, in feed order."""
        shown = _shown_under(self.root)
        candidates = []
        for name in order:
            e = entries[name]
            candidates.append(
                Candidate(Published(name, e.guid, e.enclosure, e.published), shown(name))
            )
        return candidates

    def check_published(
        self,
        candidates: list[Candidate],
        entries: dict[str, EpisodeEntry],
        drafts: set[str],
        show: ShowEntry,
        problems: list[Problem],
        plan: Plan,
        loaded: Loaded,
    ) -> list[str]:
        """Compare with what earlier builds published; raise InputError for what the options
        do not allow (or for `problems`, found before). Returns the build's warnings.

        Episodes whose rights window ended leave on purpose: not a removal, unless more than
        `max_expire` published ones would leave at once."""
        warnings = [w for name in sorted(entries) for w in entries[name].warnings]
        warnings += show.warnings
        expired = self._expired(plan, loaded)
        previous = _previous_states(self.out, self.options.state)
        leaving = {
            old.slug: expired[old.guid]
            for state in previous
            for old in state.episodes
            if old.guid in expired
        }
        if len(leaving) > self.options.max_expire:
            names = ", ".join(sorted(leaving)[:10]) + (", ..." if len(leaving) > 10 else "")
            raise InputError(
                [
                    *problems,
                    Problem(
                        display_path(self.root),
                        message=Message(
                            f"{len(leaving)} published episodes' rights windows ended ({names});"
                            f" taking more than {self.options.max_expire} out of the feed at once"
                            " is refused, in case `expires:` or `defaults: {expires: ...}` in"
                            " show.yaml is wrong. Check the dates, or pass ",
                            Option("max_expire"),
                            f" {len(leaving)} to let them go",
                        ),
                    ),
                ]
            )
        self._leaving = {slug: e.at for slug, e in leaving.items()}
        moved: dict[str, str] = {}
        if self.options.claim is not None:  # a show of a station: GUIDs unique across it
            before = frozenset(
                old.guid
                for state in previous[:1]
                for old in state.episodes
                if old.guid not in expired
            )
            refused, moved, notes = self.options.claim(candidates, show.feed_guid, before)
            problems = [*problems, *refused]
            warnings += notes
        found, allowed = compare(
            previous,
            candidates,
            expired=set(expired) | set(moved),
            feed_url=show.base + FEED_FILE,
            episodes_dir=display_path(self.root),
            drafts=tuple(sorted(drafts)),
            podcast_guid=show.feed_guid,
            show_manifest=display_path(self.root / SHOW_FILE),
            allow_removal=self.options.allow_removal,
            allow_guid_change=self.options.allow_guid_change,
            locate=_locate,
        )
        if problems or found:
            raise InputError([*problems, *found])
        warnings += allowed
        return warnings

    def strict(self, warnings: Sequence[str]) -> None:
        """With --strict, raise BuildError for the build's warnings (before OUT is touched)."""
        serious = [w for w in warnings if not is_note(w)]  # notes never fail --strict
        if self.options.strict and serious:
            parts: list[str | Option] = [
                f"{len(serious)} warning{'s' if len(serious) != 1 else ''}, and ",
                Option("strict"),
                " makes warnings errors; nothing was written:",
            ]
            for warning in sort_warnings(serious):
                parts.append("\n  ")
                parts.extend(warning.parts if isinstance(warning, Message) else [warning])
            raise BuildError(Message(*parts))

    def _expired(self, plan: Plan, loaded: Loaded) -> dict[str, Expired]:
        """Every episode past its rights window, by GUID: read now, or left out unchanged."""
        shown = _shown_under(self.root)
        found = {
            h.guid: Expired(name, h.due, shown(name), h.guid)
            for name, h in plan.held.items()
            if h.kind == "expired"
        }
        found.update({e.guid: e for e in loaded.expired.values()})
        return found

    # -- write: the unchanged episodes, the show-level files, the state ---------------------

    def channel(self, show: ShowEntry) -> FeedChannel:
        """The feed's channel (see show.make_channel)."""
        # Pillow (the artwork's size), feedgen, lxml, the validator: not for a no-change build
        from stationcast.build.show import make_channel

        model = self.show_model()
        assert model is not None
        return make_channel(model, show, self.root, self.options.now)

    def write(
        self,
        stage: Staging,
        channel: FeedChannel,
        show: ShowEntry,
        ordered: list[EpisodeEntry],
        fresh: set[str],
        candidates: list[Candidate],
        plan: Plan,
        loaded: Loaded,
    ) -> TopFiles:
        """Link the unchanged episodes' files from the previous output, write the show-level
        files (see show.write_top) and the state file."""
        from stationcast.build.show import TopFiles, write_top  # (see `channel`)

        out_text = os.fspath(self.out)
        for entry in ordered:
            if entry.slug not in fresh:
                for rel in entry.files:
                    if rel in entry.relink:  # a media file, linked again from the show
                        source = self.root / entry.slug / entry.linked[rel]
                        stage.link_or_copy(rel, source)
                        entry.files[rel] = build_cache.output_stat(stage.root / rel)
                    else:
                        stage.link_from(rel, f"{out_text}/{rel}")
                entry.relink.clear()
        top = write_top(stage, self.out, self.root, channel, show, ordered, self.items.get)
        expired = tuple(
            Gone(e.slug, e.guid, e.at.isoformat()) for e in self._expired(plan, loaded).values()
        )
        state = State(
            tuple(c.record for c in candidates),
            show.feed_guid,
            show.base + FEED_FILE,
            expired=tuple(sorted(expired)),
        )
        stage.write_text(STATE_FILE, state.to_json())
        return TopFiles([*top.names, STATE_FILE], top.keys)

    # -- validate: the staged feed -----------------------------------------------------------

    def validate(
        self,
        stage: Staging,
        channel: FeedChannel,
        show: ShowEntry,
        ordered: list[EpisodeEntry],
        fresh: set[str],
    ) -> Validated:
        """Validate the staged feed, or only its new items (see show.validate_feed)."""
        from stationcast.build.show import validate_feed  # (see `channel`)

        return validate_feed(
            stage,
            channel,
            show,
            validator_name(),
            ordered,
            fresh,
            self.items.get,
            now=self.options.now,
            manifest_of=_shown_under(self.root),
        )

    # -- record: the cache for the next build -----------------------------------------------

    def record(
        self,
        plan: Plan,
        show: ShowEntry,
        entries: dict[str, EpisodeEntry],
        drafts: set[str],
        order: Sequence[str],
    ) -> None:
        """Save the build cache: every episode's entry and the feed items."""
        if self.cache_file is None:
            return
        episodes: dict[str, Entry] = {}
        for name in plan.folders:
            old = self.data.episodes.get(name)
            if name in plan.clean_drafts and isinstance(old, DraftEntry):
                episodes[name] = old  # (with the stat keys `current` may have renewed)
            elif name in drafts:
                path = self.root / name / EPISODE_FILE
                stat = build_cache.text_stat(path)
                digest = build_cache.content_digest(path)
                digests = {EPISODE_FILE: digest} if digest is not None else {}
                deps: list[Dep] = [(EPISODE_FILE, "text", stat)]
                episodes[name] = DraftEntry(name, show.key, deps, digests)
            elif name in entries:
                episodes[name] = entries[name]
        self.items.save(order, self.data.episodes)
        build_cache.save(self.cache_file, CacheData(show, episodes))

    def record_held(self, plan: Plan, show: ShowEntry, loaded: Loaded) -> None:
        """Save the episodes left out (scheduled, expired) and the rights windows of those
        built, so that the next build finds them unchanged until one of those moments."""
        record = HeldRecord(dict(plan.held), None, {**plan.windows, **loaded.windows})
        for name, due in loaded.scheduled.items():
            stat = build_cache.text_stat(self.root / name / EPISODE_FILE)
            record.held[name] = Held(name, show.key, stat, due)
        for name, gone in loaded.expired.items():
            stat = build_cache.text_stat(self.root / name / EPISODE_FILE)
            record.held[name] = Held(name, show.key, stat, gone.at, "expired", gone.guid)
        model = self.show_model()
        record.zone = model.station.timezone if model is not None else None
        changes = [
            t for p in (model.live if model else []) if (t := p.next_change(self.options.now))
        ]
        record.live_next = min(changes, default=None)
        save_held(self.cache_file, record)


# -- in the worker processes ---------------------------------------------------------------

_Work: TypeAlias = "Sequence[LoadedEpisode | str]"  # episodes, or folder names to load
_WORK: tuple[Callable[[Context, _Work], ChunkResult], Context, list[_Work]] | None = None


def _build_chunk(index: int) -> ChunkResult:
    """In a worker: build chunk `index` of the work the parent left in `_WORK`."""
    assert _WORK is not None
    build_chunk, ctx, chunks = _WORK
    return build_chunk(ctx, chunks[index])


def validator_name() -> str:
    """Which validator passes the feed: a build with nothing changed skips validating the
    same bytes again only when the same validator would run (and the code fingerprint of the
    cache covers its rules). Not imported to ask: a no-change build never needs it."""
    module = sys.modules.get("stationcast.validate")
    function = getattr(module, "validate_bytes", None) if module is not None else None
    if function is None:
        return "stationcast.validate.api.validate_bytes"
    return f"{function.__module__}.{function.__qualname__}"


# -- helpers -------------------------------------------------------------------------------


def _checked(show: ShowEntry, ordered: Sequence[EpisodeEntry]) -> list[str]:
    """The feed validator's warnings (as the last validation of each part found them): the
    channel's, then each episode's in feed order."""
    return [*show.checked, *(w for entry in ordered for w in entry.checked)]


def sort_warnings(warnings: Sequence[str]) -> list[str]:
    """The warnings grouped by the file they name first (in their order within a file)."""
    order: dict[str, int] = {}
    for warning in warnings:
        order.setdefault(_warning_file(warning), len(order))
    return sorted(warnings, key=lambda w: order[_warning_file(w)])


def _warning_file(warning: str) -> str:
    head = warning.split(": ", 1)[0]
    return head.split(":", 1)[0] if "/" in head or head.endswith(".yaml") else ""


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


def _order(entries: dict[str, EpisodeEntry]) -> list[str]:
    """Feed order: newest first, then by slug (descending), as the published dates compare."""
    keys = [(e.ts, name) for name, e in entries.items()]
    keys.sort(reverse=True)
    return [name for _, name in keys]


def _shown_under(root: Path) -> Callable[[str], str]:
    """`name -> display_path(root / name / episode.yaml)`, without a relpath per episode."""
    base = display_path(root)
    if base == str(root) and os.path.isabs(base):
        return lambda name: str(root / name / EPISODE_FILE)
    prefix = "" if base == "." else base.rstrip("/") + "/"
    return lambda name: f"{prefix}{name}/{EPISODE_FILE}"


def _duplicates(
    root: Path, clean: dict[str, EpisodeEntry], fresh: dict[str, str], drafts: set[str]
) -> list[Problem]:
    """Duplicate GUIDs and slugs among all episodes (named only when there are any);
    `fresh` maps the episodes read by this build to their GUIDs."""
    guids = [(name, e.guid) for name, e in clean.items() if name not in drafts]
    guids += fresh.items()
    if len({g for _, g in guids}) == len(guids) and len({n.casefold() for n, _ in guids}) == len(
        guids
    ):
        return []
    from stationcast.manifest import duplicate_problems

    guids.sort()
    return duplicate_problems(
        (n, display_path(root / n), display_path(root / n / EPISODE_FILE), g) for n, g in guids
    )


def _base_url(value: str) -> str:
    from stationcast.models.values import check_base_url

    try:
        return check_base_url(value)
    except ValueError as exc:
        raise BuildError(Message(Option("base_url"), f": {exc}")) from None


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
        states.append(read_state(own, display_path(own)))
    if extra is not None:
        states.append(read_state(extra, display_path(extra)))
    return states


def _locate(manifest: str, field_name: str) -> tuple[int | None, int | None]:
    """Line and column of a top-level field's value in a manifest (for messages)."""
    from stationcast.manifest import read_document

    doc = read_document(Path(manifest), [])
    if doc is None:
        return None, None
    return doc.positions.get((field_name,), (None, None))
