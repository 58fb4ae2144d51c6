"""The manifest writer: show.yaml and episode.yaml as a person will edit them next.

Every manifest stationcast writes (`stationcast new`, `stationcast import page`, `stationcast
import feed`) is written here, from a list of entries: each field's value with the comment and
the TODO note to put above it (:class:`Entry`), comment lines between fields (:class:`Comment`),
nested mappings that carry comments too (:class:`Block`). What it writes is checked through
the models (:func:`manifest_text`):

* every key is a field of the model (of the nested model, under a nested field);
* a value the model refuses is either marked as left for the producer (a TODO, or a
  placeholder) or gets a TODO here, saying what the build would say about it, so a manifest
  is never written with an unmarked value the build refuses;
* reading the text back (:func:`stationcast.manifest.read_document`) gives exactly the values
  written, so a model written with :func:`model_entries` reads back as the same model
  (``tests/importers/test_properties.py`` checks both).

PyYAML's emitter cannot place comments, so manifests are written line by line. Scalars are
plain when YAML reads them back as the same string, double-quoted (with escapes) otherwise;
long single-line text is folded (``>-``) for reading. The same entries give the same bytes.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, get_args

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from stationcast.manifest import Path_, refusals

#: The mark of a field left for the producer: `# TODO(import): field: what to do`.
TODO = "TODO(import)"
#: Comments and folded text are wrapped to this width.
WIDTH = 88
#: YAML allows an implicit key of at most 1024 characters; longer ones are written as `? key`.
_MAX_KEY = 1000

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_RESOLVER = yaml.resolver.Resolver()
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


# Characters written as escapes: quotes, backslash, line breaks and tabs, C0/C1 controls,
# line/paragraph separators, lone surrogates, BOM and noncharacters.
_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')

_UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


@dataclass(frozen=True)
class Comment:
    """A `# ...` line (wrapped to the page width unless `wrap` is false) among the fields."""

    text: str
    wrap: bool = True


@dataclass(frozen=True)
class Entry:
    """One `key: value` line (or block) of a manifest.

    value: text, a number, true/false, None, a datetime (written as ISO 8601), a list, a mapping,
    a model (its fields as given), a :class:`Block`, or a list of Blocks.
    comment: a comment written above the field.
    todo: what the producer has to do; written above the field as `# TODO(import): field: todo`
    and listed in :attr:`ManifestText.todos`. The value is a placeholder the model may refuse.
    placeholder: the value is left for the producer without a TODO note (`stationcast new`'s
    empty summary); the model may refuse it.
    commented_out: written as a comment (`# key: value`), to show where the field goes; it is
    not part of the manifest's values.
    """

    key: str
    value: Any
    comment: str = ""
    todo: str = ""
    placeholder: bool = False
    commented_out: bool = False


@dataclass(frozen=True)
class Block:
    """A nested mapping written with comments and TODO notes of its own."""

    entries: Sequence[Entry | Comment]


@dataclass(frozen=True)
class Draft:
    """`draft: true` at the top of an episode manifest (the build skips drafts).

    comment: written above it. only_with_todos: write it only when a field is left TODO.
    todo: why the episode must stay a draft whatever its fields say (the old feed hid it):
    written as `# TODO(import): draft: todo` above it, and listed with the fields' TODOs.
    """

    comment: str = ""
    only_with_todos: bool = False
    todo: str = ""


@dataclass(frozen=True)
class Todo:
    """A field left for the producer: the line of its key, its path (`credits.0.name`), why."""

    line: int
    field: str
    message: str


@dataclass(frozen=True)
class ManifestText:
    """A written manifest: its text, its TODOs, and the values reading it back gives."""

    text: str
    todos: tuple[Todo, ...]
    data: dict[str, Any]

    @property
    def draft(self) -> bool:
        return self.data.get("draft") is True


def manifest_text(
    model: type[BaseModel],
    entries: Iterable[Entry | Comment],
    *,
    header: Sequence[str] = (),
    draft: Draft | None = None,
    mark: str = TODO,
) -> ManifestText:
    """The manifest of `model` (Show or Episode) holding `entries`, after `header` comments.

    A key the model does not have, or a required field left out, is a mistake of the caller
    (ValueError). A value the model refuses and that is not marked as left for the producer
    (`todo` or `placeholder`) gets a TODO giving the model's reason, so it is listed and, with
    `Draft(only_with_todos=True)`, keeps the episode a draft. `mark` starts each TODO comment
    (`TODO(init)` for `stationcast init`).
    """
    entries = list(entries)
    _check_keys(model, entries, ())
    data: dict[str, Any] = _data(Block(entries))
    if draft is not None and ("draft" not in model.model_fields or "draft" in data):
        raise ValueError(f"{model.__name__}: a draft flag does not belong here")
    marks = _review(model, entries, data)
    out = _Lines(marks, mark)
    for text in header:
        out.comment(text, 0)
    if draft is not None and (
        not draft.only_with_todos or draft.todo or marks or _has_todo(entries)
    ):
        if draft.comment:
            out.comment(draft.comment, 0)
        if draft.todo:
            out.comment(f"{TODO}: draft: {draft.todo}", 0)
            out.todos.append(Todo(len(out.lines) + 1, "draft", draft.todo))
        out.lines.append("draft: true")
        data = {"draft": True, **data}
    out.entries(entries, 0, ())
    return ManifestText(out.text(), tuple(out.todos), data)


def model_entries(value: BaseModel) -> list[Entry]:
    """A model's fields, as it was given them (defaults left out), for :func:`manifest_text`."""
    return [Entry(key, item) for key, item in value.model_dump(exclude_unset=True).items()]


