"""Tags stationcast does not manage are kept; odd inputs are handled cleanly."""

from __future__ import annotations

import base64
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, COMM, ID3, TXXX
from mutagen.mp4 import MP4
from mutagen.oggvorbis import OggVorbis
from PIL import Image

from support import copy_example

from .conftest import AUDIO, Show, sha256, tree


def test_mp3_keeps_other_frames(show: Show, run: Callable[..., Result]) -> None:
    """A TXXX, a back-cover APIC and a COMM with its own description survive; only the front
    cover is replaced."""
    path = show.add("ep", "chapters-cover-22050-mono.mp3")
    tags = ID3(path)
    tags.add(TXXX(encoding=3, desc="station id", text=["WUNC-123"]))
    tags.add(APIC(encoding=3, mime="image/png", type=4, desc="back", data=b"\x89PNG back"))
    tags.add(COMM(encoding=3, lang="eng", desc="iTunNORM", text=[" 0000 0000"]))
    tags.save(path)
    assert run("tag").exit_code == 0
    tags = ID3(path)
    assert tags["TXXX:station id"].text == ["WUNC-123"]
    assert tags["COMM:iTunNORM:eng"].text == [" 0000 0000"]
    assert sorted((f.type, f.desc) for f in tags.getall("APIC")) == [(3, ""), (4, "back")]


def test_m4a_keeps_other_atoms(show: Show, run: Callable[..., Result]) -> None:
    path = show.add("ep", "aac-44100-stereo.m4a")
    audio = MP4(path)
    assert audio.tags is not None
    audio.tags["©too"] = ["Station encoder 1.0"]
    audio.tags["----:org.example:station"] = [b"WUNC"]
    audio.save()
    assert run("tag").exit_code == 0
    tags = MP4(path).tags
    assert tags is not None
    assert tags["©too"] == ["Station encoder 1.0"]
    assert tags["----:org.example:station"] == [b"WUNC"]


def test_ogg_keeps_other_comments_and_pictures(show: Show, run: Callable[..., Result]) -> None:
    path = show.add("ep", "vorbis-22050-mono.ogg")
    audio = OggVorbis(path)
    back = Picture()
    back.type, back.mime, back.data = 4, "image/png", b"\x89PNG back"
    audio.tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(back.write()).decode()]
    audio.tags["STATIONID"] = ["WUNC-123"]
    audio.save()
    assert run("tag").exit_code == 0
    tags = OggVorbis(path).tags
    assert tags is not None
    assert tags["STATIONID"] == ["WUNC-123"] and tags["ENCODER"] == ["Lavc libvorbis"]
    types = [Picture(base64.b64decode(v)).type for v in tags["METADATA_BLOCK_PICTURE"]]
    assert types == [4, 3]


def test_flac_keeps_other_pictures(show: Show, run: Callable[..., Result]) -> None:
    path = show.add("ep", "flac-22050-mono.flac")
    audio = FLAC(path)
    back = Picture()
    back.type, back.mime, back.data = 4, "image/png", b"\x89PNG back"
    audio.add_picture(back)
    audio.save()
    assert run("tag").exit_code == 0
    assert [(p.type, p.mime) for p in FLAC(path).pictures] == [(4, "image/png"), (3, "image/jpeg")]


def test_episode_image_is_the_cover_when_given(
    show: Show, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An episode's own image (PNG here) is embedded instead of the show artwork."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3", extra="image: cover.png\n")
    Image.new("RGB", (1400, 1400), (200, 30, 30)).save(path.parent / "cover.png")
    assert run("tag").exit_code == 0
    (front,) = ID3(path).getall("APIC")
    assert (front.mime, front.data) == ("image/png", (path.parent / "cover.png").read_bytes())


def test_id3v23_unknown_frames_are_announced(show: Show, run: Callable[..., Result]) -> None:
    """An ID3v2.3 tag with a frame mutagen cannot read: the note says it will be dropped on
    the upgrade to ID3v2.4 (mutagen keeps unknown frames only within one version)."""

    def frame(name: bytes, body: bytes) -> bytes:
        return name + struct.pack(">IH", len(body), 0) + body

    frames = frame(b"TIT2", b"\x00old") + frame(b"XQZW", b"private")
    size = len(frames)
    syncsafe = bytes((size >> s) & 0x7F for s in (21, 14, 7, 0))
    path = show.add("ep", None, name="audio.mp3")
    path.write_bytes(
        b"ID3\x03\x00\x00" + syncsafe + frames + (AUDIO / "cbr-32k-22050-mono.mp3").read_bytes()
    )
    result = run("tag")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: episodes/ep/audio.mp3: 1 ID3v2.3 frame mutagen cannot read will be dropped when"
        " the tag is rewritten as ID3v2.4\n"
    )
    assert ID3(path).version == (2, 4, 0)


