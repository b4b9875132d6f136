"""What happened next to a trainee's case: each loss says which decision caused it."""

from __future__ import annotations

from sim.engine.assessment import assess
from sim.law.decision_points import DECISION_POINTS
from sim.province.aftermath import what_happened_next
from sim.province.calendar import packaged_calendar
from sim.province.parameters import read_parameters


def aftermath(library, wrong: set[str]):
    """A case that needs protection (the bundled baby-selling scenario, seed 2), followed with ``wrong`` wrong."""
    case = library.case_generator().generate(library.catalog.scenario("baby-selling-2024"), seed=2)
    right = {dp: dp not in wrong for dp in DECISION_POINTS}
    return what_happened_next(case, assess(case, library), right, library, read_parameters(), packaged_calendar())


def test_no_protection_names_the_decision_that_asked_for_none(library):
    """A trial read "biện pháp bảo vệ ✓ đã chuyển tới" (the referral reached it) beside "Không được bảo vệ…" as a
    contradiction: the line now says that protection was never asked for, and at which decision."""
    lines = {line.key: line for line in aftermath(library, {"D7"}).lines()}
    assert "next_protected" not in lines and "next_not_protected" not in lines
    assert lines["next_not_protected_because"].values == {"points": "D7"} and lines["next_not_protected_because"].worse
    assert "next_protected" in {line.key for line in aftermath(library, set()).lines()}