# -- checking values through the models ---------------------------------------------------------


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any] | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation: Any = info.annotation
    return TypeAdapter(Annotated[annotation, *info.metadata] if info.metadata else annotation)


def refusal(model: type[BaseModel], name: str, value: Any) -> str | None:
    """Why the field `name` of `model` refuses `value` (its first error), or None when it takes it.

    The field is checked on its own: checks that compare it with other fields do not run.
    """
    adapter = _adapter(model, name)
    if adapter is None:
        return "the manifest has no field for it"
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        parts = [str(p) for p in error["loc"] if isinstance(p, str) and p.islower()]
        where = ".".join(parts)
        reason = str((error.get("ctx") or {}).get("error", error["msg"]))
        return f"{where}: {reason}" if where else reason
    except (ValueError, TypeError) as exc:
        return str(exc)
    return None


def accepted(
    model: type[BaseModel], names: Sequence[str], candidates: Sequence[Any]
) -> tuple[str, Any] | None:
    """The first of `names` the model has whose field takes one of `candidates` (as given)."""
    for name in names:
        if name not in model.model_fields:
            continue
        for candidate in candidates:
            if refusal(model, name, candidate) is None:
                return name, candidate
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's type holds (`list[Credit]` -> Credit), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _check_keys(model: type[BaseModel], entries: Sequence[Entry | Comment], path: Path_) -> None:
    seen: set[str] = set()
    for entry in entries:
        if isinstance(entry, Comment):
            continue
        where = _dotted((*path, entry.key))
        if entry.key not in model.model_fields:
            raise ValueError(f"{model.__name__} has no field {where}")
        if entry.key in seen:
            raise ValueError(f"{where} is given twice")
        seen.add(entry.key)
        inner = _model_in(model.model_fields[entry.key].annotation)
        items = entry.value if isinstance(entry.value, list) else [entry.value]
        for index, item in enumerate(items):
            if not isinstance(item, Block):
                continue
            if inner is None:
                raise ValueError(f"{where} is not a mapping of fields")
            at = (*path, entry.key, index) if isinstance(entry.value, list) else (*path, entry.key)
            _check_keys(inner, item.entries, at)


