"""Publishing to a folder: order, change detection, dry run, interruption, deletions, U3."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.cli.publish import publish_command
from stationcast.publish import FolderTarget, execute, make_plan
from stationcast.publish.targets import PublishError

from .conftest import GUIDS, feed_xml, make_site, write_state


def publish(*args: str) -> Result:
    return CliRunner().invoke(publish_command, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class RecordingTarget(FolderTarget):
    """A real folder target that records the order of writes and can fail the Nth one."""

    def __init__(self, folder: Path, fail_at: int | None = None) -> None:
        super().__init__(folder)
        self.writes: list[str] = []
        self.fail_at = fail_at

    def put(self, local: Path, rel: str, **headers: str) -> None:  # type: ignore[override]
        self.writes.append(rel)
        if self.fail_at is not None and len(self.writes) >= self.fail_at:
            raise OSError(28, "No space left on device (injected)")
        super().put(local, rel, **headers)  # type: ignore[arg-type]


def test_first_publish_copies_everything(site: Path, tmp_path: Path) -> None:
    """Every built file, hidden state included, arrives byte for byte; a manifest is left."""
    dest = tmp_path / "www"
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 0, result.output
    built = {k: v[0] for k, v in snapshot(site).items()}
    published = {k: v[0] for k, v in snapshot(dest).items()}
    manifest = json.loads(published.pop(".stationcast/published.json"))
    assert published == built
    assert ".stationcast/state.json" in published
    assert set(manifest["files"]) == set(built)
    assert manifest["feed"]["guids"] == GUIDS
    assert "18 new, 0 changed, 0 unchanged" in result.output
    assert not [p for p in dest.rglob("*") if "stationcast-tmp" in p.name]


def test_order_media_pages_feed_state(site: Path, tmp_path: Path) -> None:
    """Media first, then pages/transcripts/chapters, then feed.xml, then stationcast's state."""
    target = RecordingTarget(tmp_path / "www")
    execute(make_plan(site, target), target, ping=False)
    stages = []
    for rel in target.writes:
        if rel.endswith((".mp3", ".jpg")):
            stages.append(0)
        elif rel == "feed.xml":
            stages.append(2)
        elif rel.startswith(".stationcast/"):
            stages.append(3)
        else:
            stages.append(1)
    assert stages == sorted(stages)
    assert stages.count(2) == 1 and stages[-1] == 3


def test_second_publish_uploads_nothing(site: Path, tmp_path: Path) -> None:
    """With no changes, a second publish writes nothing at all (not even the manifest)."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    before = snapshot(dest)
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 0
    assert "0 new, 0 changed, 18 unchanged" in result.output
    assert "Nothing to upload" in result.output
    assert snapshot(dest) == before


def test_dry_run_touches_nothing(site: Path, tmp_path: Path) -> None:
    """--dry-run prints new/changed/orphans and leaves the destination exactly as it was."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    (site / "isis-defectors" / "transcript.txt").write_text("MCEVERS: Hello.\n", encoding="utf-8")
    (site / "new.html").write_text("<p>new</p>", encoding="utf-8")
    (dest / "old-episode").mkdir()
    (dest / "old-episode" / "audio.mp3").write_bytes(b"old")
    before = snapshot(dest)
    result = publish("--to", str(dest), "--out", str(site), "--dry-run", "--delete")
    assert result.exit_code == 0, result.output
    assert "changed   isis-defectors/transcript.txt" in result.output
    assert "new       new.html" in result.output
    assert "delete    old-episode/audio.mp3" in result.output
    assert "1 new, 1 changed, 17 unchanged, 1 to delete" in result.output
    assert snapshot(dest) == before


def test_dry_run_on_missing_folder_creates_nothing(site: Path, tmp_path: Path) -> None:
    """A dry run to a folder that does not exist yet does not create it."""
    result = publish("--to", str(tmp_path / "nowhere"), "--out", str(site), "--dry-run")
    assert result.exit_code == 0
    assert "18 new" in result.output
    assert not (tmp_path / "nowhere").exists()


def test_same_size_change_with_old_mtime_is_uploaded(site: Path, tmp_path: Path) -> None:
    """U5: content hashes, not size + mtime, decide what changed."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    feed = site / "feed.xml"
    data = feed.read_bytes()
    edited = data.replace(b"<title>Show</title>", b"<title>Shoe</title>")
    assert len(edited) == len(data)
    feed.write_bytes(edited)
    os.utime(feed, (1_000_000_000, 1_000_000_000))
    result = publish("--to", str(dest), "--out", str(site), "--no-ping")
    assert "0 new, 1 changed, 17 unchanged" in result.output
    assert "uploaded feed.xml" in result.output
    assert (dest / "feed.xml").read_bytes() == edited


def test_file_removed_at_destination_is_uploaded_again(site: Path, tmp_path: Path) -> None:
    """The destination's listing is checked too: a file deleted there by hand comes back."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    (dest / "isis-defectors" / "audio.mp3").unlink()
    result = publish("--to", str(dest), "--out", str(site))
    assert "1 new, 0 changed, 17 unchanged" in result.output
    assert "uploaded isis-defectors/audio.mp3" in result.output
    assert (dest / "isis-defectors" / "audio.mp3").is_file()


