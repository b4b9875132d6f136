"""The discrete-event model (SimPy): a year of returns through the referral network of the law in force.

Each arrival is a generated case; its legal requirements (whom to notify, verification and its deadline, the
services and the agencies on their paths, protection, child duties) come from the rule engine handed the
library, never from this module. Agencies of the referral graph are SimPy resources with capacities and
processing times in working days (``sim.province.calendar``). The commune officer's decision at each decision
point is right with a probability (trained or untrained officer); a wrong decision has the consequences
``province.yaml`` gives it. Time is in days from the study's first midnight.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> from sim.province.arrivals import draw_arrivals
>>> from sim.province.calendar import packaged_calendar
>>> from sim.province.parameters import read_parameters
>>> lib, params = packaged_library(), read_parameters()
>>> arrivals = draw_arrivals(lib, params, start=date(2026, 1, 1), years=1, returns=5, seed=1)
>>> run = simulate(prepare(arrivals, lib), lib, params, packaged_calendar(), start=date(2026, 1, 1),
...                horizon_days=365, trained=0.5, seed=1, units={"commune": 45, "district": 10})
>>> len(run.outcomes), run.outcomes[0].arrival <= run.outcomes[1].arrival
(5, True)
"""

from __future__ import annotations

import random
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import simpy

from sim.engine.assessment import Assessment, assess
from sim.law.decision_points import DECISION_POINTS
from sim.province.arrivals import Arrival, derive_seed
from sim.province.collector import paused_cycle_collection

if TYPE_CHECKING:
    from sim.library import Library
    from sim.province.calendar import WorkCalendar, WorkingClock
    from sim.province.parameters import Consequence, Duration, ProvinceParameters

# Services that are steps of the procedure rather than supports a person receives.
PROCEDURE = ("verification", "protection", "child_protection", "escort")


@dataclass(frozen=True, slots=True)
class Prepared:
    """An arrival with its ground truth under the library it will be simulated with."""

    arrival: Arrival
    assessment: Assessment


def prepare(arrivals: Iterable[Arrival], library: Library) -> list[Prepared]:
    """Assess every arrival's case under ``library`` (the rule engine; the costly part, done once per law).

    >>> from sim.library import packaged_library
    >>> prepare([], packaged_library())
    []
    """
    with paused_cycle_collection():
        return [Prepared(a, assess(a.case, library)) for a in arrivals]


class Agency:
    """An agency as a SimPy resource, with the bookkeeping for utilisation, queue length, waits and backlog.

    ``months``: the boundaries (days) of the months observed, first to last; the backlog (tasks waiting or in
    service) is integrated over each of them (``backlog_area``), and over nothing outside them.

    Examples
    --------
    >>> import simpy
    >>> env = simpy.Environment()
    >>> police = Agency(env, "provincial_police", 1, months=(0.0, 2.0, 10.0))
    >>> for _ in range(2):
    ...     _ = env.process(police.serve(lambda now: now + 3.0))
    >>> env.run()
    >>> police.finish(env.now)
    >>> police.served, police.wait_total, police.queue_area, police.backlog_area
    (2, 3.0, 3.0, [4.0, 5.0])
    """

    def __init__(self, env: simpy.Environment, agency_id: str, capacity: int, months: tuple[float, ...] = ()) -> None:
        self.env, self.id, self.capacity = env, agency_id, capacity
        self.resource = simpy.Resource(env, capacity)
        self.waiting = self.busy = self.served = self.max_queue = 0
        self.wait_total = self.queue_area = self.busy_area = self.last = 0.0
        self.months = months
        self.backlog_area = [0.0] * max(0, len(months) - 1)
        self._month = 0  # the month ``last`` falls in (time only moves forward)

    def _advance(self) -> None:
        now, last = self.env.now, self.last
        self.queue_area += self.waiting * (now - last)
        self.busy_area += self.busy * (now - last)
        level = self.waiting + self.busy
        if level and now > last:
            self._spread(level, last, now)
        self.last = now

    def _spread(self, level: int, last: float, now: float) -> None:
        """Add ``level`` × the time from ``last`` to ``now`` to the months it falls in."""
        bounds, area = self.months, self.backlog_area
        m = self._month
        while m < len(area) and bounds[m + 1] <= last:
            m += 1
        self._month = m
        while m < len(area) and bounds[m] < now:
            area[m] += level * (min(now, bounds[m + 1]) - max(last, bounds[m]))
            m += 1

    def serve(self, until: Any) -> Generator[simpy.Event, Any, float]:
        """Queue for a place, hold it until ``until(start)`` (a time), release it; returns the start time."""
        arrived = self.env.now
        self._advance()
        self.waiting += 1
        self.max_queue = max(self.max_queue, self.waiting)
        with self.resource.request() as request:
            yield request
            self._advance()
            self.waiting -= 1
            self.busy += 1
            start = self.env.now
            self.wait_total += start - arrived
            self.served += 1
            yield self.env.timeout(max(0.0, until(start) - start))
            self._advance()
            self.busy -= 1
        return start

    def finish(self, now: float) -> None:
        """Close the books at ``now`` (the end of the observation window, at or after the last event)."""
        last = self.last
        self.queue_area += self.waiting * (now - last)
        self.busy_area += self.busy * (now - last)
        if self.waiting + self.busy and now > last:
            self._spread(self.waiting + self.busy, last, now)
        self.last = now


