"""The scoring engine: a pure function of (submission, ground truth, rulebook, rubric) → score report.

Per decision point: points with partial credit; every lost point names the rule and its legal basis.
Harm-weighted (missing a real victim costs more than an extra referral), critical errors E01–E20 are
detected from answers *and* interview actions and cap the case score, deadlines are judged on the
simulated clock, and the interview process counts beside the outcome. Deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.engine.assessment import Assessment
from sim.law.citations import Citation, Cited, in_force_on, render_all
from sim.law.decision_points import DECISION_POINTS
from sim.law.primitives import Bilingual
from sim.law.referral import check_referral_plan
from sim.training.answer_key import verification_answer
from sim.training.answers import Submission

if TYPE_CHECKING:
    from sim.library import Library

SCORING_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason points were lost (or one critical error): the rule, its basis and a message."""

    decision_point: str
    rule: str
    lost: float
    message: tuple[str, str]  # (vi, en)
    basis: tuple[Citation, ...]
    status: str = "confirmed"
    plain: Bilingual | None = None  # what the law requires, in one sentence, shown before the citation


@dataclass(slots=True)
class PointScore:
    """The points of one scored item (a decision point or ``process``) out of its maximum, and why any were lost."""

    decision_point: str
    points: float
    max_points: float
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One deadline on the simulated clock (labels as (vi, en)): when it was due, when it was done, whether met."""

    label: tuple[str, str]
    deadline: tuple[str, str]
    due_minute: int | None
    done_minute: int | None
    met: bool | None  # None: a later step by another body, shown for information
    status: str = "confirmed"


@dataclass(slots=True)
class ScoreReport:
    """What ``score`` returns: the total, the points per scored item, the critical errors and the deadlines.

    The total is capped after a critical error; ``referral`` is the D10 plan's reach per service, and the
    rulebook and scoring versions say which rules and which scorer gave the score.
    """

    case_id: str
    total: float
    max_points: float
    percent: float
    capped: bool
    critical_errors: list[Finding]
    points: list[PointScore]
    timeline: list[TimelineEvent]
    referral: dict[str, Any]
    rulebook: str
    scoring_version: str = SCORING_VERSION

    def to_dict(self, library: Library) -> dict[str, Any]:
        """The report as JSON-ready data, rounded, with the cap notice and citations in both languages.

        Examples
        --------
        >>> from sim.cases.generator import generate_case
        >>> from sim.engine.assessment import assess
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
        >>> submission = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "send_to_district"}})
        >>> data = score(submission, assess(case, lib), lib).to_dict(lib)
        >>> data["percent"], data["capped"], data["cap_en"]
        (15.0, True, 'Critical error: the case score is capped at 40%.')
        >>> data["critical_errors"][0]["rule"], data["critical_errors"][0]["basis"][0]["en"]
        ('E01', 'Article 24 of the Law on Human Trafficking Prevention and Combat No. 66/2011/QH12')
        """
        book = library.rulebook

        def finding(f: Finding) -> dict[str, Any]:
            return {
                "decision_point": f.decision_point,
                "rule": f.rule,
                "lost": round(f.lost, 2),
                "vi": f.message[0],
                "en": f.message[1],
                "status": f.status,
                "plain": f.plain.model_dump() if f.plain else None,
                "basis": [c.to_dict(book.texts) for c in f.basis],
                "cited": {lang: render_all(f.basis, book.texts, lang) for lang in ("vi", "en")},  # for reading
            }

        cap = library.feedback["capped"]
        cap_percent = int(library.rubric.critical_cap_percent)
        return {
            "case_id": self.case_id,
            "total": round(self.total, 2),
            "max_points": self.max_points,
            "percent": round(self.percent, 1),
            "capped": self.capped,
            "cap_vi": cap.vi.format(percent=cap_percent) if self.capped else "",
            "cap_en": cap.en.format(percent=cap_percent) if self.capped else "",
            "rulebook": self.rulebook,
            "scoring_version": self.scoring_version,
            "critical_errors": [finding(f) for f in self.critical_errors],
            "points": [
                {
                    "decision_point": p.decision_point,
                    "points": round(p.points, 2),
                    "max_points": p.max_points,
                    "findings": [finding(f) for f in p.findings],
                }
                for p in self.points
            ],
            "timeline": [
                {
                    "vi": e.label[0],
                    "en": e.label[1],
                    "deadline_vi": e.deadline[0],
                    "deadline_en": e.deadline[1],
                    "due_minute": e.due_minute,
                    "done_minute": e.done_minute,
                    "met": e.met,
                    "status": e.status,
                }
                for e in self.timeline
            ],
            "referral": self.referral,
        }


# The determination each decision point is about (its first rule explains an unanswered point).
MAIN_DETERMINATION = {
    "D1": "receive",
    "D2": "intake",
    "D3": "immediate_support",
    "D4": "notification",
    "D5": "signs_of_trafficking",
    "D6": "victim_documents",
    "D7": "protection",
    "D8": "confidentiality",
    "D9": "child_duties",
    "D10": "referral",  # the support plan and whom to refer to (not the first entitlement, essential needs)
}


# A service of the referral plan that is not an entitlement, and the determination that explains it.
REFERRAL_REASON: dict[str, tuple[str, list[str]]] = {
    "verification": ("verification", []),
    "protection": ("protection", []),
    "support_decision": ("referral", []),  # the reintegration procedure
}


class _Scorer:
    """Collects findings for one submission. Private: ``score`` is the public contract."""

    def __init__(self, submission: Submission, truth: Assessment, library: Library):
        self.s, self.truth, self.library = submission, truth, library
        self.book, self.rubric = library.rulebook, library.rubric
        self.graph = library.graph_on(submission.case.date)  # the agencies that existed on the case date
        self.case = submission.case
        self.a = submission.answers
        self.texts = library.feedback
        self.actions = {a.question for a in submission.actions}
        self.errors: dict[str, Finding] = {}

    # helpers ---------------------------------------------------------------------------------
    def msg(self, key: str, **values: Any) -> tuple[str, str]:
        text = self.texts[key]
        vi = {k: (v[0] if isinstance(v, tuple) else v) for k, v in values.items()}
        en = {k: (v[1] if isinstance(v, tuple) else v) for k, v in values.items()}
        return text.vi.format(**vi), text.en.format(**en)

    def why(self, determination: str, rules: Iterable[str] = ()) -> tuple[tuple[Citation, ...], str, Bilingual | None]:
        """The citations, status and plain sentence of the rules a finding is about.

        ``rules`` names the determination's rule uses the finding breaks (e.g. ``children.separation``); without
        them, or when none of them applies on the case date, the determination's first rule stands for it.
        """
        return self.why_of([(determination, rules)])

    def why_of(self, parts: list[tuple[str, Iterable[str]]]) -> tuple[tuple[Citation, ...], str, Bilingual | None]:
        """``why`` over several determinations (a finding about services of different kinds): citations in order,
        each once, the weakest status, the first plain sentence."""
        chosen = []
        for determination, rules in parts:
            uses, named = self.truth.determinations[determination].rules, set(rules)
            chosen += [r for r in uses if r.rule in named] or uses[:1]
        statuses = {r.status for r in chosen}
        status = next((s for s in ("unconfirmed", "inferred") if s in statuses), "confirmed")
        plain = next((r.plain for r in chosen if r.plain), None)
        unique = {(c.text, c.article, c.provision and c.provision.vi): c for r in chosen for c in r.basis}
        return tuple(unique.values()), status, plain  # each citation once

    def lose(
        self,
        ps: PointScore,
        rule: str,
        message: tuple[str, str],
        determination: str | None = None,
        *,
        share: float = 1.0,
        deduction: str | None = None,
        error: str | None = None,
        rules: Iterable[str] = (),
        cited: Cited | None = None,
        why: tuple[tuple[Citation, ...], str, Bilingual | None] | None = None,
    ) -> None:
        """Take the rubric's deduction for ``rule`` (× ``share`` when partly wrong), citing the determination's
        ``rules`` the finding breaks (see ``why``), or the critical error ``error`` (its code: the finding is named
        after it), or ``cited`` (a rubric convention's basis), or ``why`` (explained already, see ``why_of``)."""
        if error:
            e = self.book.critical_errors[error]
            citations, status, plain = self.in_force(e.basis), "confirmed", e.plain
        elif cited:
            citations, status, plain = self.in_force(cited.basis), cited.status, cited.plain
        elif why:
            citations, status, plain = why
        else:
            citations, status, plain = self.why(determination or "receive", rules)
        lost = min(ps.points, ps.max_points * self.rubric.deduction(deduction or rule) * share)
        ps.points -= lost
        ps.findings.append(Finding(ps.decision_point, error or rule, lost, message, citations, status, plain))

    def in_force(self, citations: list[Citation]) -> tuple[Citation, ...]:
        """Only the texts in force on the case's date (a 2016 case is not judged under the 2024 law)."""
        return in_force_on(citations, self.book.texts, self.case.date)

    def flag(self, finding: str) -> None:
        """Record the critical errors that ``finding`` makes (``flagged_when`` in critical-errors.yaml)."""
        for code in self.book.errors_flagged_by(finding):
            self.flag_code(code)

    def flag_code(self, code: str) -> None:
        """Record one critical error by its code (a harmful interview action names its own in interview.yaml),
        if a text forbidding it is in force on the case date (as ``critical_errors_at_risk``)."""
        if code not in self.errors and code in self.library.critical_errors_on(self.case.date):
            e = self.book.critical_errors[code]
            self.errors[code] = Finding(
                e.decision_point,
                code,
                0.0,
                (e.vi, e.en),
                self.in_force(e.basis),
                "confirmed" if e.kind == "L" else "inferred",
                e.plain,
            )

    def difference(self, kind: str, expected: set[str], given: set[str]) -> tuple[str, str]:
        """What was missed ("bạn chưa chọn …") and what was ticked without need ("không cần chọn …"), vi and en."""
        parts = []
        if expected - given:
            parts.append(self.msg("missed_items", items=self.labels(kind, sorted(expected - given))))
        if given - expected:
            parts.append(self.msg("extra_items", items=self.labels(kind, sorted(given - expected))))
        return "; ".join(vi for vi, _ in parts), "; ".join(en for _, en in parts)

    def labels(self, kind: str, ids: list[str] | set[str]) -> tuple[str, str]:
        vocab = self.book.vocabulary
        if kind == "agencies":
            G = self.graph
            # An agency that did not exist on the case date is named generically (it is not in that day's graph).
            names = [G.nodes[i] if i in G else self.library.agency_label(i).model_dump() for i in ids]
            vi, en = [n["vi"] for n in names], [n["en"] for n in names]
        elif kind == "needs":
            needs = self.library.needs
            vi, en = [needs[i].vi for i in ids], [needs[i].en for i in ids]
        else:
            vi = [vocab.label(kind, i, "vi") for i in ids]
            en = [vocab.label(kind, i, "en") for i in ids]
        return ", ".join(sorted(vi)) or "—", ", ".join(sorted(en)) or "—"

    # decision points -------------------------------------------------------------------------
    def d1(self, ps: PointScore) -> None:
        if self.a.D1.receive != "receive":
            self.lose(ps, "receive", self.msg("receive"), error=self.book.errors_flagged_by("refused_intake")[0])
            self.flag("refused_intake")

    def d2(self, ps: PointScore) -> None:
        ans, truth = self.a.D2, self.truth.value("intake")
        if ans.form != truth["form"]:
            self.lose(
                ps, "intake.form", self.msg("form", expected=self.labels("intake_forms", [truth["form"]])), "intake"
            )
        if not ans.record:
            self.lose(ps, "intake.record", self.msg("record"), "intake")
            self.flag("no_intake_record")
        if truth["officer_writes_for"] and ans.statement != "officer_writes":
            self.lose(ps, "intake.officer_writes", self.msg("officer_writes"), "intake")
            if any(p.age < 18 for p in self.case.persons if p.id in truth["officer_writes_for"]):
                self.flag("child_statement_not_written")
        if not truth["officer_writes_for"] and ans.statement == "officer_writes":
            self.lose(ps, "intake.person_writes", self.msg("person_writes"), "intake")

    def d3(self, ps: PointScore) -> None:
        ans, truth = self.a.D3, self.truth.value("immediate_support")
        due, not_due = set(truth["provide"]), set(truth["not_entitled"])
        given = set(ans.provide)
        missing = due - given
        if missing:
            self.lose(
                ps,
                "immediate_support",
                self.msg("support_missing", items=self.labels("needs", missing)),
                "immediate_support",
                share=len(missing) / len(due),
            )
            if not given & due:
                self.flag("no_immediate_support")
        extra = given & not_due
        if extra:
            self.lose(
                ps,
                "immediate_support.extra",
                self.msg("support_extra", items=self.labels("needs", extra)),
                "immediate_support",
            )
        if ans.message != "support_now":
            self.lose(ps, "immediate_support.message", self.msg("support_message"), "entitlements")
            if ans.message == "wait_for_verification":
                self.flag("support_delayed_for_verification")
            elif ans.message == "only_for_poor" or (
                ans.message == "none_for_foreigners" and self.case.primary.nationality == "foreign"
            ):
                self.flag("support_denied_by_status")
        if ans.fee:
            self.flag("fee_charged")

    def d4(self, ps: PointScore) -> None:
        ans, truth = self.a.D4, self.truth.value("notification")
        expected = set(truth["agencies"])
        chosen = set(ans.agencies)
        if not expected <= chosen:
            self.lose(
                ps,
                "notification",
                self.msg("notify_agency", expected=self.labels("agencies", expected)),
                "notification",
            )
            if not chosen:
                self.flag("nobody_notified")
        wrong_regime = chosen & self._confused_on_date() - expected
        if wrong_regime:
            self.lose(
                ps,
                "notification.regime",
                self.msg("notify_wrong_regime", items=self.labels("agencies", wrong_regime)),
                "regime",
            )
            self.flag("wrong_regime_body_notified")
        at = self.s.answered_at.get("D4", self.s.clock_minutes)
        if ans.timing != "immediately" or at > self.rubric.immediately_minutes:
            self.lose(
                ps,
                "notification.timing",
                self.msg("notify_timing", minutes=self.rubric.immediately_minutes),
                "notification",
            )
            self.flag("notified_late")

    def _confused_on_date(self) -> set[str]:
        """The often-confused bodies that are wrong to notify on the case date (E20).

        A body is wrong when it did not exist that day (by the dates in agencies.yaml, e.g. the district police
        after it was abolished) or is the body to notify under another regime (the provincial health
        department in a 2016 case). A body that existed and belongs to the same regime is not a regime error.
        """
        other_regimes = {n.agency for r in self.book.regimes if r.regime != self.truth.regime for n in r.notification}
        return {a for a in self.rubric.notification_confusions if a not in self.graph or a in other_regimes}

    def d5(self, ps: PointScore) -> None:
        ans, truth = self.a.D5, self.truth.value("signs_of_trafficking")
        for kind in ("acts", "means", "purposes"):
            expected, given = set(truth[kind]), set(getattr(ans, kind))
            if kind == "means" and not truth["means_required"] and not expected:
                continue
            if expected != given:
                overlap = len(expected & given) / len(expected | given) if expected | given else 1.0
                child = kind == "means" and not truth["means_required"]
                message = (
                    self.msg("signs_means_child")
                    if child
                    else self.msg(f"signs_{kind}", detail=self.difference(kind, expected, given))
                )
                if kind == "means" and "threat" in given - expected and self.case.truth.threats:
                    note = self.msg("signs_threat_after_return")  # a threat now is for D7, not a means then
                    message = (f"{message[0]} {note[0]}", f"{message[1]} {note[1]}")
                self.lose(
                    ps,
                    f"signs_of_trafficking.{kind}",
                    message,
                    "signs_of_trafficking",
                    share=1 - overlap,
                    rules=("identification", "identification.means_rule") if kind == "means" else ("identification",),
                )
        indicated = truth["indicated"]
        # Undetermined (the story is not on file): routing to the competent body either way is right.
        undetermined = truth["undetermined"]
        conclusion = ans.conclusion
        if conclusion in ("commune_declares_victim", "not_victim_close"):
            self.lose(
                ps,
                "signs_of_trafficking.conclusion",
                self.msg("conclusion_decides"),
                "victim_documents",
                rules=("victim_documents.commune_may_certify",),
            )
            self.flag("commune_decided_status")
            if conclusion == "commune_declares_victim" and not truth["claim"]:
                self.flag("victim_support_without_signs")
        missed = ("not_victim_close", "treat_as_offender") + (() if undetermined else ("no_clear_signs_refer",))
        if truth["claim"] and conclusion in missed:
            self.lose(
                ps,
                "signs_of_trafficking.missed",
                self.msg("conclusion_missed"),
                "signs_of_trafficking",
                share=self.rubric.missed_victim_loss,
            )
            if conclusion == "treat_as_offender":
                self.flag("treated_as_offender")
        certified = bool(self.truth.value("victim_documents")["lawful"])
        if not truth["claim"] and not certified and conclusion in ("possible_victim_refer", "commune_declares_victim"):
            self.lose(
                ps,
                "signs_of_trafficking.false_alarm",
                self.msg("conclusion_false_alarm"),
                "signs_of_trafficking",
                share=self.rubric.false_alarm_loss,
            )
        if conclusion == "treat_as_offender" and not indicated:
            self.lose(
                ps,
                "signs_of_trafficking.offender",
                self.msg("conclusion_decides"),
                "victim_documents",
                rules=("victim_documents.commune_may_certify",),
            )

    def d6(self, ps: PointScore) -> None:
        ans = self.a.D6
        docs, verification = self.truth.value("victim_documents"), self.truth.value("verification")
        if set(ans.lawful_documents) != set(docs["lawful"]):
            detail = self.difference("documents", set(docs["lawful"]), set(ans.lawful_documents))
            shown = set(docs["lawful"]) | set(ans.lawful_documents)
            self.lose(
                ps,
                "victim_documents",
                self.msg("documents", detail=detail),
                "victim_documents",
                rules=("victim_documents.lawful", *(f"victim_documents.{d}" for d in shown)),
            )
        needed = verification_answer(verification)
        if ans.verification != needed:
            text = self.msg(f"verification_{needed}")
            self.lose(ps, "verification.needed", self.msg("verification", expected=text), "verification")
            if ans.verification == "reject_no_papers":
                self.flag("turned_away_without_papers")
        if verification["needed"] and ans.verifier != verification["verifier"]:
            self.lose(
                ps,
                "verification.verifier",
                self.msg(
                    "verifier" if ans.verifier else "verifier_missing",
                    expected=self.labels("agencies", [verification["verifier"]]),
                    given=self.labels("agencies", [ans.verifier] if ans.verifier else []),
                ),
                "verification",
            )
        if ans.commune_certificate:
            self.lose(
                ps,
                "victim_documents.commune_may_certify",
                self.msg("commune_certificate"),
                "victim_documents",
                rules=("victim_documents.commune_may_certify",),
            )
            self.flag("commune_certified")

    def d7(self, ps: PointScore) -> None:
        ans, truth = self.a.D7, self.truth.value("protection")
        if truth["indicated"]:
            missing = set(truth["measures"]) - set(ans.measures)
            if missing:
                self.lose(
                    ps,
                    "protection.measures",
                    self.msg("protection_missing", expected=self.labels("protection_measures", truth["measures"])),
                    "protection",
                    share=len(missing) / len(truth["measures"]),
                )
                if not ans.measures:
                    self.flag("no_protection_measure")
        if ans.consent != "with_consent" or ans.if_refused == "apply_anyway":
            self.lose(
                ps,
                "protection.consent",
                self.msg("protection_consent"),
                "protection",
                deduction="protection.consent" if truth["indicated"] else "protection.consent_alone",
            )
            self.flag("protection_forced")

    def d8(self, ps: PointScore) -> None:
        ans = self.a.D8
        if ans.share != "only_with_consent":
            self.lose(ps, "confidentiality", self.msg("share"), "confidentiality")
            if ans.share in ("tell_neighbours", "announce", "post_online") or (
                ans.share == "tell_family" and self.case.truth.family_suspected
            ):
                self.flag("shared_without_consent")
        if ans.contact_suspect:
            self.lose(ps, "confidentiality.never_contact", self.msg("contact_suspect"), "confidentiality")
            self.flag("contacted_suspect")

    def d9(self, ps: PointScore) -> None:
        ans, truth = self.a.D9, self.truth.value("child_duties")
        expected = set(truth["duties"])
        missing = expected - set(ans.duties)
        if missing:
            self.lose(
                ps,
                "child_duties",
                self.msg("child_duties", items=self.labels("child_duties", missing)),
                "child_duties",
                share=len(missing) / len(expected),
                rules=[f"children.duties.{d}" for d in missing],
            )
            if "guardian_present" in missing or "officer_writes_statement" in missing:
                self.flag("child_interview_duty_missed")
        if truth["return_home"] == "separate_from_parent" and ans.return_home != "separate_from_parent":
            self.lose(
                ps,
                "child_duties.separation",
                self.msg("child_separation"),
                "child_duties",
                rules=("children.separation",),
            )
            self.flag("child_handed_to_suspected_parent")
        elif "escort_to_relatives" in truth["duties"] and ans.return_home != "escort":
            self.lose(
                ps,
                "child_duties.escort",
                self.msg("child_return"),
                "child_duties",
                rules=("children.duties.escort_to_relatives",),
            )
        if "escort_to_relatives" in truth["duties"] and ans.return_home in ("alone", "unverified_relative"):
            self.flag("child_sent_home_unescorted")
        if truth["emergency_within_hours"] is not None:
            at = self.s.answered_at.get("D9", self.s.clock_minutes)
            if not ans.emergency or at > truth["emergency_within_hours"] * 60:
                self.lose(
                    ps,
                    "child_duties.emergency",
                    self.msg("child_emergency", hours=truth["emergency_within_hours"]),
                    "child_duties",
                    rules=("children.emergency",),
                )
                self.flag("child_emergency_missed")

    def d10(self, ps: PointScore) -> dict[str, Any]:
        truth = self.truth.value("referral")
        G = self.graph
        chosen = [a for a in (self.a.D10.agencies if self.a.D10 else []) if a in G]
        needed = [s for s in truth["services"] if s not in ("essential_needs",)]
        regime = self.truth.regime
        result = check_referral_plan(
            G,
            chosen,
            needed,
            correct_paths=truth["paths"],
            path_hours=lambda path: self.library.path_deadline_hours(regime, path),
        )
        missing = [s for s, r in result.items() if not r["reached"]]
        if missing:
            vocabulary = self.book.vocabulary

            def names(lang: str) -> str:
                return ", ".join(
                    vocabulary.label("supports" if m in vocabulary.supports else "services", m, lang) for m in missing
                )

            labels = (names("vi"), names("en"))
            self.lose(
                ps,
                "referral",
                self.msg("referral_missing", items=labels),
                share=len(missing) / max(1, len(needed)),
                why=self.why_of([REFERRAL_REASON.get(m, ("entitlements", [f"entitlements.{m}"])) for m in missing]),
            )
        facilities = self.library.providers(self.truth.regime, "shelter")
        if facilities & set(chosen) and not truth["stays"]:
            self.lose(ps, "referral.forced_shelter", self.msg("referral_forced_shelter"), "protection")
            self.flag("shelter_forced")
        screened = self.truth.value("verification")["screened_out"]
        if screened and set(self.rubric.victim_support_agencies) & set(chosen):
            self.flag("victim_support_without_signs")
        return {
            "chosen": chosen,
            "services": {
                s: {"reached": r["reached"], "path": r["path"], "correct_path": r["correct_path"]}
                for s, r in result.items()
            },
        }

    def process(self, ps: PointScore) -> None:
        order = [a.question for a in sorted(self.s.actions, key=lambda a: a.at_minute)]
        if not order or order[0] != self.rubric.first_action:
            self.lose(ps, "process.care_first", self.msg("process_care_first"), cited=self.rubric.interview_basis)
        # A lawful victim document proves status: the story questions are not required (nobody need retell it).
        certified = bool(self.truth.value("victim_documents")["lawful"])
        key = set() if certified else set(self.rubric.key_questions) - self.actions
        if key:
            labels = tuple("; ".join(self.case_question(q, lang) for q in sorted(key)) for lang in ("vi", "en"))
            self.lose(
                ps,
                "process.key_questions",
                self.msg("process_key_questions", items=labels),
                "signs_of_trafficking",
                share=len(key) / len(self.rubric.key_questions),
            )
        harmful = [q for q in self.case.interview if q.id in self.actions and q.critical_error]
        if harmful:
            labels = tuple("; ".join(q.text.get(lang) for q in harmful) for lang in ("vi", "en"))
            self.lose(
                ps, "process.harmful", self.msg("process_harmful", items=labels), cited=self.rubric.interview_basis
            )
            for q in harmful:
                self.flag_code(q.critical_error)

    def case_question(self, qid: str, lang: str) -> str:
        return next((q.text.get(lang) for q in self.case.interview if q.id == qid), qid)

    def timeline(self) -> list[TimelineEvent]:
        events = []
        G = self.graph
        notify = self.truth.value("notification")
        done = (
            self.s.answered_at.get("D4")
            if self.a.D4 and set(notify["agencies"]) <= set(self.a.D4.agencies) and self.a.D4.timing == "immediately"
            else None
        )
        for agency in notify["agencies"]:
            label = self.msg("timeline_notify", agency=(G.nodes[agency]["vi"], G.nodes[agency]["en"]))
            deadline = notify["deadlines"][agency]
            events.append(
                TimelineEvent(
                    label,
                    (deadline.label("vi"), deadline.label("en")),
                    self.rubric.immediately_minutes,
                    done,
                    done is not None and done <= self.rubric.immediately_minutes,
                )
            )
        child = self.truth.value("child_duties")
        if child["emergency_within_hours"] is not None:
            at = self.s.answered_at.get("D9") if self.a.D9 and self.a.D9.emergency else None
            due = child["emergency_within_hours"] * 60
            events.append(
                TimelineEvent(
                    self.msg("timeline_child"),
                    self.msg("within_hours", hours=child["emergency_within_hours"]),
                    due,
                    at,
                    at is not None and at <= due,
                )
            )
        verification = self.truth.value("verification")
        if verification["needed"]:  # nothing to check for a certified victim or a person screened out
            initial = verification["initial"]
            events.append(
                TimelineEvent(
                    self.msg(
                        "timeline_initial", agency=(G.nodes[initial["agency"]]["vi"], G.nodes[initial["agency"]]["en"])
                    ),
                    (initial["deadline"].label("vi"), initial["deadline"].label("en")),
                    None,
                    None,
                    None,
                )
            )
            rule = self.truth.determinations["verification"].rules[0]
            events.append(
                TimelineEvent(
                    self.msg(
                        "timeline_verification",
                        agency=(G.nodes[verification["verifier"]]["vi"], G.nodes[verification["verifier"]]["en"]),
                    ),
                    (verification["deadline"].label("vi"), verification["deadline"].label("en")),
                    None,
                    None,
                    None,
                    rule.status,
                )
            )
        return events


# ``_Scorer.d1`` … ``d9``, named after their decision points. D10 is left out: it also returns the referral
# plan's report, so ``score`` calls it by name.
SCORERS = {dp: getattr(_Scorer, dp.lower()) for dp in DECISION_POINTS if dp != "D10"}


def score(submission: Submission, truth: Assessment, library: Library) -> ScoreReport:
    """Score a submission against the rule engine's ground truth, by the rubric and law of ``library``.

    Parameters
    ----------
    submission : Submission
        The case, the trainee's answers and interview actions, and when each was given.
    truth : Assessment
        ``assess(submission.case, library)``: what the law requires in this case.
    library : Library
        Supplies the rubric (weights, partial credit, cap), the feedback texts, the rulebook and graphs.

    Returns
    -------
    ScoreReport
        Points per decision point and for the process; every point lost names its rule and citations.

    Examples
    --------
    >>> from sim.library import packaged_library
    >>> from sim.engine.assessment import assess
    >>> from sim.cases.generator import generate_case
    >>> lib = packaged_library()
    >>> case = generate_case(lib.catalog.scenario("forced-marriage-2016"), lib, seed=7)
    >>> submission = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "receive"}})
    >>> report = score(submission, assess(case, lib), lib)
    >>> report.percent < 100, [p.decision_point for p in report.points]
    (True, ['D1', 'process'])
    """
    book, rubric = library.rulebook, library.rubric
    scorer = _Scorer(submission, truth, library)
    weights = rubric.weights | submission.rubric
    points: list[PointScore] = []
    referral: dict[str, Any] = {}
    child_applies = truth.value("child_duties")["applies"]
    for dp in submission.decision_points:
        if dp == "D9" and not child_applies:
            continue
        ps = PointScore(dp, float(weights[dp]), float(weights[dp]))
        if getattr(submission.answers, dp) is None:
            ps.points = 0.0
            citations, status, plain = scorer.why(MAIN_DETERMINATION[dp])  # what the point is about
            ps.findings.append(
                Finding(dp, "not_answered", ps.max_points, scorer.msg("not_answered"), citations, status, plain)
            )
            if dp == "D10":  # the right plan is still shown: a pass over an empty plan, its points discarded
                referral = scorer.d10(PointScore(dp, ps.max_points, ps.max_points))
        elif dp == "D10":
            referral = scorer.d10(ps)
        else:
            SCORERS[dp](scorer, ps)
        points.append(ps)
    process = PointScore("process", float(rubric.process_weight), float(rubric.process_weight))
    scorer.process(process)
    points.append(process)
    max_points = sum(p.max_points for p in points)
    total = sum(max(0.0, p.points) for p in points)
    critical = [scorer.errors[k] for k in sorted(scorer.errors, key=lambda e: int(e[1:]))]
    capped = any(book.critical_errors[f.rule].caps_score for f in critical)
    cap = max_points * rubric.critical_cap_percent / 100
    if capped and total > cap:
        total = cap
    return ScoreReport(
        case_id=submission.case.case_id,
        total=total,
        max_points=max_points,
        percent=100 * total / max_points if max_points else 0.0,
        capped=capped,
        critical_errors=critical,
        points=points,
        timeline=scorer.timeline(),
        referral=referral,
        rulebook=truth.rulebook,
    )


def kept_all_points(point: dict[str, Any]) -> bool:
    """Whether one decision point of a stored score report (``points`` of ``to_dict``) was right: it kept all its
    points (within rounding). The one meaning of "right" for item statistics, what happened next and the
    province simulation's measured quality.

    >>> kept_all_points({"decision_point": "D4", "points": 10.0, "max_points": 10.0})
    True
    >>> kept_all_points({"decision_point": "D4", "points": 7.5, "max_points": 10.0})
    False
    """
    return bool(point["points"] >= point["max_points"] - 1e-9)
