"""The build: episodes/ -> feeds/.

load -> probe -> parse -> render -> write. Everything is read and checked before anything
is written; the output is assembled in a staging folder and swapped into place only when
complete, so a failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from stationcast import artwork as artwork_check
from stationcast.audio import AudioInfo, probe_audio
from stationcast.data import podcast_guid as compute_podcast_guid
from stationcast.errors import AudioError, BuildError, InputError, Problem
from stationcast.feed import (
    AlternateLink,
    ArchiveLinks,
    FeedChannel,
    FeedItem,
    ImageLink,
    Person,
    SoundbiteLink,
    TranscriptLink,
    build_feed,
)
from stationcast.manifest import LoadedShow, _display, load_show, read_document
from stationcast.markdown import render_notes
from stationcast.models import Alternate, BaseUrl, Credit, LoadedEpisode, RemoteAudio, Show
from stationcast.output import Staging, locked, staged
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
    render_show_page,
    render_stylesheet,
)
from stationcast.state import (
    STATE_FILE,
    Candidate,
    Published,
    State,
    check_unique,
    compare,
    read_state,
)
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
ARCHIVE_PAGE = "archive-{}.xml"  # RFC 5005 archive pages; a dot never appears in a slug
# podcast:alternateEnclosure codecs for formats whose MIME type does not name the codec
_CODECS = {"opus": "opus", "ogg-vorbis": "vorbis", "flac": "flac"}

# (extension, MIME type, rel, label on the page); timed formats only when the source has timings
_TIMED_FORMATS = (
    ("vtt", "text/vtt", "captions", "WebVTT captions"),
    ("srt", "application/x-subrip", "captions", "SRT captions"),
    ("json", "application/json", None, "JSON transcript (Podcasting 2.0)"),
)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    feed_path: Path
    episodes: int
    warnings: Sequence[str] = ()
    seconds: float = 0.0


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


def build_show(
    episodes: Path,
    out: Path,
    *,
    base_url: str | None = None,
    state: Path | None = None,
    allow_removal: bool = False,
    allow_guid_change: bool = False,
) -> BuildResult:
    """Build the show in `episodes` into `out`. Raises InputError or BuildError; `out` then is untouched.

    `state` is a state file from the published site (see stationcast.state), checked as well
    as the one in `out`; `allow_removal` and `allow_guid_change` accept what they name.
    """
    started = time.perf_counter()
    loaded = load_show(episodes)
    base = _base_url(base_url) if base_url else loaded.show.base_url
    problems: list[Problem] = []
    warnings: list[str] = []
    show_manifest = _display(episodes / "show.yaml")

    artwork_path = episodes / loaded.show.artwork
    problems.extend(artwork_check.check_artwork(artwork_path, show_manifest))
    prepared = [_prepare(item, episodes, problems, warnings, loaded.show.hosts) for item in loaded.episodes]
    problems.extend(_show_problems(loaded.show, show_manifest, base, _published_guid(out, state)))
    if problems:
        raise InputError(problems)
    if not base.startswith("https://"):
        warnings.append(
            f"the base URL {base} is not https, so the feed leaves out podcast:transcript,"
            " podcast:chapters and podcast:image (the Podcasting 2.0 namespace requires https)"
        )
    feed_guid = loaded.show.podcast_guid
    assert feed_guid is not None

    prepared.sort(key=lambda p: (p.loaded.episode.published, p.loaded.slug), reverse=True)
    candidates = [
        Candidate(
            Published(p.loaded.slug, p.loaded.episode.guid, _enclosure_url(p, base), p.loaded.episode.published.isoformat()),
            p.loaded.manifest,
        )
        for p in prepared
    ]
    problems.extend(check_unique(candidates))
    with locked(out):
        previous = _previous_states(out, state)
        found, allowed = compare(
            previous,
            candidates,
            feed_url=base + FEED_FILE,
            episodes_dir=_display(episodes),
            drafts=loaded.drafts,
            podcast_guid=feed_guid,
            show_manifest=show_manifest,
            allow_removal=allow_removal,
            allow_guid_change=allow_guid_change,
            locate=_locate,
        )
        problems.extend(found)
        warnings.extend(allowed)
        if problems:
            raise InputError(problems)
        published = State(tuple(c.record for c in candidates), feed_guid, base + FEED_FILE)
        with staged(out) as stage:
            _render(loaded, prepared, base, stage, artwork_path)
            stage.write_text(STATE_FILE, published.to_json())
            _validate_staged(stage)
    return BuildResult(
        out=out,
        feed_path=out / FEED_FILE,
        episodes=len(prepared),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
    )


def _base_url(value: str) -> str:
    from pydantic import TypeAdapter, ValidationError

    try:
        return str(TypeAdapter(BaseUrl).validate_python(value))
    except ValidationError as exc:
        raise BuildError(f"--base-url: {exc.errors()[0]['ctx']['error']}") from None


def _prepare(
    item: LoadedEpisode, root: Path, problems: list[Problem], warnings: list[str], hosts: Sequence[Credit] = ()
) -> _Prepared:
    folder = root / item.slug
    audio: AudioInfo | None = None
    audio_path: Path | None = None
    source = item.episode.audio
    if isinstance(source, str):
        audio_path = folder / source
        try:
            _inside(audio_path, folder)
            audio = probe_audio(audio_path)
        except AudioError as exc:
            problems.append(Problem(item.manifest, field="audio", message=f"{_display(audio_path)}: {exc.message}"))
    transcript: Transcript | None = None
    names: dict[str, str] = {}
    spec = item.episode.transcript
    if spec is not None:
        path = folder / spec.file
        try:
            _inside(path, folder)
            if not path.is_file():
                raise AudioError(path, "not found")
            transcript = read_transcript(path)
        except AudioError:
            problems.append(
                Problem(item.manifest, field="transcript.file", message=f"{_display(path)}: file not found; expected the transcript beside episode.yaml")
            )
        except InputError as exc:
            problems.extend(exc.problems)
        if transcript is not None:
            if not transcript.segments:
                warnings.append(f"{_display(path)}: the transcript is empty; no transcript is published")
                transcript = None
            else:
                # The show's hosts speak in episodes that do not credit them again.
                credited = {c.name.casefold() for c in item.episode.credits}
                everyone = [*item.episode.credits, *(h for h in hosts if h.name.casefold() not in credited)]
                people = [(c.name, c.speaker) for c in everyone]
                host = _host(item.episode.credits) or _host(hosts)
                names, unresolved = resolve_speakers(transcript, people, host, source=_display(path))
                warnings.extend(unresolved)
    prepared = _Prepared(item, audio, audio_path, transcript, names)
    _prepare_media(prepared, folder, problems)
    return prepared


def _prepare_media(p: _Prepared, folder: Path, problems: list[Problem]) -> None:
    """Check the episode's own artwork and probe its alternate files."""
    item = p.loaded
    image = item.episode.image
    if image is not None:
        path = folder / image.file
        if not path.is_file():
            problems.append(Problem(item.manifest, field="image.file", message=f"{_display(path)}: file not found; expected the image beside episode.yaml"))
        else:
            found = artwork_check.check_artwork(path, item.manifest)
            problems.extend(replace(f, field="image.file") for f in found)
            if not found:
                p.image_path, p.image_size = path, _image_size(path)
    for index, alt in enumerate(item.episode.alternates):
        if alt.file is not None and p.audio_path is not None and alt.file == p.audio_path.name:
            problems.append(
                Problem(item.manifest, field=f"alternates.{index}.file", message=f"{alt.file} is the episode's audio; list only other files")
            )
            continue
        if alt.file is None:
            p.alternates.append((alt, None, None))
            continue
        path = folder / alt.file
        try:
            _inside(path, folder)
            p.alternates.append((alt, probe_audio(path), path))
        except AudioError as exc:
            problems.append(Problem(item.manifest, field=f"alternates.{index}.file", message=f"{_display(path)}: {exc.message}"))