def study_months(start: date, horizon_days: float) -> tuple[tuple[str, float, float], ...]:
    """The calendar months of a study period as ``("YYYY-MM", first day, end)`` in days from ``start``; the first
    and last are cut to the period when it does not begin or end with a month.

    >>> study_months(date(2026, 1, 15), 31)
    (('2026-01', 0.0, 17.0), ('2026-02', 17.0, 31.0))
    """
    found = []
    first = 0.0
    day = start
    while first < horizon_days:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        end = min(float(horizon_days), float((following - start).days))
        found.append((f"{day.year:04d}-{day.month:02d}", first, end))
        first, day = end, following
    return tuple(found)


@dataclass
class Outcome:
    """What happened to one person: the law's requirements and what the network delivered, with times."""

    index: int
    day: date
    arrival: float
    regime: str
    profile: str
    commune: str
    trained: bool
    wrong: tuple[str, ...]
    left: bool = False
    verification_needed: bool = False
    verification_deadline: float | None = None
    verified_at: float | None = None
    extra_verification: bool = False
    entitled: tuple[str, ...] = ()
    received: dict[str, float] = field(default_factory=dict)
    protection_needed: bool = False
    protected: bool = False
    child_duties_apply: bool = False
    child_duties_done: bool = False


@dataclass
class Run:
    """One replication under one law and one training level: outcomes, agencies, the window observed."""

    outcomes: list[Outcome]
    agencies: dict[str, Agency]
    horizon_days: float
    window_days: float
    months: tuple[tuple[str, float, float], ...] = ()  # the study's months: label, first day, end (``study_months``)


