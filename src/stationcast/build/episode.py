"""One episode -> its files in the staging folder, its feed item and its line on the show page.

The part of the build that runs once per episode that changed, in the build process or in a
worker of its process pool (the pipeline decides), as named steps over typed values:

    LoadedEpisode --probe--> Probed    its audio, alternate and image files, checked
                  --parse--> Parsed    its transcript, speakers resolved
                  (prepare: both, and the chapter and cue timings against the audio)
    Prepared --render--> RenderedEpisode   page, transcript files, chapters, feed item: in memory
             --write---> its files in the staging folder, with their stats

An episode with problems is reported, not rendered. `build_chunk` runs the steps over a chunk
of episodes (reading their manifests first when a worker does that too) and serialises their
feed items together.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import quote

from stationcast import artwork as artwork_check
from stationcast.align import ALIGNMENT_FILE, AlignmentUnreadable, apply_alignment, read_alignment
from stationcast.build.cache import (
    Dep,
    EpisodeEntry,
    Listing,
    Probe,
    StatKey,
    content_digest,
    media_stat,
    output_stat,
    text_stat,
)
from stationcast.build.output import Staging
from stationcast.build.schedule import Expired, Scheduled
from stationcast.errors import AudioError, InputError, Problem, display_path
from stationcast.feed import (
    AlternateLink,
    FeedChannel,
    FeedItem,
    ImageLink,
    Person,
    SoundbiteLink,
    TranscriptLink,
    item_links,
    serialise_items,
)
from stationcast.inputs import (
    ALIGNMENT,
    MEDIA,
    MISSING_AUDIO,
    MISSING_IMAGE,
    MISSING_TRANSCRIPT,
    TRANSCRIPT,
    Refused,
    check_input,
    missing_hint,
    read_input,
)
from stationcast.manifest import DRAFT, EPISODE_FILE, load_episode, locate_fields, settle
from stationcast.markdown import render_notes
from stationcast.media import AudioInfo, probe_audio
from stationcast.models import (
    Alternate,
    Credit,
    LoadedEpisode,
    RemoteAudio,
    Show,
    enclosure_name_problem,
    enclosure_type_problem,
)
from stationcast.pages import (
    LinkView,
    TurnView,
    caption_label,
    duration_iso,
    format_date,
    format_duration,
    format_timestamp,
    make_environment,
    render_episode_page,
)
from stationcast.sandbox import TemplateEnvironment
from stationcast.spec.analytics import apply_chain
from stationcast.station import station_of
from stationcast.transcripts import (
    FORMATS,
    INTRO_KEY,
    LABELS,
    WRITERS,
    Transcript,
    read_transcript,
    resolve_speakers,
    split_cues,
)
from stationcast.transcripts.model import paragraphs as paragraphs_of
from stationcast.transcripts.resolve import label_key, label_line
from stationcast.transcripts.station import lowercase_labels

FEED_FILE = "feed.xml"
CHAPTERS_FILE = "chapters.json"
TRANSCRIPT_NAME = "transcript"  # transcript.vtt, transcript.txt, ... (one per FORMATS row)
# podcast:alternateEnclosure codecs for formats whose MIME type does not name the codec
_CODECS = {"opus": "opus", "ogg-vorbis": "vorbis", "flac": "flac"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Context:
    """What rendering any episode of the show needs (inherited by forked workers)."""

    show: Show
    root: Path
    base: str
    key: str  # the ShowEntry key the entries are made under
    stage_root: Path
    # earlier probes, per slug (see cache.Probe): reused while the file's stat is unchanged
    probes: Mapping[str, Mapping[str, Probe]] = field(default_factory=dict)
    recycled: bool = False  # the staging folder is a recycled output (see build.output)
    now: datetime | None = None  # the build's clock (build.schedule)
    _env: TemplateEnvironment | None = None
    _channel: FeedChannel | None = None
    _in_station: bool | None = None

    @property
    def feed_url(self) -> str:
        return self.base + FEED_FILE

    @property
    def in_station(self) -> bool:
        """Whether the show is one of a station folder's (its pages link the station page)."""
        if self._in_station is None:
            self._in_station = station_of(self.root) is not None
        return self._in_station

    @property
    def env(self) -> TemplateEnvironment:
        if self._env is None:
            self._env = make_environment(self.root / "templates")
        return self._env

    @property
    def item_channel(self) -> FeedChannel:
        """A channel to serialise items in (items do not depend on the channel's contents)."""
        if self._channel is None:
            quiet = self.show.model_copy(update={"live": []})
            self._channel = FeedChannel(
                show=quiet,
                feed_url=self.feed_url,
                link=self.base,
                artwork_url=self.base + "artwork.jpg",
            )
        return self._channel


