"""PostgreSQL schema parity (issue 16): db/postgresql/020_schema.sql and store/pg_audit.py against the SQLite store
at version 20, on a real PostgreSQL server.

1. Structure: the same tables, columns (order, NOT NULL), keys, foreign keys, unique sets, indexes, views and rule
   triggers.
2. Rules: each scenario is plain SQL valid in both dialects, run after the same base data on a fresh SQLite store
   and on a fresh PostgreSQL schema (each in a transaction that is rolled back): both accept, or both refuse at the
   same statement with the same message (a rule) or both refuse (a constraint, whose wording is the engine's own).
3. Audit: the same changes write the same rows of ``andring`` on both.
"""

import json
import re
import sqlite3
from pathlib import Path

import psycopg
import pytest

from nämndtool.store import Store
from nämndtool.store.audit import AUDITED
from nämndtool.store.connection import connect
from nämndtool.store.pg_schema import BASELINE, apply_migration, create_schema, migrations

LEFT_OUT = {"sqlite_sequence"}
"""Tables SQLite has that PostgreSQL does not (besides the FTS5 search tables arende_sok*)."""

SEARCH_TRIGGERS = {"arende_sok_ny", "arende_sok_andrad", "arende_sok_borttagen"}

PG_ONLY_TRIGGERS = {f"{t}_kan_inte_tommas" for t in (
    "andring", "lasning", "register_identitet", "sekretess_havd", "datumrattelse", "beslutat_arende",
    "beslutad_bilaga", "akt_dokument")}
"""TRUNCATE guards: PostgreSQL can empty a table without row triggers, SQLite cannot."""

RULE_CODE = "23000"   # integrity_constraint_violation: every refusal by a rule trigger


# --- the two stores -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_path(tmp_path_factory) -> Path:
    """A store at this program's version, empty: opening it runs every db/NNN."""
    path = tmp_path_factory.mktemp("pg_schema") / "s.sqlite"
    with Store.open(path):
        pass
    return path


@pytest.fixture
def lite(sqlite_path):
    conn = connect(sqlite_path)
    conn.isolation_level = None   # explicit BEGIN/ROLLBACK
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def pg_module_dsn(pg_cluster):
    """One PostgreSQL database with the schema for the scenarios, which each roll back."""
    from pg_cluster import database_of
    dsn = pg_cluster.create_database()
    with psycopg.connect(dsn) as conn:
        create_schema(conn)
        for _, _, sql in migrations()[1:]:
            apply_migration(conn, sql)
    yield dsn
    pg_cluster.drop_database(database_of(dsn))


@pytest.fixture
def pg(pg_module_dsn):
    with psycopg.connect(pg_module_dsn) as conn:
        yield conn
        conn.rollback()


# --- 1. structure ---------------------------------------------------------------------------------------------


def _lite_tables(conn) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            if name not in LEFT_OUT and not name.startswith("arende_sok")]


def _pg_tables(conn) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname")]


def _lite_columns(conn, table):
    """(name, NOT NULL) in order; a key column counts as NOT NULL (SQLite's rowid alias says 0)."""
    return [(name, bool(notnull or pk)) for _, name, _, notnull, _, pk in conn.execute(f'PRAGMA table_info("{table}")')]


def _pg_columns(conn, table):
    return [(name, notnull) for name, notnull in conn.execute(
        "SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum", (table,))]


def _lite_key(conn, table):
    return [name for _, name in sorted((pk, name) for _, name, _, _, _, pk in
                                       conn.execute(f'PRAGMA table_info("{table}")') if pk)]


def _pg_key(conn, table):
    return [name for (name,) in conn.execute(
        """SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, place)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY k.place""", (table,))]


def _lite_foreign_keys(conn, table) -> set:
    grouped: dict = {}
    for fk_id, _, target, source, to, on_update, on_delete, _ in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
        entry = grouped.setdefault(fk_id, [target, [], [], on_delete, on_update])
        entry[1].append(source)
        entry[2].append(to)
    return {(target, tuple(src), tuple(dst), on_delete, on_update) for target, src, dst, on_delete, on_update
            in grouped.values()}


_PG_ACTION = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def _pg_foreign_keys(conn, table) -> set:
    found = set()
    for target, src, dst, on_delete, on_update in conn.execute(
            """SELECT c.confrelid::regclass::text,
                      (SELECT array_agg(a.attname ORDER BY k.place) FROM unnest(c.conkey) WITH ORDINALITY k(n, place)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
                      (SELECT array_agg(a.attname ORDER BY k.place) FROM unnest(c.confkey) WITH ORDINALITY k(n, place)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n),
                      c.confdeltype, c.confupdtype
               FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.contype = 'f'""", (table,)):
        found.add((target, tuple(src), tuple(dst), _PG_ACTION[on_delete], _PG_ACTION[on_update]))
    return found


def _lite_unique(conn, table) -> set:
    """Each unique constraint or index but the key, as (columns, partial); None for an expression."""
    found = set()
    for _, name, unique, origin, partial in conn.execute(f'PRAGMA index_list("{table}")'):
        if unique and origin != "pk":
            cols = tuple(col for _, _, col in conn.execute(f'PRAGMA index_info("{name}")'))
            found.add((cols, bool(partial)))
    return found


def _pg_unique(conn, table) -> set:
    found = set()
    for cols, partial in conn.execute(
            """SELECT (SELECT array_agg(a.attname ORDER BY k.place) FROM unnest(i.indkey) WITH ORDINALITY k(n, place)
                       LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n),
                      i.indpred IS NOT NULL
               FROM pg_index i WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary""",
            (table,)):
        found.add((tuple(cols), partial))
    return found


def _lite_indexes(conn) -> set:
    """The indexes made by CREATE INDEX (not those of a UNIQUE or a key), with their table."""
    return {tuple(row) for row in conn.execute(
        "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name NOT LIKE 'arende_sok%'")}