def _image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    return int(width), int(height)


def _published_guid(out: Path, extra: Path | None) -> tuple[str, str] | None:
    """(podcast:guid, state file) from an earlier build, to suggest when show.yaml lost it."""
    try:
        states = _previous_states(out, extra)
    except BuildError:
        return None
    return next(((s.podcast_guid, s.source) for s in states if s.podcast_guid), None)


def _show_problems(show: Show, manifest: str, base: str, published: tuple[str, str] | None) -> list[Problem]:
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
        problems.append(Problem(manifest, field="station.donate", message=f"podcast:funding needs an https:// URL, got {show.station.donate!r}"))
    stream, page = _live_defaults(show, base)
    guids: dict[str, int] = {}
    for index, program in enumerate(show.live):
        first = guids.setdefault(program.guid, index)
        if first != index:
            problems.append(Problem(manifest, field=f"live.{index}.guid", message=f"duplicate guid {program.guid!r}, also used by live.{first}; apps take a new guid for a new stream"))
        if program.stream is None and stream is None:
            problems.append(Problem(manifest, field=f"live.{index}.stream", message="a live program needs a stream URL; add `stream: https://...` or station.live_stream"))
        if program.page is None and page is None:
            problems.append(Problem(manifest, field=f"live.{index}.page", message="a live program needs an https page where listeners can follow it; add `page: https://...`"))
    return problems


