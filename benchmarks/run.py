"""Measure stationcast's build on a synthetic archive, for each kind of audio (the example's
headerless CBR, hour-long CBR, VBR with a Xing header): cold, unchanged, one edit (the first
after the cold build and a later one), a fresh-clone CI build with one edit, one more
episode, offline validate, peak memory; a stat floor (Python start and a stat of every
input); and the same corpus through feedgen alone, Jinja2 alone and Hugo, for proportion.
See benchmarks/README.md.

    uv run python benchmarks/run.py [--episodes 10000] [--also 1000] [--audio example,...]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

HERE = Path(__file__).resolve().parent


SNAPSHOT: Path | None = None  # the committed source the children run (see snapshot())


def snapshot(workdir: Path, revision: str = "HEAD") -> Path:
    """The committed src/ (git HEAD, or another revision to compare with) in a folder of its
    own: the children import it first, so edits in the working tree during a long run neither
    change what is measured nor, through the code fingerprint, invalidate the build cache
    midway."""
    repo = HERE.parent
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    target = workdir / f"src-{commit}"
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit, "src"], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = str(SNAPSHOT) + (
            os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
        )
    # An installed stationcast has compiled bytecode; a dev shell with PYTHONDONTWRITEBYTECODE
    # would recompile ~300 modules on every run and measure the compiler instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COLUMNS"] = "100"
    return env


def measure(args: list[str], cwd: Path) -> tuple[tuple[float, float, float], str]:
    """((wall seconds, CPU seconds, peak RSS in MB), output).

    CPU seconds are user + system time of the process and the workers it waited for (not
    those of a forkserver): with the wall time they tell computing from waiting. Peak RSS is
    the largest single process's. Dirty pages of earlier steps (the corpus, the previous
    build) are written back first, so a step does not pay for its predecessor's I/O.
    """
    log = cwd / "run.log"
    os.sync()
    with open(log, "wb") as handle:
        start = time.perf_counter()
        proc = subprocess.Popen(
            args, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=child_env()
        )
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


FLOOR = """import os, sys
inputs = 0
for entry in os.scandir(sys.argv[1]):
    if entry.is_dir():
        for name in ("episode.yaml", "transcript.txt", "audio.mp3"):
            os.stat(f"{entry.path}/{name}")
            inputs += 1
