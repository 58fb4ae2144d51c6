"""The aligner's signal parts on their own: features block by block, the banded warp."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy", reason="the `align` extra is not installed")
librosa = pytest.importorskip("librosa", reason="the `align` extra (librosa) is not installed")

from stationcast.align import engine  # noqa: E402


def test_features_block_by_block_are_librosas_of_the_whole_sound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bounded memory changes nothing: the MFCCs equal librosa's of the whole sound."""
    rng = np.random.default_rng(7)
    y = (rng.standard_normal(engine.RATE * 9) * np.sin(np.arange(engine.RATE * 9) / 900)).astype(
        np.float32
    )
    monkeypatch.setattr(engine, "BLOCK_FRAMES", 37)  # many blocks, one short at the end
    blocked = engine._features(y)
    whole = librosa.feature.mfcc(
        y=y,
        sr=engine.RATE,
        n_mfcc=13,
        n_fft=engine.N_FFT,
        win_length=2 * engine.HOP,
        hop_length=engine.HOP,
        n_mels=40,
    )[1:]
    assert blocked.shape == whole.shape
    assert np.abs(blocked - whole).max() < 1e-3


def test_the_warp_follows_a_sound_played_slower_with_a_pause() -> None:
    """A sequence warped by a known map (every frame twice, then a pause) is warped back."""
    rng = np.random.default_rng(3)
    synth = rng.standard_normal((12, 200))
    stretched = np.repeat(synth, 2, axis=1)
    pause = np.zeros((12, 60))
    real = np.concatenate([stretched[:, :200], pause, stretched[:, 200:]], axis=1)
    path = engine._warp(synth, real)
    first = {}
    for i, j in path:
        first.setdefault(i, j)
    assert path[0] == (0, 0) and path[-1] == (199, real.shape[1] - 1)
    assert all(b >= a for (_, a), (_, b) in zip(path, path[1:], strict=False))
    assert abs(first[50] - 100) <= 1 and abs(first[150] - 360) <= 1
