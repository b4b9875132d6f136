"""The UI's message lookup: ``t(key, lang, **values)`` over the apps' catalog (``sim/data/messages.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from sim.app.texts import messages

if TYPE_CHECKING:
    from sim.errors import Problem
    from sim.law.primitives import Bilingual


def catalog() -> dict[str, Bilingual]:
    """Message id → text in both languages."""
    return messages()


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang`` (Vietnamese unless "en"), with ``{placeholders}`` filled.

    >>> t("age_years", "en", age=17)
    '17 years old'
    """
    text = messages()[key].get(lang)
    return text.format(**values) if values else text


def day_text(day: date, lang: str = "vi") -> str:
    """A date as Vietnamese (dd/mm/yyyy) or English ("1 July 2025") writing.

    >>> day_text(date(2025, 7, 1)), day_text(date(2025, 7, 1), "en")
    ('01/07/2025', '1 July 2025')
    """
    if lang == "en":
        return f"{day.day} {day:%B} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def number(value: float, lang: str = "vi") -> str:
    """A score as people write it: at most two decimals, no trailing zeros, a decimal comma in Vietnamese.

    >>> number(40.0), number(10.65), number(0.45, "en"), number(12.125)
    ('40', '10,65', '0.45', '12,12')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


def percent(value: float | None, lang: str = "vi") -> str:
    """A percentage as people write it ("89,2%" in Vietnamese, no space), "—" for none.

    >>> percent(89.2), percent(89.2, "en"), percent(100.0), percent(None)
    ('89,2%', '89.2%', '100%', '—')
    """
    return "—" if value is None else f"{number(round(value, 1), lang)}%"


def timestamp(iso: str | None, lang: str = "vi") -> str:
    """A stored UTC time as Vietnam time (Asia/Ho_Chi_Minh): "28/11/2026 09:15" ("" for none).

    >>> timestamp("2026-11-28T02:15:00.000+00:00"), timestamp("2026-11-28T02:15:00+00:00", "en"), timestamp(None)
    ('28/11/2026 09:15', '28 Nov 2026 09:15', '')
    """
    from sim.app.trainer import vietnam_time

    if not iso:
        return ""
    local = vietnam_time(iso)
    if lang == "en":
        return f"{local.day} {local:%b %Y %H:%M}"
    return f"{local:%d/%m/%Y %H:%M}"


def regime_name(regime: str, lang: str = "vi") -> str:
    """The law a regime applies, as trainers say it ("Luật 2011"), never "chế độ A" (style reference §2.7).

    >>> regime_name("A"), regime_name("B", "en")
    ('Luật 2011', '2024 Law (amended 2025)')
    """
    key = f"regime_{regime}"
    return t(key, lang) if key in messages() else regime


# A problem's English message (pydantic's, by error type, or the parsing boundary's own) → its message id here.
# Pydantic's messages are fixed templates per error type; the parsing boundary keeps them for ``trove check``.
PROBLEM_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"required field '(?P<field>[^']+)' is missing", "pe_missing_field"),
    (r"unknown field", "pe_extra_forbidden"),
    (r"unknown scenario (?P<value>.+)", "pe_unknown_scenario"),
    (r"unknown \w+ (?P<value>'.+')", "pe_unknown_id"),
    (r"region (?P<region>'[^']+') covers (?P<start>\S+)–(?P<end>\S+), not (?P<day>\S+)", "pe_region_dates"),
    (r"(?P<value>.+) is not allowed", "pe_not_allowed"),
    (r"Field required", "pe_missing"),
    (r"\w+ should have at least (?P<n>\d+) items?", "pe_too_short"),
    (r"\w+ should have at most (?P<n>\d+) items?", "pe_too_long"),
    (r"String should have at least (?P<n>\d+) characters?", "pe_string_too_short"),
    (r"String should have at most (?P<n>\d+) characters?", "pe_string_too_long"),
    (r"String should match pattern", "pe_string_pattern_mismatch"),
    (r"Input should be greater than or equal to (?P<n>\S+)", "pe_greater_than_equal"),
    (r"Input should be greater than (?P<n>\S+)", "pe_greater_than"),
    (r"Input should be less than or equal to (?P<n>\S+)", "pe_less_than_equal"),
    (r"Input should be less than (?P<n>\S+)", "pe_less_than"),
    (r"Input should be a valid integer", "pe_int"),
    (r"Input should be a (valid|finite) number", "pe_number"),
    (r"Input should be a valid string", "pe_string"),
    (r"Input should be a valid boolean", "pe_bool"),
    (r"Input should be a valid (list|array|set|tuple)", "pe_list"),
    (r"Input should be a valid dictionary|Input should be an object", "pe_dict"),
    (r"(Input should be a valid date|Datetimes provided to dates)", "pe_date"),
)
HINT_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"did you mean (?P<value>.+)\?", "pe_did_you_mean"),
    (r"use one of:? (?P<values>.+)", "pe_use_one_of"),
    (r"allowed fields: (?P<values>.+)", "pe_allowed_fields"),
    (r"add (?P<field>[^:]+): …", "pe_add_field"),
    (r"regions on that date: (?P<values>.+)", "pe_regions_on_day"),
)


def _value_text(value: str, lang: str, names: Mapping[str, str]) -> str:
    """A value quoted in a problem, as the reader knows it: an id by its name, an ISO date as the reader writes it."""
    value = value.rstrip(".")
    bare = value.strip("'\"")
    if bare in names:
        return f"«{names[bare]}»"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", bare):
        try:
            return day_text(date.fromisoformat(bare), lang)
        except ValueError:  # "2026-13-45", the date a problem refuses, is shown as it was written
            return value
    return value


def _translated(
    text: str, patterns: tuple[tuple[str, str], ...], lang: str, labels: Mapping[str, str], names: Mapping[str, str]
) -> str | None:
    for pattern, key in patterns:
        match = re.match(pattern, text)
        if match:
            values = {k: _value_text(v, lang, names) for k, v in match.groupdict().items() if k != "values"}
            if "values" in match.groupdict():  # a list of ids or options: each by its name
                listed = re.split(r", | or ", match["values"])  # pydantic lists "'a', 'b' or 'c'"
                values["values"] = ", ".join(_value_text(v, lang, names) for v in listed)
            if "field" in values:
                values["field"] = labels.get(match["field"], match["field"])
            return t(key, lang, **values)
    return None


def _kind_text(problem: Problem, lang: str, labels: Mapping[str, str], names: Mapping[str, str]) -> tuple[str, str]:
    """A problem with a kind, in ``lang``: its message ``pe_<kind>`` (``pe_unknown_<what>`` for an unknown id when
    the catalog has it) filled with its values, and a hint from the names it suggests, each by its label or name."""
    key = f"pe_{problem.kind}"
    if problem.kind == "unknown_id" and f"pe_unknown_{problem.value('what')}" in messages():
        key = f"pe_unknown_{problem.value('what')}"
    values = {name: _value_text(value, lang, names) for name, value in problem.values if isinstance(value, str)}
    if problem.kind == "missing_field":  # a field of the mapping at the problem's path
        field = str(problem.value("field"))
        values["field"] = labels.get(f"{problem.path}.{field}" if problem.path else field, field)

    def listed(name: str) -> str:
        return ", ".join(_value_text(repr(v), lang, names) for v in problem.value(name, ()))

    if problem.value("close", ()):
        hint = t("pe_did_you_mean", lang, value=listed("close"))
    elif problem.value("allowed", ()):
        hint = t("pe_allowed_fields", lang, values=listed("allowed"))
    elif problem.value("options", ()):
        hint = t("pe_use_one_of", lang, values=listed("options"))
    elif problem.value("known", ()):
        hint = t("pe_use_one_of", lang, values=listed("known") + (", …" if problem.value("more") else ""))
    else:
        hint = ""
    return t(key, lang, **values), hint


def field_label_of(path: str, labels: Mapping[str, str], lang: str = "vi") -> str:
    """The label of the form field a problem's path points into (the longest known prefix), else the path itself.

    >>> field_label_of("fixed.age", {"fixed": "Sự việc cố định", "fixed.age": "Tuổi"})
    'Tuổi'
    >>> field_label_of("objectives[0].vi", {"objectives": "Mục tiêu học tập"}), field_label_of("", {})
    ('Mục tiêu học tập', 'Cả tệp')
    """
    if not path:
        return t("pe_whole_file", lang)
    for key in sorted(labels, key=len, reverse=True):
        if path == key or path.startswith((key + ".", key + "[")):
            return labels[key]
    return path


def problem_text(
    problem: Problem, lang: str = "vi", labels: Mapping[str, str] | None = None, names: Mapping[str, str] | None = None
) -> str:
    """A validation problem as a sentence for the designer: the field's label, then the message in ``lang``.

    Pydantic's error types and the parsing boundary's own messages are translated (message ids ``pe_*``); any
    other message is shown as it is. ``labels`` maps field paths (``"objectives"``, ``"fixed.age"``) to labels,
    ``names`` ids quoted in messages (regions, scenarios) to their names.

    >>> from sim.errors import Problem
    >>> p = Problem("s.yaml", 40, 1, "objectives", "List should have at least 1 item after validation, not 0")
    >>> problem_text(p, "vi", {"objectives": "Mục tiêu học tập"})
    'Mục tiêu học tập: cần ít nhất 1 mục'
    >>> problem_text(Problem("s.yaml", 3, 1, "difficulty", "'easy' is not allowed", "use one of: 'basic', 'advanced'"))
    "difficulty: giá trị 'easy' không hợp lệ (chọn một trong: 'basic', 'advanced')"
    >>> region = Problem("s.yaml", 11, 1, "region", "region 'lam-dong' covers 2025-07-01–…, not 2016-05-01")
    >>> problem_text(region, "vi", {"region": "Địa bàn"}, {"lam-dong": "Lâm Đồng"})
    'Địa bàn: địa bàn «Lâm Đồng» chỉ áp dụng từ 01/07/2025 đến …, không áp dụng cho ngày 01/05/2016'
    >>> problem_text(Problem("s.yaml", 3, 1, "level", "'x' is not allowed", "use one of: 'basic', 'mid' or 'hard'"))
    "level: giá trị 'x' không hợp lệ (chọn một trong: 'basic', 'mid', 'hard')"
    >>> unknown = Problem("s.yaml", 5, 1, "fixed.agee", "unknown field", "allowed fields: age, entry_route")
    >>> problem_text(unknown, "vi", {"fixed.age": "Tuổi", "fixed.entry_route": "Đường về"})
    'fixed.agee: mục không có trong mẫu (xóa đi hoặc sửa tên) (các mục dùng được: «Tuổi», «Đường về»)'
    >>> problem_text(p, "en", {"objectives": "Learning objectives"})
    'Learning objectives: needs at least 1 item(s)'
    """
    labels, names = labels or {}, names or {}
    where = field_label_of(problem.path, labels, lang)
    # Field names a hint lists ("allowed fields: age, entry_route") by their labels, beside the problem's field.
    parent = problem.path.rpartition(".")[0]
    siblings = {key.rpartition(".")[2]: label for key, label in labels.items() if key.rpartition(".")[0] == parent}
    names = {**siblings, **names}
    if problem.kind and f"pe_{problem.kind}" in messages():
        message, hint = _kind_text(problem, lang, labels, names)
    else:  # pydantic's messages, by their text (in English too: the catalog's are plainer)
        message = _translated(problem.message, PROBLEM_PATTERNS, lang, labels, names) or problem.message
        hint = problem.hint and (_translated(problem.hint, HINT_PATTERNS, lang, labels, names) or problem.hint)
    return f"{where}: {message}" + (f" ({hint})" if hint else "")
