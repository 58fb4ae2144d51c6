"""What a template's work would cost, measured before the work is done where it can be: the
size of values, and the checks of operators, text methods and filters that can multiply their
input (`'x' * 10**10` is refused before it allocates)."""

from __future__ import annotations

import re
import string
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from jinja2.filters import make_attrgetter
from jinja2.utils import Namespace

from stationcast.sandbox.limits import (
    MAX_INT_BITS,
    MAX_ITEMS,
    MAX_RANGE_ITEMS,
    MAX_VALUE_CHARS,
    Refused,
    thousands,
)

if TYPE_CHECKING:
    from stationcast.sandbox.environment import TemplateEnvironment

# -- the size of values ----------------------------------------------------------------------


CONTAINERS = (list, tuple, dict, set, frozenset, Namespace)


def text_size(value: Any, limit: int) -> int:
    """At least the number of characters `str(value)` has, and about the work of comparing
    it: strings' lengths, plus one per item of a list, tuple, dict, set or namespace, nested
    ones included as often as they occur. Each distinct container is read once (so `[a] *
    1000000` costs a million steps, not a million times `a`); the count stops once past
    `limit`."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, CONTAINERS):
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
                (c, False) for c in children if isinstance(c, CONTAINERS) and id(c) not in sizes
            )
            continue
        total = 2 + len(children)
        for child in children:
            if isinstance(child, (str, bytes)):
                total += len(child)
            elif isinstance(child, CONTAINERS):
                total += sizes.get(id(child), 1)
            if total > limit:
                return total
        sizes[key] = total
        open_.discard(key)
    return sizes[id(value)]


_TEXTS = (str, bytes, *CONTAINERS)


def _children(item: Any) -> list[Any] | tuple[Any, ...]:
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, Namespace):  # its text shows its attributes (Jinja2 keeps them here)
        return [object.__getattribute__(item, "_Namespace__attrs")]
    if isinstance(item, (list, tuple)):
        return item
    return list(item)


def int_arg(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# -- the checks before work that can multiply its input ----------------------------------------


def check_repeat(env: TemplateEnvironment, left: Any, right: Any, what: str) -> None:
    """`text * n`, `list * n`, `n * m`."""
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    count = int_arg(right)
    if isinstance(left, (str, bytes)):
        env.check_text(len(left) * max(count, 0), what)
    elif isinstance(left, (list, tuple)):
        env.check_items(len(left) * max(count, 0), what)
    elif (
        isinstance(left, int)
        and isinstance(right, int)
        and (left.bit_length() + right.bit_length() > MAX_INT_BITS)
    ):
        raise Refused(f"{what} would make a number of more than {thousands(MAX_INT_BITS)} bits")


_PRINTF_SPEC = re.compile(rb"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def check_printf(env: TemplateEnvironment, template: str | bytes, args: Any, what: str) -> None:
    """`'%10s' % value`: the widths, and the values it prints."""
    data = template.encode("utf-8", "surrogatepass") if isinstance(template, str) else template
    values = (
        list(args.values())
        if isinstance(args, Mapping)
        else list(args)
        if isinstance(args, tuple)
        else [args]
    )
    widest = max((int_arg(v) for v in values), default=0)
    fields = 0
    for match in _PRINTF_SPEC.finditer(data):
        fields += 1
        for number in (match.group(1), match.group(2)):
            if number and number != b"*":
                widest = max(widest, int(number) if len(number) < 12 else MAX_VALUE_CHARS + 1)
    largest = max((text_size(v, MAX_VALUE_CHARS) for v in values), default=0)
    env.check_text(len(template) + fields * (largest + widest), what)


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
    widest = max((int_arg(v) for v in values), default=0)
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
    largest = max((text_size(v, MAX_VALUE_CHARS) for v in values), default=0)
    env.check_text(len(template) + fields * (largest + widest), what)


def check_text_method(
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
        if isinstance(value, CONTAINERS) and name != "join":
            env.check_text(text_size(value, MAX_VALUE_CHARS), what)
    first = values[0] if values else None
    if name in ("center", "ljust", "rjust", "zfill"):
        env.check_text(max(len(owner), int_arg(first)), what)
    elif name == "expandtabs":
        tabsize = int_arg(first) if values else 8
        env.check_text(len(owner) * max(tabsize, 1), what)
    elif name == "replace" and len(args) >= 2:
        env.check_text(
            _replaced_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1), what
        )
    elif name == "join" and len(args) == 1 and not kwargs:
        items = _materialise(args[0], what)
        env.check_text(
            sum(text_size(i, MAX_VALUE_CHARS) for i in items) + len(owner) * len(items), what
        )
        return (items,)  # a generator could not be read twice
    elif name == "translate" and isinstance(first, Mapping):
        widest = max(
            (len(v) if isinstance(v, (str, bytes)) else 1 for v in first.values()), default=1
        )
        env.check_text(len(owner) * max(widest, 1), what)
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
            raise Refused(f"{what} would join more than {thousands(MAX_ITEMS)} items")
    return items


# Filters that look at their value without turning it into text or comparing its items, so a
# large list passed to them is not sized first (turns | length in a loop over the turns stays
# cheap).
SHALLOW_FILTERS = frozenset(
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
SLOW_FILTERS = {"wordwrap": 80, "urlize": 30, "title": 6}

FilterCheck = Callable[["TemplateEnvironment", dict[str, Any], str], None]


def _filter_center(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    env.check_text(max(text_size(a.get("value"), MAX_VALUE_CHARS), int_arg(a.get("width"))), what)


def _filter_indent(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    text, width = a.get("s"), a.get("width")
    lines = text.count("\n") + 1 if isinstance(text, str) else 1
    indent = len(width) if isinstance(width, str) else int_arg(width)
    env.check_text(text_size(text, MAX_VALUE_CHARS) + lines * indent, what)


def _filter_wordwrap(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    wrap = a.get("wrapstring")
    if isinstance(wrap, str):  # at worst one after every character
        env.check_text(text_size(a.get("s"), MAX_VALUE_CHARS) * (1 + len(wrap)), what)


def _filter_replace(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    text, old, new = (
        v if isinstance(v, str) else str(v) for v in (a.get("s"), a.get("old"), a.get("new"))
    )
    env.check_text(_replaced_size(text, old, new, a.get("count")), what)


def _filter_join(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    items = _materialise(a.get("value", ()), what)
    a["value"] = items  # join the list just sized: a generator could not be read twice
    attribute = a.get("attribute")
    shown = (
        items if attribute is None else [make_attrgetter(env, attribute)(item) for item in items]
    )
    separator = a.get("d")
    size = sum(text_size(i, MAX_VALUE_CHARS) for i in shown)
    env.check_text(size + (len(separator) if isinstance(separator, str) else 1) * len(shown), what)


def _filter_format(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
    value = a.get("value")
    if isinstance(value, str):
        check_printf(env, value, a.get("kwargs") or tuple(a.get("args") or ()), what)


def _filter_count(key: str, always: bool) -> FilterCheck:
    """batch(n, fill) pads to n items and slice(n) makes n lists: n at most MAX_RANGE_ITEMS."""

    def check(env: TemplateEnvironment, a: dict[str, Any], what: str) -> None:
        if (always or a.get("fill_with") is not None) and int_arg(a.get(key)) > MAX_RANGE_ITEMS:
            raise Refused(f"{what} with {key} over {thousands(MAX_RANGE_ITEMS)}")

    return check


FILTER_CHECKS: dict[str, FilterCheck] = {
    "center": _filter_center,
    "indent": _filter_indent,
    "wordwrap": _filter_wordwrap,
    "replace": _filter_replace,
    "join": _filter_join,
    "format": _filter_format,
    "batch": _filter_count("linecount", always=False),
    "slice": _filter_count("slices", always=True),
}
