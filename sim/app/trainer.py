"""The trainer's door: the only API the trainer pages (dashboard, debrief, scores, export, designer, explorer) call.

``TrainerDesk`` opens nothing until the trainer secret checks out (``unlock``); then it answers the
live view, the charts, the debrief, the replay, overrides (validated and clamped here), exports, the
workshop's exercise list, and the scenario designer (check, preview, save) and case explorer. Plain
Python, no widgets.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from sim.app.trainee import DEFAULT_WORKSHOP_ID, InputError, _packaged
from sim.cases.case import EntryRoute
from sim.errors import Problem
from sim.law.decision_points import DECISION_POINTS
from sim.workshop.store import ResultsStore
from sim.workshop.stores import open_store

if TYPE_CHECKING:
    from sim.cases.case import Case
    from sim.cases.scenario import Exercise, Scenario
    from sim.library import Library
    from sim.workshop.debrief import FieldSpread, Step
    from sim.workshop.results import ResultRow, TraineeStatus

__all__ = ["DECISION_POINTS", "TrainerDesk", "Variant"]

MAX_COMMENT = 500
TRAINER = "trainer"


@dataclass(frozen=True)
class Variant:
    """One previewed or explored case: the case, its ground truth as JSON-ready data, and its referral graph."""

    seed: int
    case: Case
    truth: dict[str, Any]
    graph_png: bytes


class TrainerDesk:
    """One workshop seen by its trainer.

    Parameters
    ----------
    store : ResultsStore
        The workshop's results.
    workshop_id : str
        The workshop to look at.
    library : Library, optional
        The law and data (the packaged library, loaded on first need, if omitted).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sim.workshop.stores import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite")
    >>> store.ensure_workshop("demo", "Demo", None, [])
    >>> store.set_trainer_secret("demo", "s3cret")
    >>> desk = TrainerDesk(store, "demo")
    >>> desk.unlock("wrong"), desk.unlocked
    (False, False)
    >>> desk.unlock("s3cret"), desk.live_status()
    (True, [])
    """

    def __init__(self, store: ResultsStore, workshop_id: str = DEFAULT_WORKSHOP_ID, library: Library | None = None):
        self.store, self.workshop_id = store, workshop_id
        self._library = library
        self.unlocked = False

    @classmethod
    def from_environment(cls) -> TrainerDesk:
        """The workshop this server runs (``trove serve`` sets ``TROVE_WORKSHOP_ID`` and ``TROVE_DB``)."""
        return cls(open_store(), os.environ.get("TROVE_WORKSHOP_ID", DEFAULT_WORKSHOP_ID))

    @property
    def library(self) -> Library:
        """The library the workshop trains with."""
        if self._library is None:
            self._library = _packaged()
        return self._library

    # the gate ----------------------------------------------------------------------------------
    def unlock(self, secret: object) -> bool:
        """Check the trainer secret; every other method refuses until this returned True."""
        self.unlocked = self.store.check_trainer_secret(self.workshop_id, secret)
        return self.unlocked

    def _require(self) -> None:
        if not self.unlocked:
            raise InputError("trainer_locked")

    # live view ---------------------------------------------------------------------------------
    def rows(self) -> list[ResultRow]:
        """Every attempt of the workshop, automatic score beside the final one."""
        from sim.workshop.results import workshop_results

        self._require()
        return workshop_results(self.store, self.workshop_id)

    def submitted_rows(self) -> list[ResultRow]:
        """The submitted attempts, oldest first."""
        return [r for r in self.rows() if r.submitted_at]

    def live_status(self, stuck_after: int = 10) -> list[TraineeStatus]:
        """Who is on which case, who may be stuck (no activity for ``stuck_after`` minutes), how each is doing."""
        from sim.workshop.results import live_status

        rows = self.rows()
        return live_status(self.store.trainees(self.workshop_id), rows, datetime.now(UTC), stuck_after)

    def dashboard_charts(self, lang: str) -> tuple[list[bytes], list[str]]:
        """The charts (scores, item statistics, critical errors, coverage) as PNGs, and trainees' communes matching no unit."""
        from sim.drawing import charts
        from sim.workshop.coverage import coverage
        from sim.workshop.stats import critical_error_counts, item_statistics, score_histogram

        reports = [r.report for r in self.rows() if r.report]
        region = (self.store.workshop(self.workshop_id) or {}).get("region") or self.library.default_region
        cover, unmatched = coverage(
            [tr.commune for tr in self.store.trainees(self.workshop_id)], self.library.region(region), date.today()
        )
        errors = {k: e.en if lang == "en" else e.vi for k, e in self.library.rulebook.critical_errors.items()}

        def text(key: str) -> str:
            return self.library.messages[key].get(lang)

        images = [
            charts.score_distribution(score_histogram([r["percent"] for r in reports]), text),
            charts.item_statistics(item_statistics(reports), text),
            charts.critical_errors(critical_error_counts(reports), errors, text),
            charts.coverage(cover, text),
        ]
        return images, sorted(set(unmatched))

    # debrief and replay ------------------------------------------------------------------------
    def choice_spread(
        self, scenario_id: str, decision_point: str, lang: str
    ) -> tuple[list[FieldSpread], dict[str, dict[Any, str]], list[str]]:
        """The room's choices at a decision point beside what was right for each case: spreads, option labels, citations."""
        from sim.training.forms import form_fields
        from sim.workshop.debrief import choice_spread

        self._require()
        spreads, basis = choice_spread(self.store, self.library, self.workshop_id, scenario_id, decision_point)
        labels: dict[str, dict[Any, str]] = {}
        for regime in sorted({r.regime for r in self.library.rulebook.regimes}):
            for f in form_fields(self.library, decision_point, regime):
                labels.setdefault(f.name, {}).update({k: o.get(lang) for k, o in f.options})
        return spreads, labels, [c.render(self.library.rulebook.texts, lang) for c in basis]

    def field_label(self, decision_point: str, field: str, lang: str) -> str:
        """The heading of a form field, in ``lang``."""
        from sim.training.forms import field_label

        return self.library.messages[field_label(self.library, decision_point, field)].get(lang)

    def replay(self, attempt_id: str, lang: str) -> list[tuple[Step, str]]:
        """Every action and answer of an attempt in order, each with the interview question's text (actions) or ""."""
        from sim.cases.case import Case
        from sim.workshop.debrief import replay

        self._require()
        case = Case.model_validate_json(self.store.attempt(attempt_id).case_json)
        texts = {q.id: q.text.get(lang) for q in case.interview}
        return [(s, texts.get(s.key, s.key) if s.kind == "action" else "") for s in replay(self.store, attempt_id)]

    def report(self, attempt_id: str) -> dict[str, Any] | None:
        """An attempt's automatic score report (None before submission)."""
        self._require()
        return self.store.report(attempt_id)

    def overrides(self, attempt_id: str) -> list[dict[str, Any]]:
        """The trainer's adjustments of an attempt, oldest first."""
        self._require()
        return self.store.overrides(attempt_id)

    def final_percent(self, attempt_id: str) -> float | None:
        """The attempt's percent after the trainer's overrides."""
        from sim.workshop.results import final_score

        report = self.report(attempt_id)
        if report is None:
            return None
        final, _ = final_score(report, self.overrides(attempt_id))
        return round(100 * final / report["max_points"], 1) if report["max_points"] else 0.0

    def add_override(self, attempt_id: str, decision_point: str, points: float, comment: str) -> float:
        """Adjust one decision point's points with a comment the trainee will see; returns the points kept.

        Points are clamped to the decision point's range; a comment is required (the trainee must learn why).
        """
        report = self.report(attempt_id)
        if report is None:
            raise InputError("not_submitted")
        maxima = {p["decision_point"]: p["max_points"] for p in report["points"]}
        if decision_point not in maxima:
            raise InputError("unknown_decision_point", decision_point)
        text = " ".join(str(comment or "").split())
        if not text:
            raise InputError("override_needs_comment")
        kept = max(0.0, min(float(points), maxima[decision_point]))
        self.store.add_override(attempt_id, decision_point, kept, text[:MAX_COMMENT], TRAINER)
        return kept

    # export ------------------------------------------------------------------------------------
    def export(self, suffix: str) -> Path:
        """Write the results as ``.csv`` or ``.xlsx`` into a new temporary folder; returns the file."""
        from sim.workshop.export import export

        self._require()
        folder = Path(tempfile.mkdtemp())
        return export(
            self.store, self.workshop_id, folder / f"tro-ve-{self.workshop_id}-{date.today().isoformat()}{suffix}"
        )

    # the workshop's exercises ------------------------------------------------------------------
    def exercises(self) -> tuple[dict[str, Exercise], list[str]]:
        """Every exercise that loads, and the ids the workshop offers (empty: all)."""
        self._require()
        available, _ = self.library.catalog.valid_exercises()
        return available, list((self.store.workshop(self.workshop_id) or {}).get("exercises") or [])

    def set_exercises(self, exercise_ids: list[str]) -> None:
        """Offer these exercises in the workshop (trainees see the change at once)."""
        available, _ = self.exercises()
        unknown = [e for e in exercise_ids if e not in available]
        if unknown:
            raise InputError("unknown_exercise", ", ".join(unknown))
        self.store.set_exercises(self.workshop_id, list(exercise_ids))

    def broken_files(self) -> list[Problem]:
        """Problems of scenario and exercise files that do not load (they are hidden from trainees)."""
        self._require()
        return self.library.catalog.valid_exercises()[1]

    # designer ----------------------------------------------------------------------------------
    def check_scenario(self, text: str, name: str) -> tuple[Scenario | None, list[Problem]]:
        """Check scenario YAML exactly as ``trove check`` does."""
        self._require()
        return self.library.catalog.check_scenario_text(text, name)

    def check_exercise(self, text: str, name: str) -> tuple[Exercise | None, list[Problem]]:
        """Check exercise YAML against the scenarios that load now."""
        self._require()
        return self.library.catalog.check_exercise_text(text, name)

    def preview(self, text: str, lang: str, seeds: tuple[int, ...] = (1, 2, 3)) -> tuple[list[Variant], list[Problem]]:
        """Generate a few variants of a scenario being written (only when it has no problem)."""
        scenario, problems = self.check_scenario(text, "preview.yaml")
        if problems or scenario is None:
            return [], problems
        return [self._variant(scenario, seed, lang) for seed in seeds], []

    def save_scenario(self, text: str) -> tuple[Path | None, list[Problem]]:
        """Save a scenario that has no problem, atomically, with a new version if it changed."""
        scenario, problems = self.check_scenario(text, "scenario.yaml")
        if problems or scenario is None:
            return None, problems
        return self._save(self.library.catalog.scenario_dir, text), []

    def save_exercise(self, text: str, *, add_to_workshop: bool) -> tuple[Path | None, list[Problem]]:
        """Save an exercise that has no problem; optionally offer it in this workshop at once."""
        exercise, problems = self.check_exercise(text, "exercise.yaml")
        if problems or exercise is None:
            return None, problems
        path = self._save(self.library.catalog.exercise_dir, text)
        current = (self.store.workshop(self.workshop_id) or {}).get("exercises") or []
        if add_to_workshop and current and exercise.id not in current:
            self.store.set_exercises(self.workshop_id, [*current, exercise.id])
        return path, []

    def _save(self, folder: Path, text: str) -> Path:
        import yaml

        from sim.workshop.authoring import bump_version, dump, save_atomically

        data = yaml.safe_load(text)
        return save_atomically(folder, data["id"], dump(bump_version(folder, data["id"], data)))

    def to_yaml(self, data: dict[str, Any]) -> str:
        """The YAML text of a scenario or exercise built in a form (as it will be saved)."""
        from sim.workshop.authoring import dump

        return dump(data)

    def scenario_options(self) -> list[str]:
        """The ids of the scenarios that load now (for building an exercise)."""
        self._require()
        return sorted(self.library.catalog.valid_scenarios()[0])

    # explorer ----------------------------------------------------------------------------------
    def scenarios(self) -> dict[str, Scenario]:
        """Every scenario that loads."""
        self._require()
        return self.library.catalog.valid_scenarios()[0]

    def explore(self, scenario_id: str, seed: int, lang: str) -> Variant:
        """One generated case of a scenario with its ground truth and referral graph (the trainer's eyes only)."""
        scenarios = self.scenarios()
        if scenario_id not in scenarios:
            raise InputError("unknown_scenario", scenario_id)
        return self._variant(scenarios[scenario_id], seed, lang)

    def _variant(self, scenario: Scenario, seed: int, lang: str) -> Variant:
        from sim.cases.generator import generate_case
        from sim.drawing.referral import referral_png
        from sim.engine.assessment import assess
        from sim.engine.report import assessment_report

        case = generate_case(scenario, self.library, seed=seed)
        truth = assess(case, self.library)
        paths = [p for p in truth.value("referral")["paths"].values() if p]
        title = self.library.messages["graph_title"].get(lang).format(regime=truth.regime)
        png = referral_png(self.library.graph(truth.regime), title=title, lang=lang, correct=paths, dpi=90)
        return Variant(seed, case, assessment_report(truth, self.library), png)

    def label(self, kind: str, key: str, lang: str) -> str:
        """A vocabulary label (e.g. kind "documents") in ``lang``."""
        return self.library.rulebook.vocabulary.label(kind, key, lang)

    def designer_choices(self, lang: str) -> dict[str, list[tuple[str, str]]]:
        """The options the scenario form offers: regions, profiles, documents (label, id)."""
        self._require()
        lib = self.library
        return {
            "regions": [(getattr(p, lang if lang == "en" else "vi"), pid) for pid, p in sorted(lib.regions.items())],
            "profiles": [(p.en if lang == "en" else p.vi, k) for k, p in lib.profiles.profiles.items()],
            "documents": [(v.get(lang), k) for k, v in lib.rulebook.vocabulary.documents.items()],
            "entry_routes": [(r, r) for r in get_args(EntryRoute)],
            "default_region": [(lib.default_region, lib.default_region)],
        }
