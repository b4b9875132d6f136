"""What a returned person may need, and which service of the referral graph meets it (``needs.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.law.citations import Basis
from sim.law.primitives import Strict


class Need(Strict):
    """One need: the service that meets it, whether the commune meets it at intake, its label."""

    service: str
    immediate: bool
    vi: str
    en: str
    always: bool = False
    basis: Basis = Field(default_factory=list)


class NeedsFile(Strict):
    """The ``needs.yaml`` document."""

    schema_version: Literal[1]
    needs: dict[str, Need]
