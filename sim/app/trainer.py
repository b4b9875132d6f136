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

from sim.app.trainee import ACCOUNT_ENV, DEFAULT_WORKSHOP_ID, TRAINER_ENV, InputError
from sim.cases.case import EntryRoute
from sim.errors import Problem
from sim.law.decision_points import DECISION_POINTS
from sim.library import packaged_library
from sim.workshop.export import vietnam_time
from sim.workshop.store import ResultsStore, Trainee, name_key
from sim.workshop.stores import open_store

if TYPE_CHECKING:
    from sim.app.room import RoomCount
    from sim.cases.case import Case
    from sim.cases.scenario import Exercise, Scenario
    from sim.library import Library
    from sim.workshop.debrief import FieldSpread, Step
    from sim.workshop.results import ResultRow, TraineeStatus

__all__ = ["DECISION_POINTS", "TrainerDesk", "Variant", "vietnam_time", "vietnam_today"]

MAX_COMMENT = 500
TRAINER = "trainer"


def vietnam_today() -> date:
    """Today's date in Việt Nam (the trainers' calendar, whatever the server's time zone).

    >>> vietnam_today() == vietnam_time(datetime.now(UTC).isoformat()).date()
    True
    """
    return vietnam_time(datetime.now(UTC).isoformat()).date()


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
    >>> from sim.app.demo import demo_workshop
    >>> workshop = demo_workshop(secret="s3cret")
    >>> desk = TrainerDesk(workshop.store, workshop.id, library=workshop.library)
    >>> desk.unlock("wrong"), desk.unlocked
    (False, False)
    >>> desk.unlock("s3cret"), desk.live_status()
    (True, [])
    """

    def __init__(self, store: ResultsStore, workshop_id: str = DEFAULT_WORKSHOP_ID, library: Library | None = None):
        self.store, self.workshop_id = store, workshop_id
        self._library = library
        self.unlocked = False
        # Under a hub: the logged-in user; the desk opens without the secret if the hub has them in the trainers'
        # group (``from_environment``), and never by the secret otherwise (``unlock``).
        self.hub_user: str | None = None

    @classmethod
    def from_environment(cls) -> TrainerDesk:
        """The workshop this server runs (``trove serve`` sets ``TROVE_WORKSHOP_ID`` and ``TROVE_DB``); under a hub,
        open for a member of the trainers' group (the server sets ``TRAINER_ENV``), shut to every other user.

        Examples
        --------
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> env = {"TROVE_DB": str(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite"), "TROVE_WORKSHOP_ID": "ws-2026"}
        >>> with mock.patch.dict(os.environ, env):
        ...     desk = TrainerDesk.from_environment()
        >>> desk.workshop_id, desk.unlocked
        ('ws-2026', False)
        >>> with mock.patch.dict(os.environ, env | {ACCOUNT_ENV: "thu.tran", TRAINER_ENV: "1"}):
        ...     TrainerDesk.from_environment().unlocked
        True
        """
        desk = cls(open_store(), os.environ.get("TROVE_WORKSHOP_ID", DEFAULT_WORKSHOP_ID))
        desk.hub_user = os.environ.get(ACCOUNT_ENV) or None
        desk.unlocked = bool(desk.hub_user and os.environ.get(TRAINER_ENV) == "1")
        return desk

    @property
    def resume_codes_used(self) -> bool:
        """Whether trainees come back by resume codes (a workshop), not by a hub login: under a hub the trainer
        pages show no codes and no tool to reissue them.

        >>> desk = TrainerDesk.__new__(TrainerDesk)
        >>> desk.hub_user = None
        >>> desk.resume_codes_used
        True
        >>> desk.hub_user = "thu.tran"
        >>> desk.resume_codes_used
        False
        """
        return self.hub_user is None

    @property
    def library(self) -> Library:
        """The library the workshop trains with."""
        if self._library is None:
            self._library = packaged_library()
        return self._library

    # the gate ----------------------------------------------------------------------------------
    def unlock(self, secret: object) -> bool:
        """Check the trainer secret; every other method refuses until this returned True.

        Examples
        --------
        >>> from sim.app.demo import demo_workshop
        >>> desk = TrainerDesk(demo_workshop(secret="s3cret").store, "demo")
        >>> desk.rows()
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: trainer_locked
        >>> desk.unlock("guess"), desk.unlock("s3cret"), desk.rows()
        (False, True, [])
        """
        self.unlocked = self.unlocked or (
            self.hub_user is None and self.store.check_trainer_secret(self.workshop_id, secret)
        )
        return self.unlocked

    def _require(self) -> None:
        if not self.unlocked:
            raise InputError("trainer_locked")

    # live view ---------------------------------------------------------------------------------
    def rows(self) -> list[ResultRow]:
        """Every attempt of the workshop, automatic score beside the final one.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk)
        >>> [(row.full_name, row.scenario_id, row.auto_percent, row.final_percent) for row in desk.rows()]
        [('Lê Thị Lan', 'forced-marriage-2016', 16.0, 16.0)]
        """
        from sim.workshop.results import workshop_results

        self._require()
        return workshop_results(self.store, self.workshop_id)

    def submitted_rows(self) -> list[ResultRow]:
        """The submitted attempts, oldest first.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk, demo_session
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk), demo_session(desk, position=1)  # one case submitted, one only started
        >>> len(desk.rows()), [row.scenario_id for row in desk.submitted_rows()]
        (2, ['forced-marriage-2016'])
        """
        return [r for r in self.rows() if r.submitted_at]

    def live_status(self, stuck_after: int = 10) -> list[TraineeStatus]:
        """Who is on which case, who may be stuck (no activity for ``stuck_after`` minutes), how each is doing.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk)
        >>> [(s.trainee.full_name, s.submitted, s.average_percent, s.stuck) for s in desk.live_status()]
        [('Lê Thị Lan', 1, 16.0, False)]
        """
        from sim.workshop.results import live_status

        rows = self.rows()
        return live_status(self.store.trainees(self.workshop_id), rows, datetime.now(UTC), stuck_after)

    def find_trainees(self, full_name: object) -> list[Trainee]:
        """The workshop's trainees with this name (case, accents, spaces and Unicode form ignored), to give one
        their code; when nobody has the whole name, those whose name has every word typed (a trainer often
        knows an officer as "Lan").

        Examples
        --------
        >>> from sim.app.demo import demo_desk, demo_trainee
        >>> desk = demo_desk()
        >>> lan = demo_trainee(desk)
        >>> desk.find_trainees("LÊ THỊ LAN") == [lan]
        True
        >>> desk.find_trainees("lan") == desk.find_trainees("Lê Lan") == [lan], desk.find_trainees("Hoa")
        (True, [])
        """
        self._require()
        typed = str(full_name or "")
        whole = self.store.trainees_by_name(self.workshop_id, typed)
        words = set(name_key(typed).split())
        if whole or not words:
            return whole
        return [t for t in self.store.trainees(self.workshop_id) if words <= set(name_key(t.full_name).split())]

    def reissue_code(self, trainee_id: str) -> Trainee:
        """Give a trainee who lost their resume code a new one (the old one stops working); returns them with it.

        Raises
        ------
        InputError
            ``unknown_trainee`` for a trainee of another workshop, or none.

        Examples
        --------
        >>> from sim.app.demo import demo_desk, demo_trainee
        >>> desk = demo_desk()
        >>> lan = demo_trainee(desk)
        >>> renewed = desk.reissue_code(lan.id)
        >>> renewed.id == lan.id and renewed.resume_code != lan.resume_code
        True
        """
        self._require()
        if trainee_id not in {t.id for t in self.store.trainees(self.workshop_id)}:
            raise InputError("unknown_trainee", trainee_id)
        return self.store.reissue_resume_code(trainee_id)

    def dashboard_charts(self, lang: str) -> tuple[list[tuple[str, bytes]], list[str]]:
        """The charts (scores, item statistics, critical errors, coverage) as (title, PNG), and the communes matching
        no unit.

        The second value lists the communes trainees typed that match no unit of the workshop's region.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk, demo_trainee
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk), demo_trainee(desk, full_name="Trần Văn Nam", commune="xã Không Có")
        >>> charts, unmatched = desk.dashboard_charts("en")
        >>> len(charts), charts[0][0], all(png[:8] == b"\\x89PNG\\r\\n\\x1a\\n" for _, png in charts), unmatched
        (4, 'Score distribution (%)', True, ['xã Không Có'])
        """
        from sim.drawing import charts
        from sim.workshop.coverage import coverage
        from sim.workshop.stats import critical_error_counts, item_statistics, score_histogram

        reports = [r.report for r in self.rows() if r.report]
        region = (self.store.workshop(self.workshop_id) or {}).get("region") or self.library.default_region
        cover, unmatched = coverage(
            [tr.commune for tr in self.store.trainees(self.workshop_id)], self.library.region(region), vietnam_today()
        )
        errors = {k: e.en if lang == "en" else e.vi for k, e in self.library.rulebook.critical_errors.items()}

        def text(key: str) -> str:
            return self.library.messages[key].get(lang)

        drawn = [
            ("chart_scores", charts.score_distribution(score_histogram([r["percent"] for r in reports]), text)),
            ("chart_items", charts.item_statistics(item_statistics(reports), text)),
            ("chart_errors", charts.critical_errors(critical_error_counts(reports), errors, text)),
            ("chart_coverage", charts.coverage(cover, text)),
        ]
        return [(text(key), png) for key, png in drawn], sorted(set(unmatched))

    # debrief and replay ------------------------------------------------------------------------
    def choice_spread(
        self, scenario_id: str, decision_point: str, lang: str
    ) -> tuple[list[FieldSpread], dict[str, dict[Any, str]], list[str]]:
        """The room's choices at a decision point beside what was right for each case.

        Returns
        -------
        spreads : list of FieldSpread
            Per form field: how many attempts chose each option, and for how many cases it was right.
        labels : dict
            Field name → option value → label in ``lang`` (options of both regimes).
        basis : list of str
            The legal citations of the decision point, rendered in ``lang``.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk)
        >>> spreads, labels, basis = desk.choice_spread("forced-marriage-2016", "D1", "en")
        >>> spreads[0].field, spreads[0].attempts, spreads[0].options["receive"]
        ('receive', 1, OptionCount(chosen=1, correct_for=1))
        >>> labels["receive"]["send_to_district"]
        'Send them to the district / the police'
        >>> any("66/2011/QH12" in citation for citation in basis)  # the 2011 law on human trafficking
        True
        """
        from sim.workshop.debrief import choice_spread

        self._require()
        spreads, basis = choice_spread(self.store, self.library, self.workshop_id, scenario_id, decision_point)
        labels = self.option_labels(decision_point, lang)
        # Two determinations of a point often rest on the same provision: each citation once, in order.
        return spreads, labels, list(dict.fromkeys(c.render(self.library.rulebook.texts, lang) for c in basis))

    def option_labels(self, decision_point: str, lang: str) -> dict[str, dict[Any, str]]:
        """Field name → option value → label in ``lang``, for the options of both regimes at a decision point.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> desk = TrainerDesk(None, "demo", library=packaged_library())  # reads only the library
        >>> desk.option_labels("D1", "vi")["receive"]["receive"]
        'Tiếp nhận ngay, mời vào làm việc'
        """
        from sim.training.forms import form_fields

        labels: dict[str, dict[Any, str]] = {}
        for regime in sorted({r.regime for r in self.library.rulebook.regimes}):
            for f in form_fields(self.library, decision_point, regime):
                labels.setdefault(f.name, {}).update({k: o.get(lang) for k, o in f.options})
        return labels

    def field_label(self, decision_point: str, field: str, lang: str) -> str:
        """The heading of a form field, in ``lang``.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> desk = TrainerDesk(None, "demo", library=packaged_library())  # reads only the library
        >>> desk.field_label("D1", "receive", "en")
        'What do you do?'
        """
        from sim.training.forms import field_label

        return self.library.messages[field_label(self.library, decision_point, field)].get(lang)

    def replay(self, attempt_id: str, lang: str) -> list[tuple[Step, str]]:
        """Every action and answer of an attempt in order, each with the interview question's text (actions) or "".

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> session = demo_attempt(desk)
        >>> steps = desk.replay(session.attempt.id, "en")
        >>> [(step.minute, step.kind, step.key) for step, _ in steps]
        [(0, 'action', 'care_first'), (10, 'answer', 'D1')]
        >>> [question for _, question in steps]
        ['Offer a private room and water first; ask whether they are hurt anywhere', '']
        """
        from sim.cases.case import Case
        from sim.workshop.debrief import replay

        self._require()
        case = Case.model_validate_json(self.store.attempt(attempt_id).case_json)
        texts = {q.id: q.text.get(lang) for q in case.interview}
        return [(s, texts.get(s.key, s.key) if s.kind == "action" else "") for s in replay(self.store, attempt_id)]

    def report(self, attempt_id: str) -> dict[str, Any] | None:
        """An attempt's automatic score report (None before submission).

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> session = demo_attempt(desk)
        >>> report = desk.report(session.attempt.id)
        >>> report["percent"], [(p["decision_point"], p["points"]) for p in report["points"]][:2]
        (16.0, [('D1', 10.0), ('D2', 0.0)])
        """
        self._require()
        return self.store.report(attempt_id)

    def overrides(self, attempt_id: str) -> list[dict[str, Any]]:
        """The trainer's adjustments of an attempt, oldest first.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> session = demo_attempt(desk)
        >>> desk.add_override(session.attempt.id, "D2", 4, "Đã nhận biết dấu hiệu khi trao đổi")
        4.0
        >>> [(o["decision_point"], o["points"], o["comment"]) for o in desk.overrides(session.attempt.id)]
        [('D2', 4.0, 'Đã nhận biết dấu hiệu khi trao đổi')]
        """
        self._require()
        return self.store.overrides(attempt_id)

    def final_percent(self, attempt_id: str) -> float | None:
        """The attempt's percent after the trainer's overrides.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> session = demo_attempt(desk)
        >>> desk.final_percent(session.attempt.id)
        16.0
        >>> _ = desk.add_override(session.attempt.id, "D2", 8, "Đã nhận biết dấu hiệu khi trao đổi")
        >>> desk.final_percent(session.attempt.id)
        24.0
        """
        from sim.workshop.results import final_score

        report = self.report(attempt_id)
        if report is None:
            return None
        final, _ = final_score(report, self.overrides(attempt_id))
        return round(100 * final / report["max_points"], 1) if report["max_points"] else 0.0

    def add_override(self, attempt_id: str, decision_point: str, points: float, comment: str) -> float:
        """Adjust one decision point's points with a comment the trainee will see; returns the points kept.

        Points are clamped to the decision point's range; a comment is required (the trainee must learn why).

        Raises
        ------
        InputError
            ``not_submitted``, ``unknown_decision_point`` (not in the report), or ``override_needs_comment``.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> session = demo_attempt(desk)
        >>> desk.add_override(session.attempt.id, "D2", 100, "Đã nhận biết dấu hiệu khi trao đổi")  # D2 is worth 8
        8.0
        >>> desk.add_override(session.attempt.id, "D2", 4, "   ")
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: override_needs_comment
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
    def export(self, suffix: str, lang: str = "vi") -> Path:
        """Write the results as ``.csv`` or ``.xlsx`` in ``lang`` into a new temporary folder; returns the file.

        The file is named after the workshop and the day in Việt Nam, "tro-ve-" written once ("tro-ve-2026-06-01"
        for the default workshop, whose id is already "tro-ve").

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk)
        >>> path = desk.export(".csv")
        >>> path.name.startswith("tro-ve-demo-"), "Lê Thị Lan" in path.read_text(encoding="utf-8-sig")
        (True, True)
        """
        from sim.workshop.export import export

        self._require()
        folder = Path(tempfile.mkdtemp())
        name = self.workshop_id if self.workshop_id.startswith("tro-ve") else f"tro-ve-{self.workshop_id}"
        path = folder / f"{name}-{vietnam_today().isoformat()}{suffix}"
        return export(self.store, self.workshop_id, path, lang=lang, library=self.library)

    # the room screen ---------------------------------------------------------------------------
    def room(self, environ: dict[str, str] | None = None) -> tuple[str | None, str | None, bytes | None, RoomCount]:
        """What the room screen projects: the trainee URL, the workshop code, the URL's QR code (PNG) and who joined.

        ``environ`` is the trainer page's request (Voilà's variables; this process's environment if omitted).
        Outside Voilà the URL and the QR code are None.

        Examples
        --------
        >>> from sim.app.demo import demo_attempt, demo_desk
        >>> desk = demo_desk()
        >>> _ = demo_attempt(desk)
        >>> url, code, png, count = desk.room({"SERVER_NAME": "192.168.1.5", "SERVER_PORT": "8866"})
        >>> url.startswith("http://192.168.1.5:8866/voila/render/trainee.ipynb"), png[1:4], count
        (True, b'PNG', RoomCount(joined=1, working=0, submitted=1))
        """
        from sim.app.room import RoomCount, qr_png, trainee_url

        rows = self.rows()
        code = (self.store.workshop(self.workshop_id) or {}).get("code") or None
        url = trainee_url(os.environ if environ is None else environ, code)
        count = RoomCount(
            joined=len(self.store.trainees(self.workshop_id)),
            working=len({r.trainee_id for r in rows if not r.submitted_at}),
            submitted=sum(1 for r in rows if r.submitted_at),
        )
        return url, code, qr_png(url) if url else None, count

    # the workshop's exercises ------------------------------------------------------------------
    def titles(self, lang: str) -> dict[str, dict[str, str]]:
        """The titles trainer pages show instead of ids: ``{"exercises": {id: title}, "scenarios": {id: title}}``.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> titles = demo_desk().titles("vi")
        >>> titles["exercises"]["intake-basics"] != "intake-basics", "forced-marriage-2016" in titles["scenarios"]
        (True, True)
        """
        from sim.workshop.export import ExportTexts

        self._require()
        texts = ExportTexts.of(self.library, lang)
        return {"exercises": texts.exercises, "scenarios": texts.scenarios}

    def exercises(self) -> tuple[dict[str, Exercise], list[str]]:
        """Every exercise that loads, and the ids the workshop offers (empty: all).

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> available, offered = desk.exercises()
        >>> "intake-basics" in available, offered
        (True, [])
        """
        self._require()
        available, _ = self.library.catalog.valid_exercises()
        return available, list((self.store.workshop(self.workshop_id) or {}).get("exercises") or [])

    def set_exercises(self, exercise_ids: list[str]) -> None:
        """Offer these exercises in the workshop (trainees see the change at once).

        Raises
        ------
        InputError
            ``unknown_exercise`` if an id names no exercise that loads.

        Examples
        --------
        >>> from sim.app.demo import demo_desk, demo_workshop
        >>> workshop = demo_workshop()
        >>> desk = demo_desk(workshop)
        >>> desk.set_exercises(["verification"])
        >>> workshop.exercise_ids  # what the trainees are offered now
        ['verification']
        >>> desk.set_exercises(["verificaton"])
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: unknown_exercise: verificaton
        """
        available, _ = self.exercises()
        unknown = [e for e in exercise_ids if e not in available]
        if unknown:
            raise InputError("unknown_exercise", ", ".join(unknown))
        self.store.set_exercises(self.workshop_id, list(exercise_ids))

    def assessments(self) -> list[tuple[Exercise, str | None]]:
        """The workshop's exercises in assessment mode, each with the time its answers were released (None: not
        yet), in the workshop's order.

        Examples
        --------
        >>> from sim.app.demo import demo_desk, demo_workshop
        >>> desk = demo_desk(demo_workshop(["intake-basics", "mixed-assessment"]))
        >>> [(exercise.id, released) for exercise, released in desk.assessments()]
        [('mixed-assessment', None)]
        """
        available, offered = self.exercises()
        released = self.store.released_answers(self.workshop_id)
        chosen = [available[e] for e in (offered or list(available)) if e in available]
        return [(x, released.get(x.id)) for x in chosen if x.mode == "assessment"]

    def release_answers(self, exercise_id: str) -> None:
        """Show the trainees the correct answers and explanations of an assessment; it closes at the same time
        (no new case is started, an unsubmitted one can no longer be changed or submitted). Cannot be undone.

        Raises
        ------
        InputError
            ``unknown_exercise`` if the id names no exercise in assessment mode that loads.

        Examples
        --------
        >>> from sim.app.demo import demo_desk, demo_trainee, demo_workshop
        >>> workshop = demo_workshop(["mixed-assessment"])
        >>> session = workshop.open_case(demo_trainee(workshop), "mixed-assessment", 0)
        >>> _ = session.submit()
        >>> session.answers_shown
        False
        >>> desk = demo_desk(workshop)
        >>> desk.release_answers("mixed-assessment")
        >>> session.answers_shown, desk.assessments()[0][1] is not None
        (True, True)
        >>> desk.release_answers("intake-basics")  # a practice exercise shows its answers already
        Traceback (most recent call last):
        ...
        sim.app.trainee.InputError: unknown_exercise: intake-basics
        """
        available, _ = self.exercises()
        exercise = available.get(exercise_id)
        if exercise is None or exercise.mode != "assessment":
            raise InputError("unknown_exercise", str(exercise_id))
        self.store.release_answers(self.workshop_id, exercise_id, TRAINER)

    def broken_files(self) -> list[Problem]:
        """Problems of scenario and exercise files that do not load (they are hidden from trainees).

        Examples
        --------
        >>> from pathlib import Path
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()  # its library reads copies of the scenario and exercise folders
        >>> desk.broken_files()
        []
        >>> _ = (desk.library.scenario_dir / "broken.yaml").write_text("id: [", encoding="utf-8")
        >>> [Path(problem.file).name for problem in desk.broken_files()]
        ['broken.yaml']
        """
        self._require()
        return self.library.catalog.valid_exercises()[1]

    # designer ----------------------------------------------------------------------------------
    def check_scenario(self, text: str, name: str) -> tuple[Scenario | None, list[Problem]]:
        """Check scenario YAML exactly as ``trove check`` does.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> text = (desk.library.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
        >>> scenario, problems = desk.check_scenario(text, "forced-marriage-2016.yaml")
        >>> scenario.id, problems
        ('forced-marriage-2016', [])
        >>> scenario, problems = desk.check_scenario(text.replace("difficulty:", "dificulty:"), "draft.yaml")
        >>> print(scenario); print(problems[-1].format())
        None
        draft.yaml:28:1 dificulty: unknown field (did you mean 'difficulty'?)
        """
        self._require()
        return self.library.catalog.check_scenario_text(text, name)

    def check_exercise(self, text: str, name: str) -> tuple[Exercise | None, list[Problem]]:
        """Check exercise YAML against the scenarios that load now.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()  # its library reads copies of the scenario and exercise folders
        >>> text = (desk.library.exercise_dir / "intake-basics.yaml").read_text(encoding="utf-8")
        >>> desk.check_exercise(text, "intake-basics.yaml")[0].id
        'intake-basics'
        >>> _ = (desk.library.scenario_dir / "scam-compound-2025.yaml").write_text("id: [", encoding="utf-8")
        >>> _, problems = desk.check_exercise(text, "intake-basics.yaml")  # one of its scenarios no longer loads
        >>> problems[0].message
        "unknown scenario 'scam-compound-2025'"
        """
        self._require()
        return self.library.catalog.check_exercise_text(text, name)

    def preview(self, text: str, lang: str, seeds: tuple[int, ...] = (1, 2, 3)) -> tuple[list[Variant], list[Problem]]:
        """Generate a few variants of a scenario being written (only when it has no problem).

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> text = (desk.library.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8")
        >>> variants, problems = desk.preview(text, "vi", seeds=(1, 2))
        >>> [(v.seed, v.case.case_id, v.truth["regime"]) for v in variants], problems
        ([(1, 'forced-marriage-2016-1', 'A'), (2, 'forced-marriage-2016-2', 'A')], [])
        >>> desk.preview(text.replace("difficulty:", "dificulty:"), "vi")[0]
        []
        """
        scenario, problems = self.check_scenario(text, "preview.yaml")
        if problems or scenario is None:
            return [], problems
        return [self._variant(scenario, seed, lang) for seed in seeds], []

    def save_scenario(self, text: str) -> tuple[Path | None, list[Problem]]:
        """Save a scenario that has no problem, atomically, with a new version if it changed.

        Examples
        --------
        >>> import yaml
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()  # saves into copies of the scenario and exercise folders
        >>> data = yaml.safe_load((desk.library.scenario_dir / "forced-marriage-2016.yaml").read_text(encoding="utf-8"))
        >>> path, problems = desk.save_scenario(desk.to_yaml(data | {"id": "thu-nghiem"}))
        >>> path.name, problems, "thu-nghiem" in desk.scenario_options()
        ('thu-nghiem.yaml', [], True)
        """
        scenario, problems = self.check_scenario(text, "scenario.yaml")
        if problems or scenario is None:
            return None, problems
        return self._save(self.library.catalog.scenario_dir, text), []

    def save_exercise(self, text: str, *, add_to_workshop: bool) -> tuple[Path | None, list[Problem]]:
        """Save an exercise that has no problem; optionally offer it in this workshop at once.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk(exercises=["intake-basics"])  # saves into copies of the exercise folder
        >>> text = desk.to_yaml({"schema_version": 1, "id": "bai-moi", "version": "1",
        ...                      "title": {"vi": "Bài mới", "en": "New"}, "description": {"vi": "…", "en": "…"},
        ...                      "scenarios": [{"scenario": "forced-marriage-2016"}], "pass_mark": 70})
        >>> path, problems = desk.save_exercise(text, add_to_workshop=True)
        >>> path.name, problems, desk.exercises()[1]
        ('bai-moi.yaml', [], ['intake-basics', 'bai-moi'])
        """
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
        """The YAML text of a scenario or exercise built in a form (as it will be saved).

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> desk = TrainerDesk(None, "demo", library=packaged_library())  # needs no store
        >>> print(desk.to_yaml({"id": "bai-moi", "version": "1", "title": {"vi": "Bài mới", "en": "New"}}))
        id: bai-moi
        version: '1'
        title:
          vi: Bài mới
          en: New
        <BLANKLINE>
        """
        from sim.workshop.authoring import dump

        return dump(data)

    def scenario_options(self) -> list[str]:
        """The ids of the scenarios that load now (for building an exercise).

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()  # its library reads copies of the scenario and exercise folders
        >>> "child-at-risk-2026" in desk.scenario_options()
        True
        >>> _ = (desk.library.scenario_dir / "child-at-risk-2026.yaml").write_text("id: [", encoding="utf-8")
        >>> "child-at-risk-2026" in desk.scenario_options()  # a file that no longer loads is not offered
        False
        """
        self._require()
        return sorted(self.library.catalog.valid_scenarios()[0])

    # explorer ----------------------------------------------------------------------------------
    def scenarios(self) -> dict[str, Scenario]:
        """Every scenario that loads.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> desk.scenarios()["forced-marriage-2016"].region
        'binh-thuan'
        """
        self._require()
        return self.library.catalog.valid_scenarios()[0]

    def explore(self, scenario_id: str, seed: int, lang: str) -> Variant:
        """One generated case of a scenario with its ground truth and referral graph (the trainer's eyes only).

        Raises
        ------
        InputError
            ``unknown_scenario`` if no scenario that loads has this id.

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> variant = desk.explore("child-at-risk-2026", 1, "en")
        >>> variant.case.case_id, variant.truth["regime"], variant.graph_png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
        ('child-at-risk-2026-1', 'B', True)
        """
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
        law = self.library.messages[f"regime_{truth.regime}"].get(lang)
        title = self.library.messages["graph_title_law"].get(lang).format(law=law)
        png = referral_png(self.library.graph_on(case.date), title=title, lang=lang, correct=paths, dpi=90)
        return Variant(seed, case, assessment_report(truth, self.library), png)

    def label(self, kind: str, key: str, lang: str) -> str:
        """A vocabulary label (e.g. kind "documents") in ``lang``.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> desk = TrainerDesk(None, "demo", library=packaged_library())  # reads only the library
        >>> desk.label("documents", "national_id", "en")
        'national ID card'
        """
        return self.library.rulebook.vocabulary.label(kind, key, lang)

    def designer_choices(self, lang: str) -> dict[str, list[tuple[str, str]]]:
        """The options the scenario form offers: regions, profiles, documents (label, id).

        Examples
        --------
        >>> from sim.app.demo import demo_desk
        >>> desk = demo_desk()
        >>> choices = desk.designer_choices("en")
        >>> [region for _, region in choices["regions"]], choices["default_region"]
        (['binh-thuan', 'lam-dong', 'lam-dong-binh-thuan'], [('lam-dong-binh-thuan', 'lam-dong-binh-thuan')])
        """
        self._require()
        lib = self.library
        return {
            "regions": [(getattr(p, lang if lang == "en" else "vi"), pid) for pid, p in sorted(lib.regions.items())],
            "profiles": [(p.en if lang == "en" else p.vi, k) for k, p in lib.profiles.profiles.items()],
            "documents": [(v.get(lang), k) for k, v in lib.rulebook.vocabulary.documents.items()],
            "entry_routes": [(r, r) for r in get_args(EntryRoute)],
            "default_region": [(lib.default_region, lib.default_region)],
        }
