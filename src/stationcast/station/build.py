"""One build for a station folder: every show into its own folder under one output root,
then the station's own files beside them.

    OUT/
      index.html        the station's page: every show with artwork, description, subscribe
      podcasts.opml     every show's feed, for apps that import a subscription list
      publisher.xml     with station.yaml's `publisher:`: the publisher feed
      style.css
      .stationcast/station.json   what the station's own files were made from
      <show>/           each show's output, exactly as a single show's build writes it

Each show is built by stationcast.build.build_show, so each is atomic on its own: a show
that fails keeps its previous output and the others go on. Shows build side by side, in
forked processes (at most `jobs` at a time, the episodes of each sharing what is left of
`jobs`); one show, or `-j 1`, builds here.

Across shows, before a show writes anything, the station checks what it is about to publish
(`Ledger.claim`, asked by the show's build through its `claim` hook, over a pipe from a
forked show): an episode GUID another show publishes, or the podcast:guid of another show,
stops that show. An episode whose GUID one show published before and another show now
publishes has moved: that is reported, and the first show may let it go without
`--allow-removal`.

The station's files are written last (each replaced by a rename), from the shows that have
an output, once every show's build has ended.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import signal
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from stationcast.build import BuildResult, build_show
from stationcast.build.state import STATE_FILE, Candidate, read_state
from stationcast.errors import (
    BuildError,
    InputError,
    ManifestError,
    Message,
    Option,
    Problem,
    display_path,
)
from stationcast.station import (
    FEED_FILE,
    PUBLISHER_FILE,
    SHOW_FILE,
    STATION_FILE,
    show_folders,
)

#: The station's own files in the output root, besides the shows' folders.
INDEX_FILE = "index.html"
OPML_FILE = "podcasts.opml"
STYLE_FILE = "style.css"
RECORD = Path(".stationcast") / "station.json"


@dataclass(frozen=True)
class ShowOutcome:
    """One show's build: its result, or the error that stopped it (its output untouched)."""

    name: str
    out: Path
    result: BuildResult | None = None
    error: InputError | BuildError | None = None
    deferred: bool = False  # (see Deferred: built again)


@dataclass(frozen=True)
class StationResult:
    out: Path
    shows: Sequence[ShowOutcome]
    written: Sequence[str] = ()  # the station's own files this build wrote

    @property
    def failed(self) -> list[ShowOutcome]:
        return [s for s in self.shows if s.error is not None]


class Deferred(Exception):
    """A show's build asked to wait: it drops episodes it published that another show, not
    yet built, may have taken (a move). It wrote nothing, and is built again at the end."""


