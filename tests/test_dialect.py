"""The store's SQLite statements in PostgreSQL's dialect (store/dialect.py): only what differs is changed, never
text inside quotes or comments."""

import pytest

from nämndtool.store.dialect import parameters, to_postgresql


@pytest.mark.parametrize("sqlite, postgresql", [
    ("SELECT * FROM arende WHERE id = ?", "SELECT * FROM arende WHERE id = %s"),
    ("UPDATE t SET a = ? WHERE id IS ? AND b IS NOT ?",
     "UPDATE t SET a = %s WHERE id IS NOT DISTINCT FROM %s AND b IS DISTINCT FROM %s"),
    ("SELECT a FROM t WHERE b IS NULL AND c IS NOT NULL", "SELECT a FROM t WHERE b IS NULL AND c IS NOT NULL"),
    ("SELECT id FROM p WHERE identity_key(p.namn) IS identity_key(?) AND nfc(namn) IS NOT nfc(?)",
     "SELECT id FROM p WHERE identity_key(p.namn) IS NOT DISTINCT FROM identity_key(%s) "
     "AND nfc(namn) IS DISTINCT FROM nfc(%s)"),
    ("SELECT 'ett ? och 50 %' AS x, y FROM t WHERE z = ?", "SELECT 'ett ? och 50 %%' AS x, y FROM t WHERE z = %s"),
    ("SELECT \"kolumn?\" FROM t -- är det ?\nWHERE a = ?", "SELECT \"kolumn?\" FROM t -- är det ?\nWHERE a = %s"),
    ("SELECT 'it''s ?' FROM t WHERE a = ?", "SELECT 'it''s ?' FROM t WHERE a = %s"),
    ("INSERT OR IGNORE INTO fil_avtryck VALUES (?, ?, ?)",
     "INSERT INTO fil_avtryck VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"),
    ("SELECT group_concat(m.namn || ' ' || u.skickat, ', ') FROM u",
     "SELECT string_agg(m.namn || ' ' || u.skickat, ', ') FROM u"),
    ("SELECT * FROM h WHERE h.arende_id IN (SELECT value FROM json_each(?))",
     "SELECT * FROM h WHERE h.arende_id IN (SELECT value::bigint FROM jsonb_array_elements_text(%s::jsonb) AS value)"),
    ("SELECT 1 FROM andring WHERE json_extract(efter, '$.status') = 'avslutat'",
     "SELECT 1 FROM andring WHERE (efter::jsonb ->> 'status') = 'avslutat'"),
    ("SELECT 1 FROM andring WHERE json_extract(fore, '$.id') = ? AND json_extract(efter, '$.x') IS NOT NULL",
     "SELECT 1 FROM andring WHERE (fore::jsonb ->> 'id') = %s::text AND (efter::jsonb ->> 'x') IS NOT NULL"),
    ("SELECT json_extract(m.value, '$.namn') FROM b, json_each(b.t, '$.beslutet_skickas_till') m WHERE 1",
     "SELECT (m.value::jsonb ->> 'namn') FROM b, jsonb_array_elements(b.t::jsonb -> 'beslutet_skickas_till') AS m(value) "
     "WHERE 1"),
    ("SELECT id FROM s WHERE (? IS NULL OR datum < ?) AND ? IS NOT NULL",
     "SELECT id FROM s WHERE (%s::text IS NULL OR datum < %s) AND %s::text IS NOT NULL"),
    ("SELECT x FROM g WHERE g.arende_id = :arende OR (s.id = :meeting AND s.tid = '13:00')",
     "SELECT x FROM g WHERE g.arende_id = %(arende)s OR (s.id = %(meeting)s AND s.tid = '13:00')"),
    ("SELECT 1 WHERE s.datum < date('now', 'localtime')",
     "SELECT 1 WHERE s.datum < to_char(localtimestamp, 'YYYY-MM-DD')"),
    ("SELECT a.id FROM arende a ORDER BY a.ar DESC, a.lopnr DESC, a.namn ASC",
     "SELECT a.id FROM arende a ORDER BY a.ar DESC NULLS LAST, a.lopnr DESC NULLS LAST, a.namn ASC NULLS FIRST"),
    ("SELECT x FROM t ORDER BY x DESC NULLS FIRST", "SELECT x FROM t ORDER BY x DESC NULLS FIRST"),
])
def test_statements_in_postgresql_dialect(sqlite, postgresql):
    assert to_postgresql(sqlite) == (postgresql, False)


def test_numbered_parameters_are_passed_by_name():
    text, numbered = to_postgresql("SELECT x FROM t WHERE a = ?1 AND b = ?2 OR c = ?1")
    assert (text, numbered) == ("SELECT x FROM t WHERE a = %(p1)s AND b = %(p2)s OR c = %(p1)s", True)
    assert parameters((7, "x"), numbered) == {"p1": 7, "p2": "x"}
    assert parameters((7, "x"), False) == [7, "x"]


def test_mixed_numbered_and_plain_parameters_are_refused():
    with pytest.raises(ValueError, match="blandar"):
        to_postgresql("SELECT 1 WHERE a = ?1 AND b = ?")
