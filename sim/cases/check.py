"""``trove check``: validate scenario and exercise files, collecting every problem in every file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sim.cases.scenario import Exercise, Scenario, check_exercise, check_scenario, validate_all
from sim.errors import DataError, Problem
from sim.parsing import SourceDoc, read_document

if TYPE_CHECKING:
    from sim.library import Library

SCHEMA_MODELS = {"scenario": Scenario, "exercise": Exercise}


def _files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files, problems = [], []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), None, None, "", "no such file or folder", "check the path"))
    return files, problems


def _kind(doc: SourceDoc) -> str:
    """Exercises list scenarios; everything else is read as a scenario."""
    return "exercise" if isinstance(doc.data, dict) and isinstance(doc.data.get("scenarios"), list) else "scenario"


def check_paths(paths: list[Path], library: Library) -> tuple[list[Problem], int]:
    """Check scenario and exercise files against ``library``, collecting every problem in every file.

    Parameters
    ----------
    paths : list of Path
        Files, or folders whose ``*.yaml`` / ``*.yml`` files are read; a file listing ``scenarios`` is an exercise.
    library : Library
        The data ids are checked against; exercises may name its catalog's scenarios or those in ``paths``.

    Returns
    -------
    tuple of (list of Problem, int)
        Every problem found (a missing path is one too) and the number of files read.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> lib = packaged_library()
    >>> check_paths([lib.catalog.scenario_dir, lib.catalog.exercise_dir], lib)
    ([], 41)
    >>> problems, read = check_paths([lib.catalog.scenario_dir / "no-such.yaml"], lib)
    >>> read, problems[0].message
    (0, 'no such file or folder')
    """
    files, problems = _files(paths)
    docs: list[SourceDoc] = []
    for path in files:
        try:
            docs.append(read_document(path))
        except DataError as exc:
            problems += exc.problems
    scenario_ids: dict[str, str] = {}
    exercises: list[SourceDoc] = []
    for doc in docs:
        if _kind(doc) == "exercise":
            exercises.append(doc)
            continue
        scenario, found = validate_all(Scenario, doc, check_scenario(doc, library))
        problems += found
        if scenario is not None:
            if scenario.id in scenario_ids:
                problems.append(
                    doc.problem(
                        ("id",),
                        f"scenario id {scenario.id!r} is also used by {scenario_ids[scenario.id]}",
                        "give each scenario its own id",
                    )
                )
            scenario_ids[scenario.id] = doc.name
    known = sorted(set(scenario_ids) | set(library.catalog.valid_scenarios()[0]))
    for doc in exercises:
        problems += validate_all(Exercise, doc, check_exercise(doc, known))[1]
    return problems, len(files)


def write_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schemas (case, scenario, exercise) that trainers' editors use, creating ``folder``.

    Returns
    -------
    list of Path
        The files written, ``<name>.schema.json``, in that order.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> written = write_schemas(Path(tempfile.mkdtemp()) / "schemas")
    >>> [p.name for p in written]
    ['case.schema.json', 'scenario.schema.json', 'exercise.schema.json']
    >>> json.loads(written[1].read_text(encoding="utf-8"))["title"]
    'Scenario'
    """
    from sim.cases.case import Case

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in {"case": Case, **SCHEMA_MODELS}.items():
        path = folder / f"{name}.schema.json"
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
