"""Property tests for the request gate: any path stays inside; any Range header is bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable

from stationcast.serve import _check_path, _locate, _usable_range

from .conftest import make_site

PIECES = [
    "..",
    ".",
    "%2e",
    "%2E",
    "%252e",
    "/",
    "//",
    "%2f",
    "%5c",
    "\\",
    "%00",
    "leak.txt",
    "leakdir",
    "secret.txt",
    "feeds",
    "isis-defectors",
    "audio.mp3",
    "etc",
    "passwd",
    "%c0%ae",
    "~",
    ":",
    "C:",
    "index.html",
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("prop"))


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=12), noise=st.binary(max_size=8))
def test_any_path_resolves_inside(root: Path, pieces: list[str], noise: bytes) -> None:
    """Whatever the request path, the file it names (if any) is inside the served folder."""
    raw = b"/" + "".join(pieces).encode() + noise
    checked = _check_path(raw)
    if isinstance(checked, int):
        assert checked in (400, 404)
        return
    segments, _ = checked
    found = _locate(root.resolve(), segments)
    if found is not None:
        assert found.is_relative_to(root.resolve())
        assert not found.is_file() or found.read_bytes() != b"TOP SECRET"


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="bytes=0123456789-, \t", max_size=40),
        st.from_regex(r"\Abytes=[0-9]{0,25}-[0-9]{0,25}\Z"),
        st.text(max_size=30),
    ),
    st.integers(min_value=0, max_value=10**7),
)
def test_usable_ranges_are_single_and_bounded(header: str, size: int) -> None:
    """A header the gate lets through is one range Starlette answers with 206 or 416."""
    if not _usable_range(header):
        return
    try:
        ranges = FileResponse._parse_range_header(header, size)
    except RangeNotSatisfiable:
        return
    except MalformedRangeHeader as exc:  # the gate must never pass what Starlette rejects
        raise AssertionError(f"{header!r} passed the gate but Starlette says {exc}") from exc
    assert len(ranges) == 1
    start, end = ranges[0]
    assert 0 <= start < end <= size
