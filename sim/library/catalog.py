"""The scenarios and exercises a library offers: YAML files in two folders, re-read when a file changes.

Trainers edit these while a workshop runs (the designer saves them), so the catalog checks each
folder's file stamps and re-reads only when they changed. Strict reads (``scenarios``, ``exercises``)
raise every problem at once; the ``valid_…`` reads skip broken files and report them instead, so one
bad file never breaks a running workshop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.cases.scenario import Exercise, Scenario, check_exercise, check_scenario, validate_all
from sim.errors import DataError, Problem, UnknownIdError
from sim.parsing import parse_document, read_document

if TYPE_CHECKING:
    from sim.library.library import Library


def _stamp(folder: Path) -> tuple[tuple[str, int], ...]:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))


class Catalog:
    """Scenario and exercise files of one library, checked against that library's data.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> catalog = packaged_library().catalog
    >>> catalog.scenario("forced-marriage-2016").region
    'binh-thuan'
    >>> "intake-basics" in catalog.valid_exercises()[0]
    True
    """

    def __init__(self, library: Library, scenario_dir: Path, exercise_dir: Path):
        self.library, self.scenario_dir, self.exercise_dir = library, Path(scenario_dir), Path(exercise_dir)
        self._memo: dict[str, tuple[tuple, object]] = {}

    def _remember(self, kind: str, stamp: tuple, build):  # one entry per kind: the latest stamp wins
        found = self._memo.get(kind)
        if found is None or found[0] != stamp:
            found = self._memo[kind] = (stamp, build())
        return found[1]

    # scenarios -----------------------------------------------------------------------------------
    def check_scenario_text(self, text: str, name: str) -> tuple[Scenario | None, list[Problem]]:
        """Parse and check scenario YAML exactly as ``trove check`` does: the scenario (or None) and every problem.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> text = (catalog.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
        >>> scenario, problems = catalog.check_scenario_text(text, "forced-marriage-2016.yaml")
        >>> scenario.id, problems
        ('forced-marriage-2016', [])
        >>> scenario, problems = catalog.check_scenario_text("id: [", "draft.yaml")
        >>> scenario, len(problems), problems[0].file
        (None, 1, 'draft.yaml')
        """
        try:
            doc = parse_document(text, name)
        except DataError as exc:
            return None, list(exc.problems)
        return validate_all(Scenario, doc, check_scenario(doc, self.library))

    def read_scenario(self, path: Path) -> Scenario:
        """Read, validate and cross-check one scenario file; a ``DataError`` lists every problem.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> catalog.read_scenario(catalog.scenario_dir / "forced-marriage-2016.yaml").version
        '2'
        """
        doc = read_document(path)
        scenario, problems = validate_all(Scenario, doc, check_scenario(doc, self.library))
        if problems:
            raise DataError(problems)
        return scenario

    def scenarios(self) -> dict[str, Scenario]:
        """Every scenario of the folder; any broken file raises.

        Raises
        ------
        DataError
            Every problem of every broken file.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> scenarios = catalog.scenarios()
        >>> scenarios["scam-compound-2025"].region, catalog.scenarios() is scenarios  # re-read only when files change
        ('lam-dong-binh-thuan', True)
        """
        return self._remember("strict", _stamp(self.scenario_dir), self._read_all_scenarios)

    def _read_all_scenarios(self) -> dict[str, Scenario]:
        found: dict[str, Scenario] = {}
        for path in sorted(self.scenario_dir.glob("*.yaml")):
            scenario = self.read_scenario(path)
            found[scenario.id] = scenario
        return found

    def scenario(self, scenario_id: str) -> Scenario:
        """One scenario by id (strict), with "did you mean" for an unknown id.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> catalog.scenario("forced-marriage-2016").region
        'binh-thuan'
        >>> catalog.scenario("forced-marriage")
        Traceback (most recent call last):
        ...
        sim.errors.UnknownIdError: unknown scenario 'forced-marriage' (did you mean 'forced-marriage-2016'?)
        """
        scenarios = self.scenarios()
        if scenario_id not in scenarios:
            raise UnknownIdError("scenario", scenario_id, list(scenarios))
        return scenarios[scenario_id]

    def valid_scenarios(self) -> tuple[dict[str, Scenario], list[Problem]]:
        """The scenarios that load, and the problems of those that do not.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> scenarios, problems = catalog.valid_scenarios()
        >>> "forced-marriage-2016" in scenarios, problems
        (True, [])
        """
        found, problems = self._remember("valid", _stamp(self.scenario_dir), self._read_valid_scenarios)
        return dict(found), list(problems)

    def _read_valid_scenarios(self) -> tuple[dict[str, Scenario], tuple[Problem, ...]]:
        found: dict[str, Scenario] = {}
        problems: list[Problem] = []
        for path in sorted(self.scenario_dir.glob("*.yaml")):
            try:
                scenario = self.read_scenario(path)
            except DataError as exc:
                problems += exc.problems
                continue
            found.setdefault(scenario.id, scenario)
        return found, tuple(problems)

    # exercises -----------------------------------------------------------------------------------
    def check_exercise_text(self, text: str, name: str) -> tuple[Exercise | None, list[Problem]]:
        """Parse and check exercise YAML against the scenarios that load now.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> text = (catalog.exercise_dir / "intake-basics.yaml").read_text(encoding="utf-8")
        >>> _, problems = catalog.check_exercise_text(text.replace("forced-marriage-2016", "nope-2016"), "e.yaml")
        >>> problems[0].path, problems[0].message
        ('scenarios[0].scenario', "unknown scenario 'nope-2016'")
        """
        try:
            doc = parse_document(text, name)
        except DataError as exc:
            return None, list(exc.problems)
        return validate_all(Exercise, doc, check_exercise(doc, list(self.valid_scenarios()[0])))

    def exercises(self) -> dict[str, Exercise]:
        """Every exercise of the folder; any broken file (or missing scenario) raises.

        Raises
        ------
        DataError
            Every problem of the first broken exercise file (or of a broken scenario file).

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> catalog.exercises()["intake-basics"].pass_mark
        70.0
        """
        scenario_ids = list(self.scenarios())
        found: dict[str, Exercise] = {}
        for path in sorted(self.exercise_dir.glob("*.yaml")):
            doc = read_document(path)
            exercise, problems = validate_all(Exercise, doc, check_exercise(doc, scenario_ids))
            if problems:
                raise DataError(problems)
            found[exercise.id] = exercise
        return found

    def exercise(self, exercise_id: str) -> Exercise:
        """One exercise by id (strict).

        Raises
        ------
        UnknownIdError
            For an unknown id, with "did you mean".

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> [item.scenario for item in catalog.exercise("intake-basics").scenarios]
        ['forced-marriage-2016', 'scam-compound-2025', 'irregular-migrant-2017']
        """
        exercises = self.exercises()
        if exercise_id not in exercises:
            raise UnknownIdError("exercise", exercise_id, list(exercises))
        return exercises[exercise_id]

    def valid_exercises(self) -> tuple[dict[str, Exercise], list[Problem]]:
        """The exercises that load and whose scenarios all load; the problems of the others and of broken scenarios.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> catalog = packaged_library().catalog
        >>> exercises, problems = catalog.valid_exercises()
        >>> exercises["verification"].pass_mark, problems
        (70.0, [])
        """
        scenarios, problems = self.valid_scenarios()
        stamp = (_stamp(self.exercise_dir), tuple(sorted(scenarios)))
        found, own = self._remember("exercises", stamp, lambda: self._read_valid_exercises(list(scenarios)))
        return dict(found), problems + list(own)

    def _read_valid_exercises(self, scenario_ids: list[str]) -> tuple[dict[str, Exercise], tuple[Problem, ...]]:
        found: dict[str, Exercise] = {}
        problems: list[Problem] = []
        for path in sorted(self.exercise_dir.glob("*.yaml")):
            try:
                doc = read_document(path)
            except DataError as exc:
                problems += exc.problems
                continue
            exercise, found_problems = validate_all(Exercise, doc, check_exercise(doc, scenario_ids))
            if found_problems:
                problems += found_problems
            elif exercise is not None:
                found[exercise.id] = exercise
        return found, tuple(problems)
