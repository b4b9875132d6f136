"""The explorer notebook executes headless, and its pure rendering functions say the right things."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from sim.engine.assessment import assess
from sim.cases.generator import generate_case
from sim.cases.scenario import load_scenario
from sim.ui.explorer import assessment_table, case_card, explorer, graph_png
from sim.ui.i18n import catalog

ROOT = Path(__file__).parent.parent


def test_every_message_has_both_languages():
    for key, text in catalog().items():
        assert text.vi.strip() and text.en.strip(), key


def test_case_card_marks_the_person_fictional(book):
    case = generate_case(load_scenario("forced-marriage-2016"), seed=7)
    assert "Nhân vật hư cấu" in case_card(case, book, "vi") and "Fictional person" in case_card(case, book, "en")


def test_assessment_table_cites_articles_with_status(book):
    a = assess(generate_case(load_scenario("scam-compound-2025"), seed=1), book)
    table = assessment_table(a, book, "vi")
    assert "Điều 27.1 (amended 2025)" in table and "chưa xác nhận" in table
    assert graph_png(a, "vi")[:4] == b"\x89PNG"


def test_explorer_widgets_generate_a_case():
    app = explorer()
    button = app.children[3].children[2]
    button.click()
    assert "Nhân vật hư cấu" in app.children[4].value and app.children[5].value[:4] == b"\x89PNG"


@pytest.mark.slow
def test_notebook_executes_headless():
    nb = nbformat.read(ROOT / "notebooks" / "explore-cases.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
