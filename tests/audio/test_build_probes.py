"""The build's own probe cache: a rebuild answers from it only while the audio is unchanged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stationcast.build import build_show
from support import EXAMPLE_SLUG, tree_digest

ID3V1 = b"TAG" + b"Replaced".ljust(30, b"\0") + b"\0" * 94 + b"\xff"  # 128 bytes, no genre


def test_rebuild_probes_a_replaced_audio_file_again(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audio replaced under the same name (a new file moved into place, as an upload does)
    is probed again: the rebuilt feed announces the new file's length, exactly as a build
    without any cache does."""
    monkeypatch.chdir(tmp_path)
    build_show(show, tmp_path / "feeds")
    audio = show / EXAMPLE_SLUG / "audio.mp3"
    old_size = audio.stat().st_size
    replacement = audio.with_name("upload.tmp")
    shutil.copyfile(audio, replacement)
    with open(replacement, "ab") as handle:
        handle.write(ID3V1)
    os.replace(replacement, audio)

    build_show(show, tmp_path / "feeds")

    feed = (tmp_path / "feeds" / "feed.xml").read_text(encoding="utf-8")
    assert f'length="{old_size + len(ID3V1)}"' in feed
    assert f'length="{old_size}"' not in feed
    build_show(show, tmp_path / "cold", cache=False)
    assert tree_digest(tmp_path / "feeds") == tree_digest(tmp_path / "cold")
