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

import difflib
import inspect
import os
import re
import stat
import string
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import wraps
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, operators
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from pydantic import BaseModel

from stationcast.errors import BuildError
from stationcast.manifest import inside_show

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
#: CPU time per page: a backstop for work the other limits do not see (a template keeping
#: within them takes a fraction of a second).
MAX_CPU_SECONDS = 15
#: The largest number (in bits) a template may compute: about 30,000 decimal digits.
MAX_INT_BITS = 100_000
#: The largest template file (bytes).
MAX_TEMPLATE_BYTES = 5_000_000
#: The longest `range()` (Jinja2's own sandbox limit).
MAX_RANGE_ITEMS = MAX_RANGE

BUILTIN = "stationcast"  # the prefix the shipped templates stay reachable under
_SANDBOX_DOC = "templates run in a sandbox: see docs/pages.md"
_LIMITS_DOC = "see the limits in docs/pages.md"


class _Refused(Exception):
    """A template went past a limit (the message says which); `where` when known better than
    the traceback (a page's size is noticed after the template yielded the text)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def _n(number: int) -> str:
    return f"{number:,}"


# -- the size of values ----------------------------------------------------------------------


_CONTAINERS = (list, tuple, dict, set, frozenset, Namespace)


def _text_size(value: Any, limit: int) -> int:
    """At least the number of characters `str(value)` has, and about the work of comparing
    it: strings' lengths, plus one per item of a list, tuple, dict, set or namespace, nested
    ones included as often as they occur. Each distinct container is read once (so `[a] *
    1000000` costs a million steps, not a million times `a`); the count stops once past
    `limit`."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # being counted: a namespace holding itself prints as {...}
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, counted_children = stack.pop()
        key = id(item)
        if not counted_children and (key in sizes or key in open_):
            continue
        children = _children(item)
        if not counted_children:
            kinds = set(map(type, children))  # at C speed: most lists hold one kind of item
            if not any(issubclass(k, _TEXTS) for k in kinds):
                sizes[key] = 2 + len(children)  # numbers and the like: one each
                continue
            if all(issubclass(k, (str, bytes)) for k in kinds):
                sizes[key] = 2 + len(children) + sum(map(len, children))
                continue
            open_.add(key)
            stack.append((item, True))
            stack.extend(
                (c, False) for c in children if isinstance(c, _CONTAINERS) and id(c) not in sizes
            )
            continue
        total = 2 + len(children)
        for child in children:
            if isinstance(child, (str, bytes)):
                total += len(child)
            elif isinstance(child, _CONTAINERS):
                total += sizes.get(id(child), 1)
            if total > limit:
                return total
        sizes[key] = total
        open_.discard(key)
    return sizes[id(value)]


_TEXTS = (str, bytes, *_CONTAINERS)


def _children(item: Any) -> list[Any] | tuple[Any, ...]:
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, Namespace):  # its text shows its attributes (Jinja2 keeps them here)
        return [object.__getattribute__(item, "_Namespace__attrs")]
    if isinstance(item, (list, tuple)):
        return item
    return list(item)


