"""Live updates of the server store (issue 16, point 6): notify.sql's notices and store/server_listen.py's Listener,
against the throwaway PostgreSQL cluster.

A change committed by one connection reaches a listener within a second, and not before its commit; the notices
name topic, table and ids but no content; the listener reconnects after its connection is terminated on the server
and says that notices may have been missed; two store connections editing one ärende meet the optimistic check.
"""

import threading
import time

import psycopg
import pytest

from nämndtool.demo import create_demo
from nämndtool.errors import ConflictError
from nämndtool.operations import diary
from nämndtool.store import Store
from nämndtool.store import server_listen
from nämndtool.store.server_listen import Listener

SECOND = 1.0


@pytest.fixture
def location(pg_dsn, tmp_path, monkeypatch):
    """A server store with the demo in it (this user's local folder for it in tmp_path)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Store.open(pg_dsn) as store:
        create_demo(store)
    return pg_dsn


class Received:
    """What a started Listener handed over, with the time each notice came."""

    def __init__(self):
        self.notices: list[tuple[float, server_listen.Notice]] = []
        self.resyncs = 0
        self.changed = threading.Condition()

    def add(self, notice) -> None:
        with self.changed:
            self.notices.append((time.monotonic(), notice))
            self.changed.notify_all()

    def resync(self) -> None:
        with self.changed:
            self.resyncs += 1
            self.changed.notify_all()

    def first(self, match, timeout: float):
        """(arrival time, notice) of the first notice that ``match``es, waiting at most ``timeout``; None."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = next(((t, n) for t, n in self.notices if match(n)), None)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found
                self.changed.wait(left)


@pytest.fixture
def listening(location):
    received = Received()
    listener = Listener(location, received.add, on_resync=received.resync).start()
    assert listener.listening.wait(5), "the listener did not connect"
    yield listener, received
    listener.stop()


def test_a_registered_arende_is_told_within_a_second_of_its_commit_and_not_before(location, listening):
    _listener, received = listening
    with Store.open(location) as other:
        namnd_id = other.namnder()[0]["id"]
        with other.write():
            arende = diary.register_arende(other, diary.NewArende(namnd_id=namnd_id, rubrik="Ny förskola i Lilla Edet"))
            time.sleep(0.6)   # written, not committed: nobody may hear of it yet
            assert received.first(lambda n: n.table == "arende", 0) is None
        committed = time.monotonic()
    found = received.first(lambda n: n.table == "arende" and n.ids.get("id") == arende["id"], SECOND)
    assert found is not None, "no notice within a second of the commit"
    arrived, notice = found
    assert arrived - committed < SECOND
    assert (notice.topic, notice.op, notice.arende_id()) == ("diary", "insert", arende["id"])
    assert notice.role and notice.pid and not notice.own()


def test_a_replaced_agenda_is_told_as_a_change_of_the_meeting(location, listening):
    _listener, received = listening
    with Store.open(location) as other:
        meeting = next(m for m in other.meetings() if m["status"] != "justerat" and other.agenda(m["id"]))
        items = other.agenda(meeting["id"])
        other.replace_agenda(meeting["id"], [*items[1:], items[0]])
        committed = time.monotonic()
    found = received.first(lambda n: n.table == "dagordningspunkt"
                           and n.ids.get("sammantrade_id") == meeting["id"], SECOND)
    assert found is not None and found[0] - committed < SECOND
    assert found[1].topic == "meetings"


def test_a_saved_tjansteskrivelse_is_told_with_its_arende(location, listening):
    _listener, received = listening
    with Store.open(location) as other:
        arende_id = other.value("SELECT arende_id FROM tjansteskrivelse ORDER BY id LIMIT 1")
        versions = other.editor_versions(arende_id)
        ts = other.tjansteskrivelse(arende_id)
        diary.save_arende(other, arende_id, versions, arende_changes={}, tjansteskrivelse=_payload(
            ts, sammanfattning="Förvaltningen föreslår att nämnden bifaller ansökan."))
        committed = time.monotonic()
    found = received.first(lambda n: n.table == "tjansteskrivelse" and n.arende_id() == arende_id, SECOND)
    assert found is not None and found[0] - committed < SECOND
    assert found[1].topic == "diary"


def test_a_notice_carries_ids_and_never_the_text(location):
    """Every role that may LISTEN sees every notice: a secret ärende's rubrik must not be in it."""
    with psycopg.connect(location, autocommit=True) as spy, Store.open(location) as other:
        spy.execute("LISTEN namndtool")
        namnd_id = other.namnder()[0]["id"]
        diary.register_arende(other, diary.NewArende(
            namnd_id=namnd_id, rubrik="Placering av barnet Kalle Svensson", secret=True, lagrum="26 kap. 1 § OSL",
            offentlig_rubrik="Placering enligt LVU"))
        payloads = [n.payload for n in spy.notifies(timeout=SECOND)]
    assert payloads, "nothing was told"
    assert not [p for p in payloads if "Kalle" in p or "Placering" in p or "LVU" in p]
    notice = server_listen.parse(payloads[0])
    assert set(notice.ids) <= {"id", "arende_id", "sammantrade_id", "tjansteskrivelse_id", "protokoll_id",
                               "paragraf_id", "person_id", "organ_id", "namnd_id", "mottagare_id",
                               "dagordningspunkt_id"}