def _pg_indexes(conn) -> set:
    return {tuple(row) for row in conn.execute(
        """SELECT c.relname, i.indrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE c.relnamespace = 'public'::regnamespace
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""")}


def _lite_views(conn) -> dict:
    return {name: [col for _, col, *_ in conn.execute(f'PRAGMA table_info("{name}")')]
            for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'view'")}


def _pg_views(conn) -> dict:
    views = [name for (name,) in conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'v'")]
    return {name: [col for col, _ in _pg_columns(conn, name)] for name in views}


def _lite_triggers(conn) -> set:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}


def _pg_triggers(conn) -> set:
    return {name for (name,) in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}


def _is_audit(name: str) -> bool:
    return any(name.startswith(f"{table}_logg_") for table in AUDITED)


def test_the_first_postgresql_file_is_the_baseline():
    assert [(number, name) for number, name, _ in migrations()][0] == (BASELINE, "020_schema.sql")


def test_structure_matches_sqlite(lite, pg):
    assert _pg_tables(pg) == _lite_tables(lite)
    for table in _lite_tables(lite):
        assert _pg_columns(pg, table) == _lite_columns(lite, table), table
        assert _pg_key(pg, table) == _lite_key(lite, table), table
        assert _pg_foreign_keys(pg, table) == _lite_foreign_keys(lite, table), table
        assert _pg_unique(pg, table) == _lite_unique(lite, table), table
    assert _pg_indexes(pg) == _lite_indexes(lite)
    assert _pg_views(pg) == _lite_views(lite)


def test_every_rule_trigger_has_its_postgresql_trigger(lite, pg):
    lite_rules = {t for t in _lite_triggers(lite) if not _is_audit(t)} - SEARCH_TRIGGERS
    pg_rules = {t for t in _pg_triggers(pg) if not _is_audit(t)} - PG_ONLY_TRIGGERS
    assert pg_rules == lite_rules
    assert {t for t in _pg_triggers(pg) if _is_audit(t)} == {t for t in _lite_triggers(lite) if _is_audit(t)}


def test_the_store_has_its_identity(pg):
    identity, generation = pg.execute("SELECT identitet, generation FROM register_identitet").fetchone()
    assert len(identity) == 36 and identity == identity.lower() and identity[14] == "4" and generation == 0


# --- 2. the rules ------------------------------------------------------------------------------------------------

SHA = "a" * 64
LOCKED = "protokollet är justerat och kan inte ändras"
AGENDA_LOCKED = "protokollet är justerat och dagordningen kan inte ändras"
CONSTRAINT = object()
"""A refusal by a constraint (unique, check, foreign key): both refuse, each in its own words."""

BASE = [
    "INSERT INTO namnd (id, namn, kod) VALUES (1, 'Socialnämnden', 'SOCN')",
    "INSERT INTO organ (id, namnd_id, namn, typ) VALUES (1, 1, 'Socialnämnden', 'namnd')",
    "INSERT INTO person (id, namn, roll) VALUES (1, 'Anna Andersson', 'ledamot')",
    "INSERT INTO mottagare (id, namn, adress) VALUES (1, 'Region Skåne', 'Box 1')",
    f"INSERT INTO fil (sha256, storlek) VALUES ('{SHA}', 10)",
    "INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik, registrerad) VALUES (1, 1, 2024, 1, 'Bygglov', '2024-01-10')",
    "INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik, registrerad, sekretess, sekretess_lagrum) "
    "VALUES (2, 1, 2024, 2, 'Placering', '2024-01-11', 1, '26 kap. 1 § OSL')",
    "INSERT INTO tjansteskrivelse (id, arende_id, rubrik, handlaggare_id) VALUES (1, 1, 'Bygglov', 1)",
    "INSERT INTO forslag (tjansteskrivelse_id, nr, text) VALUES (1, 1, 'Att bevilja \"lovet\"')",
    "INSERT INTO avsnitt (tjansteskrivelse_id, nr, rubrik, text) VALUES (1, 1, 'Bakgrund', NULL)",
    "INSERT INTO beslutsmottagare (tjansteskrivelse_id, nr, mottagare_id) VALUES (1, 1, 1)",
    f"INSERT INTO handling (id, arende_id, riktning, beskrivning, fil_sha256, filnamn, bilaga_nr) "
    f"VALUES (1, 1, 'in', 'Ansökan', '{SHA}', 'ansokan.pdf', 1)",
    "INSERT INTO sammantrade (id, organ_id, datum, tid) VALUES (1, 1, '2024-02-01', '13:00')",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, arende_id) VALUES (1, 1, 1, 'Bygglov', 'arende', 1)",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ) VALUES (2, 1, 2, 'Information', 'tema')",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, sekretess, sekretess_lagrum) "
    "VALUES (6, 1, 3, 'Enskild', 'standard', 1, 'OSL')",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, arende_id) VALUES (7, 1, 4, 'Placering', 'arende', 2)",
    "INSERT INTO protokoll (id, sammantrade_id, klar_for_justering) VALUES (1, 1, 1)",
    "INSERT INTO paragraf (id, protokoll_id, organ_id, ar, nr, dagordning_nr, rubrik, arende_id) "
    "VALUES (1, 1, 1, 2024, 1, 1, 'Bygglov', 1)",
    "INSERT INTO beslut (paragraf_id, nr, text) VALUES (1, 1, 'Bifall')",
    # meeting 2, justerat below
    "INSERT INTO sammantrade (id, organ_id, datum) VALUES (2, 1, '2024-03-01')",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, arende_id) VALUES (3, 2, 1, 'Bygglov igen', 'arende', 1)",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, sekretess, sekretess_lagrum) "
    "VALUES (4, 2, 2, 'Enskild', 'standard', 1, 'OSL')",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ) VALUES (5, 2, 3, 'Övrigt', 'standard')",
    "INSERT INTO protokoll (id, sammantrade_id, klar_for_justering) VALUES (2, 2, 1)",
    "INSERT INTO justerare (protokoll_id, nr, namn) VALUES (2, 1, 'Anna Andersson')",
    "INSERT INTO narvaro (id, protokoll_id, nr, person_id, namn, roll, tjanstgor) VALUES (2, 2, 1, 1, 'Anna Andersson', 'ledamot', 1)",
    "INSERT INTO paragraf (id, protokoll_id, organ_id, ar, nr, dagordning_nr, rubrik, arende_id) "
    "VALUES (2, 2, 1, 2024, 2, 1, 'Bygglov igen', 1)",
    "INSERT INTO beslut (paragraf_id, nr, text) VALUES (2, 1, 'Avslag')",
    "INSERT INTO yrkande (paragraf_id, nr, av, text) VALUES (2, 1, 'Anna Andersson', 'Avslag')",
    "INSERT INTO rost (paragraf_id, nr, namn, rost) VALUES (2, 1, 'Anna Andersson', 'ja')",
    "INSERT INTO anteckning (paragraf_id, nr, slag, av) VALUES (2, 1, 'reservation', 'Anna Andersson')",
    "INSERT INTO jav (paragraf_id, namn) VALUES (2, 'Bo Berg')",
    "INSERT INTO paragraf_mottagare (paragraf_id, nr, mottagare_id) VALUES (2, 1, 1)",
    f"UPDATE protokoll SET justerad = '2024-03-05', justerad_pdf_sha256 = '{SHA}' WHERE id = 2",
    "INSERT INTO beslutat_arende (sammantrade_id, arende_id, rubrik, antal_bilagor, ursprung) "
    "VALUES (2, 1, 'Bygglov igen', 1, 'justering')",
    "INSERT INTO beslutad_bilaga (sammantrade_id, arende_id, nr, titel) VALUES (2, 1, 1, 'Karta')",
    f"INSERT INTO akt_dokument (id, sammantrade_id, arende_id, paragraf_id, slag, sha256, sekretess, ursprung) "
    f"VALUES (1, 2, 1, 2, 'utdrag', '{SHA}', 0, 'justering')",
    "INSERT INTO lasning (id, anvandare, arende_id, hur) VALUES (1, 'anna', 2, 'test')",
    "INSERT INTO sekretess_havd (id, dagordningspunkt_id, sammantrade_id, punkt_rubrik, skal, av) "
    "VALUES (1, 99, 1, 'En gammal punkt', 'Beslut', 'anna')",
]
"""Two meetings, the second justerat, with a row in every table a rule guards."""

