"""The legal rulebook as versioned data: one file per regime, with effective dates.

Code never branches on the regime: it asks the rulebook in force on a date.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> book = packaged_library().rulebook
>>> book.for_date(date(2016, 5, 1)).regime, book.for_date(date(2025, 7, 1)).regime
('A', 'B')
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Literal

from pydantic import Field

from sim.errors import DataError, Problem, SimError
from sim.law.citations import Basis, Citation, Cited, LegalText
from sim.law.decision_points import DecisionPoint
from sim.law.primitives import Bilingual, Deadline, Regime, Status, Strict
from sim.parsing import SourceDoc, read_document, unknown_id_problem, validate

VOCABULARY_KINDS = (
    "acts",
    "means",
    "purposes",
    "person_groups",
    "supports",
    "services",
    "documents",
    "protection_measures",
    "intake_forms",
    "child_duties",
)


class Vocabulary(Strict):
    """The ``vocabulary.yaml`` document: the bilingual label of every id a rule may name, by kind."""

    schema_version: Literal[1]
    acts: dict[str, Bilingual]
    means: dict[str, Bilingual]
    purposes: dict[str, Bilingual]
    person_groups: dict[str, Bilingual]
    supports: dict[str, Bilingual]
    services: dict[str, Bilingual]
    documents: dict[str, Bilingual]
    protection_measures: dict[str, Bilingual]
    intake_forms: dict[str, Bilingual]
    child_duties: dict[str, Bilingual]

    def label(self, kind: str, key: str, lang: str = "vi") -> str:
        """The label of ``key`` among the ``kind`` ids (one of ``VOCABULARY_KINDS``) in ``lang``.

        >>> from sim.library import packaged_library
        >>> packaged_library().rulebook.vocabulary.label("supports", "legal_aid", "en")
        'legal aid'
        """
        return getattr(self, kind)[key].get(lang)


class TextsFile(Strict):
    """The ``texts.yaml`` document: the legal texts and other sources that citations name."""

    schema_version: Literal[1]
    texts: dict[str, LegalText]


class EvidenceSources(Strict):
    """Where evidence of victim status may come from, with its basis and status."""

    ids: list[str]
    basis: Basis
    status: Status


class MeansRule(Cited):
    """From what age (when the trafficking began) a means (force, deception, …) is needed for the signs."""

    required_from_age: int = Field(ge=0, le=21)


class SufficientActs(Cited):
    """Acts that are signs on their own, with no purpose or means (e.g. a sale for money, Decree 62 Art 5.1)."""

    acts: list[str]


class Identification(Cited):
    """The signs of trafficking: acts, means and purposes, and the age from which means are required."""

    acts: list[str]
    means: list[str]
    purposes: list[str]
    means_rule: MeansRule
    sufficient_acts: SufficientActs
    evidence_sources: EvidenceSources


class Screening(Cited):
    """A person with no victim document and no sign of trafficking: screened and referred to ordinary services."""


class VictimDocumentRule(Cited):
    """One document that lawfully proves victim status."""

    document: str


class VictimDocuments(Strict):
    """The documents that prove victim status, and whether the commune may certify it itself."""

    commune_may_certify: bool
    commune_basis: Basis  # the article listing the documents (none of them the commune's)
    status: Status  # of that list
    plain: Bilingual  # which documents prove status, in one sentence
    commune_plain: Bilingual  # that the commune neither certifies nor decides status
    documents: list[VictimDocumentRule]


class IntakeForms(Strict):
    """The declaration form for a person returned from within the country and from abroad."""

    domestic: str
    abroad: str


class Intake(Cited):
    """How the commune receives a person: the forms, the record, and when the officer writes for them."""

    forms: IntakeForms
    record: str
    officer_writes_for_children: bool
    officer_writes_for_unable_to_write: bool


class Notification(Cited):
    """An agency the commune must notify of a received person, and how soon."""

    agency: str
    deadline: Deadline


class DatedDuty(Cited):
    """An agency holding a duty between two dates (``from`` and ``until``, both optional and included)."""

    agency: str
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None

    def applies_on(self, day: date) -> bool:
        """Whether the agency held the duty on ``day`` (``from`` and ``until`` both included).

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> district = packaged_library().rulebook.for_regime("A").verification.verifiers[0]
        >>> district.agency, district.applies_on(date(2025, 2, 28)), district.applies_on(date(2025, 3, 1))
        ('district_police', True, False)
        """
        return (self.from_ is None or day >= self.from_) and (self.until is None or day <= self.until)


class InitialVerification(Cited):
    """The first check of a person's account: the agency, its partners over time and the deadline."""

    agency: str
    partners: list[DatedDuty] = Field(min_length=1)
    deadline: Deadline


