"""The trainee app's layout in real Chromium on a phone (390×844) and a laptop (1366×768), issue 10 items 1–2.

The whole journey (join → exercise list → case → every decision → the referral plan → submit → feedback →
back to the list) is walked at both sizes; on every screen the test fails on any visible element whose text
is cut off (``scrollWidth > clientWidth`` with overflow hidden / ellipsis), whose words are broken letter by
letter (a word wider than its line), whose text spills out of its own
box, that overlaps a sibling or that runs off the screen, on a tick box or radio option whose label is narrower
than its text, on an option of a list box (``<select multiple>``) wider than the list, on a table cell squeezed to
a word per line, and on any button, tab, field, radio option or
checkbox row smaller than 44 px, and on any serious or critical WCAG 2 A/AA violation axe-core finds (the npm
package, installed by ``make test`` into ``.venv/axe`` and injected into the page). It also checks what the trainee sees of their progress: answered /
not answered on each decision point, the step bar, status chips and a way back after submitting.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.engine.assessment import assess
from sim.library import packaged_library
from sim.training.answer_key import answer_key
from sim.ui.i18n import t
from tests.browser.test_trainee_journeys import give_answer, join, start_first_exercise, stored_case

pytestmark = pytest.mark.browser

PHONE, LAPTOP = (390, 844), (1366, 768)
TARGET_PX = 44
SLIDE_PX = 8  # a panel may scroll this far sideways (a focus ring, a tick box's margin); a wide table pushes it 500
DECISION_POINTS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")

# One pass over the page: every problem as a readable line. Runs in the browser.
LAYOUT_PROBLEMS = """
(root) => {
  const scope = document.querySelector(root);
  if (!scope) { return {cut: [], broken: [], overlaps: [], small: [], offscreen: [], missing: [root]}; }
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) { return false; }
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') { return false; }
    }
    return true;
  };
  const name = (el) => {
    const cls = (typeof el.className === 'string' ? el.className : '').split(/\\s+/)
      .filter(c => c && !c.startsWith('lm-') && !c.startsWith('jupyter-')).slice(0, 3).join('.');
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 70);
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} «${text}»`;
  };
  const ownText = (el) => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
    || (['BUTTON', 'SELECT'].includes(el.tagName) && el.innerText.trim())
    || (el.tagName === 'INPUT' && ['text', 'search', ''].includes(el.type) && el.value);
  const all = [...scope.querySelectorAll('*')].filter(shown);
  const cut = [], broken = [], overlaps = [], small = [], offscreen = [];
  const width = document.documentElement.clientWidth;
  const ruler = document.createElement('canvas').getContext('2d');
  // A word wider than the box its line sits in is broken letter by letter ("Chấ/m điể/m"); addresses may break.
  const brokenWord = (el, s) => {
    if (['SELECT', 'INPUT', 'OPTION', 'TEXTAREA'].includes(el.tagName) || /^(nowrap|pre)$/.test(s.whiteSpace)) {
      return null;
    }
    let block = el;
    while (block.parentElement && getComputedStyle(block).display.startsWith('inline')) { block = block.parentElement; }
    const b = getComputedStyle(block);
    const room = block.clientWidth - parseFloat(b.paddingLeft) - parseFloat(b.paddingRight);
    ruler.font = s.font;
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ');
    for (const word of text.split(/\\s+/)) {
      if (!word || /[\\/@:=]/.test(word)) { continue; }
      const w = ruler.measureText(word).width + word.length * (parseFloat(s.letterSpacing) || 0);
      if (room > 0 && w > room + 2) { return `«${word}» is ${Math.round(w)} px, its line ${Math.round(room)} px`; }
    }
    return null;
  };
  for (const el of all) {
    if (!ownText(el)) { continue; }
    const s = getComputedStyle(el);
    const split = brokenWord(el, s);
    if (split) { broken.push(`${name(el)}: ${split}`); }
    // A drop-down whose chosen option is cut although it could be wider (a <select> as wide as the screen
    // lets the phone's own picker show every option whole)
    if (el.tagName === 'SELECT' && el.selectedIndex >= 0) {
      ruler.font = s.font;
      const chosen = ruler.measureText(el.options[el.selectedIndex].text).width;
      // a native arrow takes about 16 px of the content box; ipywidgets draws its arrow in the right padding
      const arrow = s.appearance === 'none' ? 0 : 16;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - arrow;
      const row = el.closest('.jupyter-widgets:not(.widget-dropdown)') || el.parentElement;
      const atFullWidth = el.getBoundingClientRect().width >= Math.min(row.clientWidth, width) - 48;
      if (chosen > room + 1 && !atFullWidth) {
        cut.push(`${name(el)}: the chosen option is ${Math.round(chosen)} px, the box ${Math.round(room)} px`);
      }
    }
    const clips = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth) {
      cut.push(`${name(el)}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    if (['hidden', 'clip'].includes(s.overflowY) && s.display !== 'inline' && el.scrollHeight > el.clientHeight + 1) {
      cut.push(`${name(el)}: scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight}`);
    }
    if (!clips && s.overflowY === 'visible' && s.display !== 'inline' && el.clientHeight > 0
        && el.scrollHeight > el.clientHeight + 2 && el.tagName !== 'SELECT') {
      overlaps.push(`${name(el)}: its text spills out of its box (${el.scrollHeight} > ${el.clientHeight} px)`);
    }
    const r = el.getBoundingClientRect();
    let clipped = false;  // inside a box that scrolls (the zoomed picture) or clips: not off the screen
    for (let e = el.parentElement; e && e !== scope; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') { clipped = true; break; }
    }
    if (!clipped && (r.right > width + 1 || r.left < -1)) {
      offscreen.push(`${name(el)}: ${Math.round(r.left)}–${Math.round(r.right)} px, screen ${width} px`);
    }
  }
  // A tick box's or radio option's label narrower than its text ("D10" shown as "D1("): the label clips it, or the
  // text runs past the label's box
  for (const label of [...scope.querySelectorAll('.widget-checkbox label, .widget-radio-box label')].filter(shown)) {
    const text = document.createRange();
    text.selectNodeContents(label);
    const t = text.getBoundingClientRect(), r = label.getBoundingClientRect();
    const past = Math.max(t.right - r.right, r.left - t.left);
    if (label.scrollWidth > label.clientWidth + 1) {
      cut.push(`${name(label)}: its label is narrower than its text (scrollWidth ${label.scrollWidth} > ${label.clientWidth})`);
    } else if (t.width > 0 && past > 1) {
      cut.push(`${name(label)}: its label is narrower than its text (the text runs ${Math.round(past)} px past it)`);
    }
  }
  // A table cell squeezed to one word per line (a table on a phone must scroll sideways in its box instead)
  for (const cell of [...scope.querySelectorAll('td, th')].filter(shown)) {
    const words = cell.innerText.trim().split(/\\s+/).filter(Boolean).length;
    const text = document.createRange();  // the lines of its text (a cell is as tall as its row's tallest)
    text.selectNodeContents(cell);
    const lines = new Set([...text.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom / 4))).size;
    if (words >= 3 && lines >= words) {
      broken.push(`${name(cell)}: squeezed to a word per line (${words} words on ${lines} lines)`);
    }
  }
  // An option of a list box (<select multiple>) wider than the list: a list box never wraps an option
  for (const list of [...scope.querySelectorAll('select[multiple], select[size]')].filter(shown)) {
    if (!list.multiple && list.size < 2) { continue; }
    const s = getComputedStyle(list);
    const room = list.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    for (const option of list.options) {
      const o = getComputedStyle(option);
      ruler.font = o.font;
      const w = ruler.measureText(option.text).width + parseFloat(o.paddingLeft) + parseFloat(o.paddingRight);
      if (w > room + 1) {
        cut.push(`${name(list)}: the option «${option.text.trim().slice(0, 70)}» is ${Math.round(w)} px, the list ${Math.round(room)} px`);
      }
    }
  }
  // A field or button partly hidden by the box around it, which clips or scrolls (its right border gone)
  for (const el of [...scope.querySelectorAll('input, select, textarea, button')].filter(shown)) {
    const r = el.getBoundingClientRect();
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === 'visible') { continue; }
      const edge = e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).borderRightWidth);
      const meantToScroll = e.matches('.trove-scroll, .trove-zoom, table');  // a zoomed graph, a wide table
      if (!meantToScroll && r.right > edge + 1) {
        cut.push(`${name(el)}: its right edge ${Math.round(r.right)} px is hidden past ${Math.round(edge)} px`);
      }
      break;
    }
  }
  // Only a table, a zoomed picture or a field scrolls sideways: a whole panel that does (a wide table pushing its
  // tab out) slides its buttons and headings off the screen with it
  for (const el of all) {
    const s = getComputedStyle(el);
    const own = el.matches('.trove-scroll, .trove-zoom, table, select, textarea, input, pre');
    if (['auto', 'scroll'].includes(s.overflowX) && !own && el.scrollWidth > el.clientWidth + SLIDE) {
      offscreen.push(`${name(el)}: scrolls sideways as a whole (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
  }
  const inFlow = (el) => !['absolute', 'fixed'].includes(getComputedStyle(el).position);
  const set = new Set(all);
  for (const el of all) {
    const kids = [...el.children].filter(k => set.has(k) && inFlow(k));
    // an inline element that wraps is one box per line: compare the lines, not their union
    const boxes = kids.map(k => getComputedStyle(k).display.startsWith('inline') && k.getClientRects().length > 1
      ? [...k.getClientRects()] : [k.getBoundingClientRect()]);
    for (let i = 0; i < kids.length; i++) {
      for (let j = i + 1; j < kids.length; j++) {
        for (const a of boxes[i]) {
          for (const b of boxes[j]) {
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 1) {
              overlaps.push(`${name(kids[i])} overlaps ${name(kids[j])} by ${Math.round(w)}×${Math.round(h)} px`);
            }
          }
        }
      }
    }
  }
  const targets = scope.querySelectorAll(
    'button, [role=tab], select, input[type=text], .widget-radio-box label, .widget-checkbox');
  for (const el of [...targets].filter(shown)) {
    const r = el.getBoundingClientRect();
    if (r.height < TARGET || r.width < TARGET) {
      small.push(`${name(el)}: ${Math.round(r.width)}×${Math.round(r.height)} px`);
    }
  }
  return {cut, broken, overlaps, small, offscreen, missing: []};
}
""".replace("TARGET", str(TARGET_PX)).replace("SLIDE", str(SLIDE_PX))

# A known-bad fragment, to prove the checks see what they are meant to see (a positive control).
BAD_FRAGMENT = """
() => {
  const box = document.createElement('div');
  box.id = 'trove-bad';
  box.innerHTML = '<div style="width:60px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">'
    + 'một nhãn rất dài bị cắt</div>'
    + '<div style="height:30px">hàng một</div><div style="margin-top:-20px;height:30px">hàng hai</div>'
    + '<div style="height:20px;width:200px">một dòng chữ dài xuống dòng trong hộp thấp cố định chiều cao</div>'
    + '<button style="height:20px;min-height:0">nhỏ</button>'
    + '<div style="width:40px;overflow-wrap:anywhere">Chấmđiểmdài</div>'
    + '<select style="width:60px"><option>một lựa chọn rất dài</option></select>'
    + '<div style="width:80px;overflow:hidden"><input style="width:120px" aria-label="ô bị che"></div>'
    + '<div class="widget-checkbox"><label class="widget-label-basic" style="width:40px;overflow:hidden">'
    + '<input type="checkbox"><span>Đ10000</span></label></div>'
    + '<div class="widget-radio-box"><label style="width:40px"><input type="radio" name="r">Chọnnày</label></div>'
    + '<select multiple aria-label="danh sách hẹp" style="width:120px"><option>ngắn</option>'
    + '<option>giấy tờ đã hợp pháp hóa lãnh sự</option></select>'
    + '<table style="width:40px;line-height:20px"><tr><th>Học viên</th><td>đang làm bài một</td></tr></table>'
    + '<div style="width:100px;overflow-x:auto"><div style="width:300px">cả khung trượt ngang</div></div>';
  document.querySelector('.trove-app').appendChild(box);
}
"""


AXE_SCRIPT = Path(__file__).resolve().parents[2] / ".venv/axe/node_modules/axe-core/axe.min.js"
AXE_IMPACTS = ("serious", "critical")
# axe-core over the whole document (the template's <html lang>, the title, the app), WCAG 2 A and AA rules.
AXE_RUN = """
async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n')[1])}));
}
"""


def accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing ({AXE_SCRIPT}): run `make test` (it installs axe-core with npm)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(AXE_RUN)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {'; '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in AXE_IMPACTS
    ]


def layout_problems(page, root: str = ".trove-app") -> dict[str, list[str]]:
    page.wait_for_timeout(400)  # let widgets settle after the last message
    return page.evaluate(LAYOUT_PROBLEMS, root)


def assert_clean(page, screen: str, root: str = ".trove-app") -> None:
    """Fail on any layout problem inside ``root`` and any serious accessibility violation on the page."""
    problems = layout_problems(page, root)
    problems["accessibility"] = accessibility_problems(page)
    found = [f"{kind}: {line}" for kind, lines in problems.items() for line in lines]
    assert not found, f"{screen} at {page.viewport_size['width']} px:\n" + "\n".join(found[:40])


def scroll_to(page, locator) -> None:
    locator.scroll_into_view_if_needed()


@pytest.fixture(params=[PHONE, LAPTOP], ids=["phone-390", "laptop-1366"])
def sized_page(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_the_checks_catch_cut_overlapping_and_small_elements(page, server):
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(server.url)
    page.get_by_role("button", name=t("join_button")).wait_for(timeout=60_000)
    page.evaluate(BAD_FRAGMENT)
    problems = layout_problems(page)
    assert any("một nhãn rất dài" in line for line in problems["cut"]), problems
    assert any("hàng một" in line and "hàng hai" in line for line in problems["overlaps"]), problems
    assert any("spills" in line for line in problems["overlaps"]), problems
    assert any("nhỏ" in line for line in problems["small"]), problems
    assert any("Chấmđiểmdài" in line for line in problems["broken"]), problems
    assert any("chosen option" in line for line in problems["cut"]), problems
    assert any("right edge" in line for line in problems["cut"]), problems
    assert any("Đ10000" in line and "narrower than its text" in line for line in problems["cut"]), problems
    assert any("Chọnnày" in line and "narrower than its text" in line for line in problems["cut"]), problems
    assert any("«giấy tờ đã hợp pháp hóa lãnh sự» is" in line for line in problems["cut"]), problems
    assert not any("«ngắn» is" in line for line in problems["cut"]), problems
    assert any("đang làm bài một" in line and "a word per line" in line for line in problems["broken"]), problems
    assert any("cả khung trượt ngang" in line and "as a whole" in line for line in problems["offscreen"]), problems
    page.evaluate("() => document.querySelector('#trove-bad').insertAdjacentHTML('beforeend', '<img src=x.png>')")
    assert any(line.startswith("image-alt (critical)") for line in accessibility_problems(page))


def test_trainee_journey_has_no_cut_overlapping_or_small_elements(sized_page, server):
    page, name = sized_page, f"Bố cục {sized_page.viewport_size['width']} (hư cấu)"
    page.goto(server.url)
    page.get_by_role("button", name=t("join_button")).wait_for(timeout=60_000)
    assert_clean(page, "join screen")
    title, app = (page.locator(css).first.bounding_box() for css in ("h1", ".trove-app"))
    assert abs(title["x"] - app["x"]) <= 16, f"the title «Trở về» starts at {title['x']}, the app at {app['x']}"
    page.get_by_role("tab", name=t("resume_tab")).click()
    page.get_by_role("button", name=t("resume_button")).wait_for()
    assert_clean(page, "resume tab")
    page.get_by_role("tab", name=t("join_tab")).click()

    code = join(page, server, name, navigate=False)
    code_box = page.locator(".trove-code").first
    assert code_box.inner_text() == code
    assert code_box.bounding_box()["height"] < 40, "the resume code stays on one line"
    chips = page.locator(".trove-chips").first.locator(".trove-chip")
    assert chips.count() >= 1 and "trove-chip-new" in chips.first.get_attribute("class")
    assert_clean(page, "exercise list")

    start_first_exercise(page)
    steps = page.locator(".trove-steps li")
    assert steps.count() == 4 and steps.nth(0).get_attribute("aria-current") == "step"
    assert_clean(page, "case")
    case = stored_case(server, name)
    for question in case.interview[:3]:
        page.get_by_role("button", name=question.text.vi, exact=True).click()
        page.locator(".trove-app ol").get_by_text(question.text.vi).wait_for()
    assert steps.nth(1).get_attribute("aria-current") == "step"
    assert_clean(page, "case after three questions")

    truth = assess(case, packaged_library())
    key = answer_key(case, truth).model_dump()
    headers = page.locator(".trove-dp-header")
    active = [dp for dp in DECISION_POINTS if page.get_by_text(t(f"dp_{dp}"), exact=True).count()]
    assert headers.count() == len(active)
    assert headers.get_by_text(t("dp_unanswered"), exact=True).count() == len(active)
    for index, dp in enumerate(active):
        give_answer(page, dp, key[dp], truth.regime)
        header = headers.nth(index)
        header.get_by_text(f"✓ {t('dp_answered')}").wait_for()
        scroll_to(page, header)
        assert_clean(page, f"{dp} open and answered")
    assert headers.get_by_text(t("dp_unanswered"), exact=True).count() == 0
    assert steps.nth(2).get_attribute("aria-current") == "step"

    if "D10" in active and key["D10"].get("agencies"):  # the plan in words beside the drawing
        plan = page.locator(".trove-path").first
        plan.wait_for()
        first = packaged_library().agency_label(key["D10"]["agencies"][0]).vi
        assert first in plan.inner_text()
        assert not page.locator(".trove-zoom").first.is_visible()  # the drawing is made when asked for
        page.get_by_role("button", name=t("show_graph")).click()
        page.get_by_role("button", name=t("zoom_in")).click()
        page.get_by_role("button", name=t("zoom_out")).wait_for()
        assert_clean(page, "referral plan zoomed")

    page.get_by_role("button", name=t("submit"), exact=True).click()
    page.get_by_role("button", name=t("submit_yes")).wait_for()
    assert_clean(page, "submit confirmation")
    page.get_by_role("button", name=t("submit_yes")).click()
    page.locator(".trove-score").wait_for(timeout=60_000)
    page.get_by_role("button", name=t("show_graph")).last.click()  # the feedback graph is drawn when asked for
    page.locator(".trove-zoom img[src^='blob:'], .trove-zoom img[src^='data:']").last.wait_for(timeout=60_000)
    assert page.locator(".trove-steps li").nth(3).get_attribute("aria-current") == "step"
    assert page.get_by_text(t("referral_list"), exact=True).count() == 1
    assert page.get_by_text(t("referral_correct_path"), exact=False).count() >= 1
    assert_clean(page, "feedback")
    page.get_by_role("button", name=t("zoom_in")).click()
    page.get_by_role("button", name=t("zoom_out")).wait_for()
    assert_clean(page, "feedback, graph zoomed")

    page.get_by_role("button", name=t("back_to_exercises")).click()  # the way back after submitting
    page.get_by_text(t("choose_exercise"), exact=True).or_(
        page.get_by_text(re.compile("^" + re.escape(t("summary", percent="X", verdict="Y")).split("X")[0]))
    ).first.wait_for(timeout=60_000)
    if page.get_by_text(t("choose_exercise"), exact=True).count() == 0:  # a one-case exercise: its summary first
        assert_clean(page, "exercise summary")
        page.get_by_role("button", name=t("back_to_exercises")).click()
        page.get_by_text(t("choose_exercise"), exact=True).wait_for(timeout=60_000)
    done = page.locator(".trove-chip-done").first
    assert t("progress_done", percent="").split(",")[0] in done.inner_text()
    assert_clean(page, "exercise list after submitting")
