"""The one parsing boundary: read YAML/JSON files and validate them into pydantic models.

Every problem in a file is reported at once, located as ``file:line:col field.path``. Past this
module, code sees validated objects only.
"""

from __future__ import annotations

import json
import math
import reprlib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import DataError, FileMissingError, Problem, close_names, did_you_mean

M = TypeVar("M", bound=BaseModel)

Loc = tuple[int | str, ...]

MAX_FILE_BYTES = 1024 * 1024
"""Largest file read, 1 MiB. The biggest shipped file (a region pack) is under 50 KB and a scenario about 2 KB;
a 10 MB file took 46 s to check."""

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings. Shipped files nest 8 levels at most; deeper is a bracket typo (libyaml
itself stops only at 1000), and it keeps every recursive walk over a document far from Python's recursion limit."""

MAX_VALUES = 50_000
"""Most values (scalars, lists, mappings) in one document, an alias counting as every value it repeats. The
biggest shipped file has under 5,000; a 1 KB "billion laughs" alias bomb expands to millions (20 s and 2.9 GB),
and a count of aliases alone would not stop it (54 aliases make 9**7 values)."""

MAX_INT_DIGITS = 20
"""Longest whole number, in characters (sign and ``_`` aside). The largest in any file is a seed (19 digits);
longer ones are typing accidents, and Python refuses to read those past 4,300 digits."""

MAX_PROBLEMS = 100
"""Most schema problems listed for one file; past them one line says how many more. Nobody reads thousands,
and locating them is the slow part of checking a broken file (48,000 took a second more)."""


class SourceDoc:
    """A parsed document together with its YAML node tree, to locate fields by path."""

    def __init__(self, name: str, data: Any, root: yaml.Node | None):
        self.name, self.data, self.root = name, data, root
        self._entries: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node that ``loc`` reaches."""
        node = self.root
        if node is None:
            return None, None
        best = node
        for part in loc:
            nxt = self._child(node, part)
            if nxt is None:
                break
            node = best = nxt
        return best.start_mark.line + 1, best.start_mark.column + 1

    def key_position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Position of the *key* of the last element of ``loc`` (for unknown fields)."""
        parent = self.root
        for part in loc[:-1]:
            parent = self._child(parent, part) if parent is not None else None
        entry = self._entry(parent, loc[-1]) if isinstance(parent, yaml.MappingNode) else None
        if entry is not None:
            return entry[0].start_mark.line + 1, entry[0].start_mark.column + 1
        return self.position(loc[:-1])

    def problem(
        self,
        loc: Loc,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        kind: str = "",
        values: tuple[tuple[str, str | tuple[str, ...]], ...] = (),
    ) -> Problem:
        """A ``Problem`` at ``loc`` in this document (at the key of its last part when ``at_key``, e.g. an unknown
        field), with the path written as ``format_loc`` does; ``kind`` and ``values`` as in ``Problem``."""
        line, col = self.key_position(loc) if at_key and loc else self.position(loc)
        return Problem(self.name, line, col, format_loc(loc), message, hint, kind, values)

    def _entry(self, node: yaml.MappingNode, key: int | str) -> tuple[yaml.Node, yaml.Node] | None:
        """The first (key, value) pair of ``node`` whose key reads ``key``; mappings are indexed once, so that
        locating thousands of problems stays linear."""
        entries = self._entries.get(id(node))
        if entries is None:
            entries = self._entries[id(node)] = {}
            for pair in node.value:
                if isinstance(pair[0], yaml.ScalarNode):
                    entries.setdefault(pair[0].value, pair)
        return entries.get(str(key))

    def _child(self, node: yaml.Node, part: int | str) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            entry = self._entry(node, part)
            return entry[1] if entry else None
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return node.value[part]
        return None


