"""Regenerate the screenshots of the trainee and trainer guides (docs/*-guide.*.md) from a real server.

Run: ``.venv/bin/python docs/make_screenshots.py`` (needs chromium). Every person shown is fictional.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, TRAINER_SECRET, Server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}


def journey(browser, url: str, viewport: dict, prefix: str, name: str) -> None:
    """Join, open a case, ask, answer D4, submit and read the feedback, with a screenshot at each step."""
    from sim.ui.i18n import t

    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.get_by_role("button", name=t("join_button")).wait_for(timeout=60_000)
    page.screenshot(path=OUT / f"{prefix}1-join.png")
    page.get_by_label(t("full_name")).first.fill(name)
    page.get_by_label(t("commune_field")).fill("xã Phan Sơn")
    page.get_by_role("button", name=t("join_button")).click()
    page.get_by_text(t("interview_help")).wait_for(timeout=60_000)
    page.screenshot(path=OUT / f"{prefix}2-case.png")
    for button in page.locator(".trove-questions button").all()[:3]:
        button.click()
        page.wait_for_timeout(400)
    page.get_by_text(t("dp_D4"), exact=True).click()
    page.get_by_role("radio", name=t("opt_timing_immediately"), exact=True).check()
    page.wait_for_timeout(500)
    page.get_by_text(t("dp_D4"), exact=True).scroll_into_view_if_needed()
    page.screenshot(path=OUT / f"{prefix}3-decisions.png")
    page.get_by_role("button", name=t("submit"), exact=True).click()
    page.get_by_role("button", name=t("submit_yes")).click()
    page.locator(".trove-score").wait_for(timeout=60_000)
    page.screenshot(path=OUT / f"{prefix}4-feedback.png", full_page=True)
    page.close()


def trainer_pages(browser, server, viewport: dict, prefix: str) -> None:
    """The trainer's live dashboard (after the trainees' journeys), the room screen and the scenario designer."""
    from sim.ui.i18n import t

    page = browser.new_page(viewport=viewport)

    def enter(url: str) -> None:
        page.goto(url)
        page.get_by_label(t("trainer_secret")).fill(TRAINER_SECRET)
        page.get_by_role("button", name=t("trainer_enter")).click()

    enter(server.trainer_url)
    page.locator(".trove-trainer img").nth(3).wait_for(timeout=60_000)
    page.screenshot(path=OUT / f"{prefix}1-live.png", full_page=True)
    page.get_by_role("tab", name=t("tab_room")).click()
    page.locator(".trove-room img").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / f"{prefix}2-room.png")
    enter(server.designer_url)
    page.get_by_role("tab", name=t("tab_design")).wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=OUT / f"{prefix}3-designer.png")
    page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from sim.ui.i18n import t

    server = Server(Path(tempfile.mkdtemp()), "--exercises", "intake-basics").start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            journey(browser, server.url, LAPTOP, "", "Nguyễn Thị Minh (hư cấu)")
            journey(browser, server.url, PHONE, "phone-", "Trần Văn Bình (hư cấu)")
            tablet = browser.new_page(viewport={"width": 820, "height": 1180})
            tablet.goto(server.url)
            tablet.get_by_role("button", name=t("join_button")).wait_for(timeout=60_000)
            tablet.screenshot(path=OUT / "5-tablet.png")
            trainer_pages(browser, server, LAPTOP, "trainer-")
            trainer_pages(browser, server, PHONE, "trainer-phone-")
            browser.close()
    finally:
        server.stop()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
