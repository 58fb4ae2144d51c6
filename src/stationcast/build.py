"""The build: episodes/ -> feeds/.

load -> probe -> parse -> render -> write. Everything is read and checked before anything
is written; the output is assembled in a staging folder and swapped into place only when
complete, so a failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from stationcast import artwork as artwork_check
from stationcast.audio import AudioInfo, probe_audio
from stationcast.errors import AudioError, BuildError, InputError, Problem
from stationcast.feed import FeedChannel, FeedItem, Person, TranscriptLink, build_feed
from stationcast.manifest import LoadedShow, _display, load_show
from stationcast.models import BaseUrl, Credit, LoadedEpisode, RemoteAudio
from stationcast.output import Staging, locked, staged
from stationcast.pages import (
    LinkView,
    TurnView,
    format_date,
    format_duration,
    format_timestamp,
    make_environment,
    render_episode_page,
    render_show_page,
    render_stylesheet,
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


def build_show(
    episodes: Path,
    out: Path,
    *,
    base_url: str | None = None,
) -> BuildResult:
    """Build the show in `episodes` into `out`. Raises InputError or BuildError; `out` then is untouched."""
    started = time.perf_counter()
    loaded = load_show(episodes)
    base = _base_url(base_url) if base_url else loaded.show.base_url
    problems: list[Problem] = []
    warnings: list[str] = []

    artwork_path = episodes / loaded.show.artwork
    problems.extend(artwork_check.check_artwork(artwork_path, _display(episodes / "show.yaml")))
    prepared = [_prepare(item, episodes, problems, warnings) for item in loaded.episodes]
    if problems:
        raise InputError(problems)

    prepared.sort(key=lambda p: (p.loaded.episode.published, p.loaded.slug), reverse=True)
    with locked(out):
        with staged(out) as stage:
            _render(loaded, prepared, base, stage, artwork_path)
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


def _prepare(item: LoadedEpisode, root: Path, problems: list[Problem], warnings: list[str]) -> _Prepared:
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
                people = [(c.name, c.speaker) for c in item.episode.credits]
                names, unresolved = resolve_speakers(transcript, people, _host(item.episode.credits), source=_display(path))
                warnings.extend(unresolved)
    return _Prepared(item, audio, audio_path, transcript, names)


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
                tracks.append({"href": "transcript.vtt", "lang": language, "label": "English captions" if language.startswith("en") else language})
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
        )
        stage.write_text(f"{slug}/index.html", html)

        persons = [_person(c) for c in ep.credits]
        items.append(
            FeedItem(
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
                transcripts=transcript_links,
            )
        )
        listing.append(
            {
                "href": f"{slug}/",
                "title": ep.title,
                "datetime": ep.published.isoformat(),
                "date_text": format_date(ep.published),
                "duration_text": format_duration(duration),
                "summary": ep.summary,
            }
        )

    channel = FeedChannel(show=show, feed_url=feed_url, link=show.link or base, artwork_url=base + artwork_name)
    stage.write_bytes(FEED_FILE, build_feed(channel, items))
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
        views.append(TurnView(speaker=speaker or "", paragraphs=paragraphs, anchor=anchor, time=when))
    return views


def _person(credit: Credit) -> Person:
    role, group = credit.role_group
    return Person(name=credit.name, role=role, group=group, href=credit.href, img=credit.img)


def _role_label(role: str) -> str:
    return role[:1].upper() + role[1:]
