"""The rule engine: from a case's facts and its date, the ground truth with a trace of why.

Pure functions, no I/O: ``assess(case, library)`` returns an ``Assessment`` whose every
determination names the facts it used and the rules (with citations) it applied. Everything the
engine knows comes from the library it is handed (rulebook, needs, referral graphs); derived values
are memoised on that library, so two libraries never share answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sim.cases.case import Case, Person
from sim.law.citations import Citation, in_force_on
from sim.law.decision_points import DecisionPoint
from sim.law.needs import Need
from sim.law.primitives import Bilingual, Status, add_months
from sim.law.rulebook import RegimeRules

if TYPE_CHECKING:
    from sim.library import Library

ASSESSMENT_SCHEMA_VERSION = 1


# The engine's output is produced, never parsed: plain frozen dataclasses (cheap to build).
@dataclass(frozen=True, slots=True)
class RuleUse:
    """One rule applied: which part of the rulebook, its status and its legal basis."""

    rule: str
    status: Status
    basis: list[Citation]
    plain: Bilingual | None = None  # what the rule requires, in one sentence (rulebook ``plain``)


@dataclass(frozen=True, slots=True)
class Determination:
    """One piece of ground truth with its trace."""

    id: str
    decision_point: DecisionPoint
    value: dict[str, Any]
    facts: list[tuple[str, Any]]  # (fact, value), rendered only when shown
    rules: list[RuleUse]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The ground truth of one case: its determinations by id, and the critical errors it puts at risk.

    ``regime`` and ``rulebook`` (the rulebook's version) say which law it was judged by.
    """

    case_id: str
    regime: Literal["A", "B"]
    rulebook: str
    determinations: dict[str, Determination]
    critical_errors_at_risk: list[str]
    schema_version: int = ASSESSMENT_SCHEMA_VERSION

    def value(self, key: str) -> dict[str, Any]:
        """The value of the determination ``key`` (e.g. ``"verification"``), without its trace.

        >>> from sim.library import packaged_library
        >>> from sim.cases.generator import generate_case
        >>> lib = packaged_library()
        >>> a = assess(generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7), lib)
        >>> verification = a.value("verification")
        >>> verification["verifier"], verification["deadline"].label("en")
        ('district_police', 'within 20 days')
        """
        return self.determinations[key].value


def _memo(memo: dict, key: Any, build: Callable[[], Any]) -> Any:
    """The value memoised under ``key`` on the library, built on first use."""
    value = memo.get(key)
    if value is None:
        value = memo[key] = build()
    return value


class _Uses:
    """The rule uses of one day: each cites only the texts in force on that day, memoised on the library.

    Rulebook entries are immutable and live as long as the library, so ``id(entry)`` is a safe memo key.
    """

    def __init__(self, library: Library, day: date) -> None:
        self.memo, self.texts, self.day = library.cache, library.rulebook.texts, day

    def of(self, rule: str, cited: Any) -> RuleUse:
        """The use of a rulebook entry (anything with ``status`` and ``basis``)."""
        key = ("rule_use", rule, id(cited), self.day)
        use = self.memo.get(key)
        if use is None:
            use = self.memo[key] = self._build(rule, cited.status, cited.basis, getattr(cited, "plain", None))
        return use

    def basis(self, rule: str, status: Status, basis: list[Citation], plain: Bilingual | None = None) -> RuleUse:
        """A use with an explicit status and basis (e.g. a critical error's, or the commune's lack of power)."""
        key = ("rule_use", rule, id(basis), self.day)
        use = self.memo.get(key)
        if use is None:
            use = self.memo[key] = self._build(rule, status, basis, plain)
        return use

    def _build(self, rule: str, status: Status, basis: list[Citation], plain: Bilingual | None) -> RuleUse:
        return RuleUse(rule=rule, status=status, basis=list(in_force_on(basis, self.texts, self.day)), plain=plain)


