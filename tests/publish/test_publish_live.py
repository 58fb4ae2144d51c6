"""Podping's reason: publish tells it when a live program went live and when it ended."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from stationcast.build import build_show
from stationcast.cli.publish import publish_command
from test_live_status import LIVE

from .conftest import Receiver


def test_publish_tells_podping_when_a_program_goes_live_and_ends(
    show: Path, tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (show / "show.yaml").open("a", encoding="utf-8") as f:
        f.write(LIVE)
    monkeypatch.setenv("STATIONCAST_PODPING_TOKEN", "secret-token")
    monkeypatch.setenv("STATIONCAST_PODPING_URL", receiver.url)
    out, dest = tmp_path / "feeds", tmp_path / "www"
    for now in ("2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z", "2026-12-03T14:00:00Z"):
        build_show(show, out, now=now)
        result = CliRunner().invoke(
            publish_command, ["--to", str(dest), "--out", str(out)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    reasons = [parse_qs(urlsplit(p.path).query)["reason"][0] for p in receiver.pings]
    assert reasons == ["update", "live", "liveEnd"]
