"""Diary search and the whole diary on a server store, as the register's owner and as the roles people log in as.

    .venv/bin/python benchmarks/server_search_benchmark.py --dsn postgresql://agare@/tioar?host=/tmp/sock \\
        --role sara --role lars [--runs 5]

``--dsn`` is a migrated ten-year register (benchmarks/make_store.py, then ``namndtool migrate --to``), reached as
its owner (who bypasses row-level security: the floor the roles are measured against); each ``--role`` is a login
made with ``namndtool admin add-user`` that connects the same way without a password (trust or .pgpass). Row-level
security, the secret ärenden a role may see and the server's read log all apply to a role, so its figures are what a
sekreterare or a läsare waits for in the diary.

Per login: the 200 realistic queries of store_benchmarks.py (made once, as the owner, so every login gets the same
ones), each run once untimed and then --runs times, p50/p95/max of the per-query medians (``arende_ids(search=…)``,
the query only); the whole diary newest first read anew (``arende_ids()`` with its cache dropped, as after any
change anywhere); the broad searches of store_benchmarks.WORST_CASES; and how many rows of the read log
(``serverlasning``) the login's run wrote.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from store_benchmarks import WORST_CASES, percentile, realistic_queries  # noqa: E402

from nämndtool.store import Store  # noqa: E402

TARGETS = {"search_p95_ms": 100.0, "whole_diary_ms": 150.0}


def as_login(dsn: str, login: str) -> str:
    """``dsn`` with another user and no password (the login's own .pgpass or the server's trust decides)."""
    parts = urlsplit(dsn)
    where = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(login, safe='')}@{where}"))


def median_ms(work, runs: int) -> tuple[float, object]:
    """The median of ``runs`` timed calls after one untimed one, and the result of the last."""
    result = work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def whole_diary(store) -> list[int]:
    """The diary's ids newest first, read from the server (the store's cache dropped first)."""
    store.__dict__.pop("_diary_order_cache", None)
    return store.arende_ids()


def log_rows(owner_dsn: str, login: str) -> int:
    with psycopg.connect(owner_dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM serverlasning WHERE inloggning = %s", (login,)).fetchone()[0]


def measure(dsn: str, queries: list[str], runs: int) -> dict:
    """Every figure for one connection string."""
    with Store.open(dsn, create=False) as store:
        per_query = {q: median_ms(lambda q=q: store.arende_ids(search=q), runs) for q in queries}
        medians = [ms for ms, _ in per_query.values()]
        diary_ms, diary = median_ms(lambda: whole_diary(store), runs)
        worst = {q: median_ms(lambda q=q: store.arende_ids(search=q), runs) for q in WORST_CASES}
    return {"p50": percentile(medians, 50), "p95": percentile(medians, 95), "max": max(medians),
            "hits_median": statistics.median(len(ids) for _, ids in per_query.values()),
            "slowest": sorted(((ms, q, len(ids)) for q, (ms, ids) in per_query.items()), reverse=True)[:5],
            "diary_ms": diary_ms, "diary_rows": len(diary),
            "worst": {q: (ms, len(ids)) for q, (ms, ids) in worst.items()}}


def verdict(value: float, target: float) -> str:
    return "ok" if value < target else "ÖVER MÅLET"


def report(name: str, result: dict, logged: int | None, note: str) -> str:
    lines = [f"## {name}",
             f"sökning, {note}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms "
             f"({verdict(result['p95'], TARGETS['search_p95_ms'])}, mål < {TARGETS['search_p95_ms']:.0f}), "
             f"max {result['max']:.1f} ms; träffar median {result['hits_median']:.0f}",
             f"hela diariet: {result['diary_ms']:.1f} ms, {result['diary_rows']} ärenden "
             f"({verdict(result['diary_ms'], TARGETS['whole_diary_ms'])}, mål < {TARGETS['whole_diary_ms']:.0f})",
             "långsammast: " + ", ".join(f"{q!r} {ms:.1f} ms ({hits})" for ms, q, hits in result["slowest"]),
             "breda sökningar: " + ", ".join(f"{q!r} {ms:.1f} ms ({hits})" for q, (ms, hits) in result["worst"].items())]
    if logged is not None:
        lines.append(f"läsloggen (serverlasning): {logged} nya rader under körningen")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Diariets sökning och hela diariet på ett delat register, per roll.")
    parser.add_argument("--dsn", required=True, help="the migrated ten-year register, as its owner")
    parser.add_argument("--role", action="append", default=[], help="a login to measure as (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (after one untimed run)")
    parser.add_argument("--skip-owner", action="store_true", help="do not measure as the owner")
    args = parser.parse_args(argv)
    with Store.open(args.dsn, create=False) as owner:
        queries = realistic_queries(owner)
    note = f"{len(queries)} realistiska frågor, median av {args.runs} körningar per fråga"
    if not args.skip_owner:
        print(report("ägaren (utan radsäkerhet)", measure(args.dsn, queries, args.runs), None, note), flush=True)
    for login in args.role:
        before = log_rows(args.dsn, login)
        result = measure(as_login(args.dsn, login), queries, args.runs)
        print("\n" + report(login, result, log_rows(args.dsn, login) - before, note), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
