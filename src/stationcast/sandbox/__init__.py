"""The environment every page template runs in, the shipped ones and a show's own.

A show's templates are untrusted: a show repository is often built in CI from contributors'
changes, so a template must not be able to run commands, read files, hang the build or exhaust
the machine's memory. So:

- Templates run in Jinja2's immutable sandbox: no attribute whose name starts with `_`, no
  Python internals (function globals, frames, code objects), no changing lists and dicts
  passed in, and `str.format` goes through the sandbox too. On the show's models only their
  fields and stationcast's own methods are reachable (not pydantic's, some of which read files).
- The show's templates are read only from inside the show folder (no symbolic link out of it),
  only when they are regular files no larger than `MAX_TEMPLATE_BYTES`, and only as UTF-8.
- Every page is rendered within the limits below: a page's size, the steps its templates take
  (loop iterations and calls), the size of any one value they compute, the text they make and
  read in all, and as a backstop CPU time. Each is checked before the work is done where the
  work can be sized in advance (`'x' * 10**10` is refused before it allocates), else as it is
  done.

Anything refused is a BuildError naming the template file and line; docs/pages.md lists the
limits and what templates may do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "BUILTIN",
    "MAX_CPU_SECONDS",
    "MAX_PAGE_CHARS",
    "MAX_STEPS",
    "MAX_TEMPLATE_BYTES",
    "ShowTemplates",
    "TemplateEnvironment",
    "check_templates_folder",
    "read_template",
    "render_page",
    "scan_templates",
    "show_templates",
]

# Where each name lives. Loaded on first use: the files check (scan_templates, on every build)
# needs no Jinja2, the environment does.
_HOMES = {
    "BUILTIN": "limits",
    "MAX_CPU_SECONDS": "limits",
    "MAX_PAGE_CHARS": "limits",
    "MAX_STEPS": "limits",
    "MAX_TEMPLATE_BYTES": "limits",
    "ShowTemplates": "environment",
    "TemplateEnvironment": "environment",
    "check_templates_folder": "files",
    "read_template": "files",
    "render_page": "environment",
    "scan_templates": "files",
    "show_templates": "environment",
}

if TYPE_CHECKING:
    from stationcast.sandbox.environment import (
        ShowTemplates,
        TemplateEnvironment,
        render_page,
        show_templates,
    )
    from stationcast.sandbox.files import check_templates_folder, read_template, scan_templates
    from stationcast.sandbox.limits import (
        BUILTIN,
        MAX_CPU_SECONDS,
        MAX_PAGE_CHARS,
        MAX_STEPS,
        MAX_TEMPLATE_BYTES,
    )


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{home}"), name)
