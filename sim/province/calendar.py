"""Working days in Việt Nam: weekends, public holidays and Tết, read from ``sim/data/holidays.yaml``.

Deadlines the law counts in working days skip them, and so does the model's clock: an agency works only on
working days, so a task of 5 working days started the Friday before Tết ends after Tết.

>>> from datetime import date
>>> cal = packaged_calendar()
>>> cal.is_working_day(date(2026, 2, 17)), cal.is_working_day(date(2026, 2, 23))  # Tết 2026 falls on 17 Feb
(False, True)
>>> cal.add_working_days(date(2026, 2, 13), 1)  # the Friday before the Tết week: next working day after it
datetime.date(2026, 2, 23)
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field

from sim.errors import SimError
from sim.law.primitives import Strict
from sim.locations import PACKAGED_DATA
from sim.parsing import load

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class FixedHoliday(Strict):
    """A holiday on the same day of every year (from ``from_year`` on, when given)."""

    name: str
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    from_year: int | None = None
    source: str


class TetSpan(Strict):
    """The days off around the lunar New Year: ``days_before`` it and the day itself plus ``days_after - 1`` more."""

    days_before: int = Field(ge=0, le=5)
    days_after: int = Field(ge=1, le=9)
    status: Literal["assumption"]
    note: str = ""


class LunarDates(Strict):
    """One year's lunar holidays as Gregorian dates: Tết (1/1 lunar) and Giỗ Tổ Hùng Vương (10/3 lunar)."""

    tet: date
    hung_kings: date


class HolidaysFile(Strict):
    """The ``holidays.yaml`` document."""

    schema_version: Literal[1]
    source: str
    weekend: list[Weekday]
    fixed: list[FixedHoliday]
    tet: TetSpan
    lunar: dict[int, LunarDates]


def read_holidays(path: str | Path = PACKAGED_DATA / "holidays.yaml") -> HolidaysFile:
    """Read and validate a holidays file (every problem located, as for every data file).

    >>> sorted(read_holidays().lunar)[0]
    2012
    """
    return load(HolidaysFile, path)


def packaged_calendar() -> WorkCalendar:
    """The calendar of the shipped ``holidays.yaml`` (read each call: callers keep the one they use).

    >>> packaged_calendar().first.isoformat()
    '2012-01-01'
    """
    return WorkCalendar(read_holidays())


