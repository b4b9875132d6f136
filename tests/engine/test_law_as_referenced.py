"""The law as the reference gives it (legal-reference.md, legal-reference-addendum.md), item by item of issue 8.

Each test names the reference passage it is built from; each failed on the code before the fix.
"""

from __future__ import annotations

from datetime import date

import pytest

from sim.engine.assessment import assess
from tests.conftest import make_case


def _rules(assessment, determination: str) -> dict[str, str]:
    return {r.rule: r.status for r in assessment.determinations[determination].rules}


# Item 5 — Decree 62 Art 5.1 [S18][S2]: being treated as a commodity exchanged for money is a ground on
# its own; the adult means requirement comes from the MOLISA handbook [S92], so it is only inferred.
def test_regime_a_adult_sold_into_marriage_with_no_means_recorded_shows_signs(library):
    a = assess(make_case(day=date(2016, 5, 1), age=30, acts=("sell",), means=(), months_away=0), library)
    signs = a.value("signs_of_trafficking")
    assert signs["indicated"] is True and signs["sufficient_acts"] == ["sell"]
    assert _rules(a, "signs_of_trafficking")["identification.sufficient_acts"] == "confirmed"


def test_regime_a_means_from_18_is_inferred_from_the_handbook(library):
    a = assess(make_case(day=date(2016, 5, 1)), library)
    means = next(r for r in a.determinations["signs_of_trafficking"].rules if r.rule == "identification.means_rule")
    assert means.status == "inferred" and [c.text for c in means.basis] == ["handbook-2011"]
    assert library.rulebook.for_regime("A").identification.status == "confirmed"  # the acts and purposes of Art 5.1


def test_regime_b_sale_without_means_shows_signs_but_only_as_inferred(library):
    a = assess(make_case(day=date(2026, 3, 1), age=30, acts=("sell",), means=(), months_away=0), library)
    assert a.value("signs_of_trafficking")["indicated"] is True
    assert _rules(a, "signs_of_trafficking")["identification.sufficient_acts"] == "inferred"


@pytest.mark.parametrize("day", [date(2016, 5, 1), date(2026, 3, 1)])
def test_an_adult_recruited_with_no_means_and_not_sold_shows_no_signs(library, day):
    a = assess(make_case(day=day, age=30, acts=("recruit", "transport"), means=(), months_away=0), library)
    assert a.value("signs_of_trafficking")["indicated"] is False


# Item 3 — Decree 56/2017 Art 26 [S73] (12-hour emergency intervention) is in force from 1 Jul 2017; the
# reference gives no earlier rule. Decree 20/2021 (intake, emergency protection) is not cited in 2016.
@pytest.mark.parametrize("day, due", [(date(2016, 5, 1), False), (date(2017, 6, 30), False), (date(2017, 7, 1), True)])
def test_the_12_hour_child_emergency_exists_only_from_decree_56_2017(library, day, due):
    a = assess(make_case(day=day, age=15, child_at_serious_risk=True), library)
    duties = a.value("child_duties")
    assert "emergency_intervention_12h" not in duties["duties"]  # its own value, not a duty to tick
    assert (duties["emergency_within_hours"] == 12) is due and ("E11" in a.critical_errors_at_risk) is due
    cited = {c.text for r in a.determinations["child_duties"].rules for c in r.basis}
    assert ("decree-56-2017" in cited) is due


def test_a_2016_case_cites_no_text_that_was_not_yet_in_force(library):
    a = assess(make_case(day=date(2016, 5, 1), age=15, child_at_serious_risk=True), library)
    cited = {c.text for d in a.determinations.values() for r in d.rules for c in r.basis}
    assert cited.isdisjoint({"decree-20-2021", "decree-56-2017", "law-juvenile-justice-2024", "law-2024"})
    for text in cited:
        assert library.rulebook.texts[text].in_force_on(date(2016, 5, 1))


