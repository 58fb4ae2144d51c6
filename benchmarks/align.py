"""Measure `stationcast align`: accuracy on speech whose turn starts are known, and the time
and memory of aligning a 3.5-minute and a 60-minute episode. See benchmarks/README.md.

    uv run python benchmarks/align.py [--turns 8] [--skip-long]

Accuracy: the example's first --turns paragraphs spoken by flite (tests/speech.py: another
engine than the aligner's espeak-ng, two voices, tempo changed by sox, pauses, a music bed,
noise, a soundbite not in the text), per condition: the median, 95th percentile and largest
error of the turn starts, and which turns the aligner reported as doubtful.

Time and memory: `python -m stationcast align` as its own process on the example (3.7 min)
and on an hour made of the example's audio and transcript repeated 16 times (its own voice,
so a measure of cost, not of accuracy), wall and CPU time and peak RSS as run.py measures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from run import measure, stationcast  # noqa: E402

from speech import CONDITIONS, missing_tools, turn_errors  # noqa: E402
from stationcast.transcripts import read_transcript  # noqa: E402

EXAMPLE = REPO / "episodes"
SLUG = "islamic-state-defectors"


def accuracy(turns: int) -> None:
    segments = [
        s for s in read_transcript(EXAMPLE / SLUG / "transcript.txt").segments if s.kind == "speech"
    ][:turns]
    print(f"accuracy: {len(segments)} turns of the example, spoken by flite")
    print(
        f"{'condition':24} {'median s':>8} {'p95 s':>6} {'max s':>6}  doubtful turns"
        "  (errors of the turns given times; a doubtful turn has none of its own)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for condition in CONDITIONS:
            by_turn, doubts = turn_errors(segments, condition, Path(tmp) / "speech.mp3", jobs=2)
            errors = sorted(e for turn, e in by_turn.items() if turn not in doubts)
            p95 = errors[min(len(errors) - 1, round(0.95 * (len(errors) - 1)))]
            doubtful = ", ".join(map(str, doubts)) or "-"
            print(
                f"{condition.name:24} {statistics.median(errors):8.2f} {p95:6.2f}"
                f" {errors[-1]:6.2f}  {doubtful}"
            )


def cost(skip_long: bool) -> None:
    print("\ntime and memory of `stationcast align` (its own process)")
    print(f"{'episode':28} {'s':>7} {'cpu s':>7} {'MB':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        show = Path(tmp) / "episodes"
        shutil.copytree(EXAMPLE, show)
        (show / SLUG / "alignment.json").unlink(missing_ok=True)
        (wall, cpu, rss), _ = measure(stationcast("align", "--episodes", str(show)), Path(tmp))
        print(f"{'example (3.7 min)':28} {wall:7.2f} {cpu:7.2f} {rss:6.0f}")
        many = Path(tmp) / "many"
        shutil.copytree(EXAMPLE, many)
        manifest = (many / SLUG / "episode.yaml").read_text(encoding="utf-8")
        guid = manifest.split("guid: ", 1)[1].split("\n", 1)[0]
        for n in range(1, 4):
            shutil.copytree(many / SLUG, many / f"copy-{n}")
            (many / f"copy-{n}" / "episode.yaml").write_text(manifest.replace(guid, f"copy-{n}"))
        for jobs in ("1", "2"):
            for made in many.glob("*/alignment.json"):
                made.unlink()
            command = stationcast("align", "--episodes", str(many), "-j", jobs)
            (wall, cpu, rss), _ = measure(command, Path(tmp))
            print(f"{'4 episodes, -j ' + jobs:28} {wall:7.2f} {cpu:7.2f} {rss:6.0f}")
        if skip_long:
            return
        folder = show / SLUG
        listing = Path(tmp) / "list.txt"
        listing.write_text("".join(f"file '{folder / 'audio.mp3'}'\n" for _ in range(16)))
        long_audio = Path(tmp) / "hour.mp3"
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-c",
                "copy",
                str(long_audio),
            ],
            check=True,
        )
        shutil.move(long_audio, folder / "audio.mp3")
        text = (folder / "transcript.txt").read_text(encoding="utf-8").rstrip("\n")
        body, _, credit = text.rpartition("\n\n")
        (folder / "transcript.txt").write_text("\n\n".join([body] * 16 + [credit]) + "\n")
        (folder / "alignment.json").unlink(missing_ok=True)
        (wall, cpu, rss), out = measure(stationcast("align", "--episodes", str(show)), Path(tmp))
        print(f"{'hour (example x 16)':28} {wall:7.2f} {cpu:7.2f} {rss:6.0f}")
        if "1 aligned" not in out:
            sys.exit(f"the hour did not align:\n{out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--skip-long", action="store_true")
    args = parser.parse_args()
    if missing := missing_tools():
        sys.exit(f"needs {', '.join(missing)} (Debian packages)")
    accuracy(args.turns)
    cost(args.skip_long)


if __name__ == "__main__":
    main()