def format_loc(loc: Loc) -> str:
    """``('persons', 0, 'age')`` → ``persons[0].age``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_document(path: str | Path, *, display_name: str | None = None) -> SourceDoc:
    """Read a YAML or JSON file; a file too large, unreadable, not UTF-8 or not valid YAML is a located ``DataError``."""
    path = Path(path)
    name = display_name or str(path)
    if not path.is_file():
        raise FileMissingError(str(path))
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DataError(
            [Problem(name, None, None, "", f"cannot read the file ({exc.strerror})", "check its permissions")]
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([_too_large(name)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise DataError(
            [
                Problem(
                    name,
                    raw.count(b"\n", 0, exc.start) + 1,
                    col,
                    "",
                    f"not a UTF-8 text file (byte {exc.start})",
                    "save the file as UTF-8 (Vietnamese text needs it)",
                )
            ]
        ) from None
    return parse_document(text, name)


# libyaml's C parser when present (several times faster), with the same safe constructors.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_document(text: str, name: str) -> SourceDoc:
    """Parse YAML (JSON is YAML too) with safe_load semantics, keeping node positions (one parse).

    Text over ``MAX_FILE_BYTES``, nesting past ``MAX_DEPTH``, more than ``MAX_VALUES`` values once aliases are
    expanded, and scalars their type cannot hold (a 13th month, a non-finite or overlong number) are refused
    with a located ``DataError`` before the document is built.
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise DataError(
            [
                _at_offset(
                    name,
                    text,
                    exc.start,
                    f"U+{ord(text[exc.start]):04X} is not a valid character",
                    "delete it or type it again",
                    "invalid_character",
                    (("code", f"U+{ord(text[exc.start]):04X}"),),
                )
            ]
        ) from None
    if size > MAX_FILE_BYTES:
        raise DataError([_too_large(name)])
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        problems = _shape_problems(loader, root, name) if root is not None else []
        if problems:
            raise DataError(problems)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        detail = exc.problem or exc.context or ""
        message = f"YAML syntax error: {detail}"
        hint = "check indentation, colons and quotes on this line or the one before"
        kind = next((k for start, k in _YAML_SYNTAX if detail.startswith(start)), "yaml_syntax")
        raise DataError([Problem(name, line, col, "", message, hint, kind, (("detail", detail),))]) from None
    except yaml.reader.ReaderError as exc:
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        offset = bad.start() if bad else exc.position
        code = f"U+{ord(text[offset]):04X}"
        message = f"character {code} is not allowed in YAML" if bad else f"YAML error: {exc}"
        hint = "delete it: text copied from Word or a PDF can carry invisible control characters"
        values = (("code", code),) if bad else ()
        raise DataError(
            [_at_offset(name, text, offset, message, hint, "control_character" if bad else "yaml_syntax", values)]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, None, None, "", f"YAML error: {exc}", "", "yaml_syntax")]) from None
    finally:
        loader.dispose()
    return SourceDoc(name, data, root)


