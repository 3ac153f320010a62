"""Dates as they enter the program: one parser, one sane range, Swedish messages.

Every date a user or a file gives passes :func:`parse_date` (or :func:`date_problem`) before anything is stored,
so a date such as 9999-12-31 or 1899-12-31 never reaches a lock, a deadline computation or an archive.
"""

import datetime as dt

EARLIEST = dt.date(1971, 1, 1)
"""Before the kommunallag of the unified kommuner; no nämnd document in the register is older."""
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
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


def past_date_problem(value: dt.date, what: str, today: dt.date | None = None) -> str | None:
    """For something that has happened (a justering, an anslag, a closing): in the sane range and not after today."""
    today = today or dt.date.today()
    problem = date_problem(value, what, today)
    if problem is None and value > today:
        problem = f"{what.capitalize()} {value} ligger i framtiden (i dag är det {today}). Ange dagens datum eller ett tidigare."
    return problem


def closing_problem(registered: dt.date | None, closed: dt.date, today: dt.date | None = None) -> str | None:
    """The rule for closing an ärende: not in the future, not before it was registered, in the sane range."""
    problem = past_date_problem(closed, "avslutsdatumet", today)
    if problem is None and registered is not None and closed < registered:
        problem = (f"Ärendet registrerades {registered} och kan inte avslutas före det ({closed}). "
                   "Ange dagen då ärendet avslutades.")
    return problem


def add_days(value: dt.date, days: int) -> dt.date:
    """``value`` plus ``days``, held at the ends of the calendar, so deadline arithmetic on a date stored before the
    range was enforced shows an absurd deadline instead of crashing."""
    try:
        return value + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def long_date(value: str) -> str:
    """2023-03-02 as "2 mars 2023", as Swedish prose writes a date."""
    day = dt.date.fromisoformat(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
