"""Issue 24: a station folder of 20 shows x 500 episodes built as one station, against the same
20 shows built one by one as single shows. Cold, no change and one edited transcript, each
build its own process, timed as run.py times them (wall, CPU with the workers, peak RSS);
then every show's feed.xml of the station build is compared byte for byte with the one the
show's own build wrote. See benchmarks/README.md.

    uv run python benchmarks/station.py [--shows 20] [--episodes 500] [--workdir DIR]

As run.py does, it measures the committed src/ (HEAD, or `--revision REV`);
`--working-tree` measures a copy of the working tree's src/, taken at the start (so edits
made during the run change nothing).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import random
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import run  # noqa: E402
from run import identical, measure, stationcast  # noqa: E402

HERE = Path(__file__).resolve().parent
BASE_URL = "https://podcasts.example.org/"
#: The Podcast Index's namespace for podcast:guid (uuid5 of the feed URL without its scheme).
PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

STATION_YAML = f"""name: WUNC North Carolina Public Radio
slogan: Bringing The World Home To You
address:
  street: 120 Friday Center Dr
  locality: Chapel Hill
  region: NC
  postal_code: "27517"
  country: US
phones: [919.445.9150]
donate: https://www.example.org/donate
timezone: America/New_York
base_url: {BASE_URL}
podroll: true
publisher:
  podcast_guid: {uuid.uuid5(PODCAST_NAMESPACE, BASE_URL.split("://")[1] + "publisher.xml")}
shows:
  language: en-us
  author: WUNC North Carolina Public Radio
  copyright: WUNC North Carolina Public Radio
  categories: [News > Daily News]
  owner: {{name: WUNC North Carolina Public Radio, email: podcasts@example.org}}
"""

Measured = tuple[float, float, float]  # wall s, CPU s, peak RSS MB


def show_yaml(number: int, name: str) -> str:
    feed = f"{BASE_URL}{name}/feed.xml".split("://")[1]
    return f"""title: WUNC Segments {number:02d}
description: Interviews and reports from WUNC, show {number}, each with its full transcript.
artwork: artwork.jpg
podcast_guid: {uuid.uuid5(PODCAST_NAMESPACE, feed)}
{corpus.SHOW_HOSTS}"""


def make_station(root: Path, shows: int, episodes: int, seed: int = 20260101) -> list[str]:
    """root/station.yaml and `shows` show folders of `episodes` episodes each: corpus.py's
    episodes (the example's audio hard-linked, one source file per show), seeded per show so
    that every GUID is the station's own. Returns the show folders' names."""
    root.mkdir(parents=True)
    (root / "station.yaml").write_text(STATION_YAML)
    sources = root.parent / "audio"
    sources.mkdir(exist_ok=True)
    names = []
    for number in range(1, shows + 1):
        name = f"show-{number:02d}"
        folder = root / name
        folder.mkdir()
        (folder / "show.yaml").write_text(show_yaml(number, name))
        shutil.copyfile(corpus.EXAMPLE / "artwork.jpg", folder / "artwork.jpg")
        audio = sources / f"{name}.mp3"
        if not audio.exists():
            corpus.make_audio(audio, "example")
        rng = random.Random(seed * 1000 + number)
        for index in range(1, episodes + 1):
            corpus.make_episode(folder, rng, index, audio)
        names.append(name)
    guids = [
        line.split(":", 1)[1].strip()
        for path in root.glob("*/*/episode.yaml")
        for line in path.read_text().splitlines()
        if line.startswith("guid:")
    ]
    if len(guids) != len(set(guids)) or len(guids) != shows * episodes:
        raise SystemExit(f"corpus: {len(guids)} GUIDs, {len(set(guids))} distinct")
    return names


def snapshot_working_tree(workdir: Path) -> Path:
    """A copy of the working tree's src/, named by a hash of its files."""
    src = HERE.parent / "src"
    digest = hashlib.sha256()
    files = sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes() + b"\0")
    target = workdir / f"src-worktree-{digest.hexdigest()[:10]}"
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(src, partial / "src", ignore=shutil.ignore_patterns("__pycache__"))
        partial.rename(target)
    return target / "src"


