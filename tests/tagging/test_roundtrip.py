"""Every tag `stationcast tag` writes reads back, through mutagen directly, for every format."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from stationcast.media import probe_audio

from .conftest import ARTWORK, AUDIO, CHAPTERS_YAML, LYRICS, SUMMARY, Show

TITLE = "Tagging Test Episode"
HOSTS = ["Kelly McEvers", "Ari Shapiro"]
PAGE = "https://podcasts.example.org/test/ep/"
FEED = "https://podcasts.example.org/test/feed.xml"
GUID = "0e7c2d1a-1b2c-4d3e-8f40-5a6b7c8d9e0f"
DATE = "2015-09-22T21:35:00"  # 17:35 at -04:00, in UTC
COPYRIGHT = "© 2024 Test Radio"
STATION = "Test Public Radio"
ALBUM = "Test Segments"
COVER = ARTWORK.read_bytes()

MP3_FIXTURES = [
    "cbr-64k-44100-stereo.mp3",
    "cbr-32k-22050-mono.mp3",
    "vbr-xing-22050-mono.mp3",
    "vbr-vbri-22050-mono.mp3",
    "vbr-noheader-22050-mono.mp3",
    "chapters-cover-22050-mono.mp3",
]


def tag_one(show: Show, run: Callable[..., Result], fixture: str, extra: str = "") -> Path:
    path = show.add("ep", fixture, extra=extra, guid=GUID)
    result = run("tag")
    assert result.exit_code == 0, result.output
    return path


def check_id3(tags: ID3) -> None:
    assert tags.version == (2, 4, 0)
    assert tags["TIT2"].text == [TITLE]
    assert tags["TPE1"].text == HOSTS
    assert tags["TALB"].text == [ALBUM]
    assert [str(t) for t in tags["TDRC"].text] == [DATE.replace("T", " ")]
    assert tags["TCON"].text == ["Podcast"]
    comm = tags["COMM::eng"]
    assert (comm.lang, comm.desc, comm.text) == ("eng", "", [SUMMARY.strip()])
    uslt = tags["USLT::eng"]
    assert (uslt.lang, uslt.desc, uslt.text) == ("eng", "", LYRICS)
    assert tags["TCOP"].text == [COPYRIGHT]
    assert tags["TPUB"].text == [STATION]
    assert tags["WOAS"].url == PAGE
    fronts = [f for f in tags.getall("APIC") if f.type == 3]
    assert [(f.mime, f.data) for f in fronts] == [("image/jpeg", COVER)]
    assert tags["PCST"].value == 1
    assert tags["TGID"].text == [GUID]
    assert tags["TDES"].text == [SUMMARY.strip()]
    assert tags["WFED"].url == FEED
    assert "TDTG" not in tags  # no tagging time: runs must not differ


@pytest.mark.parametrize("fixture", MP3_FIXTURES)
def test_mp3_frames_round_trip(show: Show, run: Callable[..., Result], fixture: str) -> None:
    """Every ID3v2.4 frame written to an MP3 reads back from the file with mutagen's ID3."""
    path = tag_one(show, run, fixture)
    check_id3(ID3(path))
    with open(path, "rb") as f:
        assert f.read(4) == b"ID3\x04"


def test_mp3_chapters_from_the_manifest(show: Show, run: Callable[..., Result]) -> None:
    """Manifest chapters become CHAP frames (title, link, times in ms, the last ending at the
    audio's end) and one ordered top-level CTOC that leaves out toc: false chapters; they
    replace the file's own chapters."""
    path = tag_one(show, run, "chapters-cover-22050-mono.mp3", CHAPTERS_YAML)
    tags = ID3(path)
    duration_ms = round(probe_audio(path).duration * 1000)
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.element_id, c.start_time, c.end_time) for c in chaps] == [
        ("chp0", 0, 1500),
        ("chp1", 1500, 2250),
        ("chp2", 2250, duration_ms),
    ]
    assert [c.sub_frames["TIT2"].text for c in chaps] == [["Opening"], ["Interview"], ["Hidden"]]
    assert chaps[1].sub_frames.getall("WXXX")[0].url == "https://example.org/interview"
    (toc,) = tags.getall("CTOC")
    assert (toc.element_id, int(toc.flags), toc.child_element_ids) == ("toc", 3, ["chp0", "chp1"])
    probed = probe_audio(path).chapters  # the colleague's probe reads them the same way
    assert [(c.start, c.title) for c in probed] == [(0.0, "Opening"), (1.5, "Interview")]


def test_mp3_keeps_its_own_chapters_without_manifest_chapters(
    show: Show, run: Callable[..., Result]
) -> None:
    """With no chapters in the manifest the file's CHAP/CTOC frames are kept as they were."""
    path = tag_one(show, run, "chapters-cover-22050-mono.mp3")
    tags = ID3(path)
    assert sorted(c.element_id for c in tags.getall("CHAP")) == ["ch0", "ch1", "ch2"]
    assert [t.element_id for t in tags.getall("CTOC")] == ["toc"]


