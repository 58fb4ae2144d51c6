"""probe_audio on every good fixture, checked against the file system and against ffprobe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stationcast.media import (
    EXTENSIONS,
    MIME_TYPES,
    AudioInfo,
    Chapter,
    probe_audio,
)

from .conftest import AUDIO_DATA, ffprobe_audio_stream, ffprobe_duration

# name -> (format, mime type, sample rate, channels, has cover)
GOOD = {
    "cbr-64k-44100-stereo.mp3": ("mp3", "audio/mpeg", 44100, 2, False),
    "cbr-32k-22050-mono.mp3": ("mp3", "audio/mpeg", 22050, 1, False),
    "vbr-xing-22050-mono.mp3": ("mp3", "audio/mpeg", 22050, 1, False),
    "vbr-noheader-22050-mono.mp3": ("mp3", "audio/mpeg", 22050, 1, False),
    "vbr-vbri-22050-mono.mp3": ("mp3", "audio/mpeg", 22050, 1, False),
    "chapters-cover-22050-mono.mp3": ("mp3", "audio/mpeg", 22050, 1, True),
    "aac-44100-stereo.m4a": ("m4a", "audio/x-m4a", 44100, 2, True),
    "m4a-named.mp3": ("m4a", "audio/x-m4a", 44100, 2, True),
    "vorbis-22050-mono.ogg": ("ogg-vorbis", "audio/ogg", 22050, 1, False),
    "opus-48000-mono.opus": ("opus", "audio/ogg", 48000, 1, True),
    "flac-22050-mono.flac": ("flac", "audio/flac", 22050, 1, True),
    "pcm-8000-mono.wav": ("wav", "audio/wav", 8000, 1, False),
    "video-h264-aac.mp4": ("mp4-video", "video/mp4", 22050, 1, False),
    "video-h264-aac.m4v": ("m4v-video", "video/x-m4v", 22050, 1, False),
}


def _probe(name: str) -> AudioInfo:
    return probe_audio(AUDIO_DATA / name)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_format_and_mime_type_come_from_content(name: str) -> None:
    """Each fixture probes as its real format with the MIME type apps expect, whatever its
    extension says (m4a-named.mp3 is AAC in MP4)."""
    fmt, mime, _, _, _ = GOOD[name]
    info = _probe(name)
    assert (info.format, info.mime_type) == (fmt, mime)
    assert MIME_TYPES[info.format] == info.mime_type


@pytest.mark.parametrize("name", sorted(GOOD))
def test_size_is_the_exact_byte_count(name: str) -> None:
    """The enclosure length is the file's exact size in bytes."""
    assert _probe(name).size == os.path.getsize(AUDIO_DATA / name)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_sample_rate_and_channels(name: str) -> None:
    """Sample rate and channel count match the values the fixture was made with."""
    _, _, rate, channels, _ = GOOD[name]
    info = _probe(name)
    assert (info.sample_rate, info.channels) == (rate, channels)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_sample_rate_and_channels_agree_with_ffprobe(name: str) -> None:
    """An independent reader (ffprobe) sees the same sample rate and channel count."""
    stream = ffprobe_audio_stream(AUDIO_DATA / name)
    info = _probe(name)
    assert (info.sample_rate, info.channels) == (int(stream["sample_rate"]), stream["channels"])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_duration_agrees_with_ffprobe_within_half_a_second(name: str) -> None:
    """Durations agree with ffprobe within 0.5 s, including the headerless VBR MP3 whose
    length can only be known by counting frames."""
    expected = ffprobe_duration(AUDIO_DATA / name)
    assert _probe(name).duration == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_bitrate_is_plausible(name: str) -> None:
    """The bitrate is positive and agrees with size / duration within a factor of two for
    audio-only files (video files carry more than their audio track)."""
    info = _probe(name)
    assert info.bitrate is not None and info.bitrate > 0
    if not info.format.endswith("-video") and info.format != "wav":
        assert 0.5 < info.size * 8 / info.duration / info.bitrate < 2.0


def test_headerless_vbr_duration_is_counted_not_estimated() -> None:
    """Without a Xing/VBRI header mutagen estimates from the first frame; the probe counts
    frames instead, so it matches the same stream with a Xing header (minus lame's
    encoder delay and padding, which only the Xing/LAME header records)."""
    counted = _probe("vbr-noheader-22050-mono.mp3").duration
    with_vbri = _probe("vbr-vbri-22050-mono.mp3").duration
    assert counted == pytest.approx(with_vbri, abs=0.001)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_cover_art_presence(name: str) -> None:
    """Embedded cover art (APIC, covr, FLAC PICTURE, METADATA_BLOCK_PICTURE) is detected,
    and files without one say so."""
    assert _probe(name).has_cover is GOOD[name][4]


