"""Benchmark: offline validation of a 10,000-item feed (the check `build` runs every time).

    uv run python -m tests.validate.bench_10k

Not a test: timings depend on the machine. The target is well under 1 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from stationcast.validate import validate_bytes

from .bigfeed import big_feed
from .conftest import NOW


def _time(label: str, data: bytes, **kw: object) -> None:
    times = []
    cpu = []
    for _ in range(7):
        t, c = time.perf_counter(), time.process_time()
        report = validate_bytes(data, location="feed.xml", now=NOW, **kw)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(
        f"{label}: {report.items} items, {len(data) / 1e6:.1f} MB, findings "
        f"{sorted(report.rule_ids())}"
    )
    print(
        f"  median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms wall; median {statistics.median(cpu) * 1000:.0f} ms "
        "CPU (7 runs)"
    )


def main() -> None:
    data = big_feed(10_000)
    _time("offline, no local root", data)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(1, 10_001):
            d = root / f"seg-{i}"
            d.mkdir()
            with open(d / "audio.mp3", "wb") as f:
                f.truncate(1_000_000 + i)  # sparse file of the declared length
            (d / "transcript.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Kelly>Hi\n")
            (d / "index.html").write_text("<!doctype html><title>t</title>")
        _time("offline, local root with 10,000 enclosures + transcripts", data, local_root=root)


if __name__ == "__main__":
    main()
