"""Property tests: no input makes a reader fail with anything but our InputError."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.errors import InputError
from stationcast.transcripts import (
    Transcript,
    parse_json,
    parse_srt,
    parse_station_text,
    parse_vtt,
    read_transcript,
    write_json,
    write_srt,
    write_vtt,
)

PROPERTY = settings(
    max_examples=int(os.environ.get("STATIONCAST_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

READERS: dict[str, Callable[..., Transcript]] = {
    "txt": parse_station_text,
    "vtt": parse_vtt,
    "srt": parse_srt,
    "json": parse_json,
}

# Fragments of every format, so random inputs get past the first checks.
FRAGMENTS = [
    "WEBVTT\n\n",
    "WEBVTT\n",
    "NOTE x\n\n",
    "1\n",
    "00:00:01.000 --> 00:00:02.000\n",
    "00:01.000 --> 00:00.500\n",
    "00:00:01,000 --> 00:00:02,000\n",
    "99:59:59.999 --> 100:00:00.000 align:start\n",
    "<v Ann>",
    "<v>",
    "</v>",
    "<c.x>",
    "&amp;",
    "&#x0;",
    "&#1114112;",
    "\n\n",
    "\r\n",
    "\r",
    "KELLY: ",
    "(LAUGHTER)",
    '{"version": "1.0.0", "segments": [',
    '{"body": "x", "startTime": 1, "endTime": 0}',
    '{"speaker": 1}',
    "]}",
    ",",
    "\ud800",
    "\x00",
    "\ufeff",
    "-->",
    "1e999",
    "NaN",
]
INPUTS = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS)), max_size=12).map(
    "".join
)


@pytest.mark.parametrize("fmt", sorted(READERS))
@PROPERTY
@given(text=INPUTS)
def test_any_text_parses_or_raises_input_error(fmt: str, text: str) -> None:
    """Any text, however broken, gives a Transcript or an InputError naming the source."""
    try:
        result = READERS[fmt](text, source="t")
    except InputError as exc:
        assert exc.problems
        assert all(p.file == "t" and p.field == "transcript" for p in exc.problems)
    else:
        assert isinstance(result, Transcript)


def _sample() -> Transcript:
    return parse_vtt(
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\n<v Ann &amp; Bob>Tom &lt;3 Jerry\n\n"
        "2\n00:00:01.500 --> 00:00:02.000\n(LAUGHTER)\n\n"
        "3\n00:00:02.000 --> 01:00:02.000\n<v Émile>Ça va? 👩🏽‍🚀 שלום\n"
    )


@pytest.mark.parametrize(
    ("fmt", "write"),
    [("vtt", write_vtt), ("srt", write_srt), ("json", write_json)],
)
@PROPERTY
@given(data=st.data())
def test_truncated_files_parse_or_raise_input_error(
    fmt: str, write: Callable[[Transcript], str], data: st.DataObject
) -> None:
    """A written file cut anywhere (a half-uploaded transcript) parses or raises InputError."""
    full = write(_sample())
    cut = data.draw(st.integers(0, len(full)))
    with contextlib.suppress(InputError):
        READERS[fmt](full[:cut], source="t")


@pytest.mark.parametrize("fmt", sorted(READERS))
@PROPERTY
@given(raw=st.binary(max_size=200))
def test_any_bytes_read_or_raise_input_error(fmt: str, raw: bytes, tmp_path: Path) -> None:
    """Any bytes in a transcript file give a Transcript or an InputError, never a crash."""
    path = tmp_path / f"transcript.{fmt}"
    path.write_bytes(raw)
    with contextlib.suppress(InputError):
        read_transcript(path, source="t")


_VTT_HEAD = "WEBVTT\n\n00:00.000 --> 00:01.000\n"
_SRT_HEAD = "1\n00:00:00,000 --> 00:00:01,000\n"


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("vtt", _VTT_HEAD + "<" * 1_000_000),
        ("vtt", _VTT_HEAD + "<v " * 330_000),
        ("vtt", _VTT_HEAD + "&amp" * 250_000),
        ("vtt", _VTT_HEAD + "a --" * 250_000),
        ("srt", _SRT_HEAD + "<font " * 160_000),
        ("srt", _SRT_HEAD + "A " * 500_000 + ": x"),
        ("json", '{"segments": [{"body": "' + "\\u00e9" * 160_000 + '"}]}'),
    ],
    ids=["vtt-lt", "vtt-open-voice", "vtt-entities", "vtt-dashes", "srt-font", "srt-caps", "json"],
)
def test_one_megabyte_cue_parses_quickly(fmt: str, text: str) -> None:
    """A ~1 MB single cue of hostile text parses well under a second (measured: < 0.1 s)."""
    began = time.perf_counter()
    READERS[fmt](text)
    assert time.perf_counter() - began < 5  # a guard against catastrophic regexes, not a benchmark
