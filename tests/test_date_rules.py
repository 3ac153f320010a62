"""The date rules live in the core: justering between the meeting and today, anslag not before the justering and
not in the future, closing not before registration, every date in the sane range; a refusal changes nothing; a
wrongly entered justering or anslag date can be corrected with a reason until the anslag period has started."""

import datetime as dt
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import SAMPLE_JSON
from nämndtool.dates import EARLIEST, add_days, closing_problem
from nämndtool.errors import NamndtoolError
from nämndtool.exchange.importer import import_meeting
from nämndtool.justering import (
    anslag_problem, anslag_started, correction_problem, deadline_warnings, deadlines, justering_problem,
)
from nämndtool.store import Store

BOTH_STORES = True
"""Each test that uses the store runs on SQLite and on the PostgreSQL server store (conftest.py)."""

TODAY = dt.date.today()
SLOW = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Dates near each other (where the rules decide) and anywhere in the calendar (where the range decides).
base = st.dates(min_value=dt.date(1965, 1, 1), max_value=dt.date(2060, 12, 31))
todays = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
anywhere = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def near(anchor: dt.date, days: int = 40):
    """A date on or next to ``anchor`` (the boundaries) or within ``days`` of it."""
    return st.one_of(st.integers(-1, 1), st.integers(-days, days)).map(lambda n: add_days(anchor, n))


# --- the rules as functions ------------------------------------------------------------------------------------

@given(st.data(), base, todays)
def test_justering_rule_accepts_exactly_between_the_meeting_and_today(data, meeting, today):
    justering = data.draw(st.one_of(near(meeting), near(today), anywhere))
    allowed = EARLIEST <= justering and meeting <= justering <= today
    assert (justering_problem(meeting, justering, today) is None) == allowed


@given(st.data(), base, todays)
def test_anslag_rule_accepts_exactly_from_the_justering_to_today(data, justerad, today):
    anslag = data.draw(st.one_of(near(justerad), near(today), anywhere))
    allowed = EARLIEST <= anslag and justerad <= anslag <= today
    assert (anslag_problem(justerad, anslag, today) is None) == allowed


@given(st.data(), st.one_of(st.none(), base), todays)
def test_closing_rule_accepts_exactly_from_registration_to_today(data, registered, today):
    closed = data.draw(st.one_of(near(registered or today), near(today), anywhere))
    allowed = EARLIEST <= closed <= today and (registered is None or registered <= closed)
    assert (closing_problem(registered, closed, today) is None) == allowed


@given(anywhere, st.one_of(st.none(), anywhere), st.one_of(st.none(), anywhere), anywhere)
def test_deadlines_never_crash_on_any_stored_date(meeting, justerad, anslag, today):
    d = deadlines(meeting, justerad, anslag)
    assert d.justering_senast >= meeting
    deadline_warnings(meeting, justerad, anslag, today)


def test_a_late_anslag_is_accepted_with_a_warning():
    justerad = dt.date(2023, 3, 1)
    late = dt.date(2023, 3, 6)
    assert anslag_problem(justerad, late, today=dt.date(2023, 3, 10)) is None
    assert deadline_warnings(dt.date(2023, 2, 22), justerad, late, late) == [
        "Anslaget sattes upp 2023-03-06, efter sista dag 2023-03-03."]