class Verifier(DatedDuty):
    """The agency that verifies victim status, with its deadline and the dates it held the duty."""

    deadline: Deadline


class Verification(Strict):
    """Who requests verification of victim status, when, and the verifiers over time."""

    requested_by: str
    request_when: str
    verifiers: list[Verifier]


class Entitlement(Cited):
    """A support and who is entitled to it, by group, age and household.

    Groups: ``V`` a victim with a lawful document, ``F`` a foreigner, ``M`` an accompanying child,
    ``W`` a person awaiting verification.
    """

    support: str
    groups: list[Literal["V", "F", "M", "W", "S"]]
    under_age: int | None = None
    households: list[Literal["poor", "near_poor", "not_poor", "unknown"]] | None = None
    detail: Bilingual | None = None
    condition: Bilingual | None = None


class Protection(Cited):
    """The protection measures, which of them threats or a trafficker nearby call for, and refusal."""

    measures: list[str]
    indicated_when_threats: list[str]
    indicated_when_trafficker_nearby: list[str]
    refusal_allowed: bool


class Confidentiality(Cited):
    """Whether sharing a person's information requires their consent."""

    consent_required: bool


class ChildEscort(Cited):
    """Who escorts an unaccompanied child to the relatives."""

    by: str


class ChildEmergency(Cited):
    """The emergency intervention for a child at serious risk, and within how many hours."""

    hours: int = Field(gt=0)


class ChildDuty(Cited):
    """One duty towards a child, with its own basis: required while a text of it is in force (``when``: in
    every child case, or only for a child at serious risk)."""

    duty: str
    when: Literal["always", "at_risk"] = "always"


class Children(Cited):
    """The duties towards children: who escorts them, the emergency intervention, and separation from a
    parent suspected of selling the child, each with its own basis."""

    duties: list[ChildDuty]  # escorting the child home is the ``escort`` rule's duty
    escort: ChildEscort
    emergency: ChildEmergency
    separation: Cited


class ReintegrationStep(Cited):
    """One step of deciding a reintegration support: the agency, its deadline, its description."""

    agency: str
    deadline: Deadline
    vi: str
    en: str


class Reintegration(Cited):
    """The reintegration supports that need an application, its time limit, form and steps."""

    applies_to: list[str]
    apply_within_months: int | None
    form: Bilingual
    steps: list[ReintegrationStep]


class Amount(Cited):
    """A cited number (e.g. the maximum days of essential-needs support)."""

    amount: int


class RegimeRules(Strict):
    """One regime's rulebook file."""

    schema_version: Literal[1]
    id: str
    regime: Regime
    version: str
    title: Bilingual
    effective_from: date
    effective_to: date | None = None
    law: str  # text id of the law in force (texts.yaml), named to the trainee beside the case date
    identification: Identification
    screening: Screening
    victim_documents: VictimDocuments
    intake: Intake
    notification: list[Notification]
    initial_verification: InitialVerification
    verification: Verification
    entitlements: list[Entitlement]
    protection: Protection
    confidentiality: Confidentiality
    children: Children
    reintegration: Reintegration
    essential_needs_max_days: Amount

    def in_force_on(self, day: date) -> bool:
        """Whether this regime governs ``day`` (``effective_from`` and ``effective_to`` both included).

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> a = packaged_library().rulebook.for_regime("A")
        >>> a.in_force_on(date(2025, 6, 30)), a.in_force_on(date(2025, 7, 1))
        (True, False)
        """
        return day >= self.effective_from and (self.effective_to is None or day <= self.effective_to)

    def verifier_on(self, day: date) -> Verifier:
        """The verifier that held the duty on ``day``.

        Raises
        ------
        SimError
            When no verifier's ``from``/``until`` dates cover ``day``.

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> a = packaged_library().rulebook.for_regime("A")
        >>> a.verifier_on(date(2025, 2, 28)).agency, a.verifier_on(date(2025, 3, 1)).agency
        ('district_police', 'provincial_police')
        """
        return self._holder_on(self.verification.verifiers, day, "verifier")

    def partner_on(self, day: date) -> DatedDuty:
        """The initial verification's partner on ``day`` (district police until 28 Feb 2025 under Regime A).

        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> a = packaged_library().rulebook.for_regime("A")
        >>> a.partner_on(date(2025, 2, 28)).agency, a.partner_on(date(2025, 3, 1)).agency
        ('district_police', 'provincial_police')
        """
        return self._holder_on(self.initial_verification.partners, day, "initial-verification partner")

    def _holder_on(self, duties: list[DatedDuty], day: date, what: str) -> DatedDuty:
        """The dated duty (verifier, partner) that applies on ``day``; a clear error when none does."""
        for duty in duties:
            if duty.applies_on(day):
                return duty
        raise SimError(f"{self.id}: no {what} applies on {day.isoformat()} (check the from/until dates)")


