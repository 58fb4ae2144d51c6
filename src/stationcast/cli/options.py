"""Options more than one command takes, declared once: same name, type and default everywhere.

Each is a function returning the click decorator; a command whose option means something a
little different there (publish's --out must exist) passes its own help text or settings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EPISODES_HELP = "Folder holding show.yaml and one folder per episode."


def episodes_option(help: str = EPISODES_HELP, **settings: Any) -> Callable[[F], F]:
    """--episodes: the show's folder (show.yaml and one folder per episode)."""
    return click.option(
        "--episodes",
        "episodes",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("episodes"),
        show_default=True,
        help=help,
        **settings,
    )


def out_option(help: str, **settings: Any) -> Callable[[F], F]:
    """--out: the built output folder (feeds/ unless the command says otherwise)."""
    options: dict[str, Any] = {
        "type": click.Path(path_type=Path, file_okay=False),
        "default": Path("feeds"),
        "show_default": True,
        **settings,
    }
    return click.option("--out", "out", help=help, **options)


def state_option(help: str) -> Callable[[F], F]:
    """--state: a build's state file (.stationcast/state.json), which must exist."""
    return click.option(
        "--state",
        "state",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help=help,
    )


def slug_option(help: str) -> Callable[[F], F]:
    """--slug: an episode's folder name and URL part."""
    return click.option("--slug", "slug", help=help)


def base_url_option(help: str) -> Callable[[F], F]:
    """--base-url: the URL the output is published at, overriding base_url in show.yaml."""
    return click.option("--base-url", "base_url", default=None, help=help)


def dry_run_option(help: str) -> Callable[[F], F]:
    """--dry-run: say what would change, change nothing."""
    return click.option("--dry-run", "dry_run", is_flag=True, help=help)


def lock_timeout_option() -> Callable[[F], F]:
    """--lock-timeout: how long a build waits for another build of the same output."""
    return click.option(
        "--lock-timeout",
        "lock_timeout",
        type=click.FloatRange(min=0),
        metavar="SECONDS",
        help="While another build of the same output runs, wait at most this long for it"
        " (0: fail at once). Default: wait until it ends.",
    )


def allow_private_option(help: str) -> Callable[[F], F]:
    """--allow-private: the host the user named may be on a private network."""
    return click.option("--allow-private", "allow_private", is_flag=True, help=help)


def timeout_option(help: str, default: float) -> Callable[[F], F]:
    """--timeout: seconds allowed for each HTTP request, in all."""
    return click.option(
        "--timeout",
        "timeout",
        type=click.FloatRange(min=0.1, max=600),
        default=default,
        show_default=True,
        help=help,
    )


def complete_slugs(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Shell completion of episode slugs: the folders of --episodes holding an episode.yaml."""
    from click.shell_completion import CompletionItem

    episodes = ctx.params.get("episodes") or Path("episodes")
    try:
        names = sorted(
            p.name
            for p in Path(episodes).iterdir()
            if p.name.startswith(incomplete) and (p / "episode.yaml").is_file()
        )
    except OSError:
        return []
    return [CompletionItem(name) for name in names]
