"""Trained officers' decision quality measured from a workshop's attempts in the results store (issue 11 part 2).

The chance a trained officer decides right at a decision point is the share of the workshop's submitted
attempts in which that point kept all its points — the same "right" as what happened next after feedback
(``sim.training.scoring.kept_all_points``, as in ``CaseSession.what_happened_next``). A point the workshop's exercises never asked
keeps the ``province.yaml`` value (``with_measured``). The store is handed in; nothing is opened here.

>>> measured = MeasuredQuality("workshop ws", right={"D1": 3}, attempts={"D1": 4})
>>> measured.by_decision_point
{'D1': 0.75}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.errors import SimError
from sim.law.decision_points import DECISION_POINTS
from sim.training.scoring import kept_all_points

if TYPE_CHECKING:
    from sim.province.parameters import ProvinceParameters
    from sim.workshop.store import ResultsStore


@dataclass(frozen=True)
class MeasuredQuality:
    """Decisions measured somewhere (``source``): per decision point, attempts right out of attempts made."""

    source: str
    right: dict[str, int] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)

    @property
    def by_decision_point(self) -> dict[str, float]:
        """P(right) per decision point with at least one attempt, in D1…D10 order."""
        return {dp: self.right.get(dp, 0) / self.attempts[dp] for dp in DECISION_POINTS if self.attempts.get(dp)}


def measure_workshop(store: ResultsStore, workshop_id: str) -> MeasuredQuality:
    """Count, per decision point, the workshop's submitted attempts and those in which it was right.

    Raises
    ------
    SimError
        When the store has no such workshop (the message lists those it has).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sim.workshop.stores import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "results.sqlite")
    >>> store.ensure_workshop("ws", "Tập huấn", "", [])
    >>> measure_workshop(store, "ws")
    MeasuredQuality(source='workshop ws', right={}, attempts={})
    """
    if store.workshop(workshop_id) is None:
        known = ", ".join(store.workshop_ids()) or "none"
        raise SimError(f"no workshop {workshop_id!r} in the results file (it holds: {known}); check --db and the id")
    right: dict[str, int] = {}
    attempts: dict[str, int] = {}
    for row in store.submitted_rows(workshop_id):
        for point in (row["report"] or {}).get("points", ()):
            dp = point["decision_point"]
            if dp in DECISION_POINTS:
                attempts[dp] = attempts.get(dp, 0) + 1
                right[dp] = right.get(dp, 0) + kept_all_points(point)
    order = {dp: i for i, dp in enumerate(DECISION_POINTS)}
    return MeasuredQuality(
        f"workshop {workshop_id}",
        right=dict(sorted(right.items(), key=lambda kv: order[kv[0]])),
        attempts=dict(sorted(attempts.items(), key=lambda kv: order[kv[0]])),
    )


def workshop_quality(store: ResultsStore, workshop_id: str) -> dict[str, float]:
    """P(right) per decision point over the workshop's submitted attempts (points never asked are left out).

    >>> import pathlib, tempfile
    >>> from sim.workshop.stores import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "results.sqlite")
    >>> store.ensure_workshop("ws", "Tập huấn", "", [])
    >>> workshop_quality(store, "ws")
    {}
    """
    return measure_workshop(store, workshop_id).by_decision_point


def with_measured(params: ProvinceParameters, measured: MeasuredQuality | None) -> ProvinceParameters:
    """The parameters with the trained officers' quality replaced where ``measured`` has attempts.

    >>> from sim.province.parameters import read_parameters
    >>> p = with_measured(read_parameters(), MeasuredQuality("workshop ws", {"D4": 1}, {"D4": 2}))
    >>> p.officers.trained.by_decision_point["D4"], p.officers.trained.by_decision_point["D1"]
    (0.5, 0.98)
    """
    if measured is None or not measured.by_decision_point:
        return params
    trained = params.officers.trained
    quality = trained.by_decision_point | measured.by_decision_point
    officers = params.officers.model_copy(update={"trained": trained.model_copy(update={"by_decision_point": quality})})
    return params.model_copy(update={"officers": officers})


def quality_report(params: ProvinceParameters, measured: MeasuredQuality | None) -> dict[str, dict[str, Any]]:
    """Per decision point: the trained and untrained quality used and where the trained one came from.

    >>> from sim.province.parameters import read_parameters
    >>> rows = quality_report(read_parameters(), MeasuredQuality("workshop ws", {"D4": 1}, {"D4": 2}))
    >>> rows["D4"]["trained_from"], rows["D4"]["attempts"], rows["D1"]["trained_from"]
    ('workshop ws', 2, 'province.yaml assumption')
    """
    used = with_measured(params, measured).officers
    untrained = params.officers.untrained
    yaml_from, untrained_from = (f"province.yaml {q.provenance}" for q in (params.officers.trained, untrained))
    found = {}
    for dp in DECISION_POINTS:
        n = measured.attempts.get(dp, 0) if measured else 0
        found[dp] = {
            "trained": round(used.trained.by_decision_point[dp], 6),
            "trained_from": measured.source if measured and n else yaml_from,
            "attempts": n if n else None,
            "untrained": untrained.by_decision_point[dp],
            "untrained_from": untrained_from,
        }
    return found
