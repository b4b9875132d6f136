"""The apps' message catalog, for the UI's ``t()``: available before the library loads (the first screen needs it)."""

from __future__ import annotations

from sim.law.primitives import Bilingual
from sim.library.messages import packaged_messages


def messages() -> dict[str, Bilingual]:
    """Message id → text in Vietnamese and English.

    >>> messages()["age_years"].get("vi")
    '{age} tuổi'
    """
    return packaged_messages()
