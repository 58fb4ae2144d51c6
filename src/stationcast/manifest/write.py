"""A small YAML writer for manifests a person will edit next: comments, TODO marks, line numbers.

PyYAML's emitter cannot place comments, so manifests are written line by line here. Scalars
are plain when YAML reads them back as the same string, double-quoted (with escapes)
otherwise; long single-line text is folded (``>-``) for reading. ``tests/importers`` checks
that every value reads back unchanged.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

TODO = "TODO(import)"
WIDTH = 88

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_RESOLVER = yaml.resolver.Resolver()
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


# Characters written as escapes: quotes, backslash, line breaks and tabs, C0/C1 controls,
# line/paragraph separators, lone surrogates, BOM and noncharacters.
_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')

_UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _needs_escape(ch: str) -> bool:
    return _ESCAPE.match(ch) is not None


def quoted(text: str) -> str:
    if not _ESCAPE.search(text):
        return '"' + text + '"'
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _needs_escape(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


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


def scalar(value: Any, *, flow: bool = False) -> str:
    """One value written inline."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) else f"{int(value)}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if _plain_ok(text, flow=flow) else quoted(text)


def _foldable(text: str) -> bool:
    return (
        len(text) > WIDTH - 20
        and " " in text
        and text == text.strip()
        and "  " not in text
        and not _ESCAPE.search(text)
        and " #" not in text  # harmless in block scalars, but keeps editors' highlighting sane
    )


@dataclass
class Todo:
    line: int
    field: str
    message: str


@dataclass
class YamlWriter:
    """Lines of a manifest, with the TODOs it holds and the line of each."""

    lines: list[str] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def blank(self) -> None:
        self.lines.append("")

    def comment(self, text: str, indent: int = 0, *, wrap: bool = True) -> None:
        pad = " " * indent
        # Comments quote the source (labels, URLs): show control characters, never write them.
        text = _UNPRINTABLE.sub(lambda m: quoted(m.group())[1:-1], text.replace("\r", "\n"))
        if not wrap:
            self.lines.extend(f"{pad}# {line}".rstrip() for line in text.split("\n"))
            return
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(
                paragraph, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False
            ) or [""]:
                self.lines.append(f"{pad}# {line}".rstrip())

    def todo(self, name: str, message: str, indent: int = 0) -> None:
        """A `# TODO(import): field: message` comment, for the field written next."""
        self.comment(f"{TODO}: {name}: {message}", indent)
        self.todos.append(Todo(len(self.lines) + 1, name, message))

    def field(self, key: str, value: Any, indent: int = 0, *, first: str = "") -> None:
        """`key: value`. `first` is a prefix for the first line ("- " in a list of mappings)."""
        pad = " " * indent
        lead = pad[: len(pad) - len(first)] + first if first else pad
        if isinstance(value, Mapping) and value and not _short(value):
            self.lines.append(f"{lead}{key}:")
            for k, v in value.items():
                self.field(k, v, indent + 2)
            return
        if isinstance(value, Sequence) and not isinstance(value, str) and value:
            if all(isinstance(v, Mapping) for v in value):
                self.lines.append(f"{lead}{key}:")
                for item in value:
                    self.mapping_item(item, indent + 4)
                return
            inline = scalar(value)
            if len(lead) + len(key) + len(inline) + 2 > WIDTH:
                self.lines.append(f"{lead}{key}:")
                for v in value:
                    self.lines.append(f"{pad}  - {scalar(v)}")
                return
        if isinstance(value, str) and _foldable(value):
            self.lines.append(f"{lead}{key}: >-")
            for line in textwrap.wrap(
                value, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False
            ):
                self.lines.append(f"{pad}  {line}")
            return
        self.lines.append(f"{lead}{key}: {scalar(value)}")

    def mapping_item(self, item: Mapping[str, Any], indent: int) -> None:
        """One `- key: value` entry of a list of mappings, at `indent` (the dash's column + 2)."""
        for number, (k, v) in enumerate(item.items()):
            self.field(k, v, indent, first="- " if number == 0 else "")


def _short(value: Mapping[str, Any]) -> bool:
    return False