RiskCondition = Literal[
    "always",
    "immediate_support_due",
    "verification_needed",
    "signs_indicated",
    "no_signs",
    "child_duties_apply",
    "child_at_serious_risk",
    "protection_indicated",
    "declines_shelter",
    "suspects_close",
    "foreign_or_not_poor",
    "reintegration_support_referred",
]


class CriticalError(Strict):
    """A critical error: what it is, its basis, when a case puts it at risk and which findings make it."""

    decision_point: DecisionPoint
    kind: Literal["L", "P"]
    caps_score: bool
    at_risk_when: list[RiskCondition]
    flagged_when: list[str]
    vi: str
    en: str
    plain: Bilingual  # what the law requires instead, in one sentence
    basis: Basis


class CriticalErrorsFile(Strict):
    """The ``critical-errors.yaml`` document: critical errors by code (``E01``, ``E02``, …)."""

    schema_version: Literal[1]
    errors: dict[str, CriticalError]


class MoneyAmount(Strict):
    """A money amount of ``money.yaml`` with its source and status (only a confirmed one is law)."""

    id: str
    regime: Regime
    support: str
    vnd: int | None
    per: Literal["day", "once", "month"]
    status: Literal["confirmed", "draft", "provincial_example", "unconfirmed"]
    province: str | None = None
    vi: str
    en: str
    basis: Basis
    note: str = ""

    @property
    def is_law(self) -> bool:
        """Only a confirmed amount may be presented as law."""
        return self.status == "confirmed"


class MoneyFile(Strict):
    """The ``money.yaml`` document."""

    schema_version: Literal[1]
    amounts: list[MoneyAmount]


class Rulebook:
    """All regimes plus the shared vocabulary, texts, critical errors and money amounts."""

    def __init__(
        self,
        regimes: list[RegimeRules],
        vocabulary: Vocabulary,
        texts: dict[str, LegalText],
        critical_errors: dict[str, CriticalError],
        money: list[MoneyAmount],
    ):
        self.regimes = sorted(regimes, key=lambda r: r.effective_from)
        self.vocabulary, self.texts = vocabulary, texts
        self.critical_errors, self.money = critical_errors, money
        self._flagged_by: dict[str, list[str]] = {}
        for code, error in sorted(critical_errors.items(), key=lambda kv: int(kv[0][1:])):
            for trigger in error.flagged_when:
                self._flagged_by.setdefault(trigger, []).append(code)

    def errors_flagged_by(self, finding: str) -> list[str]:
        """The critical errors a scorer's finding makes (``flagged_when`` in ``critical-errors.yaml``).

        >>> from sim.library import packaged_library
        >>> packaged_library().rulebook.errors_flagged_by("refused_intake")
        ['E01']
        """
        if finding not in self._flagged_by:
            raise SimError(
                f"no critical error is flagged when {finding!r} (add it to flagged_when in critical-errors.yaml)"
            )
        return self._flagged_by[finding]

    @property
    def version(self) -> str:
        """One string naming every regime file's version, stored with each attempt."""
        return "+".join(f"{r.id}@{r.version}" for r in self.regimes)

    def for_date(self, day: date) -> RegimeRules:
        """The regime in force on ``day``.

        Raises
        ------
        SimError
            When no regime is in force on ``day``.

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> book = packaged_library().rulebook
        >>> book.for_date(date(2025, 6, 30)).id, book.for_date(date(2025, 7, 1)).id
        ('regime-a', 'regime-b')
        """
        for regime in self.regimes:
            if regime.in_force_on(day):
                return regime
        first = self.regimes[0].effective_from.isoformat()
        raise SimError(
            f"no rulebook is in force on {day.isoformat()} (the first regime starts {first}; pick a later date)"
        )

    def with_regime(self, rules: RegimeRules) -> Rulebook:
        """A new rulebook in which ``rules`` replaces the regime of the same id (for "what if" studies).

        >>> from sim.library import packaged_library
        >>> book = packaged_library().rulebook
        >>> a = book.for_regime("A")
        >>> changed = book.with_regime(a.model_copy(update={"version": "what-if"}))
        >>> changed.for_regime("A").version, book.for_regime("A").version != "what-if"
        ('what-if', True)
        """
        if rules.id not in {r.id for r in self.regimes}:
            raise SimError(f"no regime {rules.id!r} to replace (known: {', '.join(r.id for r in self.regimes)})")
        regimes = [rules if r.id == rules.id else r for r in self.regimes]
        return Rulebook(regimes, self.vocabulary, self.texts, self.critical_errors, self.money)

    def for_regime(self, regime: str) -> RegimeRules:
        """The rules of a regime by its letter.

        Raises
        ------
        SimError
            For a regime other than those of the rulebook.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> b = packaged_library().rulebook.for_regime("B")
        >>> b.id, b.effective_from.isoformat(), b.effective_to
        ('regime-b', '2025-07-01', None)
        """
        for rules in self.regimes:
            if rules.regime == regime:
                return rules
        raise SimError(f"unknown regime {regime!r} (use A or B)")

    def cite(self, citations: list[Citation], lang: str = "vi") -> str:
        """Citations rendered in ``lang``, each once (in order), joined with ``"; "``.

        >>> from sim.library import packaged_library
        >>> book = packaged_library().rulebook
        >>> book.cite(book.for_regime("A").notification[0].basis, "en")
        'clause 3, Article 24 of the Law on Human Trafficking Prevention and Combat No. 66/2011/QH12'
        """
        return "; ".join(dict.fromkeys(c.render(self.texts, lang) for c in citations))

    def amounts_for(self, regime: str, support: str) -> list[MoneyAmount]:
        """The money amounts of a support in a regime, confirmed or not (see ``MoneyAmount.is_law``).

        >>> from sim.library import packaged_library
        >>> [(m.id, m.vnd, m.is_law) for m in packaged_library().rulebook.amounts_for("A", "travel")]
        [('road_food_national_floor', 70000, True), ('road_food_provincial', 100000, False)]
        """
        return [m for m in self.money if m.regime == regime and m.support == support]


