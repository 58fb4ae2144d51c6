"""stationcast.media sits low in the package: it imports only the error types and spec/."""

from __future__ import annotations

import subprocess
import sys

ALLOWED = ("stationcast.errors", "stationcast.media", "stationcast.spec")


def test_media_imports_only_errors_spec_and_itself() -> None:
    """Importing stationcast.media in a fresh interpreter loads no other stationcast module
    (no models, build, feed or tagging) and not click, so tagging and the build can both
    import it without a cycle."""
    code = (
        "import sys, stationcast.media\n"
        "print(*sorted(m for m in sys.modules if m.startswith(('stationcast', 'click'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert "stationcast.media.probe" in out
    extra = [m for m in out if m != "stationcast" and not m.startswith(ALLOWED)]
    assert extra == []