_CORRECT_JUSTERAD = ("INSERT INTO datumrattelse (id, sammantrade_id, falt, fore, efter, skal, av) "
                     "VALUES (1, 2, 'justerad', '2024-03-05', '2024-03-06', 'Felskrivet datum', 'anna')")

# (name, statements, expected: None = accepted, a rule's message, or CONSTRAINT; a query both must answer alike)
SCENARIOS = [
    ("diarieserien bakåt", ["UPDATE diarieserie SET senaste = 1 WHERE namnd_id = 1 AND ar = 2024"],
     "diarieserien får inte räknas bakåt", None),
    ("diarieserien framåt", ["UPDATE diarieserie SET senaste = 5 WHERE namnd_id = 1 AND ar = 2024"],
     None, "SELECT namnd_id, ar, senaste FROM diarieserie ORDER BY ar"),
    ("nytt ärende flyttar serien, ett lägre gör det inte",
     ["INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik) VALUES (3, 1, 2024, 7, 'Sju')",
      "INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik) VALUES (4, 1, 2024, 3, 'Tre')",
      "INSERT INTO arende (id, namnd_id, rubrik) VALUES (5, 1, 'Meddelanden')"],
     None, "SELECT namnd_id, ar, senaste FROM diarieserie ORDER BY ar"),
    ("nytt nummer flyttar serien",
     ["UPDATE arende SET ar = 2025, lopnr = 4, registrerad = '2025-01-02' WHERE id = 1"],
     None, "SELECT namnd_id, ar, senaste FROM diarieserie ORDER BY ar"),
    ("ärendets version räknas vid varje sparande",
     ["UPDATE arende SET rubrik = 'Bygglov, ändrat' WHERE id = 1", "UPDATE arende SET rubrik = 'Bygglov, ändrat' WHERE id = 1",
      "UPDATE arende SET extern_referens = 'X', version = 10 WHERE id = 2"],
     None, "SELECT id, version FROM arende ORDER BY id"),
    ("tjänsteskrivelsens och sammanträdets version",
     ["UPDATE tjansteskrivelse SET enhet = 'Bygg' WHERE id = 1", "UPDATE tjansteskrivelse SET enhet = 'Bygg' WHERE id = 1",
      "UPDATE sammantrade SET plats = 'Salen' WHERE id = 1", "UPDATE sammantrade SET status = 'justerat' WHERE id = 2"],
     None, "SELECT 't', id, version FROM tjansteskrivelse UNION ALL SELECT 's', id, version FROM sammantrade ORDER BY 1, 2"),
    ("avslutat utan datum", ["UPDATE arende SET status = 'avslutat' WHERE id = 1"],
     "ett avslutat ärende måste ha ett avslutsdatum", None),
    ("avslutat med datum", ["UPDATE arende SET status = 'avslutat', avslutad = '2024-05-01' WHERE id = 1"],
     None, "SELECT id, status, avslutad, version FROM arende ORDER BY id"),
    ("sekretess hävs utan beslut", ["UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = 2"],
     "sekretessen kan bara hävas med ett eget beslut (namndtool case unseal)", None),
    ("avslutat och sekretess hävd utan beslut: sekretessen först",
     ["UPDATE arende SET status = 'avslutat', sekretess = 0, sekretess_lagrum = NULL WHERE id = 2"],
     "sekretessen kan bara hävas med ett eget beslut (namndtool case unseal)", None),
    ("sekretess hävs med beslut, som verkställs",
     ["INSERT INTO sekretess_havd (id, arende_id, skal, av) VALUES (2, 2, 'Offentligt nu', 'anna')",
      "UPDATE arende SET sekretess = 0, sekretess_lagrum = NULL WHERE id = 2"],
     None, "SELECT id, verkstalld FROM sekretess_havd ORDER BY id"),
    ("hemlig ny punkt gör ärendet hemligt",
     ["INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, arende_id, sekretess, sekretess_lagrum) "
      "VALUES (8, 1, 5, 'Bygglov', 'arende', 1, 1, '26 kap. 1 § OSL')"],
     None, "SELECT id, sekretess, sekretess_lagrum, version FROM arende ORDER BY id"),
    ("punkten blir hemlig och gör ärendet hemligt",
     ["UPDATE dagordningspunkt SET sekretess = 1, sekretess_lagrum = 'OSL' WHERE id = 1"],
     None, "SELECT id, sekretess, sekretess_lagrum, version FROM arende ORDER BY id"),
    ("punkt läggs till i justerat möte",
     ["INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ) VALUES (9, 2, 9, 'Sent', 'standard')"],
     AGENDA_LOCKED, None),
    ("punkt tas bort i justerat möte", ["DELETE FROM dagordningspunkt WHERE id = 5"], AGENDA_LOCKED, None),
    ("punkt med paragraf tas bort", ["DELETE FROM dagordningspunkt WHERE id = 1"],
     "punkten har en paragraf i protokollet och kan inte tas bort", None),
    ("punkt med paragraf i justerat möte tas bort: paragrafen först", ["DELETE FROM dagordningspunkt WHERE id = 3"],
     "punkten har en paragraf i protokollet och kan inte tas bort", None),
    ("punkt utan paragraf tas bort", ["DELETE FROM dagordningspunkt WHERE id = 2"],
     None, "SELECT id FROM dagordningspunkt ORDER BY id"),
    ("punkt i justerat möte ändras", ["UPDATE dagordningspunkt SET rubrik = 'Annat' WHERE id = 5"], AGENDA_LOCKED, None),
    ("punkt i justerat möte blir hemlig", ["UPDATE dagordningspunkt SET sekretess = 1, sekretess_lagrum = 'OSL' WHERE id = 5"],
     None, "SELECT id, sekretess, sekretess_lagrum FROM dagordningspunkt ORDER BY id"),
    ("punktens sekretess hävs utan beslut",
     ["UPDATE dagordningspunkt SET sekretess = 0, sekretess_lagrum = NULL WHERE id = 6"],
     "sekretessen kan bara hävas med ett eget beslut (namndtool meeting unseal-item)", None),
    ("punkt lämnar sitt hemliga ärende utan beslut", ["UPDATE dagordningspunkt SET arende_id = NULL WHERE id = 7"],
     "sekretessen kan bara hävas med ett eget beslut (namndtool meeting unseal-item)", None),
    ("punktens sekretess hävs i justerat möte: låset först",
     ["UPDATE dagordningspunkt SET sekretess = 0, sekretess_lagrum = NULL WHERE id = 4"], AGENDA_LOCKED, None),
    ("punktens sekretess hävs med beslut, som verkställs",
     ["INSERT INTO sekretess_havd (id, dagordningspunkt_id, sammantrade_id, punkt_rubrik, skal, av) "
      "VALUES (2, 6, 1, 'Enskild', 'Offentligt nu', 'anna')",
      "UPDATE dagordningspunkt SET sekretess = 0, sekretess_lagrum = NULL WHERE id = 6"],
     None, "SELECT id, verkstalld FROM sekretess_havd ORDER BY id"),
    ("justerat sammanträde flyttas", ["UPDATE sammantrade SET plats = 'Annan sal' WHERE id = 2"],
     "protokollet är justerat och sammanträdet kan inte ändras", None),
    ("justerat protokoll tas bort", ["DELETE FROM protokoll WHERE id = 2"],
     "protokollet är justerat och kan inte tas bort", None),
    ("justerat protokoll ändras", ["UPDATE protokoll SET sekreterare = 'Bo Berg' WHERE id = 2"], LOCKED, None),
    ("justerat protokolls förvaringsplats", ["UPDATE protokoll SET forvaringsplats = 'Arkivet' WHERE id = 2"],
     None, "SELECT id, forvaringsplats FROM protokoll ORDER BY id"),
    ("justeringsdag ändras utan rättelse", ["UPDATE protokoll SET justerad = '2024-03-06' WHERE id = 2"], LOCKED, None),
    ("justeringsdag rättas, rättelsen verkställs",
     [_CORRECT_JUSTERAD, "UPDATE protokoll SET justerad = '2024-03-06' WHERE id = 2"],
     None, "SELECT id, verkstalld FROM datumrattelse ORDER BY id"),
    ("justeringsdag före mötet", [f"UPDATE protokoll SET justerad = '2024-01-15', justerad_pdf_sha256 = '{SHA}' WHERE id = 1"],
     "datumen i protokollet kommer i fel ordning", None),
    ("anslag före justeringen", ["UPDATE protokoll SET anslag_datum = '2024-03-04' WHERE id = 2"],
     "datumen i protokollet kommer i fel ordning", None),
    ("anslag ändras utan rättelse",
     ["UPDATE protokoll SET anslag_datum = '2024-03-06' WHERE id = 2",
      "UPDATE protokoll SET anslag_datum = '2024-03-07' WHERE id = 2"], LOCKED, None),
    ("anslag rättas",
     ["UPDATE protokoll SET anslag_datum = '2024-03-06' WHERE id = 2",
      "INSERT INTO datumrattelse (id, sammantrade_id, falt, fore, efter, skal, av) "
      "VALUES (1, 2, 'anslag_datum', '2024-03-06', '2024-03-07', 'Felskrivet datum', 'anna')",
      "UPDATE protokoll SET anslag_datum = '2024-03-07' WHERE id = 2"],
     None, "SELECT id, verkstalld FROM datumrattelse ORDER BY id"),
    ("omedelbart anslag ändras utan rättelse",
     ["UPDATE protokoll SET omedelbar_anslag = '2024-02-02' WHERE id = 1",
      "UPDATE protokoll SET omedelbar_anslag = '2024-02-03' WHERE id = 1"],
     "anslaget är registrerat och datumet kan bara rättas med ett skäl", None),
    ("omedelbart anslag och sekreterare i justerat protokoll: anslaget först",
     ["UPDATE protokoll SET omedelbar_anslag = '2024-03-02' WHERE id = 2",
      "UPDATE protokoll SET omedelbar_anslag = '2024-03-09', sekreterare = 'Bo' WHERE id = 2"],
     "anslaget är registrerat och datumet kan bara rättas med ett skäl", None),
    ("omedelbart anslag före mötet", ["UPDATE protokoll SET omedelbar_anslag = '2024-01-02' WHERE id = 1"],
     "datumen i protokollet kommer i fel ordning", None),
    ("justeringsdag före mötet i justerat protokoll: ordningen först",
     ["UPDATE protokoll SET justerad = '2024-01-01', sekreterare = 'x' WHERE id = 2"],
     "datumen i protokollet kommer i fel ordning", None),
    ("anslagets registreringsdag ändras",
     ["UPDATE protokoll SET anslag_datum_registrerat = '2024-03-06' WHERE id = 2",
      "UPDATE protokoll SET anslag_datum_registrerat = '2024-03-07' WHERE id = 2"],
     "dagen då anslaget registrerades kan inte ändras", None),
    ("omedelbara anslagets registreringsdag ändras",
     ["UPDATE protokoll SET omedelbar_anslag_registrerat = '2024-02-02' WHERE id = 1",
      "UPDATE protokoll SET omedelbar_anslag_registrerat = NULL WHERE id = 1"],
     "dagen då anslaget registrerades kan inte ändras", None),
    ("rättelse ändras", [_CORRECT_JUSTERAD, "UPDATE datumrattelse SET skal = 'Ett annat skäl' WHERE id = 1"],
     "en rättelse av ett datum kan inte ändras", None),
    ("rättelse tas bort", [_CORRECT_JUSTERAD, "DELETE FROM datumrattelse WHERE id = 1"],
     "en rättelse av ett datum kan inte tas bort", None),
    ("hävningsbeslut ändras", ["UPDATE sekretess_havd SET skal = 'Något annat' WHERE id = 1"],
     "ett beslut att häva sekretess kan inte ändras", None),
    ("hävningsbeslut verkställs", ["UPDATE sekretess_havd SET verkstalld = 1, punkt_rubrik = 'Ny rubrik' WHERE id = 1"],
     None, "SELECT id, verkstalld, punkt_rubrik FROM sekretess_havd ORDER BY id"),
    ("hävningsbeslut tas bort", ["DELETE FROM sekretess_havd WHERE id = 1"],
     "ett beslut att häva sekretess kan inte tas bort", None),
    ("läsloggen ändras", ["UPDATE lasning SET hur = 'annat' WHERE id = 1"], "läsloggen kan inte ändras", None),
    ("läsloggen töms", ["DELETE FROM lasning"], "läsloggen kan inte ändras", None),
    ("ändringsloggen ändras", ["UPDATE andring SET anvandare = 'någon annan'"], "ändringsloggen kan inte ändras", None),
    ("ändringsloggen töms", ["DELETE FROM andring"], "ändringsloggen kan inte ändras", None),
    ("registrets identitet tas bort", ["DELETE FROM register_identitet"], "registrets identitet får inte tas bort", None),
    ("en andra identitet", ["INSERT INTO register_identitet (id, identitet) VALUES (2, '00000000-0000-4000-8000-000000000000')"],
     CONSTRAINT, None),
    ("identitetens generation räknas upp", ["UPDATE register_identitet SET generation = generation + 1"],
     None, "SELECT id, generation FROM register_identitet"),
    ("beslutat underlag för ojusterat möte",
     ["INSERT INTO beslutat_arende (sammantrade_id, arende_id, rubrik, antal_bilagor, ursprung) "
      "VALUES (1, 1, 'Bygglov', 0, 'justering')"],
     "bara ett justerat sammanträde har ett beslutat underlag", None),
    ("beslutat underlag får en bilaga för mycket",
     ["INSERT INTO beslutad_bilaga (sammantrade_id, arende_id, nr, titel) VALUES (2, 1, 2, 'Extra')"],
     "det beslutade underlaget är redan fullständigt och kan inte få fler bilagor", None),
    ("beslutat underlag ändras", ["UPDATE beslutat_arende SET rubrik = 'Annat' WHERE arende_id = 1"],
     "det som beslutades vid ett justerat sammanträde kan inte ändras", None),
    ("beslutat underlag tas bort", ["DELETE FROM beslutat_arende WHERE arende_id = 1"],
     "det som beslutades vid ett justerat sammanträde kan inte tas bort", None),
    ("beslutad bilaga ändras", ["UPDATE beslutad_bilaga SET titel = 'Annan' WHERE nr = 1"],
     "det som beslutades vid ett justerat sammanträde kan inte ändras", None),
    ("beslutad bilaga tas bort", ["DELETE FROM beslutad_bilaga WHERE nr = 1"],
     "det som beslutades vid ett justerat sammanträde kan inte tas bort", None),
    ("akthandling för ojusterat möte",
     [f"INSERT INTO akt_dokument (id, sammantrade_id, arende_id, slag, sha256, sekretess, ursprung) "
      f"VALUES (2, 1, 1, 'tjansteskrivelse', '{SHA}', 0, 'justering')"],
     "akthandlingar arkiveras först när protokollet är justerat", None),
    ("akthandling ändras", ["UPDATE akt_dokument SET datum = '2024-03-05' WHERE id = 1"],
     "en akthandling kan inte ändras; en ny läggs till", None),
    ("akthandling tas bort", ["DELETE FROM akt_dokument WHERE id = 1"], "en akthandling kan inte tas bort", None),
    ("mottagarens adress bekräftas efter justeringen",
     ["UPDATE paragraf_mottagare SET adress_bekraftad = 1, bekraftad_av = 'anna', bekraftad_datum = '2024-03-06' "
      "WHERE paragraf_id = 2"],
     None, "SELECT paragraf_id, nr, adress_bekraftad, bekraftad_av FROM paragraf_mottagare ORDER BY 1, 2"),
    ("ojusterat protokoll får delar",
     ["INSERT INTO justerare (protokoll_id, nr, namn) VALUES (1, 1, 'Bo Berg')",
      "INSERT INTO yrkande (paragraf_id, nr, av, text) VALUES (1, 1, 'Bo Berg', 'Bifall')",
      "UPDATE beslut SET text = 'Bifall till förslaget' WHERE paragraf_id = 1",
      "DELETE FROM beslut WHERE paragraf_id = 1"],
     None, "SELECT paragraf_id, nr, text FROM beslut ORDER BY 1, 2"),
    ("justerat möte tas bort", ["DELETE FROM sammantrade WHERE id = 2"], None, None),   # expected: filled in below
    # constraints that SQLite writes with its own functions
    ("ogiltigt datum 2023-02-29", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2023-02-29')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-04-31", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-04-31')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-00-10", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-00-10')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-13-01", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-13-01')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-01-00", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-01-00')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-1-10", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-1-10')"], CONSTRAINT, None),
    ("ogiltigt datum 2024-01-10 ", ["INSERT INTO sammantrade (id, organ_id, datum) VALUES (3, 1, '2024-01-10 ')"], CONSTRAINT, None),
    ("skottdag", ["INSERT INTO sammantrade (id, organ_id, datum, tid) VALUES (3, 1, '2024-02-29', '24:30')"],
     None, "SELECT id, datum, tid FROM sammantrade ORDER BY id"),
    ("ogiltig tid", ["INSERT INTO sammantrade (id, organ_id, datum, tid) VALUES (3, 1, '2024-04-01', '9:30')"],
     CONSTRAINT, None),
    ("kod med gemener", ["INSERT INTO namnd (id, namn, kod) VALUES (2, 'Byggnämnden', 'Bygg')"], CONSTRAINT, None),
    ("kod med ÅÄÖ", ["INSERT INTO namnd (id, namn, kod) VALUES (2, 'Äldrenämnden', 'ÄLDRE')"],
     None, "SELECT id, kod FROM namnd ORDER BY id"),
    ("e-post utan @", ["INSERT INTO person (id, namn, epost) VALUES (2, 'Bo', 'bo.example.se')"], CONSTRAINT, None),
    ("fel årtal i diarienumret",
     ["INSERT INTO arende (id, namnd_id, ar, lopnr, rubrik, registrerad) VALUES (3, 1, 2023, 9, 'Fel år', '2024-01-02')"],
     CONSTRAINT, None),
    ("underlag som inte är JSON",
     ["INSERT INTO beslutat_arende (sammantrade_id, arende_id, rubrik, tjansteskrivelse, antal_bilagor, ursprung) "
      "VALUES (2, 2, 'Placering', '{inte json', 0, 'justering')"], CONSTRAINT, None),
    ("samma mottagare två gånger", ["INSERT INTO mottagare (id, namn, adress) VALUES (2, 'Region Skåne', 'Box 1')"],
     CONSTRAINT, None),
    ("en andra nämnd-organ", ["INSERT INTO organ (id, namnd_id, namn, typ) VALUES (2, 1, 'Annan', 'namnd')"],
     CONSTRAINT, None),
    # the views
    ("vyerna", [],
     None, "SELECT arende_id, tjansteskrivelse, antal_bilagor, rubrik FROM arende_underlag ORDER BY arende_id"),
    ("vyerna: sekretess", [],
     None, "SELECT p.paragraf_id, p.sekretess, p.sekretess_lagrum, d.dagordningspunkt_id, d.sekretess "
           "FROM paragraf_sekretess p, punkt_sekretess d ORDER BY 1, 4"),
    ("vyerna: nummer och filer", [],
     None, "SELECT s.rowid, s.diarienummer, s.rubrik, f.sha256, f.filnamn, f.sekretess "
           "FROM arende_sokbar_text s LEFT JOIN arende_fil f ON f.arende_id = s.rowid ORDER BY 1, 4"),
]


