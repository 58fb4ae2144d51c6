"""Check every episode, then write tags through a verified copy of each file.

:func:`plan_tags` reads everything and changes nothing: it probes each episode's audio,
builds the metadata from the manifests, and compares it field by field with the file's
current tags. Every problem in every episode is collected; if there is one, nothing is
written.

:func:`apply_tags` writes only the files that differ. For each, in its own folder:

1. copy the original to a hidden temporary file (same folder, so the rename is atomic);
2. write the changed fields into the copy with mutagen and save it;
3. read the copy back: every managed field must now equal the manifest, every tag
   stationcast does not manage must be unchanged, the audio stream digest (see
   :mod:`.integrity`) and mutagen's duration must equal the original's.

Only when every file has passed are the copies renamed over the originals (``os.replace``),
each after checking the original was not modified meanwhile. On any failure the copies are
deleted and the originals are untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from stationcast.errors import (
    AudioError,
    InputError,
    ManifestError,
    Message,
    Option,
    Problem,
    display_path,
)
from stationcast.manifest import choose_episodes, load_show
from stationcast.media import EXTENSIONS, PARSER_ERRORS, probe_audio
from stationcast.models import LoadedEpisode
from stationcast.models.values import check_base_url

from . import id3, mp4, vorbis
from .base import Change, Field, Metadata, TagError
from .integrity import IntegrityError, audio_digest
from .metadata import chapter_marks, episode_metadata, read_cover, transcript_text

_MUTAGEN_ERRORS = PARSER_ERRORS  # what mutagen lets escape on malformed input


# --------------------------------------------------------------------------------------------
# Containers


@dataclass(frozen=True)
class Container:
    """How one container's tags are opened, described, compared and saved."""

    label: str  # shown beside the file name: "MP3, ID3v2.4"
    load: Callable[[str], Any]  # file name -> mutagen object, tags added if missing
    fields: Callable[[Metadata], list[Field]]
    tags: Callable[[Any], Any]  # mutagen object -> what the fields read and write
    others: Callable[[Any, list[Field]], dict[str, str]]
    save: Callable[[Any], None]


def _with_tags(kind: Any) -> Callable[[str], Any]:
    def load(name: str) -> Any:
        audio = kind(name)
        if audio.tags is None:
            audio.add_tags()
        return audio

    return load


def _save_id3(audio: Any) -> None:
    audio.save(v2_version=4)  # v1=UPDATE: an existing ID3v1 tag is kept in step, none added
    # mutagen orders frames by size; chapters go back in time order (the file's own too).
    id3.order_chapter_frames(audio.filename, len(audio.tags.getall("CHAP")))


def _save(audio: Any) -> None:
    audio.save()


def _vorbis(label: str, kind: Any, *, flac: bool) -> Container:
    return Container(
        label=label,
        load=_with_tags(kind),
        fields=lambda meta: vorbis.fields(meta, flac=flac),
        tags=lambda audio: audio,
        others=lambda audio, managed: vorbis.others(audio, managed, flac=flac),
        save=_save,
    )


_ID3 = Container(
    "MP3, ID3v2.4", _with_tags(MP3), id3.fields, lambda a: a.tags, id3.others, _save_id3
)
_MP4 = Container(
    "MP4, iTunes atoms", _with_tags(MP4), mp4.fields, lambda a: a.tags, mp4.others, _save
)

#: Probe format -> container. Every format stationcast publishes can be tagged.
CONTAINERS: dict[str, Container] = {
    "mp3": _ID3,
    "mp2": dataclasses.replace(_ID3, label="MP2, ID3v2.4"),
    "mp1": dataclasses.replace(_ID3, label="MP1, ID3v2.4"),
    "m4a": _MP4,
    "mp4-video": _MP4,
    "m4v-video": _MP4,
    "mov-video": _MP4,
    "ogg-vorbis": _vorbis("Ogg Vorbis, Vorbis comments", OggVorbis, flac=False),
    "opus": _vorbis("Opus, Vorbis comments", OggOpus, flac=False),
    "flac": _vorbis("FLAC, Vorbis comments", FLAC, flac=True),
    "wav": Container(
        "WAV, ID3v2.4 chunk", _with_tags(WAVE), id3.fields, lambda a: a.tags, id3.others, _save_id3
    ),
}