# Item 6 — Law 2024 Art 30 [S48] names the receiving police or army bodies; whether the 2025 amendment
# rewrote it is unconfirmed (addendum 8.1): the health department as escort is only inferred.
def test_regime_b_child_escort_by_the_health_department_is_inferred(library):
    a = assess(make_case(day=date(2026, 3, 1), age=15), library)
    assert a.value("child_duties")["escort_by"] == "provincial_health_dept"
    assert _rules(a, "child_duties")["children.escort"] == "inferred"
    assert _rules(assess(make_case(age=15), library), "child_duties")["children.escort"] == "confirmed"


# Item 7 — Decree 162 Art 24's conditions for the hardship allowance were never retrieved [S64].
def test_regime_b_hardship_allowance_is_unconfirmed(library):
    rule = next(e for e in library.rulebook.for_regime("B").entitlements if e.support == "hardship_allowance")
    assert rule.status == "unconfirmed" and rule.households is None
    a = assess(make_case(day=date(2026, 3, 1)), library)
    assert _rules(a, "entitlements")["entitlements.hardship_allowance"] == "unconfirmed"


# Item 1 — Regime B Art 37.3 supports persons being identified, defined by signs (Art 2.8 [S61][S60]);
# Regime A's support while awaiting verification (Decree 09 Art 19.1.b [S20]) presupposes a claim.
@pytest.mark.parametrize("day", [date(2016, 5, 1), date(2026, 3, 1)])
def test_a_person_with_no_signs_and_no_document_is_screened_not_supported(library, day):
    a = assess(make_case(day=day, acts=(), means=(), purposes=(), profile="irregular_migrant"), library)
    assert a.value("entitlements")["p1"]["group"] == "S" and a.value("entitlements")["p1"]["now"] == []
    assert a.value("verification")["needed"] is False
    assert a.value("immediate_support")["provide"] == [] or all(
        library.needs[n].always for n in a.value("immediate_support")["provide"]
    )
    screening = a.determinations["entitlements"].rules[0]
    assert screening.rule == "screening" and screening.status == "inferred"
    plain = library.rulebook.for_date(day).screening.plain
    assert "dịch vụ thông thường" in plain.vi and "ordinary services" in plain.en


def test_a_certified_victim_is_supported_even_with_no_story_on_file(library):
    a = assess(make_case(acts=(), means=(), purposes=(), documents=("police_victim_certificate",)), library)
    assert a.value("entitlements")["p1"]["group"] == "V" and "essential_needs" in a.value("entitlements")["p1"]["now"]


# Item 2 — Law 2011 Art 32 gives medical, psychological and legal aid to foreign *victims*; a foreigner
# awaiting verification gets essential needs and travel (Decree 09 Art 19.1.b [S20]) until identified.
def test_regime_a_unverified_foreigner_gets_essentials_and_travel_until_identified(library):
    a = assess(make_case(day=date(2016, 5, 1), nationality="foreign"), library).value("entitlements")["p1"]
    assert a["group"] == "W" and set(a["now"]) == {"essential_needs", "travel"}
    assert {"medical", "psychological", "legal_aid"} <= set(a["if_identified"])
    verified = assess(make_case(nationality="foreign", documents=("police_victim_certificate",)), library)
    assert verified.value("entitlements")["p1"]["group"] == "F"


