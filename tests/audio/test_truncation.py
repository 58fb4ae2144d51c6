"""Property: a real file cut at any byte offset, or with any byte changed, gives either a
valid AudioInfo or an AudioError, never another exception (mutagen's own fuzzing idea,
tests/test___init__.py generate_test_file_objects)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.errors import AudioError
from stationcast.media import MIME_TYPES, AudioInfo, probe_audio

from .conftest import AUDIO_DATA

SOURCES = sorted(p.name for p in AUDIO_DATA.iterdir() if not p.name.startswith("bad-"))
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(path: Path) -> None:
    try:
        info = probe_audio(path)
    except AudioError as err:
        assert err.path == str(path) and err.message
        return
    assert isinstance(info, AudioInfo)
    assert info.size == path.stat().st_size
    assert math.isfinite(info.duration) and info.duration > 0
    assert info.mime_type == MIME_TYPES[info.format]


@pytest.mark.parametrize("name", SOURCES)
@SETTINGS
@given(data=st.data())
def test_truncation_at_any_offset(tmp_path: Path, name: str, data: st.DataObject) -> None:
    """Cutting a fixture at any offset never raises anything but AudioError."""
    whole = (AUDIO_DATA / name).read_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)), label="cut")
    path = tmp_path / name
    path.write_bytes(whole[:cut])
    _check(path)


@pytest.mark.parametrize("name", SOURCES)
@SETTINGS
@given(data=st.data())
def test_corruption_in_the_headers(tmp_path: Path, name: str, data: st.DataObject) -> None:
    """Overwriting bytes near the start (where headers, tags and indexes live) never raises
    anything but AudioError."""
    whole = bytearray((AUDIO_DATA / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 8), label="count")):
        at = data.draw(st.integers(0, min(len(whole), 4096) - 1), label="offset")
        whole[at] = data.draw(st.integers(0, 255), label="byte")
    path = tmp_path / name
    path.write_bytes(bytes(whole))
    _check(path)
