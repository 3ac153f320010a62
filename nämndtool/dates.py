"""Dates as they enter the program: one parser, one sane range, Swedish messages.

Every date a user or a file gives passes :func:`parse_date` (or :func:`date_problem`) before anything is stored,
so a date such as 9999-12-31 or 1899-12-31 never reaches a lock, a deadline computation or an archive.
"""

import datetime as dt

EARLIEST = dt.date(1971, 1, 1)
"""Before the kommunallag of the unified kommuner; no nämnd document in the register is older."""
LATEST_YEARS_AHEAD = 10
"""A planned date (a meeting, a deadline) may lie this many years ahead; anything later is a typing error."""


def latest(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return today.replace(year=today.year + LATEST_YEARS_AHEAD, month=12, day=31)


def date_problem(value: dt.date, what: str = "datumet", today: dt.date | None = None) -> str | None:
    """A Swedish sentence when ``value`` is outside the sane range, else None."""
    if value < EARLIEST:
        return f"{what.capitalize()} {value} är orimligt tidigt (tidigast {EARLIEST}). Kontrollera årtalet."
    if value > latest(today):
        return f"{what.capitalize()} {value} ligger orimligt långt fram (senast {latest(today)}). Kontrollera årtalet."
    return None


def parse_date(text: str, what: str = "datumet", today: dt.date | None = None) -> dt.date:
    """``ÅÅÅÅ-MM-DD`` as a date in the sane range, or a NamndtoolError that says what to write."""
    from nämndtool.errors import NamndtoolError

    try:
        value = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise NamndtoolError(f'"{text}" är inget datum. Skriv {what} som ÅÅÅÅ-MM-DD, till exempel 2024-03-14.') from None
    problem = date_problem(value, what, today)
    if problem:
        raise NamndtoolError(problem)
    return value