class _Model:
    def __init__(
        self,
        library: Library,
        params: ProvinceParameters,
        clock: WorkingClock,
        *,
        start: date,
        trained: float,
        seed: int,
        units: dict[str, int],
        months: tuple[float, ...] = (),
    ) -> None:
        self.env = simpy.Environment()
        self.months = months
        self.library, self.params, self.clock = library, params, clock
        self.start, self.trained_share, self.seed, self.units = start, trained, seed, units
        self.agencies: dict[str, Agency] = {}
        self.decided: dict[str, bool] | None = None  # the officer's decisions, when given (``follow``)
        self.levels = {k: a.level for k, a in library.agencies.agencies.items()}

    # resources ---------------------------------------------------------------------------------------------
    def agency(self, agency_id: str) -> Agency:
        found = self.agencies.get(agency_id)
        if found is None:
            p = self.params.agency(agency_id)
            capacity = p.capacity * (1 if p.per == "province" else max(1, self.units.get(p.per, 1)))
            found = self.agencies[agency_id] = Agency(self.env, agency_id, capacity, self.months)
        return found

    def _draw(self, rnd: random.Random, days: Duration) -> float:
        return float(days) if isinstance(days, (int, float)) else rnd.uniform(*days)

    def _working(self, days: float) -> Any:
        return lambda start: self.clock.after_working(start, days)

    def trained(self, commune_code: str) -> bool:
        """Whether the commune has a trained officer: a draw per commune, the same for every share (common numbers)."""
        return random.Random(derive_seed(self.seed, "officer", commune_code)).random() < self.trained_share

    # one person --------------------------------------------------------------------------------------------
    def person(self, prepared: Prepared) -> Generator[simpy.Event, Any, Outcome]:
        arrival, a = prepared.arrival, prepared.assessment
        case, env, params = arrival.case, self.env, self.params
        trained = self.trained(case.commune.commune_code)
        quality = (params.officers.trained if trained else params.officers.untrained).by_decision_point
        decisions = random.Random(derive_seed(self.seed, "decisions", arrival.index))
        right = self.decided or {dp: decisions.random() < quality[dp] for dp in DECISION_POINTS}
        verification = a.value("verification")
        referral = a.value("referral")
        protection = a.value("protection")
        children = a.value("child_duties")
        holds_lawful = bool(a.value("victim_documents")["lawful"])
        claim = bool(a.value("signs_of_trafficking")["claim"])
        conditions = {
            "always": True,
            "verification_needed": bool(verification["needed"]),
            "holds_lawful_document": holds_lawful,
            "claim": claim,
            "no_claim": not claim and not holds_lawful,
            "protection_indicated": bool(protection["indicated"]),
            "child_duties_apply": bool(children["applies"]),
        }
        fired = _consequences(self, arrival.index, right, conditions)
        entitled = tuple(s for s in referral["services"] if s not in PROCEDURE)
        out = Outcome(
            index=arrival.index,
            day=arrival.day,
            arrival=arrival.time,
            regime=a.regime,
            profile=case.truth.profile,
            commune=case.commune.commune_code,
            trained=trained,
            wrong=tuple(dp for dp in DECISION_POINTS if not right[dp]),
            verification_needed=bool(verification["needed"]),
            entitled=entitled,
            protection_needed="protection" in referral["services"],
            child_duties_apply=bool(children["applies"]),
        )
        if out.verification_needed:
            out.verification_deadline = self._deadline(arrival, a, referral["paths"].get("verification"))
        yield env.timeout(max(0.0, arrival.time - env.now))
        if fired.leaves_before_intake:
            out.left = True
            return out
        if fired.delays.get("intake"):
            yield env.timeout(self.clock.after_working(env.now, fired.delays["intake"]) - env.now)
        rnd = random.Random(derive_seed(self.seed, "intake", arrival.index))
        intake = self._draw(rnd, params.times.intake_days)
        yield from self.agency("commune_pc").serve(self._working(intake))
        if fired.leaves_after_interview:
            out.left = True
            return out
        now = env.now
        notified = self.clock.after_working(now, fired.delays.get("notification", 0.0))
        requested = max(notified, self.clock.after_working(now, fired.delays.get("verification_request", 0.0)))
        identified = env.event()
        verify = (out.verification_needed and not fired.screened_out) or fired.extra_verification
        out.extra_verification = fired.extra_verification and not out.verification_needed
        if verify:
            path = referral["paths"].get("verification") or self.library.service_path_on(arrival.day, "verification")
            env.process(self._verification(out, arrival, path, requested, identified))
        elif holds_lawful:
            identified.succeed()
        now_entitled = set(a.value("entitlements")[case.primary.id]["now"])
        services = list(referral["services"])
        if fired.screened_out:  # treated as no victim: no victim support, no verification
            services = [s for s in services if s in PROCEDURE and s != "verification"]
        if fired.protection_missed:
            services = [s for s in services if s != "protection"]
        missable = [s for s in services if s not in PROCEDURE]
        if fired.service_missed is not None and missable:
            services.remove(missable[int(fired.service_missed * len(missable))])
        for service in services:
            if service == "verification":
                continue
            path = referral["paths"].get(service) or ("commune_pc",)
            needs_status = service == "support_decision" or (service not in now_entitled and service not in PROCEDURE)
            begin = (
                self.clock.after_working(now, fired.delays.get("immediate_support", 0.0))
                if (service == "essential_needs")
                else now
            )
            env.process(self._service(out, arrival, service, tuple(path), begin, identified if needs_status else None))
        out.child_duties_done = out.child_duties_apply and not fired.child_duty_missed
        return out

    def _deadline(self, arrival: Arrival, a: Assessment, path: list[str] | None) -> float:
        hours = self.library.path_deadline_hours(a.regime, path) if path else None
        days = hours / 24 if hours is not None else self.params.times.unconfirmed_verification_deadline_days
        return int(arrival.time) + days + 1  # by the end of the day the deadline falls on

    def _verification(
        self, out: Outcome, arrival: Arrival, path: list[str], requested: float, identified: simpy.Event
    ) -> Generator[simpy.Event, Any, None]:
        env = self.env
        yield env.timeout(max(0.0, requested - env.now))
        rnd = random.Random(derive_seed(self.seed, "times", arrival.index, "verification"))
        for agency_id in path[1:]:  # the commune's notification is the request
            p = self.params.agency(agency_id)
            days = self._draw(rnd, p.services.get("verification", p.default_days))
            yield from self.agency(agency_id).serve(self._working(days))
        out.verified_at = env.now
        if not identified.triggered:
            identified.succeed()

    def _service(
        self,
        out: Outcome,
        arrival: Arrival,
        service: str,
        path: tuple[str, ...],
        begin: float,
        identified: simpy.Event | None,
    ) -> Generator[simpy.Event, Any, None]:
        env, params = self.env, self.params
        if identified is not None:
            yield identified
        yield env.timeout(max(0.0, begin - env.now))
        rnd = random.Random(derive_seed(self.seed, "times", arrival.index, service))
        for pos, agency_id in enumerate(path):
            p = params.agency(agency_id)
            agency = self.agency(agency_id)
            if pos < len(path) - 1:
                yield from agency.serve(self._working(self._draw(rnd, p.services.get(service, p.handover_days))))
                continue
            if service in params.travel.person_travels_for:
                yield env.timeout(self._travel(arrival, agency_id, rnd))
            if service in p.stays:  # the service is a place (a bed): received on admission, held for the stay
                stay = self._draw(rnd, p.stays[service])
                admitted = env.event()
                env.process(self._stay(agency, stay, admitted))
                yield admitted
            else:
                yield from agency.serve(self._working(self._draw(rnd, p.services.get(service, p.default_days))))
        out.received[service] = env.now
        if service == "protection":
            out.protected = True

    def _stay(self, agency: Agency, days: float, admitted: simpy.Event) -> Generator[simpy.Event, Any, None]:
        def until(start: float) -> float:
            admitted.succeed()
            return start + days

        yield from agency.serve(until)

    def _travel(self, arrival: Arrival, agency_id: str, rnd: random.Random) -> float:
        travel = self.params.travel
        days = self._draw(rnd, travel.days.get(self.levels.get(agency_id, "province"), 0.0))
        if self.levels.get(agency_id) in ("province", "central"):
            place = arrival.case.commune
            for island, extra in travel.island_districts.items():
                if island in (place.district or "") or island in place.commune:
                    days += self._draw(rnd, extra)
        return days