# -- the values the steps pass on ---------------------------------------------------------
# The step values are plain dataclasses (eq=False, not frozen): nothing compares or hashes
# them, and every method a dataclass generates is compiled when the module is imported.


@dataclass(eq=False)
class ProbedAlternate:
    """An alternate of the episode's audio, with its probe and file (None for remote media)."""

    alternate: Alternate
    info: AudioInfo | None = None
    path: Path | None = None


@dataclass(eq=False)
class Probed:
    """The probe step's result: the episode's media files, read and checked."""

    audio: AudioInfo | None = None
    audio_path: Path | None = None
    image_path: Path | None = None
    image_size: tuple[int, int] | None = None
    alternates: list[ProbedAlternate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # at manifest fields, not yet located


@dataclass(eq=False)
class Parsed:
    """The parse step's result: the episode's transcript, its speakers' names resolved."""

    transcript: Transcript | None = None
    names: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # at manifest fields, not yet located
    errors: list[Problem] = field(default_factory=list)  # in the transcript file itself
    warnings: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Prepared:
    """One episode, with everything read from disk and checked: what `render` needs."""

    loaded: LoadedEpisode
    media: Probed
    text: Parsed
    warnings: Sequence[str] = ()


@dataclass(eq=False)
class OutputFile:
    """A file of the episode's output: bytes to write, or a file of the show to link."""

    path: str  # relative to the output folder
    data: bytes | None = None
    source: Path | None = None


@dataclass(eq=False)
class RenderedEpisode:
    """The render step's result: nothing is written yet."""

    files: list[OutputFile]
    item: FeedItem
    listing: Listing


@dataclass(eq=False)
class Made:
    """One episode rendered and written: its cache entry and its serialised feed item."""

    entry: EpisodeEntry
    item: str  # kept apart from the entry: see cache.FeedItems


@dataclass(eq=False)
class ChunkResult:
    """What `build_chunk` did with one chunk of episodes."""

    made: list[Made] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # from probe, parse and the checks
    manifest_problems: list[Problem] = field(default_factory=list)  # from loading manifests
    drafts: list[str] = field(default_factory=list)  # of the manifests loaded here
    guids: dict[str, str] = field(default_factory=dict)  # slug -> GUID, of those loaded here
    scheduled: list[tuple[str, datetime]] = field(default_factory=list)  # not yet due
    expired: list[Expired] = field(default_factory=list)  # past their rights window
    windows: dict[str, datetime] = field(default_factory=dict)  # slug -> end of its window


# -- the chunk: every step, for the episodes of one pool task ------------------------------


def build_chunk(
    ctx: Context, work: Sequence[LoadedEpisode | str], stage: Staging | None = None
) -> ChunkResult:
    """Run the steps over `work` (episodes, or episode folder names to load first) into the
    staging folder. When a manifest has problems nothing is rendered: the build stops at them."""
    result = ChunkResult()
    loaded: list[LoadedEpisode] = []
    for item in work:
        if isinstance(item, LoadedEpisode):
            loaded.append(item)
            continue
        found = load_episode(
            ctx.root / item, ctx.root, ctx.show, result.manifest_problems, now=ctx.now
        )
        if found == DRAFT:
            result.drafts.append(item)
        elif isinstance(found, Scheduled):
            result.scheduled.append((item, found.due))
        elif isinstance(found, Expired):
            result.expired.append(found)
        elif isinstance(found, LoadedEpisode):
            if found.expires is not None:
                result.windows[item] = found.expires
            loaded.append(found)
    result.guids = {item.slug: item.episode.guid for item in loaded}
    if settle(result.manifest_problems):  # (missing files alone: the readers report them)
        return result
    stage = stage if stage is not None else Staging(ctx.stage_root, recycled=ctx.recycled)
    done: list[tuple[Prepared, RenderedEpisode, dict[str, StatKey | None]]] = []
    for item in loaded:
        prepared, problems = prepare(item, ctx)
        if problems:
            result.problems.extend(problems)
            continue
        rendered = render(prepared, ctx)
        done.append((prepared, rendered, write(rendered, stage)))
    xml = serialise_items(ctx.item_channel, [rendered.item for _, rendered, _ in done])
    for (p, rendered, files), data in zip(done, xml, strict=True):
        entry = _entry(p, ctx, files, rendered, hashlib.sha256(data).hexdigest())
        result.made.append(Made(entry, data.decode("utf-8")))
    return result


def _entry(
    p: Prepared,
    ctx: Context,
    files: dict[str, StatKey | None],
    rendered: RenderedEpisode,
    sha: str,
) -> EpisodeEntry:
    ep = p.loaded.episode
    deps = _deps(p, ctx.root)
    probes = _probes(p.media)
    folder = ctx.root / p.loaded.slug
    made: dict[str, str] = {}
    linked: dict[str, str] = {}
    for file in rendered.files:
        if file.data is not None:
            made[file.path] = hashlib.sha256(file.data).hexdigest()
        elif file.source is not None and file.source.parent == folder:
            linked[file.path] = file.source.name
    digests = {  # the content of every dep but the audio (compared by its probe)
        name: digest
        for name, _, _ in deps
        if name not in probes and (digest := content_digest(folder / name)) is not None
    }
    return EpisodeEntry(
        slug=p.loaded.slug,
        key=ctx.key,
        deps=deps,
        files=files,
        listing=rendered.listing,
        guid=ep.guid,
        published=ep.published.isoformat(),
        ts=(ep.published - _EPOCH) // timedelta(microseconds=1),
        enclosure=enclosure_url(p.loaded, ctx.base),
        item_sha=sha,
        probes=probes,
        warnings=list(p.warnings),
        digests=digests,
        made=made,
        linked=linked,
    )


def _deps(p: Prepared, root: Path) -> list[Dep]:
    """Every file this episode was made from, with its stat key (see build.cache)."""
    folder = root / p.loaded.slug
    deps: list[Dep] = [(EPISODE_FILE, "text", text_stat(os.path.join(folder, EPISODE_FILE)))]
    spec = p.loaded.episode.transcript
    if spec is not None:
        deps.append((spec.file, "text", text_stat(os.path.join(folder, spec.file))))
        aligned = os.path.join(folder, ALIGNMENT_FILE)
        if spec.file.lower().endswith(".txt"):  # (station text: `stationcast align` times it)
            there = os.path.lexists(aligned)
            deps.append(
                (ALIGNMENT_FILE, "text", text_stat(aligned))
                if there
                else (ALIGNMENT_FILE, "absent", None)
            )
    m = p.media
    for path in [m.audio_path, m.image_path, *(a.path for a in m.alternates)]:
        if path is not None:
            deps.append((path.name, "media", media_stat(path)))
    return deps


def _probes(m: Probed) -> dict[str, Probe]:
    found: dict[str, Probe] = {}
    if m.audio is not None and m.audio_path is not None:
        found[m.audio_path.name] = (media_stat(m.audio_path), m.audio.to_json())
    for a in m.alternates:
        if a.info is not None and a.path is not None:
            found[a.path.name] = (media_stat(a.path), a.info.to_json())
    return found


# -- prepare: probe and parse, and check the timings ---------------------------------------


def prepare(item: LoadedEpisode, ctx: Context) -> tuple[Prepared, list[Problem]]:
    """Probe and parse the episode and check its timings: (prepared, its problems)."""
    media = probe(item, ctx)
    text = parse(item, ctx.root, ctx.show.hosts)
    late, late_warnings = check_timing(item, media, text)
    found = [*media.problems, *text.problems, *late]
    problems = [*text.errors, *(locate_fields(found) if found else ())]
    warnings = [*text.warnings, *(str(w) for w in locate_fields(late_warnings))]
    return Prepared(item, media, text, warnings), problems


def probe(item: LoadedEpisode, ctx: Context) -> Probed:
    """The probe step: the episode's audio (probed again only when its file changed), its
    alternates and its own artwork."""
    root = ctx.root
    folder = root / item.slug
    earlier = ctx.probes.get(item.slug)
    m = Probed()
    source = item.episode.audio
    if isinstance(source, str):
        m.audio_path = folder / source
        try:
            _media(m.audio_path, root)
            m.audio = _probe(m.audio_path, earlier)
        except AudioError as exc:
            message = f"{display_path(m.audio_path)}: {exc.message}"
            m.problems.append(Problem(item.manifest, field="audio", message=message))
        if m.audio is not None:  # the main enclosure: Apple's types, named to fit (spec.apple)
            why = enclosure_type_problem(m.audio.mime_type) or enclosure_name_problem(
                m.audio.mime_type, m.audio_path.name
            )
            if why is not None:
                message = f"{display_path(m.audio_path)}: {why}"
                m.problems.append(Problem(item.manifest, field="audio", message=message))
    image = item.episode.image
    if image is not None:
        path = folder / image.file
        checked = artwork_check.inspect_artwork(
            path,
            item.manifest,
            root=root,
            field="image.file",
            shown=display_path(path),
            missing=MISSING_IMAGE,
        )
        m.problems.extend(checked.problems)
        if checked.size is not None:
            m.image_path, m.image_size = path, checked.size
    for index, alt in enumerate(item.episode.alternates):
        where = f"alternates.{index}.file"
        if alt.file is not None and m.audio_path is not None and alt.file == m.audio_path.name:
            message = f"{alt.file} is the episode's audio; list only other files"
            m.problems.append(Problem(item.manifest, field=where, message=message))
            continue
        if alt.file is None:
            m.alternates.append(ProbedAlternate(alt))
            continue
        path = folder / alt.file
        try:
            _media(path, root)
            m.alternates.append(ProbedAlternate(alt, _probe(path, earlier), path))
        except AudioError as exc:
            message = f"{display_path(path)}: {exc.message}"
            m.problems.append(Problem(item.manifest, field=where, message=message))
    return m


def _media(path: Path, root: Path) -> None:
    """Refuse a media file outside the show, or one that is not a regular file (see inputs)."""
    try:
        check_input(path, MEDIA, root=root)
    except Refused as exc:
        missing = f"{MISSING_AUDIO}{missing_hint(path)}"
        raise AudioError(path, missing if exc.missing else exc.message) from None


def _probe(path: Path, earlier: Mapping[str, Probe] | None) -> AudioInfo:
    """The earlier probe of this file while its stat is unchanged, else a fresh one."""
    if earlier:
        try:
            stat_key, info = earlier[path.name]
            if stat_key is not None and stat_key == media_stat(path) and not path.is_symlink():
                return AudioInfo.from_json(info)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return probe_audio(path)


def parse(item: LoadedEpisode, root: Path, hosts: Sequence[Credit] = ()) -> Parsed:
    """The parse step: the episode's transcript, read and checked, its speakers resolved
    against the episode's credits and the show's hosts."""
    t = Parsed()
    spec = item.episode.transcript
    if spec is None:
        return t
    path = root / item.slug / spec.file
    refused = MISSING_TRANSCRIPT
    try:
        check_input(path, TRANSCRIPT, root=root)
        t.transcript = read_transcript(path)
    except (Refused, FileNotFoundError) as exc:  # (FileNotFoundError: gone since checked)
        if isinstance(exc, Refused) and not exc.missing:
            refused = exc.message
        else:
            refused += missing_hint(path)
        message = f"{display_path(path)}: {refused}"
        t.problems.append(Problem(item.manifest, field="transcript.file", message=message))
    except InputError as exc:
        t.errors.extend(exc.problems)
    if t.transcript is None:
        return t
    if not t.transcript.segments:
        empty = "the transcript is empty; no transcript is published"
        t.warnings.append(f"{display_path(path)}: {empty}")
        t.transcript = None
        return t
    # The show's hosts speak in episodes that do not credit them again.
    credited = {c.name.casefold() for c in item.episode.credits}
    everyone = [*item.episode.credits, *(h for h in hosts if h.name.casefold() not in credited)]
    people = [(c.name, c.speaker) for c in everyone]
    host = _host(item.episode.credits) or _host(hosts)
    shown = display_path(path)
    text = _text_of(path)
    t.names, unresolved = resolve_speakers(
        t.transcript, people, host, source=shown, line_of=partial(label_line, text)
    )
    t.warnings.extend(unresolved)
    if path.suffix.lower() == ".txt":  # station text: labels are in capitals
        for line, name in lowercase_labels(text):
            t.warnings.append(
                f"{shown}:{line}: {name + ':'!r} looks like a speaker label, but labels are"
                f" written in capitals, so this paragraph is read as more of the previous"
                f" speaker's turn; write it as {name.upper() + ':'!r} to start a turn"
            )
    if path.suffix.lower() == ".txt":  # station text: timed by `stationcast align`, if it was
        t.transcript = _aligned(item, root, path, t.transcript, t.warnings)
    spoken = {label_key(label) for label in t.transcript.labels()}
    speaking = set(t.names.values())
    # A transcript without any speaker label (captions without <v> voices) names nobody, so
    # a credit missing from it says nothing about the credit's spelling.
    for number, credit in enumerate(item.episode.credits if spoken else ()):
        silent = not any(label_key(s) in spoken for s in credit.speaker)
        if credit.speaker and silent and credit.name not in speaking:
            labels = ", ".join(credit.speaker)
            t.warnings.append(
                f"note: {item.manifest}: credits.{number}: {credit.name}'s speaker label"
                f"{'s' if len(credit.speaker) > 1 else ''} {labels} never appear"
                f"{'' if len(credit.speaker) > 1 else 's'} in {shown}; check the spelling"
                " (or leave speaker: empty for someone who does not speak)"
            )
    return t


def _aligned(
    item: LoadedEpisode, root: Path, path: Path, transcript: Transcript, warnings: list[str]
) -> Transcript:
    """`transcript` timed by the episode's alignment file, when there is one made for this
    text and this audio; else as it is, with a warning when the file is stale or damaged."""
    folder = root / item.slug
    aligned = folder / ALIGNMENT_FILE
    shown = display_path(aligned)
    again = f"run `stationcast align {item.slug}` to time the transcript again"
    if not os.path.lexists(aligned):
        spec = item.episode.transcript
        if spec is not None and spec.align:
            missing = Problem(
                item.manifest,
                field="transcript.align",
                message=f"the transcript is to be timed, but {shown} is not there; run"
                f" `stationcast align {item.slug}` (until then the episode has no timed"
                " transcripts)",
            )
            warnings.extend(map(str, locate_fields([missing])))
        return transcript
    try:
        alignment = read_alignment(read_input(aligned, ALIGNMENT, root=root).decode("utf-8"))
    except Refused as exc:
        warnings.append(f"{shown}: {exc.message}; {again}")
        return transcript
    except (AlignmentUnreadable, UnicodeDecodeError) as exc:
        warnings.append(f"{shown}: {exc}; {again}")
        return transcript
    audio = item.episode.audio
    stale = None
    if alignment.transcript_sha256 != content_digest(path):
        stale = f"{path.name} changed since"
    elif isinstance(audio, RemoteAudio) or alignment.audio_sha256 != content_digest(folder / audio):
        stale = "the audio is not the one it was made for"
    timed = apply_alignment(transcript, alignment) if stale is None else None
    if timed is None:
        stale = stale or f"it does not fit {path.name}'s paragraphs"
        warnings.append(
            f"{shown}: not used, {stale}; {again} (until then the episode has no timed transcripts)"
        )
        return transcript
    return timed


def _text_of(path: Path) -> str:
    """The transcript's text, to find the lines warnings name ("" when it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _host(credits: Sequence[Credit]) -> str | None:
    for credit in credits:
        if credit.role in ("host", "co-host", "guest host"):
            return credit.name
    return None


#: How far past the end of the audio a timed transcript may run. Caption tools round the last
#: cue's end up or hold it for a minimum reading time, and an MP3's duration measured from its
#: headers can differ from the player's by a second; a transcript timed against another cut of
#: the audio (a longer intro, an ad break) is off by far more.
CUE_TOLERANCE = 5.0


def check_timing(
    item: LoadedEpisode, media: Probed, text: Parsed
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings): chapters that start after the audio ends (problems), and timed
    transcripts that run more than CUE_TOLERANCE past its end (warnings).

    A chapter must start within the audio for an app to seek to it (`stationcast tag` refuses
    the same chapters), so a late chapter is an error, with no tolerance. A transcript that
    runs late still says what was said, and trimmed promotional cuts are published with the
    full transcript, so a late cue is a warning: the captions will not line up.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    audio, audio_path = media.audio, media.audio_path
    source = item.episode.audio
    duration = audio.duration if audio is not None else None
    if isinstance(source, RemoteAudio):
        duration = source.duration
    if not duration:
        return problems, warnings
    length = f"the audio is only {_seconds(duration)} s long"
    for index, chapter in enumerate(item.episode.chapters or ()):
        if chapter.start >= duration:
            message = f"starts at {_seconds(chapter.start)} s, but {length}"
            where = f"chapters.{index}.start"
            problems.append(Problem(item.manifest, field=where, message=message))
            break  # the chapters are in order: the later ones start later still
    if item.episode.chapters is None and audio is not None and audio_path is not None:
        for number, mark in enumerate(audio.chapters, start=1):
            if mark.start >= duration:
                problems.append(
                    Problem(
                        item.manifest,
                        field="audio",
                        message=f"{display_path(audio_path)}: its chapter {number}"
                        f" ({mark.title!r}) starts at {_seconds(mark.start)} s, but {length}; fix"
                        " the file's chapters or list chapters in episode.yaml",
                    )
                )
                break
    transcript = text.transcript
    if transcript is not None and item.episode.transcript is not None:
        segments = transcript.segments
        for number, seg in enumerate(segments, start=1):
            time = seg.end if seg.end is not None else seg.start
            if time is not None and time > duration + CUE_TOLERANCE:
                path = Path(item.folder) / item.episode.transcript.file
                warnings.append(
                    Problem(
                        item.manifest,
                        field="transcript.file",
                        message=f"{display_path(path)}: cue {number} of {len(segments)} ends at"
                        f" {_seconds(time)} s, {_seconds(time - duration)} s after the audio ends"
                        f" ({_seconds(duration)} s), so its captions will not line up; is it the"
                        " transcript of another cut of the audio?",
                    )
                )
                break
    return problems, warnings


# -- render --------------------------------------------------------------------------------


def render(p: Prepared, ctx: Context) -> RenderedEpisode:
    """The render step: the episode's files (its page, a file per transcript format, its
    chapters; links to its media), its feed item and its line on the show page."""
    show = ctx.show
    base = ctx.base
    ep = p.loaded.episode
    slug = p.loaded.slug
    page_url = f"{base}{slug}/"
    files: list[OutputFile] = []
    audio_href, enclosure, length, mime, duration = _enclosure(p, base, files)
    if show.analytics_pages:  # the page's player and download link counted as the feed's
        audio_href = apply_chain(show.analytics, enclosure)

    formats: list[LinkView] = []
    transcript_links: list[TranscriptLink] = []
    tracks: list[dict[str, str]] = []
    turns: list[TurnView] = []
    language = ep.transcript.language if ep.transcript and ep.transcript.language else show.language
    transcript = p.text.transcript
    if transcript is not None:
        # the credit line the page shows goes into the files too (where their format has room)
        credit = ep.transcript.credit if ep.transcript and ep.transcript.credit else None
        credited = replace(transcript, credit=credit or transcript.credit, length=duration)
        for fmt in FORMATS.values():
            if fmt.name == "html":  # the episode page itself
                transcript_links.append(TranscriptLink(page_url, fmt.mime_type, language, fmt.rel))
                continue
            writer = WRITERS.get(fmt.name)
            if writer is None or (fmt.timed and not transcript.timed):  # never invent timings
                continue
            name = TRANSCRIPT_NAME + fmt.extension
            text = writer(credited, p.text.names)
            files.append(OutputFile(f"{slug}/{name}", text.encode("utf-8")))
            formats.append(LinkView(name, fmt.mime_type, LABELS[fmt.name]))
            transcript_links.append(
                TranscriptLink(page_url + name, fmt.mime_type, language, fmt.rel)
            )
        if transcript.timed:  # the player's captions track (HTML takes WebVTT)
            vtt = TRANSCRIPT_NAME + FORMATS["vtt"].extension
            tracks.append({"href": vtt, "lang": language, "label": caption_label(language)})
        turns = turn_views(transcript, p.text.names)

    credits = [
        {"name": c.name, "role": _role_label(c.role), "title": c.title, "href": c.href or ""}
        for c in ep.credits
    ]
    html = render_episode_page(
        ctx.env,
        show=show,
        station=p.loaded.station,
        episode=ep,
        page_url=page_url,
        feed_url=ctx.feed_url,
        audio_href=audio_href,
        audio_type=mime,
        audio_size=length,
        duration=duration,
        credits=credits,
        turns=turns,
        transcript_credit=(
            ep.transcript.credit
            if ep.transcript and ep.transcript.credit
            else (transcript.credit or "")
            if transcript
            else ""
        ),
        tracks=tracks,
        format_links=formats,
        transcript_lang=language,
        in_station=ctx.in_station,
    )
    files.append(OutputFile(f"{slug}/index.html", html.encode("utf-8")))

    item = _feed_item(
        p, show, files, page_url, (enclosure, length, mime, duration), transcript_links
    )
    listing = {
        "href": f"{slug}/",
        "title": ep.title,
        "datetime": ep.published.isoformat(),
        "date_text": format_date(ep.published, p.loaded.station.timezone),
        "duration_text": format_duration(duration),
        "duration_iso": duration_iso(duration),
        "summary": ep.summary,
    }
    return RenderedEpisode(files, item, listing)


def enclosure_url(item: LoadedEpisode, base: str) -> str:
    """The episode's enclosure URL (also what the state checks compare)."""
    source = item.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url
    return f"{base}{item.slug}/{quote(Path(source).name)}"