def _int_arg(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- the environment ----------------------------------------------------------------------------


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed Jinja2 environment of one build (autoescaping, StrictUndefined)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(
        self, loader: jinja2.BaseLoader, filters: Mapping[str, Callable[..., Any]] = {}
    ) -> None:
        super().__init__(
            loader=loader,
            autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=False,
            auto_reload=False,  # one environment per build: no stat of the template per page
            finalize=_finalize,
        )
        # lipsum() and |random give other text on every build; a page must be the same on every
        # build (lipsum also writes as much as asked).
        self.globals.pop("lipsum", None)
        self.filters.pop("random", None)
        self.globals["range"] = self._range
        self.filters.update(filters)
        self.filters = {name: self._guard_filter(name, func) for name, func in self.filters.items()}
        self.tests = {name: self._guard_test(func) for name, func in self.tests.items()}
        self.steps = 0
        self.work = 0
        self.started = time.thread_time()

    # The generated code of every template calls these (see _CodeGenerator and _Template).

    def start_page(self) -> None:
        """Reset the per-page limits (steps, text made, time)."""
        self.steps = 0
        self.work = 0
        self.started = time.thread_time()

    def step(self) -> None:
        self.steps += 1
        if self.steps & 63 == 0:
            if self.steps > MAX_STEPS:
                raise _Refused(
                    f"the templates took more than {_n(MAX_STEPS)} steps (loop iterations and"
                    " calls) for one page; a loop or a macro that does not end?"
                )
            self._check_time()

    def _check_time(self) -> None:
        if time.thread_time() - self.started > MAX_CPU_SECONDS:
            raise _Refused(
                f"the templates took more than {MAX_CPU_SECONDS} seconds of CPU time for one page"
            )

    def charge(self, size: int) -> None:
        self.work += size
        if size > 65_536:  # a large piece of work: check the clock too
            self._check_time()
        if self.work > MAX_WORK_CHARS:
            raise _Refused(
                f"the templates made more than {_n(MAX_WORK_CHARS)} characters of text for one page"
            )

    def count_iterations(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """What a `{% for %}` loops over: each iteration is a step."""
        step = self.step
        for item in iterable:
            step()
            yield item

    def concat(self, chunks: Iterable[str]) -> str:
        """The text of a block called as `self.name()` or `super()`, counted as it is made."""
        collected: list[str] = []
        for chunk in chunks:
            self.charge(len(chunk))
            collected.append(chunk)
        return "".join(collected)

    def compared(self, value: Any) -> Any:
        """An operand of `==`, `<`, `in`...: comparing long texts or lists takes as long as
        reading them."""
        if isinstance(value, (str, bytes)):
            self.charge(len(value))
        elif isinstance(value, _CONTAINERS):
            self.charge(_text_size(value, MAX_WORK_CHARS))
        return value

    def sliced(self, value: Any) -> Any:
        """`text[a:b]`: a copy, counted."""
        return self._checked(value, "a slice")

    def new_buffer(self) -> list[str]:
        """The list a macro, `{% set %}` block or `{% filter %}` block collects its text in."""
        return _Buffer(self.charge)

    def checked_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ c`, sized before it is joined."""
        total = 0
        for part in parts:
            total += _text_size(part, MAX_VALUE_CHARS)
        self._check_text(total, "'~'")
        return join(parts)

    def _check_text(self, size: int, what: str) -> None:
        if size > MAX_VALUE_CHARS:
            raise _Refused(
                f"{what} would make a text of more than {_n(MAX_VALUE_CHARS)} characters"
            )
        self.charge(size)

    def _check_read(self, size: int, what: str) -> None:
        if size > MAX_VALUE_CHARS:
            raise _Refused(
                f"{what} would read more than {_n(MAX_VALUE_CHARS)} characters and items"
            )
        self.charge(size)

    def _check_items(self, count: int, what: str) -> None:
        if count > MAX_ITEMS:
            raise _Refused(f"{what} would make a list of more than {_n(MAX_ITEMS)} items")
        self.charge(count)

    def _checked(self, value: Any, what: str) -> Any:
        """A computed value, counted against the limits."""
        if isinstance(value, (str, bytes)):
            self._check_text(len(value), what)
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            self._check_items(len(value), what)
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise _Refused(f"{what} would make a number of more than {_n(MAX_INT_BITS)} bits")
        return value

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE_ITEMS:
            raise _Refused(f"range() of more than {_n(MAX_RANGE_ITEMS)} numbers")
        return numbers

    # What the sandbox lets templates reach.

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja2's immutable sandbox decides first (no `_` names, no internals of functions,
        frames and code, no methods that change a list, dict or set). On the show's models
        only their fields and stationcast's own methods and properties (`address.lines()`)
        are reachable, not pydantic's machinery (`parse_file` reads any file, `model_rebuild`
        changes the class). Both depend on the object's type and the name only, so each pair
        is decided once."""
        key = (type(obj), attr)
        allowed = _ALLOWED.get(key)
        if allowed is None:
            allowed = super().is_safe_attribute(obj, attr, value) and (
                not isinstance(obj, BaseModel) or _model_attribute_allowed(type(obj), attr)
            )
            if len(_ALLOWED) < 4096:
                _ALLOWED[key] = allowed
        return allowed

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """Refuse at once (Jinja2 returns an undefined value that fails only when used, so
        `map(attribute='__class__') | list` would print placeholders instead of failing)."""
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe."
        )

    # Operators and calls, sized before they run.

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        what = f"'{operator}'"
        if operator == "*":
            _check_repeat(self, left, right, what)
        elif operator == "**":
            numbers = isinstance(left, int) and isinstance(right, int) and right > 0
            if numbers and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                raise _Refused(f"{what} would make a number of more than {_n(MAX_INT_BITS)} bits")
        elif operator == "+":
            if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
                self._check_text(len(left) + len(right), what)
            elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                self._check_items(len(left) + len(right), what)
        elif operator == "%" and isinstance(left, (str, bytes)):
            _check_printf(self, left, right, what)
        return self._checked(super().call_binop(context, operator, left, right), what)

    def call(  # noqa: N805 - named as in Jinja2, so a template's keyword arguments cannot clash
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        __self.step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (__self.count_iterations(args[0]), *args[1:])
        what = _callable_name(__obj)
        args = _check_text_method(__self, __obj, args, kwargs, what)
        return __self._checked(super().call(__context, __obj, *args, **kwargs), what)

    def _guard_test(self, func: Any) -> Callable[..., Any]:
        """`func` as a test (`is in`, `is eq`...) that counts as a step and as a comparison."""
        skip = 1 if hasattr(func, "jinja_pass_arg") else 0

        @wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            for value in args[skip:]:
                self.compared(value)
            return func(*args, **kwargs)

        return guarded

    def _guard_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """`func` as a filter that counts as a step, is sized before it runs where it can
        multiply its input, and whose result is counted against the limits."""
        # a filter given the context, eval context or environment gets it before its value
        skip = 1 if hasattr(func, "jinja_pass_arg") else 0
        what = f"the {name} filter"
        shallow = name in _SHALLOW_FILTERS
        weight = _SLOW_FILTERS.get(name, 1)
        special = _FILTER_CHECKS.get(name)
        signature = inspect.signature(func) if special is not None else None

        @wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if not shallow:
                # the text a filter reads is work too (wordwrap's a lot per character)
                if len(args) > skip and isinstance(args[skip], str):
                    self.charge(len(args[skip]) * weight)
                for value in (*args[skip:], *kwargs.values()):
                    if isinstance(value, _CONTAINERS):
                        self._check_read(_text_size(value, MAX_VALUE_CHARS) * weight, what)
            if special is not None and signature is not None:
                try:
                    bound = signature.bind(*args, **kwargs)
                except TypeError:
                    pass  # the filter reports its own wrong arguments
                else:
                    bound.apply_defaults()
                    special(self, bound.arguments, what)
                    args, kwargs = bound.args, bound.kwargs
            return self._checked(func(*args, **kwargs), what)

        return guarded


def _finalize_impl(context: jinja2.runtime.Context, value: Any) -> Any:
    """Every `{{ value }}` printed: a list or dict is sized before it becomes text (the text
    itself is counted where it is collected: the page, a buffer, a block's or an imported
    template's text)."""
    env = context.environment
    assert isinstance(env, TemplateEnvironment)
    if isinstance(value, _CONTAINERS):
        env._check_text(_text_size(value, MAX_VALUE_CHARS), "printing a value")
    return value


_finalize = jinja2.pass_context(_finalize_impl)


class _Buffer(list[str]):
    """A list of text that counts what is put in it."""

    __slots__ = ("_charge",)

    def __init__(self, charge: Callable[[int], None]) -> None:
        super().__init__()
        self._charge = charge

    def append(self, chunk: str) -> None:
        self._charge(len(chunk))
        super().append(chunk)

    def extend(self, chunks: Iterable[str]) -> None:
        chunks = tuple(chunks)
        self._charge(sum(map(len, chunks)))
        super().extend(chunks)


_ALLOWED: dict[tuple[type, str], bool] = {}


def _model_attribute_allowed(cls: type[BaseModel], attr: str) -> bool:
    if attr in cls.model_fields:
        return True
    return any(attr in vars(k) for k in cls.__mro__ if k.__module__.startswith("stationcast."))


def _callable_name(obj: Any) -> str:
    name = getattr(obj, "__name__", None)
    return f"{name}()" if isinstance(name, str) else "the call"


# -- the checks before work that can multiply its input -------------------------------------------


def _check_repeat(env: TemplateEnvironment, left: Any, right: Any, what: str) -> None:
    """`text * n`, `list * n`, `n * m`."""
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    count = _int_arg(right)
    if isinstance(left, (str, bytes)):
        env._check_text(len(left) * max(count, 0), what)
    elif isinstance(left, (list, tuple)):
        env._check_items(len(left) * max(count, 0), what)
    elif (
        isinstance(left, int)
        and isinstance(right, int)
        and (left.bit_length() + right.bit_length() > MAX_INT_BITS)
    ):
        raise _Refused(f"{what} would make a number of more than {_n(MAX_INT_BITS)} bits")


_PRINTF_SPEC = re.compile(rb"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def _check_printf(env: TemplateEnvironment, template: str | bytes, args: Any, what: str) -> None:
    """`'%10s' % value`: the widths, and the values it prints."""
    data = template.encode("utf-8", "surrogatepass") if isinstance(template, str) else template
    values = (
        list(args.values())
        if isinstance(args, Mapping)
        else list(args)
        if isinstance(args, tuple)
        else [args]
    )
    widest = max((_int_arg(v) for v in values), default=0)
    fields = 0
    for match in _PRINTF_SPEC.finditer(data):
        fields += 1
        for number in (match.group(1), match.group(2)):
            if number and number != b"*":
                widest = max(widest, int(number) if len(number) < 12 else MAX_VALUE_CHARS + 1)
    largest = max((_text_size(v, MAX_VALUE_CHARS) for v in values), default=0)
    env._check_text(len(template) + fields * (largest + widest), what)


def _check_format(
    env: TemplateEnvironment,
    template: str,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    what: str,
) -> None:
    """`'{:>10}'.format(value)`: the widths, and the values it prints."""
    values = [*args, *kwargs.values()]
    if len(values) == 1 and isinstance(values[0], Mapping):  # format_map
        values = list(values[0].values())
    widest = max((_int_arg(v) for v in values), default=0)
    fields = 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return  # format() itself reports the malformed template
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        fields += 1
        for number in re.findall(r"\d+", spec or ""):
            widest = max(widest, int(number) if len(number) < 12 else MAX_VALUE_CHARS + 1)
    largest = max((_text_size(v, MAX_VALUE_CHARS) for v in values), default=0)
    env._check_text(len(template) + fields * (largest + widest), what)


def _check_text_method(
    env: TemplateEnvironment, obj: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any], what: str
) -> tuple[Any, ...]:
    """The methods of text that can make it much longer: center, ljust, rjust, zfill,
    expandtabs, replace, join, translate, format, format_map. Returns the arguments to call
    with (a join gets the list of the items it was sized by)."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, (str, bytes)) or not isinstance(
        target, (types.BuiltinMethodType, types.MethodType)
    ):
        return args
    name = target.__name__
    values = [*args, *kwargs.values()]
    for value in values:
        if isinstance(value, _CONTAINERS) and name != "join":
            env._check_text(_text_size(value, MAX_VALUE_CHARS), what)
    first = values[0] if values else None
    if name in ("center", "ljust", "rjust", "zfill"):
        env._check_text(max(len(owner), _int_arg(first)), what)
    elif name == "expandtabs":
        tabsize = _int_arg(first) if values else 8
        env._check_text(len(owner) * max(tabsize, 1), what)
    elif name == "replace" and len(args) >= 2:
        env._check_text(
            _replaced_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1), what
        )
    elif name == "join" and len(args) == 1 and not kwargs:
        items = _materialise(args[0], what)
        env._check_text(
            sum(_text_size(i, MAX_VALUE_CHARS) for i in items) + len(owner) * len(items), what
        )
        return (items,)  # a generator could not be read twice
    elif name == "translate" and isinstance(first, Mapping):
        widest = max(
            (len(v) if isinstance(v, (str, bytes)) else 1 for v in first.values()), default=1
        )
        env._check_text(len(owner) * max(widest, 1), what)
    elif name in ("format", "format_map") and isinstance(owner, str):
        _check_format(env, owner, args, kwargs, what)
    return args


def _replaced_size(text: Any, old: Any, new: Any, count: Any) -> int:
    if (
        not isinstance(text, (str, bytes))
        or not isinstance(old, (str, bytes))
        or not isinstance(new, (str, bytes))
    ):
        return len(text) if isinstance(text, (str, bytes)) else 0
    places = len(text) + 1 if not old else len(text) // len(old)
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        places = min(places, count)
    return len(text) + places * len(new)


def _materialise(iterable: Any, what: str) -> list[Any]:
    """The items of `iterable` as a list (a join needs them all), at most MAX_ITEMS."""
    if isinstance(iterable, (list, tuple)) and len(iterable) <= MAX_ITEMS:
        return list(iterable)
    items: list[Any] = []
    for item in iterable:
        items.append(item)
        if len(items) > MAX_ITEMS:
            raise _Refused(f"{what} would join more than {_n(MAX_ITEMS)} items")
    return items


# Filters that look at their value without turning it into text or comparing its items, so a
# large list passed to them is not sized first (turns | length in a loop over the turns stays
# cheap).
_SHALLOW_FILTERS = frozenset(
    {
        "abs", "attr", "batch", "count", "d", "default", "first", "float", "int", "items", "join",
        "last", "length", "list", "map", "reject", "rejectattr", "reverse", "round",
        "select", "selectattr", "slice",
    }
)  # fmt: skip


# Filters that take far longer per character than copying text (wordwrap about 4 µs, urlize
# up to 1.5 µs, title 0.3 µs): each character they read counts this many times towards
# MAX_WORK_CHARS (about 50 ns each), so that the work a page may do stays a matter of seconds
# whichever filters it uses.
_SLOW_FILTERS = {"wordwrap": 80, "urlize": 30, "title": 6}

FilterCheck = Callable[[TemplateEnvironment, dict[str, Any], str], None]


def _filter_center(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    env._check_text(
        max(_text_size(a.get("value"), MAX_VALUE_CHARS), _int_arg(a.get("width"))), what
    )


def _filter_indent(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    text, width = a.get("s"), a.get("width")
    lines = text.count("\n") + 1 if isinstance(text, str) else 1
    indent = len(width) if isinstance(width, str) else _int_arg(width)
    env._check_text(_text_size(text, MAX_VALUE_CHARS) + lines * indent, what)


def _filter_wordwrap(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    wrap = a.get("wrapstring")
    if isinstance(wrap, str):  # at worst one after every character
        env._check_text(_text_size(a.get("s"), MAX_VALUE_CHARS) * (1 + len(wrap)), what)


def _filter_replace(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    text, old, new = (
        v if isinstance(v, str) else str(v) for v in (a.get("s"), a.get("old"), a.get("new"))
    )
    env._check_text(_replaced_size(text, old, new, a.get("count")), what)


def _filter_join(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    items = _materialise(a.get("value", ()), what)
    a["value"] = items  # join the list just sized: a generator could not be read twice
    attribute = a.get("attribute")
    shown = (
        items if attribute is None else [make_attrgetter(env, attribute)(item) for item in items]
    )
    separator = a.get("d")
    size = sum(_text_size(i, MAX_VALUE_CHARS) for i in shown)
    env._check_text(size + (len(separator) if isinstance(separator, str) else 1) * len(shown), what)


def _filter_format(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    value = a.get("value")
    if isinstance(value, str):
        _check_printf(env, value, a.get("kwargs") or tuple(a.get("args") or ()), what)


def _filter_count(key: str, always: bool) -> FilterCheck:
    """batch(n, fill) pads to n items and slice(n) makes n lists: n at most MAX_RANGE_ITEMS."""

    def check(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
        if (always or a.get("fill_with") is not None) and _int_arg(a.get(key)) > MAX_RANGE_ITEMS:
            raise _Refused(f"{what} with {key} over {_n(MAX_RANGE_ITEMS)}")

    return check


_FILTER_CHECKS: dict[str, FilterCheck] = {
    "center": _filter_center,
    "indent": _filter_indent,
    "wordwrap": _filter_wordwrap,
    "replace": _filter_replace,
    "join": _filter_join,
    "format": _filter_format,
    "batch": _filter_count("linecount", always=False),
    "slice": _filter_count("slices", always=True),
}


# -- compiling templates with the counting built in -----------------------------------------------


class _CodeGenerator(CodeGenerator):
    """Jinja2's code generator, with every loop counted, every buffer of text metered, every
    `~` sized and every comparison and slice counted (the rest goes through the sandbox's own
    hooks)."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # {% for x in items %} loops over environment.count_iterations(items)
        for loop in node.find_all(nodes.For):
            counter = nodes.EnvironmentAttribute("count_iterations", lineno=loop.iter.lineno)
            loop.iter = nodes.Call(counter, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")

    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:
        self.write("(environment.compared(")
        self.visit(node.expr, frame)
        self.write(")")
        for operand in node.ops:
            self.write(f" {operators[operand.op]} environment.compared(")
            self.visit(operand.expr, frame)
            self.write(")")
        self.write(")")

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        if isinstance(node.arg, nodes.Slice):  # Jinja2 slices without the sandbox's getitem
            self.write("environment.sliced(")
            super().visit_Getitem(node, frame)
            self.write(")")
        else:
            super().visit_Getitem(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.checked_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Template(jinja2.Template):
    def make_module(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> TemplateModule:
        """An `{% import %}`ed template, its text counted as it is made."""
        context = self.new_context(vars, shared, locals)
        env = self.environment
        body: list[str] = []
        for chunk in self.root_render_func(context):
            if isinstance(env, TemplateEnvironment):
                env.charge(len(chunk))
            body.append(chunk)
        return TemplateModule(self, context, body)


TemplateEnvironment.code_generator_class = _CodeGenerator
TemplateEnvironment.template_class = _Template


def _suspended_location(gen: Any) -> str:
    """`file:line` of the innermost template a chain of suspended generators is in."""
    where = ""
    for _ in range(10_000):
        frame = getattr(gen, "gi_frame", None)
        if frame is None:
            break
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            where = f"{template.filename}:{template.get_corresponding_lineno(frame.f_lineno)}"
        gen = gen.gi_yieldfrom
    return where


# -- the show's own templates ----------------------------------------------------------------------


class ShowTemplates(jinja2.BaseLoader):
    """The templates in a show's `templates/` folder: read only from inside the show, only
    regular files, at most MAX_TEMPLATE_BYTES, UTF-8."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        shown = os.fspath(path)
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise jinja2.TemplateNotFound(template) from None
        except OSError as exc:
            raise BuildError(f"{shown}: cannot be read ({exc.strerror})") from None
        reason = inside_show(path, self.root)
        if reason:
            raise BuildError(f"{shown}: {reason}")
        return read_template(path, template), shown, lambda: True


def read_template(path: Path, name: str) -> str:
    """A template file's text; BuildError naming the file when it is not a regular UTF-8
    file of at most MAX_TEMPLATE_BYTES (a FIFO is refused before it is opened, never read)."""
    shown = os.fspath(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise BuildError(f"{shown}: is a folder; expected the template file {name}")
        if not stat.S_ISREG(st.st_mode):
            raise BuildError(
                f"{shown}: is not a regular file (a FIFO, socket or device?);"
                f" expected the template file {name}"
            )
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat above
                raise BuildError(
                    f"{shown}: is not a regular file; expected the template file {name}"
                )
            with os.fdopen(fd, "rb", closefd=False) as stream:
                data = stream.read(MAX_TEMPLATE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise BuildError(f"{shown}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise BuildError(
            f"{shown}: is larger than {_n(MAX_TEMPLATE_BYTES)} bytes, the most a template may have"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BuildError(
            f"{shown}:{line}:{column}: is not valid UTF-8 (byte 0x{data[exc.start]:02x});"
            " save the template as UTF-8"
        ) from None


def show_templates(folder: Path) -> ShowTemplates | None:
    """The loader of a show's `templates/` folder (`folder`, beside show.yaml); None when
    there is none. BuildError when it is not a folder or leads out of the show."""
    if not os.path.lexists(folder):
        return None
    root = folder.parent
    reason = inside_show(folder, root)
    if reason:
        raise BuildError(f"{os.fspath(folder)}: {reason}")
    if not folder.is_dir():
        raise BuildError(
            f"{os.fspath(folder)}: is not a folder; expected a folder of templates beside show.yaml"
            " (see docs/pages.md)"
        )
    return ShowTemplates(folder, root)


def scan_templates(folder: Path, names: Iterable[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    """Every file in a show's `templates/` folder (`folder`), as (name, path), and warnings
    about top-level files whose names look like a misspelt template of `names`.

    BuildError naming the file for what the build must not read: the folder or a file in it
    leading out of the show, something other than a regular file or folder (a FIFO), a
    folder where a template of `names` belongs. Links to folders within the show are
    followed once each, so a loop of links ends.
    """
    if not os.path.lexists(folder):
        return [], []
    show_templates(folder)  # the folder itself: inside the show, a folder
    root = folder.parent
    known = tuple(names)
    files: list[tuple[str, Path]] = []
    warnings: list[str] = []
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[Path, str]] = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        st = os.stat(directory)
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise BuildError(f"{os.fspath(directory)}: cannot be read ({exc.strerror})") from None
        for entry in entries:
            path = Path(entry.path)
            name = prefix + entry.name
            if entry.is_symlink():
                reason = inside_show(path, root)
                if reason:
                    raise BuildError(f"{entry.path}: {reason}")
            try:
                mode = os.stat(path).st_mode
            except OSError:
                files.append((name, path))  # a link to nothing: absent if a template asks for it
                continue
            if stat.S_ISDIR(mode):
                if name in known:
                    raise BuildError(
                        f"{entry.path}: is a folder; expected the template file {name}"
                    )
                pending.append((path, name + "/"))
            elif stat.S_ISREG(mode):
                files.append((name, path))
                if not prefix and name not in known:
                    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
                    if close:
                        warnings.append(
                            f"{entry.path}: no page uses a template of this name;"
                            f" did you mean {close[0]}? (the pages use {', '.join(known[:-1])}"
                            f" and {known[-1]}; any other file only when a template includes,"
                            " imports or extends it)"
                        )
            else:
                raise BuildError(
                    f"{entry.path}: is not a regular file (a FIFO, socket or device?);"
                    " expected a template file or folder"
                )
    files.sort()
    return files, warnings


# -- rendering --------------------------------------------------------------------------------


def render_page(env: TemplateEnvironment, name: str, context: Mapping[str, Any]) -> str:
    """Render template `name` into one page within the limits; anything wrong is a BuildError
    naming the template file and line, not a Jinja2 traceback."""
    env.start_page()
    size = 0
    chunks: list[str] = []
    try:
        stream = env.get_template(name).generate(context)
        for chunk in stream:
            size += len(chunk)
            if size > MAX_PAGE_CHARS:
                where = _suspended_location(stream)
                stream.close()  # type: ignore[attr-defined]
                raise _Refused(
                    f"the page would be longer than {_n(MAX_PAGE_CHARS)} characters,"
                    " the most a page may have",
                    where,
                )
            chunks.append(chunk)
    except BuildError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise BuildError(f"{where}: template error: {exc.message}") from None
    except SecurityError as exc:
        where = _template_location(exc.__traceback__) or name
        raise BuildError(f"{where}: {_not_allowed(str(exc))} ({_SANDBOX_DOC})") from None
    except jinja2.TemplateNotFound as exc:
        where = _template_location(exc.__traceback__) or name
        raise BuildError(
            f"{where}: template {exc.name!r} not found while rendering {name} (a show's own"
            f" templates are read from its templates folder; the originals are {BUILTIN}/<name>)"
        ) from None
    except jinja2.TemplateError as exc:
        where = _template_location(exc.__traceback__) or name
        raise BuildError(
            f"{where}: {exc.message or type(exc).__name__} while rendering {name}"
            f" (the variables each template gets are listed in docs/pages.md)"
        ) from None
    except _Refused as exc:
        where = exc.where or _template_location(exc.__traceback__) or name
        raise BuildError(f"{where}: {exc.message} while rendering {name} ({_LIMITS_DOC})") from None
    except RecursionError as exc:
        where = _template_location(exc.__traceback__) or name
        raise BuildError(
            f"{where}: the templates nest deeper than Python allows while rendering {name}:"
            " a template that extends or includes itself, or a macro that calls itself,"
            " without end?"
        ) from None
    except MemoryError as exc:
        where = _template_location(exc.__traceback__) or name
        raise BuildError(
            f"{where}: ran out of memory while rendering {name} ({_LIMITS_DOC})"
        ) from None
    except Exception as exc:  # a template's own mistake, such as 1 / 0
        where = _template_location(exc.__traceback__) or name
        raise BuildError(f"{where}: {type(exc).__name__}: {exc} while rendering {name}") from None
    return "".join(chunks)


def _not_allowed(message: str) -> str:
    """Jinja2's sandbox message as a statement of the rule: `access to attribute '__init__' of
    'Cycler' object is not allowed`."""
    message = message.rstrip(".")
    for suffix in (" is unsafe", " is not safely callable"):
        if message.endswith(suffix):
            return message[: -len(suffix)] + " is not allowed"
    return f"{message}: not allowed"


def _template_location(tb: TracebackType | None) -> str:
    """`file:line` of the innermost template frame (Jinja2 rewrites tracebacks to point there)."""
    where = ""
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        filename = tb.tb_frame.f_code.co_filename
        if template is not None:  # a frame Jinja2 did not rewrite: map its line
            where = f"{template.filename}:{template.get_corresponding_lineno(tb.tb_lineno)}"
        elif not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
