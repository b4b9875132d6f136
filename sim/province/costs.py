"""Support cost: the money amounts of ``money.yaml`` (handed in with the library) on the supports people received.

Only what ``province.yaml`` ``costs`` names is costed: an amount per regime and support, times the days or months
of a per-day or per-month amount. Every amount keeps its status: the report lists each one used with its status,
basis and whether it is unconfirmed (anything but ``confirmed``: a draft, another province's rate, or no
confirmed text), shown "chưa xác nhận" beside it. A support received with no amount, or whose amount has no
figure (Regime B today), costs nothing and is counted as not costed, so a total is never read as complete.

>>> from sim.library import packaged_library
>>> from sim.province.parameters import read_parameters
>>> rates = costing(packaged_library(), read_parameters())
>>> rates[("A", "travel")].vnd, rates[("A", "travel")].amount.status, rates[("B", "hardship_allowance")].vnd
(140000.0, 'confirmed', None)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.law.rulebook import MoneyAmount
    from sim.library import Library
    from sim.province.model import Outcome
    from sim.province.parameters import ProvinceParameters


@dataclass(frozen=True)
class Rate:
    """What one received support costs: a money amount times the days or months it is paid."""

    amount: MoneyAmount
    units: float

    @property
    def vnd(self) -> float | None:
        """The cost in VND of one person's support, or None when the amount has no figure."""
        return None if self.amount.vnd is None else self.amount.vnd * self.units


def costing(library: Library, params: ProvinceParameters) -> dict[tuple[str, str], Rate]:
    """The rate of each (regime, support) that ``params.costs`` names, from the library's money amounts.

    ``check_parameters`` reports unknown or mismatched ids; here they are taken as checked.

    >>> from sim.library import packaged_library
    >>> from sim.province.parameters import read_parameters
    >>> sorted(costing(packaged_library(), read_parameters()))
    [('A', 'hardship_allowance'), ('A', 'travel'), ('B', 'hardship_allowance')]
    """
    if params.costs is None:
        return {}
    money = {m.id: m for m in library.rulebook.money}
    units = params.costs.units
    return {
        (regime, support): Rate(money[amount_id], 1.0 if money[amount_id].per == "once" else units[amount_id])
        for regime, by_support in sorted(params.costs.amounts.items())
        for support, amount_id in sorted(by_support.items())
    }


def support_costs(outcomes: Iterable[Outcome], rates: dict[tuple[str, str], Rate]) -> dict[str, Any]:
    """VND spent on the supports received: in all, the part on confirmed amounts, per support, and the supports
    received that could not be costed (per support, how many).

    >>> from sim.library import packaged_library
    >>> from sim.province.parameters import read_parameters
    >>> support_costs([], costing(packaged_library(), read_parameters()))["by_support"]
    {'hardship_allowance': 0.0, 'travel': 0.0}
    """
    supports = sorted({support for _, support in rates})
    by_support = dict.fromkeys(supports, 0.0)
    not_costed = dict.fromkeys(supports, 0)
    confirmed = 0.0
    for o in outcomes:
        for support in supports:
            if support not in o.received:
                continue
            rate = rates.get((o.regime, support))
            if rate is None or rate.vnd is None:
                not_costed[support] += 1
                continue
            by_support[support] += rate.vnd
            confirmed += rate.vnd if rate.amount.is_law else 0.0
    return {
        "total_vnd": sum(by_support.values()),
        "confirmed_vnd": confirmed,
        "by_support": by_support,
        "not_costed": not_costed,
    }


def money_used(library: Library, params: ProvinceParameters) -> dict[str, dict[str, Any]]:
    """Each money amount a study costs with: figure, what it is paid per and how many, status, basis, and whether
    it is unconfirmed, with the status in words beside it (``rule_status_*`` of the message catalog).

    >>> from sim.library import packaged_library
    >>> from sim.province.parameters import read_parameters
    >>> used = money_used(packaged_library(), read_parameters())
    >>> used["hardship_draft_floor"]["status"], used["hardship_draft_floor"]["status_vi"]
    ('draft', 'chưa xác nhận')
    >>> used["road_food_national_floor"]["unconfirmed"], used["road_food_national_floor"]["status_vi"]
    (False, 'đã xác nhận')
    """
    book, messages = library.rulebook, library.messages
    found = {}
    for (regime, support), rate in costing(library, params).items():
        m = rate.amount
        words = messages["rule_status_confirmed" if m.is_law else "rule_status_unconfirmed"]
        found[m.id] = {
            "regime": regime,
            "support": support,
            "vnd": m.vnd,
            "per": m.per,
            "units": rate.units,
            "status": m.status,
            "unconfirmed": not m.is_law,
            "status_vi": words.vi,
            "status_en": words.en,
            "province": m.province,
            "vi": m.vi,
            "en": m.en,
            "basis_vi": book.cite(m.basis, "vi"),
            "basis_en": book.cite(m.basis, "en"),
            "note": m.note,
        }
    return dict(sorted(found.items()))
