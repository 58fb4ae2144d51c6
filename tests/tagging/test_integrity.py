"""Tagging never changes the audio: stream bytes, mutagen's duration, ffprobe's duration and
the decoded samples are the same before and after, for every format."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import mutagen
import pytest
from click.testing import Result
from mutagen.apev2 import APEv2
from mutagen.id3 import ID3, TIT2
from mutagen.mp3 import MP3

from stationcast.media import probe_audio
from stationcast.tagging import audio_digest
from stationcast.tagging.integrity import IntegrityError, mpeg_audio_span, ogg_crc

from .conftest import AUDIO, CHAPTERS_YAML, Show, decoded_md5, ffprobe_duration

TAGGABLE = [
    "cbr-64k-44100-stereo.mp3",
    "cbr-32k-22050-mono.mp3",
    "vbr-xing-22050-mono.mp3",
    "vbr-vbri-22050-mono.mp3",
    "vbr-noheader-22050-mono.mp3",
    "chapters-cover-22050-mono.mp3",
    "aac-44100-stereo.m4a",
    "video-h264-aac.mp4",
    "video-h264-aac.m4v",
    "vorbis-22050-mono.ogg",
    "opus-48000-mono.opus",
    "flac-22050-mono.flac",
    "pcm-8000-mono.wav",
]


def measures(path: Path) -> dict[str, object]:
    kind = probe_audio(path).format
    audio = mutagen.File(path)
    assert audio is not None
    return {
        "stream": audio_digest(path, kind),
        "mutagen duration": audio.info.length,
        "probe duration": probe_audio(path).duration,
    }


@pytest.mark.parametrize("fixture", TAGGABLE)
def test_audio_stream_and_duration_unchanged(
    show: Show, run: Callable[..., Result], fixture: str
) -> None:
    """The non-tag bytes (see stationcast.tagging.integrity), mutagen's and the probe's
    durations are identical after tagging, while the file itself did change."""
    path = show.add("ep", fixture, extra=CHAPTERS_YAML)
    before, raw = measures(path), path.read_bytes()
    assert run("tag").exit_code == 0
    assert path.read_bytes() != raw
    assert measures(path) == before


@pytest.mark.parametrize("fixture", TAGGABLE)
def test_ffprobe_duration_unchanged(show: Show, run: Callable[..., Result], fixture: str) -> None:
    """An independent reader, ffprobe, reports the same duration, within one sample.

    Exactly the same for every fixture but the CBR MP3 without an Info header, whose duration
    ffmpeg estimates from byte counts: with an ID3v2 tag in front it comes out 6 µs longer
    (3.056256 s against 3.056250 s), a rounding far below one sample (45 µs at 22050 Hz); the
    decoded samples are identical (test_decoded_audio_unchanged).
    """
    path = show.add("ep", fixture, extra=CHAPTERS_YAML)
    before = ffprobe_duration(path)
    sample = 1 / (probe_audio(path).sample_rate or 48000)
    assert run("tag").exit_code == 0
    after = ffprobe_duration(path)
    assert abs(float(after) - float(before)) < sample, (before, after)
    if fixture != "cbr-32k-22050-mono.mp3":
        assert after == before


@pytest.mark.parametrize("fixture", TAGGABLE)
def test_decoded_audio_unchanged(show: Show, run: Callable[..., Result], fixture: str) -> None:
    """ffmpeg decodes exactly the same samples before and after (MD5 of the decoded PCM)."""
    path = show.add("ep", fixture, extra=CHAPTERS_YAML)
    before = decoded_md5(path)
    assert run("tag").exit_code == 0
    assert decoded_md5(path) == before


def test_mp3_audio_bytes_are_the_bytes_after_the_id3_tag(
    show: Show, run: Callable[..., Result]
) -> None:
    """Independently of our digest: the MP3's bytes after mutagen's ID3v2 tag size are the
    same before and after."""
    path = show.add("ep", "chapters-cover-22050-mono.mp3")
    old = path.read_bytes()[ID3(path).size :]
    assert run("tag").exit_code == 0
    assert path.read_bytes()[ID3(path).size :] == old


def test_mp3_trailing_id3v1_and_apev2_are_tag_data(show: Show, run: Callable[..., Result]) -> None:
    """An MP3 with APEv2 and ID3v1 tags at the end: the comparison spans only the frames
    between the tags; the APEv2 tag is kept and the ID3v1 tag is kept in step with ID3v2."""
    path = show.add("ep", "cbr-32k-22050-mono.mp3")
    ape = APEv2()
    ape["Title"] = "from APE"
    ape.save(path)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=["old title"]))
    tags.save(path, v1=2)  # CREATE an ID3v1 tag too
    frames = (AUDIO / "cbr-32k-22050-mono.mp3").read_bytes()
    with open(path, "rb") as f:
        start, end = mpeg_audio_span(f, path.stat().st_size)
    assert path.read_bytes()[start:end] == frames
    before = audio_digest(path, "mp3")
    length = MP3(path).info.length  # mutagen counts the APEv2 bytes in a CBR estimate
    assert run("tag").exit_code == 0
    data = path.read_bytes()
    assert data[-128:-125] == b"TAG"
    assert data[-125:-95].rstrip(b"\0") == b"Tagging Test Episode"
    assert APEv2(path)["Title"] == "from APE"
    assert audio_digest(path, "mp3") == before
    assert MP3(path).info.length == length


def test_m4a_with_moov_before_mdat_keeps_its_samples(
    show: Show, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A "fast start" M4A (moov before mdat): the larger tags push mdat back, mutagen shifts
    the chunk offsets, and every sample is still where the tables say, unchanged."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not on PATH (Debian: apt-get install ffmpeg)")
    faststart = tmp_path / "faststart.m4a"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(AUDIO / "aac-44100-stereo.m4a"), "-c", "copy",
         "-map_metadata", "-1", "-movflags", "+faststart", "-bitexact", str(faststart)],
        check=True,
    )  # fmt: skip
    path = show.add("ep", None, name="audio.m4a")
    shutil.copyfile(faststart, path)
    data = path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")
    before = (audio_digest(path, "m4a"), decoded_md5(path))
    assert run("tag").exit_code == 0
    assert data.index(b"mdat") < path.read_bytes().index(b"mdat")  # the samples moved
    assert (audio_digest(path, "m4a"), decoded_md5(path)) == before


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("cbr-32k-22050-mono.mp3", "mp3"),
        ("aac-44100-stereo.m4a", "m4a"),
        ("vorbis-22050-mono.ogg", "ogg-vorbis"),
        ("opus-48000-mono.opus", "opus"),
        ("flac-22050-mono.flac", "flac"),
        ("pcm-8000-mono.wav", "wav"),
    ],
)
def test_digest_notices_one_changed_audio_byte(tmp_path: Path, fixture: str, kind: str) -> None:
    """The comparison is not vacuous: one flipped byte in the middle of the audio changes the
    digest (or, in Ogg, breaks a page CRC, which is refused)."""
    path = tmp_path / fixture
    shutil.copyfile(AUDIO / fixture, path)
    before = audio_digest(path, kind)
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0x01
    path.write_bytes(bytes(data))
    try:
        after = audio_digest(path, kind)
    except IntegrityError as err:
        assert kind in ("ogg-vorbis", "opus") and "bad CRC" in str(err)
    else:
        assert after != before


def test_ogg_crc_matches_the_pages_mutagen_and_ffmpeg_wrote() -> None:
    """Known answer: our Ogg CRC equals the CRC stored in the fixture's first page."""
    data = (AUDIO / "vorbis-22050-mono.ogg").read_bytes()
    count = data[26]
    page = data[: 27 + count + sum(data[27 : 27 + count])]
    stored = int.from_bytes(page[22:26], "little")
    assert ogg_crc(page[:22] + b"\0\0\0\0" + page[26:]) == stored


def test_fragmented_mp4_digest_covers_the_fragments(tmp_path: Path) -> None:
    """In a fragmented MP4 (samples described by moof boxes, not moov), the digest covers
    every mdat payload, so a changed sample byte is noticed. (The probe refuses such files
    when moov states no duration, so tag never writes them; the digest is ready if it does.)"""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not on PATH (Debian: apt-get install ffmpeg)")
    path = tmp_path / "fragmented.m4a"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(AUDIO / "aac-44100-stereo.m4a"), "-map", "0:a",
         "-c", "copy", "-movflags", "frag_keyframe+empty_moov", "-bitexact", str(path)],
        check=True,
    )  # fmt: skip
    data = path.read_bytes()
    assert b"moof" in data
    before = audio_digest(path, "m4a")
    last_mdat = data.rindex(b"mdat")
    damaged = bytearray(data)
    damaged[last_mdat + 20] ^= 0x01
    path.write_bytes(bytes(damaged))
    assert audio_digest(path, "m4a") != before
