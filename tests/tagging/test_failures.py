"""Failures leave the originals untouched: bad audio is reported for every episode before
anything is written, and a failure while writing never replaces an original."""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from mutagen.id3 import ID3, TXXX

from stationcast.tagging import CONTAINERS, TagError, apply_tags, plan_tags
from stationcast.tagging.integrity import mpeg_audio_span

from .conftest import AUDIO, Show, sha256, tree

WHERE = "episodes/ep/episode.yaml: audio: episodes/ep/audio.mp3"


def folder_names(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_every_bad_file_is_listed_and_nothing_is_written(
    show: Show, run: Callable[..., Result]
) -> None:
    """Zero bytes, truncated, a lying extension, not audio at all, a corrupt tag, HTML, a
    missing file, a directory, a chapter past the end: one line each, naming the episode's
    manifest and the file, then a summary; the good episode is not written either."""
    good = show.add("a-good", "cbr-32k-22050-mono.mp3")
    show.add("b-empty", "bad-empty.mp3")
    show.add("c-truncated", "bad-truncated.mp3")
    show.add("d-lying", "m4a-named.mp3", name="audio.mp3")
    show.add("e-text", "bad-text-named.mp3", name="audio.mp3")
    show.add("f-corrupt", "bad-corrupt-id3.mp3", name="audio.mp3")
    show.add("g-html", "bad-html-named.mp3", name="audio.mp3")
    show.add("h-missing", None)
    show.add("i-late-chapter", "vorbis-22050-mono.ogg",
             extra="chapters:\n  - {start: 0, title: A}\n  - {start: 9, title: B}\n")  # fmt: skip
    show.add("j-directory", None).mkdir()
    before = tree(show.root)
    result = run("tag")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "episodes/b-empty/episode.yaml: audio: episodes/b-empty/audio.mp3: is empty (0 bytes)\n"
        "episodes/c-truncated/episode.yaml: audio: episodes/c-truncated/audio.mp3: looks"
        " truncated: its MP3 header describes about 23999 bytes of audio but the file has 1000\n"
        "episodes/d-lying/episode.yaml: audio: episodes/d-lying/audio.mp3: is M4A (AAC) audio but"
        " its name ends in '.mp3'; rename it to audio.m4a and update `audio:` in episode.yaml"
        " (podcast apps choose how to play a file by its extension)\n"
        "episodes/e-text/episode.yaml: audio: episodes/e-text/audio.mp3: is not audio in a"
        " supported format (no MP3 frame sync, and no M4A/MP4, Ogg, FLAC or WAV header)\n"
        "episodes/f-corrupt/episode.yaml: audio: episodes/f-corrupt/audio.mp3: has a corrupt ID3"
        " tag\n"
        "episodes/g-html/episode.yaml: audio: episodes/g-html/audio.mp3: is not audio in a"
        " supported format (no MP3 frame sync, and no M4A/MP4, Ogg, FLAC or WAV header); it"
        " looks like HTML, perhaps an error page saved in place of the audio\n"
        "episodes/h-missing/episode.yaml: audio: episodes/h-missing/audio.mp3: audio file not"
        " found\n"
        "episodes/i-late-chapter/episode.yaml: chapters.1.start: starts at 9 s, but the audio is"
        " only 3.000 s long\n"
        "episodes/j-directory/episode.yaml: audio: episodes/j-directory/audio.mp3: is not a"
        " regular file (it is a directory)\n"
        "error: 9 problems in 9 files; no audio file was changed\n"
    )
    assert tree(show.root) == before
    assert sha256(good) == sha256(AUDIO / "cbr-32k-22050-mono.mp3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(show: Show, run: Callable[..., Result]) -> None:
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    path.chmod(0)
    try:
        result = run("tag")
    finally:
        path.chmod(0o644)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{WHERE}: cannot be read: Permission denied"


def test_unsupported_container_is_named(show: Show, run: Callable[..., Result]) -> None:
    """A format stationcast does not publish (here AIFF, by its magic bytes) is named."""
    path = show.add("ep", None, name="audio.mp3")
    path.write_bytes(b"FORM\0\0\0\x20AIFFCOMM" + bytes(200))
    result = run("tag")
    assert result.stderr.splitlines()[0] == (
        f"{WHERE}: is AIFF audio, which stationcast does not publish; convert it to MP3 or M4A"
    )


def test_missing_transcript_and_artwork_are_problems_too(
    show: Show, run: Callable[..., Result]
) -> None:
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    (path.parent / "transcript.txt").unlink()
    (show.root / "artwork.jpg").write_bytes(b"not an image")
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/ep/episode.yaml: transcript.file: episodes/ep/transcript.txt: file not found;"
        " expected the transcript beside episode.yaml\n"
        "episodes/show.yaml: artwork: episodes/artwork.jpg: is not a readable image"
        " (UnidentifiedImageError); expected JPEG or PNG\n"
        "error: 2 problems in 2 files; no audio file was changed\n"
    )