# Item 3, as a property: for every bundled scenario and many dates within its regime, every citation the
# engine and the scorer give is of a text in force on the case's date, and trainee text has no source tag.
def _dates_in_regime(library, scenario, count: int = 6) -> list[date]:
    regime = library.rules_on(scenario.date)
    start = max(regime.effective_from, date(2012, 1, 1))
    end = regime.effective_to or date(2027, 12, 31)
    region = library.region(scenario.region)
    start, end = max(start, region.valid_from), min(end, region.valid_to or end)
    step = max(1, (end - start).days // (count - 1))
    return [start] + [date.fromordinal(start.toordinal() + i * step) for i in range(1, count - 1)] + [end]


def test_every_scenario_cites_only_texts_in_force_on_many_dates(library):
    import re

    from sim.cases.generator import generate_case
    from sim.training.answer_key import safe_interview
    from sim.training.answers import Submission
    from sim.training.scoring import score

    tag = re.compile(r"\[[SA]\d+\]")
    checked = 0
    for scenario in library.catalog.scenarios().values():
        for day in _dates_in_regime(library, scenario):
            case = generate_case(scenario.model_copy(update={"date": day}), library, seed=day.toordinal())
            truth = assess(case, library)
            blank = Submission(case=case, decision_points=list(scenario.decision_points), actions=safe_interview(case))
            report = score(blank, truth, library).to_dict(library)
            cited = [c for d in truth.determinations.values() for r in d.rules for c in r.basis]
            for c in cited:
                assert library.rulebook.texts[c.text].in_force_on(day), (scenario.id, day, c)
            findings = [f for p in report["points"] for f in p["findings"]] + report["critical_errors"]
            for f in findings:
                for c in f["basis"]:
                    assert (c["in_force_from"] or "0000") <= day.isoformat() <= (c["in_force_to"] or "9999"), c
                    assert c["article"] or c["provision"], c
                    assert not tag.search(c["vi"] + c["en"] + f["vi"] + f["en"]), (scenario.id, f)
            checked += 1
    assert checked >= 12 * 6


def test_a_screened_person_with_nothing_to_refer_can_be_answered_at_d10(library):
    """The form has "no victim-support referral": an empty plan is then an answer, scored in full."""
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(acts=(), means=(), purposes=(), needs=(), profile="irregular_migrant")
    truth = assess(case, library)
    assert truth.value("referral")["agencies"] == []
    answered = score(
        Submission(case=case, decision_points=["D10"], answers={"D10": {"none_needed": True}}), truth, library
    )
    assert answered.points[0].points == answered.points[0].max_points
    blank = score(Submission(case=case, decision_points=["D10"]), truth, library)
    assert blank.points[0].points == 0.0


# Item 4 — district police were abolished on 1 Mar 2025 [S69]: the 3-day initial step (Law 2011 Art 24.4)
# names its partner by date, like the 20-day verifier; a dated duty naming an agency that no longer exists
# is refused when the library is built.
@pytest.mark.parametrize(
    "day, partner, status",
    [(date(2025, 2, 28), "district_police", "confirmed"), (date(2025, 3, 1), "provincial_police", "inferred")],
)
def test_the_initial_step_names_the_police_that_existed_on_the_day(library, day, partner, status):
    a = assess(make_case(day=day), library)
    assert a.value("verification")["initial"]["partner"] == partner
    assert _rules(a, "verification")["initial_verification.partner"] == status


def test_a_dated_duty_of_an_agency_that_no_longer_exists_is_refused(library):
    from sim.errors import DataError

    a = library.rulebook.for_regime("A")
    undated = a.initial_verification.partners[0].model_copy(update={"until": None})
    changed = a.model_copy(
        update={"initial_verification": a.initial_verification.model_copy(update={"partners": [undated]})}
    )
    with pytest.raises(DataError, match="'district_police' does not exist on every day"):
        library.with_regime(changed)


# "What the law requires, in one plain sentence", for every critical error, in both languages.
def test_every_critical_error_says_what_the_law_requires_in_both_languages(library):
    from sim.training.answers import Submission
    from sim.training.scoring import score

    for code, error in library.rulebook.critical_errors.items():
        assert error.plain.vi.endswith(".") and error.plain.en.endswith("."), code
    case = make_case()
    refused = Submission(case=case, decision_points=["D1"], answers={"D1": {"receive": "send_to_district"}})
    report = score(refused, assess(case, library), library).to_dict(library)
    e01 = report["critical_errors"][0]
    assert e01["rule"] == "E01" and e01["plain"] == library.rulebook.critical_errors["E01"].plain.model_dump()


def test_d6_asks_a_screened_person_to_be_screened_not_verified(library):
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(acts=(), means=(), purposes=(), profile="irregular_migrant")
    truth = assess(case, library)
    key = answer_key(case, truth).model_dump()
    assert key["D6"]["verification"] == "screened" and key["D6"]["verifier"] is None
    wrong = {**key["D6"], "verification": "needed"}
    report = score(Submission(case=case, decision_points=["D6"], answers={"D6": wrong}), truth, library)
    finding = next(f for f in report.points[0].findings if f.rule == "verification.needed")
    assert "không có dấu hiệu bị mua bán" in finding.message[0]


def test_deductions_say_what_was_missed_and_what_was_ticked_without_need(library):
    """A missed item reads "bạn chưa chọn …", an extra one "không cần chọn …" (not as if the right ones were missing)."""
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case()
    truth = assess(case, library)
    key = answer_key(case, truth).model_dump()
    extra = {**key["D5"], "acts": [*key["D5"]["acts"], "harbour"]}
    missed = {**key["D5"], "acts": key["D5"]["acts"][:1]}
    for answer, vi, en in [
        (extra, "không cần chọn", "there was no need to choose"),
        (missed, "bạn chưa chọn", "you did not choose"),
    ]:
        report = score(Submission(case=case, decision_points=["D5"], answers={"D5": answer}), truth, library)
        finding = next(f for f in report.points[0].findings if f.rule == "signs_of_trafficking.acts")
        assert finding.message[0].startswith(f"Hành vi: {vi} ") and finding.message[1].startswith(f"Acts: {en} ")


def test_every_determination_a_trainee_is_scored_on_says_what_the_law_requires(library):
    """Before each citation, one plain sentence: every determination has a rule with ``plain`` (both languages)."""
    from sim.cases.generator import generate_cases

    exempt = {"regime", "receive", "victim_documents"}  # receive: E01's plain; documents: one rule per document
    for scenario in library.catalog.scenarios().values():
        for case in generate_cases(scenario, library, 3, seed=2):
            a = assess(case, library)
            for name, d in a.determinations.items():
                if name in exempt or not d.rules:
                    continue
                plain = next((r.plain for r in d.rules if r.plain), None)
                assert plain and plain.vi and plain.en, (scenario.id, name)


# Item 4, the referral graph: from 1 Mar 2025 the district police are gone from the graph too, so the
# referral plan (D10) sends verification to the provincial police, as D6 does.
def test_the_referral_plan_after_1_march_2025_verifies_with_the_provincial_police(library):
    before = assess(make_case(day=date(2025, 2, 28)), library).value("referral")["paths"]["verification"]
    after = assess(make_case(day=date(2025, 3, 1)), library).value("referral")["paths"]["verification"]
    assert before[-1] == "district_police" and after[-1] == "provincial_police"
    a = assess(make_case(day=date(2025, 3, 1)), library)
    assert a.value("verification")["verifier"] == after[-1]


def test_an_adult_who_can_write_makes_their_own_declaration(library):
    """The key says "person writes"; writing it for them costs a little, so the key and the score agree."""
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(age=30, can_write=True)
    truth = assess(case, library)
    key = answer_key(case, truth).model_dump()["D2"]
    assert key["statement"] == "person_writes"
    for statement, full in (("person_writes", True), ("officer_writes", False)):
        answer = {"D2": {**key, "statement": statement}}
        d2 = score(Submission(case=case, decision_points=["D2"], answers=answer), truth, library).points[0]
        assert (d2.points == d2.max_points) is full


# Trial finding: on 28/02/2025 the district police still existed, so notifying them beside the Labour office is
# no wrong-regime error (E20); from 01/03/2025 they no longer existed, and in a 2016 case the health department
# is the body of the other law.
@pytest.mark.parametrize(
    "day, also_notified, wrong",
    [
        (date(2025, 2, 28), "district_police", False),
        (date(2025, 3, 1), "district_police", True),
        (date(2016, 9, 12), "provincial_health_dept", True),
        (date(2016, 9, 12), "provincial_labour_dept", False),
        (date(2026, 3, 2), "district_labour_office", True),
    ],
)
def test_the_wrong_regime_error_judges_each_body_by_the_case_date(library, day, also_notified, wrong):
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(day=day)
    truth = assess(case, library)
    d4 = answer_key(case, truth).model_dump()["D4"]
    answer = {**d4, "agencies": [*d4["agencies"], also_notified]}
    report = score(Submission(case=case, decision_points=["D4"], answers={"D4": answer}), truth, library)
    assert ("E20" in [e.rule for e in report.critical_errors]) is wrong


def test_a_wrong_verifier_is_named_as_the_trainee_s_choice_beside_the_right_one(library):
    """Trial finding: "Cơ quan xác minh: Công an tỉnh" read as if the right body were the mistake."""
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(day=date(2025, 3, 1))
    truth = assess(case, library)
    d6 = {**answer_key(case, truth).model_dump()["D6"], "verifier": "district_police"}
    report = score(Submission(case=case, decision_points=["D6"], answers={"D6": d6}), truth, library)
    finding = next(f for f in report.points[0].findings if f.rule == "verification.verifier")
    assert finding.message[0].startswith("Cơ quan xác minh đúng là Công an tỉnh")
    assert "bạn chọn Công an huyện" in finding.message[0], finding.message


# "Facts the case format cannot express yet" (issue 8): each new fact, and what the law makes of it.
def test_a_certified_victim_with_no_story_on_file_is_not_no_signs(library):
    """Unknown acts, means and purposes (null) are undetermined, never read as "no signs" (E18 not at risk)."""
    case = make_case(documents=("police_victim_certificate",), acts=None, means=None, purposes=None)
    a = assess(case, library)
    signs = a.value("signs_of_trafficking")
    assert (signs["indicated"], signs["undetermined"], signs["unknown"]) == (False, True, ["acts", "means", "purposes"])
    assert a.value("entitlements")["p1"]["group"] == "V" and "E18" not in a.critical_errors_at_risk
    assert "follow_up" in a.value("referral")["services"]


def test_unknown_facts_without_a_document_go_to_verification_not_screening(library):
    a = assess(make_case(acts=None, means=None, purposes=None), library)
    assert a.value("verification")["needed"] and not a.value("verification")["screened_out"]
    assert a.value("entitlements")["p1"]["group"] == "W"


def test_facts_known_to_be_absent_still_screen_the_person(library):
    a = assess(make_case(acts=(), means=(), purposes=(), profile="irregular_migrant"), library)
    assert a.value("verification")["screened_out"] and not a.value("signs_of_trafficking")["undetermined"]


def test_the_under_18_rule_reads_the_age_when_the_trafficking_began(library):
    """A 19-year-old taken at 16 with no means recorded shows signs; the estimate alone (19 − 1) would not."""
    facts = dict(age=19, months_away=12, acts=("recruit", "transport"), means=(), purposes=("forced_marriage",))
    assert not assess(make_case(**facts), library).value("signs_of_trafficking")["indicated"]
    assert assess(make_case(**facts, age_at_start=16), library).value("signs_of_trafficking")["indicated"]


@pytest.mark.parametrize("months_ago, open_", [(11, True), (13, False)])
def test_reintegration_support_is_referred_only_within_12_months_of_certification(library, months_ago, open_):
    """Decree 09/2013 Art 23: the application is made within 12 months of certification [S22]."""
    from sim.law.primitives import add_months

    day = date(2023, 11, 20)
    case = make_case(
        day=day, documents=("police_victim_certificate",), issued=add_months(day, -months_ago), needs=("vocational",)
    )
    referral = assess(case, library).value("referral")
    assert referral["reintegration"]["window_open"] is open_
    assert ("vocational" in referral["services"]) is open_ and ("support_decision" in referral["services"]) is open_


def test_a_document_cannot_be_issued_after_the_case_date():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="documents issued after the case date"):
        make_case(documents=("police_victim_certificate",), issued=date(2030, 1, 1))


