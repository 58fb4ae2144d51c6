"""Parsing --to destinations and describing errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationcast.publish.headers import cache_control, content_type
from stationcast.publish.targets import PublishError, describe_error, parse_destination


@pytest.mark.parametrize(
    ("dest", "scheme", "root", "host", "port", "user"),
    [
        ("public_html", "file", "public_html", "", None, None),
        ("/var/www/show", "file", "/var/www/show", "", None, None),
        ("file:///var/www/show", "file", "/var/www/show", "", None, None),
        ("s3://bucket", "s3", "bucket", "", None, None),
        ("s3://bucket/", "s3", "bucket", "", None, None),
        ("s3://bucket/shows/wunc/", "s3", "bucket/shows/wunc", "", None, None),
        ("sftp://example.org/var/www", "sftp", "/var/www", "example.org", None, None),
        (
            "sftp://deploy@example.org:2222/srv/pod/",
            "sftp",
            "/srv/pod",
            "example.org",
            2222,
            "deploy",
        ),
        ("sftp://deploy@example.org", "sftp", "/", "example.org", None, "deploy"),
        ("sftp://d%40x@[::1]:22/p%20q", "sftp", "/p q", "::1", 22, "d@x"),
    ],
)
def test_parse_destination(
    dest: str, scheme: str, root: str, host: str, port: int | None, user: str | None
) -> None:
    """Folders, s3://bucket/prefix and sftp://user@host:port/path are understood."""
    parsed = parse_destination(dest)
    assert (parsed.scheme, parsed.root, parsed.host, parsed.port, parsed.user) == (
        scheme,
        str(Path(root)) if scheme == "file" else root,
        host,
        port,
        user,
    )


@pytest.mark.parametrize(
    ("dest", "message"),
    [
        ("ftp://example.org/x", "unsupported scheme 'ftp'"),
        ("s3://", "expected s3://BUCKET/PREFIX"),
        ("s3://key:secret@bucket/x", "never from the URL"),
        ("sftp:///path", "expected sftp://"),
        ("sftp://user:hunter2@host/path", "no passwords in the URL"),
        ("sftp://host:99999/path", "Port out of range"),
        ("s3://bucket/a/../b", "must not contain"),
        ("sftp://host/a/../../etc", "must not contain"),
        ("s3://bucket/x?versionId=1", "no ?query"),
        ("file://otherhost/x", "file:///path"),
        ("", "empty destination"),
    ],
)
def test_bad_destinations(dest: str, message: str) -> None:
    """Bad --to values fail with a message saying what is expected (and hide passwords)."""
    with pytest.raises(PublishError) as err:
        parse_destination(dest)
    assert message in str(err.value)
    assert "hunter2" not in str(err.value)


def test_home_folder_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`--to ~/www` (quoted, so the shell did not expand it) means the home folder."""
    monkeypatch.setenv("HOME", str(tmp_path))
    assert parse_destination("~/www").root == str(tmp_path / "www")


def test_checksum_hint() -> None:
    """U4: a store rejecting botocore's checksum headers gets a hint naming the option."""
    exc = OSError(
        "An error occurred (InvalidArgument): Unsupported header 'x-amz-sdk-checksum-algorithm'"
    )
    assert "--s3-checksums when_required" in describe_error(exc)
    assert "--s3-checksums" not in describe_error(OSError("disk full"))


@pytest.mark.parametrize(
    ("rel", "ctype", "cache"),
    [
        ("feed.xml", "application/rss+xml", "public, max-age=300"),
        ("a/audio.m4a", "audio/x-m4a", "public, max-age=604800"),
        ("a/audio.ogg", "audio/ogg", "public, max-age=604800"),
        ("a/audio.opus", "audio/ogg", "public, max-age=604800"),
        ("a/audio.flac", "audio/flac", "public, max-age=604800"),
        ("logo.png", "image/png", "public, max-age=604800"),
        ("chapters/a.json", "application/json+chapters", "public, max-age=3600"),
        ("a/A.CHAPTERS.JSON", "application/json+chapters", "public, max-age=3600"),
        ("a/unknown.bin", "application/octet-stream", "public, max-age=3600"),
    ],
)
def test_header_table(rel: str, ctype: str, cache: str) -> None:
    """The fixed type table; never the machine's mimetypes."""
    assert content_type(rel) == ctype
    assert cache_control(rel) == cache