def test_reading_a_secret_arende_tells_nobody(location, listening):
    """The read log is written on every opening of a secret ärende: it must not make every window reload."""
    _listener, received = listening
    with Store.open(location) as other:
        arende_id = other.value("SELECT id FROM arende WHERE sekretess = 1 ORDER BY id LIMIT 1")
        diary.log_read(other, arende_id, "öppnat i programmet")
        assert other.value("SELECT count(*) FROM lasning") >= 1
        namnd_id = other.namnder()[0]["id"]
        marker = diary.register_arende(other, diary.NewArende(namnd_id=namnd_id, rubrik="Markör"))
    assert received.first(lambda n: n.ids.get("id") == marker["id"], SECOND) is not None   # all delivered by now
    assert not [n for _t, n in received.notices if n.table in ("lasning", "andring")]


def test_changes_through_a_noted_connection_are_own(location, listening):
    _listener, received = listening
    with Store.open(location) as mine, Store.open(location) as theirs:
        server_listen.note_own(mine.conn)
        try:
            namnd_id = mine.namnder()[0]["id"]
            own = diary.register_arende(mine, diary.NewArende(namnd_id=namnd_id, rubrik="Mitt ärende"))
            other = diary.register_arende(theirs, diary.NewArende(namnd_id=namnd_id, rubrik="Deras ärende"))
            _t, own_notice = received.first(lambda n: n.table == "arende" and n.ids.get("id") == own["id"], SECOND)
            _t, their_notice = received.first(lambda n: n.table == "arende" and n.ids.get("id") == other["id"],
                                              SECOND)
            assert own_notice.own() and not their_notice.own()
        finally:
            server_listen.forget_own(mine.conn)
    assert not own_notice.own()   # forgotten with its connection


def test_the_listener_reconnects_after_its_connection_is_terminated(location, listening):
    listener, received = listening
    first_pid = listener.backend_pid
    with psycopg.connect(location, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first_pid,)).fetchone()[0]
    deadline = time.monotonic() + 10
    while not (listener.connections >= 2 and listener.listening.is_set()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 2 and listener.backend_pid not in (None, first_pid)
    assert received.resyncs >= 1   # what was committed while nobody listened is to be read again
    with Store.open(location) as other:
        namnd_id = other.namnder()[0]["id"]
        arende = diary.register_arende(other, diary.NewArende(namnd_id=namnd_id, rubrik="Efter avbrottet"))
    assert received.first(lambda n: n.ids.get("id") == arende["id"] and n.table == "arende", SECOND) is not None


def test_stop_closes_the_listening_connection(location):
    listener = Listener(location, lambda _notice: None).start()
    assert listener.listening.wait(5)
    pid = listener.backend_pid
    listener.stop()
    assert not listener._thread.is_alive()
    with psycopg.connect(location, autocommit=True) as admin:
        deadline = time.monotonic() + 5
        while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the listening connection stayed open"
            time.sleep(0.05)


def test_a_second_connection_s_save_of_the_same_arende_is_a_conflict(location):
    """The ärende editor's optimistic check across two server connections: the later save is refused."""
    with Store.open(location) as first, Store.open(location) as second:
        arende_id = first.value("SELECT arende_id FROM tjansteskrivelse ORDER BY id LIMIT 1")
        seen_first, seen_second = first.editor_versions(arende_id), second.editor_versions(arende_id)
        ts = first.tjansteskrivelse(arende_id)
        diary.save_arende(first, arende_id, seen_first, arende_changes={"rubrik": "Ändrad av den första"},
                          tjansteskrivelse=_payload(ts, sammanfattning="Den första skrev detta."))
        with pytest.raises(ConflictError):
            diary.save_arende(second, arende_id, seen_second, arende_changes={"rubrik": "Ändrad av den andra"},
                              tjansteskrivelse=None)
        with pytest.raises(ConflictError):
            diary.save_arende(second, arende_id, seen_second, arende_changes={},
                              tjansteskrivelse=_payload(ts, sammanfattning="Den andra skrev över."))
        assert second.arende(arende_id)["rubrik"] == "Ändrad av den första"
        assert second.tjansteskrivelse(arende_id)["sammanfattning"] == "Den första skrev detta."


def test_a_payload_that_is_not_a_notice_is_passed_over():
    assert server_listen.parse("hej") is None
    assert server_listen.parse('{"table": "arende"}') is None
    notice = server_listen.parse('{"topic": "diary", "table": "arende", "op": "update", "ids": {"id": 7}, '
                                 '"role": "kansli", "pid": 42}')
    assert (notice.topic, notice.arende_id(), notice.role, notice.pid) == ("diary", 7, "kansli", 42)


def _payload(ts: dict, **header) -> dict:
    """The editor's tjänsteskrivelse payload for ``ts`` as stored, with ``header`` changed."""
    from nämndtool.store.tjansteskrivelser import HEADER_COLUMNS
    return {
        "header": {**{c: ts.get(c) for c in HEADER_COLUMNS}, **header},
        "forslag": list(ts.get("forslag") or []),
        "avsnitt": [{"rubrik": a.get("rubrik"), "text": a.get("text")} for a in ts.get("avsnitt") or []],
        "handlingar": list(ts.get("handlingar") or []),
        "undertecknare": [{"namn": u["namn"], "titel": u.get("titel")} for u in ts.get("undertecknare") or []],
        "mottagare_ids": [m["id"] for m in ts.get("beslutet_skickas_till") or []],
    }