def test_messages_say_what_is_wrong_in_swedish():
    assert justering_problem(dt.date(2023, 2, 22), dt.date(9999, 12, 31), dt.date(2024, 1, 1)) == (
        "Justeringsdatumet 9999-12-31 ligger orimligt långt fram (senast 2034-12-31). Kontrollera årtalet.")
    assert "ligger i framtiden (i dag är det 2024-01-01)" in justering_problem(
        dt.date(2023, 2, 22), dt.date(2024, 1, 2), dt.date(2024, 1, 1))
    assert anslag_problem(dt.date(2023, 3, 1), dt.date(2023, 2, 28), dt.date(2024, 1, 1)).startswith(
        "Anslaget (2023-02-28) kan inte sättas upp före justeringen (2023-03-01).")
    assert closing_problem(dt.date(2024, 5, 2), dt.date(1899, 12, 31), dt.date(2024, 6, 1)) == (
        "Avslutsdatumet 1899-12-31 är orimligt tidigt (tidigast 1971-01-01). Kontrollera årtalet.")
    assert closing_problem(dt.date(2024, 5, 2), dt.date(2024, 5, 1), dt.date(2024, 6, 1)).startswith(
        "Ärendet registrerades 2024-05-02 och kan inte avslutas före det (2024-05-01).")


@given(base, st.data(), todays)
def test_a_correction_is_allowed_exactly_until_the_anslag_period_has_started(justerad, data, today):
    meeting = add_days(justerad, -data.draw(st.integers(0, 20)))
    anslag = data.draw(st.one_of(st.none(), near(justerad), near(today)))
    new = data.draw(st.one_of(near(justerad), near(today)))
    started = anslag is not None and justerad <= anslag <= today
    assert anslag_started(justerad, anslag, today) == started
    # entered today, a typing error can still be mended; entered before today, the period runs
    assert not anslag_started(justerad, anslag, today, registered=today)
    assert anslag_started(justerad, anslag, today, registered=add_days(today, -1)) == started
    problem = correction_problem(meeting, justerad, anslag, new_justerad=new, today=today)
    assert (problem is None) == (not started and justering_problem(meeting, new, today) is None)
    problem = correction_problem(meeting, justerad, anslag, new_anslag=new, today=today)
    assert (problem is None) == (not started and anslag is not None and anslag_problem(justerad, new, today) is None)


# --- the rules in the store: accepted exactly as the rules say, a refusal changes nothing ------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store whose sample meeting is klar för justering, with one stored file to stand for the justerat PDF."""
    from test_protokoll import _complete

    path = tmp_path_factory.mktemp("template") / "register.sqlite"
    with Store.open(path) as store:
        meeting_id = import_meeting(store, SAMPLE_JSON).meeting_id
        store.create_paragraphs(meeting_id)
        _complete(store, meeting_id)
        store.set_klar_for_justering(meeting_id, True)
        pdf = path.with_name("protokoll.pdf")
        pdf.write_bytes(b"%PDF-1.4 stand-in\n")
        stored = store.store_file_bytes(pdf)
        store.register_file(stored)
        namnd_id = store.value("SELECT id FROM namnd")
        arende = store.register_arende(namnd_id, "Yttrande över remiss", today=dt.date(2024, 5, 2))
    return path, meeting_id, stored.sha256, arende


class Copy:
    """A fresh copy of the template store for one example."""

    def __init__(self, template, tmp_path, n: int):
        source, self.meeting_id, self.sha, self.arende = template
        self.path = tmp_path / f"copy{n}.sqlite"
        shutil.copyfile(source, self.path)
        self.store = Store.open(self.path)

    def set_meeting_date(self, datum: dt.date) -> None:
        self.store.conn.execute("UPDATE sammantrade SET datum = ? WHERE id = ?", (datum.isoformat(), self.meeting_id))

    def justerad(self) -> str | None:
        return self.store.value("SELECT justerad FROM protokoll WHERE sammantrade_id = ?", (self.meeting_id,))


def as_an_older_version(store: Store, sql: str, params=()) -> None:
    """Write what a version before the date rules let through: the order trigger is set aside for one statement."""
    trigger = store.value("SELECT sql FROM sqlite_master WHERE name = 'protokoll_datum_ordning'")
    store.conn.execute("DROP TRIGGER protokoll_datum_ordning")
    store.conn.execute(sql, params)
    store.conn.execute(trigger)


def dump(store: Store) -> list[str]:
    """Every row of every table, including the audit trail."""
    return list(store.conn.iterdump())