@dataclass
class _Fired:
    leaves_before_intake: bool = False
    leaves_after_interview: bool = False
    delays: dict[str, float] = field(default_factory=dict)
    extra_verification: bool = False
    screened_out: bool = False
    service_missed: float | None = None  # a uniform number choosing which support is missed
    protection_missed: bool = False
    child_duty_missed: bool = False


def _consequences(model: _Model, index: int, right: dict[str, bool], conditions: dict[str, bool]) -> _Fired:
    """Which consequences fire. Every number is drawn whether or not it is used, so that two runs differing only
    in the officer's training see the same draws (common random numbers: comparisons are not noise)."""
    rnd = random.Random(derive_seed(model.seed, "consequences", index))
    fired = _Fired()
    for dp in DECISION_POINTS:
        rule = model.params.decisions.get(dp)
        for c in rule.consequences if rule else ():
            u, days, pick = rnd.random(), _days(model, rnd, c), rnd.random()
            if right[dp] or not conditions[c.when] or u >= c.probability:
                continue
            if c.kind == "leaves":
                if dp == DECISION_POINTS[0]:
                    fired.leaves_before_intake = True
                else:
                    fired.leaves_after_interview = True
            elif c.kind == "delay":
                fired.delays[c.of] = fired.delays.get(c.of, 0.0) + days
            elif c.kind == "service_missed":
                fired.service_missed = pick
            else:
                setattr(fired, c.kind, True)
    return fired


