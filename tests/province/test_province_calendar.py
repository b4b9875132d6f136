"""Working days skip weekends, holidays and Tết; every lunar date in holidays.yaml is recomputed here."""

from __future__ import annotations

import math
from datetime import date

import pytest

from sim.errors import SimError
from sim.province.calendar import packaged_calendar, read_holidays


@pytest.fixture(scope="module")
def cal():
    return packaged_calendar()


def test_working_days_skip_tet(cal):
    # Tết 2026 is Tuesday 17 Feb: the eve (Mon 16) to the 4th day (Fri 20) are off, so the week is lost.
    off = [d for d in range(13, 24) if not cal.is_working_day(date(2026, 2, d))]
    assert off == list(range(14, 23))
    assert cal.add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
    assert cal.add_working_days(date(2026, 2, 9), 5) == date(2026, 2, 23)  # Tue 10 … Fri 13, then Mon 23


def test_a_deadline_in_working_days_is_longer_over_tet(cal):
    ordinary = (cal.add_working_days(date(2026, 3, 2), 5) - date(2026, 3, 2)).days
    over_tet = (cal.add_working_days(date(2026, 2, 12), 5) - date(2026, 2, 12)).days
    assert (ordinary, over_tet) == (7, 14)


def test_the_working_clock_stops_on_days_off(cal):
    clock = cal.clock(date(2026, 2, 13))  # Friday; 14–22 Feb are weekend or Tết
    assert clock.working(1.0) == clock.working(10.0) == 1.0
    assert clock.after_working(0.0, 2.0) == 11.0  # Friday, then Monday 23 Feb to its end


def test_fixed_holidays_and_days_in_lieu(cal):
    days = cal.holidays(2026)
    assert days[date(2026, 4, 30)] == "Ngày Chiến thắng" and days[date(2026, 5, 1)] == "Quốc tế Lao động"
    assert date(2026, 9, 1) in days and date(2026, 9, 2) in days  # two days of National Day from 2021
    assert date(2016, 9, 1) not in cal.holidays(2016)  # one day only under the Labour Code 2012
    assert days[date(2026, 4, 27)] == "Giỗ Tổ Hùng Vương (nghỉ bù)"  # 10/3 lunar is Sunday 26 Apr


def test_a_year_without_data_is_refused_with_the_fix(cal):
    with pytest.raises(SimError, match="add the year's Tết and Giỗ Tổ dates to sim/data/holidays.yaml"):
        cal.is_working_day(date(2040, 1, 2))


# Hồ Ngọc Đức's algorithm for the Vietnamese lunar calendar (time zone UTC+7), to recompute the data.
def _jd(d: date) -> int:
    a = (14 - d.month) // 12
    y, m = d.year + 4800 - a, d.month + 12 * a - 3
    return d.day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def _new_moon_day(k: int, tz: float = 7) -> int:
    t = k / 1236.85
    t2, t3, dr = t * t, t * t * t, math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    deltat = -0.000278 + 0.000265 * t + 0.000262 * t2
    return int(jd1 + c1 - deltat + 0.5 + tz / 24)


def _sun_longitude(day_number: int, tz: float = 7) -> int:
    t = (day_number - 0.5 - tz / 24 - 2451545.0) / 36525
    t2, dr = t * t, math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = (l0 + dl) * dr
    lon -= 2 * math.pi * math.floor(lon / (2 * math.pi))
    return int(lon / math.pi * 6)


def _month_11(year: int) -> int:
    k = int((_jd(date(year, 12, 31)) - 2415021) / 29.530588853)
    nm = _new_moon_day(k)
    return _new_moon_day(k - 1) if _sun_longitude(nm) >= 9 else nm


def _leap_offset(a11: int) -> int:
    k = int((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i, arc = 1, _sun_longitude(_new_moon_day(k + 1))
    while True:
        last, i = arc, i + 1
        arc = _sun_longitude(_new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def _from_jd(jd: int) -> date:
    a = jd + 32044
    b = (4 * a + 3) // 146097
    c = a - (b * 146097) // 4
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    return date(b * 100 + d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1)


def lunar_to_solar(day: int, month: int, year: int) -> date:
    a11, b11 = _month_11(year - 1), _month_11(year)  # months before the 11th
    k = int(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = (month - 11) % 12
    if b11 - a11 > 365 and offset >= _leap_offset(a11):
        offset += 1
    return _from_jd(_new_moon_day(k + offset) + day - 1)


def test_the_algorithm_gives_known_dates():
    assert lunar_to_solar(1, 1, 2024) == date(2024, 2, 10)
    assert lunar_to_solar(1, 1, 2025) == date(2025, 1, 29)
    assert lunar_to_solar(1, 1, 2030) == date(2030, 2, 2)  # a day before China's (UTC+8): 3 Feb


@pytest.mark.parametrize("year", sorted(read_holidays().lunar))
def test_every_lunar_date_in_the_data_is_the_lunar_calendars(year):
    dates = read_holidays().lunar[year]
    assert (dates.tet, dates.hung_kings) == (lunar_to_solar(1, 1, year), lunar_to_solar(10, 3, year))
