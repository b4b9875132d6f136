"""The UI's message lookup: ``t(key, lang, **values)`` over the apps' catalog (``sim/data/messages.yaml``)."""

from __future__ import annotations

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
