"""`stationcast publish`: the click command. Parses options, calls the library, prints."""

from __future__ import annotations

import shlex
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import click

from stationcast.errors import ExitStatus
from stationcast.publish.plan import LocalFile, human_size, make_plan
from stationcast.publish.run import execute
from stationcast.publish.targets import (
    FolderTarget,
    PublishError,
    S3Options,
    SFTPOptions,
    Target,
    describe_error,
    open_target,
    parse_destination,
)

__all__ = ["publish_command"]

DEFAULT_MAX_DELETES = 256


def _rerun(args: list[str]) -> str:
    return " ".join(["stationcast", "publish", *(shlex.quote(a) for a in args)])


@click.command("publish", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--to",
    "dest",
    required=True,
    metavar="DEST",
    help="A folder, s3://BUCKET/PREFIX or sftp://[USER@]HOST[:PORT]/PATH.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("feeds"),
    show_default=True,
    help="The built output folder to publish.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan (new, changed, unchanged, would-delete) and touch nothing.",
)
@click.option(
    "--delete",
    is_flag=True,
    help="Delete files at DEST that the build no longer has (after the new feed is up).",
)
@click.option(
    "--max-deletes",
    type=click.IntRange(0),
    default=DEFAULT_MAX_DELETES,
    show_default=True,
    help="With --delete: refuse to publish if more files than this would be deleted.",
)
@click.option(
    "--allow-removal",
    is_flag=True,
    help="Publish a feed that drops episodes the published feed has (they vanish from apps).",
)
@click.option("--no-ping", is_flag=True, help="Do not notify WebSub hubs or Podping.")
@click.option(
    "--endpoint-url",
    metavar="URL",
    help="S3: endpoint of an S3-compatible store "
    "(R2, B2, MinIO...). Default: $AWS_ENDPOINT_URL or AWS.",
)
@click.option("--region", help="S3: region. Default: $AWS_REGION / $AWS_DEFAULT_REGION / profile.")
@click.option("--profile", help="S3: named profile from ~/.aws. Default: $AWS_PROFILE.")
@click.option(
    "--s3-checksums",
    type=click.Choice(["when_required", "when_supported"]),
    default="when_required",
    show_default=True,
    help="S3: when botocore adds CRC checksum headers. Many S3-compatible stores reject "
    "them; when_supported suits AWS.",
)
@click.option(
    "--ssh-key",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="SFTP: private key file. Default: ssh-agent, then ~/.ssh/id_*.",
)
@click.option(
    "--known-hosts",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="SFTP: known_hosts file the server's key must be in [default: ~/.ssh/known_hosts].",
)
def publish_command(
    dest: str,
    out: Path,
    dry_run: bool,
    delete: bool,
    max_deletes: int,
    allow_removal: bool,
    no_ping: bool,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
    s3_checksums: str,
    ssh_key: Path | None,
    known_hosts: Path | None,
) -> None:
    """Upload the built show to DEST: media first, then pages and transcripts, the feed last.

    Only files whose content changed are uploaded (sha256, compared with the manifest the
    last publish left at DEST in .stationcast/published.json). Nothing at DEST is deleted
    unless --delete is given. After a new feed is up, the WebSub hubs the feed lists are
    pinged, and Podping when STATIONCAST_PODPING_TOKEN is set. If an upload fails the
    previously published feed stays in place; rerun the same command to finish.
    """
    try:
        kind = parse_destination(dest).scheme
        s3 = S3Options(endpoint_url, region, profile, s3_checksums)
        sftp = (
            SFTPOptions(key_file=ssh_key)
            if known_hosts is None
            else SFTPOptions(key_file=ssh_key, known_hosts=known_hosts)
        )
        if kind != "s3" and (endpoint_url or region or profile):
            raise click.UsageError("--endpoint-url, --region and --profile apply to s3:// only")
        if kind != "sftp" and (ssh_key or known_hosts):
            raise click.UsageError("--ssh-key and --known-hosts apply to sftp:// only")
        rerun = ["--to", dest]
        if out != Path("feeds"):
            rerun += ["--out", str(out)]
        rerun += ["--delete"] if delete else []
        rerun += ["--max-deletes", str(max_deletes)] if max_deletes != DEFAULT_MAX_DELETES else []
        rerun += ["--allow-removal"] if allow_removal else []
        rerun += ["--no-ping"] if no_ping else []
        for name, value in (
            ("--endpoint-url", endpoint_url),
            ("--region", region),
            ("--profile", profile),
            ("--ssh-key", ssh_key),
            ("--known-hosts", known_hosts),
        ):
            rerun += [name, str(value)] if value else []
        if s3_checksums != "when_required":
            rerun += ["--s3-checksums", s3_checksums]
        target = open_target(dest, s3=s3, sftp=sftp)
        try:
            _publish(
                target, out, dry_run, delete, max_deletes, allow_removal, no_ping, _rerun(rerun)
            )
        finally:
            target.close()
    except PublishError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitStatus.FAILURE)


