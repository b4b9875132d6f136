"""The UI's message lookup: ``t(key, lang, **values)`` over the apps' catalog (``sim/data/messages.yaml``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sim.app.texts import messages

if TYPE_CHECKING:
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