@dataclass
class Ledger:
    """What the station's shows publish, for the checks across them (see the module)."""

    station: Path
    waiting: set[str] = field(default_factory=set)  # shows that have not claimed nor ended
    deferred: set[str] = field(default_factory=set)  # shows told to wait once
    before: dict[str, str] = field(default_factory=dict)  # GUID -> the show that published it
    feeds_before: dict[str, str] = field(default_factory=dict)  # podcast:guid -> show
    claimed: dict[str, tuple[str, str]] = field(default_factory=dict)  # GUID -> (show, manifest)
    feeds: dict[str, str] = field(default_factory=dict)  # podcast:guid -> show, this build

    @classmethod
    def read(cls, station: Path, out: Path, names: Sequence[str]) -> Ledger:
        """The GUIDs every show's last build published (from its output's state file)."""
        ledger = cls(station)
        for name in names:
            path = out / name / STATE_FILE
            if not path.is_file():
                continue
            try:
                state = read_state(path, display_path(path))
            except BuildError:  # that show's own build reports it
                continue
            for episode in state.episodes:
                ledger.before.setdefault(episode.guid, name)
            if state.podcast_guid:
                ledger.feeds_before.setdefault(state.podcast_guid, name)
        return ledger

    def claim(
        self,
        show: str,
        candidates: Sequence[tuple[str, str]],
        podcast_guid: str | None,
        published: frozenset[str],
    ) -> tuple[list[Problem], dict[str, str], list[str]]:
        """May `show` publish `candidates` ((GUID, manifest) pairs) and `podcast_guid`?
        (problems that stop it, {GUID it published before: the show that has it now}, notes).
        A show that may publish them has claimed them: later shows are measured against it.
        `published` holds what its last build published, but the episodes whose rights
        window ended. Raises Deferred (once per show) when it drops one of those that no
        show has claimed while other shows have yet to: one of them may have it now."""
        mine = {guid for guid, _ in candidates}
        dropped = [g for g in published - mine if g not in self.claimed]
        if dropped and show not in self.deferred and self.waiting - {show}:
            self.deferred.add(show)
            raise Deferred(show)
        self.waiting.discard(show)
        problems: list[Problem] = []
        notes: list[str] = []
        for guid, manifest in candidates:
            other = self.claimed.get(guid)
            if other is not None and other[0] != show:
                problems.append(
                    Problem(
                        manifest,
                        field="guid",
                        message=f"{guid!r} is also the GUID of {other[1]} in the station's show"
                        f" {other[0]!r}; an episode GUID is unique across the station (podcast"
                        " apps would take them for one episode): give one of them another, or"
                        " remove the copy",
                    )
                )
        if podcast_guid is not None:
            other_feed = self.feeds.get(podcast_guid)
            if other_feed is None and self.feeds_before.get(podcast_guid, show) != show:
                other_feed = self.feeds_before[podcast_guid]
            if other_feed is not None and other_feed != show:
                problems.append(
                    Problem(
                        display_path(self.station / show / SHOW_FILE),
                        field="podcast_guid",
                        message=f"{podcast_guid} is also the podcast:guid of the station's show"
                        f" {other_feed!r}; each show's is its own (compute one with `stationcast"
                        " new`, or from the show's feed URL)",
                    )
                )
        if problems:
            return problems, {}, []
        for guid, manifest in candidates:
            self.claimed[guid] = (show, manifest)
            came_from = self.before.get(guid)
            if came_from is not None and came_from != show:
                notes.append(
                    f"note: {manifest}: moved here from the station's show {came_from!r}; its"
                    " GUID stays the same, so listeners who have it are not given it again"
                )
        moved = {
            guid: self.claimed[guid][0]
            for guid in published - mine
            if guid in self.claimed and self.claimed[guid][0] != show
        }
        for guid, there in sorted(moved.items()):
            notes.append(
                f"note: the episode with GUID {guid!r} moved to the station's show {there!r};"
                " it leaves this show's feed"
            )
        if podcast_guid is not None:
            self.feeds[podcast_guid] = show
        return problems, moved, notes


def published_clashes(station: Path, out: Path, names: Sequence[str]) -> list[Problem]:
    """An episode GUID, or a podcast:guid, that two shows' outputs in `out` both publish
    (their state files say): what one build of the station refuses, for shows built apart."""
    owners: dict[str, str] = {}
    feeds: dict[str, str] = {}
    problems: list[Problem] = []
    for name in names:
        path = out / name / STATE_FILE
        if not path.is_file():
            continue
        state = read_state(path, display_path(path))
        for episode in state.episodes:
            other = owners.setdefault(episode.guid, name)
            if other != name:
                problems.append(
                    Problem(
                        display_path(station / name / episode.slug / "episode.yaml"),
                        field="guid",
                        message=f"{episode.guid!r} is published by the station's show {other!r}"
                        " too; an episode GUID is unique across the station",
                    )
                )
        if state.podcast_guid:
            other = feeds.setdefault(state.podcast_guid, name)
            if other != name:
                problems.append(
                    Problem(
                        display_path(station / name / SHOW_FILE),
                        field="podcast_guid",
                        message=f"{state.podcast_guid} is the podcast:guid of the station's"
                        f" show {other!r} too; each show's is its own",
                    )
                )
    return problems


