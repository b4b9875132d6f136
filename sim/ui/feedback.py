"""Rendering a score report for the trainee: HTML for the findings, the timeline and the correct answers.
Only called after submission."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.ui.i18n import number, t

if TYPE_CHECKING:
    from sim.training.forms import FormField

STATUS_KEYS = {
    "confirmed": "rule_status_confirmed",
    "inferred": "rule_status_inferred",
    "unconfirmed": "rule_status_unconfirmed",
}


def _finding(f: dict[str, Any], lang: str, *, headline: bool = False) -> str:
    """One point lost or one critical error (``headline``: in bold): what happened, the plain rule, the citations."""
    what = f"<b>{html.escape(f[lang])}</b>" if headline else html.escape(f[lang])
    cites = html.escape(f["cited"][lang])
    status = (
        ""
        if f["status"] == "confirmed"
        else f" <i>({t('status_label', lang, status=t(STATUS_KEYS[f['status']], lang))})</i>"
    )
    lost = f" — {t('feedback_lost', lang, points=number(f['lost'], lang))}" if f["lost"] else ""
    plain = f"<br>{html.escape(f['plain'][lang])}" if f.get("plain") else ""
    return f"<li>{what}{lost}{plain}<br><small>{cites}{status}</small></li>"


def score_html(report: dict[str, Any], overrides: list[dict[str, Any]], lang: str) -> str:
    """The score as the headline, then each of the trainer's adjustments and comments: what the trainee sees in
    every mode. When the trainer adjusted points, the headline is the score after the adjustment (the final one)
    and the automatic score follows it in smaller type.

    >>> report = {"total": 40.0, "max_points": 100.0, "percent": 40.0,
    ...           "points": [{"decision_point": "D2", "points": 0.0, "max_points": 8.0}]}
    >>> score_html(report, [], "vi")
    "<h2 class='trove-score'>Điểm: 40/100 (40%)</h2>"
    >>> page = score_html(report, [{"decision_point": "D2", "points": 6.0, "comment": "Đã ghi biên bản"}], "vi")
    >>> "<h2 class='trove-score'>Điểm sau điều chỉnh của giảng viên: 46%</h2>" in page
    True
    >>> "<p class='trove-score-adjusted'>Điểm tự động: 40/100 (40%)</p>" in page
    True
    >>> "Giảng viên điều chỉnh D2: 6/8 điểm (tự động: 0). Nhận xét: Đã ghi biên bản" in page
    True
    >>> "giới hạn do lỗi nghiêm trọng chỉ áp dụng cho điểm tự động" in score_html(report | {"capped": True}, [{"decision_point": "D2", "points": 6.0, "comment": ""}], "vi")
    True
    """
    from sim.app.trainee import adjusted_percent

    automatic = {
        "total": number(report["total"], lang),
        "max": number(report["max_points"], lang),
        "percent": number(report["percent"], lang),
    }
    final, adjusted = adjusted_percent(report, overrides)
    if not adjusted:
        parts = [f"<h2 class='trove-score'>{html.escape(t('score', lang, **automatic))}</h2>"]
    else:
        parts = [
            f"<h2 class='trove-score'>{html.escape(t('score_adjusted', lang, percent=number(final, lang)))}</h2>",
            f"<p class='trove-score-adjusted'>{html.escape(t('score_automatic', lang, **automatic))}</p>",
        ]
        if report.get("capped"):  # the cap is the automatic score's; the trainer's judgement is final (decisions.md)
            parts.append(f"<p class='trove-score-adjusted'>{html.escape(t('score_adjusted_over_cap', lang))}</p>")
    auto = {p["decision_point"]: p for p in report["points"]}
    for o in overrides:
        point = auto.get(o["decision_point"])
        if o.get("points") is not None and point is not None:
            text = t(
                "trainer_adjusted",
                lang,
                dp=o["decision_point"],
                points=number(o["points"], lang),
                max=number(point["max_points"], lang),
                auto=number(point["points"], lang),
                comment=o["comment"],
            )
        else:
            text = t("trainer_comment", lang, dp=o["decision_point"], comment=o["comment"])
        parts.append(f"<div class='trove-comment'>{html.escape(text)}</div>")
    return "".join(parts)


def report_html(
    report: dict[str, Any], overrides: list[dict[str, Any]], lang: str, *, answers_shown: bool = True
) -> str:
    """Score (and the trainer's adjusted score and comments), critical errors in red at the top, each decision
    point with what was lost and why, deadlines. ``answers_shown`` False (an assessment before the trainer
    releases its answers): the score, the adjustments and a notice only; no finding, rule or deadline."""
    head = score_html(report, overrides, lang)
    if not answers_shown:
        return head + f"<p class='trove-pending'>{t('assessment_pending', lang)}</p>"
    parts = [head]
    if report["critical_errors"]:
        # named in words: the code (E01…) is for trainers' debriefs, not trainee text
        items = "".join(_finding(f, lang, headline=True) for f in report["critical_errors"])
        cap = f"<p><b>{html.escape(report.get('cap_' + lang, ''))}</b></p>" if report.get("capped") else ""
        parts.append(f"<div class='trove-critical'><h3>{t('critical_errors', lang)}</h3>{cap}<ul>{items}</ul></div>")
    for point in report["points"]:
        title = t(f"dp_{point['decision_point']}", lang)
        body = "".join(_finding(f, lang) for f in point["findings"]) or f"<li>{t('feedback_full', lang)}</li>"
        parts.append(
            f"<details open><summary><b>{title}</b>: {number(point['points'], lang)}/{number(point['max_points'], lang)}</summary><ul>{body}</ul></details>"
        )
    rows = []
    for e in report["timeline"]:
        state = (
            t("timeline_info", lang)
            if e["met"] is None
            else (t("timeline_met", lang) if e["met"] else t("timeline_missed", lang))
        )
        css = "" if e["met"] is None else ("trove-ok" if e["met"] else "trove-missed")
        rows.append(
            f"<tr class='{css}'><td>{html.escape(e[lang])}</td><td>{html.escape(e['deadline_' + lang])}</td><td>{state}</td></tr>"
        )
    parts.append(f"<h3>{t('timeline', lang)}</h3><table class='trove-table'>{''.join(rows)}</table>")
    return "".join(parts)


def referral_html(referral: dict[str, Any], label: Callable[[str, str], str], lang: str) -> str:
    """The referral plan in words, readable on a phone where the drawn graph is not: for each service, the
    agencies on the correct path and on the trainee's own path (``label(kind, key)`` names an agency or a
    service).

    >>> names = {"commune_pc": "UBND xã", "commune_health_station": "Trạm y tế xã", "medical": "hỗ trợ y tế"}
    >>> ref = {"services": {"medical": {"reached": False, "path": None,
    ...                                 "correct_path": ["commune_pc", "commune_health_station"]}}}
    >>> "UBND xã → Trạm y tế xã" in referral_html(ref, lambda kind, key: names[key], "vi")
    True
    """
    items = []
    for service, s in (referral.get("services") or {}).items():
        correct, mine = s.get("correct_path") or [], s.get("path") or []
        if not correct and not mine:
            continue

        def route(path: list[str]) -> str:
            return " → ".join(html.escape(label("agencies", a)) for a in path)

        good = bool(s.get("reached"))
        chip = (
            f"<span class='trove-chip trove-chip-done'>✓ {t('referral_right', lang)}</span>"
            if good
            else f"<span class='trove-chip trove-chip-fail'>✗ {t('referral_wrong', lang)}</span>"
        )
        lines = [f"{t('referral_correct_path', lang)}: {route(correct)}"] if correct else []
        if mine != correct:
            yours = route(mine) if mine else t("referral_not_reached", lang)
            lines.append(f"{t('referral_your_path', lang)}: {yours}")
        items.append(f"<li><b>{html.escape(label('services', service))}</b> {chip}<br>{'<br>'.join(lines)}</li>")
    if not items:
        return ""
    return f"<h3>{t('referral_list', lang)}</h3><ul class='trove-path'>{''.join(items)}</ul>"


def _value_text(value: Any, names: dict[str, str], lang: str) -> str:
    """An answer in words: the options' names; an empty choice says so ("không chọn mục nào")."""
    if isinstance(value, list):
        return ", ".join(names.get(v, v) for v in value) or t("nothing_chosen", lang)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return names.get(value, value) if value is not None else t("nothing_chosen", lang)


