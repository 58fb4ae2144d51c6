"""One episode -> its files in the staging folder, its feed item and its line on the show page.

The part of the build that runs once per episode that changed, in the build process or in a
worker of its process pool (build.py decides). Everything is read and checked first
(`prepare`); an episode with problems is reported, not rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stationcast import artwork as artwork_check
from stationcast.audio import AudioInfo, probe_audio
from stationcast.build.cache import media_stat, output_stat, text_stat
from stationcast.data import podcast_guid as compute_podcast_guid
from stationcast.errors import AudioError, InputError, Problem
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
from stationcast.inputs import MEDIA, TRANSCRIPT, Refused, check_input
from stationcast.manifest import EPISODE_FILE, _display, locate_fields
from stationcast.markdown import render_notes
from stationcast.models import Alternate, Credit, LoadedEpisode, RemoteAudio, Show
from stationcast.build.output import Staging
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
from stationcast.transcripts import (
    INTRO_KEY,
    Transcript,
    read_transcript,
    resolve_speakers,
    split_cues,
    write_json,
    write_srt,
    write_text,
    write_vtt,
)

FEED_FILE = "feed.xml"
CHAPTERS_FILE = "chapters.json"
# podcast:alternateEnclosure codecs for formats whose MIME type does not name the codec
_CODECS = {"opus": "opus", "ogg-vorbis": "vorbis", "flac": "flac"}

# (extension, MIME type, rel, label on the page); timed formats only when the source has timings
_TIMED_FORMATS = (
    ("vtt", "text/vtt", "captions", "WebVTT captions"),
    ("srt", "application/x-subrip", "captions", "SRT captions"),
    ("json", "application/json", None, "JSON transcript (Podcasting 2.0)"),
)


@dataclass
class Context:
    """What rendering any episode of the show needs (inherited by forked workers)."""

    show: Show
    root: Path
    base: str
    stage_root: Path
    # earlier probes, per slug: {file name: [media stat, AudioInfo JSON]}
    probes: Mapping[str, Any] = field(default_factory=dict)
    recycled: bool = False  # the staging folder is a recycled output (see stationcast.build.output)
    _env: TemplateEnvironment | None = None
    _channel: FeedChannel | None = None

    @property
    def feed_url(self) -> str:
        return self.base + FEED_FILE

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


@dataclass
class Rendered:
    """One rendered episode, in the JSON-able form the build cache keeps."""

    slug: str
    entry: dict[str, Any]
    warnings: list[str]
    item: str  # the serialised feed item (kept apart from the entry: see cache.load_items)


def render_chunk(
    ctx: Context, items: Sequence[LoadedEpisode], stage: Staging | None = None
) -> tuple[list[Rendered], list[Problem]]:
    """Prepare and render `items` into the staging folder; (rendered, problems)."""
    stage = stage if stage is not None else Staging(ctx.stage_root, recycled=ctx.recycled)
    problems: list[Problem] = []
    done: list[tuple[_Prepared, FeedItem, dict[str, Any], list[str]]] = []
    for item in items:
        found: list[Problem] = []
        warnings: list[str] = []
        p = _prepare(item, ctx.root, found, warnings, ctx.show.hosts, ctx.probes.get(item.slug))
        if found:
            problems.extend(found)
            continue
        written: list[str] = []
        feed_item, listing = render_episode(p, ctx, _Recording(stage, written))
        entry = {
            "slug": p.loaded.slug,
            "deps": _deps(p, ctx.root),
            "files": {rel: output_stat(stage.root / rel) for rel in written},
            "listing": listing,
            "guid": p.loaded.episode.guid,
            "published": p.loaded.episode.published.isoformat(),
            "ts": _microseconds(p),
            "enclosure": enclosure_url(p, ctx.base),
            "probes": _probes(p),
        }
        done.append((p, feed_item, entry, warnings))
    xml = serialise_items(ctx.item_channel, [d[1] for d in done])
    rendered = []
    for (p, _, entry, warnings), data in zip(done, xml, strict=True):
        entry["item_sha"] = hashlib.sha256(data).hexdigest()
        rendered.append(Rendered(p.loaded.slug, entry, warnings, data.decode("utf-8")))
    return rendered, problems


class _Recording:
    """A Staging that remembers the paths written through it."""

    def __init__(self, stage: Staging, written: list[str]) -> None:
        self.stage = stage
        self.root = stage.root
        self.written = written

    def write_text(self, relative: str, text: str) -> None:
        self.stage.write_bytes(relative, text.encode("utf-8"))
        self.written.append(relative)

    def write_bytes(self, relative: str, data: bytes) -> None:
        self.stage.write_bytes(relative, data)
        self.written.append(relative)

    def link_or_copy(self, relative: str, source: Path) -> None:
        self.stage.link_or_copy(relative, source)
        self.written.append(relative)


def _microseconds(p: _Prepared) -> int:
    from datetime import UTC, datetime, timedelta

    return (p.loaded.episode.published - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(
        microseconds=1
    )


def _deps(p: _Prepared, root: Path) -> list[list[Any]]:
    """Every file this episode was made from, with its stat key (see stationcast.build.cache)."""
    folder = root / p.loaded.slug
    deps: list[list[Any]] = [[EPISODE_FILE, "text", text_stat(os.path.join(folder, EPISODE_FILE))]]
    spec = p.loaded.episode.transcript
    if spec is not None:
        deps.append([spec.file, "text", text_stat(os.path.join(folder, spec.file))])
    media = [p.audio_path, p.image_path, *(path for _, _, path in p.alternates)]
    for path in media:
        if path is not None:
            deps.append([path.name, "media", media_stat(path)])
    return deps


def _probes(p: _Prepared) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if p.audio is not None and p.audio_path is not None:
        found[p.audio_path.name] = [media_stat(p.audio_path), p.audio.to_json()]
    for _, info, path in p.alternates:
        if info is not None and path is not None:
            found[path.name] = [media_stat(path), info.to_json()]
    return found


def _probe(path: Path, earlier: Mapping[str, Any] | None) -> AudioInfo:
    """The earlier probe of this file while its stat is unchanged, else a fresh one."""
    if earlier:
        try:
            stat_key, info = earlier[path.name]
            if stat_key is not None and stat_key == media_stat(path) and not path.is_symlink():
                return AudioInfo.from_json(info)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return probe_audio(path)


def render_episode(p: _Prepared, ctx: Context, stage: Any) -> tuple[FeedItem, dict[str, str]]:
    """Write the episode's files; return its feed item and its line on the show page."""
    show = ctx.show
    base = ctx.base
    ep = p.loaded.episode
    slug = p.loaded.slug
    page_url = f"{base}{slug}/"
    audio_href, enclosure_url_, length, mime, duration = _enclosure(p, base, stage)

    formats: list[LinkView] = []
    transcript_links: list[TranscriptLink] = []
    tracks: list[dict[str, str]] = []
    turns: list[TurnView] = []
    language = ep.transcript.language if ep.transcript and ep.transcript.language else show.language
    if p.transcript is not None:
        transcript_links.append(TranscriptLink(page_url, "text/html", language))
        if p.transcript.timed:
            writers = {"vtt": write_vtt, "srt": write_srt, "json": write_json}
            for ext, mime_type, rel, label in _TIMED_FORMATS:
                name = f"transcript.{ext}"
                stage.write_text(f"{slug}/{name}", writers[ext](p.transcript, p.names))
                formats.append(LinkView(name, mime_type, label))
                transcript_links.append(TranscriptLink(page_url + name, mime_type, language, rel))
            tracks.append(
                {"href": "transcript.vtt", "lang": language, "label": caption_label(language)}
            )
        stage.write_text(f"{slug}/transcript.txt", write_text(p.transcript, p.names))
        formats.append(LinkView("transcript.txt", "text/plain", "Plain text transcript"))
        transcript_links.append(TranscriptLink(page_url + "transcript.txt", "text/plain", language))
        turns = _turn_views(p)

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
            else (p.transcript.credit or "")
            if p.transcript
            else ""
        ),
        tracks=tracks,
        format_links=formats,
        transcript_lang=language,
    )
    stage.write_text(f"{slug}/index.html", html)

    item = _feed_item(
        p, show, stage, page_url, (enclosure_url_, length, mime, duration), transcript_links
    )
    listing = {
        "href": f"{slug}/",
        "title": ep.title,
        "datetime": ep.published.isoformat(),
        "date_text": format_date(ep.published),
        "duration_text": format_duration(duration),
        "duration_iso": duration_iso(duration),
        "summary": ep.summary,
    }
    return item, listing


