"""Read show.yaml and episode.yaml into models, mapping every problem to file:line:col.

YAML is parsed with PyYAML's safe composer into a node tree, which keeps the line and
column of every key and value. We build plain Python values from that tree ourselves, so:

* no Python object is ever constructed from a tag (`!!python/object` is an error);
* anchors and aliases are refused (no "billion laughs" expansion);
* duplicate keys are an error instead of silently keeping the last one;
* date-like scalars stay text, so the model decides what a valid date is.

Every problem in every manifest is collected before anything stops, so a producer sees
the whole list at once.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from stationcast.build.schedule import Expired, Scheduled
from stationcast.errors import ManifestError, Problem, byte_position, display_path
from stationcast.inputs import (
    MANIFEST,
    MISSING_ARTWORK,
    MISSING_AUDIO,
    MISSING_IMAGE,
    MISSING_TRANSCRIPT,
    Refused,
    missing_hint,
    outside,
    read_input,
)
from stationcast.models import Episode, LoadedEpisode, Show, Station, StationOverride
from stationcast.models.values import FileName, zone_of
from stationcast.station import STATION_FILE, station_of

try:  # libyaml's composer is several times faster; both produce the same node tree
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

SHOW_FILE = "show.yaml"
EPISODE_FILE = "episode.yaml"
#: A manifest is a page of text; anything larger is a mistake (see stationcast.inputs).
MAX_MANIFEST_BYTES = MANIFEST.max_bytes
#: Deeper than this, a manifest is a mistake (real ones nest four or five levels).
MAX_DEPTH = 50

Path_ = tuple[str | int, ...]
_TAG = "tag:yaml.org,2002:"
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


@dataclass
class _Document:
    """A manifest's data plus the position of every value in it."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # of values
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # of mapping keys

    # The parts taken from another file (a show's values inherited from station.yaml): the
    # path in this document -> (that file, the path there); their positions are that file's.
    origins: dict[Path_, tuple[str, Path_]] = field(default_factory=dict)

    def locate(self, loc: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest part of `loc` we know.

        Values are located at the value (where a wrong value starts); with `key=True`, at
        the key naming it (for unknown or missing fields).
        """
        return self.place(loc, key=key)[1:]

    def place(self, loc: Path_, *, key: bool = False) -> tuple[str, int | None, int | None]:
        """The file, line and column of the deepest part of `loc` we know (see `locate`)."""
        for end in range(len(loc), -1, -1):
            part = tuple(loc[:end])
            pos = (self.keys.get(part) if key else None) or self.positions.get(part)
            if pos:
                return self.origin(part), pos[0], pos[1]
        return self.file, None, None

    def origin(self, part: Path_) -> str:
        """The file the value at `part` was read from."""
        return self.source(part)[0]

    def source(self, part: Path_) -> tuple[str, Path_]:
        """The file the value at `part` was read from, and its path in that file."""
        if self.origins:
            for end in range(len(part), 0, -1):
                found = self.origins.get(part[:end])
                if found is not None:
                    return found[0], (*found[1], *part[end:])
        return self.file, part


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node = node
        self.message = message


def read_document(
    path: Path, problems: list[Problem], root: Path | None = None
) -> _Document | None:
    """Parse one YAML manifest; on failure append problems and return None.

    With `root`, the manifest must lie inside that show folder (see stationcast.inputs).
    """
    name = display_path(path)
    try:
        raw = read_input(path, MANIFEST, root=root)
    except Refused as exc:
        message = "not found; expected a YAML manifest here" if exc.missing else exc.message
        problems.append(Problem(name, message=message))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = byte_position(raw, exc.start)
        problems.append(
            Problem(
                name,
                line,
                col,
                message=f"is not valid UTF-8 (byte 0x{raw[exc.start]:02X}); save the file as UTF-8",
            )
        )
        return None
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        at_line, at_col, what = _syntax_error(exc, text)
        problems.append(Problem(name, at_line, at_col, message=f"YAML syntax error: {what}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(name, message=f"YAML syntax error: {exc}"))
        return None
    if len(nodes) > 1:
        problems.append(
            Problem(
                name,
                _line(nodes[1]),
                message="holds more than one YAML document; a manifest is one document",
            )
        )
        return None
    if not nodes:
        problems.append(Problem(name, 1, 1, message="is empty; expected a YAML mapping of fields"))
        return None
    doc = _Document(name, None)
    try:
        doc.data = _build(nodes[0], (), doc, set())  # the set: nodes already built
    except _Refused as exc:
        problems.append(
            Problem(name, _line(exc.node), exc.node.start_mark.column + 1, message=exc.message)
        )
        return None
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(name, 1, 1, message="expected a YAML mapping of fields (key: value lines)")
        )
        return None
    return doc


# What the parser was reading when it failed, said as the thing the producer opened.
_OPENED = {
    "while parsing a flow sequence": (
        "the flow sequence opened here with '[' is never closed with ']'",
        "if the value is text starting with '[', put it in quotes",
    ),
    "while parsing a flow mapping": (
        "the flow mapping opened here with '{' is never closed with '}'",
        "if the value is text starting with '{', put it in quotes",
    ),
    "while scanning a quoted scalar": (
        "the quoted text opened here is never closed",
        "add the closing quote",
    ),
}


def _translated(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """The common syntax errors said as what to do: a `: ` inside an unquoted value, a tab."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    if exc.problem == "mapping values are not allowed in this context":
        key, sep, value = line.partition(": ")
        value = value.strip()
        if sep and mark.column <= len(key):  # the key's own colon: the line is out of place
            return (
                "this key is indented more than the line above, so YAML reads it as part of"
                " that line's value; line it up with the other keys (or quote the value above"
                " if it holds ': ')"
            )
        if sep and value and not value.startswith(("'", '"')):
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return (
                f"the value holds ': ', which YAML reads as another key; put the value in"
                f" quotes: {key.strip()}: {quoted}"
            )
        return "a ': ' here starts a key where none may be; put the text holding it in quotes"
    if line[mark.column : mark.column + 1] == "\t":
        return "a tab character; YAML indents with spaces only: replace the tab with spaces"
    return None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, int | None, str]:
    """(line, column, message) of a YAML syntax error, both positions 1-based.

    PyYAML reports where it gave up (`problem_mark`), which for an unclosed bracket or quote
    is lines later, often at the end of the file. When the construct it was reading
    (`context_mark`) opened on another line, that is where the mistake is: report it there and
    say where the parser gave up.
    """
    problem, context = exc.problem_mark, exc.context_mark
    what = exc.problem or "invalid YAML"
    translated = _translated(exc, text)
    if translated is not None and problem is not None:
        return problem.line + 1, problem.column + 1, translated
    if context is None or problem is None or context.line == problem.line:
        mark = problem or context
        if exc.context:
            what = f"{exc.context}, {what}"
        return (mark.line + 1, mark.column + 1, what) if mark else (None, None, what)
    unknown = (f"{exc.context or 'a construct'} (opened here) is never finished", "")
    opened, fix = _OPENED.get(exc.context or "", unknown)
    where = f"line {problem.line + 1}, column {problem.column + 1}"
    lines = text.splitlines()
    rest = lines[problem.line][problem.column :].strip() if problem.line < len(lines) else ""
    expected = re.fullmatch(r"did not find expected (.+)", what)
    if "end of stream" in what or (not rest and problem.line >= len(lines)):
        found = "reached the end of the file"
    elif expected and rest:
        shown = rest if len(rest) <= 30 else rest[:27] + "..."
        found = f"found {shown!r} on {where} where {expected[1]} was expected"
    else:
        found = f"{what} on {where}"
    return context.line + 1, context.column + 1, f"{opened} ({found}){'; ' + fix if fix else ''}"


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _build(node: yaml.Node, path: Path_, doc: _Document, seen: set[int]) -> Any:
    # The composer turns an alias into a second reference to the anchored node, so a node met
    # twice is an alias. Refusing it keeps a "billion laughs" document from ever expanding.
    if id(node) in seen:
        raise _Refused(
            node,
            "YAML anchors and aliases (& and *) are not supported in manifests;"
            " write the value out",
        )
    seen.add(id(node))
    if len(path) > MAX_DEPTH:  # built recursively: refuse before Python's own limit does
        raise _Refused(
            node,
            f"is nested too deeply (more than {MAX_DEPTH} levels of lists and mappings); a"
            " manifest nests a few levels at most",
        )
    doc.positions[path] = (_line(node), node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _TAG + "map":
            raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed; remove it")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                raise _Refused(
                    key_node, "keys must be plain names (merge keys << are not supported)"
                )
            key = key_node.value
            if key in result:
                first = doc.keys[(*path, key)]
                raise _Refused(
                    key_node, f"{key}: appears twice (first on line {first[0]}); keep one"
                )
            doc.keys[(*path, key)] = (_line(key_node), key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), doc, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed; remove it")
        return [_build(item, (*path, i), doc, seen) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    tag, value = node.tag, node.value
    if not tag.startswith(_TAG):
        raise _Refused(node, f"the YAML tag {tag!r} is not allowed; remove it")
    kind = tag[len(_TAG) :]
    if kind in ("str", "timestamp", "binary"):
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if kind == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if kind == "float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    raise _Refused(node, f"the YAML tag {tag!r} is not allowed; remove it")


# -- validation -------------------------------------------------------------------------


def _validate(
    model: type[BaseModel],
    doc: _Document,
    problems: list[Problem],
    data: Any = None,
    context: dict[str, Any] | None = None,
) -> Any:
    try:
        return model.model_validate(doc.data if data is None else data, context=context)
    except ValidationError as exc:
        for err in _union_branch(exc.errors(include_url=False)):
            problems.append(_problem_from(model, doc, err))
        return None


def refusals(model: type[BaseModel], data: Any) -> list[tuple[Path_, str]]:
    """What `model` refuses in `data`: (the field's path, the message a manifest gets for it).

    The same messages, for the same fields, as reading a manifest holding `data` reports
    (without lines: `data` has no file). Used by the manifest writer to check what it writes.
    """
    try:
        model.model_validate(data)
    except ValidationError as exc:
        doc = _Document("", data)
        return [
            (_clean_loc(err["loc"]), _problem_from(model, doc, err).message)
            for err in _union_branch(exc.errors(include_url=False))
        ]
    return []


def _is_member(part: Any) -> bool:
    """A union member's name pydantic puts in an error's loc ("str", "RemoteAudio", ...)."""
    return isinstance(part, str) and (
        part[:1].isupper() or "[" in part or part in ("str", "int", "list")
    )


# Errors saying the value is of another kind altogether (text where a mapping belongs...).
_KIND_OF_VALUE = {
    "string_type": "text",
    "model_type": "a mapping of fields (key: value lines)",
    "model_attributes_type": "a mapping of fields (key: value lines)",
    "dict_type": "a mapping of fields (key: value lines)",
    "list_type": "a list",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
}


def _union_branch(errors: list[Any]) -> list[Any]:
    """For a field typed `A | B`, only the errors of the member the value was meant to be.

    pydantic reports every member's errors: `audio: ../x.mp3` also gets "expected a mapping"
    from the RemoteAudio member. A member whose only complaint is the kind of value (text, a
    mapping, a list) is not the one the producer meant while another member looked inside the
    value, so its errors go. When every member refuses the kind of value, one error lists them.
    """
    for _ in range(4):  # unions nested in a union's member: rare, and never deep
        groups: dict[tuple[Any, ...], dict[str, list[int]]] = {}
        for index, err in enumerate(errors):
            loc = tuple(err["loc"])
            for at, part in enumerate(loc):
                if _is_member(part):
                    groups.setdefault(loc[:at], {}).setdefault(part, []).append(index)
                    break
        unions = {prefix: members for prefix, members in groups.items() if len(members) > 1}
        if not unions:
            return errors
        drop: set[int] = set()
        merged: list[Any] = []
        for prefix, members in unions.items():

            def kind_only(
                indexes: list[int], prefix: tuple[Any, ...] = prefix, errors: list[Any] = errors
            ) -> bool:
                return all(
                    errors[i]["type"] in _KIND_OF_VALUE
                    and all(_is_member(p) for p in tuple(errors[i]["loc"])[len(prefix) :])
                    for i in indexes
                )

            wrong_kind = [m for m, indexes in members.items() if kind_only(indexes)]
            if len(wrong_kind) < len(members):
                for member in wrong_kind:
                    drop.update(members[member])
                continue
            first = errors[members[wrong_kind[0]][0]]
            kinds = [_KIND_OF_VALUE[errors[i]["type"]] for m in wrong_kind for i in members[m]]
            got = first.get("input")
            message = f"expected {' or '.join(dict.fromkeys(kinds))}, got {_describe(got)}"
            merged.append(
                {"loc": prefix, "type": "value_error", "msg": message, "ctx": {"error": message}}
            )
            drop.update(i for indexes in members.values() for i in indexes)
        errors = [err for i, err in enumerate(errors) if i not in drop] + merged
    return errors


def _field_names(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names valid at `loc` (for "did you mean" hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: Iterable[Any]) -> Path_:
    # pydantic adds the name of the union member it tried ("str", "RemoteAudio",
    # "function-after[...]")
    out: list[str | int] = []
    for part in loc:
        if _is_member(part):
            continue
        out.append(part)
    return tuple(out)


def _problem_from(model: type[BaseModel], doc: _Document, err: Any) -> Problem:
    loc = _clean_loc(err["loc"])
    kind = err["type"]
    field_name = ".".join(str(p) for p in loc)
    if kind == "missing":
        parent = loc[:-1]
        file, line, col = doc.place(parent, key=True) if parent else (doc.file, 1, 1)
        message = f"required field is missing; add a line `{loc[-1]}: ...`"
        if parent:
            message += f" under {'.'.join(str(p) for p in parent)}"
        return Problem(file, line, col, field_name, message)
    # An unknown field, or a list with too many entries, is the key's line, not its value's.
    file, line, col = doc.place(loc, key=kind in ("extra_forbidden", "too_many"))
    if file != doc.file:  # inherited: the field as the other file names it
        field_name = ".".join(str(p) for p in doc.source(loc)[1])
    if kind == "extra_forbidden":
        valid = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(valid)}"
        return Problem(file, line, col, field_name, f"unknown field; {hint}")
    got = err.get("input")
    message = _friendly(kind, err, got)
    return Problem(file, line, col, field_name, message)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _friendly(kind: str, err: Any, got: Any) -> str:
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", err["msg"]))
    if kind == "too_many":
        return str(err["msg"])
    if kind == "string_type":
        return f"expected text, got {_describe(got)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_describe(got)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(got)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_describe(got)}"
    if kind == "greater_than":
        return f"expected a number greater than {ctx.get('gt')}, got {_describe(got)}"
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx.get('ge')}, got {_describe(got)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {_describe(got)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields (key: value lines), got {_describe(got)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(got)}"
    if kind == "too_short":
        return "must have at least one entry"
    return f"{err['msg']}, got {_describe(got)}"


# -- loading a show -----------------------------------------------------------------------


def check_slug(slug: str) -> str | None:
    """Why `slug` cannot name an episode folder (and URL), or None when it can."""
    if unicodedata.normalize("NFC", slug) != slug or not slug.isascii():
        return "must be ASCII: lower-case letters, digits and hyphens"
    if not _SLUG.match(slug):
        return (
            "must be 1-100 lower-case letters, digits and hyphens, starting and ending with a"
            " letter or digit (it becomes part of every URL of the episode)"
        )
    if slug.split(".")[0] in _WINDOWS_RESERVED:
        return "is a reserved device name on Windows; choose another folder name"
    return None


@dataclass(frozen=True)
class LoadedShow:
    root: Path
    show: Show
    episodes: tuple[LoadedEpisode, ...]
    drafts: tuple[str, ...] = ()


def load_show(root: Path) -> LoadedShow:
    """Read `root/show.yaml` and every `root/<slug>/episode.yaml`.

    Raises ManifestError listing every problem in every manifest.
    """
    problems: list[Problem] = []
    show = load_show_model(root, problems)
    episodes: list[LoadedEpisode] = []
    drafts: list[str] = []
    for folder in episode_folders(root):
        loaded = load_episode(folder, root, show, problems)
        if loaded == DRAFT:
            drafts.append(folder.name)
        elif isinstance(loaded, LoadedEpisode):
            episodes.append(loaded)
    problems.extend(
        duplicate_problems((e.slug, e.folder, e.manifest, e.episode.guid) for e in episodes)
    )
    problems.extend(serial_problems(show, episodes))
    if settle(problems):
        raise ManifestError(problems)
    assert show is not None
    return LoadedShow(root, show, tuple(episodes), tuple(drafts))


#: What `load_episode` returns for a manifest with `draft: true`.
DRAFT = "draft"


def choose_episodes(
    loaded: LoadedShow, slugs: Sequence[str], root: Path, problems: list[Problem], *, drafts: str
) -> list[LoadedEpisode]:
    """The episodes named by `slugs` (every episode when none are), for a command that works
    on some of a show's episodes; a draft named is a problem saying `drafts` (why the command
    skips drafts), an unknown slug one with the closest slug there is."""
    if not slugs:
        return list(loaded.episodes)
    by_slug = {item.slug: item for item in loaded.episodes}
    chosen: list[LoadedEpisode] = []
    for slug in dict.fromkeys(slugs):
        if slug in by_slug:
            chosen.append(by_slug[slug])
        elif slug in loaded.drafts:
            problems.append(
                Problem(
                    display_path(root / slug / EPISODE_FILE),
                    field="draft",
                    message=f"is a draft; {drafts}",
                )
            )
        else:
            close = difflib.get_close_matches(slug, list(by_slug), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(display_path(root), message=f"has no episode {slug!r}{hint}"))
    return chosen


def load_show_model(root: Path, problems: list[Problem]) -> Show | None:
    """`root/show.yaml` as a model, or None with its problems appended."""
    if not root.is_dir():
        raise ManifestError(
            [
                Problem(
                    display_path(root),
                    message="is not a folder; expected the episodes folder with show.yaml",
                )
            ]
        )
    show_doc = read_document(root / SHOW_FILE, problems, root)
    if show_doc is None:
        return None
    if station_of(root) is not None:  # a show of a station folder: inherit
        from stationcast.manifest.station import inherit

        show_doc = inherit(root, show_doc, problems)
        if show_doc is None:
            return None
    before = len(problems)
    show: Show | None = _validate(Show, show_doc, problems)
    artwork = show.artwork if show is not None else _file_name(show_doc.data.get("artwork"))
    if any(p.field == "artwork" for p in problems[before:]):
        artwork = None
    if artwork is not None:
        problems += missing_files(show_doc, root, [(("artwork",), artwork, MISSING_ARTWORK)])
    return show


def _file_name(value: Any) -> str | None:
    """`value` when it is a file name the models accept (read from a manifest the model
    refused for other fields), else None."""
    if not isinstance(value, str):
        return None
    try:
        return _FILE_NAME.validate_python(value)
    except ValidationError:
        return None


_FILE_NAME: TypeAdapter[str] = TypeAdapter(FileName)


def _raw_files(data: Any) -> list[tuple[Path_, str, str]]:
    """`_episode_files` of a manifest the model refused (for other fields, perhaps): the
    audio, transcript and image names it gives that are file names."""
    if not isinstance(data, dict):
        return []
    transcript, image = data.get("transcript"), data.get("image")
    found = [
        (("audio",), _file_name(data.get("audio")), MISSING_AUDIO),
        (
            ("transcript", "file"),
            _file_name(transcript.get("file") if isinstance(transcript, dict) else None),
            MISSING_TRANSCRIPT,
        ),
        (
            ("image", "file"),
            _file_name(image.get("file") if isinstance(image, dict) else image),
            MISSING_IMAGE,
        ),
    ]
    return [(loc, name, missing) for loc, name, missing in found if name is not None]


def _episode_files(episode: Episode) -> list[tuple[Path_, str, str]]:
    """(field, file name, what a missing one is) of every local file an episode names."""
    files: list[tuple[Path_, str, str]] = []
    if isinstance(episode.audio, str):
        files.append((("audio",), episode.audio, MISSING_AUDIO))
    if episode.transcript is not None:
        files.append((("transcript", "file"), episode.transcript.file, MISSING_TRANSCRIPT))
    if episode.image is not None:
        files.append((("image", "file"), episode.image.file, MISSING_IMAGE))
    for number, alternate in enumerate(episode.alternates):
        if alternate.file is not None:
            files.append((("alternates", number, "file"), alternate.file, MISSING_AUDIO))
    return files


class MissingFile(Problem):
    """A file a manifest names that is not there, found while reading the manifests.

    Reported with the manifests' own problems, so a typo in a file name arrives with the
    typos in fields; when the manifests have no other problem the build goes on and its
    readers report the same files along with every other file's problems (see
    :func:`settle`)."""


def missing_files(
    doc: _Document, folder: Path, files: Iterable[tuple[Path_, str, str]]
) -> list[Problem]:
    """A located MissingFile for each named file not in `folder`, with the closest name the
    folder has and what it holds. (Links, sizes and formats are the readers' to check.)"""
    problems: list[Problem] = []
    for loc, name, missing in files:
        path = folder / name
        if os.path.lexists(path):
            continue
        file, line, column = doc.place(loc)
        field_name = ".".join(str(part) for part in loc)
        message = f"{display_path(path)}: {missing}{missing_hint(path)}"
        problems.append(MissingFile(file, line, column, field_name, message))
    return problems


def settle(problems: list[Problem]) -> list[Problem]:
    """The problems that stop the reading of the manifests: all of them when one is not a
    MissingFile, none when every one is (the readers then report those files, and any other
    file's problems, in one list)."""
    if all(isinstance(p, MissingFile) for p in problems):
        return []
    return problems


def inside_show(path: Path, root: Path) -> str | None:
    """Why the build must not read `path`, or None when it lies inside the show folder `root`
    (see stationcast.inputs.outside). The reason reads after the file's name:
    `f"{display_path(path)}: {reason}"`.
    """
    return outside(path, root)


def _loops(path: Path) -> bool:
    """True when `path` is a symbolic link that cannot be followed (a loop)."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def episode_folders(root: Path) -> list[Path]:
    """Every folder of `root` holding an episode.yaml, sorted by name."""
    folders = []
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith((".", "_"))):
        if folder.name == "templates":
            continue
        if "." not in folder.name and _loops(folder):  # no slug has a dot; files usually do
            folders.append(folder)  # load_episode reports it
            continue
        if not folder.is_dir():
            continue
        if not (folder / EPISODE_FILE).exists():
            continue  # a folder without a manifest is not an episode (assets, drafts)
        folders.append(folder)
    return folders


def load_episode(
    folder: Path,
    root: Path,
    show: Show | None,
    problems: list[Problem],
    *,
    now: datetime | None = None,
    drafts: bool = False,
) -> LoadedEpisode | Scheduled | Expired | str | None:
    """One episode folder: its LoadedEpisode, DRAFT, Scheduled, Expired, or None with its
    problems appended. `drafts`: a draft is checked and loaded like any episode (for a
    command that prepares drafts, such as align), not returned as DRAFT.

    `now` is the build's clock (stationcast.build.schedule): an episode published after it is
    Scheduled, not yet due; one whose rights window ended by then is Expired. Without it every
    episode is loaded, whatever its dates.
    """
    manifest = folder / EPISODE_FILE
    reason = check_slug(folder.name)
    if reason:
        problems.append(Problem(display_path(folder), message=f"episode folder name {reason}"))
        return None
    if folder.is_symlink():  # even to another folder of the show: one folder, one episode
        if _loops(folder):
            message = (
                "is a symbolic link that cannot be followed (a loop?); put the episode folder"
                " itself there"
            )
        else:
            message = "is a symbolic link out of the episodes folder; move the episode into it"
        problems.append(Problem(display_path(folder), message=message))
        return None
    doc = read_document(manifest, problems, root)
    if doc is None:
        return None
    if doc.data.get("draft") is True and not drafts:
        return DRAFT  # drafts are work in progress: not checked, not published
    before = len(problems)
    episode = _validate(Episode, doc, problems, context={"zone": station_zone(show)})
    if episode is not None:
        named = _episode_files(episode)
    else:  # the names the model did not refuse
        refused = {p.field.split(".")[0] for p in problems[before:]}
        named = [f for f in _raw_files(doc.data) if str(f[0][0]) not in refused]
    problems += missing_files(doc, folder, named)
    if episode is None or show is None:
        return None
    if now is not None and episode.published > now:
        return Scheduled(folder.name, episode.published, doc.file)
    expiry = episode.expiry(show.defaults.expires if show.defaults else None)
    if now is not None and expiry is not None and expiry <= now:
        return Expired(folder.name, expiry, doc.file, episode.guid)
    station = _merge_station(show.station, episode.station)
    return LoadedEpisode(
        slug=folder.name,
        folder=display_path(folder),
        manifest=doc.file,
        episode=episode,
        station=station,
        expires=expiry,
    )


def locate_fields(problems: Iterable[Problem]) -> list[Problem]:
    """`problems`, each naming a manifest field but no line given the line and column of the
    field's value (read again from the manifest: this runs only when there are problems)."""
    documents: dict[str, _Document | None] = {}
    located: list[Problem] = []
    for problem in problems:
        manifest = problem.file.endswith((SHOW_FILE, EPISODE_FILE, STATION_FILE))
        if problem.line is None and problem.field and manifest:
            if problem.file not in documents:
                documents[problem.file] = read_document(Path(problem.file), [])
            doc = documents[problem.file]
            if doc is not None:
                loc = tuple(int(p) if p.isdigit() else p for p in problem.field.split("."))
                line, column = doc.locate(loc)
                problem = replace(problem, line=line, column=column)
        located.append(problem)
    return located


def station_zone(show: Show | None) -> ZoneInfo | None:
    """The station's time zone (`station.timezone`), if show.yaml names one."""
    name = show.station.timezone if show is not None else None
    return zone_of(name) if name else None


def _merge_station(base: Station, override: StationOverride | None) -> Station:
    if override is None:
        return base
    changes = {k: v for k, v in override.model_dump(exclude_none=True).items()}
    return Station.model_validate({**base.model_dump(), **changes})


def serial_problems(show: Show | None, episodes: Iterable[LoadedEpisode]) -> list[Problem]:
    """A `type: serial` show's full episodes that have no `episode:` number.

    Apple Podcasts plays a serial show in episode-number order, so every full episode needs
    one (trailers and bonus episodes may go without). Each missing number is a problem in
    that episode's manifest, suggesting the episode's place by date among the full episodes
    (or the next free number, when that one is taken).
    """
    if show is None or show.type != "serial":
        return []
    full = sorted(
        (e for e in episodes if e.episode.episode_type == "full"),
        key=lambda e: (e.episode.published, e.slug),
    )
    taken = {e.episode.episode for e in episodes if e.episode.episode is not None}
    problems: list[Problem] = []
    for place, item in enumerate(full, start=1):
        if item.episode.episode is not None:
            continue
        number = place if place not in taken else max(taken) + 1
        taken.add(number)
        problems.append(
            Problem(
                item.manifest,
                field="episode",
                message=(
                    "show.yaml says `type: serial`, so every full episode needs its number;"
                    f" add a line `episode: {number}` (its place in the series)"
                ),
            )
        )
    return problems


def duplicate_problems(episodes: Iterable[tuple[str, str, str, str]]) -> list[Problem]:
    """Duplicate GUIDs and case-folded slugs among (slug, folder, manifest, guid), in folder
    order."""
    problems: list[Problem] = []
    seen_guid: dict[str, str] = {}
    seen_slug: dict[str, str] = {}
    for slug, folder, manifest, guid in episodes:
        first = seen_guid.setdefault(guid, manifest)
        if first != manifest:
            problems.append(
                Problem(
                    manifest,
                    field="guid",
                    message=f"duplicate GUID {guid!r}, also used by {first};"
                    " every episode needs its own",
                )
            )
        other = seen_slug.setdefault(slug.casefold(), folder)
        if other != folder:
            problems.append(
                Problem(
                    folder,
                    message=f"episode folder name collides with {other}"
                    " on case-insensitive file systems",
                )
            )
    return problems