# The start of libyaml's (and PyYAML's) syntax messages → the problem's kind, for the designer to say what it means.
_YAML_SYNTAX: tuple[tuple[str, str], ...] = (
    ("did not find expected ',' or '}'", "yaml_unclosed_brace"),
    ("did not find expected ',' or ']'", "yaml_unclosed_bracket"),
    ("mapping values are not allowed", "yaml_stray_colon"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("found character that cannot start any token", "yaml_bad_character"),
    ("found unexpected end of stream", "yaml_unclosed_quote"),
    ("did not find expected key", "yaml_indentation"),
    ("did not find expected '-' indicator", "yaml_indentation"),
    ("found undefined alias", "yaml_undefined_alias"),
)


def _too_large(name: str) -> Problem:
    return Problem(
        name,
        None,
        None,
        "",
        f"the file is larger than {MAX_FILE_BYTES / 2**20:g} MiB",
        "scenarios, exercises and submissions are a few KB: check that this is the file you meant, or split it",
        "too_large",
        (("n", f"{MAX_FILE_BYTES / 2**20:g}"),),
    )


def _at_offset(name: str, text: str, offset: int, message: str, hint: str, kind: str, values: tuple = ()) -> Problem:
    line_start = text.rfind("\n", 0, offset) + 1
    return Problem(name, text.count("\n", 0, offset) + 1, offset - line_start + 1, "", message, hint, kind, values)


# Scalars the walk constructs early, because their constructors fail with plain Python errors (no position):
# the tag's last part → what the value should be, and how to write one.
_TYPED_SCALARS = {
    "int": ("a whole number", "write digits only, e.g. 30"),
    "float": ("a number", "write a number such as 2.5"),
    "bool": ("true or false", "write true or false"),
    "timestamp": ("a real date", "write dates as YYYY-MM-DD, with a month 1–12 and a day the month has"),
}
_NOT_FINITE = (
    "not a finite number",
    "write an ordinary number such as 2.5: .inf, .nan and numbers past 1e308 are refused",
)


def _shape_problems(loader: Any, root: yaml.Node, name: str) -> list[Problem]:
    """Walk the node tree as its aliases expand it, within ``MAX_DEPTH`` and ``MAX_VALUES``, and construct every
    typed scalar once (the loader keeps it for the document), locating each one its type cannot hold."""
    problems: list[Problem] = []
    checked: set[int] = set()
    path: list[yaml.Node] = []  # the lists and mappings that hold the node being visited
    stack: list[tuple[yaml.Node, int, Loc]] = [(root, 0, ())]
    values = 0
    while stack:
        node, depth, loc = stack.pop()
        del path[depth:]
        values += 1
        if values > MAX_VALUES:
            top = path[1] if len(path) > 1 else node
            message = f"more than {MAX_VALUES:,} values, each alias counting all the values it repeats"
            hint = "a scenario has a few hundred: check that this is the file you meant, or use fewer aliases (*name)"
            return [_at_node(name, top, loc[:1], message, hint, "too_many_values", (("n", str(MAX_VALUES)),))]
        if isinstance(node, yaml.ScalarNode):
            if id(node) not in checked:
                checked.add(id(node))
                problems += _scalar_problems(loader, node, name, loc)
            continue
        if any(holder is node for holder in path):
            hint = "point the alias (*name) to an anchor (&name) outside it"
            return [_at_node(name, node, loc, "an alias repeats the list or mapping it is in", hint, "alias_loop")]
        if depth >= MAX_DEPTH:
            hint = "a scenario nests a few levels: check the indentation or the brackets"
            message = f"nested more than {MAX_DEPTH} levels deep"
            return [_at_node(name, node, loc, message, hint, "too_deep", (("n", str(MAX_DEPTH)),))]
        path.append(node)
        if isinstance(node, yaml.MappingNode):
            children = []
            for key, value in node.value:
                at = (*loc, _key_text(key))
                children += [(key, depth + 1, at), (value, depth + 1, at)]
        else:
            children = [(item, depth + 1, (*loc, i)) for i, item in enumerate(node.value)]
        stack += reversed(children)
    return problems


def _key_text(key: yaml.Node) -> str:
    return key.value if isinstance(key, yaml.ScalarNode) else "?"


def _scalar_problems(loader: Any, node: yaml.ScalarNode, name: str, loc: Loc) -> list[Problem]:
    kind = node.tag.removeprefix("tag:yaml.org,2002:")
    if kind not in _TYPED_SCALARS:
        return []
    noun, hint = _TYPED_SCALARS[kind]
    if kind == "int" and len(node.value.lstrip("+-").replace("_", "")) > MAX_INT_DIGITS:
        message = f"a whole number of more than {MAX_INT_DIGITS} digits"
        return [_at_node(name, node, loc, message, "check for a typo", "int_too_long", (("n", str(MAX_INT_DIGITS)),))]
    try:
        value = loader.construct_object(node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):  # IndexError: an empty !!int
        quoted = reprlib.repr(node.value)
        return [_at_node(name, node, loc, f"{quoted} is not {noun}", hint, f"not_{kind}", (("value", quoted),))]
    if isinstance(value, float) and not math.isfinite(value):
        return [_at_node(name, node, loc, *_NOT_FINITE, "not_finite")]
    return []


def _at_node(name: str, node: yaml.Node, loc: Loc, message: str, hint: str, kind: str, values: tuple = ()) -> Problem:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(name, line, col, format_loc(loc), message, hint, kind, values)


def validate(model: type[M], doc: SourceDoc, *, context: dict[str, Any] | None = None) -> M:
    """Validate ``doc`` into ``model``; every pydantic error (up to ``MAX_PROBLEMS``) becomes a located ``Problem``,
    and so does a non-finite number (pydantic reads the text ``Infinity`` as one)."""
    if doc.data is None:
        hint = f"expected a {model.__name__} document"
        raise DataError([Problem(doc.name, 1, 1, "", "the file is empty", hint, "empty_file")])
    if not isinstance(doc.data, dict):
        raise DataError(
            [
                Problem(
                    doc.name,
                    1,
                    1,
                    "",
                    f"expected a mapping of fields (key: value), found a {type(doc.data).__name__}",
                    f"a {model.__name__} file starts with fields such as schema_version: 1",
                    "not_a_mapping",
                )
            ]
        )
    try:
        value = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        problems = [_problem_from_error(doc, model, err) for err in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            first = _problem_from_error(doc, model, errors[MAX_PROBLEMS])
            more = f"… and {len(errors) - MAX_PROBLEMS:,} more problems from here on"
            n = str(len(errors) - MAX_PROBLEMS)
            hint = "fix those above and check again"
            problems.append(
                Problem(doc.name, first.line, first.col, first.path, more, hint, "more_problems", (("n", n),))
            )
        raise DataError(problems) from None
    return value


def load(
    model: type[M], path: str | Path, *, display_name: str | None = None, context: dict[str, Any] | None = None
) -> M:
    """Read and validate one file."""
    return validate(model, read_document(path, display_name=display_name), context=context)


def _problem_from_error(doc: SourceDoc, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    if loc and loc[-1] == "[key]":  # a mapping's key was refused: point at the key itself
        loc = loc[:-1]
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        close = close_names(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = did_you_mean(str(loc[-1]), close, n=1, cutoff=0.0) if close else ""
        hint = hint or (f"allowed fields: {', '.join(known)}" if known else "remove it")
        values = (("field", str(loc[-1])), ("close", tuple(close)), ("allowed", tuple(known)))
        if " " in str(loc[-1]).strip() or known == ["en", "vi"]:
            hint = "a comma inside {…} splits a text in two: put the whole text in quotes, e.g. vi: 'a, b'"
            kind, values = "text_split_by_comma", values[:1]
        return doc.problem(loc, "unknown field", hint, at_key=True, kind=kind, values=values)
    if kind == "missing":
        field = str(loc[-1])
        message, hint = f"required field {field!r} is missing", f"add {field}: …"
        return doc.problem(loc[:-1], message, hint, kind="missing_field", values=(("field", field),))
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'\"") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        got = err.get("input")
        close = close_names(got, options, n=1) if isinstance(got, str) else []
        message = f"{got!r} is not allowed"
        hint = did_you_mean(got, close, n=1, cutoff=0.0) if close else f"use one of: {expected}"
        values = (("value", repr(got)), ("close", tuple(close)), ("options", tuple(options)))
        return doc.problem(loc, message, hint, kind="not_allowed", values=values)
    if kind == "finite_number":  # Strict models refuse inf and NaN, which JSON cannot write
        return doc.problem(loc, *_NOT_FINITE, kind="not_finite")
    # Pydantic's own messages are fixed templates per error type; the designer translates them by their text.
    message = str(err.get("ctx", {}).get("error", err["msg"])) if kind == "value_error" else err["msg"]
    return doc.problem(loc, message)


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names of the (nested) model that ``loc`` points into, for "did you mean"."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _model_of(fields[part].annotation)
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _model_of(annotation: Any) -> Any:
    """Find a BaseModel inside ``list[X]``, ``X | None``, ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def unknown_id_problem(doc: SourceDoc, loc: Loc, kind: str, value: str, known: list[str]) -> Problem:
    """A located problem for an id that is not among ``known``, with "did you mean"."""
    close = close_names(str(value), known)
    shown = sorted(known)
    values = (("what", kind), ("value", repr(value)), ("close", tuple(close)), ("known", tuple(shown[:10])))
    values += (("more", "…"),) if len(shown) > 10 else ()
    return doc.problem(
        loc, f"unknown {kind} {value!r}", did_you_mean(str(value), known), kind="unknown_id", values=values
    )


def dump_json(model: BaseModel) -> str:
    """Canonical JSON of a model: sorted keys, UTF-8, stable bytes for the same content."""
    return json.dumps(
        model.model_dump(mode="json"), ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
