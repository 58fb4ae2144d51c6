"""ProbeCache: unchanged files are not reopened, changed files always are."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from stationcast.media import AudioInfo, ProbeCache, probe_audio

from .conftest import AUDIO_DATA


class CountingCache(ProbeCache):
    """A ProbeCache that counts how often it really opens and parses a file."""

    opened = 0

    def _probe_uncached(self, path: Path) -> tuple[AudioInfo, os.stat_result]:
        self.opened += 1
        return super()._probe_uncached(path)


@pytest.fixture
def episode(tmp_path: Path) -> Path:
    """A private copy of a fixture that tests may touch, rewrite or hide."""
    copy = tmp_path / "episode" / "audio.mp3"
    copy.parent.mkdir()
    shutil.copyfile(AUDIO_DATA / "chapters-cover-22050-mono.mp3", copy)
    return copy


def test_second_probe_of_an_unchanged_file_does_not_reopen_it(episode: Path) -> None:
    """The second probe is answered from the cache: the file is parsed once."""
    cache = CountingCache()
    first = cache.probe(episode)
    second = cache.probe(episode)
    assert first == second == probe_audio(episode)
    assert cache.opened == 1


def test_cached_answer_survives_the_file_becoming_unopenable(
    episode: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proof by denial: after the first probe, opening files fails, yet the cache answers
    (stat still works, and stat is all a cache hit needs)."""
    cache = ProbeCache()
    first = cache.probe(episode)

    def deny(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("stationcast.media.probe.os.open", deny)
    assert cache.probe(episode) == first


def test_touched_file_is_probed_again(episode: Path) -> None:
    """A new modification time invalidates the entry."""
    cache = CountingCache()
    cache.probe(episode)
    st = episode.stat()
    os.utime(episode, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    cache.probe(episode)
    assert cache.opened == 2


def test_replaced_file_is_probed_again(episode: Path) -> None:
    """A different file moved into place (new size) gives the new file's answer."""
    cache = ProbeCache()
    assert cache.probe(episode).format == "mp3"
    replacement = episode.with_name("new.m4a")
    shutil.copyfile(AUDIO_DATA / "aac-44100-stereo.m4a", replacement)
    os.replace(replacement, episode)
    assert cache.probe(episode).format == "m4a"


def test_same_size_same_mtime_rewrite_is_caught_with_verify_hash(episode: Path) -> None:
    """Content rewritten in place with the old size and mtime restored (as `cp -p` or
    `rsync -t` can do) is caught when verify_hash is on."""
    cache = CountingCache(verify_hash=True)
    cache.probe(episode)
    st = episode.stat()
    data = bytearray(episode.read_bytes())
    data[-1] ^= 0xFF
    with open(episode, "r+b") as handle:  # same inode, same size
        handle.write(data)
    os.utime(episode, ns=(st.st_atime_ns, st.st_mtime_ns))
    cache.probe(episode)
    assert cache.opened == 2


def test_deleted_file_is_not_answered_from_the_cache(episode: Path) -> None:
    """A file that vanished gives the probe's error, not a stale answer."""
    from stationcast.errors import AudioError

    cache = ProbeCache()
    cache.probe(episode)
    episode.unlink()
    assert cache.get(episode) is None
    with pytest.raises(AudioError, match="audio file not found"):
        cache.probe(episode)


def test_cache_file_round_trip(episode: Path, tmp_path: Path) -> None:
    """save() then load() restores equal entries, and a fresh process need not reopen."""
    cache_file = tmp_path / "cache" / "probe.json"
    cache = ProbeCache(cache_file)
    info = cache.probe(episode)
    cache.save()
    reloaded = CountingCache.load(cache_file)
    assert reloaded.probe(episode) == info
    assert reloaded.opened == 0


def test_saved_file_is_deterministic_and_sorted(tmp_path: Path) -> None:
    """Saving the same entries twice writes the same bytes, keys sorted."""
    files = [AUDIO_DATA / n for n in ("pcm-8000-mono.wav", "aac-44100-stereo.m4a")]
    outputs = []
    for order in (files, files[::-1]):
        cache = ProbeCache(tmp_path / f"c{len(outputs)}.json")
        for path in order:
            cache.probe(path)
        cache.save()
        outputs.append(cache.file.read_bytes() if cache.file else b"")
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", json.dumps({"format": 999, "entries": {}}), json.dumps({"format": 1})],
)
def test_unusable_cache_file_starts_empty(tmp_path: Path, content: str) -> None:
    """A corrupt, foreign or other-version cache file is ignored, never trusted."""
    cache_file = tmp_path / "probe.json"
    cache_file.write_text(content)
    assert len(ProbeCache.load(cache_file)) == 0


def test_missing_cache_file_starts_empty(tmp_path: Path) -> None:
    """Loading a cache that was never saved is not an error."""
    assert len(ProbeCache.load(tmp_path / "absent.json")) == 0


def test_save_without_a_file_is_an_error() -> None:
    """An in-memory cache cannot be saved."""
    with pytest.raises(ValueError, match="no file"):
        ProbeCache().save()


def test_concurrent_probes_agree(tmp_path: Path) -> None:
    """Many threads probing through one cache (as a parallel build does) get the same
    answers as direct probes, and the saved file holds every entry."""
    from concurrent.futures import ThreadPoolExecutor

    files = sorted(p for p in AUDIO_DATA.iterdir() if not p.name.startswith("bad-"))
    cache = ProbeCache(tmp_path / "probe.json")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(cache.probe, files * 4))
    assert results == [probe_audio(p) for p in files] * 4
    cache.save()
    assert len(ProbeCache.load(tmp_path / "probe.json")) == len(files)


def test_verify_hash_round_trip(episode: Path, tmp_path: Path) -> None:
    """With verify_hash, a saved and reloaded cache still answers without reopening."""
    cache = ProbeCache(tmp_path / "probe.json", verify_hash=True)
    info = cache.probe(episode)
    cache.save()
    reloaded = CountingCache.load(tmp_path / "probe.json", verify_hash=True)
    assert reloaded.probe(episode) == info
    assert reloaded.opened == 0


@pytest.mark.parametrize("info", [None, [], {"size": 1}, {"chapters": [{"x": 1}]}])
def test_damaged_entry_is_probed_again(episode: Path, tmp_path: Path, info: object) -> None:
    """An entry whose info is damaged (hand-edited, truncated) is ignored and re-probed."""
    cache_file = tmp_path / "probe.json"
    cache = ProbeCache(cache_file)
    expected = cache.probe(episode)
    cache.save()
    data = json.loads(cache_file.read_text())
    (entry,) = data["entries"].values()
    entry["info"] = info
    cache_file.write_text(json.dumps(data))
    reloaded = CountingCache.load(cache_file)
    assert reloaded.probe(episode) == expected
    assert reloaded.opened == 1


def test_entry_that_is_not_an_object_is_ignored(episode: Path, tmp_path: Path) -> None:
    """An entry that is not even a JSON object does not break the lookup."""
    cache_file = tmp_path / "probe.json"
    cache = ProbeCache(cache_file)
    cache.probe(episode)
    cache.save()
    data = json.loads(cache_file.read_text())
    data["entries"] = {key: "garbage" for key in data["entries"]}
    cache_file.write_text(json.dumps(data))
    assert ProbeCache.load(cache_file).get(episode) is None
