"""The store's SQL is written once, for SQLite; this turns a statement into PostgreSQL's dialect.

The store modules keep one text per query (one source of truth, and SQLite, the default, runs it unchanged). What
differs between the two databases in the SQL the store actually writes is small and mechanical, and handled here:

- placeholders: ``?``, ``?N`` and ``:name`` become psycopg's ``%s``, ``%(pN)s`` and ``%(name)s`` (a literal ``%``
  is doubled);
- ``x IS y`` / ``x IS NOT y`` (SQLite's null-safe comparison) become ``IS [NOT] DISTINCT FROM`` (``IS NULL`` stays);
- a parameter tested for NULL alone (``? IS NULL``) is given a type, as PostgreSQL needs one;
- ``INSERT OR IGNORE`` becomes ``INSERT … ON CONFLICT DO NOTHING``;
- ``group_concat(x, sep)`` becomes ``string_agg(x, sep)``;
- ``(SELECT value FROM json_each(?))`` (a JSON array of ids as one parameter) becomes the elements of a jsonb array;
- ``json_extract(x, '$.name')`` becomes ``(x::jsonb ->> 'name')`` (a parameter it is compared with, text), and ``json_each(x, '$.name') m`` the elements
  of that array as ``m(value)``;
- ``date('now', 'localtime')`` becomes today's date in the session's time zone, which the connection sets to the
  computer's (``server.local_zone``);
- an explicit ``DESC`` / ``ASC`` sorts NULL as SQLite does, as the smallest value (``NULLS LAST`` / ``NULLS FIRST``):
  an ärende without a number stays last in the diary's newest-first order.

Anything else that differs (full-text search, PRAGMAs, the catalog) is written per dialect where it is used, never
guessed at here. Text inside quotes and comments is never changed. Translations are kept (a store asks the same few
hundred statements again and again).
"""

import re
from functools import lru_cache

_PARAM = r"(?:%s|%\(p\d+\)s)"
_KEYWORDS = r"(?:NULL|TRUE|FALSE|DISTINCT|UNKNOWN)\b"


@lru_cache(maxsize=4096)
def to_postgresql(sql: str) -> tuple[str, bool]:
    """The statement in PostgreSQL's dialect, and whether its parameters are numbered (``?1``: passed by name)."""
    pieces, numbered = _placeholders(sql)
    text = "".join(pieces)
    text = re.sub(rf"({_PARAM})(\s+IS\s+(?:NOT\s+)?NULL\b)", r"\1::text\2", text, flags=re.IGNORECASE)
    text = re.sub(rf"\bIS\s+NOT\s+(?!{_KEYWORDS})", "IS DISTINCT FROM ", text, flags=re.IGNORECASE)
    text = re.sub(rf"\bIS\s+(?!NOT\b|{_KEYWORDS})", "IS NOT DISTINCT FROM ", text, flags=re.IGNORECASE)
    text = re.sub(rf"SELECT\s+value\s+FROM\s+json_each\(({_PARAM})\)",
                  r"SELECT value::bigint FROM jsonb_array_elements_text(\1::jsonb) AS value", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"json_each\(([\w.]+),\s*'\$\.(\w+)'\)\s+(?:AS\s+)?(\w+)",
                  r"jsonb_array_elements(\1::jsonb -> '\2') AS \3(value)", text, flags=re.IGNORECASE)
    text = re.sub(rf"json_extract\(([\w.]+),\s*'\$\.(\w+)'\)(\s*(?:=|<>|!=)\s*{_PARAM})?", _json_member, text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\bdate\('now',\s*'localtime'\)", "to_char(localtimestamp, 'YYYY-MM-DD')", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\bgroup_concat\(", "string_agg(", text, flags=re.IGNORECASE)
    text = re.sub(r"\bDESC\b(?!\s+NULLS)", "DESC NULLS LAST", text, flags=re.IGNORECASE)
    text = re.sub(r"\bASC\b(?!\s+NULLS)", "ASC NULLS FIRST", text, flags=re.IGNORECASE)
    if re.match(r"\s*INSERT\s+OR\s+IGNORE\b", text, flags=re.IGNORECASE):
        text = re.sub(r"^\s*INSERT\s+OR\s+IGNORE\b", "INSERT", text, flags=re.IGNORECASE)
        text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return text, numbered


def _json_member(match: re.Match) -> str:
    """``json_extract(x, '$.k')`` as PostgreSQL's text of the member; compared with a parameter, the parameter as
    text too (SQLite compares the member's own type, a number with a number)."""
    member = f"({match.group(1)}::jsonb ->> '{match.group(2)}')"
    return member + (match.group(3) + "::text" if match.group(3) else "")


def parameters(params, numbered: bool):
    """The parameters as psycopg takes them for a statement from :func:`to_postgresql`."""
    if isinstance(params, dict):   # :name placeholders
        return params
    if numbered:
        return {f"p{i}": value for i, value in enumerate(params, start=1)}
    return list(params)


def _placeholders(sql: str) -> tuple[list[str], bool]:
    """Replace placeholders outside quotes and comments; double every ``%`` outside them too."""
    out: list[str] = []
    numbered = False
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = _closing_quote(sql, i)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif c == "?":
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            if j > i + 1:
                out.append(f"%(p{sql[i + 1:j]})s")
                numbered = True
            else:
                out.append("%s")
            i = j
        elif c == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and (i == 0 or sql[i - 1] != ":"):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(f"%({sql[i + 1:j]})s")
            i = j
        elif c == "%":
            out.append("%%")
            i += 1
        else:
            out.append(c)
            i += 1
    if numbered and any(p == "%s" for p in out):
        raise ValueError("En SQL-sats blandar numrerade och onumrerade parametrar.")
    return out, numbered


def _closing_quote(sql: str, start: int) -> int:
    """The index just past the quoted text starting at ``start`` (a doubled quote is part of the text)."""
    quote = sql[start]
    i = start + 1
    while i < len(sql):
        if sql[i] == quote:
            if i + 1 < len(sql) and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return len(sql)
