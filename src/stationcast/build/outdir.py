"""Where a build may write: never over the show's sources or a folder it did not make.

A build replaces its output folder as a whole. That is what makes it atomic, and it is also
why the output folder must be checked first: `--out episodes`, `--out .` or `--out ~` would
otherwise replace the producer's manifests, transcripts and audio with the built site.
`stationcast publish` asks the same question of its destination (see `relation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from stationcast.errors import BuildError, Message, Option

#: The marker every build writes into its output (see stationcast.build.state).
MARKER = Path(".stationcast") / "state.json"

#: How one folder lies relative to another: the same folder, inside it, or holding it.
Relation = Literal["same", "inside", "holds"]


def relation(path: Path, folder: Path) -> Relation | None:
    """How `path` lies relative to `folder`, or None when neither contains the other.

    Both are resolved first (symlinks followed, `..` collapsed; neither needs to exist), so
    `a/../b`, a symlink to `b` and `b` itself are the same folder, and `bb` is not inside `b`.
    """
    resolved, other = path.resolve(), folder.resolve()
    if resolved == other:
        return "same"
    if resolved.is_relative_to(other):
        return "inside"
    if other.is_relative_to(resolved):
        return "holds"
    return None


def check_output_folder(
    episodes: Path,
    out: Path,
    *,
    marker: Path = MARKER,
    made: str = "stationcast",
    inside_ok: bool = False,
) -> None:
    """Raise BuildError unless `out` may be replaced by a build of `episodes`.

    `out` must not be the episodes folder, lie inside it, or contain it; and when it already
    exists and holds anything, it must be the output of an earlier build (it has
    `.stationcast/state.json`).
    """
    given = Option("out", str(out))  # the messages start with the option as given
    where = relation(out, episodes)
    if where == "inside" and inside_ok:  # (a station's output root: see stationcast.station)
        where = None
    if where in ("same", "inside"):
        raise BuildError(
            Message(
                given,
                f" is inside the episodes folder {episodes}; the build replaces its output"
                " folder as a whole, so choose a folder outside it (the default is feeds/)",
            )
        )
    if where == "holds":
        raise BuildError(
            Message(
                given,
                f" contains the episodes folder {episodes}; the build replaces its output"
                " folder as a whole and would delete your episodes; choose a folder of its own",
            )
        )
    target = out.resolve()
    if target.is_dir() and not (target / marker).is_file() and any(target.iterdir()):
        raise BuildError(
            Message(
                given,
                f" is a folder {made} did not build (it has no {marker.as_posix()});"
                " the build replaces its output folder as a whole, so give an empty or new folder",
            )
        )
