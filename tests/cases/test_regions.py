from __future__ import annotations

from datetime import date

import pytest

from sim.errors import SimError, UnknownIdError
from sim.cases.regions import load_region, pack_ids


def test_binh_thuan_districts_and_dated_units():
    pack = load_region("binh-thuan")
    districts = {c.district for c in pack.communes}
    assert districts == {"Phan Thiết", "La Gi", "Tuy Phong", "Bắc Bình", "Hàm Thuận Bắc", "Hàm Thuận Nam", "Hàm Tân", "Tánh Linh", "Đức Linh", "Phú Quý"}
    assert len(pack.communes_on(date(2019, 6, 1))) == 127
    assert len(pack.communes_on(date(2020, 1, 1))) == 124
    assert len(pack.communes_on(date(2024, 12, 1))) == 121
    assert "Đức Thắng" not in {c.name for c in pack.communes_on(date(2025, 1, 1))}


def test_lam_dong_has_no_district_level():
    pack = load_region("lam-dong")
    assert len(pack.communes_on(date(2025, 7, 1))) == 124
    assert all(c.district is None for c in pack.communes)
    assert {c.type for c in load_region("lam-dong-binh-thuan").communes} == {"xã", "phường", "đặc khu"}


def test_dates_outside_a_pack_are_refused_with_advice():
    with pytest.raises(SimError, match="pick a date in range or another region"):
        load_region("binh-thuan").communes_on(date(2025, 7, 1))


def test_unknown_pack_suggests():
    with pytest.raises(UnknownIdError, match="did you mean 'binh-thuan'"):
        load_region("binh-thuan-2016")
    assert pack_ids() == ["binh-thuan", "lam-dong", "lam-dong-binh-thuan"]
