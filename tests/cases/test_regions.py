from __future__ import annotations

from datetime import date

import pytest

from sim.cases.regions import read_region_packs
from sim.errors import DataError, SimError, UnknownIdError
from sim.locations import PACKAGED_DATA


def test_binh_thuan_districts_and_dated_units(library):
    pack = library.region("binh-thuan")
    districts = {c.district for c in pack.communes}
    assert districts == {
        "Phan Thiết",
        "La Gi",
        "Tuy Phong",
        "Bắc Bình",
        "Hàm Thuận Bắc",
        "Hàm Thuận Nam",
        "Hàm Tân",
        "Tánh Linh",
        "Đức Linh",
        "Phú Quý",
    }
    assert len(pack.communes_on(date(2019, 6, 1))) == 127
    assert len(pack.communes_on(date(2020, 1, 1))) == 124
    assert len(pack.communes_on(date(2024, 12, 1))) == 121
    assert "Đức Thắng" not in {c.name for c in pack.communes_on(date(2025, 1, 1))}


def test_lam_dong_has_no_district_level(library):
    pack = library.region("lam-dong")
    assert len(pack.communes_on(date(2025, 7, 1))) == 124
    assert all(c.district is None for c in pack.communes)
    assert {c.type for c in library.region("lam-dong-binh-thuan").communes} == {"xã", "phường", "đặc khu"}


def test_dates_outside_a_pack_are_refused_with_advice(library):
    with pytest.raises(SimError, match="pick a date in range or another region"):
        library.region("binh-thuan").communes_on(date(2025, 7, 1))


def test_unknown_pack_suggests(library):
    with pytest.raises(UnknownIdError, match="did you mean 'binh-thuan'"):
        library.region("binh-thuan-2016")
    assert sorted(library.regions) == ["binh-thuan", "lam-dong", "lam-dong-binh-thuan"]


def test_the_packs_file_names_the_default_region(library):
    packs, default = read_region_packs(PACKAGED_DATA / "regions")
    assert default == library.default_region == "lam-dong-binh-thuan" and sorted(packs) == sorted(library.regions)
    assert library.region_on(date(2026, 1, 1)).id == "lam-dong-binh-thuan"
    assert library.region_on(date(2016, 1, 1)).id == "binh-thuan"  # the default does not cover 2016


def test_an_unknown_default_region_is_refused(tmp_path):
    folder = tmp_path / "regions"
    folder.mkdir()
    for f in (PACKAGED_DATA / "regions").iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    packs = folder / "packs.yaml"
    text = packs.read_text(encoding="utf-8")
    assert "default: lam-dong-binh-thuan" in text
    packs.write_text(
        text.replace("default: lam-dong-binh-thuan", "default: lam-dong-binh-thuan-2025"), encoding="utf-8"
    )
    with pytest.raises(DataError) as exc:
        read_region_packs(folder)
    assert "packs.yaml" in str(exc.value) and "default: unknown region 'lam-dong-binh-thuan-2025'" in str(exc.value)