def read_rulebook(base: Path, agency_ids: set[str]) -> Rulebook:
    """Read and cross-check the rulebook files of a folder; ids are checked against ``agency_ids``.

    Parameters
    ----------
    base : Path
        The folder with ``vocabulary.yaml``, ``texts.yaml``, ``critical-errors.yaml``, ``money.yaml``
        and one ``regime-*.yaml`` per regime.
    agency_ids : set of str
        The agencies of ``agencies.yaml`` that regime files may name.

    Returns
    -------
    Rulebook
        Every regime (ordered by ``effective_from``) with the shared vocabulary, texts, errors and amounts.

    Raises
    ------
    DataError
        Every invalid field, unknown id, unknown legal text and overlap of regimes' dates.

    Examples
    --------
    >>> from sim.errors import DataError
    >>> from sim.library import packaged_library
    >>> from sim.locations import PACKAGED_DATA
    >>> agencies = set(packaged_library().agencies.agencies)
    >>> read_rulebook(PACKAGED_DATA / "rulebook", agencies).version
    'regime-a@2026.11.1+regime-b@2026.11.1'
    >>> try:
    ...     read_rulebook(PACKAGED_DATA / "rulebook", agencies - {"district_police"})
    ... except DataError as error:
    ...     print([p.path for p in error.problems])
    ['initial_verification.partners[0].agency', 'verification.verifiers[0].agency']
    """
    vocabulary = validate(Vocabulary, read_document(base / "vocabulary.yaml"))
    texts = validate(TextsFile, read_document(base / "texts.yaml")).texts
    errors = validate(CriticalErrorsFile, read_document(base / "critical-errors.yaml"))
    money = validate(MoneyFile, read_document(base / "money.yaml"))
    regimes, problems = [], []
    for path in sorted(base.glob("regime-*.yaml")):
        doc = read_document(path)
        rules = validate(RegimeRules, doc)
        problems += check_regime_refs(doc, rules, vocabulary, set(texts), agency_ids)
        regimes.append(rules)
    problems += _citation_problems(read_document(base / "critical-errors.yaml"), errors, set(texts))
    problems += _overlap_problems(regimes, str(base))
    if problems:
        raise DataError(problems)
    return Rulebook(regimes, vocabulary, texts, errors.errors, money.amounts)


