"""Legal primitives that rules are made of: bilingual text, citations, status, deadlines."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["confirmed", "inferred", "unconfirmed"]
Regime = Literal["A", "B"]


class Strict(BaseModel):
    """Base of every data model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    """A user-facing text in Vietnamese (first) and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class Citation(Strict):
    """A legal basis: which text, which article, and the reference's source tags."""

    text: str
    article: str
    sources: list[str] = Field(default_factory=list)

    def render(self, texts: dict[str, LegalText], lang: str = "vi") -> str:
        """E.g. ``Luật PCMBN 2011 (66/2011/QH12), Điều 24.3 [S1]``.

        >>> Citation(text="x", article="24.3", sources=["S1"]).render({"x": LegalText(vi="Luật X", en="Law X")}, "en")
        'Law X, Art 24.3 [S1]'
        """
        name = texts[self.text].vi if lang != "en" else texts[self.text].en
        word = "Art" if lang == "en" else "Điều"
        tags = "".join(f"[{s}]" for s in self.sources)
        return f"{name}, {word} {self.article}" + (f" {tags}" if tags else "")


class LegalText(Strict):
    vi: str
    en: str
    in_force: dict[str, date] = Field(default_factory=dict)
    status_note: str = ""


class Deadline(Strict):
    """A time limit. ``immediately`` is judged on the simulated clock (see docs/rules.md)."""

    kind: Literal["immediately", "hours", "days", "working_days", "months", "unconfirmed"]
    amount: int | None = None

    def label(self, lang: str = "vi") -> str:
        """Human text.

        >>> Deadline(kind="days", amount=3).label("en")
        'within 3 days'
        >>> Deadline(kind="immediately").label()
        'ngay lập tức'
        """
        vi = {
            "immediately": "ngay lập tức",
            "hours": "trong {n} giờ",
            "days": "trong {n} ngày",
            "working_days": "trong {n} ngày làm việc",
            "months": "trong {n} tháng",
            "unconfirmed": "thời hạn chưa được xác nhận",
        }
        en = {
            "immediately": "immediately",
            "hours": "within {n} hours",
            "days": "within {n} days",
            "working_days": "within {n} working days",
            "months": "within {n} months",
            "unconfirmed": "deadline unconfirmed",
        }
        return (en if lang == "en" else vi)[self.kind].format(n=self.amount)

    def hours(self) -> float | None:
        """Length in simulated hours (working day = 24 h for the simulator); None if unconfirmed."""
        factor = {"immediately": 0, "hours": 1, "days": 24, "working_days": 24, "months": 24 * 30}
        if self.kind == "unconfirmed":
            return None
        return 0.0 if self.kind == "immediately" else float(factor[self.kind] * (self.amount or 0))


class Cited(Strict):
    """Mixin for every rule: its legal basis and its status in the reference."""

    basis: list[Citation]
    status: Status
    note: str = ""