class WorkCalendar:
    """Working days over the years the holiday data covers, and a continuous working clock for the model.

    The model's time is in days from an ``origin`` date at midnight (a float). The working clock counts the
    working time elapsed: a working day adds 1 over its 24 hours, any other day adds nothing.

    Examples
    --------
    >>> from datetime import date
    >>> cal = packaged_calendar()
    >>> cal.holidays(2026)[date(2026, 4, 27)]  # Giỗ Tổ on Sunday 26 Apr: the day in lieu
    'Giỗ Tổ Hùng Vương (nghỉ bù)'
    """

    def __init__(self, data: HolidaysFile) -> None:
        self.data = data
        years = sorted(data.lunar)
        self.first, self.last = date(years[0], 1, 1), date(years[-1], 12, 31)
        weekend = {WEEKDAYS.index(d) for d in data.weekend}
        off: dict[date, str] = {}
        for year in years:
            off |= self._holidays_of(year, weekend)
        self._off = off
        self._weekend = weekend
        days = (self.last - self.first).days + 1
        working = [self._working(self.first + timedelta(days=i)) for i in range(days)]
        cum = [0]
        for w in working:
            cum.append(cum[-1] + w)
        self._working_list, self._cum = working, cum

    def _holidays_of(self, year: int, weekend: set[int]) -> dict[date, str]:
        lunar = self.data.lunar[year]
        span = self.data.tet
        named: list[tuple[date, str]] = [
            (date(year, h.month, h.day), h.name) for h in self.data.fixed if h.from_year is None or year >= h.from_year
        ]
        named += [(lunar.tet + timedelta(days=i), "Tết Nguyên đán") for i in range(-span.days_before, span.days_after)]
        named.append((lunar.hung_kings, "Giỗ Tổ Hùng Vương"))
        off = dict(named)
        for day, name in sorted(named):  # a holiday on the weekly rest day: the next working day is off instead
            if day.weekday() in weekend:
                lieu = day + timedelta(days=1)
                while lieu.weekday() in weekend or lieu in off:
                    lieu += timedelta(days=1)
                off[lieu] = f"{name} (nghỉ bù)"
        return off

    def _working(self, day: date) -> bool:
        return day.weekday() not in self._weekend and day not in self._off

    def _index(self, day: date) -> int:
        if not self.first <= day <= self.last:
            raise SimError(
                f"no holiday data for {day.year} (the calendar covers {self.first.year}–{self.last.year}; "
                "add the year's Tết and Giỗ Tổ dates to sim/data/holidays.yaml)"
            )
        return (day - self.first).days

    def holidays(self, year: int) -> dict[date, str]:
        """The days off of ``year`` that are not weekends, by date (days in lieu included).

        >>> from datetime import date
        >>> sorted(packaged_calendar().holidays(2026))[:2]
        [datetime.date(2026, 1, 1), datetime.date(2026, 2, 16)]
        """
        return {d: n for d, n in sorted(self._off.items()) if d.year == year}

    def is_working_day(self, day: date) -> bool:
        """Whether public bodies work on ``day``.

        >>> from datetime import date
        >>> packaged_calendar().is_working_day(date(2026, 9, 2))
        False
        """
        return self._working_list[self._index(day)]

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted): where a deadline of n working days ends.

        >>> from datetime import date
        >>> packaged_calendar().add_working_days(date(2026, 4, 29), 1)  # 30/4 and 1/5 off, then the weekend
        datetime.date(2026, 5, 4)
        """
        if n <= 0:
            return day
        target = self._cum[self._index(day) + 1] + n
        i = bisect_left(self._cum, target)  # cum[i] = working days before day i: day i - 1 is the n-th
        if i >= len(self._cum):
            self._index(self.last + timedelta(days=1))
        return self.first + timedelta(days=i - 1)

    # the model's continuous clock ----------------------------------------------------------------------------
    def clock(self, origin: date) -> WorkingClock:
        """A working clock whose time 0 is ``origin`` at midnight.

        >>> from datetime import date
        >>> clock = packaged_calendar().clock(date(2026, 2, 13))  # a Friday, then the weekend and Tết
        >>> clock.after_working(0.5, 1.0)  # half of Friday left, then half of the first working day after Tết
        10.5
        """
        return WorkingClock(self, self._index(origin))


class WorkingClock:
    """Working time on a calendar, as seen from an origin day: ``working(t)`` and its inverse ``after_working``."""

    def __init__(self, calendar: WorkCalendar, offset: int) -> None:
        self.calendar, self.offset = calendar, offset

    def working(self, t: float) -> float:
        """Working days elapsed from the origin to time ``t`` (days from the origin's midnight).

        >>> from datetime import date
        >>> packaged_calendar().clock(date(2026, 2, 13)).working(3.0)  # Friday counted, Saturday and Sunday not
        1.0
        """
        cal = self.calendar
        day = int(t)
        i = self.offset + day
        if i + 1 >= len(cal._cum):
            cal._index(cal.last + timedelta(days=1))
        base = cal._cum[i] - cal._cum[self.offset]
        return base + (t - day if cal._working_list[i] else 0.0)

    def after_working(self, t: float, n: float) -> float:
        """The earliest time at which ``n`` working days have passed since time ``t``.

        >>> from datetime import date
        >>> packaged_calendar().clock(date(2026, 3, 2)).after_working(0.0, 5.0)  # Monday to Friday's end
        5.0
        """
        if n <= 0:
            return t
        cal = self.calendar
        target = self.working(t) + n + cal._cum[self.offset]
        i = bisect_left(cal._cum, target)
        if i >= len(cal._cum):
            cal._index(cal.last + timedelta(days=1))
        # day i - 1 (absolute) holds the moment: cum[i - 1] < target <= cum[i]
        return (i - 1 - self.offset) + (target - cal._cum[i - 1])