def _enclosure(
    p: Prepared, base: str, files: list[OutputFile]
) -> tuple[str, str, int, str, float | None]:
    """(href relative to the page, absolute enclosure URL, length, MIME type, duration)."""
    slug = p.loaded.slug
    source = p.loaded.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url, source.url, source.length, source.type, source.duration
    audio, path = p.media.audio, p.media.audio_path
    assert audio is not None and path is not None
    files.append(OutputFile(f"{slug}/{path.name}", source=path))
    name = quote(path.name)
    return name, f"{base}{slug}/{name}", audio.size, audio.mime_type, audio.duration


def _feed_item(
    p: Prepared,
    show: Show,
    files: list[OutputFile],
    page_url: str,
    enclosure: tuple[str, int, str, float | None],
    transcripts: Sequence[TranscriptLink],
) -> FeedItem:
    """The episode's feed entry, and the files it links to (image, chapters, alternates)."""
    ep = p.loaded.episode
    slug = p.loaded.slug
    m = p.media
    media_url, length, mime, duration = enclosure
    # Behind the show's prefix analytics services; the state keeps the media URL (_entry).
    enclosure_url = apply_chain(show.analytics, media_url)
    image = None
    if m.image_path is not None and ep.image is not None:
        files.append(OutputFile(f"{slug}/{m.image_path.name}", source=m.image_path))
        width, height = m.image_size or (None, None)
        image = ImageLink(page_url + quote(m.image_path.name), ep.image.alt, width, height)
    chapters_url = None
    chapters = _chapters_json(p, show)
    if chapters is not None:
        files.append(OutputFile(f"{slug}/{CHAPTERS_FILE}", chapters.encode("utf-8")))
        chapters_url = page_url + CHAPTERS_FILE
    alternates: list[AlternateLink] = []
    if m.alternates:
        bitrate = m.audio.bitrate if m.audio is not None else None
        alternates.append(AlternateLink(enclosure_url, mime, length, bitrate, None, default=True))
    for a in m.alternates:
        alt, info, path = a.alternate, a.info, a.path
        if info is not None and path is not None:
            files.append(OutputFile(f"{slug}/{path.name}", source=path))
            codecs = _CODECS.get(info.format)
            alternates.append(
                AlternateLink(
                    apply_chain(show.analytics, page_url + quote(path.name)),
                    info.mime_type,
                    info.size,
                    alt.bitrate or info.bitrate,
                    alt.title or None,
                    codecs=alt.codecs or codecs,
                )
            )
        else:
            assert alt.url is not None and alt.type is not None
            alternates.append(
                AlternateLink(
                    apply_chain(show.analytics, alt.url),
                    alt.type,
                    alt.length,
                    alt.bitrate,
                    alt.title or None,
                    codecs=alt.codecs,
                )
            )
    # Item persons replace the channel's, so the show's hosts are restated on every episode;
    # a host the episode credits keeps the show's href and img unless the credit gives its own.
    hosts = {h.name.casefold(): h for h in show.hosts}
    persons = []
    for credit in ep.credits:
        host = hosts.pop(credit.name.casefold(), None)
        person = make_person(credit)
        if host is not None:
            person = replace(person, href=person.href or host.href, img=person.img or host.img)
        persons.append(person)
    persons += [make_person(h) for h in hosts.values()]
    # the manifest's own hosted transcripts and chapters URL (an imported feed's) join the build's
    transcripts, chapters_url = item_links(ep, transcripts, chapters_url)
    return FeedItem(
        guid=ep.guid,
        title=ep.title,
        link=page_url,
        published=ep.published,
        description=ep.summary,
        enclosure_url=enclosure_url,
        enclosure_length=length,
        enclosure_type=mime,
        duration=duration,
        explicit=show.explicit if ep.explicit is None else ep.explicit,
        episode=ep.episode,
        season=ep.season,
        episode_type=ep.episode_type,
        persons=persons,
        transcripts=transcripts,
        content_html=render_notes(ep.notes),
        image=image,
        chapters_url=chapters_url,
        soundbites=[SoundbiteLink(b.start, b.duration, b.title) for b in ep.soundbites],
        season_name=ep.season_name,
        location=ep.location,
        alternates=alternates,
        license=ep.license,
    )


