"""read_transcript: dispatch on extension, decoding, and the FORMATS table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stationcast import transcripts
from stationcast.errors import InputError
from stationcast.transcripts import FORMATS, WRITERS, Segment, read_transcript

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>Hi\n"
SRT = "1\n00:00:00,000 --> 00:00:01,000\nAnn: Hi\n"
JSON = (
    '{"version": "1.0.0", "segments": '
    '[{"speaker": "Ann", "startTime": 0, "endTime": 1, "body": "Hi"}]}'
)
TXT = "ANN: Hi"


@pytest.mark.parametrize(
    ("name", "content", "speaker"),
    [
        ("transcript.vtt", VTT, "Ann"),
        ("transcript.srt", SRT, "Ann"),
        ("transcript.json", JSON, "Ann"),
        ("transcript.txt", TXT, "ANN"),
        ("TRANSCRIPT.VTT", VTT, "Ann"),
    ],
)
def test_dispatch_on_extension(tmp_path: Path, name: str, content: str, speaker: str) -> None:
    """Each extension (any case) goes to its reader."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (seg,) = read_transcript(path).segments
    assert (seg.speaker, seg.text) == (speaker, "Hi")


def test_unknown_extension(tmp_path: Path) -> None:
    """An unknown extension is an InputError listing the supported ones."""
    path = tmp_path / "transcript.docx"
    path.write_bytes(b"x")
    with pytest.raises(InputError) as info:
        read_transcript(path, source="ep/transcript.docx")
    assert str(info.value) == (
        "ep/transcript.docx: transcript: unsupported transcript format '.docx'; "
        "expected one of .txt, .vtt, .srt, .json"
    )


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are an InputError naming line, column and byte."""
    path = tmp_path / "transcript.txt"
    path.write_bytes(b"KELLY: fine\n\nSMITH: caf\xe9\n")
    with pytest.raises(InputError) as info:
        read_transcript(path, source="t.txt")
    assert str(info.value) == (
        "t.txt:3:11: transcript: not valid UTF-8 (byte 0xE9); save the file as UTF-8"
    )


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    """A UTF-16 file with a BOM (Windows 'Unicode') is read."""
    path = tmp_path / "transcript.txt"
    path.write_bytes("KELLY: Grüße".encode("utf-16"))
    assert read_transcript(path).segments == (Segment("Grüße", "KELLY"),)


def test_empty_file_is_empty_transcript(tmp_path: Path) -> None:
    """An empty file gives an empty transcript (the build warns)."""
    path = tmp_path / "transcript.vtt"
    path.write_bytes(b"")
    assert read_transcript(path).segments == ()


def test_errors_name_the_path_by_default(tmp_path: Path) -> None:
    """Without source=, problems name the file's path."""
    path = tmp_path / "transcript.vtt"
    path.write_text("nope", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_transcript(path)
    assert info.value.problems[0].file == str(path)


def test_formats_table() -> None:
    """FORMATS names each format's extension, MIME type, timing need and rel."""
    table = {f.name: (f.extension, f.mime_type, f.timed, f.rel) for f in FORMATS.values()}
    assert table == {
        "html": (".html", "text/html", False, None),
        "vtt": (".vtt", "text/vtt", True, "captions"),
        "srt": (".srt", "application/x-subrip", True, "captions"),
        "json": (".json", "application/json", True, None),
        "text": (".txt", "text/plain", False, None),
    }
    assert set(WRITERS) == {"vtt", "srt", "json", "text"}


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A named pipe is refused before it is opened (opening it would block the build)."""
    path = tmp_path / "transcript.txt"
    os.mkfifo(path)
    with pytest.raises(InputError) as info:
        read_transcript(path, source="t.txt")
    assert str(info.value) == (
        "t.txt: transcript: is not a regular file (it is a FIFO (named pipe)); a transcript"
        " must be an ordinary file"
    )


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over MAX_BYTES is refused before it is read."""
    monkeypatch.setattr(transcripts, "MAX_BYTES", 10)
    path = tmp_path / "transcript.txt"
    path.write_bytes(b"KELLY: " + b"x" * 20_000_000)
    with pytest.raises(
        InputError, match="is 20,000,007 bytes; a transcript may be at most 10 bytes"
    ):
        read_transcript(path, source="t.txt")
