"""The build: episodes/ -> feeds/, incremental, parallel and atomic (see pipeline.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stationcast.build.pipeline import BuildResult, build_show

__all__ = ["BuildResult", "build_show"]


def __getattr__(name: str) -> Any:
    # `stationcast publish` and `serve` import stationcast.build.outdir and .output alone: the
    # pipeline (and the manifest models it loads) is imported when a build is asked for.
    if name in __all__:
        from stationcast.build import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