def _paragraph_part_scenarios() -> list:
    """The justering lock of each part of a justerat protokoll: insert, update and delete."""
    parts = {
        "justerare": ("INSERT INTO justerare (protokoll_id, nr, namn) VALUES (2, 2, 'Bo Berg')",
                      "UPDATE justerare SET namn = 'Bo Berg' WHERE protokoll_id = 2", "DELETE FROM justerare WHERE protokoll_id = 2"),
        "narvaro": ("INSERT INTO narvaro (id, protokoll_id, nr, namn, roll) VALUES (3, 2, 2, 'Bo Berg', 'ledamot')",
                    "UPDATE narvaro SET parti = 'S' WHERE id = 2", "DELETE FROM narvaro WHERE id = 2"),
        "paragraf": ("INSERT INTO paragraf (id, protokoll_id, organ_id, ar, nr, rubrik) VALUES (3, 2, 1, 2024, 3, 'Sen')",
                     "UPDATE paragraf SET rubrik = 'Annan' WHERE id = 2", "DELETE FROM paragraf WHERE id = 2"),
        "beslut": ("INSERT INTO beslut (paragraf_id, nr, text) VALUES (2, 2, 'Mer')",
                   "UPDATE beslut SET text = 'Annat' WHERE paragraf_id = 2", "DELETE FROM beslut WHERE paragraf_id = 2"),
        "yrkande": ("INSERT INTO yrkande (paragraf_id, nr, av, text) VALUES (2, 2, 'Bo', 'Bifall')",
                    "UPDATE yrkande SET text = 'Annat' WHERE paragraf_id = 2", "DELETE FROM yrkande WHERE paragraf_id = 2"),
        "rost": ("INSERT INTO rost (paragraf_id, nr, namn, rost) VALUES (2, 2, 'Bo', 'nej')",
                 "UPDATE rost SET rost = 'nej' WHERE paragraf_id = 2", "DELETE FROM rost WHERE paragraf_id = 2"),
        "anteckning": ("INSERT INTO anteckning (paragraf_id, nr, slag, av) VALUES (2, 2, 'protokollsanteckning', 'Bo')",
                       "UPDATE anteckning SET text = 'Annat' WHERE paragraf_id = 2",
                       "DELETE FROM anteckning WHERE paragraf_id = 2"),
        "jav": ("INSERT INTO jav (paragraf_id, namn) VALUES (2, 'Cecilia')",
                "UPDATE jav SET namn = 'Cecilia' WHERE paragraf_id = 2", "DELETE FROM jav WHERE paragraf_id = 2"),
        "paragraf_mottagare": ("INSERT INTO paragraf_mottagare (paragraf_id, nr, mottagare_id) VALUES (2, 2, 1)",
                               "UPDATE paragraf_mottagare SET nr = 3 WHERE paragraf_id = 2",
                               "DELETE FROM paragraf_mottagare WHERE paragraf_id = 2"),
    }
    return [(f"{table} i justerat protokoll: {verb}", [sql], LOCKED, None)
            for table, statements in parts.items() for verb, sql in zip(("insert", "update", "delete"), statements)]


