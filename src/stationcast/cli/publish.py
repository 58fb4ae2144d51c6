"""`stationcast publish`: options -> stationcast.publish (plan, then execute) -> each upload."""

from __future__ import annotations

import hashlib
import shlex
import sys
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from stationcast.build.outdir import Relation, relation
from stationcast.cli.options import dry_run_option, episodes_option, out_option
from stationcast.cli.report import Command, echo, folder, phrase
from stationcast.errors import display_path
from stationcast.publish.plan import (
    MANIFEST_PATH,
    LocalFile,
    Plan,
    changed_since_build,
    human_size,
    make_plan,
)
from stationcast.publish.run import execute
from stationcast.publish.targets import (
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


@click.command("publish", cls=Command)
@click.option(
    "--to",
    "dest",
    required=True,
    metavar="DEST",
    help="A folder, s3://BUCKET/PREFIX or sftp://[USER@]HOST[:PORT]/PATH.",
)
@out_option(
    "The built output folder to publish.",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
)
@episodes_option("The show's sources; a folder DEST that is, holds or lies inside them is refused.")
@dry_run_option("Print the plan (new, changed, unchanged, would-delete) and touch nothing.")
@click.option(
    "--delete",
    is_flag=True,
    help="Delete files at DEST that the build no longer has (after the new feed is up).",
)
@click.option(
    "--delete-unknown",
    is_flag=True,
    help="With --delete: also delete files no publish of this show put at DEST (needed where "
    "DEST has no record of this show).",
)
@click.option(
    "--overwrite-unknown",
    is_flag=True,
    help="Replace files at DEST that differ from the build where DEST has no record of this "
    "show (published by another tool, or another show's folder).",
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
    episodes: Path,
    dry_run: bool,
    delete: bool,
    delete_unknown: bool,
    overwrite_unknown: bool,
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
    """Upload the built show to DEST: media first, then pages and transcripts, then archive
    pages, the feed last.

    Only files whose content changed are uploaded (sha256, compared with the manifest the
    last publish left at DEST in .stationcast/published.json). Nothing at DEST is deleted
    unless --delete is given. Where DEST has no record of a publish of this show, nothing
    there is overwritten without --overwrite-unknown or deleted without --delete-unknown.
    A folder DEST must not be, hold or lie inside --episodes or --out. After a new feed is
    up, the WebSub hubs the feed lists are pinged, and Podping when STATIONCAST_PODPING_TOKEN
    is set. If an upload fails the previously published feed stays in place; rerun the same
    command to finish.
    """
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
    if delete_unknown and not delete:
        raise click.UsageError("--delete-unknown applies with --delete only")
    rerun = ["--to", dest]
    if out != Path("feeds"):
        rerun += ["--out", str(out)]
    if episodes != Path("episodes"):
        rerun += ["--episodes", str(episodes)]
    rerun += ["--delete"] if delete else []
    rerun += ["--delete-unknown"] if delete_unknown else []
    rerun += ["--overwrite-unknown"] if overwrite_unknown else []
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
    if kind == "file":
        _check_folder(dest, Path(parse_destination(dest).root), episodes, out)
    options = _Options(
        delete, delete_unknown, overwrite_unknown, max_deletes, allow_removal, no_ping
    )
    from stationcast.station.build import RECORD

    if (out / RECORD).is_file():  # a station's output: each show, then the station's files
        _publish_station(dest, out, episodes, dry_run, options, rerun, s3=s3, sftp=sftp)
        return
    changed = changed_since_build(episodes, out)
    if changed is not None:
        echo(
            f"warning: {display_path(changed)} changed after {folder(out)} was built; this"
            f" publishes the build from before it: run `stationcast build` first",
            err=True,
        )
    target = open_target(dest, s3=s3, sftp=sftp)
    try:
        _publish(target, out, dry_run, options, _rerun(rerun))
    finally:
        target.close()


def _publish_station(
    dest: str,
    out: Path,
    episodes: Path,
    dry_run: bool,
    o: _Options,
    rerun: list[str],
    *,
    s3: S3Options,
    sftp: SFTPOptions,
) -> None:
    """A station's output: each show to DEST/<show> as a show's publish does it (media
    first, its feed last, with every check), then, once every show is up, the station's
    own files (its page, OPML, publisher feed) at DEST. A show that fails stops nothing but
    the station's files; rerunning the same command finishes."""
    import json

    from stationcast.publish.headers import cache_control, content_type
    from stationcast.station.build import RECORD

    record = json.loads((out / RECORD).read_text())
    names = [n for n in record.get("shows", []) if (out / n).is_dir()]
    failed: list[str] = []
    for name in names:
        show_dest = dest.rstrip("/") + "/" + name
        echo(f"{name}:")
        sources = episodes / name
        changed = changed_since_build(sources, out / name) if sources.is_dir() else None
        if changed is not None:
            echo(
                f"warning: {display_path(changed)} changed after {folder(out / name)} was"
                " built; this publishes the build from before it: run `stationcast build` first",
                err=True,
            )
        try:
            target = open_target(show_dest, s3=s3, sftp=sftp)
            try:
                _publish(target, out / name, dry_run, o, _rerun(rerun))
            finally:
                target.close()
        except PublishError as exc:
            echo(f"error: {name}: {exc}", err=True, always=True)
            failed.append(name)
    if failed:
        raise PublishError(
            f"{len(failed)} show(s) not published ({', '.join(failed)}); the station's page,"
            " OPML and publisher feed were left as they were, so they list no feed that is not"
            " up. Rerun the same command to finish."
        )
    files = [f for f in record.get("files", []) if (out / f).is_file()]
    target = open_target(dest, s3=s3, sftp=sftp)
    try:
        sent = []
        for rel in files:
            data = (out / rel).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if target.sha256(rel) == digest:
                continue
            if not dry_run:
                target.put_bytes(
                    data,
                    rel,
                    content_type=content_type(rel),
                    cache_control=cache_control(rel),
                    sha256=digest,
                )
            sent.append(rel)
    finally:
        target.close()
    verb = "would upload" if dry_run else "uploaded"
    echo(
        f"Station: {len(names)} show(s) published; {verb} {', '.join(sent) or 'nothing'}"
        f" of the station's files at {dest}"
    )


_WHERE: dict[Relation, tuple[str, str]] = {
    # relation of DEST to the folder -> (how DEST lies, what to do instead)
    "same": ("into", "give a destination outside {them}"),
    "inside": ("inside", "give a destination outside {them}"),
    "holds": ("into a folder that holds", "give a folder of its own"),
}


def _check_folder(dest: str, folder: Path, episodes: Path, out: Path) -> None:
    """A folder DEST must not be, hold or lie inside the show's sources or the built output
    (resolved paths: symlinks and `..` count as where they lead). A sources folder that does
    not exist has nothing to protect."""
    for what, path, them in (
        ("the show's sources", episodes, "them"),
        ("the built output", out, "it"),
    ):
        where = relation(folder, path) if path.is_dir() else None
        if where is not None:
            how, instead = _WHERE[where]
            shown = path.as_posix().rstrip("/") + "/"
            raise PublishError(
                f"--to {dest}: refusing to publish {how} {what} ({shown}); "
                + instead.format(them=them)
            )


@dataclass(frozen=True)
class _Options:
    delete: bool
    delete_unknown: bool
    overwrite_unknown: bool
    max_deletes: int
    allow_removal: bool
    no_ping: bool


def _listed(rels: list[str]) -> str:
    return ", ".join(rels[:5]) + (" ..." if len(rels) > 5 else "")


def _not_ours(plan: Plan, display: str) -> str:
    """Why DEST is not this show's destination, as the start of a sentence."""
    if plan.ownership == "unrecorded":
        return f"{display} has no record of a publish of this show (no {MANIFEST_PATH})"
    return (
        f"{display} holds the publish record of another show ({MANIFEST_PATH} is for "
        f"{plan.recorded_show}; this build is {plan.identity})"
    )


def _refusals(plan: Plan, display: str, o: _Options) -> list[str]:
    """Everything that stops this publish before it starts, one sentence each."""
    problems: list[str] = []
    foreign = plan.ownership in ("unrecorded", "other show")
    if foreign and plan.differing and not o.overwrite_unknown:
        n = len(plan.differing)
        them = "them" if n != 1 else "it"
        problems.append(
            f"{_not_ours(plan, display)}, and {n} file{'s' if n != 1 else ''} there "
            f"differ{'s' if n == 1 else ''} from the build ({_listed(plan.differing)}): "
            f"publishing would overwrite {them}. Check --to; to replace {them}, add "
            "--overwrite-unknown"
        )
    if foreign and o.delete and plan.unknown and not o.delete_unknown:
        n = len(plan.unknown)
        problems.append(
            f"--delete: {_not_ours(plan, display)}, and it holds {n} file{'s' if n != 1 else ''}"
            f" the build does not have ({_listed(plan.unknown)}) that "
            f"{'are' if n != 1 else 'is'} not this show's to delete. Check --to; to delete "
            f"{'them' if n != 1 else 'it'} anyway, add --delete-unknown"
        )
    if plan.unpublished and not o.allow_removal:
        problems.append(
            f"the new feed would unpublish {len(plan.unpublished)} episode"
            f"{'s' if len(plan.unpublished) != 1 else ''} that {display} has published "
            f"({_listed(plan.unpublished)}); podcast apps would delete them. Build from the "
            "complete episodes/, or pass --allow-removal if removing them is intended"
        )
    deletions = plan.deletions(delete=o.delete, delete_unknown=o.delete_unknown)
    deletions = [
        rel for rel in deletions if rel not in set(plan.expired)
    ]  # (see build's --max-expire)
    if len(deletions) > o.max_deletes:
        problems.append(
            f"--delete would delete {len(deletions)} files at {display}, more than "
            f"--max-deletes {o.max_deletes}; check the plan, then raise --max-deletes"
        )
    return problems


def _publish(target: Target, out: Path, dry_run: bool, o: _Options, rerun: str) -> None:
    try:
        plan = make_plan(out, target)
    except PublishError:
        raise
    except Exception as exc:
        raise PublishError(f"cannot read {target.display}: {describe_error(exc)}") from exc

    echo(f"Publishing {out} to {target.display}")
    # A real run reports each upload as it happens; a dry run lists them here.
    for line in plan.lines(delete=o.delete, uploads=dry_run, delete_unknown=o.delete_unknown):
        echo(phrase(line, click.get_current_context().command))

    problems = _refusals(plan, target.display, o)
    if problems:
        raise PublishError("; and ".join(problems) + ". Nothing was uploaded.")
    deletions = plan.deletions(delete=o.delete, delete_unknown=o.delete_unknown)
    kept = [rel for rel in plan.unknown if rel not in deletions]
    if plan.ownership in ("unrecorded", "other show") and kept:
        n = len(kept)
        echo(
            f"warning: {_not_ours(plan, target.display)}; the {n} file{'s' if n != 1 else ''}"
            f" there that the build does not have {'are' if n != 1 else 'is'} kept, and "
            "recorded as not this show's, so a later --delete keeps them too",
            err=True,
        )
    if dry_run:
        echo("dry run: nothing was uploaded or deleted")
        return
    if not plan.uploads and not deletions:
        # Records the manifest if it is missing or older.
        execute(plan, target, ping=False, overwrite_unknown=o.overwrite_unknown)
        echo("Nothing to upload: the destination is up to date.")
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
                echo(f"uploaded {f.rel} ({human_size(f.size)})")

        result = execute(
            plan,
            target,
            delete=o.delete,
            delete_unknown=o.delete_unknown,
            overwrite_unknown=o.overwrite_unknown,
            ping=not o.no_ping,
            on_upload=uploaded,
            on_delete=lambda rel: echo(f"deleted  {rel}"),
            rerun_hint=rerun,
        )

    for p in result.pings:
        if p.ok:
            echo(f"pinged {p.kind} {p.endpoint}: {p.detail}")
        else:
            hint = f"; to retry: {p.retry}" if p.retry else ""
            echo(
                f"warning: {p.kind} ping to {p.endpoint or 'hubs'} failed: {p.detail}{hint}",
                err=True,
            )
    echo(
        f"Published: {len(result.uploaded)} uploaded, {len(plan.unchanged)} unchanged, "
        f"{len(result.deleted)} deleted."
    )