def test_interrupted_publish_keeps_old_feed_and_rerun_completes(site: Path, tmp_path: Path) -> None:
    """U1: a write failing midway leaves the old feed; the rerun uploads only the rest."""
    dest = tmp_path / "www"
    old = make_site(tmp_path / "old", guids=GUIDS)
    (old / "feed.xml").write_bytes(feed_xml(None, GUIDS, title="Old"))
    assert publish("--to", str(dest), "--out", str(old)).exit_code == 0
    old_feed = (dest / "feed.xml").read_bytes()

    for ep in ("isis-defectors", "second-episode"):
        (site / ep / "audio.mp3").write_bytes(b"ID3 new mix " + ep.encode() * 300)
        (site / ep / "transcript.vtt").write_text("WEBVTT\n\nNOTE new\n", encoding="utf-8")
    (site / "feed.xml").write_bytes(feed_xml(None, GUIDS, title="New"))
    target = RecordingTarget(dest, fail_at=3)
    plan = make_plan(site, target)
    with pytest.raises(PublishError) as err:
        execute(plan, target, ping=False, rerun_hint="stationcast publish --to www")
    message = str(err.value)
    assert "2 of" in message and "the feed at the destination was not changed" in message
    assert "Rerun `stationcast publish --to www` to finish." in message
    assert (dest / "feed.xml").read_bytes() == old_feed
    assert not [p for p in dest.rglob("*") if "stationcast-tmp" in p.name]

    rerun = RecordingTarget(dest)
    plan = make_plan(site, rerun)
    assert {f.rel for f in plan.unchanged} >= {
        "isis-defectors/audio.mp3",
        "second-episode/audio.mp3",
    }
    execute(plan, rerun, ping=False)
    assert "isis-defectors/audio.mp3" not in rerun.writes  # arrived the first time
    assert rerun.writes[-1] == "feed.xml"  # the state file did not change
    assert (dest / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()
    assert make_plan(site, FolderTarget(dest)).uploads == []


def test_interrupted_publish_cli_message(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command exits 1 and names the exact command to rerun."""
    dest = tmp_path / "www"
    calls = {"n": 0}
    real_put = FolderTarget.put

    def failing_put(self: FolderTarget, local: Path, rel: str, **kw: str) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(5, "Input/output error")
        real_put(self, local, rel, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(FolderTarget, "put", failing_put)
    result = CliRunner().invoke(
        publish_command, ["--to", str(dest), "--out", str(site), "--no-ping"]
    )
    assert result.exit_code == 1
    assert (
        f"Rerun `stationcast publish --to {dest} --out {site} --no-ping` to finish."
        in result.stderr
    )
    assert not (dest / "feed.xml").exists()


def test_orphans_kept_without_delete(site: Path, tmp_path: Path) -> None:
    """U2: files at the destination that the build lacks stay, listed as orphans."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    (dest / "old").mkdir(parents=True)
    (dest / "old" / "audio.mp3").write_bytes(b"old")
    result = publish("--to", str(dest), "--out", str(site))
    assert "orphan    old/audio.mp3 (kept; --delete removes it)" in result.output
    assert (dest / "old" / "audio.mp3").exists()


def test_delete_after_feed(site: Path, tmp_path: Path) -> None:
    """--delete removes orphans, after the new feed is up."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    (dest / "old").mkdir(parents=True)
    (dest / "old" / "audio.mp3").write_bytes(b"old")
    (site / "feed.xml").write_bytes(feed_xml(None, GUIDS, title="New"))
    result = publish("--to", str(dest), "--out", str(site), "--delete", "--no-ping")
    assert result.exit_code == 0, result.output
    assert not (dest / "old" / "audio.mp3").exists()
    assert result.output.index("uploaded feed.xml") < result.output.index("deleted  old/audio.mp3")


def test_max_deletes_refuses_before_uploading(site: Path, tmp_path: Path) -> None:
    """More orphans than --max-deletes: nothing uploaded, nothing deleted, exit 1."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    for i in range(3):
        (dest / f"stray{i}.mp3").write_bytes(b"x")
    (site / "new.html").write_text("<p>new</p>", encoding="utf-8")
    before = snapshot(dest)
    result = publish("--to", str(dest), "--out", str(site), "--delete", "--max-deletes", "2")
    assert result.exit_code == 1
    assert "--delete would delete 3 files" in result.stderr
    assert "Nothing was uploaded" in result.stderr
    assert snapshot(dest) == before


def test_refuses_to_unpublish_episodes(site: Path, tmp_path: Path) -> None:
    """U3: a feed missing published GUIDs is refused unless --allow-removal."""
    dest = tmp_path / "www"
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    before = snapshot(dest)
    (site / "feed.xml").write_bytes(feed_xml(None, GUIDS[:1]))
    write_state(site, GUIDS[:1])
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 1
    assert "would unpublish 1 episode that" in result.stderr
    assert "guid-second-episode" in result.stderr
    assert "--allow-removal" in result.stderr
    assert snapshot(dest) == before
    result = publish("--to", str(dest), "--out", str(site), "--allow-removal")
    assert result.exit_code == 0, result.output
    assert (
        json.loads((dest / ".stationcast/published.json").read_text())["feed"]["guids"] == GUIDS[:1]
    )


def test_unpublish_check_reads_the_remote_feed(site: Path, tmp_path: Path) -> None:
    """Without a manifest (published by another tool), the destination's feed.xml counts."""
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "feed.xml").write_bytes(feed_xml(None, [*GUIDS, "guid-from-elsewhere"]))
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 1
    assert "guid-from-elsewhere" in result.stderr


def test_needs_a_built_feed(tmp_path: Path) -> None:
    """Publishing a folder without feed.xml says to build first."""
    (tmp_path / "feeds").mkdir()
    result = publish("--to", str(tmp_path / "www"), "--out", str(tmp_path / "feeds"))
    assert result.exit_code == 1
    assert "run `stationcast build` first" in result.stderr


def test_symlink_out_of_output_refused(site: Path, tmp_path: Path) -> None:
    """A symlink leading out of feeds/ is never published."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (site / "leak.txt").symlink_to(secret)
    result = publish("--to", str(tmp_path / "www"), "--out", str(site))
    assert result.exit_code == 1
    assert "symlink leads out of" in result.stderr
    assert not (tmp_path / "www").exists()


def test_corrupt_manifest_is_an_error(site: Path, tmp_path: Path) -> None:
    """An unreadable published manifest stops the publish with a way out."""
    dest = tmp_path / "www"
    (dest / ".stationcast").mkdir(parents=True)
    (dest / ".stationcast" / "published.json").write_text("{nope", encoding="utf-8")
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 1
    assert "move it aside" in result.stderr


def test_no_change_publish_is_fast(tmp_path: Path) -> None:
    """200 files: the second publish compares hashes and uploads nothing, quickly."""
    site = make_site(tmp_path / "feeds")
    for i in range(200):
        (site / f"page{i:03}.html").write_text(f"<p>{i}</p>" * 100, encoding="utf-8")
    dest = tmp_path / "www"
    started = time.perf_counter()
    assert publish("--to", str(dest), "--out", str(site)).exit_code == 0
    first = time.perf_counter() - started
    started = time.perf_counter()
    result = publish("--to", str(dest), "--out", str(site))
    second = time.perf_counter() - started
    assert "Nothing to upload" in result.output
    assert second < 5
    print(f"folder: first publish of 218 files {first:.2f}s, no-change publish {second:.2f}s")


class ForgetfulTarget(FolderTarget):
    """Acknowledges every write but silently loses one file (a misbehaving store)."""

    def put(self, local: Path, rel: str, **headers: str) -> None:  # type: ignore[override]
        if rel != "second-episode/audio.mp3":
            super().put(local, rel, **headers)  # type: ignore[arg-type]


def test_feed_waits_for_verified_uploads(site: Path, tmp_path: Path) -> None:
    """The destination is listed before the feed goes up; a lost file keeps the old feed."""
    dest = tmp_path / "www"
    target = ForgetfulTarget(dest)
    with pytest.raises(PublishError) as err:
        execute(make_plan(site, target), target, ping=False)
    assert "second-episode/audio.mp3" in str(err.value)
    assert "the feed at the destination was not changed" in str(err.value)
    assert not (dest / "feed.xml").exists()
    result = publish("--to", str(dest), "--out", str(site))
    assert result.exit_code == 0, result.output
    assert "uploaded second-episode/audio.mp3" in result.output
    assert (dest / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--endpoint-url", "http://127.0.0.1:9"], "apply to s3:// only"),
        (["--ssh-key", __file__], "apply to sftp:// only"),
        (["--max-deletes", "-1"], "-1"),
    ],
)
def test_options_for_other_targets_are_usage_errors(
    site: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    """Options that do not fit the destination exit 2 (a bad command line) and touch nothing."""
    result = CliRunner().invoke(
        publish_command, ["--to", str(tmp_path / "www"), "--out", str(site), *extra]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "www").exists()
