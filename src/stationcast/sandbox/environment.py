"""The sandboxed Jinja2 environment every page template runs in, the shipped ones and a show's
own, and rendering a page within the limits (stationcast.sandbox.limits)."""

from __future__ import annotations

import inspect
import os
import time
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
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel

from stationcast.errors import BuildError
from stationcast.manifest import inside_show
from stationcast.sandbox import limits
from stationcast.sandbox.checks import (
    CONTAINERS,
    FILTER_CHECKS,
    SHALLOW_FILTERS,
    SLOW_FILTERS,
    check_printf,
    check_repeat,
    check_text_method,
    text_size,
)
from stationcast.sandbox.files import check_templates_folder, read_template
from stationcast.sandbox.limits import (
    BUILTIN,
    LIMITS_DOC,
    MACRO_CALL_STEPS,
    MAX_INT_BITS,
    MAX_ITEMS,
    MAX_PAGE_CHARS,
    MAX_RANGE_ITEMS,
    MAX_STEPS,
    MAX_VALUE_CHARS,
    MAX_WORK_CHARS,
    SANDBOX_DOC,
    Refused,
    thousands,
)

# -- the environment ----------------------------------------------------------------------------

_CHECK_EVERY = 64  # steps between two checks of the step count and the CPU clock


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
        self.check_at = _CHECK_EVERY
        self.work = 0
        self.started = time.thread_time()

    # The generated code of every template calls these (see _CodeGenerator and _Template).

    def start_page(self) -> None:
        """Reset the per-page limits (steps, text made, time)."""
        self.steps = 0
        self.check_at = _CHECK_EVERY
        self.work = 0
        self.started = time.thread_time()

    def step(self, weight: int = 1) -> None:
        self.steps += weight
        if self.steps >= self.check_at:  # the limits checked every _CHECK_EVERY steps
            self.check_at = self.steps + _CHECK_EVERY
            if self.steps > MAX_STEPS:
                raise Refused(
                    f"the templates took more than {thousands(MAX_STEPS)} steps (loop iterations"
                    " and"
                    " calls) for one page; a loop or a macro that does not end?"
                )
            self._check_time()

    def _check_time(self) -> None:
        if time.thread_time() - self.started > limits.MAX_CPU_SECONDS:
            raise Refused(
                f"the templates took more than {limits.MAX_CPU_SECONDS} seconds of CPU time for"
                " one page"
            )

    def charge(self, size: int) -> None:
        self.work += size
        if size > 65_536:  # a large piece of work: check the clock too
            self._check_time()
        if self.work > MAX_WORK_CHARS:
            raise Refused(
                f"the templates made more than {thousands(MAX_WORK_CHARS)} characters of text for"
                " one page"
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
        elif isinstance(value, CONTAINERS):
            self.charge(text_size(value, MAX_WORK_CHARS))
        return value

    def sliced(self, value: Any) -> Any:
        """`text[a:b]`: a copy, counted."""
        return self.checked(value, "a slice")

    def new_buffer(self) -> list[str]:
        """The list a macro, `{% set %}` block or `{% filter %}` block collects its text in."""
        return _Buffer(self.charge)

    def checked_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ c`, sized before it is joined."""
        total = 0
        for part in parts:
            total += text_size(part, MAX_VALUE_CHARS)
        self.check_text(total, "'~'")
        return join(parts)

    def check_text(self, size: int, what: str) -> None:
        if size > MAX_VALUE_CHARS:
            raise Refused(
                f"{what} would make a text of more than {thousands(MAX_VALUE_CHARS)} characters"
            )
        self.charge(size)

    def check_read(self, size: int, what: str) -> None:
        if size > MAX_VALUE_CHARS:
            raise Refused(
                f"{what} would read more than {thousands(MAX_VALUE_CHARS)} characters and items"
            )
        self.charge(size)

    def check_items(self, count: int, what: str) -> None:
        if count > MAX_ITEMS:
            raise Refused(f"{what} would make a list of more than {thousands(MAX_ITEMS)} items")
        self.charge(count)

    def checked(self, value: Any, what: str) -> Any:
        """A computed value, counted against the limits."""
        if isinstance(value, (str, bytes)):
            self.check_text(len(value), what)
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            self.check_items(len(value), what)
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise Refused(f"{what} would make a number of more than {thousands(MAX_INT_BITS)} bits")
        return value

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE_ITEMS:
            raise Refused(f"range() of more than {thousands(MAX_RANGE_ITEMS)} numbers")
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
            check_repeat(self, left, right, what)
        elif operator == "**":
            numbers = isinstance(left, int) and isinstance(right, int) and right > 0
            if numbers and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                raise Refused(
                    f"{what} would make a number of more than {thousands(MAX_INT_BITS)} bits"
                )
        elif operator == "+":
            if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
                self.check_text(len(left) + len(right), what)
            elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                self.check_items(len(left) + len(right), what)
        elif operator == "%" and isinstance(left, (str, bytes)):
            check_printf(self, left, right, what)
        return self.checked(super().call_binop(context, operator, left, right), what)

    def call(  # noqa: N805 - named as in Jinja2, so a template's keyword arguments cannot clash
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:
        __self.step(MACRO_CALL_STEPS if isinstance(__obj, Macro) else 1)
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (__self.count_iterations(args[0]), *args[1:])
        what = _callable_name(__obj)
        args = check_text_method(__self, __obj, args, kwargs, what)
        return __self.checked(super().call(__context, __obj, *args, **kwargs), what)

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
        shallow = name in SHALLOW_FILTERS
        weight = SLOW_FILTERS.get(name, 1)
        special = FILTER_CHECKS.get(name)
        signature = inspect.signature(func) if special is not None else None

        @wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if not shallow:
                # the text a filter reads is work too (wordwrap's a lot per character)
                if len(args) > skip and isinstance(args[skip], str):
                    self.charge(len(args[skip]) * weight)
                for value in (*args[skip:], *kwargs.values()):
                    if isinstance(value, CONTAINERS):
                        self.check_read(text_size(value, MAX_VALUE_CHARS) * weight, what)
            if special is not None and signature is not None:
                try:
                    bound = signature.bind(*args, **kwargs)
                except TypeError:
                    pass  # the filter reports its own wrong arguments
                else:
                    bound.apply_defaults()
                    special(self, bound.arguments, what)
                    args, kwargs = bound.args, bound.kwargs
            return self.checked(func(*args, **kwargs), what)

        return guarded


def _finalize_impl(context: jinja2.runtime.Context, value: Any) -> Any:
    """Every `{{ value }}` printed: a list or dict is sized before it becomes text (the text
    itself is counted where it is collected: the page, a buffer, a block's or an imported
    template's text)."""
    env = context.environment
    assert isinstance(env, TemplateEnvironment)
    if isinstance(value, CONTAINERS):
        env.check_text(text_size(value, MAX_VALUE_CHARS), "printing a value")
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


# -- compiling templates with the counting built in ---------------------------------------------


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


def show_templates(folder: Path) -> ShowTemplates | None:
    """The loader of a show's `templates/` folder (`folder`, beside show.yaml); None when
    there is none. BuildError when it is not a folder or leads out of the show."""
    root = check_templates_folder(folder)
    return None if root is None else ShowTemplates(folder, root)


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
                raise Refused(
                    f"the page would be longer than {thousands(MAX_PAGE_CHARS)} characters,"
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
        raise BuildError(f"{where}: {_not_allowed(str(exc))} ({SANDBOX_DOC})") from None
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
    except Refused as exc:
        where = exc.where or _template_location(exc.__traceback__) or name
        raise BuildError(f"{where}: {exc.message} while rendering {name} ({LIMITS_DOC})") from None
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
            f"{where}: ran out of memory while rendering {name} ({LIMITS_DOC})"
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