def refused_without_change(store: Store, action) -> str:
    before = dump(store)
    with pytest.raises(NamndtoolError) as refusal:
        action()
    assert dump(store) == before
    return str(refusal.value)


_counter = iter(range(10**9))


@SLOW
@given(st.data(), base, todays)
def test_the_store_records_exactly_the_justering_and_anslag_the_rules_allow(template, tmp_path, data, meeting,
                                                                          today):
    justering = data.draw(st.one_of(near(meeting), near(today), anywhere), label="justering")
    anslag = data.draw(st.one_of(near(justering), near(today), anywhere), label="anslag")
    copy = Copy(template, tmp_path, next(_counter))
    try:
        copy.set_meeting_date(meeting)
        record = lambda: copy.store.record_justering(copy.meeting_id, justering.isoformat(), copy.sha, today)  # noqa: E731
        if EARLIEST <= justering and meeting <= justering <= today:
            record()
            assert copy.justerad() == justering.isoformat()
        else:
            refused_without_change(copy.store, record)
            assert copy.justerad() is None          # not locked
            return
        put_up = lambda: copy.store.record_anslag(copy.meeting_id, anslag.isoformat(), today=today)  # noqa: E731
        if EARLIEST <= anslag and justering <= anslag <= today:
            put_up()
            assert copy.store.protokoll(copy.meeting_id)["anslag_datum"] == anslag.isoformat()
            refused_without_change(copy.store, put_up)   # recorded once; a wrong date is corrected, not re-entered
        else:
            refused_without_change(copy.store, put_up)
            assert copy.store.protokoll(copy.meeting_id)["anslag_datum"] is None
    finally:
        copy.store.close()


@SLOW
@given(st.data(), todays)
def test_the_store_closes_an_arende_exactly_as_the_rule_allows(template, tmp_path, data, today):
    copy = Copy(template, tmp_path, next(_counter))
    registered = dt.date.fromisoformat(copy.arende["registrerad"])
    closed = data.draw(st.one_of(near(registered), near(today), anywhere), label="closed")
    try:
        close = lambda: copy.store.close_arende(copy.arende["id"], by="Madelene", on=closed.isoformat(), today=today)  # noqa: E731
        if EARLIEST <= closed <= today and registered <= closed:
            close()
            assert copy.store.value("SELECT avslutad FROM arende WHERE id = ?", (copy.arende["id"],)) == closed.isoformat()
        else:
            refused_without_change(copy.store, close)
    finally:
        copy.store.close()


@SLOW
@given(st.data())
def test_a_correction_obeys_the_rules_and_a_refused_one_changes_nothing(template, tmp_path, data):
    copy = Copy(template, tmp_path, next(_counter))
    meeting = dt.date(2023, 2, 22)
    today = data.draw(st.dates(min_value=dt.date(2023, 3, 1), max_value=dt.date(2023, 5, 1)), label="today")
    anslag = data.draw(st.one_of(st.none(), near(dt.date(2023, 3, 1), 10)), label="anslag")
    new = data.draw(st.one_of(near(dt.date(2023, 3, 1)), anywhere), label="new")
    column = data.draw(st.sampled_from(["justerad", "anslag_datum"]), label="column")
    try:
        copy.store.record_justering(copy.meeting_id, "2023-03-01", copy.sha, today)
        if anslag is not None:
            # an anslag as an older version could store it (even before the justering), past today's rule
            as_an_older_version(copy.store, "UPDATE protokoll SET anslag_datum = ? WHERE sammantrade_id = ?",
                                (anslag.isoformat(), copy.meeting_id))
        old = dt.date(2023, 3, 1) if column == "justerad" else anslag
        correct = lambda: copy.store.correct_protokoll_date(  # noqa: E731
            copy.meeting_id, column, new, reason="Fel datum skrevs in", by="Madelene", today=today)
        problem = correction_problem(meeting, dt.date(2023, 3, 1), anslag, today=today,
                                     **({"new_justerad": new} if column == "justerad" else {"new_anslag": new}))
        if problem is None and new != old:
            assert correct() == old.isoformat()
            assert copy.store.protokoll(copy.meeting_id)[column] == new.isoformat()
            assert copy.store.value("SELECT skal FROM datumrattelse ORDER BY id DESC") == "Fel datum skrevs in"
        else:
            refused_without_change(copy.store, correct)
    finally:
        copy.store.close()


