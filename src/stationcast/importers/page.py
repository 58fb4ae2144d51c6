"""`stationcast import page`: a station's story page -> a new episode folder.

Writes ``<slug>/episode.yaml`` (title, summary, fresh GUID, date, credits, transcript credit)
and ``<slug>/transcript.txt`` (the introduction and the turns, as the page has them, without
the site's navigation and player text). When the show has no ``show.yaml`` yet, the station
details on the page start one; otherwise they are compared with it and differences reported.

What the page does not say is never guessed: the field is left for the producer with a
``# TODO(import): field: why`` comment, the episode stays a draft, and the command lists them.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stationcast.errors import InputError, Problem, StationcastError, display_path
from stationcast.manifest import EPISODE_FILE, SHOW_FILE, check_slug, read_document
from stationcast.manifest.write import (
    TODO,
    Block,
    Comment,
    Draft,
    Entry,
    ManifestText,
    manifest_text,
)
from stationcast.models import Episode, Show
from stationcast.scaffold import slugify
from stationcast.transcripts import parse_station_text

from .pagehtml import read_html_page
from .pagetext import PageDoc, read_text_page
from .people import Cast, Person, find_cast
from .source import TIMEOUT, decode_text, read_source
from .station import StationInfo

MAX_PAGE_BYTES = 10 * 1024 * 1024
TRANSCRIPT_FILE = "transcript.txt"


@dataclass
class ImportReport:
    """What an import wrote and what the producer still has to do."""

    root: Path = Path("episodes")  # the episodes folder written into
    written: list[Path] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)  # "file:line: field: message"
    notes: list[str] = field(default_factory=list)  # inferences and things not carried over
    differences: list[str] = field(default_factory=list)  # page vs existing show.yaml
    dropped: Counter[str] = field(default_factory=Counter)  # elements not carried over, by tag

    def add_todos(self, path: Path, written: ManifestText) -> None:
        """List the fields `written` (the manifest at `path`) leaves for the producer."""
        self.todos.extend(
            f"{display_path(path)}:{t.line}: {t.field}: {t.message}" for t in written.todos
        )


def _is_html(data: bytes, content_type: str, name: str) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    if content_type == "text/plain":
        return False
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def read_page(where: str, *, allow_private: bool = False, timeout: float = TIMEOUT) -> PageDoc:
    """Fetch or read a story page and take it apart (text or HTML).

    allow_private and timeout: for a URL, as :func:`read_source` takes them.
    """
    source = read_source(
        where,
        max_bytes=MAX_PAGE_BYTES,
        what="story page",
        allow_private=allow_private,
        timeout=timeout,
    )
    if _is_html(source.data, source.content_type, source.name):
        return read_html_page(source.data, source.name, source.url, source.charset)
    return read_text_page(decode_text(source), source.name)


def import_page(
    where: str,
    episodes: Path,
    *,
    slug: str | None = None,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
) -> ImportReport:
    """Create ``episodes/<slug>/`` from the story page at `where` (a file or URL)."""
    doc = read_page(where, allow_private=allow_private, timeout=timeout)
    if not doc.paragraphs:
        raise InputError(
            [
                Problem(
                    where,
                    message="no story text found on the page "
                    "(expected paragraphs of transcript after the title)",
                )
            ]
        )
    if not doc.title and not slug:
        raise InputError(
            [
                Problem(
                    where,
                    message="the page has no title to name the episode folder after; "
                    "give one with --slug",
                )
            ]
        )
    slug = slug or slugify(doc.title)
    reason = check_slug(slug)
    if reason:
        raise InputError([Problem(where, field="--slug", message=f"{slug!r} {reason}")])
    folder = episodes / slug
    if folder.exists():
        raise InputError(
            [
                Problem(
                    display_path(folder),
                    message="already exists; nothing was written. Choose another --slug, "
                    "or remove the folder to import again",
                )
            ]
        )

    transcript_text = "\n\n".join(doc.paragraphs) + "\n"
    transcript = parse_station_text(transcript_text, source=where)
    cast = find_cast(transcript, doc.paragraphs)
    report = ImportReport(root=episodes)

    show_path = episodes / SHOW_FILE
    show_text: str | None = None
    if show_path.is_file():
        report.differences = _compare_station(show_path, doc)
    else:
        show_yaml = _show_yaml(doc, where)
        show_text = show_yaml.text
        report.add_todos(show_path, show_yaml)
        if doc.station.country_inferred:
            report.notes.append(
                f"{display_path(show_path)}: station.address.country: US, "
                "from the state and ZIP code on the page"
            )

    episode_yaml = _episode_yaml(doc, where, transcript.credit, transcript, cast, report)
    manifest = folder / EPISODE_FILE
    report.add_todos(manifest, episode_yaml)
    for label in cast.uncredited:
        report.notes.append(
            f"{display_path(manifest)}: {label} is not credited (an unidentified voice); "
            "the page shows the label as written"
        )

    with writing(folder):
        if show_text is not None:
            episodes.mkdir(parents=True, exist_ok=True)
            show_path.write_text(show_text, encoding="utf-8")
            report.written.append(show_path)
        folder.mkdir(parents=True)
        manifest.write_text(episode_yaml.text, encoding="utf-8")
        (folder / TRANSCRIPT_FILE).write_text(transcript_text, encoding="utf-8")
        report.written.extend([manifest, folder / TRANSCRIPT_FILE])
    return report


@contextmanager
def writing(where: Path) -> Iterator[None]:
    """Turn a failed write (disk full, permissions) into our error naming the path."""
    try:
        yield
    except OSError as exc:
        name = exc.filename if exc.filename else where
        raise StationcastError(
            f"{display_path(Path(name))}: cannot write: {exc.strerror or exc}"
        ) from None


def _summary(doc: PageDoc, transcript: Any) -> tuple[str, str]:
    """(summary, where it came from)."""
    intro = [seg.text for seg in transcript.segments if seg.intro and seg.kind == "speech"]
    if intro:
        return "\n\n".join(intro), ""
    if doc.description:
        return doc.description, "the page's description"
    # npr.org pages open with the host's labelled introduction ("JUNE OKAFOR, HOST:").
    speech = [seg for seg in transcript.segments if seg.kind == "speech"]
    if speech and (speech[0].label_role or "").casefold() in ("host", "co-host", "guest host"):
        return speech[
            0
        ].text, f"the host's opening words ({speech[0].speaker}, {speech[0].label_role})"
    return "", ""


def _episode_yaml(
    doc: PageDoc, where: str, credit: str | None, transcript: Any, cast: Cast, report: ImportReport
) -> ManifestText:
    entries: list[Entry | Comment] = [
        Entry(
            "title",
            doc.title,
            todo="" if doc.title else "the page has no headline; give the episode's title",
        ),
        Entry(
            "guid",
            str(uuid.uuid4()),
            comment="Permanent: podcast apps identify the episode by its GUID. Never change it.",
        ),
    ]
    if doc.date is not None and doc.date.value is not None:
        entries.append(Entry("published", doc.date.value.isoformat()))
        if doc.date.note:
            report.notes.append(f"{where}: published {doc.date.text!r}: {doc.date.note}")
    else:
        why = doc.date.problem if doc.date is not None else "the page gives no date"
        entries.append(
            Entry(
                "published",
                "",
                todo=f"{why}; write when it aired as ISO 8601 with a UTC offset, "
                "like 2015-09-22T17:35:00-04:00",
            )
        )
    summary, summary_from = _summary(doc, transcript)
    if summary and summary_from:
        report.notes.append(f"summary: the transcript has no introduction; used {summary_from}")
    entries.append(
        Entry(
            "summary",
            summary,
            todo=""
            if summary
            else "the page has no introduction or description; "
            "write one or two sentences about the episode",
        )
    )
    where_audio = (
        f"the page links the audio at {doc.audio_url}"
        if doc.audio_url
        else "the page has no audio file"
    )
    entries.append(
        Entry(
            "audio",
            "audio.mp3",
            todo=f"{where_audio}; put the file in this folder as audio.mp3 (or change the name), or"
            " give {url: ..., length: <bytes>, type: audio/mpeg, duration: <seconds>}"
            " for audio hosted elsewhere",
        )
    )
    transcript_block: dict[str, Any] = {"file": TRANSCRIPT_FILE}
    if credit:
        transcript_block["credit"] = credit
    entries.append(Entry("transcript", transcript_block))
    if cast.people:
        entries.append(Entry("credits", [credit_block(person) for person in cast.people]))
        for person in cast.people:
            report.notes.extend(person.notes)
    elif not transcript.labels():
        report.notes.append("credits: the transcript has no speaker labels, so nobody is credited")
    return manifest_text(
        Episode,
        entries,
        header=[
            f"Imported by `stationcast import page` from {where}.",
            f"Fields marked {TODO} could not be read from the page. Fill them in, delete the"
            " TODO comments, then delete `draft: true` (the build skips drafts).",
        ],
        draft=Draft(),
    )


def credit_block(person: Person) -> Block:
    """One credit: name, role and the transcript labels, each a TODO where the page is unsure."""
    todos = dict(person.todos)
    name = person.name if "name" not in todos or person.name else ""
    speaker = person.labels if len(person.labels) > 1 else person.labels[0]
    return Block(
        [
            Entry(key, value, todo=todos.get(key, ""))
            for key, value in (("name", name), ("role", person.role), ("speaker", speaker))
        ]
    )


def _show_yaml(doc: PageDoc, where: str) -> ManifestText:
    st = doc.station
    name = st.name
    entries: list[Entry | Comment] = [
        Entry(
            "title",
            name or "",
            todo="the show's title (the station's name is a placeholder)"
            if name
            else "the show's title",
        ),
        Entry(
            "description",
            f"Interviews and reports from {name}." if name else "",
            todo="one or two sentences about the show",
        ),
    ]
    if doc.language:
        entries.append(Entry("language", doc.language.lower()))
    else:
        entries.append(
            Entry(
                "language",
                "en-us",
                todo="the page does not say; en-us is a placeholder "
                "(ISO 639 code, with a region if you like)",
            )
        )
    entries.append(
        Entry(
            "base_url",
            f"https://podcasts.example.org/{slugify(name) if name else 'show'}/",
            todo="where feeds/ will be published (the value is a placeholder)",
        )
    )
    if name:
        entries.append(Entry("author", name))
    if st.copyright:
        entries.append(Entry("copyright", st.copyright))
    entries += [
        Entry(
            "artwork",
            "artwork.jpg",
            todo="put the show's square artwork (JPEG or PNG, 1400-3000 px) "
            "beside show.yaml under this name",
        ),
        Entry("explicit", False),
        Entry(
            "categories",
            ["News"],
            todo="Apple Podcasts categories, first is primary (News is a placeholder)",
        ),
        Entry(
            "podcast_guid",
            "...",
            todo="the show's permanent podcast:guid; once base_url is right, `stationcast build`"
            " gives the line to add (computed once from the feed URL)",
            commented_out=True,
        ),
        Entry("station", _station(st)),
    ]
    return manifest_text(
        Show,
        entries,
        header=[
            f"Written by `stationcast import page` from the station details on {where}.",
            f"Fields marked {TODO} were not on the page; the values there are placeholders.",
        ],
    )


def _station(st: StationInfo) -> Block:
    entries: list[Entry | Comment] = [
        Entry("name", st.name, todo="" if st.name else "the page does not name the station")
    ]
    if st.slogan:
        entries.append(Entry("slogan", st.slogan))
    address = st.address()
    if address:
        entries.append(Entry("address", address))
    else:
        entries.append(
            Comment(
                "The page gives no postal address; "
                "add one with street, locality, region, postal_code, country."
            )
        )
    if st.phones:
        entries.append(Entry("phones", st.phones))
    if st.website:
        entries.append(Entry("website", st.website))
    return Block(entries)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-10:]


_COPYRIGHT_MARKS = re.compile(r"(?i)\bcopyright\b|©|\(c\)|\b\d{4}\b(?:\s*[-–]\s*\d{4}\b)?")


def _holder(text: str) -> str:
    """A copyright line's holder: `© 2024 WUNC` and `WUNC` name the same one (PSP-1 suggests
    the holder alone), so they do not differ."""
    return " ".join(_COPYRIGHT_MARKS.sub(" ", text).split()).strip(" ,.")


def _compare_station(show_path: Path, doc: PageDoc) -> list[str]:
    problems: list[Problem] = []
    found = read_document(show_path, problems)
    if found is None or not isinstance(found.data, dict):
        return [
            f"{display_path(show_path)}: cannot be read to compare with the page's station"
            f" details: {p}"
            for p in problems
        ]
    data = found.data
    station: dict[str, Any] = data["station"] if isinstance(data.get("station"), dict) else {}
    st: StationInfo = doc.station
    where = display_path(show_path)
    out: list[str] = []

    def differ(field_name: str, page: str, ours: Any) -> None:
        if page and str(ours or "").strip() != page:
            out.append(f"{where}: {field_name}: show.yaml has {ours!r}, the page has {page!r}")

    differ("station.name", st.name, station.get("name"))
    differ("station.slogan", st.slogan, station.get("slogan"))
    if _holder(st.copyright) != _holder(str(data.get("copyright") or "")):
        differ("copyright", st.copyright, data.get("copyright"))
    address: dict[str, Any] = station["address"] if isinstance(station.get("address"), dict) else {}
    page_address = st.address() or {}
    for key in ("street", "locality", "region", "postal_code"):
        differ(f"station.address.{key}", page_address.get(key, ""), address.get(key))
    if st.phones:
        ours = station.get("phones") or []
        ours = [ours] if isinstance(ours, str) else ours
        if sorted(_digits(str(p)) for p in ours) != sorted(_digits(p) for p in st.phones):
            out.append(
                f"{where}: station.phones: show.yaml has {ours!r}, the page has {st.phones!r}"
            )
    return out
