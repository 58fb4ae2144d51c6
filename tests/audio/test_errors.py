"""Bad audio: every case gives an AudioError naming the file, with a sentence saying what is
wrong, and never any other exception (reference §6.3, cases A1-A10, A15)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from stationcast.errors import AudioError
from stationcast.media import probe as probing
from stationcast.media import probe_audio

from .conftest import AUDIO_DATA

NOT_AUDIO = (
    "is not audio in a supported format (no MP3 frame sync, and no M4A/MP4, Ogg, FLAC or WAV "
    "header)"
)

BAD = {
    "bad-empty.mp3": "is empty (0 bytes)",
    "bad-text-named.mp3": NOT_AUDIO,
    "bad-html-named.mp3": NOT_AUDIO
    + "; it looks like HTML, perhaps an error page saved in place of the audio",
    "bad-truncated.mp3": "looks truncated: its MP3 header describes about 23999 bytes of audio "
    "but the file has 1000",
    "bad-corrupt-id3.mp3": "has a corrupt ID3 tag",
    "bad-implausible-xing.mp3": "duration 112195064 s is implausible (more than 24 h); its "
    "header is probably corrupt",
}


def _error(path: Path) -> AudioError:
    with pytest.raises(AudioError) as caught:
        probe_audio(path)
    return caught.value


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_gives_the_expected_message(name: str) -> None:
    """Each broken fixture raises AudioError with exactly the expected message."""
    err = _error(AUDIO_DATA / name)
    assert err.message == BAD[name]
    assert err.path == str(AUDIO_DATA / name)
    assert str(err) == f"{AUDIO_DATA / name}: {BAD[name]}"


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is reported as not found."""
    assert _error(tmp_path / "episode.mp3").message == "audio file not found"


def test_directory_is_refused(tmp_path: Path) -> None:
    """A directory named like audio is not a regular file."""
    folder = tmp_path / "audio.mp3"
    folder.mkdir()
    assert _error(folder).message == "is not a regular file (it is a directory)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO is refused before opening; opening it for reading would block forever."""
    fifo = tmp_path / "audio.mp3"
    os.mkfifo(fifo)
    assert _error(fifo).message == "is not a regular file (it is a FIFO (named pipe))"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    """A symlink to /dev/zero (endless bytes) is refused as a character device."""
    link = tmp_path / "audio.mp3"
    link.symlink_to("/dev/zero")
    assert _error(link).message == "is not a regular file (it is a character device)"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    """A file without read permission is reported as unreadable."""
    copy = tmp_path / "audio.mp3"
    copy.write_bytes((AUDIO_DATA / "cbr-32k-22050-mono.mp3").read_bytes())
    copy.chmod(0)
    assert _error(copy).message == "cannot be read: Permission denied"


def test_unreadable_file_when_open_is_denied(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same message when the OS refuses to open the file (simulated, so it also runs as
    root, which chmod cannot stop)."""

    def deny(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(probing.os, "open", deny)
    err = _error(AUDIO_DATA / "cbr-32k-22050-mono.mp3")
    assert err.message == "cannot be read: Permission denied"


def test_read_error_during_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """An I/O error while reading (a failing disk, a vanished network mount) is reported."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setitem(probing.PROBERS, "mp3", fail)
    assert _error(AUDIO_DATA / "cbr-32k-22050-mono.mp3").message == (
        "cannot be read: Input/output error"
    )


@pytest.mark.parametrize(
    "exc", [IndexError("x"), struct.error("y"), ValueError("z"), KeyError("k"), ZeroDivisionError()]
)
def test_stray_parser_exceptions_become_audio_errors(
    monkeypatch: pytest.MonkeyPatch, exc: Exception
) -> None:
    """Exceptions mutagen lets escape on hostile input (IndexError, struct.error, ... as in
    mutagen #419/#422/#426) become AudioError naming the format."""

    def explode(*args: object) -> None:
        raise exc

    monkeypatch.setitem(probing.PROBERS, "mp3", explode)
    err = _error(AUDIO_DATA / "cbr-32k-22050-mono.mp3")
    assert err.message.startswith("is not readable as MP3 (")


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"FORM\x00\x00\x00\x10AIFFCOMM", "AIFF audio"),
        (b"\x1a\x45\xdf\xa3\x01\x00\x00\x00", "Matroska/WebM media"),
        (b"wvpk\x00\x00\x00\x00", "WavPack audio"),
    ],
)
def test_unsupported_formats_are_named(tmp_path: Path, head: bytes, what: str) -> None:
    """Formats we recognise but do not publish are named, with what to do instead."""
    path = tmp_path / "audio.mp3"
    path.write_bytes(head + bytes(2000))
    assert _error(path).message == (
        f"is {what}, which stationcast does not publish; convert it to MP3 or M4A"
    )


