"""A synthetic show in stationcast's own manifest format, seeded and reproducible.

`make_show(root, episodes, seed)` writes root/show.yaml, root/artwork.jpg and one folder per
episode: episode.yaml (two credited people), transcript.txt (station text of 800-9,000 words,
exponentially distributed with a mean of about 3,000, turns of 20-120 words among five speaker
labels) and audio.mp3, a hard link of one MP3 of the chosen kind (`AUDIO_KINDS`):

    example      the example show's own audio.mp3: 3.7 min, 40 kb/s CBR, no Xing/Info header
                 (like the files many broadcast automation systems and older encoders write)
    hour-cbr     a 1-hour 128 kb/s CBR MP3 without a header (a 12 s lame encoding repeated)
    vbr-header   a 3.7-min VBR MP3 (lame -V 5) with its Xing/LAME header
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "episodes"
WORDS = (  # noqa: SIM905 (the word list reads better as prose than as 79 lines)
    "the a of to and in that is for it on with as was he she they we said about report city "
    "council budget school county state station listeners program music story interview "
    "federal vote election water river storm farm hospital teachers students court judge "
    "governor mayor police community history family weather market jobs housing transit "
    "research university scientists climate energy coast health care public radio news "
    "morning evening today yesterday week year people years time government plan money"
).split()
CUES = ("(LAUGHTER)", "(SOUNDBITE OF MUSIC)", "(APPLAUSE)", "(CROSSTALK)")
FIRST = ("Maria", "James", "Aisha", "Tomas", "Li", "Fatima", "Daniel", "Grace", "Omar", "Nina")
LAST = (
    "Lopez",
    "Nguyen",
    "Okafor",
    "Smith",
    "Kowalski",
    "Haddad",
    "Berg",
    "Tanaka",
    "Reyes",
    "Moreau",
)

SHOW_HOSTS = """hosts:
  - {name: Kelly McEvers, role: host, speaker: MCEVERS}
  - {name: Ari Shapiro, role: host, speaker: [ARI SHAPIRO, SHAPIRO]}
"""


AUDIO_KINDS = ("example", "hour-cbr", "vbr-header")


def make_audio(path: Path, kind: str = "example") -> None:
    """One MP3 of `kind` (see the module's docstring) at `path`."""
    if kind == "example":
        shutil.copyfile(EXAMPLE / "islamic-state-defectors" / "audio.mp3", path)
        return
    wav = path.with_suffix(".wav")
    if kind == "hour-cbr":
        synth = ["synth", "12", "sine", "200-2000", "pinknoise", "mix", "vol", "0.4"]
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", str(wav), *synth], check=True)
        part = path.with_suffix(".part")
        subprocess.run(["lame", "--quiet", "-t", "-b", "128", str(wav), str(part)], check=True)
        path.write_bytes(part.read_bytes() * 300)  # CBR frames: concatenated, still one stream
        part.unlink()
    elif kind == "vbr-header":
        synth = ["synth", "223", "sine", "200-2000", "pinknoise", "mix", "vol", "0.4"]
        subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", str(wav), *synth], check=True)
        subprocess.run(["lame", "--quiet", "-V", "5", str(wav), str(path)], check=True)
    else:
        raise ValueError(f"unknown audio kind {kind!r}; one of {', '.join(AUDIO_KINDS)}")
    wav.unlink()


def _words(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choices(WORDS, k=n))
    return text[:1].upper() + text[1:] + "."


def transcript(rng: random.Random, guest: str, reporter: str) -> tuple[str, int]:
    total = int(min(9000, max(800, rng.expovariate(1 / 3000))))
    labels = ["MCEVERS", "SHAPIRO", guest.upper(), guest.split()[-1].upper(), reporter.upper()]
    paragraphs = [_words(rng, rng.randint(20, 60))]  # the host's unlabelled introduction
    written = 0
    while written < total:
        n = rng.randint(20, 120)
        text = _words(rng, n)
        if rng.random() < 0.05:
            text += " " + rng.choice(CUES)
        paragraphs.append(f"{rng.choice(labels)}: {text}")
        written += n
    return "\n\n".join(paragraphs) + "\n", written


def episode_yaml(
    rng: random.Random, index: int, guest: str, reporter: str, published: datetime
) -> str:
    guid = uuid.UUID(int=rng.getrandbits(128), version=4)
    return f"""title: Segment {index} - {_words(rng, 6)[:-1]}
guid: {guid}
published: {published.isoformat()}
summary: {_words(rng, 40)}
audio: audio.mp3
transcript:
  file: transcript.txt
  credit: Transcript provided by the station.
credits:
  - {{name: {guest}, role: guest, speaker: [{guest.upper()}, {guest.split()[-1].upper()}]}}
  - {{name: {reporter}, role: reporter, speaker: {reporter.upper()}}}
"""


def make_episode(root: Path, rng: random.Random, index: int, audio: Path) -> None:
    slug = f"segment-{index:05d}"
    folder = root / slug
    folder.mkdir()
    guest = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    reporter = f"{rng.choice(FIRST)} {rng.choice(LAST)}x"
    published = datetime(2014, 1, 1, 6, tzinfo=UTC) + timedelta(
        hours=7 * index, minutes=rng.randint(0, 59)
    )
    (folder / "episode.yaml").write_text(episode_yaml(rng, index, guest, reporter, published))
    (folder / "transcript.txt").write_text(transcript(rng, guest, reporter)[0])
    os.link(audio, folder / "audio.mp3")


def make_show(root: Path, episodes: int, seed: int = 20260101, audio_kind: str = "example") -> None:
    root.mkdir(parents=True)
    show = (EXAMPLE / "show.yaml").read_text()
    (root / "show.yaml").write_text(show + SHOW_HOSTS)
    shutil.copyfile(EXAMPLE / "artwork.jpg", root / "artwork.jpg")
    audio = root.parent / f"{root.name}-source.mp3"
    if not audio.exists():
        make_audio(audio, audio_kind)
    rng = random.Random(seed)
    for index in range(1, episodes + 1):
        make_episode(root, rng, index, audio)


def add_episode(root: Path, index: int, seed: int = 7) -> None:
    """One more episode (the newest), as a producer would add it."""
    audio = root.parent / f"{root.name}-source.mp3"
    make_episode(root, random.Random(seed * 1_000_003 + index), index, audio)


def edit_transcript(root: Path, index: int) -> Path:
    """Fix a word in one episode's transcript (a producer's typo fix)."""
    path = root / f"segment-{index:05d}" / "transcript.txt"
    text = path.read_text()
    path.write_text(text.replace(" the ", " THE ", 1))
    return path


if __name__ == "__main__":
    import sys

    make_show(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 100,
        audio_kind=sys.argv[3] if len(sys.argv) > 3 else "example",
    )
