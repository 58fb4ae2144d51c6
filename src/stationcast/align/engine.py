"""The aligner's signal part: speak the text, describe both sounds, warp one onto the other.

Forced alignment of known text needs no speech recogniser. Each sentence is spoken by
espeak-ng (a Debian package, run as a program), so the synthetic speech has known sentence
boundaries; both it and the episode's audio (decoded by ffmpeg) become MFCC frames (librosa,
the optional `align` extra); dynamic time warping finds the cheapest monotonic path between
the two frame sequences, and the path carries each synthetic boundary onto the audio.

The warping is confined to a band around the diagonal, so memory grows with the length of the
audio times the band, not with its square; within the band a row's horizontal steps are one
running minimum (see `_warp`), so each frame of synthetic speech costs a few array operations.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stationcast.errors import StationcastError

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Both sounds are compared at espeak-ng's own rate, so the synthetic speech needs no resampling.
RATE = 22050
#: One MFCC frame every 40 ms (882 samples): the resolution of every time the aligner gives.
HOP = 882
FRAME = HOP / RATE
#: Synthetic speech's words per minute; close to a newsreader's, so the warp bends little.
SPEED = 165
#: The band the warp may leave the diagonal by: a tenth of the audio, at least 15 s, at most 45 s.
BAND_SHARE = 0.1
BAND_MIN = round(15 / FRAME)
BAND_MAX = round(45 / FRAME)
#: A sentence's first frame matched to more audio than this (seconds) marks audio not in the
#: text before the sentence (see align_sentences).
HELD = 0.6
#: What a frame of sound the text does not have costs where the synthetic speech pauses
#: (between a matched frame's distance and an unrelated one's, for normalised MFCCs).
GAP_COST = 4.2
#: What holding a synthetic frame of speech over one more frame of audio costs besides its
#: distance: enough that unrelated sound goes to a pause rather than into a sentence.
HOLD_COST = 0.5
#: Silence after each synthetic sentence, as a speaker pauses between sentences.
PAUSE = 0.25


#: The share of an episode's work done when its sentences are spoken, and when its audio
#: is read (the warp does the rest): for a progress bar, measured on the example and an hour.
SPEAKING = 0.35
READING = 0.5

#: Told of each step of the work and how much of it is done (0 to 1).
Progress = Callable[[str, float], None]


class AlignError(StationcastError):
    """The aligner cannot run here (a missing program or library) or cannot read the audio."""


@dataclass(frozen=True)
class Spans:
    """Where each sentence lies in the audio (seconds), and how far its length there is from
    what its synthetic length leads one to expect."""

    times: list[tuple[float, float]]
    # How much longer the sentence lasts in the audio than spoken by espeak-ng, over the
    # same ratio of the typical sentence: far from 1, audio not in the text was taken for it
    # (or it was squeezed), and its time is doubtful.
    stretch: list[float]
    # Seconds of sound (not silence) in the audio after each sentence that the warp passed
    # over in its synthetic pause: music, or words the text does not have.
    unsaid_after: list[float] = field(default_factory=list)


def tools() -> str:
    """What does the work, for the alignment file: e.g. 'espeak-ng 1.51, librosa 0.11.0'."""
    import librosa

    return f"espeak-ng {_espeak_version()}, librosa {getattr(librosa, '__version__', '?')}"


def check_tools() -> None:
    """Raise AlignError naming what is missing: espeak-ng, ffmpeg, or the `align` extra."""
    missing = [name for name in ("espeak-ng", "ffmpeg") if shutil.which(name) is None]
    if missing:
        raise AlignError(
            f"stationcast align needs {' and '.join(missing)}: install the Debian package"
            f"{'s' if len(missing) > 1 else ''} ({' '.join(missing)}), or your system's"
        )
    try:
        import librosa  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as exc:
        raise AlignError(
            "stationcast align needs the `align` extra (librosa and numpy):"
            " pip install 'stationcast[align]' (or uv sync --extra align)"
        ) from exc


def align_sentences(
    sentences: Sequence[str],
    audio: Path,
    voice: str,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Spans:
    """The start and end in `audio` of each of `sentences` (in order, all spoken there).
    `progress` hears of each step and of how much of the work is done (0 to 1)."""
    import numpy as np

    def told(step: str, done: float) -> None:
        if progress:
            progress(step, done)

    speaking = f"speaking {len(sentences)} sentences"
    told(speaking, 0.0)
    spoken = _speak_all(
        sentences, voice, jobs, lambda n: told(speaking, SPEAKING * n / len(sentences))
    )
    told("reading the audio", SPEAKING)
    samples = decode(audio)
    real = _features(samples)
    loud = _sounding(samples, real.shape[1])
    del samples  # (the warp needs only the frames)
    # a frame of silence before the first sentence, which can be held over an intro (music,
    # a station ID): one frame, as the path passes every synthetic frame at least once
    lead = _features(np.zeros(2 * HOP, dtype=np.float32))[:, :1]
    parts = [_features(y) for y in spoken]
    bounds = np.cumsum([lead.shape[1], *(p.shape[1] for p in parts)])
    synth = np.concatenate([lead, *parts], axis=1)
    # the pause frames: where the warp may pass over sound the text does not have
    tail = max(1, round(PAUSE / FRAME) - 2)
    gaps = np.zeros(synth.shape[1], dtype=bool)
    gaps[: lead.shape[1]] = True
    speech_ends = []
    for k in range(len(sentences)):
        a, b = int(bounds[k]), int(bounds[k + 1])
        e = max(a, b - tail)
        gaps[e:b] = True
        speech_ends.append(e)
    told("aligning", READING)
    path = _warp(
        _normalise(synth),
        _normalise(real),
        gaps,
        GAP_COST,
        lambda part: told("aligning", READING + (1 - READING) * part),
    )
    first = np.full(synth.shape[1], -1, dtype=np.int64)
    last = np.full(synth.shape[1], -1, dtype=np.int64)
    for i, j in path:
        if first[i] < 0:
            first[i] = j
        last[i] = j
    times = []
    ratios = []
    for k in range(len(sentences)):
        a, b = int(bounds[k]), int(bounds[k + 1])
        if b <= a:  # (a sentence espeak gave no sound for: at the point it would be)
            at = float(first[a] if a < len(first) else real.shape[1]) * FRAME
            times.append((at, at))
            ratios.append(1.0)
            continue
        # A sentence's first sound held over a long stretch of the audio means audio that is
        # not in the text (a soundbite, music) before it: the sentence starts after it.
        held = last[a] - first[a]
        start = float(last[a] if held * FRAME > HELD else first[a]) * FRAME
        e = speech_ends[k]
        end = float(first[e] if e < b else last[b - 1] + 1) * FRAME
        end = max(start, end)
        times.append((start, end))
        ratios.append(max(end - start, FRAME) / (max(1, e - a) * FRAME))
    typical = float(np.median(ratios)) if ratios else 1.0
    stretch = [r / typical for r in ratios]
    times = [(round(start, 3), round(end, 3)) for start, end in times]

    sounding = np.concatenate([[0], np.cumsum(loud)])

    def sound_held(rows: range) -> float:
        """Seconds of sound (not silence) in the audio the synthetic pause `rows` spans (the
        path is monotonic: the audio frames of consecutive rows are one run)."""
        if not rows or first[rows.start] < 0:
            return 0.0
        return round(
            float(sounding[last[rows.stop - 1] + 1] - sounding[first[rows.start]]) * FRAME, 2
        )

    after = [sound_held(range(speech_ends[k], int(bounds[k + 1]))) for k in range(len(sentences))]
    return Spans(times, [round(x, 3) for x in stretch], after)


# -- sound ------------------------------------------------------------------------------


def _espeak_version() -> str:
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=False)
    words = out.stdout.split()
    return next((w for w in words if w[:1].isdigit()), "unknown")


def _speak_all(
    sentences: Sequence[str], voice: str, jobs: int, spoken: Callable[[int], None]
) -> list[NDArray[Any]]:
    """Each sentence spoken, `jobs` espeak-ng processes at a time; `spoken(n)` after each."""
    with tempfile.TemporaryDirectory(prefix="stationcast-align-") as tmp:
        folder = Path(tmp)
        done = 0
        lock = threading.Lock()

        def speak(index: int) -> NDArray[Any]:
            nonlocal done
            sound = _speak(sentences[index], voice, folder / f"{index}.wav")
            with lock:
                done += 1
                spoken(done)
            return sound

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            return list(pool.map(speak, range(len(sentences))))


def _speak(text: str, voice: str, wav: Path) -> NDArray[Any]:
    """`text` spoken by espeak-ng at RATE, followed by PAUSE of silence."""
    import numpy as np
    import soundfile

    # The text goes in on stdin: never as an argument espeak-ng could read as an option.
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(SPEED), "-w", str(wav), "--stdin"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0 or not wav.exists():
        detail = result.stderr.decode("utf-8", "replace").strip()[:200]
        raise AlignError(f"espeak-ng could not speak with the voice {voice!r}: {detail}")
    y, rate = soundfile.read(str(wav), dtype="float32", always_2d=False)
    if rate != RATE:
        import librosa

        y = librosa.resample(y, orig_sr=rate, target_sr=RATE)
    pause = np.zeros(round(PAUSE * RATE), dtype=np.float32)
    return np.concatenate([np.asarray(y, dtype=np.float32), pause])


def decode(audio: Path) -> NDArray[Any]:
    """The audio file as mono samples at RATE (ffmpeg reads every format stationcast takes)."""
    import numpy as np

    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(audio), "-vn", "-ac", "1"]
        + ["-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[:300]
        raise AlignError(f"ffmpeg could not decode {audio}: {detail}")
    return np.frombuffer(result.stdout, dtype=np.float32)


#: The audio is described a minute at a time: the spectrogram of an hour at once would
#: need 0.7 GB; the mel bands of each frame do not depend on the frames around it.
BLOCK_FRAMES = 1500
N_FFT = 2048


def _features(y: NDArray[Any]) -> NDArray[Any]:
    """13 MFCCs a frame but the first (loudness), as aligners of speech use them: the same
    frames as librosa's centred analysis of the whole sound, computed block by block."""
    import librosa
    import numpy as np

    if len(y) < HOP:
        return np.zeros((12, 0))
    frames = 1 + len(y) // HOP
    half = N_FFT // 2
    blocks = []
    for first in range(0, frames, BLOCK_FRAMES):
        count = min(BLOCK_FRAMES, frames - first)
        # frame f covers samples [f * HOP - half, f * HOP + half): zeros beyond the ends, as
        # centring pads them (without a padded copy of the whole sound)
        begin, end = first * HOP - half, (first + count - 1) * HOP + half
        piece = y[max(0, begin) : min(len(y), end)]
        if begin < 0 or end > len(y):
            piece = np.pad(piece, (max(0, -begin), max(0, end - len(y))))
        blocks.append(
            librosa.feature.melspectrogram(
                y=piece,
                sr=RATE,
                n_fft=N_FFT,
                win_length=2 * HOP,
                hop_length=HOP,
                n_mels=40,
                center=False,
            )
        )
    mel = np.concatenate(blocks, axis=1)
    m = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=13)
    return np.asarray(m[1:], dtype=np.float64)


