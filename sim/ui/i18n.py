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