def enclosure_url(p: _Prepared, base: str) -> str:
    return _enclosure_url(p.loaded, base)


def _enclosure_url(item: LoadedEpisode, base: str) -> str:
    source = item.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url
    return f"{base}{item.slug}/{quote(Path(source).name)}"


def candidate_url(item: LoadedEpisode, base: str) -> str:
    """The enclosure URL the episode will have (for the state checks)."""
    return _enclosure_url(item, base)


@dataclass
class _Prepared:
    """One episode, with everything read from disk and checked."""

    loaded: LoadedEpisode
    audio: AudioInfo | None
    audio_path: Path | None
    transcript: Transcript | None
    names: dict[str, str] = field(default_factory=dict)
    image_path: Path | None = None
    image_size: tuple[int, int] | None = None
    # each alternate with its probe and file (both None for remote media)
    alternates: list[tuple[Alternate, AudioInfo | None, Path | None]] = field(default_factory=list)


def _prepare(
    item: LoadedEpisode,
    root: Path,
    problems: list[Problem],
    warnings: list[str],
    hosts: Sequence[Credit] = (),
    probes: Mapping[str, Any] | None = None,
) -> _Prepared:
    folder = root / item.slug
    audio: AudioInfo | None = None
    audio_path: Path | None = None
    source = item.episode.audio
    found: list[Problem] = []  # problems located at manifest fields
    if isinstance(source, str):
        audio_path = folder / source
        try:
            _media(audio_path, root)
            audio = _probe(audio_path, probes)
        except AudioError as exc:
            message = f"{_display(audio_path)}: {exc.message}"
            found.append(Problem(item.manifest, field="audio", message=message))
    transcript: Transcript | None = None
    names: dict[str, str] = {}
    spec = item.episode.transcript
    if spec is not None:
        path = folder / spec.file
        refused = "file not found; expected the transcript beside episode.yaml"
        try:
            check_input(path, TRANSCRIPT, root=root)
            transcript = read_transcript(path)
        except (Refused, FileNotFoundError) as exc:  # (FileNotFoundError: gone since checked)
            if isinstance(exc, Refused) and not exc.missing:
                refused = exc.message
            message = f"{_display(path)}: {refused}"
            found.append(Problem(item.manifest, field="transcript.file", message=message))
        except InputError as exc:
            problems.extend(exc.problems)
        if transcript is not None:
            if not transcript.segments:
                warnings.append(
                    f"{_display(path)}: the transcript is empty; no transcript is published"
                )
                transcript = None
            else:
                # The show's hosts speak in episodes that do not credit them again.
                credited = {c.name.casefold() for c in item.episode.credits}
                everyone = [
                    *item.episode.credits,
                    *(h for h in hosts if h.name.casefold() not in credited),
                ]
                people = [(c.name, c.speaker) for c in everyone]
                host = _host(item.episode.credits) or _host(hosts)
                names, unresolved = resolve_speakers(
                    transcript, people, host, source=_display(path)
                )
                warnings.extend(unresolved)
    prepared = _Prepared(item, audio, audio_path, transcript, names)
    _prepare_media(prepared, root, found, probes)
    late: list[Problem] = []
    _timing_problems(prepared, found, late)
    problems.extend(locate_fields(found) if found else ())
    warnings.extend(str(w) for w in locate_fields(late))
    return prepared