def _chapters_json(p: Prepared, show: Show) -> str | None:
    """JSON chapters (Podcasting 2.0, version 1.2) from the manifest, else from the audio file."""
    ep = p.loaded.episode
    audio = p.media.audio
    chapters: list[dict[str, object]] = []
    if ep.chapters is not None:
        for c in ep.chapters:
            entry: dict[str, object] = {"startTime": _seconds(c.start), "title": c.title}
            if c.img:
                entry["img"] = c.img
            if c.url:
                entry["url"] = c.url
            if c.toc is False:
                entry["toc"] = False
            chapters.append(entry)
    elif audio is not None:
        for a in audio.chapters:
            entry = {"startTime": _seconds(a.start), "title": a.title}
            if a.end is not None:
                entry["endTime"] = _seconds(a.end)
            if a.url:
                entry["url"] = a.url
            chapters.append(entry)
    if not chapters:
        return None
    document = {
        "version": "1.2.0",
        "title": ep.title,
        "podcastName": show.title,
        "chapters": chapters,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 3)


def turn_views(transcript: Transcript, names: Mapping[str, str]) -> list[TurnView]:
    """The transcript's turns as the episode page shows them (speakers by their names)."""
    views: list[TurnView] = []
    for index, turn in enumerate(transcript.turns(), start=1):
        label = turn.speaker
        if label:
            speaker = names.get(label, label)
        else:
            speaker = names.get(INTRO_KEY, "") if turn.intro else ""
        paragraphs = [  # (an aligned paragraph's sentences are one paragraph again)
            [("nonspeech", group[0].text)]
            if group[0].kind == "nonspeech"
            else split_cues(" ".join(seg.text for seg in group))
            for group in paragraphs_of(turn.segments)
        ]
        when = None
        anchor = ""
        if turn.start is not None and not turn.segments[0].approximate:
            text, iso = format_timestamp(turn.start)
            when = {"text": text, "datetime": iso}
            anchor = f"t{int(turn.start)}-{index}"
        views.append(TurnView(speaker or "", paragraphs, anchor, when, turn.kind))
    return views


def make_person(credit: Credit) -> Person:
    role, group = credit.role_group
    return Person(name=credit.name, role=role, group=group, href=credit.href, img=credit.img)


def _role_label(role: str) -> str:
    return role[:1].upper() + role[1:]


# -- write ---------------------------------------------------------------------------------


def write(rendered: RenderedEpisode, stage: Staging) -> dict[str, StatKey | None]:
    """The write step: the episode's files into the staging folder; {path: its stat}."""
    for file in rendered.files:
        if file.source is not None:
            stage.link_or_copy(file.path, file.source)
        else:
            assert file.data is not None
            stage.write_bytes(file.path, file.data)
    return {f.path: output_stat(stage.root / f.path) for f in rendered.files}
