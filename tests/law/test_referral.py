from __future__ import annotations

from datetime import date

import pytest

from sim.law.referral import (
    ROOT,
    build_referral_graph,
    check_referral_plan,
    notified_agencies,
    path_deadline_hours,
    plan_paths,
    providers,
    read_agencies,
    service_path,
)
from sim.locations import PACKAGED_DATA


@pytest.mark.parametrize(
    "regime, notified, verifier",
    [("A", ["district_labour_office"], "district_police"), ("B", ["provincial_health_dept"], "provincial_police")],
)
def test_notification_and_verification_chain(library, regime, notified, verifier):
    G = library.graph(regime)
    assert notified_agencies(G) == notified
    assert service_path(G, "verification") == ["commune_pc", notified[0], verifier]
    day = date(2016, 5, 1) if regime == "A" else date(2026, 1, 1)
    assert library.service_path_on(day, "verification") == ("commune_pc", notified[0], verifier)


def test_district_level_exists_only_in_regime_a(library):
    assert "district_labour_office" in library.graph("A") and "district_labour_office" not in library.graph("B")
    assert all(level != "district" for _, level in library.graph("B").nodes(data="level"))


def test_every_edge_carries_purpose_and_basis(library):
    for regime in "AB":
        for _, _, data in library.graph(regime).edges(data=True):
            assert data["purpose"] and data["basis"] and data["status"]


def test_every_service_is_reachable_from_the_commune(library):
    vocabulary_services = {
        "essential_needs",
        "travel",
        "medical",
        "psychological",
        "legal_aid",
        "education",
        "vocational",
        "loan",
        "shelter",
        "verification",
        "protection",
        "child_protection",
        "escort",
        "follow_up",
        "support_decision",
        "hardship_allowance",
    }
    for regime in "AB":
        G = library.graph(regime)
        for service in vocabulary_services:
            assert service_path(G, service), (regime, service)
    assert service_path(library.graph("B"), "interpretation") == ["commune_pc", "provincial_health_dept"]


def test_plan_check_reports_reached_and_missing_services(library):
    G = library.graph("B")
    result = check_referral_plan(
        G, ["provincial_health_dept", "legal_aid_centre", "social_policy_bank"], ["legal_aid", "shelter", "loan"]
    )
    assert result["legal_aid"]["reached"] and result["loan"]["reached"]
    assert not result["shelter"]["reached"] and result["shelter"]["correct_path"][-1] == "social_assistance_facility"


def test_plan_check_uses_the_correct_paths_it_is_given(library):
    """The scorer hands over the rule engine's paths, so the check does not search for them again."""
    G = library.graph("B")
    given = {"shelter": ["commune_pc", "provincial_health_dept", "social_assistance_facility"], "loan": None}
    result = check_referral_plan(G, [], ["shelter", "loan", "legal_aid"], correct_paths=given)
    assert (
        result["shelter"]["correct_path"] == given["shelter"]
        and result["shelter"]["correct_path"] is not given["shelter"]
    )
    assert result["loan"]["correct_path"] is None  # given as unreachable: trusted, not searched
    assert result["legal_aid"]["correct_path"] == service_path(G, "legal_aid")  # not given: searched


def test_a_plan_that_skips_the_hand_over_does_not_reach(library):
    """Choosing the facility without the body that refers to it does not count."""
    result = check_referral_plan(library.graph("A"), ["social_assistance_facility"], ["shelter"])
    assert not result["shelter"]["reached"]
    assert plan_paths(library.graph("A"), ["social_assistance_facility"]) == []


def test_names_are_filled_from_the_region(library):
    names = {"province": "Lâm Đồng", "commune": "xã Phan Sơn"}
    G = library.graph("B", names)
    assert G.nodes["provincial_health_dept"]["vi"] == "Sở Y tế tỉnh Lâm Đồng"
    assert G.nodes["commune_pc"]["vi"] == "UBND xã Phan Sơn"
    assert library.graph("B", names) is G and library.graph("B") is not G
    built = build_referral_graph(library.agencies, "B", names)
    assert dict(built.nodes(data=True)) == dict(G.nodes(data=True)) and sorted(built.edges(keys=True)) == sorted(
        G.edges(keys=True)
    )


def test_graphs_are_frozen(library):
    import networkx as nx

    G = library.graph("A")
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_node("x")
    assert not nx.is_frozen(G.copy())


def test_providers_and_agency_data(library):
    assert providers(library.graph("A"), "verification") == ["district_police"]
    assert library.providers("A", "verification") == frozenset({"district_police"})
    agencies = read_agencies(PACKAGED_DATA / "agencies.yaml").agencies
    assert agencies == library.agencies.agencies
    assert agencies["district_police"].regimes == ["A"] and agencies["provincial_health_dept"].en.endswith(
        "Department of Health"
    )
    assert library.agency_label(ROOT).vi == "UBND xã"


def test_an_edge_to_an_unknown_agency_is_refused_with_its_position(library, tmp_path):
    from sim.errors import DataError

    text = (PACKAGED_DATA / "agencies.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "agencies.yaml"
    broken.write_text(
        text.replace(
            "{from: commune_pc, to: commune_health_station", "{from: commune_pc, to: commune_helth_station", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        read_agencies(broken)
    assert "to: unknown agency 'commune_helth_station'" in str(
        exc.value
    ) and "did you mean 'commune_health_station'" in str(exc.value)


def test_plan_timing_against_the_deadlines_on_the_path(library):
    G = library.graph("A")
    plan = ["district_labour_office", "district_police"]
    on_time = check_referral_plan(G, plan, ["verification"], elapsed_hours={"verification": 24 * 19})
    late = check_referral_plan(G, plan, ["verification"], elapsed_hours={"verification": 24 * 21})
    assert on_time["verification"]["deadline_hours"] == 480 and on_time["verification"]["in_time"] is True
    assert late["verification"]["in_time"] is False
    notified = check_referral_plan(G, ["district_labour_office"], ["travel"], elapsed_hours={"travel": 0})
    assert notified["travel"]["deadline_hours"] == 0 and notified["travel"]["in_time"] is True
    assert path_deadline_hours(G, ["commune_pc", "district_labour_office", "district_police"]) == 480.0
