"""Test speech whose true turn boundaries are known, for measuring the aligner.

Each turn of a station transcript is spoken by flite (another engine than the aligner's
espeak-ng, with two of its voices for two speakers), its tempo changed by sox, with pauses
between turns; a condition may add a music bed under part of it, noise over all of it, or a
soundbite that is not in the text. The result is an MP3 (as stations publish) and the true
start of every turn. Used by tests/align and benchmarks/align.py.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stationcast.transcripts import Segment, Transcript

RATE = 16000  # flite's rate
VOICES = ("slt", "rms")  # two flite voices: the host, the guest
TOOLS = ("flite", "sox", "ffmpeg", "espeak-ng")


@dataclass(frozen=True)
class Condition:
    name: str
    tempo: float = 1.0  # sox tempo: 1.1 is 10% faster
    pause: float = 0.6  # silence between turns, seconds
    music: bool = False  # a music bed under the second and third turns
    noise: bool = False  # noise under everything, 25 dB below the speech
    soundbite: bool = False  # 5 s of speech that is not in the text, after the second turn
    intro: float = 0.0  # seconds of theme music (a chord) before the first turn


CONDITIONS = (
    Condition("clean"),
    Condition("fast", tempo=1.15),
    Condition("slow", tempo=0.88),
    Condition("long pauses", pause=2.5),
    Condition("music bed", music=True),
    Condition("noise", noise=True),
    Condition("soundbite not in text", soundbite=True),
    Condition("intro music (8 s)", intro=8.0),
)

SOUNDBITE = "Officials said on Tuesday that the talks would continue into next week."


#: sox effects for a sustained chord (A minor-ish), the length given after them.
_CHORD = ("synth", "sine", "220", "sine", "277", "sine", "330", "remix", "-", "trim", "0")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def _generate(target: Path, *effects: str) -> None:
    """A sound sox makes from nothing (`synth ...` and other effects), mono at RATE."""
    _run("sox", "-n", "-r", str(RATE), "-c", "1", str(target), *effects)


def _duration(wav: Path) -> float:
    out = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def make_speech(turns: list[str], condition: Condition, target: Path) -> list[float]:
    """Speak `turns` into the MP3 `target` under `condition`; the true start of each turn."""
    with tempfile.TemporaryDirectory(prefix="stationcast-speech-") as tmp:
        folder = Path(tmp)
        pieces: list[Path] = []
        starts: list[float] = []
        at = 0.0
        silence = folder / "pause.wav"
        _generate(silence, "trim", "0", str(condition.pause))
        if condition.intro:
            theme = folder / "intro.wav"
            _generate(theme, *_CHORD, str(condition.intro), "gain", "-12")
            pieces.append(theme)
            at += condition.intro

        def add(text: str, voice: str, name: str) -> float:
            nonlocal at
            raw = folder / f"{name}-raw.wav"
            wav = folder / f"{name}.wav"
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
            _run("flite", "-voice", voice, "-f", str(folder / f"{name}.txt"), "-o", str(raw))
            # the speech starts at its first sound: flite's leading silence trimmed off
            _run(
                "sox",
                str(raw),
                "-r",
                str(RATE),
                "-c",
                "1",
                str(wav),
                "silence",
                "1",
                "0.02",
                "1%",
                "tempo",
                "-s",
                str(condition.tempo),
            )
            begins = at
            pieces.append(wav)
            at += _duration(wav)
            pieces.append(silence)
            at += condition.pause
            return begins

        for n, text in enumerate(turns):
            starts.append(add(text, VOICES[n % 2], f"turn{n}"))
            if condition.soundbite and n == 1:
                add(SOUNDBITE, "awb", "soundbite")
        speech = folder / "speech.wav"
        _run("sox", *map(str, pieces), str(speech))
        total = _duration(speech)
        mixed = speech
        if condition.music or condition.noise:
            layers = [str(speech)]
            if condition.music:
                # a chord under the second and third turns, 15 dB down, as a music bed
                bed = folder / "bed.wav"
                a, b = starts[1], starts[3] if len(starts) > 3 else total
                _generate(
                    bed,
                    "synth",
                    str(total),
                    "sine",
                    "220",
                    "sine",
                    "277",
                    "sine",
                    "330",
                    "remix",
                    "-",
                    "gain",
                    "-18",
                    "trim",
                    "0",
                    str(total),
                )
                shaped = folder / "bed-shaped.wav"
                _run(
                    "sox",
                    str(bed),
                    str(shaped),
                    "trim",
                    "0",
                    str(b - a),
                    "pad",
                    str(a),
                    str(max(0.0, total - b)),
                )
                layers.append(str(shaped))
            if condition.noise:
                noise = folder / "noise.wav"
                _generate(
                    noise,
                    "synth",
                    str(total),
                    "pinknoise",
                    "gain",
                    "-28",
                )
                layers.append(str(noise))
            mixed = folder / "mixed.wav"
            _run("sox", "-m", *layers, str(mixed))
        _run(
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(mixed), "-b:a", "64k", str(target)
        )
    return starts


def turn_errors(
    turns: Sequence[Segment], condition: Condition, audio: Path, *, jobs: int = 1
) -> tuple[dict[int, float], tuple[int, ...]]:
    """`turns` spoken under `condition` into `audio` and aligned: each turn's start error in
    seconds (by its index), and the turns the aligner called doubtful."""
    from stationcast.align import align_transcript

    truth = make_speech([t.text for t in turns], condition, audio)
    alignment = align_transcript(
        Transcript(tuple(turns)),
        audio,
        "en-us",
        transcript_name="transcript.txt",
        transcript_sha256="-",
        audio_sha256="-",
        jobs=jobs,
    )
    found = [spans[0][0] for spans in alignment.segments if spans]
    errors = dict(enumerate(abs(a - b) for a, b in zip(found, truth, strict=True)))
    return errors, alignment.doubtful
