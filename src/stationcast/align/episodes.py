"""`stationcast align`'s work on a show: which episodes to align, aligning them, writing the
alignment files (each atomically, beside its manifest)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stationcast.align import (
    ALIGNMENT_FILE,
    AlignmentUnreadable,
    align_transcript,
    apply_alignment,
    read_alignment,
    sentences,
)
from stationcast.align.engine import Progress
from stationcast.build.cache import content_digest
from stationcast.errors import InputError, Problem, display_path
from stationcast.models import LoadedEpisode, RemoteAudio


@dataclass
class Outcome:
    """What `align` did with one episode."""

    slug: str
    shown: str  # the alignment file, as the user would type it
    status: str  # "aligned", "current" (already up to date) or "skipped"
    reason: str = ""
    doubtful: list[str] = field(default_factory=list)  # the turns that matched poorly
    seconds: float = 0.0


def voice_for(language: str) -> str:
    """espeak-ng's voice for a BCP 47 language code: `en-US` -> `en-us`."""
    return language.strip().lower() or "en"


def plan(episodes: Path, slugs: Sequence[str]) -> tuple[list[LoadedEpisode], list[str]]:
    """The show's episodes to consider (the named ones, when given), drafts included, so that
    a draft is timed before it is published; and a note for each draft left out because its
    manifest is not complete yet. ManifestError/InputError for problems in the manifests, in
    a draft named, or for unknown slugs."""
    from stationcast.manifest import choose_episodes, load_episode, load_show

    problems: list[Problem] = []
    loaded = load_show(episodes)
    rest = [slug for slug in slugs if slug not in loaded.drafts]
    chosen = (
        choose_episodes(loaded, rest, episodes, problems, drafts="") if rest or not slugs else []
    )
    notes: list[str] = []
    for slug in loaded.drafts:
        if slugs and slug not in slugs:
            continue
        found: list[Problem] = []
        item = load_episode(episodes / slug, episodes, loaded.show, found, drafts=True)
        if isinstance(item, LoadedEpisode) and not found:
            chosen.append(item)
        elif slugs:  # named: what keeps it from being aligned is an error
            problems.extend(found)
        else:
            first = found[0] if found else None
            why = f": {first}" if first else ""
            notes.append(f"note: {slug}: a draft, not aligned until its manifest is complete{why}")
    if problems:
        raise InputError(problems)
    order = {slug: n for n, slug in enumerate(dict.fromkeys(slugs))}
    chosen.sort(key=lambda item: (order.get(item.slug, 0), item.slug))
    return chosen, notes


def align_episode(
    item: LoadedEpisode,
    language: str,
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Outcome:
    """Align one episode's station text to its audio, unless its alignment is current."""
    import time

    from stationcast.transcripts import read_transcript

    folder = Path(item.folder)
    target = folder / ALIGNMENT_FILE
    shown = display_path(target)
    spec = item.episode.transcript
    if spec is None:
        return Outcome(item.slug, shown, "skipped", "it has no transcript")
    if not spec.file.lower().endswith(".txt"):
        return Outcome(item.slug, shown, "skipped", f"{spec.file} is timed already")
    if isinstance(item.episode.audio, RemoteAudio):
        return Outcome(item.slug, shown, "skipped", "its audio is not a local file")
    transcript_path = folder / spec.file
    audio_path = folder / item.episode.audio
    text_sha, audio_sha = content_digest(transcript_path), content_digest(audio_path)
    for path, digest in ((transcript_path, text_sha), (audio_path, audio_sha)):
        if digest is None:
            message = f"{display_path(path)}: not found, or not a file that can be read"
            raise InputError([Problem(item.manifest, message=message)])
    assert text_sha is not None and audio_sha is not None
    t = read_transcript(transcript_path)
    if not force and target.is_file():
        try:
            old = read_alignment(target.read_text(encoding="utf-8"))
        except (AlignmentUnreadable, OSError, UnicodeDecodeError):
            old = None
        if (
            old is not None
            and old.transcript_sha256 == text_sha
            and old.audio_sha256 == audio_sha
            and apply_alignment(t, old) is not None  # (cut into sentences as now)
        ):
            return Outcome(item.slug, shown, "current")
    started = time.perf_counter()
    alignment = align_transcript(
        t,
        audio_path,
        voice_for(spec.language or language),
        transcript_name=spec.file,
        transcript_sha256=text_sha,
        audio_sha256=audio_sha,
        jobs=jobs,
        progress=progress,
    )
    _write_atomically(target, alignment.to_json())
    doubtful = [
        f"{_describe(t.segments[i].speaker, t.segments[i].text)}: {why}"
        for i, why in alignment.reasons
    ]
    return Outcome(
        item.slug, shown, "aligned", doubtful=doubtful, seconds=time.perf_counter() - started
    )


def _describe(speaker: str | None, text: str) -> str:
    first = sentences(text)[0] if text else ""
    cut = first if len(first) <= 60 else first[:57] + "..."
    return f"{speaker + ': ' if speaker else ''}{cut!r}"


def _write_atomically(target: Path, text: str) -> None:
    handle, name = tempfile.mkstemp(prefix=".alignment-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
