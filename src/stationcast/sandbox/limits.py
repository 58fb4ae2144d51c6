"""The limits every page's templates render within, and the error for going past one.

docs/pages.md lists them for template authors; each is far above what a real page needs (the
numbers beside them say how far).
"""

from __future__ import annotations

#: The longest page (characters) a template may produce: about 55 times the page of a
#: three-hour transcript with a timestamp every five seconds (364 kB).
MAX_PAGE_CHARS = 20_000_000
#: The longest text (characters) any one value a template computes may have.
MAX_VALUE_CHARS = MAX_PAGE_CHARS
#: The most items a list, tuple, dict or set a template makes may hold.
MAX_ITEMS = 1_000_000
#: All the text (characters) a page's templates may make: what they print, what macros,
#: blocks and `{% set %}` collect, and the strings and lists their expressions compute.
MAX_WORK_CHARS = 5 * MAX_PAGE_CHARS
#: Loop iterations and calls (of macros, functions, methods and filters) per page.
MAX_STEPS = 1_000_000
#: The steps one call of a template's own macro counts for: a macro call (a new frame, its
#: arguments bound, its body's text collected) costs about as much CPU as 50 loop iterations,
#: so an exponential tree of macro calls meets the step limit in about a second, on any
#: machine, rather than the CPU-time backstop after 15.
MACRO_CALL_STEPS = 25
#: CPU time per page: a backstop for work the other limits do not see (a template keeping
#: within them takes a fraction of a second).
MAX_CPU_SECONDS = 15
#: The largest number (in bits) a template may compute: about 30,000 decimal digits.
MAX_INT_BITS = 100_000
#: The largest template file (bytes).
MAX_TEMPLATE_BYTES = 5_000_000
#: The longest `range()` (Jinja2's own sandbox limit).
MAX_RANGE_ITEMS = 100_000  # jinja2.sandbox.MAX_RANGE (tests/hostile/test_templates.py checks)

BUILTIN = "stationcast"  # the prefix the shipped templates stay reachable under
SANDBOX_DOC = "templates run in a sandbox: see docs/pages.md"
LIMITS_DOC = "see the limits in docs/pages.md"


class Refused(Exception):
    """A template went past a limit (the message says which); `where` when known better than
    the traceback (a page's size is noticed after the template yielded the text)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def thousands(number: int) -> str:
    """1000000 -> 1,000,000 (limits in messages)."""
    return f"{number:,}"