def check_regime_refs(
    doc: SourceDoc, rules: RegimeRules, vocab: Vocabulary, text_ids: set[str], agency_ids: set[str]
) -> list[Problem]:
    """Every id a regime file uses must exist in the vocabulary, texts or agencies.

    Returns
    -------
    list of Problem
        One located problem (with "did you mean") per unknown id; empty when the file is consistent.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.locations import PACKAGED_DATA
    >>> from sim.parsing import read_document, validate
    >>> lib = packaged_library()
    >>> doc = read_document(PACKAGED_DATA / "rulebook" / "regime-a.yaml")
    >>> rules = validate(RegimeRules, doc)
    >>> agencies = set(lib.agencies.agencies) - {"district_police"}
    >>> problems = check_regime_refs(doc, rules, lib.rulebook.vocabulary, set(lib.rulebook.texts), agencies)
    >>> [p.path for p in problems]
    ['initial_verification.partners[0].agency', 'verification.verifiers[0].agency']
    >>> problems[0].message, problems[0].line is not None
    ("unknown agency 'district_police'", True)
    >>> problems[0].hint
    "did you mean 'district_labour_office' or 'provincial_police'?"
    """
    problems: list[Problem] = []

    def need(loc: tuple, value: str, known: set[str] | dict, kind: str) -> None:
        if value not in known:
            problems.append(unknown_id_problem(doc, loc, kind, value, list(known)))

    if rules.law not in text_ids:
        problems.append(unknown_id_problem(doc, ("law",), "legal text", rules.law, list(text_ids)))
    ident = rules.identification
    for kind in ("acts", "means", "purposes"):
        for i, value in enumerate(getattr(ident, kind)):
            need(("identification", kind, i), value, getattr(vocab, kind), kind[:-1])
    for i, value in enumerate(ident.sufficient_acts.acts):
        need(("identification", "sufficient_acts", "acts", i), value, vocab.acts, "act")
    for i, d in enumerate(rules.victim_documents.documents):
        need(("victim_documents", "documents", i, "document"), d.document, vocab.documents, "document")
    for i, n in enumerate(rules.notification):
        need(("notification", i, "agency"), n.agency, agency_ids, "agency")
    need(("initial_verification", "agency"), rules.initial_verification.agency, agency_ids, "agency")
    for i, p in enumerate(rules.initial_verification.partners):
        need(("initial_verification", "partners", i, "agency"), p.agency, agency_ids, "agency")
    for i, v in enumerate(rules.verification.verifiers):
        need(("verification", "verifiers", i, "agency"), v.agency, agency_ids, "agency")
    for i, e in enumerate(rules.entitlements):
        need(("entitlements", i, "support"), e.support, vocab.supports, "support")
    for key in ("measures", "indicated_when_threats", "indicated_when_trafficker_nearby"):
        for i, m in enumerate(getattr(rules.protection, key)):
            need(("protection", key, i), m, vocab.protection_measures, "protection measure")
    for i, duty in enumerate(rules.children.duties):
        need(("children", "duties", i, "duty"), duty.duty, vocab.child_duties, "child duty")
    need(("children", "escort", "by"), rules.children.escort.by, agency_ids, "agency")
    for key in ("domestic", "abroad"):
        need(("intake", "forms", key), getattr(rules.intake.forms, key), vocab.intake_forms, "intake form")
    problems += _citation_problems(doc, rules, text_ids)
    return problems


def _citation_problems(doc: SourceDoc, model: Strict, text_ids: set[str]) -> list[Problem]:
    """Walk a model for Citation objects whose text id is unknown."""
    found: list[Problem] = []

    def walk(value: object, loc: tuple) -> None:
        if isinstance(value, Citation):
            if value.text not in text_ids:
                found.append(unknown_id_problem(doc, (*loc, "text"), "legal text", value.text, list(text_ids)))
        elif isinstance(value, Strict):
            for name in type(value).model_fields:
                alias = type(value).model_fields[name].alias or name
                walk(getattr(value, name), (*loc, alias))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, key))

    walk(model, ())
    return found


def _overlap_problems(regimes: list[RegimeRules], folder: str) -> list[Problem]:
    problems = []
    ordered = sorted(regimes, key=lambda r: r.effective_from)
    for earlier, later in pairwise(ordered):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            problems.append(
                Problem(
                    folder,
                    None,
                    None,
                    f"{earlier.id}.effective_to",
                    f"{earlier.id} overlaps {later.id}",
                    f"end {earlier.id} before {later.effective_from}",
                )
            )
    return problems
