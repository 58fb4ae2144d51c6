"""Importers: bring a station's existing material into a show folder.

- :func:`import_page`: a station story page (saved text or HTML) -> a new episode folder.
- :func:`import_feed`: an existing podcast feed -> show.yaml and one folder per item.

The click commands are in :mod:`stationcast.cli.import_` (``import_command``).
"""

from __future__ import annotations

from .feed import FeedReport, import_feed
from .page import ImportReport, import_page, read_page
from .source import ImportSourceError

__all__ = [
    "FeedReport",
    "ImportReport",
    "ImportSourceError",
    "import_feed",
    "import_page",
    "read_page",
]
