"""The UI message catalog (``messages.yaml``): ``t(key, lang, **values)``."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from sim.law import Bilingual, Strict
from sim.loading import read_document, validate



class Catalog(Strict):
    schema_version: int
    messages: dict[str, Bilingual]


@cache
def catalog() -> dict[str, Bilingual]:
    return validate(Catalog, read_document(Path(__file__).with_name("messages.yaml"))).messages


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The message ``key`` in ``lang`` (Vietnamese unless "en"), with ``{placeholders}`` filled.

    >>> t("age_years", "en", age=17)
    '17 years old'
    """
    text = catalog()[key].get(lang)
    return text.format(**values) if values else text
