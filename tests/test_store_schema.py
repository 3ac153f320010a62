"""The schema makes invalid states impossible, even for code that bypasses the store's methods."""

import sqlite3

import pytest

from nämndtool.errors import StoreError


def _namnd(store) -> int:
    return store.save_namnd("SOCN", "Socialnämnden", forvaltning="Socialförvaltningen")


def test_pragmas(store):
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA foreign_keys") == 1
    from nämndtool.store import schema_version
    assert store.value("PRAGMA user_version") == schema_version() >= 3


def test_new_namnd_gets_its_own_organ(store):
    namnd_id = _namnd(store)
    organs = store.organs(namnd_id)
    assert [(o["namn"], o["typ"]) for o in organs] == [("Socialnämnden", "namnd")]
    utskott = store.ensure_organ(namnd_id, "Socialnämndens individutskott")
    assert store.organ(namnd_id, "Socialnämndens individutskott")["typ"] == "utskott"
    assert store.ensure_organ(namnd_id, "Socialnämndens individutskott") == utskott


@pytest.mark.parametrize("sql", [
    "INSERT INTO namnd (namn, kod) VALUES ('Socialnämnden', 'socn')",
    "INSERT INTO namnd (namn, kod) VALUES ('X', 'S1')",
    "INSERT INTO namnd (namn, kod) VALUES ('', 'BIN')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (1, 2023, 0, 'Noll')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (1, 2023, NULL, 'Halvt nummer')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (1, 2023, 5, '   ')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik, registrerad) VALUES (1, 2023, 5, 'Fel år', '2022-12-31')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik, status) VALUES (1, 2023, 5, 'X', 'klar')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik, sekretess_lagrum) VALUES (1, 2023, 5, 'X', '26 kap. 1 § OSL')",
    "INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (99, 2023, 5, 'Okänd nämnd')",
    "INSERT INTO sammantrade (organ_id, datum) VALUES (1, '2023-02-30')",
    "INSERT INTO sammantrade (organ_id, datum, tid) VALUES (1, '2023-02-22', '25:00')",
    "INSERT INTO person (namn, epost) VALUES ('Anna', 'ingen-adress')",
    "INSERT INTO handling (arende_id, riktning, beskrivning) VALUES (1, 'sidled', 'X')",
    "INSERT INTO fil (sha256, storlek) VALUES ('abc', 1)",
])
def test_invalid_rows_are_refused(store, sql):
    _namnd(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(sql)


def test_the_same_diary_number_cannot_exist_twice(store):
    namnd_id = _namnd(store)
    store.conn.execute("INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (?, 2023, 17, 'A')", (namnd_id,))
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO arende (namnd_id, ar, lopnr, rubrik) VALUES (?, 2023, 17, 'B')", (namnd_id,))


def test_the_diary_series_never_goes_back_and_numbers_are_never_reused(store):
    import datetime as dt
    namnd_id = _namnd(store)
    day = dt.date(2024, 5, 1)
    first = store.register_arende(namnd_id, "Första", today=day)
    second = store.register_arende(namnd_id, "Andra", today=day)
    store.conn.execute("DELETE FROM arende WHERE id = ?", (second["id"],))
    assert store.register_arende(namnd_id, "Tredje", today=day)["diarienummer"] == "SOCN/2024:3"
    with pytest.raises(sqlite3.IntegrityError, match="bakåt"):
        store.conn.execute("UPDATE diarieserie SET senaste = 1 WHERE namnd_id = ?", (namnd_id,))
    assert first["diarienummer"] == "SOCN/2024:1"


def test_secrecy_cannot_be_lost_between_item_and_arende(store):
    import datetime as dt
    namnd_id = _namnd(store)
    organ_id = store.organs(namnd_id)[0]["id"]
    meeting_id = store.save_meeting(organ_id, "2024-05-15", {})
    secret = store.register_arende(namnd_id, "Placering", today=dt.date(2024, 5, 1), sekretess=1,
                                   sekretess_lagrum="26 kap. 1 § OSL")
    # An item takes its ärende's secrecy whatever it says itself: there is no copy to fall out of step.
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": "Placering", "typ": "arende",
                                    "arende_id": secret["id"], "sekretess": 0}])
    assert store.agenda(meeting_id)[0]["sekretess"] == 1
    assert store.agenda(meeting_id)[0]["sekretess_lagrum"] == "26 kap. 1 § OSL"
    public = store.register_arende(namnd_id, "Budget", today=dt.date(2024, 5, 1))
    store.save_agenda(meeting_id, [{"nr": 1, "rubrik": "Budget", "typ": "arende", "arende_id": public["id"],
                                    "sekretess": 0}])
    store.conn.execute("UPDATE arende SET sekretess = 1 WHERE id = ?", (public["id"],))
    assert store.agenda(meeting_id)[0]["sekretess"] == 1


def test_a_meeting_is_one_per_organ_and_date(store):
    namnd_id = _namnd(store)
    organ_id = store.organs(namnd_id)[0]["id"]
    first = store.save_meeting(organ_id, "2024-05-15", {"plats": "Solrosen"})
    assert store.save_meeting(organ_id, "2024-05-15", {"tid": "13:00"}) == first
    assert store.meeting(first)["plats"] == "Solrosen" and store.meeting(first)["tid"] == "13:00"


def test_stored_files_are_content_addressed_and_verified(store, tmp_path):
    source = tmp_path / "bilaga.pdf"
    source.write_bytes(b"%PDF-1.4 not really")
    sha = store.put_file(source)
    assert store.put_file(source) == sha
    stored = store.file_path(sha)
    assert stored.read_bytes() == source.read_bytes() and stored.name == sha
    assert store.file_problem(sha)  # not a readable PDF
    stored.write_bytes(b"changed on disk")
    with pytest.raises(StoreError, match="kontrollsumman"):
        store.file_path(sha)
