"""A trainer runs a province study in a real browser on the real Voilà server, on a phone (390×844) and a laptop
(1366×768): the secret, a small study (30 returns, 10 replications), the progress bar, the charts with their
alternative texts, no cut, overlapping or too small element and no serious axe-core violation on the settings and
result pages, and the XLSX downloaded."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from sim.ui.i18n import t
from tests.browser.test_layout import LAPTOP, PHONE, assert_clean
from tests.browser.test_trainer_journeys import enter_trainer

pytestmark = pytest.mark.browser


@pytest.fixture(params=[PHONE, LAPTOP], ids=["phone-390", "laptop-1366"])
def sized_page(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def caseload_url(server) -> str:
    return server.trainer_url.replace("trainer.ipynb", "caseload.ipynb")


def test_the_page_refuses_a_wrong_secret(page, server):
    enter_trainer(page, caseload_url(server), secret="guess")
    page.get_by_text(t("trainer_refused")).wait_for(timeout=60_000)
    assert page.get_by_role("button", name=t("caseload_run")).count() == 0


def test_a_trainer_runs_a_small_study_sees_the_charts_and_downloads_the_xlsx(sized_page, server):
    page = sized_page
    enter_trainer(page, caseload_url(server))
    run = page.get_by_role("button", name=t("caseload_run"))
    run.wait_for(timeout=60_000)
    page.get_by_text(t("caseload_title"), exact=True).first.wait_for()
    assert_clean(page, "province simulation: settings", ".trove-caseload")
    page.get_by_label(t("caseload_returns")).fill("30")
    page.get_by_label(t("caseload_replications")).fill("10")
    page.get_by_label(t("caseload_start_year")).fill("2026")
    page.get_by_label(t("caseload_seed")).press("Tab")  # the last field typed is sent before the click
    run.click()
    page.get_by_text(t("caseload_done", total=10, seconds="").split("(")[0].strip()).wait_for(timeout=120_000)
    charts = page.locator(".trove-caseload .trove-chart img")
    charts.nth(4).wait_for()
    alts = [charts.nth(i).get_attribute("alt") for i in range(charts.count())]
    assert len(alts) >= 5 and all(alts)
    assert alts[0].startswith(t("caseload_chart_targets")) and "%" in alts[0]
    for i in range(charts.count()):  # each picture fits the screen (max-width: 100 %) and has loaded
        box = charts.nth(i).bounding_box()
        assert box["width"] <= page.viewport_size["width"] and box["height"] > 50
    text = page.locator(".trove-caseload").inner_text()
    assert t("caseload_chart_compare_law") in text and t("caseload_chart_compare_training") in text
    assert "Nơi ùn tắc nhất" in text and "GIẢ ĐỊNH" in text
    assert "provincial_police" not in text and "verified_within_deadline" not in text
    assert_clean(page, "province simulation: results", ".trove-caseload")
    page.get_by_role("button", name=t("zoom_in_chart")).first.click()  # full size: its type is readable on a phone
    page.wait_for_function(
        "(img) => img.getBoundingClientRect().width >= img.naturalWidth - 1", arg=charts.first.element_handle()
    )
    assert_clean(page, "province simulation: a chart zoomed", ".trove-caseload")

    page.get_by_role("button", name=t("caseload_export_xlsx")).click()
    link = page.get_by_role("link", name=t("export_ready", name="§").split("§")[0].strip(), exact=False)
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    data = download.value.path().read_bytes()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == t("caseload_sheet_settings") and t("caseload_sheet_kpis") in book.sheetnames