#: A frame this much quieter than the audio's typical frame (dB) is silence (or a noise floor).
QUIET_DB = 15.0


def _sounding(y: NDArray[Any], frames: int) -> NDArray[Any]:
    """Per MFCC frame, whether the audio sounds there (is not silence or a noise floor)."""
    import numpy as np

    count = min(frames, len(y) // HOP)
    db = np.full(frames, -120.0)
    for first in range(0, count, BLOCK_FRAMES):  # (a block at a time: an hour is 0.3 GB)
        last = min(count, first + BLOCK_FRAMES)
        block = y[first * HOP : last * HOP].reshape(last - first, HOP)
        power = np.einsum("ij,ij->i", block, block, dtype=np.float64) / HOP
        db[first:last] = 10 * np.log10(power + 1e-12)
    if count == 0:
        return np.zeros(frames, dtype=bool)
    loud: NDArray[Any] = db > float(np.median(db[:count])) - QUIET_DB
    return loud


def _normalise(f: NDArray[Any]) -> NDArray[Any]:
    """Each coefficient to zero mean and unit variance over the sound (channel differences)."""
    import numpy as np

    if f.shape[1] == 0:
        return f
    std = f.std(axis=1, keepdims=True)
    normal: NDArray[Any] = (f - f.mean(axis=1, keepdims=True)) / np.where(std > 0, std, 1.0)
    return normal


# -- the warp ---------------------------------------------------------------------------


def _warp(
    synth: NDArray[Any],
    real: NDArray[Any],
    gaps: NDArray[Any] | None = None,
    gap_cost: float = 0.0,
    done: Callable[[float], None] | None = None,
) -> list[tuple[int, int]]:
    """The cheapest monotonic path from (0, 0) to (n-1, m-1) through the frame distances,
    within a band around the diagonal: its (synthetic frame, real frame) steps.

    Row i (a synthetic frame) is reached from row i-1 straight down or diagonally, and within
    the row by horizontal steps (the audio going on while the synthetic speech holds a sound:
    a slower speaker, a pause). With A the arrivals from above and P the running sum of the
    row's distances, the row is P + running minimum of (A - P): no loop over its cells.
    """
    import numpy as np

    n, m = synth.shape[1], real.shape[1]
    if n == 0 or m == 0:
        return []
    band = int(min(BAND_MAX, max(BAND_MIN, BAND_SHARE * m)))
    centre = (np.arange(n) * (m - 1) / max(1, n - 1)).astype(np.int64)
    lows = np.clip(centre - band, 0, m - 1)
    highs = np.clip(centre + band + 1, 1, m)
    lows[0] = 0  # the path starts at (0, 0) and ends at (n-1, m-1)
    highs[-1] = m
    real_t = real.T
    inf = np.inf
    # per row, for each cell: where its horizontal run started, +1, negated when that cell
    # was reached diagonally (else from above): two bytes a cell of the band
    trail: list[NDArray[Any]] = []
    previous = np.empty(0)
    prev_low = 0
    every = max(1, n // 100)
    for i in range(n):
        if done and i % every == 0:
            done(i / n)
        low, high = int(lows[i]), int(highs[i])
        d = np.sqrt(((real_t[low:high] - synth[:, i]) ** 2).sum(axis=1))
        width = high - low
        if i == 0:
            arrive = np.full(width, inf)
            arrive[0] = d[0]
            diag = np.zeros(width, dtype=bool)
        else:
            # D[i-1, j] (from above) and D[i-1, j-1] (diagonal), j in [low, high)
            above = np.full(width, inf)
            left = np.full(width, inf)
            a0, a1 = max(low, prev_low), min(high, prev_low + len(previous))
            if a1 > a0:
                above[a0 - low : a1 - low] = previous[a0 - prev_low : a1 - prev_low]
            b0, b1 = max(low, prev_low + 1), min(high, prev_low + len(previous) + 1)
            if b1 > b0:
                left[b0 - low : b1 - low] = previous[b0 - 1 - prev_low : b1 - 1 - prev_low]
            diag = left < above
            arrive = np.where(diag, left, above) + d
        h = np.minimum(d, gap_cost) if gaps is not None and gaps[i] else d + HOLD_COST
        running = np.cumsum(h)  # P[j]: the row's distances up to j
        shifted = arrive - running
        best = np.minimum.accumulate(shifted)
        starts = np.maximum.accumulate(np.where(shifted == best, np.arange(width), 0))
        marks = (starts + 1).astype(np.int16)
        trail.append(np.where(diag[starts], -marks, marks).astype(np.int16))
        previous = running + best
        prev_low = low
    if not np.isfinite(previous[-1]):
        raise AlignError("the text and the audio could not be aligned (no path within the band)")
    # back from (n-1, m-1)
    steps: list[tuple[int, int]] = []
    i, j = n - 1, m - 1
    while i >= 0:
        low = int(lows[i])
        k = j - low
        mark = int(trail[i][k])
        start = abs(mark) - 1
        steps.extend((i, low + t) for t in range(k, start - 1, -1))
        j = low + start
        if i == 0:
            break
        if mark < 0:
            j -= 1
        i -= 1
    steps.reverse()
    return steps