def test_a_victim_who_does_not_ask_for_support_gets_no_application_made_for_them(library):
    case = make_case(documents=("police_victim_certificate",), needs=("vocational", "food"), asks_for_support=False)
    services = assess(case, library).value("referral")["services"]
    assert "vocational" not in services and "support_decision" not in services and "follow_up" in services


def test_a_parent_suspected_of_selling_the_child_means_separation_and_the_12_hour_duty(library):
    """Decree 56/2017 Art 26 [S73]: emergency intervention or separation within 12 hours; not escorted home."""
    case = make_case(day=date(2026, 9, 14), age=14, family_suspected=True, parent_suspected=True)
    a = assess(case, library)
    child = a.value("child_duties")
    assert child["return_home"] == "separate_from_parent" and child["emergency_within_hours"] == 12
    assert "escort_to_relatives" not in child["duties"] and "escort" not in a.value("referral")["services"]
    assert "suspected_family" in a.value("confidentiality")["never_contact"]
    assert _rules(a, "child_duties")["children.separation"] == "inferred"


def test_handing_the_child_back_to_the_suspected_parent_is_the_missed_emergency(library):
    from sim.training.answer_key import answer_key
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(day=date(2026, 9, 14), age=14, family_suspected=True, parent_suspected=True)
    truth = assess(case, library)
    d9 = {**answer_key(case, truth).model_dump()["D9"], "return_home": "escort"}
    report = score(Submission(case=case, decision_points=["D9"], answers={"D9": d9}), truth, library)
    assert "child_duties.separation" in [f.rule for f in report.points[0].findings]
    assert "E11" in [e.rule for e in report.critical_errors]


def test_a_parent_suspected_needs_family_suspected():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="parent_suspected needs truth.family_suspected"):
        make_case(age=14, parent_suspected=True)


@pytest.mark.parametrize("day, lawful", [(date(2026, 6, 15), True), (date(2019, 8, 5), False)])
def test_a_mission_s_victim_certificate_proves_status_only_under_the_2024_law(library, day, lawful):
    case = make_case(day=day, entry_route="via_mission", documents=("mission_victim_certificate",))
    a = assess(case, library)
    assert bool(a.value("victim_documents")["lawful"]) is lawful
    assert a.value("verification")["needed"] is not lawful


def test_a_deportee_with_signs_is_a_possible_victim_not_screened(library):
    a = assess(make_case(entry_route="deported", day=date(2026, 2, 9)), library)
    assert a.value("verification")["needed"] and a.value("intake")["form"] == "abroad_declaration"


def test_a_case_before_decree_62_cites_the_law_s_grounds_for_identification(library):
    """Item 8 sweep: between 1 Jan and 9 Oct 2012 only Law 2011 Art 27 (grounds for identification) was in force."""
    a = assess(make_case(day=date(2012, 5, 2)), library)
    rule = next(r for r in a.determinations["signs_of_trafficking"].rules if r.rule == "identification")
    assert [(c.text, c.article) for c in rule.basis] == [("law-2011", "27")]


# Legal sweep (item 8): each child duty has its own basis and is required only while a text of it is in force.
@pytest.mark.parametrize(
    "day, guardian",
    [(date(2019, 5, 6), False), (date(2025, 9, 15), False), (date(2026, 1, 1), True)],
)
def test_the_guardian_duty_is_required_only_from_the_juvenile_justice_law(library, day, guardian):
    """Law 59/2024/QH15 Art 22 [S112] is in force from 01/01/2026; the officer writing the statement [S37] always."""
    duties = assess(make_case(day=day, age=15), library).value("child_duties")["duties"]
    assert "officer_writes_statement" in duties and ("guardian_present" in duties) is guardian


@pytest.mark.parametrize("at_risk", [False, True])
def test_hotline_111_is_required_only_for_a_child_at_serious_risk(library, at_risk):
    """Reports go to 111 *or* the local authorities [S73]: the commune is one, so 111 only at serious risk."""
    case = make_case(day=date(2026, 5, 4), age=15, child_at_serious_risk=at_risk)
    a = assess(case, library)
    assert ("hotline_111" in a.value("child_duties")["duties"]) is at_risk
    if at_risk:
        assert _rules(a, "child_duties")["children.duties.hotline_111"] == "inferred"


def test_confidentiality_states_the_exception_the_law_makes(library):
    """Law 2011 Art 31 and Law 2024 Art 3.10: secret "unless the law provides otherwise" (the commune must notify)."""
    for regime in ("A", "B"):
        plain = library.rulebook.for_regime(regime).confidentiality.plain
        assert "trừ trường hợp pháp luật có quy định khác" in plain.vi and "except where the law" in plain.en
    assert library.rulebook.for_regime("A").confidentiality.status == "inferred"


