"""The one parsing boundary: read YAML/JSON files and validate them into pydantic models.

Every problem in a file is reported at once, located as ``file:line:col field.path``. Past this
module, code sees validated objects only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import DataError, FileMissingError, Problem, did_you_mean

M = TypeVar("M", bound=BaseModel)

Loc = tuple[int | str, ...]


class SourceDoc:
    """A parsed document together with its YAML node tree, to locate fields by path."""

    def __init__(self, name: str, data: Any, root: yaml.Node | None):
        self.name, self.data, self.root = name, data, root

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node that ``loc`` reaches."""
        node = self.root
        if node is None:
            return None, None
        best = node
        for part in loc:
            nxt = _child(node, part)
            if nxt is None:
                break
            node = best = nxt
        return best.start_mark.line + 1, best.start_mark.column + 1

    def key_position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Position of the *key* of the last element of ``loc`` (for unknown fields)."""
        parent = self.root
        for part in loc[:-1]:
            parent = _child(parent, part) if parent is not None else None
        if isinstance(parent, yaml.MappingNode):
            for key, _ in parent.value:
                if key.value == loc[-1]:
                    return key.start_mark.line + 1, key.start_mark.column + 1
        return self.position(loc[:-1])

    def problem(self, loc: Loc, message: str, hint: str = "", *, at_key: bool = False) -> Problem:
        """A ``Problem`` at ``loc`` in this document (at the key of its last part when ``at_key``, e.g. an unknown
        field), with the path written as ``format_loc`` does."""
        line, col = self.key_position(loc) if at_key and loc else self.position(loc)
        return Problem(self.name, line, col, format_loc(loc), message, hint)


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def format_loc(loc: Loc) -> str:
    """``('persons', 0, 'age')`` → ``persons[0].age``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_document(path: str | Path, *, display_name: str | None = None) -> SourceDoc:
    """Read a YAML or JSON file; a syntax error becomes a located ``DataError``."""
    path = Path(path)
    name = display_name or str(path)
    if not path.is_file():
        raise FileMissingError(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
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
    """Parse YAML (JSON is YAML too) with safe_load semantics, keeping node positions (one parse)."""
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise DataError(
            [
                Problem(
                    name, line, col, "", message, "check indentation, colons and quotes on this line or the one before"
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, None, None, "", f"YAML error: {exc}", "")]) from None
    finally:
        loader.dispose()
    return SourceDoc(name, data, root)


def validate(model: type[M], doc: SourceDoc, *, context: dict[str, Any] | None = None) -> M:
    """Validate ``doc`` into ``model``; every pydantic error becomes a located ``Problem``."""
    if doc.data is None:
        raise DataError([Problem(doc.name, 1, 1, "", "the file is empty", f"expected a {model.__name__} document")])
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
                )
            ]
        )
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise DataError([_problem_from_error(doc, model, err) for err in exc.errors()]) from None


def load(
    model: type[M], path: str | Path, *, display_name: str | None = None, context: dict[str, Any] | None = None
) -> M:
    """Read and validate one file."""
    return validate(model, read_document(path, display_name=display_name), context=context)


def _problem_from_error(doc: SourceDoc, model: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        close = did_you_mean(str(loc[-1]), known, n=1, cutoff=0.6, list_known=False)
        hint = close or (f"allowed fields: {', '.join(known)}" if known else "remove it")
        if " " in str(loc[-1]).strip() or known == ["en", "vi"]:
            hint = "a comma inside {…} splits a text in two: put the whole text in quotes, e.g. vi: 'a, b'"
        return doc.problem(loc, "unknown field", hint, at_key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], f"required field {loc[-1]!r} is missing", f"add {loc[-1]}: …", at_key=False)
    message = err["msg"]
    hint = ""
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'\"") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        got = err.get("input")
        close = did_you_mean(got, options, n=1, list_known=False) if isinstance(got, str) else ""
        message = f"{got!r} is not allowed"
        hint = close or f"use one of: {expected}"
    elif kind == "value_error":
        message = str(err.get("ctx", {}).get("error", message))
    return doc.problem(loc, message, hint)


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
    return doc.problem(loc, f"unknown {kind} {value!r}", did_you_mean(str(value), known))


def dump_json(model: BaseModel) -> str:
    """Canonical JSON of a model: sorted keys, UTF-8, stable bytes for the same content."""
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
