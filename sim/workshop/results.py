"""Workshop results: one row per trainee × case, the automatic score beside the trainer's overrides.

As nbgrader keeps auto and manual scores, an override never rewrites the report: the final score is
the automatic total adjusted by the difference each override makes to its decision point (the latest
override per decision point counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sim.law.decision_points import SCORED_ITEMS
from sim.workshop.store import ResultsStore, Trainee


@dataclass(frozen=True)
class ResultRow:
    """One trainee × case: the attempt's identity, the automatic score, the score after overrides (None
    until submitted), the points per scored item and the overrides themselves."""

    trainee_id: str
    full_name: str
    commune: str
    role: str
    exercise_id: str
    case_number: int
    scenario_id: str
    scenario_version: str
    seed: int
    started_at: str
    submitted_at: str | None
    auto_total: float | None
    max_points: float | None
    auto_percent: float | None
    final_total: float | None
    final_percent: float | None
    critical_errors: tuple[str, ...]
    items: dict[str, float | None]
    overrides: tuple[dict[str, Any], ...]
    report: dict[str, Any] | None
    attempt_id: str
    last_activity: str  # the latest action or answer, or the start of the attempt


def final_score(report: dict[str, Any], overrides: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """The total and per-item points after the trainer's overrides.

    >>> r = {"total": 50.0, "max_points": 100.0, "points": [{"decision_point": "D1", "points": 0.0, "max_points": 10.0}]}
    >>> final_score(r, [{"decision_point": "D1", "points": 8.0}])
    (58.0, {'D1': 8.0})
    """
    items = {p["decision_point"]: p["points"] for p in report["points"]}
    maxima = {p["decision_point"]: p["max_points"] for p in report["points"]}
    total = report["total"]
    latest = {o["decision_point"]: o["points"] for o in overrides if o.get("points") is not None}
    for dp, points in latest.items():
        if dp in items:
            points = max(0.0, min(points, maxima[dp]))
            total += points - items[dp]
            items[dp] = points
    return min(max(total, 0.0), report["max_points"]), items


def workshop_results(store: ResultsStore, workshop_id: str) -> list[ResultRow]:
    """Every attempt of a workshop as a row, the automatic score beside the one after overrides."""
    rows = []
    for r in store.submitted_rows(workshop_id):
        if r["attempt_id"] is None:
            continue
        report = r["report"]
        overrides = tuple(store.overrides(r["attempt_id"])) if report else ()
        if report:
            final_total, items = final_score(report, list(overrides))
            final_percent = round(100 * final_total / report["max_points"], 1) if report["max_points"] else 0.0
        else:
            final_total, items, final_percent = None, {}, None
        rows.append(
            ResultRow(
                trainee_id=r["trainee_id"],
                full_name=r["full_name"],
                commune=r["commune"],
                role=r["role"],
                exercise_id=r["exercise_id"],
                case_number=r["position"] + 1,
                scenario_id=r["scenario_id"],
                scenario_version=r["scenario_version"],
                seed=r["seed"],
                started_at=r["started_at"],
                submitted_at=r["submitted_at"],
                auto_total=report["total"] if report else None,
                max_points=report["max_points"] if report else None,
                auto_percent=report["percent"] if report else None,
                final_total=final_total,
                final_percent=final_percent,
                critical_errors=tuple(e["rule"] for e in report["critical_errors"]) if report else (),
                items={dp: items.get(dp) for dp in SCORED_ITEMS},
                overrides=overrides,
                report=report,
                attempt_id=r["attempt_id"],
                last_activity=r["last_event_at"] or r["started_at"],
            )
        )
    return rows


@dataclass(frozen=True)
class TraineeStatus:
    """One line of the trainer's live view."""

    trainee: Trainee
    current: str | None  # "exercise #case" of the open case, if any
    idle_minutes: int | None  # since the last action or answer
    stuck: bool  # an open case and no activity for ``stuck_after`` minutes
    submitted: int
    average_percent: float | None


def live_status(
    trainees: list[Trainee], rows: list[ResultRow], now: datetime, stuck_after: int = 10
) -> list[TraineeStatus]:
    """Who is on which case, who may be stuck, and how each is doing (pure)."""
    by_trainee: dict[str, list[ResultRow]] = {}
    for row in rows:
        by_trainee.setdefault(row.trainee_id, []).append(row)
    out = []
    for trainee in trainees:
        attempts = by_trainee.get(trainee.id, [])
        open_ones = [r for r in attempts if not r.submitted_at]
        done = [r for r in attempts if r.submitted_at and r.final_percent is not None]
        last = max((r.last_activity for r in attempts), default=None)
        idle = int((now - datetime.fromisoformat(last)).total_seconds() // 60) if last else None
        out.append(
            TraineeStatus(
                trainee,
                f"{open_ones[-1].exercise_id} #{open_ones[-1].case_number}" if open_ones else None,
                idle,
                bool(open_ones) and idle is not None and idle >= stuck_after,
                len(done),
                sum(r.final_percent for r in done) / len(done) if done else None,
            )
        )
    return out
