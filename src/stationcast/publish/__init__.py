"""`stationcast publish`: upload the built show to a folder, S3-compatible storage or SFTP.

Modules: `headers` (Content-Type, Cache-Control), `targets` (fsspec destinations), `plan`
(compare build and destination), `run` (ordered upload), `notify` (WebSub, Podping). The
click command is in stationcast.cli.publish.
"""

from stationcast.publish.notify import PingResult, notify
from stationcast.publish.plan import Plan, PublishedManifest, make_plan, scan_output
from stationcast.publish.run import PublishResult, execute
from stationcast.publish.targets import (
    FolderTarget,
    PublishError,
    S3Options,
    S3Target,
    SFTPOptions,
    SFTPTarget,
    Target,
    open_target,
    parse_destination,
)

__all__ = [
    "FolderTarget",
    "PingResult",
    "Plan",
    "PublishError",
    "PublishResult",
    "PublishedManifest",
    "S3Options",
    "S3Target",
    "SFTPOptions",
    "SFTPTarget",
    "Target",
    "execute",
    "make_plan",
    "notify",
    "open_target",
    "parse_destination",
    "scan_output",
]