ALL_SCENARIOS = SCENARIOS + _paragraph_part_scenarios()


def _run(execute, refusal, statements: list[str], check: str | None):
    """The base data, then ``statements`` until one is refused: ("refused", at, message, SQLSTATE or None) or
    ("accepted", the rows of ``check``). ``refusal`` turns an integrity error into (message, code), else None."""
    for sql in BASE:
        execute(sql)
    for at, sql in enumerate(statements):
        try:
            execute(sql)
        except (sqlite3.IntegrityError, psycopg.errors.IntegrityError) as error:
            return ("refused", at, *refusal(error))
    return ("accepted", _rows(execute(check).fetchall()) if check else None)


def _run_lite(conn: sqlite3.Connection, statements: list[str], check: str | None):
    conn.execute("BEGIN")
    try:
        return _run(conn.execute, lambda error: (str(error), None), statements, check)
    finally:
        conn.execute("ROLLBACK")


def _run_pg(conn, statements: list[str], check: str | None):
    try:
        return _run(conn.execute, lambda error: (error.diag.message_primary, error.sqlstate), statements, check)
    finally:
        conn.rollback()


def _rows(rows) -> list:
    """Rows to compare: JSON text parsed (the two engines space it differently)."""
    def value(v):
        if isinstance(v, str) and v[:1] in "[{":
            return json.loads(v)
        return v
    return [tuple(value(v) for v in row) for row in rows]


