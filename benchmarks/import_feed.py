"""Measure `stationcast import feed` on a 3,000-item feed made of real items, and the build that
follows it. See benchmarks/README.md.

    uv run python benchmarks/import_feed.py [--items 3000] [--feed metalove-atp_feed.xml]
                                            [--workdir DIR] [--profile]

The feed is one of the real feeds of tests/importers/corpus/ with its items repeated until
there are --items of them; each copy gets its own guid, enclosure URL, date (a day earlier
per round) and a line of its own in its notes, so every item is a new episode and none
shares an enclosure with another. The import and then the build run as their own processes
(`python -m stationcast`), timed wall-clock with CPU time and peak RSS, as run.py measures
the build.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import shutil
import sys
import tempfile
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import measure, stationcast  # noqa: E402

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "importers" / "corpus"
ARTWORK = HERE.parent / "episodes" / "artwork.jpg"


def make_feed(source: Path, items: int) -> bytes:
    """The feed at `source` (gzip) with its items repeated to `items`, each copy distinct."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(gzip.decompress(source.read_bytes()).lstrip(), parser)
    channel = root.find("channel")
    atom = "{http://www.w3.org/2005/Atom}link"
    if not any(link.get("rel") == "self" for link in channel.iter(atom)):
        # Where the feed lived, as a live import knows it: podcast_guid is computed from it,
        # so the build after the import needs no edit but the artwork.
        etree.SubElement(
            channel, atom, rel="self", href="https://podcasts.example.org/bench/feed.xml"
        )
    originals = channel.findall("item")
    for item in originals:
        channel.remove(item)
    for n in range(items):
        rounds, item = divmod(n, len(originals))
        copy = etree.fromstring(etree.tostring(originals[item]), parser)
        if rounds:
            guid = copy.find("guid")
            guid.text = f"{(guid.text or '').strip()}-copy{rounds}"
            enclosure = copy.find("enclosure")
            url = enclosure.get("url", "")
            enclosure.set("url", url.replace(".mp3", f"-copy{rounds}.mp3", 1))
            date = copy.find("pubDate")
            when = parsedate_to_datetime((date.text or "").strip()) - timedelta(days=rounds)
            date.text = format_datetime(when)
            for tag in ("{http://purl.org/rss/1.0/modules/content/}encoded", "description"):
                notes = copy.find(tag)
                if notes is not None and notes.text:  # notes of their own: nothing to reuse
                    notes.text += (
                        f"<p>Copy {rounds}.</p>" if "<" in notes.text else f" Copy {rounds}."
                    )
        channel.append(copy)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--feed", default="metalove-atp_feed.xml", help="a corpus feed's name")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--profile", action="store_true", help="also profile the import in this process"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="import-bench-"))
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    feed = workdir / "feed.xml"
    feed.write_bytes(make_feed(CORPUS / f"{args.feed}.gz", args.items))
    print(
        f"{args.items} items from {args.feed}: {feed.stat().st_size / 1e6:.1f} MB", file=sys.stderr
    )
    measure(stationcast("--version"), workdir)  # warm the bytecode cache
    imported, text = measure(
        stationcast("import", "feed", "feed.xml", "--episodes", "show"), workdir
    )
    summary = next(
        (line for line in text.splitlines() if line.startswith("Round trip:")), text[-500:]
    )
    shutil.copy(ARTWORK, workdir / "show" / "artwork.jpg")
    built, text = measure(stationcast("build", "--episodes", "show", "--out", "out"), workdir)
    built_line = next(
        (line for line in text.splitlines() if line.startswith("Built ")), text[-500:]
    )
    print(summary)
    print(built_line)
    print(f"{'measurement':<26} {'s':>7} {'cpu s':>7} {'MB':>6}")
    for name, (wall, cpu, rss) in (("import feed", imported), ("build after it", built)):
        print(f"{name:<26} {wall:7.2f} {cpu:7.2f} {rss:6.0f}")
    if args.profile:
        from stationcast.importers.feed import import_feed

        again = workdir / "profiled"
        profile = cProfile.Profile()
        profile.runcall(import_feed, str(feed), again)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    if args.workdir is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