def _publish(
    target: Target,
    out: Path,
    dry_run: bool,
    delete: bool,
    max_deletes: int,
    allow_removal: bool,
    no_ping: bool,
    rerun: str,
) -> None:
    if isinstance(target, FolderTarget):
        dest, src = Path(target.root).resolve(), out.resolve()
        if dest == src or dest.is_relative_to(src) or src.is_relative_to(dest):
            raise PublishError(
                f"--to {target.display} and --out {out} overlap; publish to a folder outside "
                "the output folder (and not one that contains it)"
            )
    try:
        plan = make_plan(out, target)
    except PublishError:
        raise
    except Exception as exc:
        raise PublishError(f"cannot read {target.display}: {describe_error(exc)}") from exc

    click.echo(f"Publishing {out} to {target.display}")
    # A real run reports each upload as it happens; a dry run lists them here.
    for line in plan.lines(delete=delete, uploads=dry_run):
        click.echo(line)

    problems: list[str] = []
    if plan.unpublished and not allow_removal:
        shown = ", ".join(plan.unpublished[:5]) + (" ..." if len(plan.unpublished) > 5 else "")
        problems.append(
            f"the new feed would unpublish {len(plan.unpublished)} episode"
            f"{'s' if len(plan.unpublished) != 1 else ''} that {target.display} has published "
            f"({shown}); podcast apps would delete them. Build from the complete episodes/, "
            "or pass --allow-removal if removing them is intended"
        )
    if delete and len(plan.orphans) > max_deletes:
        problems.append(
            f"--delete would delete {len(plan.orphans)} files at {target.display}, more than "
            f"--max-deletes {max_deletes}; check the plan, then raise --max-deletes"
        )
    if problems:
        raise PublishError("; and ".join(problems) + ". Nothing was uploaded.")
    if dry_run:
        click.echo("dry run: nothing was uploaded or deleted")
        return
    if not plan.uploads and not (delete and plan.orphans):
        execute(plan, target, delete=False, ping=False)  # records an older manifest if needed
        click.echo("Nothing to upload: the destination is up to date.")
        return

    progress: AbstractContextManager[Any]
    if sys.stderr.isatty():
        progress = click.progressbar(
            length=plan.upload_bytes, label="Uploading", file=sys.stderr, show_pos=False
        )
    else:
        progress = nullcontext()

    with progress as bar:

        def uploaded(f: LocalFile) -> None:
            if bar is not None:
                bar.update(f.size)
            else:
                click.echo(f"uploaded {f.rel} ({human_size(f.size)})")

        result = execute(
            plan,
            target,
            delete=delete,
            ping=not no_ping,
            on_upload=uploaded,
            on_delete=lambda rel: click.echo(f"deleted  {rel}"),
            rerun_hint=rerun,
        )

    for p in result.pings:
        if p.ok:
            click.echo(f"pinged {p.kind} {p.endpoint}: {p.detail}")
        else:
            hint = f"; to retry: {p.retry}" if p.retry else ""
            click.echo(
                f"warning: {p.kind} ping to {p.endpoint or 'hubs'} failed: {p.detail}{hint}",
                err=True,
            )
    click.echo(
        f"Published: {len(result.uploaded)} uploaded, {len(plan.unchanged)} unchanged, "
        f"{len(result.deleted)} deleted."
    )