def _prepare_media(
    p: _Prepared, root: Path, problems: list[Problem], probes: Mapping[str, Any] | None = None
) -> None:
    """Check the episode's own artwork and probe its alternate files."""
    item = p.loaded
    folder = root / item.slug
    image = item.episode.image
    if image is not None:
        path = folder / image.file
        checked = artwork_check.inspect_artwork(
            path,
            item.manifest,
            root=root,
            field="image.file",
            shown=_display(path),
            missing="file not found; expected the image beside episode.yaml",
        )
        problems.extend(checked.problems)
        if checked.size is not None:
            p.image_path, p.image_size = path, checked.size
    for index, alt in enumerate(item.episode.alternates):
        if alt.file is not None and p.audio_path is not None and alt.file == p.audio_path.name:
            problems.append(
                Problem(
                    item.manifest,
                    field=f"alternates.{index}.file",
                    message=f"{alt.file} is the episode's audio; list only other files",
                )
            )
            continue
        if alt.file is None:
            p.alternates.append((alt, None, None))
            continue
        path = folder / alt.file
        try:
            _media(path, root)
            p.alternates.append((alt, _probe(path, probes), path))
        except AudioError as exc:
            problems.append(
                Problem(
                    item.manifest,
                    field=f"alternates.{index}.file",
                    message=f"{_display(path)}: {exc.message}",
                )
            )


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    return int(width), int(height)