@pytest.mark.parametrize("name, statements, expected, check", ALL_SCENARIOS, ids=[s[0] for s in ALL_SCENARIOS])
def test_rule_behaves_as_in_sqlite(lite, pg, name, statements, expected, check):
    on_lite, on_pg = _run_lite(lite, statements, check), _run_pg(pg, statements, check)
    if name == "justerat möte tas bort":   # whatever SQLite does, PostgreSQL does
        expected = on_lite[2] if on_lite[0] == "refused" else None
    if expected is None:
        assert on_lite[0] == "accepted", on_lite
        assert on_pg == on_lite
    elif expected is CONSTRAINT:
        assert on_lite[0] == "refused" and on_pg[0] == "refused", (on_lite, on_pg)
        assert on_pg[1] == on_lite[1] and on_pg[3] != RULE_CODE
    else:
        assert on_lite[:3] == ("refused", len(statements) - 1, expected)
        assert on_pg == ("refused", len(statements) - 1, expected, RULE_CODE)


_TRIGGER = re.compile(r"CREATE TRIGGER (\w+)\s+(?:BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)\b.*?\bON (\w+)", re.S)
_STATEMENT = {"INSERT": "INSERT INTO {} ", "UPDATE": "UPDATE {} ", "DELETE": "DELETE FROM {}"}