def _live_defaults(show: Show, base: str) -> tuple[str | None, str | None]:
    """(stream URL, https page) for live programs that do not give their own."""
    pages = [str(u) for u in (show.station.website, show.link, base) if u]
    return show.station.live_stream, next((u for u in pages if u.startswith("https://")), None)


def _previous_states(out: Path, extra: Path | None) -> list[State]:
    states: list[State] = []
    own = out / STATE_FILE
    if own.is_file():
        states.append(read_state(own, _display(own)))
    if extra is not None:
        states.append(read_state(extra, _display(extra)))
    return states


def _locate(manifest: str, field_name: str) -> tuple[int | None, int | None]:
    """Line and column of a top-level field's value in a manifest (for messages)."""
    doc = read_document(Path(manifest), [])
    if doc is None:
        return None, None
    return doc.positions.get((field_name,), (None, None))


def _validate_staged(stage: Staging) -> None:
    """Run `stationcast validate` on the staged feed, offline; refuse a feed with errors."""
    try:
        from stationcast.validate import validate_bytes
    except ImportError:  # pragma: no cover - validate is an optional part of the package
        return
    lines = ""
    count = 0
    for name in [FEED_FILE, *sorted(p.name for p in stage.root.glob(ARCHIVE_PAGE.format("*")))]:
        report = validate_bytes((stage.root / name).read_bytes(), location=name, local_root=stage.root)
        count += len(report.errors)
        lines += "".join(f"\n  {report.describe(finding)}" for finding in report.errors)
    if count:
        raise BuildError(
            f"the built feed fails validation ({count} error{'s' if count != 1 else ''}), so it was not"
            f" published and the previous output is untouched:{lines}"
        )


def _inside(path: Path, folder: Path) -> None:
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        raise AudioError(path, "is a symbolic link out of the episode folder; copy the file in instead")


def _host(credits: Sequence[Credit]) -> str | None:
    for credit in credits:
        if credit.role in ("host", "co-host", "guest host"):
            return credit.name
    return None


