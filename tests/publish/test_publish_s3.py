"""Publishing to moto's S3 server on 127.0.0.1: headers, change detection, U1 at the server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from stationcast.cli.publish import publish_command

from .conftest import GUIDS, FaultProxy, Receiver, feed_xml, make_site


def publish(endpoint: str, bucket: str, site: Path, *extra: str) -> Result:
    args = ["--to", f"s3://{bucket}/shows/wunc", "--out", str(site), "--endpoint-url", endpoint]
    return CliRunner().invoke(publish_command, [*args, *extra], catch_exceptions=False)


def keys(s3: Any, bucket: str) -> dict[str, bytes]:
    out = {}
    for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        out[obj["Key"]] = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    return out


HEADERS = [
    ("feed.xml", "application/rss+xml", "public, max-age=300"),
    ("isis-defectors/audio.mp3", "audio/mpeg", "public, max-age=604800"),
    ("artwork.jpg", "image/jpeg", "public, max-age=604800"),
    ("index.html", "text/html; charset=utf-8", "public, max-age=3600"),
    ("isis-defectors/index.html", "text/html; charset=utf-8", "public, max-age=3600"),
    ("isis-defectors/transcript.vtt", "text/vtt", "public, max-age=3600"),
    ("isis-defectors/transcript.srt", "application/x-subrip", "public, max-age=3600"),
    ("isis-defectors/transcript.json", "application/json", "public, max-age=3600"),
    ("isis-defectors/transcript.txt", "text/plain; charset=utf-8", "public, max-age=3600"),
    ("isis-defectors/chapters.json", "application/json+chapters", "public, max-age=3600"),
    (".stationcast/state.json", "application/json", "no-cache"),
    (".stationcast/published.json", "application/json", "no-cache"),
]


def test_objects_carry_headers(site: Path, bucket: str, moto_endpoint: str, s3: Any) -> None:
    """Each object gets its Content-Type and Cache-Control, and a sha256 in its metadata."""
    result = publish(moto_endpoint, bucket, site)
    assert result.exit_code == 0, result.output
    got = []
    for rel, _, _ in HEADERS:
        head = s3.head_object(Bucket=bucket, Key=f"shows/wunc/{rel}")
        assert len(head["Metadata"]["sha256"]) == 64
        got.append((rel, head["ContentType"], head["CacheControl"]))
    assert got == HEADERS


def test_publish_then_nothing(site: Path, bucket: str, s3_proxy: FaultProxy, s3: Any) -> None:
    """All files land under the prefix; a second publish sends no PUT at all."""
    result = publish(s3_proxy.url, bucket, site)
    assert result.exit_code == 0, result.output
    stored = keys(s3, bucket)
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            assert stored[f"shows/wunc/{rel}"] == path.read_bytes()
    first_puts = list(s3_proxy.puts)
    assert first_puts[-1].endswith("/.stationcast/published.json")
    feed_at = next(i for i, k in enumerate(first_puts) if k.endswith("/feed.xml"))
    media = [i for i, k in enumerate(first_puts) if k.endswith((".mp3", ".jpg"))]
    pages = [i for i, k in enumerate(first_puts) if k.endswith((".html", ".vtt", ".srt", ".txt"))]
    assert max(media) < min(pages) and max(pages) < feed_at

    s3_proxy.puts.clear()
    started = time.perf_counter()
    result = publish(s3_proxy.url, bucket, site)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0
    assert "Nothing to upload" in result.output
    assert s3_proxy.puts == []
    print(f"s3: no-change publish of 18 files {elapsed:.2f}s")


def test_dry_run_sends_no_writes(site: Path, bucket: str, s3_proxy: FaultProxy) -> None:
    """--dry-run lists and reads, and never PUTs or DELETEs."""
    result = publish(s3_proxy.url, bucket, site, "--dry-run", "--delete")
    assert result.exit_code == 0, result.output
    assert "18 new" in result.output
    assert s3_proxy.puts == [] and s3_proxy.deletes == []


def test_upload_failing_at_server_keeps_old_feed(
    tmp_path: Path, bucket: str, s3_proxy: FaultProxy, s3: Any
) -> None:
    """U1: the server refuses PUTs after N objects; the old feed stays; a rerun completes."""
    old = make_site(tmp_path / "old")
    (old / "feed.xml").write_bytes(feed_xml(None, GUIDS, title="Old"))
    assert publish(s3_proxy.url, bucket, old).exit_code == 0
    old_feed = s3.get_object(Bucket=bucket, Key="shows/wunc/feed.xml")["Body"].read()

    new = make_site(tmp_path / "new")
    for ep in ("isis-defectors", "second-episode"):
        (new / ep / "audio.mp3").write_bytes(b"ID3 remastered " + ep.encode() * 500)
        (new / ep / "index.html").write_text(f"<p>new page {ep}</p>", encoding="utf-8")
    (new / "feed.xml").write_bytes(feed_xml(None, GUIDS, title="New"))
    s3_proxy.puts.clear()
    s3_proxy.allow_puts = 3  # two audio files and one page get through
    result = publish(s3_proxy.url, bucket, new, "--no-ping")
    assert result.exit_code == 1
    assert "AccessDenied" in result.stderr or "PermissionError" in result.stderr
    assert "the feed at the destination was not changed" in result.stderr
    assert "Rerun `stationcast publish --to s3://" in result.stderr
    assert s3.get_object(Bucket=bucket, Key="shows/wunc/feed.xml")["Body"].read() == old_feed
    assert not any(k.endswith("/feed.xml") for k in s3_proxy.puts)

    s3_proxy.allow_puts = None
    s3_proxy.puts.clear()
    result = publish(s3_proxy.url, bucket, new, "--no-ping")
    assert result.exit_code == 0, result.output
    assert not any(k.endswith("/audio.mp3") for k in s3_proxy.puts)  # arrived before the failure
    assert (
        s3.get_object(Bucket=bucket, Key="shows/wunc/feed.xml")["Body"].read()
        == (new / "feed.xml").read_bytes()
    )
    assert "Nothing to upload" in publish(s3_proxy.url, bucket, new).output


def test_delete_on_s3(site: Path, bucket: str, moto_endpoint: str, s3: Any) -> None:
    """U2 on S3: orphans are kept, then deleted with --delete."""
    assert publish(moto_endpoint, bucket, site).exit_code == 0
    s3.put_object(Bucket=bucket, Key="shows/wunc/old/audio.mp3", Body=b"old")
    s3.put_object(Bucket=bucket, Key="elsewhere.txt", Body=b"not under the prefix")
    result = publish(moto_endpoint, bucket, site)
    assert "orphan    old/audio.mp3" in result.output
    assert "shows/wunc/old/audio.mp3" in keys(s3, bucket)
    result = publish(moto_endpoint, bucket, site, "--delete")
    assert result.exit_code == 0, result.output
    stored = keys(s3, bucket)
    assert "shows/wunc/old/audio.mp3" not in stored
    assert "elsewhere.txt" in stored


def test_websub_ping_after_feed_is_live(
    tmp_path: Path, bucket: str, moto_endpoint: str, s3: Any, receiver: Receiver
) -> None:
    """The hub is pinged once the new feed is readable at the destination, not before."""
    site = make_site(tmp_path / "feeds", hub=receiver.url)
    receiver.read_feed = lambda: s3.get_object(Bucket=bucket, Key="shows/wunc/feed.xml")[
        "Body"
    ].read()
    result = publish(moto_endpoint, bucket, site)
    assert result.exit_code == 0, result.output
    assert len(receiver.pings) == 1
    assert receiver.pings[0].seen_feed == (site / "feed.xml").read_bytes()


def test_missing_bucket_is_a_clear_error(site: Path, moto_endpoint: str, aws_env: None) -> None:
    """A bucket that does not exist: exit 1 before any upload, naming the bucket."""
    result = publish(moto_endpoint, "no-such-bucket-here", site)
    assert result.exit_code == 1
    assert "bucket 'no-such-bucket-here' does not exist" in result.stderr


def test_endpoint_from_environment(
    site: Path, bucket: str, moto_endpoint: str, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_ENDPOINT_URL works like --endpoint-url (botocore's own setting)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    result = CliRunner().invoke(
        publish_command, ["--to", f"s3://{bucket}/p", "--out", str(site)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "p/feed.xml" in keys(s3, bucket)


def test_profile_credentials(
    site: Path, bucket: str, moto_endpoint: str, s3: Any, tmp_path: Path
) -> None:
    """--profile reads a named profile from the AWS credentials file; a missing one is an error."""
    (tmp_path / "aws-credentials").write_text(
        "[station]\naws_access_key_id = AKIDSTATION\naws_secret_access_key = s3cret\n"
    )
    ok = publish(moto_endpoint, bucket, site, "--profile", "station", "--region", "us-east-1")
    assert ok.exit_code == 0, ok.output
    bad = publish(moto_endpoint, bucket, site, "--profile", "nobody")
    assert bad.exit_code == 1
    assert "nobody" in bad.stderr and "s3://" in bad.stderr


def test_store_rejecting_checksum_headers(
    site: Path, bucket: str, s3_proxy: FaultProxy, s3: Any
) -> None:
    """U4: by default no CRC headers are sent; with when_supported the error names the fix."""
    s3_proxy.reject_checksum_headers = True
    ok = publish(s3_proxy.url, bucket, site)
    assert ok.exit_code == 0, ok.output
    old_page = (site / "index.html").read_bytes()
    (site / "index.html").write_text("<p>changed</p>", encoding="utf-8")
    bad = publish(s3_proxy.url, bucket, site, "--s3-checksums", "when_supported")
    assert bad.exit_code == 1
    assert "use --s3-checksums when_required" in bad.stderr
    stored = s3.get_object(Bucket=bucket, Key="shows/wunc/index.html")["Body"].read()
    assert stored == old_page  # refused at the first request: nothing half-uploaded
