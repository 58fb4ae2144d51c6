"""Manifest -> :class:`Metadata`: what stationcast writes into one episode's audio file.

Reads the transcript and the artwork (files beside the manifests); every problem is appended
to the caller's list in ``file: field: message`` form, like the build's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from stationcast.artwork import inspect_artwork
from stationcast.errors import InputError, Problem, display_path
from stationcast.models import LoadedEpisode, Show
from stationcast.transcripts import read_transcript, resolve_speakers, write_text
from stationcast.transcripts.resolve import label_line

from .base import ChapterMark, Cover, Metadata

FEED_FILE = "feed.xml"
HOST_ROLES = ("host", "co-host", "guest host")


def hosts(show: Show, item: LoadedEpisode) -> tuple[str, ...]:
    """The episode's hosts (credits with role host, co-host or guest host), then the show's
    regular hosts not already credited; if there are none, the show's author or station."""
    names = [c.name for c in item.episode.credits if c.role in HOST_ROLES]
    for host in hosts_of(show):
        if host.role in HOST_ROLES and host.name.casefold() not in {n.casefold() for n in names}:
            names.append(host.name)
    if not names:
        names = [show.author or item.station.name]
    return tuple(dict.fromkeys(names))


def hosts_of(show: Show) -> list[Any]:
    """show.yaml's `hosts` (credits), read defensively while the model is being extended."""
    return list(getattr(show, "hosts", None) or ())


def read_cover(
    path: Path, manifest: str, field: str, problems: list[Problem], *, root: Path
) -> Cover | None:
    """The artwork to embed, checked as the build checks it (`stationcast.artwork`: inside the
    show folder, a regular file of bounded size, a square RGB JPEG or PNG that decodes whole),
    so `tag` refuses exactly what `build` refuses, with the same words."""
    missing = (
        "file not found; expected a square JPEG or PNG beside show.yaml"
        if field == "artwork"
        else "file not found; expected the image beside episode.yaml"
    )
    checked = inspect_artwork(
        path, manifest, root=root, field=field, shown=display_path(path), missing=missing
    )
    if checked.problems or checked.size is None or checked.data is None:
        problems.extend(checked.problems)
        return None
    mime = "image/png" if checked.data.startswith(b"\x89PNG") else "image/jpeg"
    width, height = checked.size
    return Cover(checked.data, mime, width, height, 24)  # RGB: the only colour mode it accepts


def transcript_text(
    show: Show, item: LoadedEpisode, folder: Path, problems: list[Problem], notes: list[str]
) -> str | None:
    """The transcript as plain text with full names, as the build's transcript.txt, ending
    with the transcript credit; None when the episode has no (or an empty) transcript.
    Speaker labels nobody is credited with are kept as written, with a note each."""
    spec = item.episode.transcript
    if spec is None:
        return None
    path = folder / spec.file
    try:
        transcript = read_transcript(path, source=display_path(path))
    except FileNotFoundError:
        problems.append(
            Problem(
                item.manifest,
                field="transcript.file",
                message=f"{display_path(path)}: file not found; expected the transcript beside"
                " episode.yaml",
            )
        )
        return None
    except OSError as err:
        problems.append(
            Problem(
                item.manifest,
                field="transcript.file",
                message=f"{display_path(path)}: cannot be read: {err.strerror or err}",
            )
        )
        return None
    except InputError as err:
        problems.extend(err.problems)
        return None
    if not transcript.segments:
        return None
    if transcript.credit is None and spec.credit:
        transcript = dataclasses.replace(transcript, credit=spec.credit)
    # As the build does: the show's hosts speak in episodes that do not credit them again.
    credits = item.episode.credits
    credited = {c.name.casefold() for c in credits}
    show_hosts = [h for h in hosts_of(show) if h.name.casefold() not in credited]
    people = [(c.name, c.speaker) for c in [*credits, *show_hosts]]
    host = next((c.name for c in [*credits, *show_hosts] if c.role in HOST_ROLES), None)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    names, warnings = resolve_speakers(
        transcript, people, host, source=display_path(path), line_of=partial(label_line, text)
    )
    notes.extend(warnings)
    return write_text(transcript, names)


def chapter_marks(
    item: LoadedEpisode, duration: float, problems: list[Problem]
) -> tuple[ChapterMark, ...] | None:
    """The manifest's chapters, each ending where the next starts (the last at the end of the
    audio); None when the manifest lists none (the file's own chapters are then kept)."""
    chapters: Sequence[Any] | None = getattr(item.episode, "chapters", None)
    if not chapters:
        return None
    marks: list[ChapterMark] = []
    for index, chapter in enumerate(chapters):
        start = float(chapter.start)
        if start >= duration:
            problems.append(
                Problem(
                    item.manifest,
                    field=f"chapters.{index}.start",
                    message=f"starts at {start:g} s, but the audio is only {duration:.3f} s long",
                )
            )
            return None
        end = float(chapters[index + 1].start) if index + 1 < len(chapters) else duration
        marks.append(
            ChapterMark(
                start=start,
                end=end,
                title=chapter.title,
                url=getattr(chapter, "url", None),
                toc=getattr(chapter, "toc", None) is not False,
            )
        )
    return tuple(marks)


def episode_metadata(
    show: Show,
    item: LoadedEpisode,
    *,
    base_url: str,
    lyrics: str | None,
    cover: Cover | None,
    chapters: tuple[ChapterMark, ...] | None,
) -> Metadata:
    ep = item.episode
    return Metadata(
        title=ep.title,
        artists=hosts(show, item),
        album=show.title,
        published=ep.published,
        summary=ep.summary,
        lyrics=lyrics,
        copyright=show.copyright or None,
        publisher=item.station.name,
        page_url=f"{base_url}{item.slug}/",
        feed_url=base_url + FEED_FILE,
        guid=ep.guid,
        language=show.language,
        cover=cover,
        chapters=chapters,
    )
