"""Where the server store keeps file contents (issue 16, point 5): measured for a 20 MB bilaga and for both packs of
the demo meeting, against the alternatives, on one PostgreSQL database.

    .venv/bin/python benchmarks/server_files_benchmark.py --dsn postgresql://…/tom_databas [--runs 5]

The database must be empty (a throwaway one): the script makes its own tables and a server store in it.

Ways of keeping a 20 MB file's bytes, each written once and read back (a fresh read, into a local file, SHA-256
checked) — medians of --runs:

- chunks: rows of 1 MiB ``bytea`` (``fil_del``, the product's choice), written in one transaction;
- one row: the whole file as one ``bytea`` value;
- large object: ``lo_from_bytea`` / ``lo_get`` (no row-level security applies to ``pg_largeobject``);
- SQLite file folder, for scale (the default store: a file copied into the folder beside the store).

Then both packs (public and internal) of the demo meeting made from a server store with a cold local file cache
(every bilaga fetched from the server) and with a warm one, against the same meeting on an SQLite store. Prints one
table; BENCHMARKS.md keeps the figures with the machine and the command.
"""

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nämndtool.store import Store  # noqa: E402

CHUNK = 1 << 20


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _read_into(target: Path, blocks) -> str:
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for block in blocks:
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def file_ways(dsn: str, data: bytes, work: Path, runs: int) -> list[tuple[str, float, float]]:
    sha = hashlib.sha256(data).hexdigest()
    rows = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS b_del (sha256 text, nr int, data bytea, PRIMARY KEY (sha256, nr))")
        conn.execute("CREATE TABLE IF NOT EXISTS b_rad (sha256 text PRIMARY KEY, data bytea)")

        def chunks_write():
            with conn.transaction():
                conn.execute("DELETE FROM b_del")
                with conn.cursor() as cur:
                    cur.executemany("INSERT INTO b_del VALUES (%s, %s, %s)",
                                    [(sha, i // CHUNK, data[i:i + CHUNK]) for i in range(0, len(data), CHUNK)])

        def chunks_read():
            count = conn.execute("SELECT count(*) FROM b_del WHERE sha256 = %s", (sha,)).fetchone()[0]
            blocks = (conn.execute("SELECT data FROM b_del WHERE sha256 = %s AND nr = %s", (sha, n)).fetchone()[0]
                      for n in range(count))
            assert _read_into(work / "ut", blocks) == sha

        def row_write():
            with conn.transaction():
                conn.execute("DELETE FROM b_rad")
                conn.execute("INSERT INTO b_rad VALUES (%s, %s)", (sha, data))

        def row_read():
            assert _read_into(work / "ut", [conn.execute("SELECT data FROM b_rad WHERE sha256 = %s",
                                                         (sha,)).fetchone()[0]]) == sha

        oid = []

        def lo_write():
            with conn.transaction():
                if oid:
                    conn.execute("SELECT lo_unlink(%s)", (oid.pop(),))
                oid.append(conn.execute("SELECT lo_from_bytea(0, %s)", (data,)).fetchone()[0])

        def lo_read():
            blocks = (conn.execute("SELECT lo_get(%s, %s, %s)", (oid[0], i, CHUNK)).fetchone()[0]
                      for i in range(0, len(data), CHUNK))
            assert _read_into(work / "ut", blocks) == sha

        for name, write, read in (("bitar om 1 MiB (valt)", chunks_write, chunks_read),
                                  ("en rad bytea", row_write, row_read), ("large object", lo_write, lo_read)):
            rows.append((name, _median(runs, write), _median(runs, read)))
        if oid:
            conn.execute("SELECT lo_unlink(%s)", (oid[0],))
        conn.execute("DROP TABLE b_del, b_rad")
    source = work / "bilaga.pdf"
    source.write_bytes(data)
    with Store.open(work / "jamforelse.sqlite") as store:
        def sqlite_write():
            store._keep_bytes(source)

        def sqlite_read():
            assert _read_into(work / "ut", [store.file_path(sha).read_bytes()]) == sha
        rows.append(("SQLite: filmappen", _median(runs, sqlite_write), _median(runs, sqlite_read)))
    return rows


def packs(dsn: str, work: Path, runs: int) -> list[tuple[str, float]]:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.pack import build_pack
    from nämndtool.exchange.importer import import_meeting
    from nämndtool.assets import resource

    SAMPLE_JSON = Path(str(resource("demo"))) / "meeting-2023.json"

    branding = load_branding()
    results = []
    with Store.open(work / "pack.sqlite") as store:
        meeting = import_meeting(store, SAMPLE_JSON).meeting_id
        results.append(("SQLite-register", _median(runs, lambda: _both(store, meeting, branding, build_pack))))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    with Store.open(dsn) as server:
        meeting = import_meeting(server, SAMPLE_JSON).meeting_id

        def cold():
            for found in (work / "cache").rglob("filer"):
                for f in found.rglob("*"):
                    if f.is_file():
                        f.unlink()
            _both(server, meeting, branding, build_pack)
        results.append(("delat register, tom lokal filcache", _median(runs, cold)))
        results.append(("delat register, filerna redan hämtade",
                        _median(runs, lambda: _both(server, meeting, branding, build_pack))))
    return results


def _both(store, meeting, branding, build_pack) -> None:
    """Both packs with one in-memory part cache and none on disk: every run renders and reads alike."""
    from nämndtool.documents.pack import PartCache

    cache = PartCache()
    for public in (True, False):
        build_pack(store, meeting, public, branding, cache=cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="en tom PostgreSQL-databas som skriptet får använda")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = os.urandom(20 * 1000 * 1000)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"{'20 MB bilaga':40} {'skriva ms':>10} {'läsa ms':>10}")
        for name, write, read in file_ways(args.dsn, data, work, args.runs):
            print(f"{name:40} {write:10.0f} {read:10.0f}")
        print(f"\n{'båda handlingarna, demomötet':40} {'ms':>10}")
        for name, ms in packs(args.dsn, work, args.runs):
            print(f"{name:40} {ms:10.0f}")


if __name__ == "__main__":
    main()