#: What each format is called in messages, and the file name extensions that do not lie
#: about it (podcast apps choose how to play a file by its extension).
# What each probed format is called in messages; the extensions that fit it are the build's
# (media.EXTENSIONS), so `tag` accepts a file exactly when the build does.
_NAMES = {
    "mp3": "MP3 audio",
    "mp2": "MPEG layer II audio",
    "mp1": "MPEG layer I audio",
    "m4a": "M4A (AAC) audio",
    "mp4-video": "MP4 video",
    "m4v-video": "M4V video",
    "mov-video": "QuickTime video",
    "ogg-vorbis": "Ogg Vorbis audio",
    "opus": "Opus audio",
    "flac": "FLAC audio",
    "wav": "WAV audio",
}


# --------------------------------------------------------------------------------------------
# Planning: read everything, change nothing


@dataclass
class FilePlan:
    """One audio file: what it would get, and how it differs from what it has."""

    slug: str
    manifest: str
    path: Path
    kind: str  # probe format key
    container: Container
    fields: list[Field]
    changes: list[Change]
    duration: float  # the probe's
    length: float  # mutagen's own reading, compared after the write
    others: dict[str, str]  # fingerprints of the tags stationcast does not manage
    stat: tuple[int, int, int]

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def where(self) -> str:
        return f"{self.manifest}: audio: {self.shown}"


@dataclass
class TagPlan:
    files: list[FilePlan]
    notes: list[str] = field(default_factory=list)  # what the user should know (stderr)

    @property
    def changed(self) -> list[FilePlan]:
        return [f for f in self.files if f.changes]


def plan_tags(episodes: Path, slugs: Sequence[str] = (), *, base_url: str | None = None) -> TagPlan:
    """Check every (or every named) episode and compute each file's changes; write nothing.

    Raises InputError listing every problem of every episode.
    """
    try:
        loaded = load_show(episodes)
    except ManifestError as err:
        raise ManifestError(err.problems, _summary(err.problems)) from None
    show = loaded.show
    base = _base_url(base_url) if base_url else show.base_url
    show_manifest = display_path(episodes / "show.yaml")
    problems: list[Problem] = []
    chosen = choose_episodes(
        loaded, slugs, episodes, problems, drafts="drafts are not tagged (set draft: false first)"
    )
    notes: list[str] = []
    files: list[FilePlan] = []
    show_cover = None
    if any(isinstance(item.episode.audio, str) for item in chosen):
        show_cover = read_cover(
            episodes / show.artwork, show_manifest, "artwork", problems, root=episodes
        )
    for item in chosen:
        if not isinstance(item.episode.audio, str):
            notes.append(
                f"{item.slug}: the audio is hosted elsewhere ({item.episode.audio.url});"
                " nothing to tag"
            )
            continue
        plan = _plan_episode(item, episodes, base, show_cover, loaded.show, problems, notes)
        if plan is not None:
            files.append(plan)
            notes.extend(_dropped_frames(plan))
    if problems:
        raise InputError(problems, _summary(problems))
    return TagPlan(files, notes)


def _summary(problems: list[Problem]) -> str:
    count, files = len(set(problems)), len({p.file for p in problems})
    return (
        f"error: {count} problem{'s' if count != 1 else ''} in {files} file"
        f"{'s' if files != 1 else ''}; no audio file was changed"
    )


def _base_url(value: str) -> str:
    try:
        return check_base_url(value)
    except ValueError as exc:
        raise TagError(Message(Option("base_url"), f": {exc}")) from None


