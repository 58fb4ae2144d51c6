"""How many cores stationcast's parallel work may use (build, align, import): its own module,
so that asking costs no import of the process machinery on a build that needs none."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the OS says, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
