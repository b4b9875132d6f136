"""Coverage of the province's target "100% of commune officers trained": which communes of the
workshop's region have at least one trained officer, grouped by (former) district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sim.cases.regions import Commune, RegionPack

UNIT_TYPES = ("thị trấn", "đặc khu", "phường", "xã")


def normalise(name: str) -> str:
    """``"  Xã  Phan Sơn "`` → ``"phan sơn"`` (unit type and case dropped).

    >>> normalise("  Xã  Phan Sơn "), normalise("thị trấn Chợ Lầu")
    ('phan sơn', 'chợ lầu')
    """
    text = " ".join(name.lower().split())
    for unit in UNIT_TYPES:
        if text.startswith(unit + " "):
            return text[len(unit) + 1 :]
    return text


@dataclass(frozen=True)
class CoverageRow:
    """One (former) district: its communes, how many have a trained officer, and how many officers trained."""

    district: str
    communes: int
    trained_communes: int
    officers: int

    @property
    def share(self) -> float:
        """The share of the district's communes with a trained officer (0.0 for a district with none)."""
        return self.trained_communes / self.communes if self.communes else 0.0


def commune_options(pack: RegionPack, today: date) -> list[str]:
    """Full unit names a trainee can pick when joining: the pack's units on its latest day up to ``today``, sorted.

    >>> from sim.cases.regions import Commune, RegionPack
    >>> pack = RegionPack(
    ...     id="demo", vi="Demo", en="Demo", province="Bình Thuận", valid_from=date(2020, 1, 1), valid_to=None,
    ...     communes=[
    ...         Commune(name="Phan Sơn", type="xã", code="1"),
    ...         Commune(name="Chợ Lầu", type="thị trấn", code="2"),
    ...         Commune(name="Phan Lâm", type="xã", code="3", dissolved=date(2025, 7, 1)),
    ...     ],
    ... )
    >>> commune_options(pack, date(2024, 1, 1))
    ['thị trấn Chợ Lầu', 'xã Phan Lâm', 'xã Phan Sơn']
    >>> commune_options(pack, date(2026, 1, 1))
    ['thị trấn Chợ Lầu', 'xã Phan Sơn']
    """
    return sorted(c.full_name for c in pack.communes_on(pack.current_day(today)))


def _districts(commune: Commune) -> tuple[str, ...]:
    if commune.district:
        return (commune.district,)
    return commune.former_districts or ("—",)


def coverage(trainee_communes: list[str], pack: RegionPack, today: date) -> tuple[list[CoverageRow], list[str]]:
    """Rows per district, and the trainees' commune texts that match no unit of the pack."""
    communes = pack.communes_on(pack.current_day(today))
    by_full = {" ".join(c.full_name.lower().split()): c for c in communes}
    by_bare: dict[str, list[Commune]] = {}
    for c in communes:
        by_bare.setdefault(normalise(c.full_name), []).append(c)
    officers: dict[str, int] = {}  # commune code → trained officers
    unmatched = []
    for text in trainee_communes:
        full = " ".join(text.lower().split())
        match = by_full.get(full) or (
            by_bare[normalise(text)][0] if len(by_bare.get(normalise(text), [])) == 1 else None
        )
        if match is None:
            unmatched.append(text)
        else:
            officers[match.code] = officers.get(match.code, 0) + 1
    rows: dict[str, list[int]] = {}
    for commune in communes:
        for district in _districts(commune):
            row = rows.setdefault(district, [0, 0, 0])
            row[0] += 1
            row[1] += commune.code in officers
            row[2] += officers.get(commune.code, 0)
    return [CoverageRow(d, *v) for d, v in sorted(rows.items())], unmatched