def show_problems(
    show: Show, manifest: str, base: str, published: tuple[str, str] | None
) -> list[Problem]:
    """What show.yaml lacks for the channel's tags (after its own field checks passed)."""
    problems: list[Problem] = []
    if show.podcast_guid is None:
        feed_url = show.base_url + FEED_FILE
        if published is not None:
            guid, why = published[0], f"the one published before, recorded in {published[1]}"
        else:
            guid = compute_podcast_guid(feed_url)
            why = (
                f"computed from the feed URL {feed_url}; it then identifies the show for good,"
                " even if the feed moves, so it is never computed again"
            )
        problems.append(
            Problem(
                manifest,
                field="podcast_guid",
                message=f"required field is missing; add the line `podcast_guid: {guid}` ({why})",
            )
        )
    if show.station.donate and not show.station.donate.startswith("https://"):
        problems.append(
            Problem(
                manifest,
                field="station.donate",
                message=f"podcast:funding needs an https:// URL, got {show.station.donate!r}",
            )
        )
    stream, page = live_defaults(show, base)
    guids: dict[str, int] = {}
    for index, program in enumerate(show.live):
        first = guids.setdefault(program.guid, index)
        if first != index:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.guid",
                    message=f"duplicate guid {program.guid!r}, also used by live.{first};"
                    " apps take a new guid for a new stream",
                )
            )
        if program.stream is None and stream is None:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.stream",
                    message="a live program needs a stream URL;"
                    " add `stream: https://...` or station.live_stream",
                )
            )
        if program.page is None and page is None:
            problems.append(
                Problem(
                    manifest,
                    field=f"live.{index}.page",
                    message="a live program needs an https page where listeners can follow it;"
                    " add `page: https://...`",
                )
            )
    return problems


def live_defaults(show: Show, base: str) -> tuple[str | None, str | None]:
    """(stream URL, https page) for live programs that do not give their own."""
    pages = [str(u) for u in (show.station.website, show.link, base) if u]
    return show.station.live_stream, next((u for u in pages if u.startswith("https://")), None)


def _media(path: Path, root: Path) -> None:
    """Refuse a media file outside the show, or one that is not a regular file (see inputs)."""
    try:
        check_input(path, MEDIA, root=root)
    except Refused as exc:
        raise AudioError(path, "audio file not found" if exc.missing else exc.message) from None


#: How far past the end of the audio a timed transcript may run. Caption tools round the last
#: cue's end up or hold it for a minimum reading time, and an MP3's duration measured from its
#: headers can differ from the player's by a second; a transcript timed against another cut of
#: the audio (a longer intro, an ad break) is off by far more.
CUE_TOLERANCE = 5.0


def _timing_problems(p: _Prepared, problems: list[Problem], warnings: list[Problem]) -> None:
    """Chapters that start after the audio ends (problems), and timed transcripts that run
    more than CUE_TOLERANCE past its end (warnings).

    A chapter must start within the audio for an app to seek to it (`stationcast tag` refuses
    the same chapters), so a late chapter is an error, with no tolerance. A transcript that
    runs late still says what was said, and trimmed promotional cuts are published with the
    full transcript, so a late cue is a warning: the captions will not line up.
    """
    item = p.loaded
    source = item.episode.audio
    duration = p.audio.duration if p.audio is not None else None
    if isinstance(source, RemoteAudio):
        duration = source.duration
    if not duration:
        return
    length = f"the audio is only {_seconds(duration)} s long"
    for index, chapter in enumerate(item.episode.chapters or ()):
        if chapter.start >= duration:
            message = f"starts at {_seconds(chapter.start)} s, but {length}"
            where = f"chapters.{index}.start"
            problems.append(Problem(item.manifest, field=where, message=message))
            break  # the chapters are in order: the later ones start later still
    if item.episode.chapters is None and p.audio is not None and p.audio_path is not None:
        for number, mark in enumerate(p.audio.chapters, start=1):
            if mark.start >= duration:
                problems.append(
                    Problem(
                        item.manifest,
                        field="audio",
                        message=f"{_display(p.audio_path)}: its chapter {number}"
                        f" ({mark.title!r}) starts at {_seconds(mark.start)} s, but {length}; fix"
                        " the file's chapters or list chapters in episode.yaml",
                    )
                )
                break
    if p.transcript is not None and item.episode.transcript is not None:
        segments = p.transcript.segments
        for number, seg in enumerate(segments, start=1):
            time = seg.end if seg.end is not None else seg.start
            if time is not None and time > duration + CUE_TOLERANCE:
                path = Path(item.folder) / item.episode.transcript.file
                warnings.append(
                    Problem(
                        item.manifest,
                        field="transcript.file",
                        message=f"{_display(path)}: cue {number} of {len(segments)} ends at"
                        f" {_seconds(time)} s, {_seconds(time - duration)} s after the audio ends"
                        f" ({_seconds(duration)} s), so its captions will not line up; is it the"
                        " transcript of another cut of the audio?",
                    )
                )
                break


