"""Messages that say what to do: each one's exact text, and never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from support import EXAMPLE_SLUG

EXAMPLE_GUID = "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_deleted_guid_of_a_published_episode_offers_the_published_one(
    show: Path, run: Callable[..., Result]
) -> None:
    """The state file knows the GUID the episode was published with: that is the line to add,
    not a fresh GUID the next build would refuse as a change."""
    assert run("build").exit_code == 0
    manifest = show / EXAMPLE_SLUG / "episode.yaml"
    edit(manifest, f"guid: {EXAMPLE_GUID}\n", "")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"episodes/{EXAMPLE_SLUG}/episode.yaml:1:1: guid: required field is missing or empty;"
        f" this episode was published with the GUID {EXAMPLE_GUID} (recorded in"
        " feeds/.stationcast/state.json): add the line"
        f" `guid: {EXAMPLE_GUID}` back, unchanged, or podcast apps take it for a new episode\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )
