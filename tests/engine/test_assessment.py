"""Rule-engine tests built from the reference's cases (§a, §b8 profiles, §c, §d errors), both regimes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine.assessment import assess
from tests.conftest import REGIME_B_DAY, make_case

LAWFUL = [
    "police_victim_certificate",
    "rescuing_agency_certificate",
    "procedural_body_document",
    "legalised_foreign_document",
    "certificate_of_return",
]


def test_forced_marriage_self_return_regime_a(library):
    """§b8 profile 1 / S1: commune → district Labour office within 3 days → district police within 20 days."""
    a = assess(make_case(), library)
    assert a.regime == "A"
    assert a.value("signs_of_trafficking")["indicated"] is True
    assert a.value("notification")["agencies"] == ["district_labour_office"]
    assert a.value("notification")["deadlines"]["district_labour_office"].kind == "immediately"
    verification = a.value("verification")
    assert verification["needed"] and verification["verifier"] == "district_police"
    assert verification["deadline"].amount == 20 and verification["initial"]["deadline"].amount == 3
    assert a.value("intake")["form"] == "abroad_declaration"


def test_regime_b_notifies_provincial_health_and_provincial_police(library):
    a = assess(make_case(day=REGIME_B_DAY), library)
    assert a.regime == "B"
    assert a.value("notification")["agencies"] == ["provincial_health_dept"]
    assert a.value("verification")["verifier"] == "provincial_police"
    assert a.value("verification")["deadline"].kind == "unconfirmed"
    rule = a.determinations["verification"].rules[0]
    assert rule.status == "unconfirmed"


def test_30_june_and_1_july_2025_differ_in_the_notified_agency(library):
    before = assess(make_case(day=date(2025, 6, 30)), library)
    after = assess(make_case(day=date(2025, 7, 1)), library)
    assert before.value("notification")["agencies"] == ["district_labour_office"]
    assert after.value("notification")["agencies"] == ["provincial_health_dept"]


def test_district_police_gone_from_march_2025_verifier_is_inferred(library):
    a = assess(make_case(day=date(2025, 4, 1)), library)
    assert a.value("verification")["verifier"] == "provincial_police"
    assert a.determinations["verification"].rules[0].status == "inferred"


@pytest.mark.parametrize(
    "age, means, indicated", [(16, (), True), (17, (), True), (30, (), False), (30, ("threat",), True)]
)
def test_under_18_rule_means_need_not_be_shown(library, age, means, indicated):
    a = assess(make_case(age=age, acts=("recruit", "transport"), means=means, months_away=0), library)
    assert a.value("signs_of_trafficking")["indicated"] is indicated
    assert a.value("signs_of_trafficking")["means_required"] is (age >= 18)


def test_under_18_rule_looks_at_age_when_trafficked(library):
    """Trafficked at 16, back at 19 after 3 years: the means still need not be shown."""
    a = assess(make_case(age=19, acts=("recruit", "transport"), means=(), months_away=36), library)
    assert a.value("signs_of_trafficking")["indicated"] is True


@pytest.mark.parametrize(
    "profile, acts, means, purposes",
    [
        ("commercial_surrogacy", ("transport",), (), ()),
        ("irregular_migrant", (), (), ()),
    ],
)
def test_not_a_victim_cases_are_screened_and_get_no_victim_support(library, profile, acts, means, purposes):
    """S89 / S82: surrogacy and irregular migration are not trafficking: screened, ordinary services (issue 8)."""
    a = assess(make_case(profile=profile, acts=acts, means=means, purposes=purposes), library)
    assert a.value("signs_of_trafficking")["indicated"] is False
    assert a.value("verification")["needed"] is False and a.value("verification")["screened_out"] is True
    assert a.value("entitlements")["p1"] == {"group": "S", "now": [], "if_identified": []}
    assert a.determinations["entitlements"].rules[0].rule == "screening"
    assert "E18" in a.critical_errors_at_risk and "E08" not in a.critical_errors_at_risk


@pytest.mark.parametrize("document", LAWFUL)
def test_lawful_documents_make_verification_unnecessary(library, document):
    a = assess(make_case(documents=(document,)), library)
    assert a.value("victim_documents")["lawful"] == [document]
    assert a.value("verification")["needed"] is False
    assert a.value("entitlements")["p1"]["group"] == "V"


def test_certificate_of_return_counts_only_as_inferred(library):
    a = assess(make_case(documents=("certificate_of_return",), entry_route="official_repatriation"), library)
    statuses = {r.rule: r.status for r in a.determinations["victim_documents"].rules}
    assert statuses["victim_documents.certificate_of_return"] == "inferred"


def test_id_card_and_unlegalised_papers_do_not_prove_status(library):
    a = assess(make_case(documents=("national_id", "unlegalised_foreign_document")), library)
    assert a.value("victim_documents")["lawful"] == []
    assert a.value("verification")["needed"] is True
    assert a.value("victim_documents")["own_statement_is_evidence"] is True
    assert a.value("victim_documents")["commune_may_certify"] is False


def test_awaiting_verification_gets_essentials_before_verdict(library):
    """E03: persons awaiting verification are entitled to essential needs (Decree 09 Art 19.1.b)."""
    a = assess(make_case(needs=("food", "clothing", "lodging", "travel_home", "legal_aid")), library)
    assert a.value("entitlements")["p1"]["group"] == "W"
    assert a.value("immediate_support")["provide"] == ["food", "clothing", "lodging", "travel_home"]
    assert "E03" in a.critical_errors_at_risk


def test_regime_a_education_only_for_poor_minors_regime_b_for_all_minors(library):
    not_poor_child = dict(age=15, household="not_poor", documents=("police_victim_certificate",))
    assert "education" not in assess(make_case(**not_poor_child), library).value("entitlements")["p1"]["now"]
    assert (
        "education" in assess(make_case(day=REGIME_B_DAY, **not_poor_child), library).value("entitlements")["p1"]["now"]
    )


def test_foreign_victim_entitlements_per_regime(library):
    """§c: foreign victims get a–d (A) or essentials, medical, interpretation, legal info, legal aid, psychological (B)."""
    papers = ("police_victim_certificate",)
    a = assess(make_case(nationality="foreign", documents=papers), library).value("entitlements")["p1"]
    b = assess(make_case(day=REGIME_B_DAY, nationality="foreign", documents=papers), library).value("entitlements")[
        "p1"
    ]
    assert a["group"] == "F" and set(a["now"]) == {"essential_needs", "travel", "medical", "psychological", "legal_aid"}
    assert set(b["now"]) == {
        "essential_needs",
        "medical",
        "interpretation",
        "legal_information",
        "legal_aid",
        "psychological",
    }


def test_accompanying_child_entitlements_and_child_duties(library):
    a = assess(make_case(children=(3,), day=REGIME_B_DAY), library)
    child = a.value("entitlements")["c1"]
    assert child["group"] == "M" and "education" in child["now"]
    duties = a.value("child_duties")
    assert duties["applies"] and "officer_writes_statement" in duties["duties"]
    assert "escort_to_relatives" not in duties["duties"]  # the adult mother takes her child home
    assert "c1" in a.value("intake")["officer_writes_for"]


def test_child_victim_at_serious_risk(library):
    a = assess(
        make_case(
            day=date(2018, 5, 1),
            age=15,
            means=(),
            child_at_serious_risk=True,
            profile="domestic_child",
            destination="domestic",
        ),
        library,
    )
    duties = a.value("child_duties")
    assert "escort_to_relatives" in duties["duties"] and "emergency_intervention_12h" not in duties["duties"]
    assert duties["emergency_within_hours"] == 12 and duties["escort_by"] == "district_labour_office"
    assert {"E09", "E10", "E11"} <= set(a.critical_errors_at_risk)
    assert "escort" in a.value("referral")["services"]
    assert a.value("intake")["form"] == "domestic_declaration"


def test_threats_to_relatives_indicate_protection_with_consent(library):
    a = assess(make_case(threats=("to_relatives",), trafficker_nearby=True, refuses_protection=True), library)
    protection = a.value("protection")
    assert (
        protection["indicated"]
        and "guards" in protection["measures"]
        and "secrecy_of_identity" in protection["measures"]
    )
    assert protection["refusal_allowed"] and protection["record_refusal"]
    assert "protection" not in a.value("referral")["services"]  # refused: recorded, not forced (E13)
    assert {"E12", "E13", "E14"} <= set(a.critical_errors_at_risk)


def test_unable_to_write_adult_gets_the_statement_written(library):
    assert assess(make_case(can_write=False), library).value("intake")["officer_writes_for"] == ["p1"]


def test_shelter_only_when_wished_or_homeless(library):
    assert "shelter" not in assess(make_case(needs=("shelter",)), library).value("referral")["services"]
    assert assess(make_case(needs=("shelter",), wishes_shelter=True), library).value("referral")["paths"][
        "shelter"
    ] == ["commune_pc", "district_labour_office", "social_assistance_facility"]


def test_every_determination_cites_its_rules(library):
    a = assess(make_case(children=(2,), threats=("to_person",)), library)
    for d in a.determinations.values():
        assert d.rules and all(r.basis for r in d.rules), d.id
        assert d.facts, d.id


@settings(max_examples=60, deadline=None)
@given(document=st.sampled_from(LAWFUL), age=st.integers(0, 70), day_offset=st.integers(0, 6000), extra=st.booleans())
def test_adding_a_lawful_document_never_makes_verification_more_necessary(library, document, age, day_offset, extra):
    day = date(2012, 1, 1) + timedelta(days=day_offset)
    base = ("national_id",) if extra else ()
    without = assess(make_case(day=day, age=age, documents=base), library).value("verification")["needed"]
    with_doc = assess(make_case(day=day, age=age, documents=base + (document,)), library).value("verification")[
        "needed"
    ]
    assert with_doc <= without


@settings(max_examples=60, deadline=None)
@given(day_offset=st.integers(0, 7000))
def test_the_notified_agency_exists_in_the_graph_of_the_regime_in_force(library, day_offset):
    day = date(2012, 1, 1) + timedelta(days=day_offset)
    a = assess(make_case(day=day), library)
    assert set(a.value("notification")["agencies"]) <= set(library.graph(a.regime).nodes)


@settings(max_examples=40, deadline=None)
@given(age=st.integers(0, 17))
def test_a_child_is_never_left_without_child_duties(library, age):
    a = assess(make_case(age=age, means=()), library)
    assert a.value("child_duties")["applies"] and "officer_writes_statement" in a.value("child_duties")["duties"]


def test_the_regime_comes_from_the_library_on_the_case_date(library):
    a = assess(make_case(day=date(2025, 6, 30)), library)
    rules = library.rules_on(date(2025, 6, 30))
    assert a.value("regime") == {"regime": rules.regime, "rulebook": rules.id, "version": rules.version}
    assert a.rulebook == library.version


def test_assessing_twice_gives_the_same_answer(library):
    case = make_case(children=(2,), threats=("to_person",), day=REGIME_B_DAY)
    assert assess(case, library) == assess(case, library)


def test_child_duties_apply_when_anyone_is_under_18():
    from sim.engine.assessment import child_duties_apply

    assert not child_duties_apply(make_case())
    assert child_duties_apply(make_case(children=(4,))) and child_duties_apply(make_case(age=16))


def test_assessment_report_renders_every_citation_in_both_languages(library):
    import json

    from sim.engine.report import assessment_report, json_default

    a = assess(make_case(children=(2,)), library)
    report = assessment_report(a, library)
    assert report["regime"] == "A" and set(report["determinations"]) == set(a.determinations)
    for d in report["determinations"].values():
        for c in (c for r in d["rules"] for c in r["basis"]):
            assert set(c) >= {
                "text",
                "article",
                "clause",
                "point",
                "in_force_from",
                "in_force_to",
                "sources",
                "vi",
                "en",
            }
            assert c["vi"] and c["en"] and "[" not in c["vi"] + c["en"]  # source tags stay in `sources`
    assert [e["id"] for e in report["critical_errors_at_risk"]] == a.critical_errors_at_risk
    assert json.loads(json.dumps(report, default=json_default))["determinations"]["verification"]["value"][
        "deadline"
    ] == {"kind": "days", "amount": 20}