def _render(loaded: LoadedShow, prepared: Sequence[_Prepared], base: str, stage: Staging, artwork_path: Path) -> None:
    show = loaded.show
    env = make_environment(loaded.root / "templates")
    feed_url = base + FEED_FILE
    artwork_name = "artwork" + artwork_path.suffix.lower()
    stage.link_or_copy(artwork_name, artwork_path)
    stage.write_text("style.css", render_stylesheet(env))

    items: list[FeedItem] = []
    listing: list[dict[str, str]] = []
    for p in prepared:
        ep = p.loaded.episode
        slug = p.loaded.slug
        page_url = f"{base}{slug}/"
        audio_href, enclosure_url, length, mime, duration = _enclosure(p, base, stage)

        formats: list[LinkView] = []
        transcript_links: list[TranscriptLink] = []
        tracks: list[dict[str, str]] = []
        turns: list[TurnView] = []
        language = (ep.transcript.language if ep.transcript and ep.transcript.language else show.language)
        if p.transcript is not None:
            transcript_links.append(TranscriptLink(page_url, "text/html", language))
            if p.transcript.timed:
                writers = {"vtt": write_vtt, "srt": write_srt, "json": write_json}
                for ext, mime_type, rel, label in _TIMED_FORMATS:
                    name = f"transcript.{ext}"
                    stage.write_text(f"{slug}/{name}", writers[ext](p.transcript, p.names))
                    formats.append(LinkView(name, mime_type, label))
                    transcript_links.append(TranscriptLink(page_url + name, mime_type, language, rel))
                tracks.append({"href": "transcript.vtt", "lang": language, "label": caption_label(language)})
            stage.write_text(f"{slug}/transcript.txt", write_text(p.transcript, p.names))
            formats.append(LinkView("transcript.txt", "text/plain", "Plain text transcript"))
            transcript_links.append(TranscriptLink(page_url + "transcript.txt", "text/plain", language))
            turns = _turn_views(p)

        credits = [
            {"name": c.name, "role": _role_label(c.role), "title": c.title, "href": c.href or ""}
            for c in ep.credits
        ]
        html = render_episode_page(
            env,
            show=show,
            station=p.loaded.station,
            episode=ep,
            page_url=page_url,
            feed_url=feed_url,
            audio_href=audio_href,
            audio_type=mime,
            audio_size=length,
            duration=duration,
            credits=credits,
            turns=turns,
            transcript_credit=(ep.transcript.credit if ep.transcript and ep.transcript.credit else (p.transcript.credit or "") if p.transcript else ""),
            tracks=tracks,
            format_links=formats,
            transcript_lang=language,
        )
        stage.write_text(f"{slug}/index.html", html)

        items.append(_feed_item(p, show, stage, page_url, (enclosure_url, length, mime, duration), transcript_links))
        listing.append(
            {
                "href": f"{slug}/",
                "title": ep.title,
                "datetime": ep.published.isoformat(),
                "date_text": format_date(ep.published),
                "duration_text": format_duration(duration),
                "duration_iso": duration_iso(duration),
                "summary": ep.summary,
            }
        )

    channel = FeedChannel(
        show=show,
        feed_url=feed_url,
        link=show.link or base,
        artwork_url=base + artwork_name,
        persons=[_person(c) for c in show.hosts],
        podcast_guid=show.podcast_guid,
        artwork_size=_image_size(artwork_path),
        live_defaults=_live_defaults(show, base),
    )
    _write_feeds(stage, channel, items, base)
    stage.write_text(
        "index.html",
        render_show_page(env, show=show, page_url=base, feed_url=feed_url, artwork_href=artwork_name, episodes=listing),
    )


def _enclosure(p: _Prepared, base: str, stage: Staging) -> tuple[str, str, int, str, float | None]:
    """(href relative to the page, absolute enclosure URL, length, MIME type, duration)."""
    slug = p.loaded.slug
    source = p.loaded.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url, source.url, source.length, source.type, source.duration
    assert p.audio is not None and p.audio_path is not None
    name = p.audio_path.name
    stage.link_or_copy(f"{slug}/{name}", p.audio_path)
    return quote(name), f"{base}{slug}/{quote(name)}", p.audio.size, p.audio.mime_type, p.audio.duration


def _enclosure_url(p: _Prepared, base: str) -> str:
    source = p.loaded.episode.audio
    if isinstance(source, RemoteAudio):
        return source.url
    assert p.audio_path is not None
    return f"{base}{p.loaded.slug}/{quote(p.audio_path.name)}"