def test_the_regime_b_police_verification_time_limit_is_not_shown_as_a_number(library):
    """Addendum 8.2: the 3 days are the health department's initial step; the police time limit is unconfirmed."""
    path = library.service_path_on(date(2026, 3, 2), "verification")
    assert path[-1] == "provincial_police"
    assert library.path_deadline_hours("B", path) is None


def test_the_identification_sentence_names_the_sale_as_a_ground_of_its_own(library):
    for regime in ("A", "B"):
        assert "bị bán (đổi lấy tiền" in library.rulebook.for_regime(regime).identification.plain.vi


def test_a_critical_error_is_at_risk_only_while_a_text_forbidding_it_is_in_force(library):
    """E11 (the 12-hour child emergency) rests on Decree 56/2017: never at risk in a 2016 case, at risk in 2019."""
    facts = dict(age=15, child_at_serious_risk=True)
    assert "E11" not in assess(make_case(day=date(2016, 9, 12), **facts), library).critical_errors_at_risk
    assert "E11" in assess(make_case(day=date(2019, 5, 6), **facts), library).critical_errors_at_risk


def test_placing_a_child_separated_from_a_suspected_parent_is_not_a_forced_shelter(library):
    """Trial finding: separation means a safe place; referring the child to a facility must not flag E13."""
    from sim.training.answers import Submission
    from sim.training.scoring import score

    case = make_case(
        day=date(2026, 9, 14), age=14, family_suspected=True, parent_suspected=True, needs=("food", "shelter")
    )
    truth = assess(case, library)
    assert "shelter" in truth.value("referral")["services"]
    facility = sorted(library.providers("B", "shelter"))[0]
    answer = {"D10": {"agencies": [*truth.value("referral")["agencies"], facility]}}
    report = score(Submission(case=case, decision_points=["D10"], answers=answer), truth, library)
    assert "E13" not in [e.rule for e in report.critical_errors]


def test_a_certified_victim_need_not_be_asked_to_retell_the_story(library):
    """Trial finding (certified-no-story-2024): not asking the story questions of a certified victim costs nothing."""
    from sim.training.answers import Submission
    from sim.training.scoring import score

    for documents, lost in [(("police_victim_certificate",), False), ((), True)]:
        case = make_case(documents=documents, acts=None, means=None, purposes=None)
        report = score(Submission(case=case, decision_points=["D1"]), assess(case, library), library)
        rules = [f.rule for p in report.points for f in p.findings]
        assert ("process.key_questions" in rules) is lost, rules