def answer_key_html(
    key: dict[str, Any], forms: dict[str, list[FormField]], lang: str, given: dict[str, dict[str, Any]] | None = None
) -> str:
    """The correct answers in words per decision point, each beside the trainee's own where it differs.

    ``forms``: each decision point's fields; ``given``: the trainee's answers (decision point → field → value).
    """
    given = given or {}
    rows = []
    for dp, fields in forms.items():
        if not key.get(dp):
            continue
        labels = {f.name: {k: o.get(lang) for k, o in f.options} for f in fields}
        headings = {f.name: f.label_key for f in fields}
        mine = given.get(dp) or {}
        shown = []
        for name, value in key[dp].items():
            names = labels.get(name, {})
            line = f"{html.escape(t(headings.get(name, 'f_' + name), lang))}: {html.escape(str(_value_text(value, names, lang)))}"
            yours = mine.get(name)
            same = (
                sorted(yours) == sorted(value)
                if isinstance(value, list) and isinstance(yours, list)
                else yours == value
            )
            if not same:
                answer = _value_text(yours, names, lang) if dp in given else t("not_answered_short", lang)
                line += f" <span class='trove-yours'>— {html.escape(t('your_answer', lang, answer=answer))}</span>"
            shown.append(line)
        rows.append(f"<li><b>{t('dp_' + dp, lang)}</b><br>{'<br>'.join(shown)}</li>")
    return f"<h3>{t('correct_answers', lang)}</h3><ul>{''.join(rows)}</ul>"
