from __future__ import annotations

from collections import Counter

from faker import Faker

from sim.cases.names import VietnameseNameProvider, load_name_data


def faker(seed: int) -> Faker:
    fake = Faker("vi_VN")
    fake.add_provider(VietnameseNameProvider)
    fake.seed_instance(seed)
    return fake


def test_vietnamese_order_and_sex_appropriate_names():
    fake, data = faker(1), load_name_data()
    for _ in range(300):
        name = fake.vietnamese_name("female")
        assert name.full.split()[0] == name.family and name.given in data.given["female"].values
        assert name.middle.split()[0] in data.middle["female"]
    assert all(fake.vietnamese_name("male").given in data.given["male"].values for _ in range(300))


def test_surname_shares_are_realistic():
    fake = faker(2)
    counts = Counter(fake.vietnamese_name("male").family for _ in range(20_000))
    assert 0.38 < counts["Nguyễn"] / 20_000 < 0.46  # 38.4% of the 14 names covering ~90%
    assert counts["Nguyễn"] > counts["Trần"] > counts["Phạm"]


def test_mobile_numbers_are_ten_digits_with_real_prefixes():
    fake, prefixes = faker(3), set(load_name_data().prefixes)
    for _ in range(500):
        number = fake.vietnamese_mobile()
        assert len(number) == 10 and number.isdigit() and number[:3] in prefixes


def test_same_seed_same_names():
    first, second = faker(9), faker(9)
    assert [first.vietnamese_name("female").full for _ in range(5)] == [second.vietnamese_name("female").full for _ in range(5)]
