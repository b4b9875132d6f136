"""The user-facing message catalog (``messages.yaml``): every sentence the apps show, in Vietnamese and English."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from sim.law.primitives import Bilingual, Strict
from sim.locations import PACKAGED_DATA
from sim.parsing import read_document, validate


class MessagesFile(Strict):
    """The ``messages.yaml`` document: message id → text in both languages."""

    schema_version: Literal[1]
    messages: dict[str, Bilingual]


def read_messages(path: Path) -> dict[str, Bilingual]:
    """Read and validate a message catalog file: message id → text in both languages.

    Raises
    ------
    DataError
        Every problem of the file, located as ``file:line:col field: message (hint)``.

    Examples
    --------
    >>> from sim.locations import PACKAGED_DATA
    >>> read_messages(PACKAGED_DATA / "messages.yaml")["age_years"].vi
    '{age} tuổi'
    """
    return validate(MessagesFile, read_document(path)).messages


@cache
def packaged_messages() -> dict[str, Bilingual]:
    """The shipped catalog, read once per process: the apps' first screen needs it before the whole library.

    >>> packaged_messages()["age_years"].en
    '{age} years old'
    """
    return read_messages(PACKAGED_DATA / "messages.yaml")
