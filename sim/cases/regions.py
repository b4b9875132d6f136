"""Region packs: the real administrative units a case can be set in, valid on a date.

>>> from datetime import date
>>> from sim.library import packaged_library
>>> pack = packaged_library().region("binh-thuan")
>>> len(pack.communes_on(date(2021, 1, 1))), len(pack.communes_on(date(2025, 1, 1)))
(124, 121)
>>> len(packaged_library().region("lam-dong-binh-thuan").communes_on(date(2025, 8, 1)))
45
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr

from sim.errors import DataError, SimError
from sim.law.primitives import Strict
from sim.parsing import read_document, unknown_id_problem, validate


class PackEntry(Strict):
    """One pack in ``packs.yaml``: its names, unit-list file and layout, the dates it serves, its former province."""

    vi: str
    en: str
    file: str
    layout: Literal["districts", "communes"]
    valid_from: date
    valid_to: date | None = None
    former_province: str | None = None
    note: str = ""


class PacksFile(Strict):
    """The ``regions/packs.yaml`` index: which sourced unit list serves which dates, and the default pack."""

    schema_version: Literal[1]
    default: str
    packs: dict[str, PackEntry]


class Commune(Strict):
    """A commune-level unit (xã / phường / thị trấn / đặc khu)."""

    name: str
    type: str
    code: str
    district: str | None = None
    district_type: str | None = None
    dissolved: date | None = None
    former_districts: tuple[str, ...] = ()  # merged province: the pre-2025 districts the unit came from

    @property
    def full_name(self) -> str:
        """The unit's type and name, as written in addresses (``"phường Mũi Né"``)."""
        return f"{self.type} {self.name}"


class RegionPack(Strict):
    """A province's commune-level units over a span of dates, with the units dissolved within it."""

    id: str
    vi: str
    en: str
    province: str
    valid_from: date
    valid_to: date | None
    communes: list[Commune] = Field(repr=False)
    note: str = ""
    _on_day: dict[date, tuple[Commune, ...]] = PrivateAttr(default_factory=dict)

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls within the pack's dates (both ends included).

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> pack = packaged_library().region("binh-thuan")
        >>> pack.covers(date(2025, 6, 30)), pack.covers(date(2025, 7, 1))
        (True, False)
        """
        return day >= self.valid_from and (self.valid_to is None or day <= self.valid_to)

    def communes_on(self, day: date) -> tuple[Commune, ...]:
        """Units that exist on ``day`` (units dissolved on or before it are left out), shared per day.

        Raises
        ------
        SimError
            If the pack does not cover ``day``.

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> pack = packaged_library().region("lam-dong-binh-thuan")
        >>> unit = pack.communes_on(date(2025, 8, 1))[0]
        >>> unit.full_name, unit.former_districts
        ('phường Hàm Thắng', ('Phan Thiết', 'Hàm Thuận Bắc'))
        >>> packaged_library().region("binh-thuan").communes_on(date(2026, 1, 1))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        sim.errors.SimError: region 'binh-thuan' covers 2012-01-01–2025-06-30, not 2026-01-01 (pick a date ...)
        """
        if not self.covers(day):
            raise SimError(
                f"region {self.id!r} covers {self.valid_from}–{self.valid_to or '…'}, not {day} (pick a date in range or another region)"
            )
        found = self._on_day.get(day)
        if found is None:
            found = self._on_day[day] = tuple(c for c in self.communes if c.dissolved is None or day < c.dissolved)
        return found

    def current_day(self, today: date) -> date:
        """The latest day the pack covers, up to ``today`` (a pre-2025 pack answers for its last day).

        Examples
        --------
        >>> from datetime import date
        >>> from sim.library import packaged_library
        >>> lib = packaged_library()
        >>> lib.region("binh-thuan").current_day(date(2026, 1, 1))
        datetime.date(2025, 6, 30)
        >>> lib.region("lam-dong-binh-thuan").current_day(date(2026, 1, 1))
        datetime.date(2026, 1, 1)
        """
        return min(today, self.valid_to) if self.valid_to else today


def _bare_district(name: str) -> str:
    """``"huyện Bắc Bình"`` → ``"Bắc Bình"`` (the district-level unit's type dropped)."""
    for prefix in ("thành phố ", "thị xã ", "huyện "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def read_region_packs(folder: Path) -> tuple[dict[str, RegionPack], str]:
    """Every region pack listed in ``folder/packs.yaml``, and the id of the default pack.

    Raises
    ------
    DataError
        If a file is missing or invalid, or the default names no listed pack.

    Examples
    --------
    >>> from sim.locations import PACKAGED_DATA
    >>> packs, default = read_region_packs(PACKAGED_DATA / "regions")
    >>> sorted(packs), default
    (['binh-thuan', 'lam-dong', 'lam-dong-binh-thuan'], 'lam-dong-binh-thuan')
    """
    doc = read_document(folder / "packs.yaml")
    index = validate(PacksFile, doc)
    if index.default not in index.packs:
        raise DataError([unknown_id_problem(doc, ("default",), "region", index.default, list(index.packs))])
    files = {entry.file: read_document(folder / entry.file).data for entry in index.packs.values()}
    return {pack_id: _pack(pack_id, entry, files[entry.file]) for pack_id, entry in index.packs.items()}, index.default


def _pack(pack_id: str, entry: PackEntry, raw: dict) -> RegionPack:
    if entry.layout == "districts":
        province = raw["province"]["name"]
        communes = [
            Commune(
                name=u["name"],
                type=u["type"],
                code=u["code"],
                district=d["name"],
                district_type=d["type"],
                dissolved=u.get("dissolved"),
            )
            for d in raw["districts"]
            for u in d["units"]
        ]
        types = {d["name"]: d["type"] for d in raw["districts"]}
        communes += [
            Commune(
                name=u["name"],
                type=u["type"],
                code=u["code"],
                district=u["district"],
                district_type=types[u["district"]],
                dissolved=u["dissolved"],
            )
            for u in raw.get("dissolved_before_2020", [])
        ]
    else:
        province = raw["province"]["name"]
        communes = [
            Commune(
                name=u["name"],
                type=u["type"],
                code=u["code"],
                former_districts=tuple(dict.fromkeys(_bare_district(f["district"]) for f in u["formed_from"])),
            )
            for u in raw["units"]
            if entry.former_province is None or u["former_province"] == entry.former_province
        ]
    return RegionPack(
        id=pack_id,
        vi=entry.vi,
        en=entry.en,
        province=province,
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        communes=communes,
        note=entry.note,
    )
