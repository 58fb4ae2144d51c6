"""Shared helpers for the audio tests: fixture paths and an independent measure (ffprobe)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

AUDIO_DATA = Path(__file__).resolve().parent.parent / "data" / "audio"


@pytest.fixture
def audio_data() -> Path:
    """The committed fixtures made by scripts/make_test_audio.py."""
    return AUDIO_DATA


def ffprobe_json(path: Path) -> dict[str, Any]:
    """ffprobe's view of a file; skips the test when ffprobe is not installed."""
    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe not on PATH (Debian: apt-get install ffmpeg; .ci/run installs it)")
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_packets",
            "-show_format",
            "-show_streams",
            "-of",
            "json",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def ffprobe_audio_stream(path: Path) -> dict[str, Any]:
    streams = [s for s in ffprobe_json(path)["streams"] if s["codec_type"] == "audio"]
    return streams[0]


def ffprobe_duration(path: Path) -> float:
    """Duration by ffprobe. For MP3 it counts frames (packets) instead of trusting the
    container duration, which ffprobe estimates from the first frame's bitrate when the
    file has no Xing/VBRI header."""
    data = ffprobe_json(path)
    stream = next(s for s in data["streams"] if s["codec_type"] == "audio")
    if stream["codec_name"] == "mp3":
        rate = int(stream["sample_rate"])
        per_frame = 1152 if rate >= 32000 else 576
        return int(stream["nb_read_packets"]) * per_frame / rate
    return float(data["format"]["duration"])
