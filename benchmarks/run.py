"""Measure stationcast's build on a synthetic archive: cold, unchanged, one edit, one more
episode, offline validate, peak memory; and the same corpus through feedgen alone, Jinja2
alone and Hugo, for proportion. See benchmarks/README.md.

    uv run python benchmarks/run.py [--episodes 10000] [--also 1000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

HERE = Path(__file__).resolve().parent


SNAPSHOT: Path | None = None  # the committed source the children run (see snapshot())


def snapshot(workdir: Path) -> Path:
    """The committed src/ (git HEAD) in a folder of its own: the children import it first, so
    edits in the working tree during a long run neither change what is measured nor, through
    the code fingerprint, invalidate the build cache midway."""
    repo = HERE.parent
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    target = workdir / f"src-{commit}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD", "src"], cwd=repo, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = str(SNAPSHOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # An installed stationcast has compiled bytecode; a dev shell with PYTHONDONTWRITEBYTECODE
    # would recompile ~300 modules on every run and measure the compiler instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COLUMNS"] = "100"
    return env


def measure(args: list[str], cwd: Path) -> tuple[tuple[float, float, float], str]:
    """((wall seconds, CPU seconds, peak RSS in MB), output).

    CPU seconds are user + system time of the process and its workers: with the wall time
    they tell computing from waiting. Peak RSS is the largest single process's. Dirty pages of earlier steps (the corpus, the
    previous build) are written back first, so a step does not pay for its predecessor's I/O.
    """
    log = cwd / "run.log"
    os.sync()
    with open(log, "wb") as handle:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{text[-3000:]}")
    return (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), text


def stationcast(*args: str) -> list[str]:
    return [sys.executable, "-m", "stationcast", *args]


def identical(a: Path, b: Path) -> bool:
    """Byte for byte, every file, same set of files."""
    for folder, _dirs, files in os.walk(a):
        rel = Path(folder).relative_to(a)
        other = b / rel
        if sorted(files) != sorted(p.name for p in other.iterdir() if p.is_file()):
            return False
        for name in files:
            if not filecmp.cmp(Path(folder) / name, other / name, shallow=False):
                return False
    return sum(len(f) for _, _, f in os.walk(a)) == sum(len(f) for _, _, f in os.walk(b))


def run_size(n: int, workdir: Path, hugo: bool, refs: bool) -> dict[str, tuple[float, float, float] | str]:
    base = workdir / str(n)
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    t = time.perf_counter()
    corpus.make_show(base / "show", n)
    print(f"[{n}] corpus generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    build = stationcast("build", "--episodes", "show", "--out", "out")
    results: dict[str, tuple[float, float, float] | str] = {}
    measure(stationcast("--version"), base)  # warm the bytecode cache
    results["cold build"] = measure(build, base)[0]
    results["no-change rebuild"] = measure(build, base)[0]
    corpus.edit_transcript(base / "show", n // 2)
    results["one transcript edited (1st)"] = measure(build, base)[0]
    corpus.edit_transcript(base / "show", n // 3)
    results["one transcript edited (2nd)"] = measure(build, base)[0]
    cold = stationcast("build", "--episodes", "show", "--out", "cold", "--no-cache")
    measure(cold, base)
    results["edit == cold build"] = "yes" if identical(base / "out", base / "cold") else "NO"
    corpus.add_episode(base / "show", n + 1)
    results["one episode added"] = measure(build, base)[0]
    shutil.rmtree(base / "cold")
    measure(cold, base)
    results["add == cold build"] = "yes" if identical(base / "out", base / "cold") else "NO"
    shutil.rmtree(base / "cold")
    results["validate (offline)"] = measure(stationcast("validate", "out/feed.xml"), base)[0]
    if refs:
        results["ref: feedgen alone, same feed"] = measure([sys.executable, str(HERE / "references.py"), "feedgen", "out/feed.xml"], base)[0]
        results["ref: Jinja2 alone, same pages"] = measure([sys.executable, str(HERE / "references.py"), "jinja2", "show"], base)[0]
        if hugo:
            subprocess.run([sys.executable, str(HERE / "references.py"), "hugo-site", "show", "site"], cwd=base, check=True)
            results["ref: Hugo, same transcripts"] = measure(["hugo", "--quiet", "-s", "site", "-d", "public"], base)[0]
        else:
            results["ref: Hugo, same transcripts"] = "skipped: hugo not installed (apt-get install -y hugo)"
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=10000)
    parser.add_argument("--also", type=int, default=1000, help="a second, smaller size (0: none) for the linearity ratio")
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--no-references", action="store_true")
    parser.add_argument("--working-tree", action="store_true", help="measure src/ as it is, not the committed HEAD")
    args = parser.parse_args()
    global SNAPSHOT
    if not args.working_tree:
        SNAPSHOT = snapshot(args.workdir)
        print(f"measuring the committed source in {SNAPSHOT}", file=sys.stderr)
    hugo = shutil.which("hugo") is not None
    sizes = [args.episodes] + ([args.also] if args.also else [])
    table = {n: run_size(n, args.workdir, hugo, not args.no_references) for n in sizes}
    big = table[args.episodes]
    cold = big["cold build"]
    print(f"\nstationcast build benchmark ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n")
    header = f"{'measurement':34} " + " ".join(f"{f'{n:,} ep: s / cpu s / MB':>30}" for n in sizes)
    header += f" {'x cold':>8}" + (f" {'1k/10k':>8}" if len(sizes) > 1 else "")
    print(header)
    print("-" * len(header))
    for name, value in big.items():
        cells = []
        for n in sizes:
            v = table[n][name]
            cells.append(f"{v[0]:>12.2f} / {v[1]:>6.2f} / {v[2]:>5.0f}" if isinstance(v, tuple) else f"{v[:30]:>30}")
        line = f"{name:34} " + " ".join(cells)
        if isinstance(value, tuple) and isinstance(cold, tuple):
            line += f" {value[0] / cold[0]:>8.2f}"
            if len(sizes) > 1 and isinstance(table[sizes[1]][name], tuple):
                small = table[sizes[1]][name]
                assert isinstance(small, tuple)
                line += f" {small[0] / value[0]:>8.2f}"
        print(line)
    for name, value in big.items():
        if isinstance(value, str) and len(value) > 30:
            print(f"note: {name}: {value}")
    print("\ns / cpu s / MB: wall seconds / CPU seconds (user + system, workers included) / peak RSS (largest")
    print("single process); x cold: wall time relative to the cold build;")
    print("1k/10k: small-size time over large-size time (0.1 = linear).")


if __name__ == "__main__":
    main()
