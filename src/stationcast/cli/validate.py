"""`stationcast validate`: options -> stationcast.validate.validate_source -> the report."""

from __future__ import annotations

from pathlib import Path

import click

from stationcast.cli.options import allow_private_option, state_option, timeout_option
from stationcast.cli.report import Command, wants_color
from stationcast.errors import ExitStatus
from stationcast.validate.api import FeedSourceError, validate_source
from stationcast.validate.output import FORMATTERS, format_rules, format_text
from stationcast.validate.rules import PROFILES, rules_for_profile
from stationcast.validate.text import safe


@click.command(
    "validate",
    cls=Command,
    short_help="Check a feed against Apple, Spotify, PSP-1 and Podcasting 2.0 rules.",
)
@click.argument("feed", required=False, default="feeds/feed.xml", metavar="[FEED]")
@click.option(
    "--list-rules", is_flag=True, help="Print the rule catalogue (for --profile) and exit."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "junit"]),
    default="text",
    show_default=True,
    help="Report format: readable text, JSON, GitHub Actions annotations or JUnit XML.",
)
@click.option(
    "--profile",
    type=click.Choice(list(PROFILES)),
    default="all",
    show_default=True,
    help="Which platforms' rules to apply.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--remote/--no-remote",
    default=None,
    help="Check linked files over HTTP (HEAD, Range, Content-Type, CORS). "
    "Default: on for a URL, off for a file.",
)
@allow_private_option(
    "Allow the given URL's host (or a feed file's self-link host) to be a private, "
    "loopback or link-local address (a server on your own network); redirects and links to "
    "other private hosts are still refused."
)
@state_option(
    "The build's state file: published GUIDs and enclosure URLs must not change or vanish."
)
@click.option(
    "--local-root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the files under the feed's own URL (default: the feed file's folder).",
)
@click.option(
    "--remote-items",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="With --remote: how many items (from the top of the feed) get their enclosure, "
    "transcripts and chapters checked over HTTP.",
)
@click.option(
    "--apps",
    is_flag=True,
    help="Also read the feed with the parsers podcast apps use (feedparser, gPodder's"
    " podcastparser) and report what each sees that differs from the feed (the `apps` extra).",
)
@click.option(
    "--audio",
    is_flag=True,
    help="Also probe each enclosure that is a file of the local root: its real format against"
    " the declared type, its real length against <itunes:duration>; with --remote, the first"
    " --remote-items enclosures too, read by Range requests (their first 64 KiB and the few"
    " blocks their length needs).",
)
@timeout_option(
    "Seconds allowed for each HTTP request, in all (redirects and body included).", 20.0
)
def validate_command(
    feed: str,
    list_rules: bool,
    fmt: str,
    profile: str,
    strict: bool,
    remote: bool | None,
    allow_private: bool,
    state: Path | None,
    local_root: Path | None,
    remote_items: int,
    apps: bool,
    audio: bool,
    timeout: float,
) -> None:
    """Check FEED (a file or an http(s) URL; default feeds/feed.xml) against the rules
    Apple Podcasts, Spotify, PSP-1 and Podcasting 2.0 apps apply.

    Exit status: 0 no errors (with --strict: no warnings either), 1 errors, 2 usage problem.
    """
    if list_rules:
        click.echo(format_rules(rules_for_profile(profile)), nl=False)
        return
    try:
        report = validate_source(
            feed,
            profile=profile,
            local_root=local_root,
            previous_state=state,
            remote=remote,
            allow_private=allow_private,
            timeout=timeout,
            remote_items=remote_items,
            apps=apps,
            audio=audio,
        )
    except FeedSourceError as e:
        raise click.UsageError(safe(str(e))) from None
    if fmt == "text":
        # click.echo drops the colours when stdout is not a terminal.
        click.echo(format_text(report, style=click.style), nl=False, color=wants_color())
    else:
        click.echo(FORMATTERS[fmt](report), nl=False)
    click.get_current_context().exit(
        int(ExitStatus.OK if report.ok(strict=strict) else ExitStatus.FAILURE)
    )
