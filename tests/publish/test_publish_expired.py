"""Rights windows at an S3 destination: publish deletes exactly the expired episode's objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from stationcast.build import build_show
from stationcast.cli.publish import publish_command
from support import add_episode, copy_example

from .test_publish_s3 import keys


def test_publish_to_s3_deletes_exactly_the_expired_episodes_objects(
    tmp_path: Path, bucket: str, moto_endpoint: str, s3: Any
) -> None:
    show = tmp_path / "episodes"
    copy_example(show)
    for slug in ("npr-segment", "npr-segmentation"):  # a name that starts the same stays
        folder = add_episode(show, slug, published="2016-01-04T08:00:00-05:00")
        if slug == "npr-segment":
            with (folder / "episode.yaml").open("a") as f:
                f.write("expires: 30d\n")
    out = tmp_path / "feeds"
    args = ["--to", f"s3://{bucket}/shows/wunc", "--out", str(out), "--endpoint-url", moto_endpoint]
    args.append("--no-ping")
    build_show(show, out, now="2016-01-20T00:00:00Z")
    first = CliRunner().invoke(publish_command, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    before = keys(s3, bucket)
    gone = sorted(k for k in before if k.startswith("shows/wunc/npr-segment/"))
    assert "shows/wunc/npr-segment/audio.mp3" in gone
    s3.put_object(Bucket=bucket, Key="shows/wunc-other/npr-segment/audio.mp3", Body=b"x")

    result = build_show(show, out, now="2016-02-10T00:00:00Z")
    assert [slug for slug, _ in result.expired] == ["npr-segment"]
    second = CliRunner().invoke(publish_command, args, catch_exceptions=False)
    assert second.exit_code == 0, second.output
    for key in gone:
        assert f"deleted  {key.removeprefix('shows/wunc/')}" in second.output
    after = keys(s3, bucket)
    assert not [k for k in after if k.startswith("shows/wunc/npr-segment/")]
    kept = {k for k in before if k not in gone}
    assert kept <= set(after)
    assert any(k.startswith("shows/wunc/npr-segmentation/") for k in after)
    assert "shows/wunc-other/npr-segment/audio.mp3" in after
    assert b"npr-segment/" not in after["shows/wunc/feed.xml"]