# --- corrections ----------------------------------------------------------------------------------------------

def _justerat(template, tmp_path):
    copy = Copy(template, tmp_path, next(_counter))
    copy.store.record_justering(copy.meeting_id, "2023-03-01", copy.sha)
    return copy


def test_a_correction_is_recorded_in_the_audit_trail_and_lets_only_itself_through_the_lock(template, tmp_path):
    copy = _justerat(template, tmp_path)
    store, meeting_id = copy.store, copy.meeting_id
    assert store.correct_protokoll_date(meeting_id, "justerad", dt.date(2023, 3, 3), reason="Skrevs in fel dag",
                                        by="Madelene") == "2023-03-01"
    protokoll = store.protokoll(meeting_id)
    assert protokoll["justerad"] == "2023-03-03"
    assert protokoll["justering_datum"] == "2023-03-03"   # the header said the same date, so it follows
    logged = store.rows("SELECT tabell, efter FROM andring WHERE sammantrade_id = ? ORDER BY id DESC LIMIT 2",
                        (meeting_id,))
    assert {row["tabell"] for row in logged} == {"datumrattelse", "protokoll"}
    assert any(c["fält"].get("skal") == (None, "Skrevs in fel dag") for c in store.history(meeting_id=meeting_id))
    # the lock still holds for every other change, and a used correction cannot be used again
    for sql in ("UPDATE protokoll SET justerad = '2023-03-01'", "UPDATE protokoll SET sekreterare = 'X'",
                "DELETE FROM datumrattelse", "UPDATE datumrattelse SET skal = 'annat skäl'"):
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(sql)
    store.record_anslag(meeting_id, "2023-03-04", today=dt.date(2023, 3, 4))
    with pytest.raises(sqlite3.IntegrityError, match="justerat"):
        store.conn.execute("UPDATE protokoll SET anslag_datum = '2023-03-05'")
    with pytest.raises(sqlite3.IntegrityError, match="registrerades"):
        store.conn.execute("UPDATE protokoll SET anslag_datum_registrerat = date('now')")
    # on the day the anslag was entered, a typing error is still mended
    assert store.correct_protokoll_date(meeting_id, "anslag_datum", dt.date(2023, 3, 3), reason="Skrevs in fel dag",
                                        by="Madelene", today=dt.date(2023, 3, 4)) == "2023-03-04"
    store.correct_protokoll_date(meeting_id, "anslag_datum", dt.date(2023, 3, 4), reason="Ändå rätt dag",
                                 by="Madelene", today=dt.date(2023, 3, 4))
    # from the next day the anslag is up and neither date is corrected any more
    for column, datum in (("justerad", dt.date(2023, 3, 2)), ("anslag_datum", dt.date(2023, 3, 5))):
        message = refused_without_change(store, lambda: store.correct_protokoll_date(
            meeting_id, column, datum, reason="Fel datum skrevs in", by="Madelene"))
        assert "Anslaget sattes upp 2023-03-04 och överklagandetiden löper från det" in message
    copy.store.close()


