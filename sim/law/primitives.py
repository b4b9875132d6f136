"""Legal primitives that rules are made of: bilingual text, status, deadlines (citations: ``sim.law.citations``)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Status = Literal["confirmed", "inferred", "unconfirmed"]
Regime = Literal["A", "B"]


class Strict(BaseModel):
    """Base of every data model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Bilingual(Strict):
    """A user-facing text in Vietnamese (first) and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``: English for ``"en"``, Vietnamese for any other code.

        >>> text = Bilingual(vi="Tiếp nhận", en="Intake")
        >>> text.get("en"), text.get("vi"), text.get("fr")
        ('Intake', 'Tiếp nhận', 'Tiếp nhận')
        """
        return self.en if lang == "en" else self.vi


NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Title(Bilingual):
    """A title in both languages, neither of them empty (a scenario or exercise nobody could name).

    >>> Title(vi="Tiếp nhận", en="Intake").vi
    'Tiếp nhận'
    >>> from pydantic import ValidationError
    >>> try:
    ...     Title(vi="  ", en="Intake")
    ... except ValidationError as error:
    ...     [(e["loc"], e["type"]) for e in error.errors()]
    [(('vi',), 'string_too_short')]
    """

    vi: NonEmptyText
    en: NonEmptyText


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
        """Length in simulated hours (working day = 24 h, month = 30 days for the simulator); None if unconfirmed.

        >>> Deadline(kind="working_days", amount=3).hours(), Deadline(kind="immediately").hours()
        (72.0, 0.0)
        >>> Deadline(kind="unconfirmed").hours() is None
        True
        """
        factor = {"immediately": 0, "hours": 1, "days": 24, "working_days": 24, "months": 24 * 30}
        if self.kind == "unconfirmed":
            return None
        return 0.0 if self.kind == "immediately" else float(factor[self.kind] * (self.amount or 0))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter).

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 3, 15), 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 3, 15))
    """
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
