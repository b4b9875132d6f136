from datetime import date

from sim.workshop.coverage import commune_options, coverage, normalise


def test_coverage_by_district_before_the_merger(library):
    pack = library.region("binh-thuan")
    rows, unmatched = coverage(
        ["xã Phan Sơn", "Xã phan sơn", "thị trấn Chợ Lầu", "phường Mũi Né", "Hà Nội"], pack, date(2024, 1, 1)
    )
    bac_binh = next(r for r in rows if r.district == "Bắc Bình")
    assert (bac_binh.communes, bac_binh.trained_communes, bac_binh.officers) == (18, 2, 3)
    assert unmatched == ["Hà Nội"]
    assert sum(r.communes for r in rows) == 124


def test_coverage_after_the_merger_uses_former_districts(library):
    pack = library.region("lam-dong-binh-thuan")
    rows, _ = coverage(["xã Bắc Bình"], pack, date(2026, 11, 28))
    assert any(r.district == "Bắc Bình" and r.trained_communes == 1 for r in rows)
    assert "xã Bắc Bình" in commune_options(pack, date(2026, 11, 28))
    assert len(commune_options(library.region("binh-thuan"), date(2026, 11, 28))) == 121  # the pack's last day


def test_names_are_compared_without_unit_type_or_case():
    assert normalise("  Xã  Phan Sơn ") == normalise("phan sơn") == "phan sơn"
    assert normalise("Đặc khu Phú Quý") == "phú quý"
