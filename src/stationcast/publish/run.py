"""Carry out a publish plan in the safe order, and say how to finish one that failed.

1. media (audio, images), 2. transcripts, chapters, pages and everything else, 3. archive
pages (`archive-N.xml`, and any feed document other than feed.xml), 4. `feed.xml`,
5. `.stationcast/` state, 6. the published manifest (`.stationcast/published.json`),
7. WebSub / Podping, 8. deletions (only with `delete`, capped by the caller). Before stages
2-4, the destination is listed once to check that every file of the stages before it is
there with its size, so no page, archive page or feed goes up naming a file that is not there
yet, and a failure leaves the previously published feed. Within a stage, uploads may run in
parallel (`Target.max_workers`), new files before changed ones (a file already live that
changes may start to link a new one); stages never overlap.

After each stage, and when a stage fails, the manifest is rewritten with the files that did
arrive, so a rerun uploads only what is still missing. The feed's GUID list in the manifest
changes only once the new feed is up.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from stationcast.publish.headers import cache_control, content_type
from stationcast.publish.notify import PingResult, notify, podping_reason
from stationcast.publish.plan import (
    FEED_PATH,
    MANIFEST_PATH,
    STAGES,
    LocalFile,
    Plan,
    PublishedManifest,
)
from stationcast.publish.targets import PublishError, Target, describe_error

__all__ = ["PublishResult", "execute"]


@dataclass
class PublishResult:
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    pings: list[PingResult] = field(default_factory=list)
    feed_uploaded: bool = False
    manifest_written: bool = False


def execute(
    plan: Plan,
    target: Target,
    *,
    delete: bool = False,
    delete_unknown: bool = False,
    overwrite_unknown: bool = False,
    ping: bool = True,
    on_upload: Callable[[LocalFile], None] = lambda f: None,
    on_delete: Callable[[str], None] = lambda rel: None,
    rerun_hint: str = "stationcast publish",
) -> PublishResult:
    """Upload, then ping, then delete. Raises PublishError naming what to rerun.

    Files at a destination that is not this show's (`plan.differing`) are overwritten only
    with `overwrite_unknown`; files this show did not put there (`plan.unknown`) are deleted
    only with `delete` and `delete_unknown`.
    """
    if plan.differing and not overwrite_unknown:
        shown = ", ".join(plan.differing[:5]) + (" ..." if len(plan.differing) > 5 else "")
        raise PublishError(
            f"{target.display} holds {len(plan.differing)} file(s) that no publish of this show "
            f"put there and that differ from the build ({shown}); refusing to overwrite them"
        )
    result = PublishResult()
    manifest = plan.manifest
    manifest.show = plan.identity
    for f in plan.unchanged:
        manifest.record(f)
    uploads = plan.uploads
    new = {f.rel for f in plan.new}
    deletions = plan.deletions(delete=delete, delete_unknown=delete_unknown)
    manifest.foreign = [rel for rel in plan.unknown if rel not in deletions]
    local_feed = next(f for f in plan.local if f.rel == FEED_PATH)
    # the feed as listeners had it, for Podping's reason (a live program starting or ending)
    earlier_feed = None
    if ping and FEED_PATH not in new:
        try:
            earlier_feed = target.read(FEED_PATH)
        except Exception:  # (only the reason is at stake: "update" then)
            earlier_feed = None

    unverified = False  # files uploaded since the destination was last listed
    for stage in STAGES:
        batch = [f for f in uploads if f.stage == stage]
        if batch and stage in _VERIFIED_BEFORE and (unverified or stage == "feed"):
            _verify_before(stage, plan, target, manifest, rerun_hint)
            unverified = False

        def done(f: LocalFile) -> None:
            manifest.record(f)
            result.uploaded.append(f.rel)
            result.feed_uploaded |= f.rel == FEED_PATH
            on_upload(f)

        # New files first, then changed ones, each group complete before the next.
        failure = None
        for group in ([f for f in batch if f.rel in new], [f for f in batch if f.rel not in new]):
            failure = _upload_batch(target, group, done)
            if failure is not None:
                break
        unverified |= bool(batch)
        if failure is not None:
            failed, exc = failure
            saved = _save_manifest(target, manifest)
            feed_note = (
                "the new feed is up; only stationcast's own records are behind"
                if result.feed_uploaded
                else "the feed at the destination was not changed"
            )
            raise PublishError(
                f"upload of {failed.rel} to {target.display} failed: {describe_error(exc)}\n"
                f"{len(result.uploaded)} of {len(uploads)} files were uploaded; {feed_note}.\n"
                f"Rerun `{rerun_hint}` to finish"
                + ("" if saved else " (it will upload those files again)")
                + "."
            ) from exc
        if stage == "feed":
            manifest.guids = list(plan.guids)
        elif batch and stage in ("media", "pages", "archive"):
            _save_manifest(target, manifest)  # progress, so a rerun skips what arrived

    # The manifest lists exactly what was built (and is therefore at the destination).
    built = {f.rel for f in plan.local}
    manifest.files = {k: v for k, v in manifest.files.items() if k in built}
    if manifest.to_bytes() != plan.manifest_bytes:
        try:
            _put_manifest(target, manifest)
        except Exception as exc:
            raise PublishError(
                f"the files and the feed are up, but writing {MANIFEST_PATH} to {target.display} "
                f"failed: {describe_error(exc)}\nRerun `{rerun_hint}` to record them "
                "(it will upload the changed files again)."
            ) from exc
        result.manifest_written = True

    if ping and result.feed_uploaded:
        feed = local_feed.path.read_bytes()
        result.pings = notify(feed, podping_reason(earlier_feed, feed))

    for rel in deletions:
        try:
            target.delete(rel)
        except FileNotFoundError:
            pass
        except Exception as exc:
            raise PublishError(
                f"the new feed is up, but deleting {rel} from {target.display} failed: "
                f"{describe_error(exc)}\nRerun `{rerun_hint}` to finish the deletions."
            ) from exc
        result.deleted.append(rel)
        on_delete(rel)
    return result


#: The stages that link files of earlier stages, so those must be at the destination first.
_VERIFIED_BEFORE = ("pages", "archive", "feed")


def _verify_before(
    stage: str, plan: Plan, target: Target, manifest: PublishedManifest, rerun_hint: str
) -> None:
    """List the destination once: every file of the stages before `stage` must be there, whole.

    Catches a store that acknowledged a write it did not keep (or not yet, on stores with
    eventual listing), before the files that point at it go up.
    """
    try:
        remote = target.list()
    except Exception as exc:
        _save_manifest(target, manifest)
        raise PublishError(
            f"could not list {target.display} to check the uploads: {describe_error(exc)}\n"
            f"The feed at the destination was not changed. Rerun `{rerun_hint}` to finish."
        ) from exc
    before = STAGES[: STAGES.index(stage)]
    missing = [f.rel for f in plan.local if f.stage in before and remote.get(f.rel) != f.size]
    if missing:
        for rel in missing:
            manifest.files.pop(rel, None)
        _save_manifest(target, manifest)
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise PublishError(
            f"{len(missing)} uploaded file(s) are missing or incomplete at {target.display} "
            f"({shown}); the feed at the destination was not changed.\n"
            f"Rerun `{rerun_hint}` to upload them again."
        )


def _upload_batch(
    target: Target, batch: list[LocalFile], done: Callable[[LocalFile], None]
) -> tuple[LocalFile, BaseException] | None:
    """Upload one stage, `target.max_workers` at a time; stop submitting at the first failure.

    Returns the first failure, after every upload already started has finished (so `done` has
    been called for each file that arrived). `done` runs in the calling thread.
    """

    def put(f: LocalFile) -> None:
        target.put(
            f.path,
            f.rel,
            content_type=content_type(f.rel),
            cache_control=cache_control(f.rel),
            sha256=f.sha256,
        )

    failure: tuple[LocalFile, BaseException] | None = None
    todo = iter(batch)
    with ThreadPoolExecutor(max_workers=max(1, target.max_workers)) as pool:
        running = {pool.submit(put, f): f for f in itertools.islice(todo, target.max_workers)}
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                f = running.pop(future)
                exc = future.exception()
                if exc is None:
                    done(f)
                elif failure is None:
                    failure = (f, exc)
            if failure is None:
                for f in itertools.islice(todo, len(finished)):
                    running[pool.submit(put, f)] = f
    return failure


def _put_manifest(target: Target, manifest: PublishedManifest) -> None:
    data = manifest.to_bytes()
    target.put_bytes(
        data,
        MANIFEST_PATH,
        content_type=content_type(MANIFEST_PATH),
        cache_control=cache_control(MANIFEST_PATH),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _save_manifest(target: Target, manifest: PublishedManifest) -> bool:
    """Best effort: a target that just failed may fail again."""
    try:
        _put_manifest(target, manifest)
    except Exception:
        return False
    return True