def _host(credits: Sequence[Credit]) -> str | None:
    for credit in credits:
        if credit.role in ("host", "co-host", "guest host"):
            return credit.name
    return None


def _enclosure(p: _Prepared, base: str, stage: Any) -> tuple[str, str, int, str, float | None]:
    """(href relative to the page, absolute enclosure URL, length, MIME type, duration)."""
    slug = p.loaded.slug
    source = p.loaded.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url, source.url, source.length, source.type, source.duration
    assert p.audio is not None and p.audio_path is not None
    name = p.audio_path.name
    stage.link_or_copy(f"{slug}/{name}", p.audio_path)
    return (
        quote(name),
        f"{base}{slug}/{quote(name)}",
        p.audio.size,
        p.audio.mime_type,
        p.audio.duration,
    )


def _feed_item(
    p: _Prepared,
    show: Show,
    stage: Any,
    page_url: str,
    enclosure: tuple[str, int, str, float | None],
    transcripts: Sequence[TranscriptLink],
) -> FeedItem:
    """The episode's feed entry; writes the files it links to (image, chapters, alternates)."""
    ep = p.loaded.episode
    slug = p.loaded.slug
    enclosure_url, length, mime, duration = enclosure
    image = None
    if p.image_path is not None and ep.image is not None:
        stage.link_or_copy(f"{slug}/{p.image_path.name}", p.image_path)
        width, height = p.image_size or (None, None)
        image = ImageLink(page_url + quote(p.image_path.name), ep.image.alt, width, height)
    chapters_url = None
    chapters = _chapters_json(p, show)
    if chapters is not None:
        stage.write_text(f"{slug}/{CHAPTERS_FILE}", chapters)
        chapters_url = page_url + CHAPTERS_FILE
    alternates: list[AlternateLink] = []
    if p.alternates:
        bitrate = p.audio.bitrate if p.audio is not None else None
        alternates.append(AlternateLink(enclosure_url, mime, length, bitrate, None, default=True))
    for alt, info, path in p.alternates:
        if info is not None and path is not None:
            stage.link_or_copy(f"{slug}/{path.name}", path)
            codecs = _CODECS.get(info.format)
            alternates.append(
                AlternateLink(
                    page_url + quote(path.name),
                    info.mime_type,
                    info.size,
                    info.bitrate,
                    alt.title or None,
                    codecs=codecs,
                )
            )
        else:
            assert alt.url is not None and alt.type is not None
            alternates.append(AlternateLink(alt.url, alt.type, alt.length, None, alt.title or None))
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


def _chapters_json(p: _Prepared, show: Show) -> str | None:
    """JSON chapters (Podcasting 2.0, version 1.2) from the manifest, else from the audio file."""
    ep = p.loaded.episode
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
    elif p.audio is not None:
        for a in p.audio.chapters:
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


def _turn_views(p: _Prepared) -> list[TurnView]:
    assert p.transcript is not None
    names = p.names
    views: list[TurnView] = []
    for index, turn in enumerate(p.transcript.turns(), start=1):
        label = turn.speaker
        if label:
            speaker = names.get(label, label)
        else:
            speaker = names.get(INTRO_KEY, "") if turn.intro else ""
        paragraphs = [
            [("nonspeech", seg.text)] if seg.kind == "nonspeech" else split_cues(seg.text)
            for seg in turn.segments
        ]
        when = None
        anchor = ""
        if turn.start is not None:
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