# -- failures while writing -----------------------------------------------------------------


def test_failed_rename_leaves_the_original(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace failing (the last step) leaves the original's bytes and no stray copy."""
    path = show.add("ep", "chapters-cover-22050-mono.mp3")
    before = sha256(path)
    names = folder_names(path)

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("stationcast.tagging.core.os.replace", refuse)
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {WHERE}: could not replace the file with its tagged copy (Input/output error);"
        " it is untouched; no audio file was changed\n"
    )
    assert "Traceback" not in result.output
    assert sha256(path) == before
    assert folder_names(path) == names


def test_failed_second_rename_names_what_was_already_tagged(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the second rename fails, the first file is tagged (complete and verified), the
    second and later ones are untouched, and the message says which is which."""
    a = show.add("a", "cbr-32k-22050-mono.mp3")
    b = show.add("b", "cbr-32k-22050-mono.mp3")
    original = sha256(b)
    real = os.replace
    calls: list[Any] = []

    def second_fails(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr("stationcast.tagging.core.os.replace", second_fails)
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: episodes/b/episode.yaml: audio: episodes/b/audio.mp3: could not replace the file"
        " with its tagged copy (No space left on device); it is untouched; already tagged:"
        " episodes/a/audio.mp3\n"
    )
    assert ID3(a)["TIT2"].text == ["Tagging Test Episode"]
    assert sha256(b) == original
    assert folder_names(b) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def test_failed_save_leaves_the_original(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while mutagen saves the copy: original untouched, copy removed."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    before = sha256(path)

    def full(audio: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(CONTAINERS["mp3"], save=full))
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {WHERE}: writing the tagged copy failed (No space left on device);"
        " no audio file was changed\n"
    )
    assert sha256(path) == before
    assert folder_names(path) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def corrupting(container: Any) -> Any:
    """The container's save, followed by one flipped bit in the middle of the MPEG frames."""

    def save(audio: Any) -> None:
        container.save(audio)
        with open(audio.filename, "r+b") as f:
            start, end = mpeg_audio_span(f, os.fstat(f.fileno()).st_size)
            f.seek((start + end) // 2)
            byte = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([byte[0] ^ 1]))

    return save


def test_a_write_that_damages_the_audio_is_refused(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If saving the tags changed one bit of audio, the comparison catches it before the
    original is replaced."""
    path = show.add("ep", "cbr-64k-44100-stereo.mp3")
    before = sha256(path)
    mp3 = CONTAINERS["mp3"]
    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(mp3, save=corrupting(mp3)))
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {WHERE}: the tagged copy failed its check (the audio stream bytes differ from"
        " the original's); no audio file was changed\n"
    )
    assert sha256(path) == before
    assert folder_names(path) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def test_a_tag_that_does_not_read_back_is_refused(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A managed frame that is not in the saved copy fails the read-back check."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    before = sha256(path)
    mp3 = CONTAINERS["mp3"]

    def forgetful(audio: Any) -> None:
        audio.tags.delall("TALB")
        mp3.save(audio)

    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(mp3, save=forgetful))
    result = run("tag")
    assert result.stderr == (
        f"error: {WHERE}: the tagged copy failed its check (TALB did not read back as written);"
        " no audio file was changed\n"
    )
    assert sha256(path) == before


def test_losing_a_tag_stationcast_does_not_manage_is_refused(
    show: Show, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags stationcast does not manage must come through unchanged, or nothing is replaced."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    tags = ID3()
    tags.add(TXXX(encoding=3, desc="station id", text=["WUNC-123"]))
    tags.save(path)
    before = sha256(path)
    mp3 = CONTAINERS["mp3"]

    def lossy(audio: Any) -> None:
        audio.tags.delall("TXXX")
        mp3.save(audio)

    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(mp3, save=lossy))
    result = run("tag")
    assert result.stderr == (
        f"error: {WHERE}: the tagged copy failed its check (tags stationcast does not manage"
        " changed: TXXX:station id); no audio file was changed\n"
    )
    assert sha256(path) == before


def test_interrupted_write_removes_the_copy(
    show: Show, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C while a copy is being tagged: the copy is removed, the original kept, and the
    interrupt propagates."""
    monkeypatch.chdir(tmp_path)
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    before = sha256(path)

    def interrupt(audio: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(CONTAINERS["mp3"], save=interrupt))
    plan = plan_tags(show.root)
    with pytest.raises(KeyboardInterrupt):
        apply_tags(plan)
    assert sha256(path) == before
    assert folder_names(path) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def test_a_file_changed_before_the_write_is_not_replaced(
    show: Show, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """If someone replaces the audio between the check and the write, it is left alone."""
    monkeypatch.chdir(tmp_path)
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    plan = plan_tags(show.root)
    shutil.copyfile(AUDIO / "cbr-64k-44100-stereo.mp3", path)
    replaced = sha256(path)
    with pytest.raises(TagError) as caught:
        apply_tags(plan)
    assert str(caught.value) == (
        f"{WHERE}: the file changed after it was checked, so it was left as it is;"
        " run stationcast tag again; no audio file was changed"
    )
    assert sha256(path) == replaced
    assert folder_names(path) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def test_a_file_changed_while_being_tagged_is_not_replaced(
    show: Show, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """If the audio is replaced while its copy is being tagged, the rename does not happen."""
    monkeypatch.chdir(tmp_path)
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    plan = plan_tags(show.root)
    mp3 = CONTAINERS["mp3"]

    def meanwhile(audio: Any) -> None:
        mp3.save(audio)
        shutil.copyfile(AUDIO / "cbr-64k-44100-stereo.mp3", path)

    monkeypatch.setitem(CONTAINERS, "mp3", dataclasses.replace(mp3, save=meanwhile))
    plan.files[0].container = CONTAINERS["mp3"]
    with pytest.raises(TagError) as caught:
        apply_tags(plan)
    assert str(caught.value) == (
        f"{WHERE}: the file changed after it was checked, so it was left as it is;"
        " run stationcast tag again; no audio file was changed"
    )
    assert sha256(path) == sha256(AUDIO / "cbr-64k-44100-stereo.mp3")
    assert folder_names(path) == ["audio.mp3", "episode.yaml", "transcript.txt"]


def test_a_probe_crash_on_damaged_bytes_is_still_a_clean_error(
    show: Show, run: Callable[..., Result]
) -> None:
    """Found by test_properties: 7 zero bytes inserted into the M4A's moov once made the probe
    raise an internal error from a nested box walk. tag reports it against the episode and file."""
    data = (AUDIO / "aac-44100-stereo.m4a").read_bytes()
    at = int(0.875 * (len(data) - 1))
    path = show.add("ep", None, name="audio.m4a")
    path.write_bytes(data[:at] + bytes(7) + data[at:])
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/ep/episode.yaml: audio: episodes/ep/audio.m4a: is damaged: its '"
    )
    assert result.stderr.endswith("error: 1 problem in 1 file; no audio file was changed\n")
