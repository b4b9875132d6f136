"""The province model's parameters (``sim/data/province.yaml``): every number with its ``source`` or ``status: assumption``.

Read through the one parsing boundary (pydantic, ``extra="forbid"``); ``check_parameters`` cross-checks the ids
against a library (agencies, services, decision points), so a typo is reported with "did you mean".

>>> params = read_parameters()
>>> params.officers.trained.by_decision_point["D4"] > params.officers.untrained.by_decision_point["D4"]
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from sim.errors import Problem, did_you_mean
from sim.law.decision_points import DECISION_POINTS, DecisionPoint
from sim.law.primitives import Strict
from sim.locations import PACKAGED_DATA
from sim.parsing import load

if TYPE_CHECKING:
    from sim.library import Library

Duration = float | tuple[float, float]  # fixed, or uniform between the two (days)
Level = Literal["commune", "local", "district", "province", "central"]
ConsequenceKind = Literal[
    "leaves",
    "delay",
    "extra_verification",
    "screened_out",
    "service_missed",
    "protection_missed",
    "child_duty_missed",
]
Condition = Literal[
    "always",
    "verification_needed",
    "holds_lawful_document",
    "claim",
    "no_claim",
    "protection_indicated",
    "child_duties_apply",
]
Delayed = Literal["intake", "notification", "verification_request", "immediate_support"]


class Sourced(Strict):
    """Where a number comes from: a ``source`` (a text, a statistic) or ``status: assumption`` (a modelling choice)."""

    source: str | None = None
    status: Literal["assumption"] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_provenance(self) -> Sourced:
        if (self.source is None) == (self.status is None):
            raise ValueError("give either source: … or status: assumption (exactly one)")
        return self

    @property
    def provenance(self) -> str:
        """``assumption`` or the source, for reports and docs."""
        return self.source if self.source is not None else "assumption"


class MonthWeights(Sourced):
    """Relative weights of the twelve calendar months (January first) for the arrival dates."""

    weights: list[float] = Field(min_length=12, max_length=12)


class Arrivals(Strict):
    """How arrivals are spread over a year (the count per year is the study's ``returns``)."""

    months: MonthWeights


class Quality(Sourced):
    """The chance an officer's decision is right at each decision point."""

    by_decision_point: dict[DecisionPoint, float]

    @model_validator(mode="after")
    def _every_point(self) -> Quality:
        missing = [dp for dp in DECISION_POINTS if dp not in self.by_decision_point]
        if missing:
            raise ValueError(f"no quality for {', '.join(missing)}")
        if any(not 0 <= q <= 1 for q in self.by_decision_point.values()):
            raise ValueError("a quality is a probability from 0 to 1")
        return self


class Officers(Strict):
    """Decision quality of a trained and an untrained commune officer."""

    trained: Quality
    untrained: Quality


class Consequence(Sourced):
    """What a wrong decision leads to, with the chance it does so, when the case's condition ``when`` holds."""

    kind: ConsequenceKind
    probability: float = Field(ge=0, le=1)
    when: Condition = "always"
    of: Delayed | None = None  # for kind: delay
    days: Duration | None = None  # working days, for kind: delay

    @model_validator(mode="after")
    def _delay_has_what_and_days(self) -> Consequence:
        if self.kind == "delay" and (self.of is None or self.days is None):
            raise ValueError("a delay needs `of` (what is delayed) and `days` (working days)")
        return self


class DecisionRule(Strict):
    """The consequences of a wrong decision at one decision point (none: no effect in the model)."""

    consequences: list[Consequence] = Field(default_factory=list)


class AgencyParameters(Sourced):
    """An agency as a resource: concurrent cases (``capacity`` per unit), and its times.

    ``per``: the capacity is per commune, per district or for the province (pooled: a case is served by any unit).
    ``services``: working days to do a service it provides (or passes on, when it is not the path's last agency);
    ``handover_days``: working days to pass on any other service; ``default_days``: to provide any other;
    ``stays``: calendar days a service occupies a place (a shelter bed).
    """

    capacity: int = Field(ge=1)
    per: Literal["commune", "district", "province"] = "province"
    handover_days: Duration = 0.5
    default_days: Duration = 1.0
    services: dict[str, Duration] = Field(default_factory=dict)
    stays: dict[str, Duration] = Field(default_factory=dict)


class Travel(Sourced):
    """Calendar days a person travels to an agency of each level, plus extra for the island district(s)."""

    days: dict[Level, Duration]
    island_districts: dict[str, Duration] = Field(default_factory=dict)
    person_travels_for: list[str]


class Times(Sourced):
    """Working days the commune takes for intake, and the verification deadline used where the law's is unconfirmed."""

    intake_days: Duration
    unconfirmed_verification_deadline_days: int = Field(ge=1)


class Costs(Sourced):
    """Which ``money.yaml`` amount costs each received support under each regime (regime → support → amount id),
    and the days or months a per-day or per-month amount is paid (amount id → number)."""

    amounts: dict[Literal["A", "B"], dict[str, str]]
    units: dict[str, float] = Field(default_factory=dict)


class ProvinceParameters(Strict):
    """The ``province.yaml`` document."""

    schema_version: Literal[1]
    version: str
    arrivals: Arrivals
    officers: Officers
    decisions: dict[DecisionPoint, DecisionRule]
    default_agency: AgencyParameters
    agencies: dict[str, AgencyParameters]
    travel: Travel
    times: Times
    costs: Costs | None = None  # none: no support is costed

    def agency(self, agency_id: str) -> AgencyParameters:
        """The parameters of an agency, or the default ones.

        >>> read_parameters().agency("provincial_police").capacity >= 1
        True
        """
        return self.agencies.get(agency_id, self.default_agency)

    def with_capacity(self, factor: float) -> ProvinceParameters:
        """The same parameters with every capacity multiplied by ``factor`` (at least 1): a "what if" study.

        >>> p = read_parameters()
        >>> p.with_capacity(2).agency("provincial_police").capacity == 2 * p.agency("provincial_police").capacity
        True
        """

        def scaled(a: AgencyParameters) -> AgencyParameters:
            return a.model_copy(update={"capacity": max(1, round(a.capacity * factor))})

        return self.model_copy(
            update={
                "default_agency": scaled(self.default_agency),
                "agencies": {k: scaled(a) for k, a in self.agencies.items()},
            }
        )


def read_parameters(path: str | Path = PACKAGED_DATA / "province.yaml") -> ProvinceParameters:
    """Read and validate a parameters file; every problem is reported at once as ``file:line:col field: message``.

    >>> read_parameters().schema_version
    1
    """
    return load(ProvinceParameters, path)


def check_parameters(params: ProvinceParameters, library: Library) -> list[Problem]:
    """Ids the parameters use that the library must know: agencies and services.

    >>> from sim.library import packaged_library
    >>> check_parameters(read_parameters(), packaged_library())
    []
    """
    problems = []
    agencies = library.agencies.agencies
    services = {s for a in agencies.values() for regime in a.services.values() for s in regime}
    for agency_id, agency in params.agencies.items():
        if agency_id not in agencies:
            problems.append(
                Problem(
                    "province.yaml", None, None, f"agencies.{agency_id}", "unknown agency", _hint(agency_id, agencies)
                )
            )
        for kind in ("services", "stays"):
            for service in getattr(agency, kind):
                if service not in services:
                    problems.append(
                        Problem(
                            "province.yaml",
                            None,
                            None,
                            f"agencies.{agency_id}.{kind}.{service}",
                            "unknown service",
                            _hint(service, services),
                        )
                    )
    problems += _money_problems(params, library)
    for service in params.travel.person_travels_for:
        if service not in services:
            problems.append(
                Problem("province.yaml", None, None, "travel.person_travels_for", f"unknown service {service!r}", "")
            )
    return problems


def _money_problems(params: ProvinceParameters, library: Library) -> list[Problem]:
    """The ``costs`` group against ``money.yaml``: known amounts, of the regime and support they cost, with the
    days or months of a per-day or per-month amount."""
    if params.costs is None:
        return []
    money = {m.id: m for m in library.rulebook.money}
    problems = []

    def problem(where: str, message: str, hint: str = "") -> None:
        problems.append(Problem("province.yaml", None, None, where, message, hint))

    for regime, by_support in params.costs.amounts.items():
        for support, amount_id in by_support.items():
            where = f"costs.amounts.{regime}.{support}"
            m = money.get(amount_id)
            if m is None:
                problem(where, f"unknown money amount {amount_id!r}", _hint(amount_id, money))
            elif (m.regime, m.support) != (regime, support):
                problem(where, f"{amount_id!r} is an amount of {m.support} under regime {m.regime}")
            elif m.per != "once" and amount_id not in params.costs.units:
                problem(where, f"{amount_id!r} is paid per {m.per}: give costs.units.{amount_id} (how many)")
    for amount_id in params.costs.units:
        if amount_id not in money:
            problem(f"costs.units.{amount_id}", "unknown money amount", _hint(amount_id, money))
    return problems


def _hint(value: str, known: object) -> str:
    return did_you_mean(value, sorted(known))
