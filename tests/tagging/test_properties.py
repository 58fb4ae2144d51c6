"""Property: any damaged copy of a fixture gives a clean result, never a traceback, and a
failure never changes a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.cli import cli

from .conftest import AUDIO, Show, tree

FIXTURES = [
    "chapters-cover-22050-mono.mp3",
    "aac-44100-stereo.m4a",
    "vorbis-22050-mono.ogg",
    "opus-48000-mono.opus",
    "flac-22050-mono.flac",
    "pcm-8000-mono.wav",
]


def damage(data: bytes, how: str, where: float, value: int) -> bytes:
    at = int(where * (len(data) - 1))
    if how == "flip":
        return data[:at] + bytes([data[at] ^ (value or 1)]) + data[at + 1 :]
    if how == "cut":
        return data[: max(at, 1)]
    if how == "insert":
        return data[:at] + bytes([value]) * 7 + data[at:]
    return data[:at] + data[at + 7 :]  # delete


@pytest.mark.parametrize("fixture", FIXTURES)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    how=st.sampled_from(["flip", "cut", "insert", "delete"]),
    where=st.floats(0, 1),
    value=st.integers(0, 255),
)
def test_damaged_audio_never_escapes_as_a_traceback(
    fixture: str, how: str, where: float, value: int
) -> None:
    """Flipped, cut, inserted or deleted bytes anywhere (headers, tags, frames): `tag` exits
    0 or 1 with our message; with 1, no file changed and no copy is left behind."""
    data = damage((AUDIO / fixture).read_bytes(), how, where, value)
    with tempfile.TemporaryDirectory() as tmp:
        show = Show(Path(tmp) / "episodes")
        path = show.add("ep", None, name="audio" + Path(fixture).suffix)
        path.write_bytes(data)
        before = tree(show.root)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            result = CliRunner().invoke(cli, ["tag"], catch_exceptions=False)
        finally:
            os.chdir(cwd)
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert "episodes/ep/" in result.stderr and "Traceback" not in result.output
            assert tree(show.root) == before