def test_every_rule_trigger_is_tried(lite):
    """Each rule trigger meets a scenario with a statement of its event on its table that expects its message (a
    refusal) or compares the rows it writes (a side effect), so a new trigger needs a scenario."""
    untried = []
    for sql, in lite.execute("SELECT sql FROM sqlite_schema WHERE type = 'trigger'"):
        name, event, table = _TRIGGER.match(sql).groups()
        if _is_audit(name) or name in SEARCH_TRIGGERS:
            continue
        message = re.search(r"RAISE\(ABORT, '([^']*)'\)", sql)
        statement = _STATEMENT[event].format(table)
        if not any(any(s.startswith(statement) for s in statements)
                   and (expected == message.group(1) if message else check is not None)
                   for _, statements, expected, check in ALL_SCENARIOS):
            untried.append(name)
    assert not untried


# --- 3. the audit trail --------------------------------------------------------------------------------------------

AUDITED_CHANGES = [
    "UPDATE arende SET rubrik = 'Bygglov, ändrat', klassificering = '1.2' WHERE id = 1",
    "UPDATE arende SET rubrik = 'Bygglov, ändrat' WHERE id = 1",                  # a save that changes nothing
    "UPDATE arende SET klassificering = NULL, extern_referens = 'X', version = 7 WHERE id = 1",   # sets the version
    "UPDATE arende SET version = 8 WHERE id = 1",                                # the version alone: not recorded
    "UPDATE tjansteskrivelse SET sammanfattning = 'Kort', handlaggare_id = NULL WHERE id = 1",
    "UPDATE forslag SET nr = 2 WHERE tjansteskrivelse_id = 1 AND nr = 1",        # a composite key moves
    "INSERT INTO jav (paragraf_id, namn) VALUES (1, 'Åsa \"Citat\" Ek')",          # a key with text in it
    "UPDATE jav SET namn = 'Åsa Ek' WHERE paragraf_id = 1",
    "INSERT INTO standardtext (namnd_id, punkt, nr, text) VALUES (1, 'inledning', 1, 'Mötet öppnas')",
    "UPDATE standardtext SET text = 'Ordföranden öppnar mötet' WHERE namnd_id = 1",
    "INSERT INTO dagordningspunkt (id, sammantrade_id, nr, rubrik, typ, arende_id, sekretess, sekretess_lagrum) "
    "VALUES (8, 1, 5, 'Bygglov', 'arende', 1, 1, '26 kap. 1 § OSL')",             # makes ärende 1 secret too
    "INSERT INTO delegationsbeslut (id, namnd_id, datum, beslutsfattare, delegationspunkt, beskrivning, arende_id) "
    "VALUES (1, 1, '2024-02-10', 'Chefen', 'A.1', 'Bifall', 1)",
    "UPDATE delegationsbeslut SET anmald_vid = 1 WHERE id = 1",
    _CORRECT_JUSTERAD,
    "UPDATE protokoll SET justerad = '2024-03-06' WHERE id = 2",                # carries out the correction
    "UPDATE paragraf_mottagare SET adress_bekraftad = 1, bekraftad_av = 'anna', bekraftad_datum = '2024-03-06' "
    "WHERE paragraf_id = 2",
    "UPDATE sammantrade SET status = 'justerat' WHERE id = 2",
    "DELETE FROM handling WHERE id = 1",
    "DELETE FROM standardtext WHERE namnd_id = 1",
    "DELETE FROM tjansteskrivelse WHERE id = 1",                                   # its parts go with it
    "DELETE FROM sammantrade WHERE id = 1",                                        # the agenda and protokoll too
]
"""Inserts, updates and deletes of recorded tables, after BASE (which records its inserts)."""

