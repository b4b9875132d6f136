from __future__ import annotations

from collections import Counter

from faker import Faker

from sim.cases.names import VietnameseNameProvider, name_data
from sim.locations import PACKAGED_DATA
from sim.parsing import read_document


def faker(seed: int, data) -> Faker:
    fake = Faker("vi_VN")
    fake.add_provider(VietnameseNameProvider(fake, data))
    fake.seed_instance(seed)
    return fake


def test_the_library_holds_the_pools_of_the_sourced_file(library):
    assert name_data(read_document(PACKAGED_DATA / "names" / "vietnamese-names.yaml").data) == library.names


def test_vietnamese_order_and_sex_appropriate_names(library):
    data = library.names
    fake = faker(1, data)
    for _ in range(300):
        name = fake.vietnamese_name("female")
        assert name.full.split()[0] == name.family and name.given in data.given["female"].values
        assert name.middle.split()[0] in data.middle["female"]
    assert all(fake.vietnamese_name("male").given in data.given["male"].values for _ in range(300))


def test_surname_shares_are_realistic(library):
    fake = faker(2, library.names)
    counts = Counter(fake.vietnamese_name("male").family for _ in range(20_000))
    assert 0.38 < counts["Nguyễn"] / 20_000 < 0.46  # 38.4% of the 14 names covering ~90%
    assert counts["Nguyễn"] > counts["Trần"] > counts["Phạm"]


def test_mobile_numbers_are_ten_digits_with_real_prefixes(library):
    fake, prefixes = faker(3, library.names), set(library.names.prefixes)
    for _ in range(500):
        number = fake.vietnamese_mobile()
        assert len(number) == 10 and number.isdigit() and number[:3] in prefixes


def test_cham_names_use_cham_family_names(library):
    fake = faker(4, library.names)
    for _ in range(50):
        name = fake.cham_name("female")
        assert name.family in library.names.cham_family and name.middle == "Thị"


def test_same_seed_same_names(library):
    first, second = faker(9, library.names), faker(9, library.names)
    assert [first.vietnamese_name("female").full for _ in range(5)] == [
        second.vietnamese_name("female").full for _ in range(5)
    ]


def test_thi_and_van_come_right_after_the_family_name(library):
    """Style reference §3.4: "Lê Thị Thanh Linh", never "Lê Thanh Thị Linh" (the trial's finding)."""
    data = library.names
    assert data.traditional == {"female": ("Thị",), "male": ("Văn",)}
    for sex, traditional in (("female", "Thị"), ("male", "Văn")):
        fake = faker(5, data)
        names = [fake.vietnamese_name(sex) for _ in range(2_000)]
        assert all(traditional not in n.middle.split()[1:] for n in names)
        assert any(n.middle.startswith(traditional + " ") for n in names)  # two middle names still occur