def _plan_episode(
    item: LoadedEpisode,
    root: Path,
    base: str,
    show_cover: Any,
    show: Any,
    problems: list[Problem],
    notes: list[str],
) -> FilePlan | None:
    folder = root / item.slug
    assert isinstance(item.episode.audio, str)
    path = folder / item.episode.audio
    before = len(problems)

    def fail(message: str) -> None:
        problems.append(
            Problem(item.manifest, field="audio", message=f"{display_path(path)}: {message}")
        )

    try:
        if path.is_symlink():
            fail(
                "is a symbolic link; stationcast tag replaces the file itself, so put the audio"
                " file in the episode folder"
            )
            return None
        info = probe_audio(path)
    except AudioError as err:
        fail(err.message)
        return None
    except Exception as err:  # noqa: BLE001 - a probe bug on hostile bytes is still this file's problem
        fail(f"cannot be probed ({type(err).__name__}: {err}); the file is damaged or not audio")
        return None
    name = _NAMES.get(info.format, info.format)
    extensions = EXTENSIONS.get(info.format, ())
    if path.suffix.lower() not in extensions:
        fail(
            f"is {name} but its name ends in {path.suffix or '(nothing)'!r}; rename it to"
            f" {path.stem}{extensions[0]} and update `audio:` in episode.yaml (podcast apps"
            " choose how to play a file by its extension)"
        )
        return None
    container = CONTAINERS.get(info.format)
    if container is None:  # pragma: no cover - every probe format has a container
        fail(f"is {name}, which stationcast cannot tag")
        return None
    if not os.access(folder, os.W_OK):
        fail("its folder is not writable; stationcast tag writes a copy beside the file first")
    image = getattr(item.episode, "image", None)
    cover = show_cover
    if image is not None:
        cover = read_cover(folder / image.file, item.manifest, "image.file", problems, root=root)
    lyrics = transcript_text(show, item, folder, problems, notes)
    chapters = chapter_marks(item, info.duration, problems)
    if len(problems) > before:
        return None
    meta = episode_metadata(
        show, item, base_url=base, lyrics=lyrics, cover=cover, chapters=chapters
    )
    wanted = container.fields(meta)
    try:
        st = os.stat(path)
        audio = container.load(str(path))
        tags = container.tags(audio)
        changes = [c for c in (f.change(tags) for f in wanted) if c is not None]
        others = _fingerprints(container.others(tags, wanted))
    except OSError as err:
        fail(f"cannot be read: {err.strerror or err}")
        return None
    except _MUTAGEN_ERRORS as err:
        fail(f"its tags cannot be read ({type(err).__name__}: {err})")
        return None
    return FilePlan(
        slug=item.slug,
        manifest=item.manifest,
        path=path,
        kind=info.format,
        container=container,
        fields=wanted,
        changes=changes,
        duration=info.duration,
        length=float(audio.info.length),
        others=others,
        stat=(st.st_size, st.st_mtime_ns, st.st_ino),
    )


def _dropped_frames(plan: FilePlan) -> list[str]:
    """Warn that mutagen drops ID3v2.2/2.3 frames it cannot parse when it upgrades to v2.4."""
    if not plan.changes or plan.container.save is not _save_id3:
        return []
    try:
        tags = plan.container.tags(plan.container.load(str(plan.path)))
    except _MUTAGEN_ERRORS + (OSError,):
        return []
    unknown = len(getattr(tags, "unknown_frames", None) or ())
    if not unknown or tuple(getattr(tags, "version", (2, 4, 0))) >= (2, 4, 0):
        return []
    version = ".".join(str(v) for v in tags.version[:2])
    return [
        f"{plan.shown}: {unknown} ID3v{version} frame{'s' if unknown != 1 else ''} mutagen"
        " cannot read will be dropped when the tag is rewritten as ID3v2.4"
    ]


# --------------------------------------------------------------------------------------------
# Writing: verified copies, then atomic renames


@dataclass(frozen=True)
class TagResult:
    tagged: tuple[FilePlan, ...]
    up_to_date: tuple[FilePlan, ...]
    seconds: float


def apply_tags(plan: TagPlan) -> TagResult:
    """Write every file of ``plan`` that has changes; see the module docstring for how.

    Raises TagError naming the episode and file; then no original was replaced (or, if a
    rename itself failed, the message says which files were already replaced).
    """
    started = time.perf_counter()
    staged: list[tuple[FilePlan, Path]] = []
    try:
        for item in plan.changed:
            staged.append((item, _stage(item)))
    except BaseException:
        for _, tmp in staged:
            _remove(tmp)
        raise
    done: list[FilePlan] = []
    for index, (item, tmp) in enumerate(staged):
        already = ", ".join(p.shown for p in done)
        tail = f"; already tagged: {already}" if done else "; no audio file was changed"
        try:
            _unchanged_since_plan(item)
            os.replace(tmp, item.path)
        except TagError as err:
            for _, rest in staged[index:]:
                _remove(rest)
            raise TagError(f"{err}{tail}") from None
        except OSError as err:
            for _, rest in staged[index:]:
                _remove(rest)
            raise TagError(
                f"{item.where()}: could not replace the file with its tagged copy"
                f" ({err.strerror or err}); it is untouched{tail}"
            ) from None
        done.append(item)
    up_to_date = tuple(f for f in plan.files if not f.changes)
    return TagResult(tuple(done), up_to_date, time.perf_counter() - started)


