"""MP3s without a Xing/Info/VBRI header, made at test time with sox and lame: CBR at several
bitrates, MPEG-2, junk and tags around the audio, a VBR file with its header stripped, a
stream whose bitrate changes midway, and a 1-hour file. Every duration is checked against
ffprobe's frame count."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from stationcast.media import mp3, probe_audio

from .conftest import ffprobe_duration


def _run(*argv: str | Path) -> None:
    subprocess.run([str(a) for a in argv], check=True, capture_output=True)


def _lame(source: Path, out: Path, *options: str) -> Path:
    _run("lame", "--quiet", "-t", *options, source, out)  # -t: no Xing/Info frame
    return out


def _strip_first_frame(data: bytes) -> bytes:
    """Drop the first MPEG frame (where lame writes its Xing/Info header)."""
    frame = mp3._frame_at(data, 0)
    assert frame is not None
    return data[frame.length :]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures, in a temporary folder (skips without sox or lame)."""
    for tool in ("sox", "lame"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not on PATH (Debian: apt-get install {tool})")
    out = tmp_path_factory.mktemp("headerless")
    source = out / "source.wav"  # 12 s of a gliding tone over pink noise: frames differ
    _run(
        "sox", "-n", "-r", "44100", "-c", "2", "-b", "16", source,
        "synth", "12", "sine", "200-2000", "pinknoise", "mix", "vol", "0.4",
    )  # fmt: skip
    for kbps in (32, 64, 128, 320):
        _lame(source, out / f"cbr-{kbps}k.mp3", "-b", str(kbps), "--resample", "44.1")
    _lame(source, out / "mpeg2-22050.mp3", "-b", "40", "--resample", "22.05")
    _lame(source, out / "mpeg2-24000.mp3", "-b", "64", "--resample", "24")
    _lame(source, out / "mpeg1-48000-mono.mp3", "-b", "96", "-m", "m", "--resample", "48")
    cbr = (out / "cbr-64k.mp3").read_bytes()
    id3v2 = b"ID3\x03\x00\x00\x00\x00\x00\x10" + bytes(16)
    ape = b"APETAGEX" + (2000).to_bytes(4, "little") + (32).to_bytes(4, "little") + bytes(16)
    id3v1 = b"TAG" + bytes(125)
    (out / "junk-prefixed.mp3").write_bytes(id3v2 + b"\x00\x01junk" * 300 + cbr + id3v1)
    (out / "ape-and-id3v1.mp3").write_bytes(cbr + bytes(2000 - 32) + ape + id3v1)
    with_xing = out / "vbr-with-xing.mp3"
    subprocess.run(
        ["lame", "--quiet", "-V", "4", str(source), str(with_xing)], check=True
    )  # fmt: skip
    (out / "vbr-xing-stripped.mp3").write_bytes(_strip_first_frame(with_xing.read_bytes()))
    low = _lame(source, out / "part-48k.tmp", "-b", "48", "--resample", "44.1")
    (out / "bitrate-change.mp3").write_bytes(cbr + low.read_bytes())
    return out


NAMES = [
    "cbr-32k.mp3",
    "cbr-64k.mp3",
    "cbr-128k.mp3",
    "cbr-320k.mp3",
    "mpeg2-22050.mp3",
    "mpeg2-24000.mp3",
    "mpeg1-48000-mono.mp3",
    "junk-prefixed.mp3",
    "ape-and-id3v1.mp3",
    "vbr-xing-stripped.mp3",
    "bitrate-change.mp3",
]
CBR = [n for n in NAMES if n not in ("vbr-xing-stripped.mp3", "bitrate-change.mp3")]


@pytest.mark.parametrize("name", NAMES)
def test_duration_agrees_with_ffprobe(made: Path, name: str) -> None:
    """Within 0.5 s of ffprobe's frame count (in practice within a frame or two)."""
    assert probe_audio(made / name).duration == pytest.approx(
        ffprobe_duration(made / name), abs=0.5
    )


@pytest.mark.parametrize("name", CBR)
def test_cbr_is_measured_without_counting_frames(
    made: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Samples across a CBR file agree, so its frames are never walked."""

    def refuse(*args: object) -> None:
        raise AssertionError("counted the frames of a CBR file")

    big = made / f"big-{name}"  # past the size below which counting is cheaper
    data = (made / name).read_bytes()
    big.write_bytes(data if len(data) > 300_000 else data * (300_000 // len(data) + 1))
    expected = probe_audio(big).duration
    monkeypatch.setattr(mp3, "_count_mpeg_frames", refuse)
    assert probe_audio(big).duration == expected


def test_stripped_vbr_is_counted_and_matches_its_header(made: Path) -> None:
    """The VBR file without its Xing frame is detected as VBR and counted: the same length
    as the Xing header states, less lame's encoder delay and padding (under 0.1 s)."""
    stripped = probe_audio(made / "vbr-xing-stripped.mp3").duration
    stated = probe_audio(made / "vbr-with-xing.mp3").duration
    assert stripped == pytest.approx(stated, abs=0.1)


def test_a_bitrate_change_midway_is_counted(made: Path) -> None:
    """64 kb/s then 48 kb/s: the samples disagree, the frames are counted, and the length is
    the sum of both parts."""
    parts = probe_audio(made / "cbr-64k.mp3").duration + probe_audio(made / "part-48k.tmp").duration
    assert probe_audio(made / "bitrate-change.mp3").duration == pytest.approx(parts, abs=0.001)


def test_trailing_tags_are_not_audio(made: Path) -> None:
    """ID3v2, junk, APEv2 and ID3v1 around the same stream leave its length unchanged."""
    plain = probe_audio(made / "cbr-64k.mp3").duration
    assert probe_audio(made / "junk-prefixed.mp3").duration == pytest.approx(plain, abs=0.03)
    assert probe_audio(made / "ape-and-id3v1.mp3").duration == pytest.approx(plain, abs=0.03)


def test_an_hour_long_cbr_file(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1-hour 128 kb/s file (the 12 s stream repeated 300 times) probes to ffprobe's
    length, 300 times the part's, without its frames being walked."""
    one = made / "cbr-128k.mp3"
    hour = made / "hour.mp3"
    hour.write_bytes(one.read_bytes() * 300)
    part = probe_audio(one).duration
    expected = ffprobe_duration(hour)

    def refuse(*args: object) -> None:
        raise AssertionError("counted the frames of a CBR file")

    monkeypatch.setattr(mp3, "_count_mpeg_frames", refuse)
    info = probe_audio(hour)
    assert info.duration == pytest.approx(expected, abs=0.5)
    assert info.duration == pytest.approx(300 * part, abs=0.03)
    assert info.bitrate == 128000