def test_a_correction_needs_a_reason_and_a_justerat_protokoll(template, tmp_path):
    copy = Copy(template, tmp_path, next(_counter))
    store, meeting_id = copy.store, copy.meeting_id
    message = refused_without_change(store, lambda: store.correct_protokoll_date(
        meeting_id, "justerad", dt.date(2023, 3, 2), reason="Fel datum", by="Madelene"))
    assert "Protokollet är inte justerat" in message
    store.record_justering(meeting_id, "2023-03-01", copy.sha)
    for reason in ("", "  fel ", None):
        message = refused_without_change(store, lambda: store.correct_protokoll_date(
            meeting_id, "justerad", dt.date(2023, 3, 2), reason=reason, by="Madelene"))
        assert message.startswith("Ange skälet till rättelsen")
    message = refused_without_change(store, lambda: store.correct_protokoll_date(
        meeting_id, "anslag_datum", dt.date(2023, 3, 2), reason="Fel datum skrevs in", by="Madelene"))
    assert "Inget anslag är registrerat" in message
    copy.store.close()


def test_a_justering_stored_by_the_old_defect_can_be_mended(template, tmp_path):
    """9999-12-31 was locked in by an older version, with an anslag before it: both dates can be corrected."""
    copy = Copy(template, tmp_path, next(_counter))
    store, meeting_id = copy.store, copy.meeting_id
    as_an_older_version(store, "UPDATE protokoll SET justerad = '9999-12-31', justerad_pdf_sha256 = ?, anslag_datum = "
                               "'2023-03-02' WHERE sammantrade_id = ?", (copy.sha, meeting_id))
    assert deadlines(dt.date(2023, 2, 22), dt.date(9999, 12, 31), dt.date(2023, 3, 2)).anslag_senast == dt.date.max
    store.correct_protokoll_date(meeting_id, "justerad", dt.date(2023, 3, 1), reason="Årtalet skrevs fel",
                                 by="Madelene")
    assert store.protokoll(meeting_id)["justerad"] == "2023-03-01"
    copy.store.close()


def test_omedelbara_anslag_follows_the_meeting_and_is_locked_once_recorded(template, tmp_path):
    copy = Copy(template, tmp_path, next(_counter))
    store, meeting_id = copy.store, copy.meeting_id
    message = refused_without_change(store, lambda: store.record_anslag(meeting_id, "2023-02-23", omedelbara=True))
    assert "Ingen paragraf är omedelbart justerad" in message
    p11 = store.paragraf_by_number(meeting_id, 11)
    store.save_paragraf(p11["id"], {"omedelbart_justerad": 1})
    message = refused_without_change(store, lambda: store.record_anslag(meeting_id, "2023-02-21", omedelbara=True))
    assert "före justeringen (2023-02-22)" in message
    store.record_anslag(meeting_id, "2023-02-24", omedelbara=True)
    message = refused_without_change(store, lambda: store.record_anslag(meeting_id, "2023-02-23", omedelbara=True))
    assert "redan registrerat (2023-02-24)" in message and "--omedelbara" in message
    with pytest.raises(sqlite3.IntegrityError, match="rättas med ett skäl"):
        store.conn.execute("UPDATE protokoll SET omedelbar_anslag = '2023-02-23'")
    copy.store.close()


def test_case_close_refuses_a_date_before_registration_or_in_the_future(tmp_path):
    """Reproduced: `case close --date 1899-12-31` on an ärende registered this year was accepted."""
    from support import run_cli
    from test_protokoll_cli import _refused

    db = tmp_path / "r.sqlite"
    assert run_cli("init", "--namn", "Socialnämnden", "--kod", "SOCN", db=db).returncode == 0
    assert run_cli("case", "new", "--title", "Yttrande över remiss", db=db).returncode == 0
    number = f"SOCN/{TODAY.year}:1"
    assert "orimligt tidigt" in _refused(db, "case", "close", number, "--date", "1899-12-31")
    yesterday, tomorrow = add_days(TODAY, -1), add_days(TODAY, 1)
    assert f"registrerades {TODAY}" in _refused(db, "case", "close", number, "--date", yesterday.isoformat())
    assert "ligger i framtiden" in _refused(db, "case", "close", number, "--date", tomorrow.isoformat())
    result = run_cli("case", "close", number, "--date", TODAY.isoformat(), db=db)
    assert result.returncode == 0 and f"avslutat {TODAY}" in result.stdout