_TRAIL = "SELECT tabell, handelse, arende_id, sammantrade_id, rad, fore, efter, anvandare, tid FROM andring ORDER BY id"


def _trail(rows) -> list[tuple]:
    return [(tabell, handelse, arende, mote, str(rad), json.loads(fore) if fore else fore,
             json.loads(efter) if efter else efter) for tabell, handelse, arende, mote, rad, fore, efter, *_ in rows]


@pytest.fixture
def pg_role(pg_cluster, pg_dsn):
    """A login role with a password, allowed to use the schema: a person on the server store."""
    import uuid
    from pg_cluster import database_of
    role, password = f"handlaggare_{uuid.uuid4().hex[:8]}", "hemligt-lösen"
    pg_cluster.create_role(role, password)
    with psycopg.connect(pg_dsn) as conn:
        create_schema(conn)
        conn.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        conn.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    return role, pg_cluster.dsn(database_of(pg_dsn), role, password)


CASCADING = {"DELETE FROM tjansteskrivelse WHERE id = 1", "DELETE FROM sammantrade WHERE id = 1"}
"""Statements whose ON DELETE CASCADE removes rows of recorded tables. SQLite records the removed parts before the
record that took them along, PostgreSQL after it (its foreign keys' actions queue their rows' triggers behind the
statement's own): the same rows, in another order of ids within the statement."""


def _by_statement(execute, statements) -> list[list[tuple]]:
    """The rows of the trail each statement wrote."""
    written, seen = [], 0
    for sql in statements:
        execute(sql)
        rows = execute(_TRAIL).fetchall()
        written.append(rows[seen:])
        seen = len(rows)
    return written


def test_the_trail_is_written_as_in_sqlite(lite, pg_role):
    role, dsn = pg_role
    statements = BASE + AUDITED_CHANGES
    lite.execute("BEGIN")
    try:
        on_lite = _by_statement(lite.execute, statements)
    finally:
        lite.execute("ROLLBACK")
    with psycopg.connect(dsn) as conn:
        on_pg = _by_statement(conn.execute, statements)

    for sql, lite_rows, pg_rows in zip(statements, on_lite, on_pg):
        if sql in CASCADING:
            assert sorted(_trail(pg_rows), key=repr) == sorted(_trail(lite_rows), key=repr), sql
            assert len({row[0] for row in lite_rows}) > 1, sql   # it does cascade
        else:
            assert _trail(pg_rows) == _trail(lite_rows), sql
    every_pg, every_lite = sum(on_pg, []), sum(on_lite, [])
    assert {row[7] for row in every_pg} == {role}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", row[8]) for row in every_pg + every_lite)
    # what the sequence is meant to show
    trail = _trail(every_pg)
    arende_1 = [(f, e) for t, h, a, _, r, f, e in trail if t == "arende" and r == "1" and h == "ändrad"]
    assert arende_1[:3] == [({"rubrik": "Bygglov"}, {"rubrik": "Bygglov, ändrat", "klassificering": "1.2"}),
                            ({}, {}),
                            ({"klassificering": "1.2", "version": 3}, {"extern_referens": "X", "version": 7})]
    assert ("jav", "ny", 1, 1, '[1,"Åsa \\"Citat\\" Ek"]', None, None) in trail
    assert ("forslag", "ändrad", 1, None, "[1,1]", {"nr": 1}, {"nr": 2}) in trail
    assert [h for t, h, *_ in trail if t == "datumrattelse"] == ["ny"]
