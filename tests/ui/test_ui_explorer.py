"""The explorer notebook executes headless, and its pure rendering functions say the right things."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from sim.app.trainer import TrainerDesk
from sim.cases.generator import generate_case
from sim.engine.assessment import assess
from sim.engine.report import assessment_report
from sim.ui.explorer import assessment_table, case_card, explorer, show
from sim.ui.i18n import catalog
from sim.workshop.stores import open_store
from tests.conftest import ROOT, TRAINER_SECRET


@pytest.fixture
def desk(tmp_path, library):
    store = open_store(tmp_path / "t.sqlite")
    store.ensure_workshop("ws", "WS", None, [])
    store.set_trainer_secret("ws", TRAINER_SECRET)
    desk = TrainerDesk(store, "ws", library=library)
    desk.unlock(TRAINER_SECRET)
    return desk


def test_every_message_has_both_languages():
    for key, text in catalog().items():
        assert text.vi.strip() and text.en.strip(), key


def test_case_card_marks_the_person_fictional(library, desk):
    case = generate_case(library.catalog.scenario("forced-marriage-2016"), library, seed=7)
    assert "Nhân vật hư cấu" in case_card(case, desk, "vi") and "Fictional person" in case_card(case, desk, "en")


def test_assessment_table_cites_articles_with_status(library, desk):
    case = generate_case(library.catalog.scenario("scam-compound-2025"), library, seed=1)
    table = assessment_table(assessment_report(assess(case, library), library), "vi")
    assert "khoản 1 Điều 27 Luật Phòng, chống mua bán người số 53/2024/QH15, được sửa đổi, bổ sung năm 2025" in table
    assert "chưa xác nhận" in table and "[S47]" in table  # the trainer's explorer shows source tags
    assert desk.explore("scam-compound-2025", 1, "vi").graph_png[:4] == b"\x89PNG"


def test_explorer_widgets_generate_a_case(desk):
    app = explorer(desk)
    button = app.children[3].children[2]
    button.click()
    assert "Nhân vật hư cấu" in app.children[4].value and app.children[5].value.startswith(
        '<img class="trove-picture" alt="Sơ đồ'
    )
    assert 'src="data:image/png;base64,iVBOR' in app.children[5].value


def test_the_explorer_opens_only_with_the_secret(desk):
    locked = TrainerDesk(desk.store, "ws", library=desk.library)
    gate = show(locked)
    gate.children[2].value = "wrong"
    gate.children[3].click()
    assert len(gate.children) == 4 and not locked.unlocked
    gate.children[2].value = TRAINER_SECRET
    gate.children[3].click()
    assert locked.unlocked and len(gate.children) == 2


@pytest.mark.slow
def test_notebook_executes_headless(tmp_path, monkeypatch):
    monkeypatch.setenv("TROVE_DB", str(tmp_path / "nb.sqlite"))  # the page opens the workshop's results file
    nb = nbformat.read(ROOT / "notebooks" / "explore-cases.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