def _feed_item(
    p: _Prepared,
    show: Show,
    stage: Staging,
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
            alternates.append(AlternateLink(page_url + quote(path.name), info.mime_type, info.size, info.bitrate, alt.title or None, codecs=codecs))
        else:
            assert alt.url is not None and alt.type is not None
            alternates.append(AlternateLink(alt.url, alt.type, alt.length, None, alt.title or None))
    # Item persons replace the channel's, so the show's hosts are restated on every episode;
    # a host the episode credits keeps the show's href and img unless the credit gives its own.
    hosts = {h.name.casefold(): h for h in show.hosts}
    persons = []
    for credit in ep.credits:
        host = hosts.pop(credit.name.casefold(), None)
        person = _person(credit)
        if host is not None:
            person = replace(person, href=person.href or host.href, img=person.img or host.img)
        persons.append(person)
    persons += [_person(h) for h in hosts.values()]
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
    document = {"version": "1.2.0", "title": ep.title, "podcastName": show.title, "chapters": chapters}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 3)


def _write_feeds(stage: Staging, channel: FeedChannel, items: Sequence[FeedItem], base: str) -> None:
    """feed.xml, and with `archive: {feed_items: N}` the RFC 5005 archive pages.

    feed.xml holds the newest N episodes. Older ones go into archive-1.xml (the oldest N),
    archive-2.xml, ...; only the newest archive page is ever partly filled, so every other
    page stays byte-identical as the show grows.
    """
    archive = channel.show.archive
    if archive is None or len(items) <= archive.feed_items:
        stage.write_bytes(FEED_FILE, build_feed(channel, items))
        return
    limit = archive.feed_items
    oldest_first = list(reversed(items[limit:]))
    pages = [oldest_first[i : i + limit] for i in range(0, len(oldest_first), limit)]

    def page_url(number: int) -> str:
        return base + ARCHIVE_PAGE.format(number)

    current = ArchiveLinks(current=channel.feed_url, prev_archive=page_url(len(pages)))
    stage.write_bytes(FEED_FILE, build_feed(replace(channel, archive=current), items[:limit]))
    quiet = channel.show.model_copy(update={"live": []})  # live programs belong to the current feed only
    for number, page in enumerate(pages, start=1):
        links = ArchiveLinks(
            current=channel.feed_url,
            prev_archive=page_url(number - 1) if number > 1 else None,
            next_archive=page_url(number + 1) if number < len(pages) else None,
            is_archive=True,
        )
        document = replace(channel, show=quiet, feed_url=page_url(number), archive=links)
        stage.write_bytes(ARCHIVE_PAGE.format(number), build_feed(document, list(reversed(page))))


def _turn_views(p: _Prepared) -> list[TurnView]:
    assert p.transcript is not None
    views: list[TurnView] = []
    for index, turn in enumerate(p.transcript.turns(), start=1):
        label = turn.speaker
        if label:
            speaker = p.names.get(label, label)
        else:
            speaker = p.names.get(INTRO_KEY, "") if turn.intro else ""
        paragraphs = []
        for segment in turn.segments:
            if segment.kind == "nonspeech":
                paragraphs.append([("nonspeech", segment.text)])
            else:
                paragraphs.append(split_cues(segment.text))
        when = None
        anchor = ""
        if turn.start is not None:
            text, iso = format_timestamp(turn.start)
            when = {"text": text, "datetime": iso}
            anchor = f"t{int(turn.start)}-{index}"
        views.append(
            TurnView(speaker=speaker or "", paragraphs=paragraphs, anchor=anchor, time=when, kind=turn.kind)
        )
    return views


def _person(credit: Credit) -> Person:
    role, group = credit.role_group
    return Person(name=credit.name, role=role, group=group, href=credit.href, img=credit.img)


def _role_label(role: str) -> str:
    return role[:1].upper() + role[1:]
