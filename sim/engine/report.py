"""The rule engine's ground truth as JSON-ready data, every citation rendered in Vietnamese and English."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.engine.assessment import Assessment

if TYPE_CHECKING:
    from sim.library import Library


def assessment_report(assessment: Assessment, library: Library) -> dict[str, Any]:
    """JSON-ready ground truth: per determination its decision point, value, facts and cited rules.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.cases.generator import generate_case
    >>> from sim.engine.assessment import assess
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> report = assessment_report(assess(case, lib), lib)
    >>> report["regime"], report["determinations"]["notification"]["decision_point"]
    ('A', 'D4')
    """
    book = library.rulebook
    out: dict[str, Any] = {
        "schema_version": assessment.schema_version,
        "case_id": assessment.case_id,
        "regime": assessment.regime,
        "rulebook": assessment.rulebook,
        "determinations": {},
    }
    for key, d in assessment.determinations.items():
        out["determinations"][key] = {
            "decision_point": d.decision_point,
            "value": d.value,
            "facts": [f"{name} = {value}" for name, value in d.facts],
            "rules": [
                {
                    "rule": r.rule,
                    "status": r.status,
                    "basis": [c.to_dict(book.texts) for c in r.basis],
                }
                for r in d.rules
            ],
        }
    out["critical_errors_at_risk"] = [
        {"id": e, "vi": book.critical_errors[e].vi, "en": book.critical_errors[e].en}
        for e in assessment.critical_errors_at_risk
    ]
    return out


def json_default(value: Any) -> Any:
    """For ``json.dumps``: engine values may hold pydantic models (e.g. a ``Deadline``); write their JSON form.

    Raises
    ------
    TypeError
        For any other value ``json`` cannot write, as ``json.dumps`` expects.

    Examples
    --------
    >>> import json
    >>> from sim.law.primitives import Deadline
    >>> json.dumps({"deadline": Deadline(kind="days", amount=3)}, default=json_default)
    '{"deadline": {"kind": "days", "amount": 3}}'
    >>> json.dumps({1, 2}, default=json_default)
    Traceback (most recent call last):
    ...
    TypeError: cannot serialise set
    """
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__}")
