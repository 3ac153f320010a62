"""Swedish public holidays and the law's deadline rule (lag 1989:253, lag 1930:173), against a table written from
the rules and across two centuries."""

import datetime as dt

import pytest

from nämndtool.helgdagar import day_off, easter_sunday, eves, last_day, public_holidays

D = dt.date


@pytest.mark.parametrize("year, easter", [
    (1818, D(1818, 3, 22)), (1943, D(1943, 4, 25)), (1970, D(1970, 3, 29)), (1985, D(1985, 4, 7)),
    (2000, D(2000, 4, 23)), (2008, D(2008, 3, 23)), (2011, D(2011, 4, 24)), (2019, D(2019, 4, 21)),
    (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2038, D(2038, 4, 25)),
    (2049, D(2049, 4, 18)), (2050, D(2050, 4, 10)), (2285, D(2285, 3, 22)),
])
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_holidays_of_2026_by_name():
    found = {name: day for day, name in public_holidays(2026).items()}
    assert found == {
        "nyårsdagen": D(2026, 1, 1), "trettondedag jul": D(2026, 1, 6), "långfredagen": D(2026, 4, 3),
        "påskdagen": D(2026, 4, 5), "annandag påsk": D(2026, 4, 6), "Kristi himmelsfärdsdag": D(2026, 5, 14),
        "pingstdagen": D(2026, 5, 24), "Sveriges nationaldag": D(2026, 6, 6), "midsommardagen": D(2026, 6, 20),
        "alla helgons dag": D(2026, 10, 31), "juldagen": D(2026, 12, 25), "annandag jul": D(2026, 12, 26)}
    assert eves(2026) == {D(2026, 6, 19): "midsommarafton", D(2026, 12, 24): "julafton",
                          D(2026, 12, 31): "nyårsafton"}


@pytest.mark.parametrize("ends, moves_to", [
    (D(2026, 12, 16), D(2026, 12, 16)),   # a Wednesday stays
    (D(2026, 12, 19), D(2026, 12, 21)),   # Saturday → Monday
    (D(2026, 12, 24), D(2026, 12, 28)),   # julafton, juldagen, annandag jul (Saturday), Sunday
    (D(2026, 12, 31), D(2027, 1, 4)),     # nyårsafton, nyårsdagen, the weekend
    (D(2026, 4, 3), D(2026, 4, 7)),       # långfredagen to annandag påsk
    (D(2026, 6, 19), D(2026, 6, 22)),     # midsommarafton, midsommardagen, Sunday
    (D(2026, 5, 14), D(2026, 5, 15)),     # Kristi himmelsfärdsdag → Friday
    (D(2026, 6, 6), D(2026, 6, 8)),       # nationaldagen on a Saturday
    (D(2027, 1, 6), D(2027, 1, 7)),       # trettondedag jul on a Wednesday
    (D(2024, 11, 2), D(2024, 11, 4)),     # alla helgons dag (a Saturday)
])
def test_a_deadline_on_a_day_off_moves_to_the_next_weekday(ends, moves_to):
    assert last_day(ends) == moves_to


def test_every_day_of_two_centuries_moves_to_the_first_working_day_on_or_after_it():
    day = D(1900, 1, 1)
    while day < D(2101, 1, 1):
        moved = last_day(day)
        assert moved >= day and day_off(moved) is None and moved.weekday() < 5
        assert all(day_off(day + dt.timedelta(days=n)) for n in range((moved - day).days))
        assert (moved - day).days <= 5    # the longest run: a Saturday 22 December to the 27th
        day += dt.timedelta(days=1)


def test_each_year_has_twelve_distinct_holidays_in_their_places():
    for year in range(1900, 2101):
        holidays = public_holidays(year)
        days = {name: day for day, name in holidays.items()}
        if len(holidays) == 11:   # pingstdagen on 6 June (2049, 2076 …): one day, two reasons
            assert days["pingstdagen"] == D(year, 6, 6) and year >= 2005
        else:
            assert len(holidays) == 12
        assert ("Sveriges nationaldag" in days) == (year >= 2005 and days["pingstdagen"] != D(year, 6, 6))
        assert ("annandag pingst" in days) == (year < 2005)
        assert days["midsommardagen"].weekday() == 5 and D(year, 6, 20) <= days["midsommardagen"] <= D(year, 6, 26)
        assert days["alla helgons dag"].weekday() == 5
        assert D(year, 10, 31) <= days["alla helgons dag"] <= D(year, 11, 6)
        assert days["påskdagen"].weekday() == 6 and D(year, 3, 22) <= days["påskdagen"] <= D(year, 4, 25)
        assert days["Kristi himmelsfärdsdag"].weekday() == 3 and days["pingstdagen"].weekday() == 6
