"""stationcast: turn a radio station's segments into a podcast feed and accessible transcript
pages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stationcast")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
