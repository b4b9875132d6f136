from __future__ import annotations

import pytest

from sim.law.referral import check_referral_plan, load_agencies, notified_agencies, providers, referral_graph, service_path


@pytest.mark.parametrize("regime, notified, verifier", [("A", ["district_labour_office"], "district_police"), ("B", ["provincial_health_dept"], "provincial_police")])
def test_notification_and_verification_chain(regime, notified, verifier):
    G = referral_graph(regime)
    assert notified_agencies(G) == notified
    assert service_path(G, "verification") == ["commune_pc", notified[0], verifier]


def test_district_level_exists_only_in_regime_a():
    assert "district_labour_office" in referral_graph("A") and "district_labour_office" not in referral_graph("B")
    assert all(level != "district" for _, level in referral_graph("B").nodes(data="level"))


def test_every_edge_carries_purpose_and_basis():
    for regime in "AB":
        for _, _, data in referral_graph(regime).edges(data=True):
            assert data["purpose"] and data["basis"] and data["status"]


def test_every_service_is_reachable_from_the_commune():
    vocabulary_services = {"essential_needs", "travel", "medical", "psychological", "legal_aid", "education", "vocational", "loan",
                           "shelter", "verification", "protection", "child_protection", "escort", "follow_up", "support_decision",
                           "hardship_allowance"}
    for regime in "AB":
        G = referral_graph(regime)
        for service in vocabulary_services:
            assert service_path(G, service), (regime, service)
    assert service_path(referral_graph("B"), "interpretation") == ["commune_pc", "provincial_health_dept"]


def test_plan_check_reports_reached_and_missing_services():
    G = referral_graph("B")
    result = check_referral_plan(G, ["provincial_health_dept", "legal_aid_centre", "social_policy_bank"], ["legal_aid", "shelter", "loan"])
    assert result["legal_aid"]["reached"] and result["loan"]["reached"]
    assert not result["shelter"]["reached"] and result["shelter"]["correct_path"][-1] == "social_assistance_facility"


def test_a_plan_that_skips_the_hand_over_does_not_reach():
    """Choosing the facility without the body that refers to it does not count."""
    result = check_referral_plan(referral_graph("A"), ["social_assistance_facility"], ["shelter"])
    assert not result["shelter"]["reached"]


def test_names_are_filled_from_the_region():
    G = referral_graph("B", {"province": "Lâm Đồng", "commune": "xã Phan Sơn"})
    assert G.nodes["provincial_health_dept"]["vi"] == "Sở Y tế tỉnh Lâm Đồng"
    assert G.nodes["commune_pc"]["vi"] == "UBND xã Phan Sơn"


def test_providers_and_agency_data():
    assert providers(referral_graph("A"), "verification") == ["district_police"]
    agencies = load_agencies().agencies
    assert agencies["district_police"].regimes == ["A"] and agencies["provincial_health_dept"].en.endswith("Department of Health")


def test_plan_timing_against_the_deadlines_on_the_path():
    G = referral_graph("A")
    plan = ["district_labour_office", "district_police"]
    on_time = check_referral_plan(G, plan, ["verification"], elapsed_hours={"verification": 24 * 19})
    late = check_referral_plan(G, plan, ["verification"], elapsed_hours={"verification": 24 * 21})
    assert on_time["verification"]["deadline_hours"] == 480 and on_time["verification"]["in_time"] is True
    assert late["verification"]["in_time"] is False
    notified = check_referral_plan(G, ["district_labour_office"], ["travel"], elapsed_hours={"travel": 0})
    assert notified["travel"]["deadline_hours"] == 0 and notified["travel"]["in_time"] is True