def test_symbolic_link_is_refused(show: Show, run: Callable[..., Result], tmp_path: Path) -> None:
    """A symlinked audio file would be replaced by a regular file: refused, with the fix."""
    target = tmp_path / "elsewhere.mp3"
    shutil.copyfile(AUDIO / "cbr-32k-22050-mono.mp3", target)
    path = show.add("ep", None)
    path.symlink_to(target)
    result = run("tag")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "episodes/ep/episode.yaml: audio: episodes/ep/audio.mp3: is a symbolic link; stationcast"
        " tag replaces the file itself, so put the audio file in the episode folder"
    )
    assert sha256(target) == sha256(AUDIO / "cbr-32k-22050-mono.mp3")


CUTS = (0.02, 0.1, 0.5, 0.9, 0.99)


@pytest.mark.parametrize(
    "fixture",
    [
        "cbr-64k-44100-stereo.mp3",
        "chapters-cover-22050-mono.mp3",
        "aac-44100-stereo.m4a",
        "vorbis-22050-mono.ogg",
        "opus-48000-mono.opus",
        "flac-22050-mono.flac",
        "pcm-8000-mono.wav",
    ],
)
@pytest.mark.parametrize("cut", CUTS)
def test_truncated_copies_fail_cleanly_or_tag_safely(
    show: Show, run: Callable[..., Result], fixture: str, cut: float
) -> None:
    """A fixture cut short anywhere either gives a clean error (exit 1, no traceback, nothing
    written) or, when what is left is still playable, is tagged with its audio kept."""
    path = show.add("ep", None, name="audio" + Path(fixture).suffix)
    data = (AUDIO / fixture).read_bytes()
    path.write_bytes(data[: max(1, int(len(data) * cut))])
    before = tree(show.root)
    result = run("tag")  # catch_exceptions=False: any stray exception fails the test
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert result.stderr.startswith("episodes/ep/episode.yaml: ") or result.stderr.startswith(
            "error: episodes/ep/episode.yaml: "
        )
        assert tree(show.root) == before


def test_unresolved_speaker_labels_are_noted(show: Show, run: Callable[..., Result]) -> None:
    """A label nobody is credited with stays as written in the lyrics, with a note (the same
    warning the build gives)."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    (path.parent / "transcript.txt").write_text("MCEVERS: Hi.\n\nSTRANGER: Hello.\n")
    result = run("tag")
    assert result.exit_code == 0
    assert result.stderr == (
        "note: episodes/ep/transcript.txt:3: speaker label 'STRANGER' is not in the credits;"
        " shown as written (add it to a credit's speaker: list)\n"
    )
    assert ID3(path)["USLT::eng"].text == (
        "Kelly McEvers: Hi.\n\nSTRANGER: Hello.\n\nTranscript provided by Test Radio.\n"
    )


def test_show_hosts_are_artists_and_speakers(show: Show, run: Callable[..., Result]) -> None:
    """show.yaml `hosts` who are not credited on the episode are artists too, and their
    speaker labels resolve in the lyrics (as in the build's transcript.txt)."""
    (show.root / "show.yaml").write_text(
        (show.root / "show.yaml").read_text()
        + "hosts:\n  - {name: Rachel Martin, role: host, speaker: MARTIN}\n",
        encoding="utf-8",
    )
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    (path.parent / "transcript.txt").write_text("MARTIN: Good morning.\n\nMCEVERS: Hi.\n")
    result = run("tag")
    assert (result.exit_code, result.stderr) == (0, "")
    tags = ID3(path)
    assert tags["TPE1"].text == ["Kelly McEvers", "Ari Shapiro", "Rachel Martin"]
    assert tags["USLT::eng"].text.startswith("Rachel Martin: Good morning.\n\nKelly McEvers: Hi.")


def test_lyrics_are_the_published_transcript_text(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """On the example show, the embedded USLT is byte for byte the transcript.txt that
    `stationcast build` publishes."""
    copy_example(tmp_path / "episodes")
    built = run("build", "--out", "out")
    assert built.exit_code == 0, built.output
    assert run("tag").exit_code == 0
    slug = "islamic-state-defectors"
    published = (tmp_path / "out" / slug / "transcript.txt").read_text(encoding="utf-8")
    assert ID3(tmp_path / "episodes" / slug / "audio.mp3")["USLT::eng"].text == published
