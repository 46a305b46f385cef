"""Catalogue search at growing catalogue sizes, on SQLite and on PostgreSQL.

The seed catalogue plus synthetic services (benchmarks/synthetic_catalogue.py), grown in
steps (1k → 10k → 100k services) in one database per engine. At each step every query of a
fixed, seeded set runs once through ``bot.catalogue.search.search_services`` in a session of its
own, as an answer does; the per-query wall time includes opening the session. The CPU time
of the benchmark's process per query is reported beside it (for SQLite that is all the work;
for PostgreSQL the server's share is not in it), as it is less disturbed by other work on the
same cores. The first query after a step loads the search vocabulary (it is cached per
catalogue revision) and is reported apart, as "first query after a change".
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, select, text

from benchmarks.stats import latency_summary
from benchmarks.synthetic_catalogue import (
    generate_queries,
    generate_services,
    insert_services,
    municipality_codes,
)
from bot.catalogue.models import SearchTerm, Service
from bot.catalogue.search import query_terms, search_services
from bot.catalogue.seed import load_seed
from bot.db import get_engine, session_scope
from bot.db.migrate import migrate

SEED = 6
WARM_UP_QUERIES = 5


@contextmanager
def catalogue_database(kind: str, workdir: Path) -> Iterator[str]:
    """A migrated and seeded catalogue of its own; yields its URL."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'search-benchmark.sqlite3'}"
        _seed(url)
        yield url
    elif kind == "postgresql":
        from tests.support.postgres import postgres_server

        with postgres_server("search_benchmark") as url:
            _seed(url)
            yield url
    else:
        raise ValueError(f"unknown database {kind!r}")


def _seed(url: str) -> None:
    migrate(url)
    with session_scope(get_engine(url)) as session:
        load_seed(session)


def _analyze(url: str) -> None:
    """PostgreSQL's autovacuum analyses a table soon after a bulk load; do it now."""
    if url.startswith("postgresql"):
        with get_engine(url).connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text("VACUUM ANALYZE"))


def measure_step(url: str, queries) -> dict:
    engine = get_engine(url)

    def one(query) -> tuple[float, float, int]:
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            hits = search_services(session, query.text, query.municipality_code)
        return time.perf_counter() - started, time.process_time() - cpu, len(hits)

    first, _, _ = one(queries[0])
    for query in queries[1:WARM_UP_QUERIES]:
        one(query)
    timings, cpu_timings, found = [], [], 0
    by_kind: dict[str, list[float]] = {}
    for query in queries:
        seconds, cpu_seconds, hits = one(query)
        timings.append(seconds)
        cpu_timings.append(cpu_seconds)
        found += hits > 0
        by_kind.setdefault(query.kind, []).append(seconds)
    term_timings = []
    with session_scope(engine) as session:
        for query in queries:
            started = time.perf_counter()
            query_terms(session, query.text)
            term_timings.append(time.perf_counter() - started)
    return {
        "first_query_after_change_ms": first * 1000,
        "latency": latency_summary(timings),
        # CPU time of this process per query: SQLite's work and all of the Python side, not
        # PostgreSQL's server; less disturbed than wall time when other work shares the cores.
        "cpu": latency_summary(cpu_timings),
        "query_terms_latency": latency_summary(term_timings),
        "by_query_kind": {kind: latency_summary(t) for kind, t in by_kind.items()},
        "queries_with_hits": found,
    }


def run_catalogue_search(sizes: tuple[int, ...], databases: tuple[str, ...],
                         query_count: int, workdir: Path | None = None) -> dict:
    results: dict = {"description": __doc__.strip(), "seed": SEED, "databases": {}}
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="search-")))
        workdir.mkdir(parents=True, exist_ok=True)
        for kind in databases:
            steps = []
            with catalogue_database(kind, workdir) as url:
                engine = get_engine(url)
                codes = municipality_codes(engine)
                queries = generate_queries(query_count, codes, SEED)
                have = 0
                for size in sizes:
                    started = time.perf_counter()
                    term_rows = insert_services(
                        engine, generate_services(size - have, codes, SEED, start=have)
                    )
                    _analyze(url)
                    insert_seconds = time.perf_counter() - started
                    have = size
                    with engine.connect() as connection:
                        services = connection.execute(select(func.count(Service.id))).scalar()
                        terms = connection.execute(select(func.count(SearchTerm.id))).scalar()
                        vocabulary = connection.execute(
                            select(func.count(func.distinct(SearchTerm.term)))
                        ).scalar()
                    steps.append({
                        "synthetic_services": size,
                        "services": services,
                        "search_terms": terms,
                        "distinct_terms": vocabulary,
                        "insert_seconds": insert_seconds,
                        "inserted_search_terms": term_rows,
                        "queries": len(queries),
                        **measure_step(url, queries),
                    })
                engine.dispose()
            results["databases"][kind] = steps
    return results