def _data(value: Any) -> Any:
    """What reading the manifest back gives for `value` (dates are text, as in manifest.py)."""
    if isinstance(value, Block):
        return {
            e.key: _data(e.value)
            for e in value.entries
            if isinstance(e, Entry) and not e.commented_out
        }
    if isinstance(value, BaseModel):
        return _data(value.model_dump(exclude_unset=True))
    if isinstance(value, Mapping):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _walk(entries: Sequence[Entry | Comment], path: Path_) -> Iterable[tuple[Path_, Entry]]:
    """Every entry (nested ones too) with its path."""
    for entry in entries:
        if not isinstance(entry, Entry) or entry.commented_out:
            continue
        at = (*path, entry.key)
        yield at, entry
        if isinstance(entry.value, Block):
            yield from _walk(entry.value.entries, at)
        elif isinstance(entry.value, list):
            for index, item in enumerate(entry.value):
                if isinstance(item, Block):
                    yield from _walk(item.entries, (*at, index))


def _has_todo(entries: Sequence[Entry | Comment]) -> bool:
    return any(entry.todo for _, entry in _walk(entries, ()))


def _review(
    model: type[BaseModel], entries: Sequence[Entry | Comment], data: dict[str, Any]
) -> dict[Path_, str]:
    """TODO notes for the entries holding values the model refuses that nobody marked."""
    found = dict(_walk(entries, ()))
    left = {path for path, entry in found.items() if entry.todo or entry.placeholder}
    marks: dict[Path_, list[str]] = {}
    for loc, message in refusals(model, data):
        at = next((loc[:end] for end in range(len(loc), 0, -1) if loc[:end] in found), None)
        if at is None:
            raise ValueError(f"{model.__name__}: {_dotted(loc) or 'the manifest'}: {message}")
        if any(at[:end] in left for end in range(1, len(at) + 1)):
            continue  # left for the producer already
        rest = _dotted(loc[len(at) :])
        marks.setdefault(at, []).append(f"{rest}: {message}" if rest else message)
    return {path: "; ".join(messages) for path, messages in marks.items()}


def _dotted(path: Path_) -> str:
    return ".".join(str(part) for part in path)


# -- YAML text -----------------------------------------------------------------------------------


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _quoted(text: str) -> str:
    """`text` double-quoted, each character of _ESCAPE escaped (one regex pass: notes run to
    thousands of characters, and a large import writes thousands of them)."""
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _plain_ok(text: str, *, flow: bool) -> bool:
    if not text or not _PLAIN.match(text) or text != text.strip():
        return False
    if ": " in text or " #" in text or text.endswith(":") or _ESCAPE.search(text):
        return False
    if flow and any(ch in text for ch in ",[]{}"):
        return False
    # Timestamps stay text in stationcast manifests (manifest.py reads them as strings).
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) in (  # type: ignore[no-untyped-call]
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:timestamp",
    )