def test_m4a_atoms_round_trip(show: Show, run: Callable[..., Result]) -> None:
    """Every MP4 atom written to an M4A reads back with mutagen's MP4."""
    path = tag_one(show, run, "aac-44100-stereo.m4a")
    tags = MP4(path).tags
    assert tags is not None
    assert tags["©nam"] == [TITLE]
    assert tags["©ART"] == [", ".join(HOSTS)]
    assert tags["©alb"] == [ALBUM]
    assert tags["©day"] == [DATE + "Z"]
    assert tags["©gen"] == ["Podcast"]
    assert tags["desc"] == [SUMMARY.strip()]
    assert tags["©cmt"] == [SUMMARY.strip()]
    assert tags["©lyr"] == [LYRICS]
    assert tags["cprt"] == [COPYRIGHT]
    cover = tags["covr"][0]
    assert (cover.imageformat, bytes(cover)) == (MP4Cover.FORMAT_JPEG, COVER)
    assert tags["pcst"] is True
    assert tags["purl"] == [FEED]
    assert tags["egid"] == [GUID]
    assert tags["stik"] == [21]


def test_m4a_keeps_its_chapters(show: Show, run: Callable[..., Result]) -> None:
    """mutagen cannot write MP4 chapters, so the file's own Nero chapters are kept."""
    original = MP4(AUDIO / "aac-44100-stereo.m4a")
    path = tag_one(show, run, "aac-44100-stereo.m4a", CHAPTERS_YAML)
    after = MP4(path)
    assert [(c.start, c.title) for c in after.chapters] == [
        (c.start, c.title) for c in original.chapters
    ]


def test_mp4_video_gets_the_same_atoms(show: Show, run: Callable[..., Result]) -> None:
    """A video enclosure is the same container: it gets the same atoms."""
    path = tag_one(show, run, "video-h264-aac.mp4")
    tags = MP4(path).tags
    assert tags is not None and tags["©nam"] == [TITLE] and tags["egid"] == [GUID]


def check_comments(tags: object) -> None:
    def one(key: str) -> list[str]:
        return list(tags[key])  # type: ignore[index]

    assert one("TITLE") == [TITLE]
    assert one("ARTIST") == HOSTS
    assert one("ALBUM") == [ALBUM]
    assert one("DATE") == [DATE + "Z"]
    assert one("GENRE") == ["Podcast"]
    assert one("DESCRIPTION") == [SUMMARY.strip()]
    assert one("COMMENT") == [SUMMARY.strip()]
    assert one("LYRICS") == [LYRICS]
    assert one("COPYRIGHT") == [COPYRIGHT]
    assert one("ORGANIZATION") == [STATION]
    assert one("CONTACT") == [PAGE]


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [("vorbis-22050-mono.ogg", OggVorbis), ("opus-48000-mono.opus", OggOpus)],
)
def test_ogg_comments_round_trip(
    show: Show, run: Callable[..., Result], fixture: str, kind: type
) -> None:
    """Every Vorbis comment and the METADATA_BLOCK_PICTURE front cover read back from Ogg
    Vorbis and Opus; the encoder comment stationcast does not manage is kept."""
    path = tag_one(show, run, fixture)
    audio = kind(path)
    check_comments(audio.tags)
    pictures = [Picture(base64.b64decode(v)) for v in audio.tags["METADATA_BLOCK_PICTURE"]]
    fronts = [p for p in pictures if p.type == 3]
    assert [(p.mime, p.data, p.width, p.height, p.depth) for p in fronts] == [
        ("image/jpeg", COVER, 1400, 1400, 24)
    ]
    assert audio.tags["ENCODER"]


def test_flac_comments_and_picture_round_trip(show: Show, run: Callable[..., Result]) -> None:
    """Every Vorbis comment reads back from FLAC; the cover is a FLAC PICTURE block that
    replaces the old front cover."""
    path = tag_one(show, run, "flac-22050-mono.flac")
    audio = FLAC(path)
    check_comments(audio.tags)
    assert [(p.type, p.mime, p.data) for p in audio.pictures] == [(3, "image/jpeg", COVER)]


def test_vorbis_chapters_from_the_manifest(show: Show, run: Callable[..., Result]) -> None:
    """Manifest chapters become CHAPTERnnn / NAME / URL comments (Xiph's chapter extension),
    which the probe reads back."""
    path = tag_one(show, run, "vorbis-22050-mono.ogg", CHAPTERS_YAML)
    tags = OggVorbis(path).tags
    assert tags is not None
    assert sorted((k.upper(), v) for k, v in tags if k.upper().startswith("CHAPTER")) == [
        ("CHAPTER001", "00:00:00.000"),
        ("CHAPTER001NAME", "Opening"),
        ("CHAPTER002", "00:00:01.500"),
        ("CHAPTER002NAME", "Interview"),
        ("CHAPTER002URL", "https://example.org/interview"),
        ("CHAPTER003", "00:00:02.250"),
        ("CHAPTER003NAME", "Hidden"),
    ]
    assert [(c.start, c.title) for c in probe_audio(path).chapters] == [
        (0.0, "Opening"),
        (1.5, "Interview"),
        (2.25, "Hidden"),
    ]


def test_wav_gets_an_id3_chunk(show: Show, run: Callable[..., Result]) -> None:
    """WAV enclosures carry the same ID3v2.4 frames in their `id3 ` chunk."""
    path = tag_one(show, run, "pcm-8000-mono.wav")
    tags = WAVE(path).tags
    assert tags is not None
    check_id3(tags)