def build_station(
    station: Path,
    out: Path,
    *,
    shows: Sequence[str] = (),
    jobs: int | None = None,
    cache: bool = True,
    report: Callable[[ShowOutcome], None] | None = None,
    station_only: bool = False,
    base_url: str | None = None,
    **options: Any,
) -> StationResult:
    """Build every show of `station` (or those named in `shows`) into `out/<show>/`, then the
    station's own files into `out`. `options` are build_show's. A show's URL is its
    show.yaml's or the station's, unless `base_url` is given (a preview: `serve`): then every
    show is at `<base_url><show>/` and the station's files at `base_url`. Raises
    ManifestError when station.yaml is wrong or a show named is not there; a show's own
    errors are in its outcome.
    `report(outcome)` is called as each show's build ends.

    `station_only` builds no show: the station's files are written from the shows' outputs
    already in `out` (built elsewhere, by one CI job per show), once their state files show
    no episode GUID or podcast:guid in two shows (InputError otherwise)."""
    from stationcast.build.outdir import check_output_folder, relation
    from stationcast.cores import usable_cores
    from stationcast.manifest import check_slug
    from stationcast.manifest.station import load_station

    problems: list[Problem] = []
    loaded = load_station(station, problems)
    folders = show_folders(station)
    names = [f.name for f in folders]
    for folder in folders:
        why = check_slug(folder.name)
        if why is not None:
            problems.append(
                Problem(
                    display_path(folder),
                    message=f"is not a usable show folder name: {why} (it names the show's"
                    " folder in the output and its URL)",
                )
            )
    if not folders:
        problems.append(
            Problem(
                display_path(station / STATION_FILE),
                message="the station folder has no show: each show is a sub-folder with a"
                " show.yaml (see the README's station layout)",
            )
        )
    chosen = list(dict.fromkeys(shows)) or names
    for name in chosen:
        if name not in names:
            import difflib

            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; it has {', '.join(names)}"
            problems.append(Problem(display_path(station), message=f"has no show {name!r}{hint}"))
    if problems or loaded is None:
        raise ManifestError(problems)
    # OUT may lie in the station folder (its root is never replaced as a whole), but not in
    # a show's folder, nor hold the station
    if out.is_dir() and not (out / RECORD).is_file() and _shows_only(out):
        _mark(out)  # shows' outputs built one by one (one CI job each), now brought together
    check_output_folder(station, out, marker=RECORD, made="a station build", inside_ok=True)
    for folder in folders:
        if relation(out, folder) in ("same", "inside"):
            raise BuildError(
                Message(
                    Option("out", str(out)),
                    f" is inside the show folder {folder}; give a folder outside the shows"
                    " (the default is feeds/)",
                )
            )
    if not (out / RECORD).is_file():  # marked as the station's before any show writes
        _mark(out)
    for name in chosen:
        check_output_folder(station / name, out / name)
    total = jobs if jobs is not None else usable_cores()
    ledger = Ledger.read(station, out, names)
    if station_only:
        clashes = published_clashes(station, out, names)
        if clashes:
            raise InputError(clashes)
        written = write_station_files(station, out, loaded[0], names, base_url)
        return StationResult(out, (), tuple(written))
    ledger.waiting = set(chosen)
    outcomes: list[ShowOutcome] = []
    if base_url is not None:
        options = {**options, STATION_BASE: base_url}

    def ended(outcome: ShowOutcome) -> None:
        ledger.waiting.discard(outcome.name)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)

    at_once = min(total, len(chosen))
    if at_once <= 1:
        queue = list(chosen)
        while queue:
            name = queue.pop(0)
            outcome = _build_one(station, out, name, ledger.claim, total, cache, options)
            if outcome.deferred:
                queue.append(name)
            else:
                ended(outcome)
    else:
        _build_forked(station, out, chosen, ledger, at_once, total, cache, options, ended)
    outcomes.sort(key=lambda o: o.name)
    written = write_station_files(station, out, loaded[0], names, base_url)
    return StationResult(out, tuple(outcomes), tuple(written))