def _float(value: float) -> str:
    if not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    if value == int(value) and abs(value) < 1e16:
        return f"{int(value)}"
    text = repr(value)
    if "e" in text and "." not in text:  # YAML 1.1 reads 1e-05 as text, 1.0e-05 as a number
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _scalar(value: Any, *, flow: bool = False) -> str:
    """One value written inline."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (Block, BaseModel, datetime)):
        return _scalar(_data(value), flow=flow)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, Mapping):
        return (
            "{"
            + ", ".join(f"{_key(k, flow=True)}: {_scalar(v, flow=True)}" for k, v in value.items())
            + "}"
        )
    text = str(value)
    return text if _plain_ok(text, flow=flow) else _quoted(text)


def _key(key: Any, *, flow: bool = False) -> str:
    text = str(key)
    return text if _plain_ok(text, flow=flow) else _quoted(text)


def _foldable(text: str) -> bool:
    return (
        len(text) > WIDTH - 20
        and " " in text
        and text == text.strip()
        and "  " not in text
        and not _ESCAPE.search(text)
        and " #" not in text  # harmless in block scalars, but keeps editors' highlighting sane
    )


def _written(block: Block) -> bool:
    """True when `block` has a field to write (else it is written as `{}`)."""
    return any(isinstance(e, Entry) and not e.commented_out for e in block.entries)


def _is_mapping(value: Any) -> bool:
    return isinstance(value, (Mapping, Block, BaseModel))


@dataclass
class _Lines:
    """The lines of a manifest being written, and the TODOs among them."""

    marks: dict[Path_, str]
    mark: str = TODO
    lines: list[str] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def comment(self, text: str, indent: int, *, wrap: bool = True) -> None:
        pad = " " * indent
        # Comments quote the source (labels, URLs): show control characters, never write them.
        text = _UNPRINTABLE.sub(lambda m: _quoted(m.group())[1:-1], text.replace("\r", "\n"))
        if not wrap:
            self.lines.extend(f"{pad}# {line}".rstrip() for line in text.split("\n"))
            return
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(
                paragraph, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False
            ) or [""]:
                self.lines.append(f"{pad}# {line}".rstrip())

    def entries(
        self, entries: Sequence[Entry | Comment], indent: int, path: Path_, first: str = ""
    ) -> None:
        """`entries` at `indent`; `first` ("- ") starts the first field (a list item)."""
        for entry in entries:
            at = indent - len(first)  # comments before a list item's first field: at its dash
            if isinstance(entry, Comment):
                self.comment(entry.text, at, wrap=entry.wrap)
                continue
            self.entry(entry, indent, path, first)
            if not entry.commented_out:
                first = ""

    def entry(self, entry: Entry, indent: int, path: Path_, first: str) -> None:
        at = (*path, entry.key)
        todo = entry.todo or self.marks.get(at, "")
        column = indent - len(first)
        if todo:
            self.comment(f"{self.mark}: {_dotted(at)}: {todo}", column)
        if entry.comment:
            self.comment(entry.comment, column)
        if todo:
            self.todos.append(Todo(len(self.lines) + 1, _dotted(at), todo))
        if entry.commented_out:
            self.comment(f"{entry.key}: {_scalar(entry.value)}", column, wrap=False)
            return
        self.field(entry.key, entry.value, indent, at, first)

    def field(self, key: str, value: Any, indent: int, path: Path_, first: str = "") -> None:
        """`key: value`. `first` is a prefix for the first line ("- " in a list of mappings)."""
        pad = " " * indent
        lead = pad[: len(pad) - len(first)] + first if first else pad
        name = _key(key)
        if len(name) > _MAX_KEY:
            self.lines.append(f"{lead}? {name}")
            self.lines.append(f"{pad}: {_scalar(value)}")
            return
        if isinstance(value, Block) and _written(value):
            self.lines.append(f"{lead}{name}:")
            self.entries(value.entries, indent + 2, path)
            return
        if isinstance(value, BaseModel):
            value = _data(value)
        if isinstance(value, Mapping) and value:
            self.lines.append(f"{lead}{name}:")
            for k, v in value.items():
                self.field(k, v, indent + 2, (*path, k))
            return
        if isinstance(value, Sequence) and not isinstance(value, str) and value:
            if all(_is_mapping(v) for v in value):
                self.lines.append(f"{lead}{name}:")
                for index, item in enumerate(value):
                    self.item(item, indent + 4, (*path, index))
                return
            inline = _scalar(value)
            if len(lead) + len(name) + len(inline) + 2 > WIDTH:
                self.lines.append(f"{lead}{name}:")
                for v in value:
                    self.lines.append(f"{pad}  - {_scalar(v)}")
                return
        if isinstance(value, str) and _foldable(value):
            self.lines.append(f"{lead}{name}: >-")
            for line in textwrap.wrap(
                value, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False
            ):
                self.lines.append(f"{pad}  {line}")
            return
        self.lines.append(f"{lead}{name}: {_scalar(value)}")

    def item(self, item: Any, indent: int, path: Path_) -> None:
        """One `- key: value` entry of a list of mappings, at `indent` (the dash's column + 2)."""
        if isinstance(item, Block):
            if _written(item):
                self.entries(item.entries, indent, path, first="- ")
                return
            item = {}
        if isinstance(item, BaseModel):
            item = _data(item)
        if not item:
            self.lines.append(f"{' ' * (indent - 2)}- {{}}")
            return
        for number, (k, v) in enumerate(item.items()):
            self.field(k, v, indent, (*path, k), first="- " if number == 0 else "")