def test_id3_chapters_are_read_in_table_of_contents_order() -> None:
    """ID3v2 CHAP frames come back with times in seconds, titles and the WXXX link."""
    assert _probe("chapters-cover-22050-mono.mp3").chapters == (
        Chapter(0.0, 1.0, "Opening"),
        Chapter(1.0, 2.0, "Interview", "https://example.org/interview"),
        Chapter(2.0, 3.0, "Credits"),
    )


def test_mp4_chapters_are_read_and_end_where_the_next_starts() -> None:
    """Nero 'chpl' chapters written by ffmpeg come back; the last ends at the duration."""
    info = _probe("aac-44100-stereo.m4a")
    assert [(c.start, c.title) for c in info.chapters] == [(0.0, "Part one"), (1.5, "Part two")]
    assert info.chapters[0].end == 1.5
    assert info.chapters[1].end == info.duration


@pytest.mark.parametrize(
    "name", [n for n in sorted(GOOD) if not n.startswith(("chapters-", "aac-", "m4a-"))]
)
def test_files_without_chapters_have_none(name: str) -> None:
    """No chapters are invented for files that have none."""
    assert _probe(name).chapters == ()


def test_vorbis_comment_chapters(tmp_path: Path) -> None:
    """CHAPTERnnn / CHAPTERnnnNAME / CHAPTERnnnURL comments in Ogg and FLAC become chapters."""
    from mutagen.oggvorbis import OggVorbis

    copy = tmp_path / "chapters.ogg"
    copy.write_bytes((AUDIO_DATA / "vorbis-22050-mono.ogg").read_bytes())
    tags = OggVorbis(copy)
    tags["CHAPTER001"], tags["CHAPTER001NAME"] = "00:00:00.000", "Intro"
    tags["CHAPTER002"], tags["CHAPTER002NAME"] = "00:00:01.500", "Talk"
    tags["CHAPTER002URL"] = "https://example.org/talk"
    tags.save()
    info = probe_audio(copy)
    assert info.chapters == (
        Chapter(0.0, 1.5, "Intro"),
        Chapter(1.5, info.duration, "Talk", "https://example.org/talk"),
    )


def test_a_file_without_tags_is_probed_normally() -> None:
    """A valid MP3 with no tags at all is fine (mutagen's FileType is falsy without tags:
    `if mutagen.File(p):` would have rejected it)."""
    import mutagen

    path = AUDIO_DATA / "cbr-32k-22050-mono.mp3"
    assert not mutagen.File(path)  # the trap
    assert _probe("cbr-32k-22050-mono.mp3").duration > 3


def test_the_example_episode_audio() -> None:
    """The example show's synthesized episode probes as a mono 40 kbps MP3 under 5 MB."""
    path = Path(__file__).resolve().parents[2] / "episodes/islamic-state-defectors/audio.mp3"
    info = probe_audio(path)
    assert (info.format, info.mime_type, info.channels, info.bitrate) == (
        "mp3",
        "audio/mpeg",
        1,
        40000,
    )
    assert info.size < 5_000_000
    assert 120 < info.duration < 600


def test_audio_info_json_round_trip() -> None:
    """AudioInfo -> JSON-compatible dict -> AudioInfo gives an equal object."""
    info = _probe("chapters-cover-22050-mono.mp3")
    assert AudioInfo.from_json(info.to_json()) == info


@pytest.mark.parametrize(
    "trailer",
    [b"TAG" + bytes(125), b"APETAGEX" + bytes(24), b"\xff\xf3\x50"],
    ids=["id3v1", "ape", "cut-frame"],
)
def test_frame_count_ignores_trailing_tags(tmp_path: Path, trailer: bytes) -> None:
    """A trailing ID3v1 or APE tag, or a final frame cut short, does not change the
    duration counted from a headerless MP3's frames."""
    source = AUDIO_DATA / "vbr-noheader-22050-mono.mp3"
    path = tmp_path / "audio.mp3"
    path.write_bytes(source.read_bytes() + trailer)
    assert probe_audio(path).duration == probe_audio(source).duration


def test_garbage_mid_file_falls_back_to_the_estimate(tmp_path: Path) -> None:
    """When the frame chain breaks mid-file, counting would miss the second half; the probe
    falls back to mutagen's size-based estimate (which counts the 4000 junk bytes as 1 s
    of audio, but does not lose the second half)."""
    data = (AUDIO_DATA / "cbr-32k-22050-mono.mp3").read_bytes()
    path = tmp_path / "audio.mp3"
    path.write_bytes(data[:6000] + b"\x00" * 4000 + data[6000:])
    assert probe_audio(path).duration == pytest.approx(3.06 + 1.0, abs=0.2)


def test_every_format_has_a_mime_type_and_extensions() -> None:
    """The MIME and extension tables cover the same formats."""
    assert set(MIME_TYPES) == set(EXTENSIONS)
