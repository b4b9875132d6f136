"""What happened next to one trainee's case: the case followed through the referral network twice, with the
trainee's decisions and with every decision right, on the same draws, so that a wrong decision is seen in its
consequence ("xác minh xong chậm 4 ngày"), not only in points.

Every time and chance comes from ``province.yaml``, whose consequences are *assumptions*; the timeline says so.
Lines are message ids with their values (``next_*`` in ``messages.yaml``), for the UI to put in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.law.decision_points import DECISION_POINTS
from sim.province.arrivals import Arrival, derive_seed
from sim.province.model import PROCEDURE, Outcome, Prepared, follow

if TYPE_CHECKING:
    from sim.cases.case import Case
    from sim.engine.assessment import Assessment
    from sim.library import Library
    from sim.province.calendar import WorkCalendar
    from sim.province.parameters import ProvinceParameters

ARRIVAL_TIME = 9 / 24  # the person arrives at 9 o'clock on the case's date


@dataclass(frozen=True)
class Line:
    """One line of the timeline: a message id, its values, and whether it shows a loss against the right path."""

    key: str
    values: dict[str, Any]
    worse: bool = False


@dataclass(frozen=True)
class Aftermath:
    """The case followed with the trainee's decisions (``answered``) and with every decision right (``right``)."""

    answered: Outcome
    right: Outcome
    wrong: tuple[str, ...]
    # the wrong decisions whose consequence is that no protection is arranged (province.yaml): named in the line
    protection_missed_by: tuple[str, ...] = ()

    def lines(self) -> list[Line]:
        """The timeline, in the order a person lives it."""
        a, r = self.answered, self.right
        found: list[Line] = []
        if a.left:
            found.append(Line("next_left", {"points": ", ".join(self.wrong)}, worse=True))
            return found
        if a.verification_needed or a.extra_verification:
            if a.extra_verification:
                found.append(Line("next_extra_verification", {"days": _days(a, a.verified_at)}, worse=True))
            elif a.verified_at is None:
                found.append(Line("next_not_verified", {}, worse=True))
            else:
                late = _days(a, a.verified_at) - _days(r, r.verified_at) if r.verified_at is not None else 0
                key = "next_verified_later" if late > 0 else "next_verified"
                found.append(Line(key, {"days": _days(a, a.verified_at), "later": late}, worse=late > 0))
        for service in a.entitled:
            if service in PROCEDURE:
                continue
            got, ideal = a.received.get(service), r.received.get(service)
            if got is None:
                found.append(Line("next_service_missed", {"service": service}, worse=ideal is not None))
                continue
            late = _days(a, got) - (_days(r, ideal) if ideal is not None else _days(a, got))
            key = "next_service_later" if late > 0 else "next_service"
            found.append(Line(key, {"service": service, "days": _days(a, got), "later": late}, worse=late > 0))
        if a.protection_needed and a.protected:
            found.append(Line("next_protected", {}))
        elif a.protection_needed:  # the referral may have reached protection: say which decision asked for none
            by = ", ".join(self.protection_missed_by)
            key = "next_not_protected_because" if by else "next_not_protected"
            found.append(Line(key, {"points": by} if by else {}, worse=True))
        if a.child_duties_apply:
            done = a.child_duties_done
            found.append(Line("next_child_duties_done" if done else "next_child_duty_missed", {}, worse=not done))
        return found


def _days(outcome: Outcome, at: float | None) -> int:
    """Whole days from the arrival to ``at`` (0 on the day itself)."""
    return 0 if at is None else max(0, math.floor(at) - math.floor(outcome.arrival))


def what_happened_next(
    case: Case,
    assessment: Assessment,
    right: dict[str, bool],
    library: Library,
    params: ProvinceParameters,
    calendar: WorkCalendar,
) -> Aftermath:
    """Follow ``case`` (assessed under ``library``) with the decisions ``right`` (decision point → right or not).

    The draws are seeded from the case's own seed: the same case and answers give the same timeline.

    >>> from sim.library import packaged_library
    >>> from sim.engine.assessment import assess
    >>> from sim.province.calendar import packaged_calendar
    >>> from sim.province.parameters import read_parameters
    >>> lib = packaged_library()
    >>> case = lib.case_generator().generate(lib.catalog.scenario("forced-marriage-2016"), seed=1)
    >>> wrong_d4 = {dp: dp != "D4" for dp in DECISION_POINTS}
    >>> after = what_happened_next(case, assess(case, lib), wrong_d4, lib, read_parameters(), packaged_calendar())
    >>> after.wrong, [line.key for line in after.lines()][:1]
    (('D4',), ['next_verified_later'])
    """
    arrival = Arrival(0, (case.date - case.date.replace(month=1, day=1)).days + ARRIVAL_TIME, case.date, case)
    prepared = Prepared(arrival, assessment)
    seed = derive_seed(case.seed or 0, "what-happened-next")
    every_right = dict.fromkeys(DECISION_POINTS, True)
    wrong = tuple(dp for dp in DECISION_POINTS if not right.get(dp, True))
    return Aftermath(
        answered=follow(prepared, library, params, calendar, right=right, seed=seed, units={}),
        right=follow(prepared, library, params, calendar, right=every_right, seed=seed, units={}),
        wrong=wrong,
        protection_missed_by=tuple(
            dp
            for dp in wrong
            if dp in params.decisions and any(c.kind == "protection_missed" for c in params.decisions[dp].consequences)
        ),
    )