def _stage(item: FilePlan) -> Path:
    """A tagged, verified copy of ``item.path`` beside it; TagError if anything is off."""
    folder = item.path.parent
    try:
        _unchanged_since_plan(item)
    except TagError as err:
        raise TagError(f"{err}; no audio file was changed") from None
    try:
        original = audio_digest(item.path, item.kind)
        fd, name = tempfile.mkstemp(
            prefix=f".{item.path.name}.", suffix=".stationcast-tag", dir=folder
        )
    except IntegrityError as err:
        raise TagError(f"{item.where()}: cannot check its audio stream ({err})") from None
    except OSError as err:
        raise TagError(
            f"{item.where()}: cannot make a copy to tag ({err.strerror or err});"
            " no audio file was changed"
        ) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, open(item.path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
        shutil.copymode(item.path, tmp)
        _write(item, tmp)
        _verify(item, tmp, original)
    except BaseException as err:
        _remove(tmp)
        if isinstance(err, TagError):
            raise
        if isinstance(err, OSError):
            raise TagError(
                f"{item.where()}: writing the tagged copy failed ({err.strerror or err});"
                " no audio file was changed"
            ) from None
        if isinstance(err, _MUTAGEN_ERRORS):
            raise TagError(
                f"{item.where()}: writing the tags failed ({type(err).__name__}: {err});"
                " no audio file was changed"
            ) from None
        raise
    return tmp


def _write(item: FilePlan, tmp: Path) -> None:
    audio = item.container.load(str(tmp))
    tags = item.container.tags(audio)
    for wanted in item.fields:
        if wanted.change(tags) is not None:
            wanted.write(tags, wanted.wanted)
    item.container.save(audio)


def _verify(item: FilePlan, tmp: Path, original_digest: str) -> None:
    def bad(what: str) -> TagError:
        return TagError(
            f"{item.where()}: the tagged copy failed its check ({what}); no audio file was changed"
        )

    try:
        audio = item.container.load(str(tmp))
    except _MUTAGEN_ERRORS as err:
        raise bad(f"mutagen cannot read it back: {type(err).__name__}: {err}") from None
    tags = item.container.tags(audio)
    differ = [f.key for f in item.fields if f.change(tags) is not None]
    if differ:
        raise bad(f"{', '.join(differ)} did not read back as written")
    now = _fingerprints(item.container.others(tags, item.fields))
    if now != item.others:
        changed = sorted(k for k in {*now, *item.others} if now.get(k) != item.others.get(k))
        raise bad(f"tags stationcast does not manage changed: {', '.join(changed)}")
    try:
        digest = audio_digest(tmp, item.kind)
    except IntegrityError as err:
        raise bad(f"its audio stream cannot be walked: {err}") from None
    if digest != original_digest:
        raise bad("the audio stream bytes differ from the original's")
    length = float(audio.info.length)
    if abs(length - item.length) > 1e-9:
        raise bad(f"mutagen reads {length:.6f} s of audio, the original {item.length:.6f} s")


def _fingerprints(others: dict[str, str]) -> dict[str, str]:
    """Tag name -> SHA-256 of its value's text: what a write must leave as it was (hashes,
    so a plan of many files does not hold their pictures in memory)."""
    return {key: hashlib.sha256(text.encode()).hexdigest() for key, text in others.items()}


def _unchanged_since_plan(item: FilePlan) -> None:
    """Refuse to go on if the file is not the one that was checked (size, mtime, inode)."""
    try:
        st = os.stat(item.path)
        same = (st.st_size, st.st_mtime_ns, st.st_ino) == item.stat
    except OSError:
        same = False
    if not same:
        raise TagError(
            f"{item.where()}: the file changed after it was checked, so it was left as it is;"
            " run stationcast tag again"
        )


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
