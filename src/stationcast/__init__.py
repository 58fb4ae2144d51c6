"""stationcast: turn a radio station's segments into a podcast feed and accessible transcript
pages."""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """`__version__`, looked up on first use (importlib.metadata costs a build that has
    nothing to do a sixth of its time)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("stationcast")
    except PackageNotFoundError:  # running from a source tree without installation
        found = "0.0.0"
    globals()["__version__"] = found
    return found
