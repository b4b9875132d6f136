from __future__ import annotations

from datetime import date

import pytest

from sim.errors import DataError, SimError
from sim.law.rulebook import read_rulebook
from sim.locations import PACKAGED_DATA
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def book(library):
    return library.rulebook


def test_both_regimes_with_effective_dates(book):
    assert [r.regime for r in book.regimes] == ["A", "B"]
    assert book.for_date(date(2025, 6, 30)).regime == "A" and book.for_date(date(2025, 7, 1)).regime == "B"
    with pytest.raises(SimError, match="no rulebook is in force on 2011-12-31"):
        book.for_date(date(2011, 12, 31))


def test_every_rule_has_basis_and_status(book):
    for rules in book.regimes:
        for entitlement in rules.entitlements:
            assert entitlement.basis and entitlement.status in ("confirmed", "inferred", "unconfirmed")
        for doc in rules.victim_documents.documents:
            assert doc.basis


def test_unconfirmed_items_stay_labelled(book):
    b = book.for_regime("B")
    assert b.verifier_on(date(2026, 1, 1)).status == "unconfirmed"
    assert {d.document: d.status for d in b.victim_documents.documents}["certificate_of_return"] == "inferred"


def test_money_is_never_law_unless_confirmed(book):
    for amount in book.money:
        assert amount.is_law == (amount.status == "confirmed")
    assert all(not m.is_law for m in book.amounts_for("B", "hardship_allowance"))
    drafts = [m for m in book.money if m.status == "draft"]
    assert drafts and drafts[0].vnd == 1_000_000


def test_twenty_critical_errors_with_the_capping_class(book):
    assert sorted(book.critical_errors) == [f"E{i:02d}" for i in range(1, 21)]
    capping = {e for e, v in book.critical_errors.items() if v.caps_score}
    assert {"E01", "E02", "E03", "E04", "E05", "E06", "E09", "E10", "E11", "E13"} <= capping


def test_citation_renders_in_both_languages(book):
    citation = book.for_regime("A").notification[0].basis[0]
    assert citation.render(book.texts, "vi") == "khoản 3 Điều 24 Luật Phòng, chống mua bán người số 66/2011/QH12"
    assert citation.render(book.texts, "en") == (
        "clause 3, Article 24 of the Law on Human Trafficking Prevention and Combat No. 66/2011/QH12"
    )
    assert citation.sources == ["S1"]


def test_a_broken_rulebook_names_file_line_and_id(tmp_path, library):
    src = PACKAGED_DATA / "rulebook"
    for f in src.glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "regime-b.yaml":
            text = text.replace(
                "- agency: provincial_health_dept\n  deadline: {kind: immediately}",
                "- agency: provincial_helth_dept\n  deadline: {kind: immediately}",
            )
        (tmp_path / f.name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_rulebook(tmp_path, set(library.agencies.agencies))
    message = str(exc.value)
    assert "regime-b.yaml:" in message and "notification[0].agency: unknown agency 'provincial_helth_dept'" in message
    assert "did you mean 'provincial_health_dept'" in message


def test_the_worked_example_in_docs_rules_md_works(tmp_path, library):
    """docs/rules.md: a new decree sets the Regime B verification deadline from 1 Mar 2027."""
    import re

    from sim.engine.assessment import assess
    from tests.conftest import make_case

    guide = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    text_entry, verification = (b.replace("\n   ", "\n").strip("\n ") for b in blocks[:2])
    src = PACKAGED_DATA / "rulebook"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    texts = tmp_path / "texts.yaml"
    texts.write_text(
        texts.read_text(encoding="utf-8") + "  " + text_entry.replace("\n", "\n  ") + "\n", encoding="utf-8"
    )
    regime_b = tmp_path / "regime-b.yaml"
    current = regime_b.read_text(encoding="utf-8")
    start = current.index("verification:\n  requested_by")
    end = current.index("\nentitlements:")
    regime_b.write_text(current[:start] + verification + "\n" + current[end:], encoding="utf-8")
    decree = library.replace(rulebook=read_rulebook(tmp_path, set(library.agencies.agencies)))
    assert assess(make_case(day=date(2027, 3, 1)), decree).value("verification")["deadline"].amount == 15
    assert assess(make_case(day=date(2027, 2, 28)), decree).value("verification")["deadline"].kind == "unconfirmed"
    assert (
        assess(make_case(day=date(2027, 3, 1)), library).value("verification")["deadline"].kind == "unconfirmed"
    )  # the packaged law is unchanged


def test_a_rulebook_naming_an_unknown_agency_is_refused_against_the_given_agencies(library):
    """``read_rulebook`` checks agency ids against the agencies it is handed, not a global list."""
    agencies = set(library.agencies.agencies) - {"district_labour_office"}
    with pytest.raises(DataError, match="unknown agency 'district_labour_office'"):
        read_rulebook(PACKAGED_DATA / "rulebook", agencies)


def test_with_regime_replaces_one_regime_and_leaves_the_original(book):
    a = book.for_regime("A")
    changed = book.with_regime(a.model_copy(update={"version": "what-if"}))
    assert changed.for_regime("A").version == "what-if" and book.for_regime("A").version == a.version
    assert changed.for_regime("B") is book.for_regime("B")
    assert "what-if" in changed.version and "what-if" not in book.version
    with pytest.raises(SimError, match="no regime"):
        book.with_regime(a.model_copy(update={"id": "regime-z"}))