_BUILT = re.compile(r"Built (\d+) episodes? into .*? \((\d+) rendered, (\d+) reused")


class Run:
    """The measured steps, their figures, their logs."""

    def __init__(self, base: Path, names: list[str], episodes: int) -> None:
        self.base = base
        self.names = names
        self.episodes = episodes
        self.logs = base / "logs"
        self.logs.mkdir(exist_ok=True)
        self.rows: dict[str, dict[str, Measured]] = {}
        self.rendered: dict[str, dict[str, int]] = {}
        self.load: dict[str, dict[str, float]] = {}  # the 1-minute load average after a step
        self.mismatch = False

    def _check(self, step: str, text: str, shows: int) -> int:
        """The episodes rendered, from the build's summary lines; every show must be built."""
        (self.logs / f"{step}.log").write_text(text)
        built = _BUILT.findall(text)
        if len(built) != shows or any(int(n) != self.episodes for n, _, _ in built):
            raise SystemExit(
                f"{step}: expected {shows} show(s) of {self.episodes} episodes built, found"
                f" {len(built)} summary line(s); the log ({self.logs / f'{step}.log'}):\n"
                f"{text[-3000:]}"
            )
        return sum(int(rendered) for _, rendered, _ in built)

    def station(self, step: str, out: str = "out") -> None:
        figures, text = measure(
            stationcast("build", "--episodes", "station", "--out", out), self.base
        )
        rendered = self._check(f"station-{step}", text, len(self.names))
        if f"Station: {len(self.names)} of {len(self.names)} shows built" not in text:
            raise SystemExit(f"station {step}: not every show built:\n{text[-3000:]}")
        self._put(step, "station", figures, rendered)

    def one_by_one(self, step: str, out: str = "out-single") -> None:
        wall = cpu = peak = 0.0
        rendered = 0
        for name in self.names:
            (w, c, r), text = measure(
                stationcast("build", "--episodes", f"station/{name}", "--out", f"{out}/{name}"),
                self.base,
            )
            rendered += self._check(f"single-{step}-{name}", text, 1)
            wall, cpu, peak = wall + w, cpu + c, max(peak, r)
        self._put(step, "one by one", (wall, cpu, peak), rendered)

    def _put(self, step: str, how: str, figures: Measured, rendered: int) -> None:
        self.rows.setdefault(step, {})[how] = figures
        self.rendered.setdefault(step, {})[how] = rendered
        load = self.load.setdefault(step, {})[how] = os.getloadavg()[0]
        wall, cpu, peak = figures
        print(
            f"[{step}, {how}] {wall:.2f} s, {cpu:.2f} CPU s, {peak:.0f} MB,"
            f" {rendered} episodes rendered, load average {load:.1f}",
            file=sys.stderr,
        )

    def compare(self, when: str, out: str = "out", single: str = "out-single") -> list[str]:
        """Each show's feed.xml of the station build against its own build's, byte for byte
        (and the whole show folder); returns the lines to report, mismatches loudly."""
        feeds, folders, lines = 0, 0, []
        shown = False
        for name in self.names:
            a, b = self.base / out / name, self.base / single / name
            if (a / "feed.xml").read_bytes() == (b / "feed.xml").read_bytes():
                feeds += 1
            else:
                lines.append(f"MISMATCH ({when}): {a / 'feed.xml'} differs from {b / 'feed.xml'}")
                if not shown:  # the first one: show how
                    shown = True
                    diff = difflib.unified_diff(
                        (b / "feed.xml").read_text().splitlines(),
                        (a / "feed.xml").read_text().splitlines(),
                        "alone",
                        "station",
                        lineterm="",
                        n=1,
                    )
                    lines += [f"    {line[:160]}" for line in list(diff)[:40]]
            if identical(a, b):
                folders += 1
            else:
                lines.append(f"note ({when}): the show folders {a} and {b} differ (file by file)")
        n = len(self.names)
        lines.insert(0, f"{when}: feed.xml identical {feeds} of {n}; show folder {folders} of {n}")
        self.mismatch = self.mismatch or feeds != n
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shows", type=int, default=20)
    parser.add_argument("--episodes", type=int, default=500, help="per show")
    parser.add_argument("--workdir", type=Path, default=HERE / "out" / "station")
    parser.add_argument(
        "--revision", default="HEAD", help="measure this commit's src/ (to compare)"
    )
    parser.add_argument(
        "--working-tree",
        action="store_true",
        help="measure a copy of src/ as it is now, not a commit's",
    )
    args = parser.parse_args()
    if args.shows < 1 or args.episodes < 2:
        parser.error("--shows must be at least 1 and --episodes at least 2")
    args.workdir = args.workdir.absolute()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.working_tree:
        run.SNAPSHOT = snapshot_working_tree(args.workdir)
    else:
        run.SNAPSHOT = run.snapshot(args.workdir, args.revision)
    print(f"measuring the source in {run.SNAPSHOT}", file=sys.stderr)

    warm = args.workdir / "warm"  # compile the snapshot's bytecode, unmeasured
    shutil.rmtree(warm, ignore_errors=True)
    make_station(warm / "station", 2, 2)
    measure(stationcast("build", "--episodes", "station", "--out", "out"), warm)
    measure(stationcast("build", "--episodes", "station/show-01", "--out", "single"), warm)
    shutil.rmtree(warm)

    base = args.workdir / f"{args.shows}x{args.episodes}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir()
    t = time.perf_counter()
    names = make_station(base / "station", args.shows, args.episodes)
    print(
        f"[{args.shows} x {args.episodes}] corpus generated in {time.perf_counter() - t:.1f} s",
        file=sys.stderr,
    )
    r = Run(base, names, args.episodes)
    r.station("cold build")
    r.station("no-change rebuild")
    r.one_by_one("cold build")
    r.one_by_one("no-change rebuild")
    report = r.compare("cold builds")
    edited = names[len(names) // 2]
    corpus.edit_transcript(base / "station" / edited, args.episodes // 2)
    r.station("one transcript edited")
    r.one_by_one("one transcript edited")
    report += r.compare("after the edit")
    print_table(r, args, edited)
    print()
    for line in report:
        print(line)
    if r.mismatch:
        print(
            "\nMISMATCH: a show's feed.xml from the station build is not the one its own build"
            f" writes; the outputs are kept in {base}",
            file=sys.stderr,
        )
        raise SystemExit(1)


def print_table(r: Run, args: argparse.Namespace, edited: str) -> None:
    print(
        f"\nstation of {args.shows} shows x {args.episodes:,} episodes"
        f" ({args.shows * args.episodes:,} in all; {os.cpu_count()} CPUs,"
        f" Python {sys.version.split()[0]})\n"
    )
    header = (
        f"{'measurement':24} {'station: s / cpu s / MB':>26} {'one by one: s / cpu s / MB':>28}"
        f" {'station / one by one':>22} {'rendered':>12} {'load':>9}"
    )
    print(header)
    print("-" * len(header))
    for step, both in r.rows.items():
        a, b = both["station"], both["one by one"]
        cells = [f"{x[0]:>8.2f} / {x[1]:>6.2f} / {x[2]:>5.0f}" for x in (a, b)]
        ratio = " ".join(f"{x / y:.2f}" if y else "-" for x, y in zip(a, b, strict=True))
        done, load = r.rendered[step], r.load[step]
        print(
            f"{step:24} {cells[0]:>26} {cells[1]:>28} {ratio:>22}"
            f" {done['station']:>5} / {done['one by one']:<5}"
            f" {load['station']:>4.1f} {load['one by one']:>4.1f}"
        )
    print(
        "\ns / cpu s / MB: wall seconds / CPU seconds (user + system, the forked show processes"
        " and\nworkers included) / peak RSS of the largest single process. One by one: the sum of"
        f" the\n{args.shows} builds' wall and CPU seconds, the largest one's peak RSS. The edit:"
        f" {edited}'s\nsegment-{args.episodes // 2:05d}/transcript.txt. Rendered: episodes"
        " rendered (station / one by one).\nLoad: the 1-minute load average after the step"
        " (station, one by one); the build itself\nadds up to the number of CPUs."
    )


if __name__ == "__main__":
    main()