def _days(model: _Model, rnd: random.Random, c: Consequence) -> float:
    return model._draw(rnd, c.days) if c.days is not None else 0.0


def simulate(
    prepared: list[Prepared],
    library: Library,
    params: ProvinceParameters,
    calendar: WorkCalendar,
    *,
    start: date,
    horizon_days: float,
    trained: float,
    seed: int,
    units: dict[str, int],
) -> Run:
    """Run one replication: every prepared arrival through the network until all work is done.

    Parameters
    ----------
    prepared : list of Prepared
        Arrivals with their assessments under ``library`` (``prepare``).
    library : Library
        The law and agencies the cases were assessed under (referral paths, deadlines, agency levels).
    params : ProvinceParameters
        Capacities, times, decision qualities and consequences.
    calendar : WorkCalendar
        Working days and holidays.
    start : date
        Day 0 of the model's clock.
    horizon_days : float
        Length of the study period (arrivals fall in it; work goes on after it until done).
    trained : float
        Share of communes whose officer is trained (0 to 1).
    seed : int
        Keyword-only; the replication's seed (officers, decisions, consequences, times).
    units : dict
        Number of communes and districts (capacities given per commune or per district are multiplied by them).

    Returns
    -------
    Run
        Outcomes in arrival order, the agencies with their books closed, and the window observed.

    Examples
    --------
    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> from sim.province.calendar import packaged_calendar
    >>> from sim.province.parameters import read_parameters
    >>> run = simulate([], packaged_library(), read_parameters(), packaged_calendar(), start=date(2026, 1, 1),
    ...                horizon_days=365, trained=0.6, seed=1, units={"commune": 45})
    >>> run.outcomes, run.window_days
    ([], 365)
    """
    months = study_months(start, horizon_days)
    bounds = tuple(m[1] for m in months) + ((months[-1][2],) if months else ())
    model = _Model(
        library, params, calendar.clock(start), start=start, trained=trained, seed=seed, units=units, months=bounds
    )
    with paused_cycle_collection():
        processes = [model.env.process(model.person(p)) for p in prepared]
        model.env.run()
    window = max(horizon_days, model.env.now)
    for agency in model.agencies.values():
        agency.finish(window)
    return Run([p.value for p in processes], dict(sorted(model.agencies.items())), horizon_days, window, months)


def follow(
    prepared: Prepared,
    library: Library,
    params: ProvinceParameters,
    calendar: WorkCalendar,
    *,
    right: dict[str, bool],
    seed: int,
    units: dict[str, int],
) -> Outcome:
    """One person through an otherwise idle network, with the officer's decisions given (right or not per decision
    point): what happened next to a trainee's case. The same ``seed`` gives the same draws whatever ``right`` is,
    so two calls differ only by the decisions.

    >>> from datetime import date
    >>> from sim.library import packaged_library
    >>> from sim.province.arrivals import draw_arrivals
    >>> from sim.province.calendar import packaged_calendar
    >>> from sim.province.parameters import read_parameters
    >>> lib, params = packaged_library(), read_parameters()
    >>> arrival = draw_arrivals(lib, params, start=date(2026, 3, 2), years=1, returns=1, seed=3)[0]
    >>> right = dict.fromkeys(DECISION_POINTS, True)
    >>> out = follow(prepare([arrival], lib)[0], lib, params, packaged_calendar(), right=right, seed=1, units={})
    >>> out.left, out.wrong
    (False, ())
    """
    start = date(prepared.arrival.day.year, 1, 1)
    model = _Model(library, params, calendar.clock(start), start=start, trained=1.0, seed=seed, units=units)
    model.decided = {dp: bool(right.get(dp, True)) for dp in DECISION_POINTS}
    process = model.env.process(model.person(prepared))
    model.env.run()
    return process.value
