"""Swedish public holidays for any year, and the law's rule for a deadline that ends on a day off.

Allmänna helgdagar (lag 1989:253): nyårsdagen, trettondedag jul, långfredagen, påskdagen, annandag påsk, Kristi
himmelsfärdsdag, pingstdagen, nationaldagen, midsommardagen, alla helgons dag, juldagen, annandag jul, and every
Sunday (before 2005 annandag pingst instead of nationaldagen). Lag (1930:173) om beräkning av lagstadgad tid: when the last day of a period falls on a Saturday, a Sunday
or another allmän helgdag, or on midsommarafton, julafton or nyårsafton, the period ends on the next weekday instead.

Easter by the Gregorian computus (the anonymous "Meeus/Jones/Butcher" algorithm), valid for every Gregorian year.
"""

import datetime as dt
from functools import lru_cache

ONE_DAY = dt.timedelta(days=1)
NATIONAL_DAY_FROM = 2005
"""Nationaldagen has been an allmän helgdag since 2005 (SFS 2004:1089), in place of annandag pingst."""


def easter_sunday(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _saturday_between(year: int, month: int, first: int, last_month: int, last: int) -> dt.date:
    day = dt.date(year, month, first)
    while day.weekday() != 5:
        day += ONE_DAY
    assert day <= dt.date(year, last_month, last)
    return day


@lru_cache(maxsize=256)
def public_holidays(year: int) -> dict[dt.date, str]:
    """The allmänna helgdagar of ``year`` other than the Sundays, by date, with their Swedish names."""
    easter = easter_sunday(year)
    return {
        dt.date(year, 1, 1): "nyårsdagen",
        dt.date(year, 1, 6): "trettondedag jul",
        easter - 2 * ONE_DAY: "långfredagen",
        easter: "påskdagen",
        easter + ONE_DAY: "annandag påsk",
        easter + 39 * ONE_DAY: "Kristi himmelsfärdsdag",
        **({dt.date(year, 6, 6): "Sveriges nationaldag"} if year >= NATIONAL_DAY_FROM
           else {easter + 50 * ONE_DAY: "annandag pingst"}),
        easter + 49 * ONE_DAY: "pingstdagen",   # after the national day: in a year they coincide, it is pingstdagen
        _saturday_between(year, 6, 20, 6, 26): "midsommardagen",
        _saturday_between(year, 10, 31, 11, 6): "alla helgons dag",
        dt.date(year, 12, 25): "juldagen",
        dt.date(year, 12, 26): "annandag jul",
    }


def eves(year: int) -> dict[dt.date, str]:
    """The eves lag 1930:173 treats as days off: midsommarafton, julafton, nyårsafton."""
    midsommar = _saturday_between(year, 6, 20, 6, 26)
    return {midsommar - ONE_DAY: "midsommarafton", dt.date(year, 12, 24): "julafton",
            dt.date(year, 12, 31): "nyårsafton"}


def day_off(day: dt.date) -> str | None:
    """Why a deadline cannot end on ``day`` (its Swedish name: "lördag", "söndag", a holiday, an eve), or None."""
    if day.weekday() == 5:
        return public_holidays(day.year).get(day) or "lördag"   # midsommardagen and alla helgons dag are Saturdays
    if day.weekday() == 6:
        return public_holidays(day.year).get(day) or "söndag"
    return public_holidays(day.year).get(day) or eves(day.year).get(day)


def last_day(day: dt.date) -> dt.date:
    """The last day of a period that would end on ``day``: ``day`` itself, or the next weekday that is no day off
    (lag 1930:173 2 §). The calendar's last day stands as it is: an absurd date stored by an older version shows an
    absurd deadline instead of crashing."""
    while day_off(day) and day < dt.date.max:
        day += ONE_DAY
    return day