def test_raw_aac_gets_the_command_that_wraps_it(tmp_path: Path) -> None:
    """A raw AAC (ADTS) stream is named, with the ffmpeg command that fixes it losslessly."""
    path = tmp_path / "audio.aac"
    path.write_bytes(b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(2000))
    assert _error(path).message == (
        "is a raw AAC (ADTS) stream, which podcast apps do not expect; wrap it in M4A without "
        "re-encoding: ffmpeg -i in.aac -c copy out.m4a"
    )


def test_ogg_speex_is_unsupported(tmp_path: Path) -> None:
    """An Ogg stream of a codec we do not publish says which codec it is."""
    page = b"OggS\x00\x02" + bytes(20) + b"\x01\x50" + b"Speex   " + bytes(72)
    path = tmp_path / "audio.ogg"
    path.write_bytes(page)
    assert _error(path).message == (
        "is Ogg Speex audio, which stationcast does not publish; use Ogg Vorbis, Opus, MP3 or M4A"
    )


def test_mp4_without_moov_is_incomplete(tmp_path: Path) -> None:
    """An MP4 whose 'moov' box is missing (an upload cut before the index) is refused."""
    path = tmp_path / "audio.m4a"
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"M4A ", 0, b"M4A ")
    mdat = struct.pack(">I4s", 8 + 5000, b"mdat") + bytes(5000)
    path.write_bytes(ftyp + mdat)
    assert _error(path).message == (
        "is an MP4 file without a 'moov' box (no track information); it is incomplete or "
        "still being written"
    )


def test_truncated_mp4_names_the_cut_box(tmp_path: Path) -> None:
    """An M4A cut short inside a box is reported as truncated, with the byte counts."""
    data = (AUDIO_DATA / "aac-44100-stereo.m4a").read_bytes()
    path = tmp_path / "audio.m4a"
    path.write_bytes(data[: len(data) - 100])
    assert _error(path).message.startswith("looks truncated: its '")


def test_truncated_wav(tmp_path: Path) -> None:
    """A WAV whose data chunk is cut short is reported as truncated."""
    data = (AUDIO_DATA / "pcm-8000-mono.wav").read_bytes()
    path = tmp_path / "audio.wav"
    path.write_bytes(data[: len(data) // 2])
    assert _error(path).message == (
        "looks truncated: its WAV header describes about 48000 bytes of audio but the file has "
        "24022"
    )


def test_short_file_is_flagged_as_truncated(tmp_path: Path) -> None:
    """A headerless CBR MP3 cut to 0.3 s is complete as far as its frames go, but no
    episode is that short: it is reported as truncated."""
    data = (AUDIO_DATA / "cbr-32k-22050-mono.mp3").read_bytes()
    path = tmp_path / "audio.mp3"
    path.write_bytes(data[:1200])
    assert _error(path).message == "duration 0.29 s looks truncated (size 1200 bytes)"


@pytest.mark.parametrize("name", ["vorbis-22050-mono.ogg", "opus-48000-mono.opus"])
def test_truncated_ogg_has_no_end_of_stream_page(tmp_path: Path, name: str) -> None:
    """An Ogg file cut short still parses (its duration is what is left), but its last page
    lacks the end-of-stream flag every encoder sets, so it is reported as truncated."""
    data = (AUDIO_DATA / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 3 // 4])
    assert _error(path).message == (
        "looks truncated: its last Ogg page does not end the stream (no end-of-stream flag); "
        "if it is a complete stream recording, re-mux it: ffmpeg -i in -c copy out"
    )


def test_truncated_flac_is_caught_by_its_last_frame(tmp_path: Path) -> None:
    """A FLAC file cut short still announces its full length in STREAMINFO; the probe finds
    the last frame header left in the file and reports how much is missing."""
    data = (AUDIO_DATA / "flac-22050-mono.flac").read_bytes()
    path = tmp_path / "audio.flac"
    path.write_bytes(data[: len(data) // 2])
    assert _error(path).message == (
        "looks truncated: its last frame ends 1.75 s before the 3.00 s its STREAMINFO block "
        "announces"
    )


def test_damaged_mp4_index_is_an_audio_error(tmp_path: Path) -> None:
    """Seven zero bytes inserted in an M4A's index: an AudioError naming the damage, not a crash."""
    data = (AUDIO_DATA / "aac-44100-stereo.m4a").read_bytes()
    at = int(0.875 * (len(data) - 1))
    path = tmp_path / "audio.m4a"
    path.write_bytes(data[:at] + bytes(7) + data[at:])
    with pytest.raises(AudioError, match=r"is damaged: its '.*' box needs \d+ bytes"):
        probe_audio(path)
