"""How the cost of an episode grows with its number of credits.

    uv run python benchmarks/credits.py                    # 1,000 / 10,000 / 30,000
    uv run python benchmarks/credits.py --counts 1000 3000 --no-build

Two measurements per count, each printed as wall-clock seconds:

- ``entry``: one feed item with that many ``podcast:person`` tags, built with the feedgen
  extension alone (``person()`` calls, then ``rss_str``);
- ``build``: ``python -m stationcast build`` of a copy of the example show whose episode
  credits that many people (``- {name: Person 00001}`` lines, so 30,000 stay under the 1 MB
  manifest cap), in its own process, with its exit status and the last line it printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from feedgen.feed import FeedGenerator

from stationcast.feed.podcastindex import register_podcastindex

REPO = Path(__file__).resolve().parent.parent
SLUG = "islamic-state-defectors"


def entry_seconds(count: int) -> tuple[float, float]:
    """(seconds for the person() calls, seconds for rss_str) for one item."""
    fg = FeedGenerator()
    fg.title("Credits")
    fg.link(href="https://example.org/")
    fg.description("Credits")
    register_podcastindex(fg)
    fe = fg.add_entry(order="append")
    fe.title("Episode")
    fe.guid("episode", permalink=False)
    start = time.perf_counter()
    for n in range(count):
        fe.podcastindex.person(f"Person {n:05d}", role="reporter", group="cast")
    added = time.perf_counter()
    fg.rss_str(pretty=True)
    return added - start, time.perf_counter() - added


def build_seconds(count: int, timeout: float) -> tuple[float, str]:
    """Seconds for a whole build of one episode crediting `count` people, and its outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "episodes", root / "episodes")
        manifest = root / "episodes" / SLUG / "episode.yaml"
        text = manifest.read_text(encoding="utf-8")
        head, _, rest = text.partition("credits:\n")
        # Keep the two real credits (the transcript's speakers), then add the crowd.
        lines = rest.splitlines(keepends=True)
        kept = []
        while lines and lines[0].startswith(" "):
            kept.append(lines.pop(0))
        crowd = "".join(f"  - {{name: Person {n:05d}}}\n" for n in range(max(count - 2, 0)))
        manifest.write_text(head + "credits:\n" + "".join(kept) + crowd + "".join(lines))
        size = manifest.stat().st_size
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "stationcast", "build", "--no-cache"],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return time.perf_counter() - start, f"did not finish in {timeout:.0f} s ({size:,} B)"
        seconds = time.perf_counter() - start
        out = (done.stderr or done.stdout).strip().splitlines()
        last = out[-1] if out else ""
        return seconds, f"exit {done.returncode} ({size:,} B manifest): {last[:110]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--no-build", action="store_true", help="only the feed-entry timing")
    parser.add_argument("--timeout", type=float, default=600.0, help="per build, seconds")
    args = parser.parse_args()
    for count in args.counts:
        adding, writing = entry_seconds(count)
        print(f"{count:>7,} credits  entry: person() {adding:8.3f} s  rss_str {writing:7.3f} s")
        if not args.no_build:
            seconds, outcome = build_seconds(count, args.timeout)
            print(f"{'':>16}build: {seconds:8.2f} s  {outcome}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
