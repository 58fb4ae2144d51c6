#!/usr/bin/env python3
"""Remake the example show's media: the episode's synthetic audio and the show's artwork.

The seed segment (an NPR interview aired on WUNC) came as a web page with a transcript and no
audio, so the example episode's audio is espeak-ng reading that transcript: one voice for the
host, another for the guest, speaker labels not spoken, a short pause between paragraphs.

Made with (Debian 12, run from the repository root):

    apt-get install -y espeak-ng sox lame fonts-dejavu-core
    uv run python scripts/make_example_media.py

Options (all have defaults; see --help):

    --transcript episodes/islamic-state-defectors/transcript.txt   what is read aloud
    --audio      episodes/islamic-state-defectors/audio.mp3        where the MP3 goes
    --artwork    episodes/artwork.jpg                              where the artwork goes

Debian packages: espeak-ng (speech), sox (silence + concatenation), lame (MP3 encoder),
fonts-dejavu-core (artwork font; Pillow's built-in font is the fallback). Pillow comes from
the project's own dependencies.

Determinism: espeak-ng, sox and lame produce the same bytes for the same input and versions
(espeak-ng 1.51, SoX 14.4.2, LAME 3.100 were used) once sox's random dither is turned off
(`-D`, and `-R` for a fixed seed): without that the "silent" pauses hold different noise on
every run. lame writes no ID3 tag unless asked, so no date is embedded; at 40 kbps and
22.05 kHz a frame is too small for lame's Xing/Info header, so the MP3 has none (its
duration is exact anyway: stationcast counts the frames of header-less MP3s).
The JPEG is written by Pillow without EXIF or any timestamp.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPISODE = ROOT / "episodes" / "islamic-state-defectors"

# Speaker labels in the station's transcript: capitals (and spaces, dots, digits, #) then ": ".
_LABEL = re.compile(r"^([A-Z][A-Z .'#0-9-]*?)(?:, [A-Z ]+)?: ")
# The transcript's trailing credit line is printed on the page, not spoken in the interview.
_CREDIT = re.compile(r"\s*Transcript provided by NPR, Copyright NPR\.\s*$")
HOST_LABELS = frozenset({"MCEVERS"})
HOST_VOICE = "en-us+f3"
GUEST_VOICE = "en+m3"
WORDS_PER_MINUTE = "165"
PAUSE_SECONDS = "0.7"
SAMPLE_RATE = "22050"  # espeak-ng's native rate; no resampling needed
MP3_KBPS = "40"


@dataclass(frozen=True)
class Paragraph:
    voice: str
    text: str


def paragraphs(transcript: str, host_labels: Iterable[str] = HOST_LABELS) -> Iterator[Paragraph]:
    """Split the transcript into spoken paragraphs with a voice each, labels removed.

    The unlabelled paragraph(s) at the top are the host's introduction; an unlabelled paragraph
    later continues the current speaker.
    """
    hosts = frozenset(host_labels)
    voice = HOST_VOICE
    for block in re.split(r"\n\s*\n", transcript.strip()):
        text = " ".join(block.split())
        match = _LABEL.match(text)
        if match:
            voice = HOST_VOICE if match.group(1) in hosts else GUEST_VOICE
            text = text[match.end() :]
        text = _CREDIT.sub("", text)
        if text:
            yield Paragraph(voice, text)


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True)


def make_audio(transcript: Path, out: Path) -> None:
    """Speak every paragraph to WAV, join them with pauses, encode a mono MP3."""
    for tool in ("espeak-ng", "sox", "lame"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found; install it with: apt-get install -y {tool}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pause = tmp / "pause.wav"
        _run(
            "sox",
            "-R",
            "-D",
            "-n",
            "-r",
            SAMPLE_RATE,
            "-c",
            "1",
            "-b",
            "16",
            str(pause),
            "trim",
            "0",
            PAUSE_SECONDS,
        )
        parts: list[str] = []
        text = transcript.read_text(encoding="utf-8")
        for n, para in enumerate(paragraphs(text)):
            wav = tmp / f"{n:03d}.wav"
            _run("espeak-ng", "-v", para.voice, "-s", WORDS_PER_MINUTE, "-w", str(wav), para.text)
            parts += [str(wav), str(pause)]
        joined = tmp / "episode.wav"
        _run("sox", "-R", "-D", *parts, "-r", SAMPLE_RATE, "-c", "1", str(joined))
        encoded = tmp / "episode.mp3"
        _run(
            "lame",
            "--quiet",
            "-m",
            "m",
            "-b",
            MP3_KBPS,
            "--cbr",
            "--noreplaygain",
            str(joined),
            str(encoded),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(encoded, out)


def _font(size: int, bold: bool = True) -> object:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF"):
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def make_artwork(out: Path, size: int = 1400) -> None:
    """Draw a square RGB JPEG: station call letters, station name, show title, radio waves."""
    from PIL import Image, ImageDraw

    navy, blue, gold, white = (16, 37, 66), (37, 99, 165), (242, 183, 5), (255, 255, 255)
    img = Image.new("RGB", (size, size), navy)
    draw = ImageDraw.Draw(img)
    unit = size / 1400
    cx, cy = size // 2, round(470 * unit)
    # Broadcast waves around a mast dot.
    for i, radius in enumerate((110, 200, 290)):
        r = round(radius * unit)
        draw.arc(
            (cx - r, cy - r, cx + r, cy + r),
            200,
            340,
            fill=gold if i == 0 else blue,
            width=round(26 * unit),
        )
    dot = round(38 * unit)
    draw.ellipse((cx - dot, cy - dot, cx + dot, cy + dot), fill=gold)
    draw.rectangle(
        (cx - round(9 * unit), cy, cx + round(9 * unit), cy + round(150 * unit)), fill=gold
    )

    def centred(y: float, text: str, font: object, fill: tuple[int, int, int]) -> None:
        draw.text((cx, round(y * unit)), text, font=font, fill=fill, anchor="mm")

    centred(790, "WUNC", _font(round(260 * unit)), white)
    centred(945, "North Carolina Public Radio", _font(round(66 * unit), bold=False), white)
    draw.rectangle(
        (round(150 * unit), round(1030 * unit), size - round(150 * unit), round(1040 * unit)),
        fill=gold,
    )
    centred(1160, "WUNC Segments", _font(round(118 * unit)), gold)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, "JPEG", quality=88, optimize=True, progressive=False, subsampling="4:2:0")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcript", type=Path, default=EPISODE / "transcript.txt")
    parser.add_argument("--audio", type=Path, default=EPISODE / "audio.mp3")
    parser.add_argument("--artwork", type=Path, default=ROOT / "episodes" / "artwork.jpg")
    parser.add_argument("--skip-audio", action="store_true", help="only remake the artwork")
    args = parser.parse_args(argv)
    if not args.skip_audio:
        make_audio(args.transcript, args.audio)
        print(f"wrote {args.audio} ({args.audio.stat().st_size} bytes)")
    make_artwork(args.artwork)
    print(f"wrote {args.artwork} ({args.artwork.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