def age_when_trafficked(person: Person, months_away: int, age_at_start: int | None = None) -> int:
    """The person's age when the trafficking began (the under-18 rule looks at this age).

    The case's ``truth.age_at_start`` when known; otherwise estimated from the age now and the months away.

    >>> from sim.cases.case import Person
    >>> p = Person(id="p", role="primary", full_name="A", family_name="A", given_name="A", sex="female", age=19)
    >>> age_when_trafficked(p, 18), age_when_trafficked(p, 18, age_at_start=16)
    (17, 16)
    """
    if age_at_start is not None:
        return age_at_start
    return max(0, person.age - (months_away + 11) // 12)


def child_duties_apply(case: Case) -> bool:
    """Whether the child duties (D9) apply: someone in the case is under 18.

    >>> from sim.library import packaged_library
    >>> from sim.cases.generator import generate_case
    >>> lib = packaged_library()
    >>> child_duties_apply(generate_case(lib.catalog.scenario("child-at-risk-2026"), lib, seed=1))
    True
    """
    return any(p.age < 18 for p in case.persons)


def assess(case: Case, library: Library) -> Assessment:
    """Derive the ground truth of ``case`` under the rulebook in force on its date.

    Parameters
    ----------
    case : Case
        The facts: persons, documents, what really happened (``truth``) and the date.
    library : Library
        The law and data to judge by: its rulebook decides the regime and every rule used.

    Returns
    -------
    Assessment
        One ``Determination`` per piece of ground truth, each with the facts and rules behind it.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.cases.generator import generate_case
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> a = assess(case, lib)
    >>> a.regime, a.value("notification")["agencies"]
    ('A', ['district_labour_office'])
    """
    rulebook = library.rulebook
    rules = library.rules_on(case.date)
    memo = library.cache
    uses = _Uses(library, case.date)
    found: dict[str, Determination] = {}

    def add(d: Determination) -> None:
        found[d.id] = d

    add(
        Determination(
            id="regime",
            decision_point="D4",
            value={"regime": rules.regime, "rulebook": rules.id, "version": rules.version},
            facts=[("date", case.date.isoformat())],
            rules=[uses.basis(f"{rules.id}.effective", "confirmed", rules.notification[0].basis)],
        )
    )
    add(
        Determination(
            id="receive",
            decision_point="D1",
            value={"receive": True},
            facts=[("entry_route", case.entry_route)],
            rules=[
                uses.basis(f"critical_errors.{code}", "confirmed", rulebook.critical_errors[code].basis)
                for code in rulebook.errors_flagged_by("refused_intake")
            ],
        )
    )
    signs = _signs(case, rules, uses)
    add(signs)
    documents = _documents(case, rules, uses)
    add(documents)
    holds_lawful = bool(documents.value["lawful"])
    claim = signs.value["claim"]
    add(_verification(case, rules, holds_lawful, claim, uses))
    add(_notification(rules, uses))
    add(_intake(case, rules, uses))
    groups = {p.id: _group(p, holds_lawful, claim) for p in case.persons}
    entitlements = _entitlements(case, rules, groups, claim, uses)
    add(entitlements)
    add(_immediate_support(case, rules, entitlements.value, library.needs, uses))
    add(_protection(case, rules, uses))
    add(_confidentiality(case, rules, uses))
    add(_children(case, rules, uses))
    add(_referral(case, rules, entitlements.value, claim or holds_lawful, found, library, uses))
    return Assessment(
        case_id=case.case_id,
        regime=rules.regime,
        rulebook=_memo(memo, "rulebook_version", lambda: rulebook.version),
        determinations=found,
        critical_errors_at_risk=_errors_at_risk(case, found, library),
    )


def _signs(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    """D5: the acts, means and purposes on file, and whether they show signs of trafficking.

    An element that is unknown (``null``: not asked, not told) is never read as absent: when the known
    elements do not settle it, the signs are *undetermined*, neither indicated nor ruled out.
    """
    ident = rules.identification
    truth = case.truth
    unknown = [k for k in ("acts", "means", "purposes") if getattr(truth, k) is None]
    acts = [a for a in truth.acts or () if a in ident.acts]
    means = [m for m in truth.means or () if m in ident.means]
    purposes = [p for p in truth.purposes or () if p in ident.purposes]
    age = age_when_trafficked(case.primary, truth.months_away, truth.age_at_start)
    means_required = age >= ident.means_rule.required_from_age
    sufficient = [a for a in acts if a in ident.sufficient_acts.acts]
    by_elements = bool(acts) and bool(purposes) and (bool(means) or not means_required)
    indicated = by_elements or bool(sufficient)
    # Unknown elements could still complete the picture: acts or purposes unknown, or means when required.
    could_complete = (
        (bool(acts) or "acts" in unknown)
        and (bool(purposes) or "purposes" in unknown)
        and (bool(means) or not means_required or "means" in unknown)
    )
    undetermined = not indicated and bool(unknown) and could_complete
    facts = [
        ("truth.acts", truth.acts),
        ("truth.means", truth.means),
        ("truth.purposes", truth.purposes),
        ("elements unknown (not asked, not told)", unknown),
        ("age when trafficked", age),
        ("age when trafficked is stated by the case (not estimated)", truth.age_at_start is not None),
        ("means required from age", ident.means_rule.required_from_age),
        ("acts that are signs on their own", sufficient),
    ]
    used = [uses.of("identification", ident), uses.of("identification.means_rule", ident.means_rule)]
    if sufficient and not by_elements:
        used.append(uses.of("identification.sufficient_acts", ident.sufficient_acts))
    return Determination(
        id="signs_of_trafficking",
        decision_point="D5",
        value={
            "acts": acts,
            "means": means,
            "purposes": purposes,
            "means_required": means_required,
            "sufficient_acts": sufficient,
            "indicated": indicated,
            "unknown": unknown,
            "undetermined": undetermined,
            # a claim to verify: signs shown, or not ruled out because the story is not on file
            "claim": indicated or undetermined,
        },
        facts=facts,
        rules=used,
    )


def _documents(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    lawful_rules = {d.document: d for d in rules.victim_documents.documents}
    lawful = [k for k in case.document_kinds if k in lawful_rules]
    other = [k for k in case.document_kinds if k not in lawful_rules]
    listed = rules.victim_documents
    used = [uses.of(f"victim_documents.{k}", lawful_rules[k]) for k in lawful]
    used.append(uses.basis("victim_documents.lawful", listed.status, listed.commune_basis, listed.plain))
    used.append(
        uses.basis("victim_documents.commune_may_certify", "confirmed", listed.commune_basis, listed.commune_plain)
    )
    return Determination(
        id="victim_documents",
        decision_point="D6",
        value={
            "lawful": lawful,
            "other": other,
            "commune_may_certify": rules.victim_documents.commune_may_certify,
            "own_statement_is_evidence": "own_statement" in rules.identification.evidence_sources.ids,
        },
        facts=[("documents carried", case.document_kinds)],
        rules=[
            *used,
            uses.of("identification.evidence_sources", rules.identification.evidence_sources),
        ],
    )


def _verification(case: Case, rules: RegimeRules, holds_lawful: bool, claim: bool, uses: _Uses) -> Determination:
    verifier = rules.verifier_on(case.date)
    partner = rules.partner_on(case.date)
    screened = not holds_lawful and not claim  # no claim of trafficking to verify
    return Determination(
        id="verification",
        decision_point="D6",
        value={
            "needed": not holds_lawful and claim,
            "screened_out": screened,
            "requested_by": rules.verification.requested_by,
            "verifier": verifier.agency,
            "deadline": verifier.deadline,
            "initial": {
                "agency": rules.initial_verification.agency,
                "partner": partner.agency,
                "deadline": rules.initial_verification.deadline,
            },
        },
        facts=[
            ("holds a lawful victim document", holds_lawful),
            ("signs indicated or not ruled out", claim),
            ("date", case.date.isoformat()),
        ],
        rules=[uses.of("screening", rules.screening)]
        if screened
        else [
            uses.of("verification.verifier", verifier),
            uses.of("initial_verification", rules.initial_verification),
            uses.of("initial_verification.partner", partner),
        ],
    )


def _notification(rules: RegimeRules, uses: _Uses) -> Determination:
    return Determination(
        id="notification",
        decision_point="D4",
        value={
            "agencies": [n.agency for n in rules.notification],
            "deadlines": {n.agency: n.deadline for n in rules.notification},
        },
        facts=[("the commune received the person", True)],
        rules=[uses.of(f"notification.{n.agency}", n) for n in rules.notification],
    )


def _intake(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    form = rules.intake.forms.abroad if case.returned_from_abroad else rules.intake.forms.domestic
    writes_for = [
        p.id
        for p in case.persons
        if (p.age < 18 and rules.intake.officer_writes_for_children)
        or (not p.can_write and rules.intake.officer_writes_for_unable_to_write)
    ]
    return Determination(
        id="intake",
        decision_point="D2",
        value={"form": form, "record": rules.intake.record, "officer_writes_for": writes_for},
        facts=[
            ("returned from abroad", case.returned_from_abroad),
            *((f"{p.id}.age, can_write", (p.age, p.can_write)) for p in case.persons),
        ],
        rules=[uses.of("intake", rules.intake)],
    )


def _group(person: Person, holds_lawful: bool, claim: bool) -> str:
    """V victim, F foreign victim, M accompanying under-18, W awaiting verification, S screened out (no signs).

    Without a victim document, a person (and the children with them) is awaiting verification only when
    there is a claim to verify (signs shown, or not ruled out because the story is not on file); a foreigner
    is a foreign *victim* (F) only with a document.
    """
    if not holds_lawful and not claim:
        return "S"
    if person.role == "accompanying_child":
        return "M"
    if person.nationality == "foreign" and holds_lawful:
        return "F"
    return "V" if holds_lawful else "W"


def _entitled(rules: RegimeRules, person: Person, group: str, memo: dict) -> list[str]:
    key = ("entitled", id(rules), group, person.age, person.household)
    found = memo.get(key)
    if found is None:
        found = memo[key] = [
            e.support
            for e in rules.entitlements
            if group in e.groups
            and (e.under_age is None or person.age < e.under_age)
            and (e.households is None or person.household in e.households)
        ]
    return list(found)


def _entitlement_uses(rules: RegimeRules, uses: _Uses, supports: tuple[str, ...] | None = None) -> list[RuleUse]:
    key = ("entitlement_uses", id(rules), supports, uses.day)
    found = uses.memo.get(key)
    if found is None:
        found = uses.memo[key] = [
            uses.of(f"entitlements.{e.support}", e)
            for e in rules.entitlements
            if supports is None or e.support in supports
        ]
    return found


def _entitlements(case: Case, rules: RegimeRules, groups: dict[str, str], claim: bool, uses: _Uses) -> Determination:
    value: dict[str, Any] = {}
    for person in case.persons:
        group = groups[person.id]
        victim_group = "F" if person.nationality == "foreign" else "V"
        identified_group = victim_group if group == "W" and claim else group
        value[person.id] = {
            "group": group,
            "now": _entitled(rules, person, group, uses.memo),
            "if_identified": _entitled(rules, person, identified_group, uses.memo) if claim or group != "W" else [],
        }
    used = _entitlement_uses(rules, uses)
    if groups[case.primary.id] == "S":  # why no victim support: cited first, so feedback names it
        used = [uses.of("screening", rules.screening), *used]
    facts = [
        (f"{p.id}.group, age, household, nationality", (groups[p.id], p.age, p.household, p.nationality))
        for p in case.persons
    ]
    return Determination(id="entitlements", decision_point="D3", value=value, facts=facts, rules=used)


def _immediate_support(
    case: Case, rules: RegimeRules, entitlements: dict[str, Any], needs: dict[str, Need], uses: _Uses
) -> Determination:
    primary = entitlements[case.primary.id]["now"]
    due = [
        n
        for n in case.truth.needs
        if n in needs and needs[n].immediate and (needs[n].always or needs[n].service in primary)
    ]
    not_due = [n for n in case.truth.needs if n in needs and needs[n].immediate and n not in due]
    return Determination(
        id="immediate_support",
        decision_point="D3",
        value={"provide": due, "not_entitled": not_due, "before_verification": True},
        facts=[("truth.needs", case.truth.needs), ("entitled now", primary)],
        rules=([uses.of("screening", rules.screening)] if entitlements[case.primary.id]["group"] == "S" else [])
        + _entitlement_uses(rules, uses, ("essential_needs", "travel", "medical", "interpretation")),
    )


def _protection(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    truth = case.truth
    measures = list(rules.protection.indicated_when_threats) if truth.threats or truth.trafficker_nearby else []
    if truth.trafficker_nearby:
        measures += [m for m in rules.protection.indicated_when_trafficker_nearby if m not in measures]
    indicated = bool(measures)
    return Determination(
        id="protection",
        decision_point="D7",
        value={
            "indicated": indicated,
            "measures": measures,
            "consent_required": True,
            "refusal_allowed": rules.protection.refusal_allowed,
            "record_refusal": indicated and truth.refuses_protection,
        },
        facts=[
            ("truth.threats", truth.threats),
            ("truth.trafficker_nearby", truth.trafficker_nearby),
            ("truth.refuses_protection", truth.refuses_protection),
        ],
        rules=[uses.of("protection", rules.protection)],
    )


def _confidentiality(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    truth = case.truth
    return Determination(
        id="confidentiality",
        decision_point="D8",
        value={
            "consent_required": rules.confidentiality.consent_required,
            "never_contact": ["suspected_trafficker"] + (["suspected_family"] if truth.family_suspected else []),
        },
        facts=[
            ("truth.family_suspected", truth.family_suspected),
            ("truth.trafficker_nearby", truth.trafficker_nearby),
        ],
        rules=[uses.of("confidentiality", rules.confidentiality)],
    )


def _children(case: Case, rules: RegimeRules, uses: _Uses) -> Determination:
    """D9: the duties towards the children in the case, how a child returns home, and the 12-hour emergency.

    A parent suspected of selling the child puts the child at serious risk: the child is separated from that
    parent (not escorted home to them) and the emergency duty applies, while a text imposing it is in force.
    """
    minors = [p.id for p in case.persons if p.age < 18]
    children = rules.children
    emergency = uses.of("children.emergency", children.emergency)
    separation = uses.of("children.separation", children.separation)
    # Both duties exist only while a text imposing them is in force (Decree 56/2017 from 1 Jul 2017).
    separate = bool(minors) and case.truth.parent_suspected and bool(separation.basis)
    at_risk = case.truth.child_at_risk
    emergency_due = bool(minors) and at_risk and bool(emergency.basis)
    duties: list[str] = []
    used = [uses.of("children", children)]
    if minors:
        for duty in children.duties:  # each is required while a text of it is in force
            use = uses.of(f"children.duties.{duty.duty}", duty)
            if use.basis and (duty.when == "always" or at_risk):
                duties.append(duty.duty)
                used.append(use)
        if separate:
            used.append(separation)
        # A child going home is escorted to the relatives, unless a parent there is suspected (separation).
        escort = uses.of("children.escort", children.escort)
        if case.primary.age < 18 and not separate and escort.basis:
            duties.append("escort_to_relatives")
            used.append(escort)
        if emergency_due:  # its own value, emergency_within_hours: not a duty the trainee ticks
            used.append(emergency)
    escorted = "escort_to_relatives" in duties
    return_home = "separate_from_parent" if separate else "escort" if escorted else "not_applicable"
    return Determination(
        id="child_duties",
        decision_point="D9",
        value={
            "applies": bool(minors),
            "children": minors,
            "duties": duties,
            "return_home": return_home,
            "escort_by": children.escort.by if minors else None,
            "emergency_within_hours": children.emergency.hours if emergency_due else None,
        },
        facts=[
            ("ages", [p.age for p in case.persons]),
            ("truth.child_at_serious_risk", case.truth.child_at_serious_risk),
            ("truth.parent_suspected", case.truth.parent_suspected),
            ("emergency-intervention rule in force on the case date", bool(emergency.basis)),
        ],
        rules=used,
    )


def _referral(
    case: Case,
    rules: RegimeRules,
    entitlements: dict[str, Any],
    victim_or_claim: bool,
    found: dict[str, Determination],
    library: Library,
    uses: _Uses,
) -> Determination:
    """D10: the services to refer to and the agencies on their paths in the graph of the case date.

    Supports given only on application (education, vocational training, the hardship allowance) are not
    referred when the person does not ask for support, or when the window to apply after certification
    has closed.
    """
    needs = library.needs
    # A stay is wished for, needed (no home), or the child is separated from a suspected parent (a safe place).
    separated = found["child_duties"].value["return_home"] == "separate_from_parent"
    stays = bool(case.truth.wishes_shelter or not case.truth.has_home or separated)  # published: scoring reads it
    available = set()
    for person_value in entitlements.values():
        available |= set(person_value["now"]) | set(person_value["if_identified"])
    services: list[str] = []
    for need in case.truth.needs:
        if need not in needs:
            continue
        service = needs[need].service
        if service == "shelter":
            if stays:
                services.append(service)
        elif needs[need].always or service in available:
            services.append(service)
    if found["verification"].value["needed"]:
        services.append("verification")
    if found["protection"].value["indicated"] and not case.truth.refuses_protection:
        services.append("protection")
    if found["child_duties"].value["applies"]:
        services.append("child_protection")
        if found["child_duties"].value["return_home"] == "escort":
            services.append("escort")
    if victim_or_claim:
        services.append("follow_up")
    window = _application_window(case, found["victim_documents"].value["lawful"], rules)
    if not case.truth.asks_for_support or not window.open:
        services = [s for s in services if s not in rules.reintegration.applies_to]
    if any(s in services for s in rules.reintegration.applies_to):
        services.append("support_decision")
    kept, routes, facility_only, agencies = _referral_plan(library, case.date, tuple(dict.fromkeys(services)), stays)
    services = list(kept)
    paths = {s: list(p) if p else None for s, p in routes}
    return Determination(
        id="referral",
        decision_point="D10",
        value={
            "services": services,
            "paths": paths,
            "stays": stays,
            "agencies": list(agencies),
            "reintegration": {
                "applies_to": rules.reintegration.applies_to,
                "apply_within_months": rules.reintegration.apply_within_months,
                "window_closes": window.closes,
                "window_open": window.open,
                "steps": [{"agency": s.agency, "deadline": s.deadline} for s in rules.reintegration.steps],
            },
        },
        facts=[
            ("truth.needs", case.truth.needs),
            ("only during a facility stay, not referred", list(facility_only)),
            ("truth.wishes_shelter", case.truth.wishes_shelter),
            ("truth.has_home", case.truth.has_home),
            ("a victim, or signs indicated or not ruled out", victim_or_claim),
            ("truth.asks_for_support", case.truth.asks_for_support),
            ("certified on, application window closes", (window.certified, window.closes)),
        ],
        rules=[uses.of("reintegration", rules.reintegration)],
    )


class ApplicationWindow(NamedTuple):
    """The window to apply for reintegration support: certified on, closes on (None: no limit), open on the case date."""

    certified: date | None
    closes: date | None
    open: bool


def _application_window(case: Case, lawful: list[str], rules: RegimeRules) -> ApplicationWindow:
    """When the window to apply for reintegration support closes: months after the earliest dated victim document.

    Open when no victim document carries an issue date, or the rulebook sets no time limit.
    """
    issued = [d.issued for d in case.observable.documents if d.kind in lawful and d.issued]
    months = rules.reintegration.apply_within_months
    certified = min(issued) if issued else None
    closes = add_months(certified, months) if certified and months else None
    return ApplicationWindow(certified, closes, closes is None or case.date <= closes)


def _referral_plan(
    library: Library, day: date, services: tuple[str, ...], stays: bool
) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...] | None], ...], tuple[str, ...], tuple[str, ...]]:
    """Services kept, their paths in the graph of ``day``, those left out, and the agencies reached; memoised."""
    key = ("referral_plan", library.graph_on(day), services, stays)
    plan = library.cache.get(key)
    if plan is None:
        paths = {s: library.service_path_on(day, s) for s in services}
        shelters = library.providers(library.rules_on(day).regime, "shelter")
        # A service reachable only through a shelter facility is delivered during a stay there: without the
        # person's wish to stay (or no home) it is not referred, since placement must not be forced (E13).
        facility_only = tuple(s for s, p in paths.items() if p and s != "shelter" and p[-1] in shelters and not stays)
        kept = tuple(s for s in services if s not in facility_only)
        agencies = tuple(sorted({a for s in kept if (p := paths[s]) for a in p} - {"commune_pc"}))
        plan = library.cache[key] = (kept, tuple((s, paths[s]) for s in kept), facility_only, agencies)
    return plan


# The conditions ``at_risk_when`` in critical-errors.yaml names: each asks the case and its ground truth.
RISK_CONDITIONS: dict[str, Callable[[Case, dict[str, Determination]], bool]] = {
    "always": lambda case, found: True,
    "immediate_support_due": lambda case, found: bool(found["immediate_support"].value["provide"]),
    "verification_needed": lambda case, found: found["verification"].value["needed"],
    "signs_indicated": lambda case, found: found["signs_of_trafficking"].value["indicated"],
    "no_signs": lambda case, found: not found["signs_of_trafficking"].value["claim"],
    "child_duties_apply": lambda case, found: found["child_duties"].value["applies"],
    "child_at_serious_risk": lambda case, found: found["child_duties"].value["emergency_within_hours"] is not None,
    "protection_indicated": lambda case, found: found["protection"].value["indicated"],
    "declines_shelter": lambda case, found: case.truth.wishes_shelter is False and "shelter" in case.truth.needs,
    "suspects_close": lambda case, found: case.truth.family_suspected or case.truth.trafficker_nearby,
    "foreign_or_not_poor": lambda case, found: (
        case.primary.nationality == "foreign" or case.primary.household != "poor"
    ),
    "reintegration_support_referred": lambda case, found: any(
        s in found["referral"].value["services"] for s in found["referral"].value["reintegration"]["applies_to"]
    ),
}


def _errors_at_risk(case: Case, found: dict[str, Determination], library: Library) -> list[str]:
    """The critical errors this case gives a trainee the chance to make, in order E01, E02, …"""
    plan = library.cache.get("risk_plan")
    if plan is None:  # per condition, the errors it puts at risk; evaluated once per case
        errors = library.rulebook.critical_errors
        order = sorted(errors, key=lambda c: int(c[1:]))
        by_condition: dict[str, list[str]] = {}
        for code in order:
            for condition in errors[code].at_risk_when:
                by_condition.setdefault(condition, []).append(code)
        plan = library.cache["risk_plan"] = (
            tuple((RISK_CONDITIONS[c], frozenset(codes)) for c, codes in by_condition.items()),
            {code: i for i, code in enumerate(order)},
        )
    conditions, rank = plan
    risky: set[str] = set()
    for holds, codes in conditions:
        if holds(case, found):
            risky |= codes
    # An error is at risk only while a text forbidding it is in force on the case date.
    return sorted(risky & library.critical_errors_on(case.date), key=rank.__getitem__)