def _mark(out: Path) -> None:
    (out / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (out / RECORD).write_text("{}\n")


def _shows_only(out: Path) -> bool:
    """`out` holds nothing but shows' outputs (each marked as a build's) and hidden files."""
    from stationcast.build.outdir import MARKER

    entries = [e for e in out.iterdir() if not e.name.startswith(".")]
    return bool(entries) and all(e.is_dir() and (e / MARKER).is_file() for e in entries)


def _cache_option(out: Path, name: str, cache: bool) -> Path | bool:
    from stationcast.build import cache as build_cache

    return build_cache.default_location(out / name) if cache else False


def _claim_for(show: str, ask: Callable[..., Any]) -> Callable[..., Any]:
    def claim(
        candidates: Sequence[Candidate], podcast_guid: str | None, published: frozenset[str]
    ) -> tuple[list[Problem], dict[str, str], list[str]]:
        pairs = [(c.record.guid, c.manifest) for c in candidates]
        result: tuple[list[Problem], dict[str, str], list[str]] = ask(
            show, pairs, podcast_guid, published
        )
        return result

    return claim


STATION_BASE = "_station_base_url"  # in `options`: the preview's base_url of the station


def _build_one(
    station: Path,
    out: Path,
    name: str,
    ask: Callable[..., Any],
    jobs: int,
    cache: bool,
    options: dict[str, Any],
) -> ShowOutcome:
    options = dict(options)
    base = options.pop(STATION_BASE, None)
    if base is not None:
        options["base_url"] = f"{base}{name}/"
    try:
        result = build_show(
            station / name,
            out / name,
            jobs=jobs,
            cache=_cache_option(out, name, cache),
            claim=_claim_for(name, ask),
            **options,
        )
    except (InputError, BuildError) as exc:
        return ShowOutcome(name, out / name, error=exc)
    except Deferred:
        return ShowOutcome(name, out / name, deferred=True)
    return ShowOutcome(name, out / name, result=result)


def _build_forked(
    station: Path,
    out: Path,
    chosen: Sequence[str],
    ledger: Ledger,
    at_once: int,
    total: int,
    cache: bool,
    options: dict[str, Any],
    ended: Callable[[ShowOutcome], None],
) -> None:
    """The shows side by side, `at_once` forked processes at a time; each asks this process
    (which holds the ledger) before it writes, and sends its outcome when it ends."""
    context = multiprocessing.get_context("fork")
    share = max(1, total // at_once)
    waiting = list(chosen)
    running: dict[Connection, tuple[str, Any]] = {}

    def start(name: str) -> None:
        mine, theirs = context.Pipe()
        process = context.Process(
            target=_show_process,
            args=(theirs, station, out, name, share, cache, options),
            name=f"stationcast-show-{name}",
        )
        process.start()
        theirs.close()
        running[mine] = (name, process)

    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                start(waiting.pop(0))
            for conn in wait(list(running)):
                assert isinstance(conn, Connection)
                name, process = running[conn]
                try:
                    message = conn.recv()
                except EOFError:  # the process died without an outcome
                    process.join()
                    del running[conn]
                    conn.close()
                    ended(
                        ShowOutcome(
                            name,
                            out / name,
                            error=BuildError(
                                f"the build of the show {name!r} ended unexpectedly (exit"
                                f" status {process.exitcode}); its previous output is kept"
                            ),
                        )
                    )
                    continue
                kind, payload = message
                if kind == "claim":
                    try:
                        conn.send(("answer", ledger.claim(name, *payload)))
                    except Deferred:
                        conn.send(("defer", None))
                else:
                    process.join()
                    del running[conn]
                    conn.close()
                    if payload.deferred:
                        waiting.append(name)
                    else:
                        ended(payload)
    except BaseException:
        for _, process in running.values():
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for _, process in running.values():
            process.join()
        raise


def _show_process(
    conn: Connection,
    station: Path,
    out: Path,
    name: str,
    jobs: int,
    cache: bool,
    options: dict[str, Any],
) -> None:
    """A forked show's build: claims go to the parent over `conn`, then the outcome."""
    from stationcast.build.workers import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the station build decides, and stops us
    die_with_parent(os.getppid())

    def ask(show: str, *payload: Any) -> Any:
        conn.send(("claim", payload))
        kind, answer = conn.recv()
        if kind == "defer":
            raise Deferred(show)
        return answer

    from stationcast.cli.process import stopped_by_signals

    with stopped_by_signals():
        outcome = _build_one(station, out, name, ask, jobs, cache, options)
    conn.send(("done", outcome))
    conn.close()


# -- the station's own files ----------------------------------------------------------------


@dataclass(frozen=True)
class ListedShow:
    """A show as the station's page, OPML and publisher feed list it."""

    name: str  # its folder
    title: str
    description: str
    feed_url: str
    page_url: str
    podcast_guid: str | None
    artwork: str  # relative to the output root
    subscribe: Sequence[tuple[str, str]]
    language: str
    medium: str
    newest: datetime | None  # its feed's lastBuildDate


def listed_shows(
    station: Path, out: Path, names: Sequence[str], base_url: str | None = None
) -> list[ListedShow]:
    """The station's shows that have an output (built now or before), as listed; with
    `base_url` (a preview), each at `<base_url><show>/`."""
    from stationcast.manifest import load_show_model

    shows = []
    for name in names:
        feed = out / name / FEED_FILE
        if not feed.is_file():
            continue
        model = load_show_model(station / name, [])
        if model is None:  # its build reported why; its last output is still listed
            continue
        if base_url is not None:
            model = model.model_copy(update={"base_url": f"{base_url}{name}/"})
        shows.append(
            ListedShow(
                name,
                model.title,
                model.description,
                model.base_url + FEED_FILE,
                model.base_url,
                model.podcast_guid,
                f"{name}/{model.artwork}",
                tuple(model.subscribe.items()),
                model.language,
                model.medium,
                _last_build(feed),
            )
        )
    return shows


_LAST_BUILD = re.compile(rb"<lastBuildDate>([^<]{1,64})</lastBuildDate>")


def _last_build(feed: Path) -> datetime | None:
    with feed.open("rb") as f:
        head = f.read(8192)
    found = _LAST_BUILD.search(head)
    if found is None:
        return None
    try:
        return parsedate_to_datetime(found.group(1).decode("ascii", "replace"))
    except (TypeError, ValueError):
        return None


def write_station_files(
    station: Path, out: Path, model: Any, names: Sequence[str], base_url: str | None = None
) -> list[str]:
    """index.html, podcasts.opml, style.css and (with `publisher:`) publisher.xml in `out`,
    each replaced whole (a temporary file renamed over it); only those whose bytes changed;
    with `base_url` (a preview), as published there. Returns the names written."""
    from stationcast.inputs import IMAGE, Refused, read_input
    from stationcast.pages import make_environment, render_station_page, render_stylesheet

    if base_url is not None:
        model = model.model_copy(update={"base_url": base_url})
    shows = listed_shows(station, out, names, base_url)
    env = make_environment(None)
    logo = None
    if model.logo:
        try:
            logo = read_input(station / model.logo, IMAGE, root=station)
        except Refused as exc:
            raise BuildError(f"{display_path(station / model.logo)}: {exc.message}") from None
    base = model.base_url or ""
    files: dict[str, bytes] = {
        INDEX_FILE: render_station_page(
            env,
            station=model,
            shows=shows,
            page_url=base + INDEX_FILE if base else "",
            publisher_url=base + PUBLISHER_FILE if base and model.publisher else "",
            logo=model.logo if logo is not None else None,
        ).encode(),
        OPML_FILE: opml(model, shows),
        STYLE_FILE: render_stylesheet(env).encode(),
    }
    if model.publisher is not None and base:
        files[PUBLISHER_FILE] = publisher(model, shows, base)
    if logo is not None:
        files[model.logo] = logo
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out / name
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        try:
            with os.fdopen(descriptor, "wb") as f:
                f.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        written.append(name)
    record = out / RECORD
    record.parent.mkdir(exist_ok=True)
    text = json.dumps({"shows": [s.name for s in shows], "files": sorted(files)}, indent=2)
    if not record.is_file() or record.read_text() != text + "\n":
        record.write_text(text + "\n")
    return written


def opml(model: Any, shows: Sequence[ListedShow]) -> bytes:
    """podcasts.opml: OPML 2.0 (opml.org/spec2.opml), one `rss` outline per show. No dates:
    the same shows give the same bytes."""
    from xml.sax.saxutils import escape, quoteattr

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{escape(f'Podcasts from {model.name}')}</title>",
    ]
    if model.email:
        lines.append(f"    <ownerEmail>{escape(model.email)}</ownerEmail>")
    lines += ["  </head>", "  <body>"]
    for show in shows:
        attrs = {
            "type": "rss",
            "text": show.title,
            "title": show.title,
            "xmlUrl": show.feed_url,
            "htmlUrl": show.page_url,
            "description": show.description,
            "language": show.language,
        }
        body = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items() if v)
        lines.append(f"    <outline {body}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode()


def publisher(model: Any, shows: Sequence[ListedShow], base: str) -> bytes:
    """publisher.xml: the station's publisher feed, listing every show with a podcast:guid."""
    from stationcast.feed.writer import RemoteShow, publisher_feed
    from stationcast.spec.podcast import is_https

    title = model.publisher.title or model.name
    newest = max((s.newest for s in shows if s.newest is not None), default=None)
    return publisher_feed(
        title=title,
        link=model.website or base,
        description=model.description or f"The podcasts of {model.name}.",
        language=model.language,
        feed_url=base + PUBLISHER_FILE,
        podcast_guid=model.publisher.podcast_guid,
        shows=[
            RemoteShow(
                s.podcast_guid, s.feed_url if is_https(s.feed_url) else None, s.title, s.medium
            )
            for s in shows
            if s.podcast_guid
        ],
        last_build=newest or datetime(1970, 1, 1, tzinfo=UTC),
        logo_url=base + model.logo if model.logo else None,
        copyright=model.name,
    )
