"""A Faker provider for Vietnamese names in Vietnamese order and valid 10-digit mobile numbers.

Faker's ``vi_VN`` puts the given name first and has tiny pools (stack notes §2); this provider
draws family names, middle names and sex-appropriate given names from the sourced shares in
``sim/data/names/vietnamese-names.yaml``.

>>> from faker import Faker
>>> from sim.library import packaged_library
>>> fake = Faker("vi_VN")
>>> fake.add_provider(VietnameseNameProvider(fake, packaged_library().names))
>>> fake.seed_instance(3)
>>> name = fake.vietnamese_name("female")
>>> name.full.split()[0] == name.family and name.full.split()[-1] == name.given
True
>>> len(fake.vietnamese_mobile())
10
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from faker.providers import BaseProvider


@dataclass(frozen=True)
class VietnameseName:
    """A name in Vietnamese order: family name, middle name(s) (may be empty) and given name."""

    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        """The full name, family name first, without an empty middle part (``"Nguyễn Thị Mai"``)."""
        return " ".join(part for part in (self.family, self.middle, self.given) if part)


@dataclass(frozen=True)
class _Pool:
    values: tuple[str, ...]
    cum_weights: tuple[float, ...]


@dataclass(frozen=True)
class NameData:
    """The provider's pools: weighted family and given names, middle names, mobile prefixes, Chăm family names, and
    the traditional middle names (Thị, Văn), which only ever come right after the family name."""

    family: _Pool
    middle: dict[str, tuple[str, ...]]
    given: dict[str, _Pool]
    two_middle_share: dict[str, float]
    prefixes: tuple[str, ...]
    cham_family: tuple[str, ...]
    traditional: dict[str, tuple[str, ...]]


def _pool(pairs: list[tuple[str, float]]) -> _Pool:
    return _Pool(tuple(v for v, _ in pairs), tuple(accumulate(w for _, w in pairs)))


def name_data(raw: dict[str, Any]) -> NameData:
    """The pools the provider draws from, built from the sourced ``names/vietnamese-names.yaml`` document.

    Parameters
    ----------
    raw : dict
        The parsed document; a family name written ``"A / B"`` shares its weight between both spellings.

    Examples
    --------
    >>> from sim.locations import PACKAGED_DATA
    >>> from sim.parsing import read_document
    >>> data = name_data(read_document(PACKAGED_DATA / "names" / "vietnamese-names.yaml").data)
    >>> data.family.values[:3], data.prefixes[:3]
    (('Nguyễn', 'Trần', 'Lê'), ('032', '033', '034'))
    """
    family = []
    for item in raw["family_names"]["national_estimate"]["shares_percent"]:
        variants = [v.strip() for v in item["name"].split("/")]
        family += [(v, item["share_percent"] / len(variants)) for v in variants]
    structure = raw["name_structure"]["words_in_full_name_percent"]
    two_middle = {sex: structure[sex]["4"] / (structure[sex]["3"] + structure[sex]["4"]) for sex in ("male", "female")}
    middle = {
        "female": tuple(raw["middle_names"]["female"]["common"]),
        "male": tuple(raw["middle_names"]["male"]["common"]),
    }
    given = {
        "female": _pool([(n["name"], n["share_percent"]) for n in raw["given_names"]["female"]["names"]]),
        "male": _pool([(n["name"], n["share_percent"]) for n in raw["given_names"]["male"]["names"]]),
    }
    traditional = {sex: tuple(raw["middle_names"][sex]["traditional"]) for sex in ("female", "male")}
    prefixes = tuple(p for ops in raw["mobile_numbers"]["valid_prefixes"].values() for p in ops)
    cham = tuple(raw["ethnic_minorities"]["cham"]["family_names"])
    return NameData(_pool(family), middle, given, two_middle, prefixes, cham, traditional)


class VietnameseNameProvider(BaseProvider):
    """Faker provider: ``vietnamese_name(sex)``, ``vietnamese_mobile()``, ``cham_name(sex)``, drawing from ``data``."""

    def __init__(self, generator: Any, data: NameData):
        super().__init__(generator)
        self.data = data

    def _draw(self, pool: _Pool) -> str:
        return self.generator.random.choices(pool.values, cum_weights=pool.cum_weights)[0]

    def vietnamese_name(self, sex: str) -> VietnameseName:
        """A name for a person of ``sex`` (``"female"`` or ``"male"``), with one or two middle names.

        With two middle names, a traditional one (Thị, Văn) comes first, right after the family name, as in the
        data's examples "Thị Ngọc", "Thị Thu": "Lê Thị Thanh Linh", never "Lê Thanh Thị Linh".

        Examples
        --------
        >>> from faker import Faker
        >>> from sim.library import packaged_library
        >>> fake = Faker("vi_VN")
        >>> provider = VietnameseNameProvider(fake, packaged_library().names)
        >>> fake.seed_instance(3)
        >>> provider.vietnamese_name("female")
        VietnameseName(family='Đặng', middle='Thị Thu', given='Trinh')
        """
        data = self.data
        rnd = self.generator.random
        middles = data.middle[sex]
        first = middles[0] if rnd.random() < 0.5 else rnd.choice(middles)
        middle = first
        if rnd.random() < data.two_middle_share[sex]:
            second = rnd.choice(middles)
            if second != first:
                # the same draws as before; only the order of a traditional second middle name changes
                first, second = (second, first) if second in data.traditional[sex] else (first, second)
                middle = f"{first} {second}"
        return VietnameseName(self._draw(data.family), middle, self._draw(data.given[sex]))

    def cham_name(self, sex: str) -> VietnameseName:
        """A Chăm name: a Chăm family name, ``Thị`` (female) or ``Văn`` (male), and a drawn given name.

        Examples
        --------
        >>> from faker import Faker
        >>> from sim.library import packaged_library
        >>> fake = Faker("vi_VN")
        >>> provider = VietnameseNameProvider(fake, packaged_library().names)
        >>> fake.seed_instance(3)
        >>> name = provider.cham_name("male")
        >>> name.family in provider.data.cham_family, name.middle
        (True, 'Văn')
        """
        data = self.data
        base = self.vietnamese_name(sex)
        middle = "Thị" if sex == "female" else "Văn"
        return VietnameseName(self.generator.random.choice(data.cham_family), middle, base.given)

    def vietnamese_mobile(self) -> str:
        """A 10-digit mobile number starting with a valid operator prefix.

        Examples
        --------
        >>> from faker import Faker
        >>> from sim.library import packaged_library
        >>> fake = Faker("vi_VN")
        >>> provider = VietnameseNameProvider(fake, packaged_library().names)
        >>> fake.seed_instance(3)
        >>> number = provider.vietnamese_mobile()
        >>> number, number[:3] in provider.data.prefixes
        ('0849942864', True)
        """
        rnd = self.generator.random
        return rnd.choice(self.data.prefixes) + f"{rnd.randrange(10_000_000):07d}"