print(inputs)
"""


def fresh_clone(base: Path, ci: Path) -> None:
    """What a CI job starts from: the show as a fresh checkout (every file new: text copied,
    the audio a new copy, hard-linked as in the corpus) and the saved folders restored as
    copies (the cache; the output, its audio links of another new copy)."""
    if ci.exists():
        shutil.rmtree(ci)
    ci.mkdir()
    copies: dict[int, Path] = {}

    def copy(src: str, dst: str) -> None:
        st = os.stat(src)
        if st.st_nlink > 1:  # the corpus's audio: one new copy per original, then links of it
            if st.st_ino not in copies:
                copies[st.st_ino] = ci / f"audio-{Path(dst).parts[len(ci.parts)]}-{len(copies)}.mp3"
                shutil.copyfile(src, copies[st.st_ino])
            os.link(copies[st.st_ino], dst)
        else:
            shutil.copyfile(src, dst)

    for folder in ("show", "out", ".stationcast-cache"):
        copies.clear()  # the output's audio: a copy of its own, not the show's new file
        shutil.copytree(base / folder, ci / folder, copy_function=copy)


def run_size(
    n: int, workdir: Path, hugo: bool, refs: bool, kind: str
) -> dict[str, tuple[float, float, float] | str]:
    base = workdir / f"{kind}-{n}"
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    t = time.perf_counter()
    corpus.make_show(base / "show", n, audio_kind=kind)
    print(f"[{kind} {n}] corpus generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    build = stationcast("build", "--episodes", "show", "--out", "out")
    results: dict[str, tuple[float, float, float] | str] = {}
    measure(stationcast("--version"), base)  # warm the bytecode cache
    (base / "floor.py").write_text(FLOOR)
    measure([sys.executable, "floor.py", "show"], base)
    results["stat floor"] = min(
        (measure([sys.executable, "floor.py", "show"], base)[0] for _ in range(3)),
        key=lambda r: r[0],
    )
    results["cold build"] = measure(build, base)[0]
    results["no-change rebuild"] = measure(build, base)[0]
    corpus.edit_transcript(base / "show", n // 2)
    results["one transcript edited (1st)"] = measure(build, base)[0]
    corpus.edit_transcript(base / "show", n // 3)
    results["one transcript edited (2nd)"] = measure(build, base)[0]
    cold = stationcast("build", "--episodes", "show", "--out", "cold", "--no-cache")
    measure(cold, base)
    results["edit == cold build"] = "yes" if identical(base / "out", base / "cold") else "NO"
    shutil.rmtree(base / "cold")
    ci = base / "ci"
    fresh_clone(base, ci)
    corpus.edit_transcript(ci / "show", n // 4)
    results["fresh clone (CI), one edit"] = measure(build, ci)[0]
    measure(cold, ci)
    results["CI edit == cold build"] = "yes" if identical(ci / "out", ci / "cold") else "NO"
    shutil.rmtree(ci)
    corpus.add_episode(base / "show", n + 1)
    results["one episode added"] = measure(build, base)[0]
    measure(cold, base)
    results["add == cold build"] = "yes" if identical(base / "out", base / "cold") else "NO"
    shutil.rmtree(base / "cold")
    results["validate (offline)"] = measure(stationcast("validate", "out/feed.xml"), base)[0]
    if refs:
        results["ref: feedgen alone, same feed"] = measure(
            [sys.executable, str(HERE / "references.py"), "feedgen", "out/feed.xml"], base
        )[0]
        results["ref: Jinja2 alone, same pages"] = measure(
            [sys.executable, str(HERE / "references.py"), "jinja2", "show"], base
        )[0]
        if hugo:
            subprocess.run(
                [sys.executable, str(HERE / "references.py"), "hugo-site", "show", "site"],
                cwd=base,
                check=True,
            )
            results["ref: Hugo, same transcripts"] = measure(
                ["hugo", "--quiet", "-s", "site", "-d", "public"], base
            )[0]
        else:
            results["ref: Hugo, same transcripts"] = (
                "skipped: hugo not installed (apt-get install -y hugo)"
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--episodes", type=int, default=10000)
    parser.add_argument(
        "--also",
        type=int,
        default=1000,
        help="a second, smaller size (0: none) for the linearity ratio",
    )
    parser.add_argument(
        "--audio",
        default=",".join(corpus.AUDIO_KINDS),
        help=f"kinds of audio, comma-separated ({', '.join(corpus.AUDIO_KINDS)})",
    )
    parser.add_argument("--workdir", type=Path, default=HERE / "out")
    parser.add_argument("--no-references", action="store_true")
    parser.add_argument(
        "--working-tree", action="store_true", help="measure src/ as it is, not the committed HEAD"
    )
    parser.add_argument(
        "--revision",
        default="HEAD",
        help="measure this commit's src/ (to compare before and after)",
    )
    args = parser.parse_args()
    global SNAPSHOT
    if not args.working_tree:
        SNAPSHOT = snapshot(args.workdir, args.revision)
        print(f"measuring the committed source in {SNAPSHOT}", file=sys.stderr)
    hugo = shutil.which("hugo") is not None
    kinds = [k for k in args.audio.split(",") if k]
    unknown = sorted(set(kinds) - set(corpus.AUDIO_KINDS))
    if unknown:
        parser.error(
            f"unknown audio kind(s) {', '.join(unknown)};"
            f" choose from {', '.join(corpus.AUDIO_KINDS)}"
        )
    sizes = [args.episodes] + ([args.also] if args.also else [])
    tables = {}
    for index, kind in enumerate(kinds):  # the references once per size, with the first kind
        refs = not args.no_references and index == 0
        tables[kind] = {n: run_size(n, args.workdir, hugo, refs, kind) for n in sizes}
    for kind in kinds:
        print_table(kind, tables[kind], sizes)
    print_targets(tables, kinds, args.episodes)


def _wall(value: tuple[float, float, float] | str | None) -> float | None:
    return value[0] if isinstance(value, tuple) else None


def print_targets(
    tables: dict[str, dict[int, dict[str, tuple[float, float, float] | str]]],
    kinds: list[str],
    n: int,
) -> None:
    """The issue-20 targets, as ratios to references measured in the same run."""
    first = tables[kinds[0]][n]
    feedgen, jinja = (
        _wall(first.get("ref: feedgen alone, same feed")),
        _wall(first.get("ref: Jinja2 alone, same pages")),
    )
    hugo = _wall(first.get("ref: Hugo, same transcripts"))
    short = _wall(tables["example"][n]["cold build"]) if "example" in tables else None
    print(f"\ntargets ({n:,} episodes; ratios to references of the same run)\n")
    print(f"{'audio':12} {'target':52} {'measured':>12}  met")
    print("-" * 86)

    def row(kind: str, target: str, value: float | None, limit: float, below: bool = True) -> None:
        if value is None:
            print(f"{kind:12} {target:52} {'n/a':>12}  -")
            return
        met = value <= limit if below else value >= limit
        print(f"{kind:12} {target:52} {value:>12.2f}  {'yes' if met else 'NO'}")

    for kind in kinds:
        r = tables[kind][n]
        cold, floor = _wall(r["cold build"]), _wall(r["stat floor"])
        assert cold is not None and floor is not None
        row(
            kind,
            "cold / (feedgen alone + Jinja2 alone) <= 1.5",
            cold / (feedgen + jinja) if feedgen and jinja else None,
            1.5,
        )
        row(kind, "Hugo / cold >= 2.5", hugo / cold if hugo else None, 2.5, below=False)
        row(
            kind,
            "cold build peak RSS (MB) <= 300",
            r["cold build"][2] if isinstance(r["cold build"], tuple) else None,
            300,
        )
        if kind == "hour-cbr" and short:
            row(kind, "cold (hour-long) / cold (example) <= 1.10", cold / short, 1.10)
        row(
            kind, "no-change / stat floor <= 2.5", (_wall(r["no-change rebuild"]) or 0) / floor, 2.5
        )
        row(
            kind,
            "first edit after cold / stat floor <= 4.5",
            (_wall(r["one transcript edited (1st)"]) or 0) / floor,
            4.5,
        )
        row(
            kind,
            "later edit / stat floor <= 4.5",
            (_wall(r["one transcript edited (2nd)"]) or 0) / floor,
            4.5,
        )
        row(
            kind,
            "fresh-clone CI edit / later local edit <= 2",
            (_wall(r["fresh clone (CI), one edit"]) or 0)
            / (_wall(r["one transcript edited (2nd)"]) or 1),
            2.0,
        )
    if hugo is None:
        print("(Hugo: not installed here, so its ratio is not measured)")


def print_table(
    kind: str, table: dict[int, dict[str, tuple[float, float, float] | str]], sizes: list[int]
) -> None:
    big = table[sizes[0]]
    cold = big["cold build"]
    print(
        f"\nstationcast build benchmark, audio: {kind}"
        f" ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n"
    )
    header = f"{'measurement':34} " + " ".join(f"{f'{n:,} ep: s / cpu s / MB':>30}" for n in sizes)
    header += f" {'x cold':>8}" + (f" {'1k/10k':>8}" if len(sizes) > 1 else "")
    print(header)
    print("-" * len(header))
    for name, value in big.items():
        cells = []
        for n in sizes:
            v = table[n].get(name, "-")
            cells.append(
                f"{v[0]:>12.2f} / {v[1]:>6.2f} / {v[2]:>5.0f}"
                if isinstance(v, tuple)
                else f"{v[:30]:>30}"
            )
        line = f"{name:34} " + " ".join(cells)
        if isinstance(value, tuple) and isinstance(cold, tuple):
            line += f" {value[0] / cold[0]:>8.2f}"
            if len(sizes) > 1 and isinstance(table[sizes[1]].get(name), tuple):
                small = table[sizes[1]][name]
                assert isinstance(small, tuple)
                line += f" {small[0] / value[0]:>8.2f}"
        print(line)
    for name, value in big.items():
        if isinstance(value, str) and len(value) > 30:
            print(f"note: {name}: {value}")
    print(
        "\ns / cpu s / MB: wall seconds / CPU seconds (user + system, workers included)"
        " / peak RSS (largest"
    )
    print("single process); x cold: wall time relative to the cold build;")
    print("1k/10k: small-size time over large-size time (0.1 = linear).")


if __name__ == "__main__":
    main()
