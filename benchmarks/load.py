"""Run ``locustfile.py`` against a running set and read what it measured.

Locust runs in a process of its own (it patches the standard library for gevent), so this
module imports neither locust nor gevent and can be imported by pytest.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bot.config import PROJECT_ROOT

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# Where locustfile.py appends its journeys, one JSON line each.
OUTCOMES_ENV = "IKANEUVO_LOAD_OUTCOMES"
REST_TOKEN_ENV = "IKANEUVO_LOAD_REST_TOKEN"
# Seconds locust's users get to end the journey they are in after the run time.
STOP_TIMEOUT_SECONDS = 35
# Locust exits with 1 when some requests failed, which a load test allows.
ALLOWED_EXIT_CODES = (0, 1)
LOG_TAIL_LINES = 40


class LoadRunError(RuntimeError):
    """Locust did not run to the end, or its users raised errors of their own."""


@dataclass
class LoadResult:
    outcomes: list[dict]  # one per journey, as locustfile.py writes them
    requests: int  # locust's "Aggregated" row
    failures: int
    p50_ms: float
    p95_ms: float
    requests_per_second: float
    summary: str


def run_load(
    base_url: str,
    users: int,
    seconds: int,
    workdir: Path,
    halfway: Callable[[], None] | None = None,
    spawn_rate: float = 10,
    rest_token: str | None = None,
) -> LoadResult:
    """``users`` relatives asking for call backs through ``base_url`` for ``seconds``.

    ``halfway`` is called here, in this process, ``seconds / 2`` after locust started.
    Files go to ``workdir``: ``locust.log``, ``outcomes.jsonl`` and locust's ``load_*.csv``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    outcomes_path = workdir / "outcomes.jsonl"
    stats_path = workdir / "load_stats.csv"
    exceptions_path = workdir / "load_exceptions.csv"
    log_path = workdir / "locust.log"
    for earlier in (outcomes_path, stats_path, exceptions_path):
        earlier.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "locust",
        "-f", str(LOCUSTFILE.relative_to(PROJECT_ROOT)),
        "--headless",
        "-u", str(users),
        "-r", str(spawn_rate),
        "-t", f"{seconds}s",
        "--host", base_url.rstrip("/"),
        "--csv", str(workdir / "load"),
        "--only-summary",
        "--stop-timeout", str(STOP_TIMEOUT_SECONDS),
    ]  # fmt: skip
    env = {**os.environ, OUTCOMES_ENV: str(outcomes_path)}
    if rest_token:
        # The production run's REST channel takes only callers with its token.
        env[REST_TOKEN_ENV] = rest_token
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            if halfway is not None:
                _call_halfway(process, halfway, started + seconds / 2, log_path)
            code = process.wait(timeout=max(0.0, started + seconds + 120 - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise LoadRunError(f"locust did not end in time\n{_tail(log_path)}") from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if code not in ALLOWED_EXIT_CODES or not stats_path.exists():
        raise LoadRunError(f"locust exited with {code}\n{_tail(log_path)}")
    errors = _user_errors(exceptions_path)
    if errors:
        raise LoadRunError("locust's users raised errors:\n" + "\n".join(errors))

    aggregated = _aggregated_row(stats_path)
    outcomes = _read_outcomes(outcomes_path)
    result = LoadResult(
        outcomes=outcomes,
        requests=int(aggregated["Request Count"]),
        failures=int(aggregated["Failure Count"]),
        p50_ms=_number(aggregated["50%"]),
        p95_ms=_number(aggregated["95%"]),
        requests_per_second=_number(aggregated["Requests/s"]),
        summary="",
    )
    result.summary = _summary(result, base_url, users, seconds)
    return result


def _call_halfway(
    process: subprocess.Popen, halfway: Callable[[], None], at: float, log_path: Path
) -> None:
    try:
        code = process.wait(timeout=max(0.0, at - time.monotonic()))
    except subprocess.TimeoutExpired:
        halfway()
        return
    raise LoadRunError(f"locust exited with {code} before half-way\n{_tail(log_path)}")


def _aggregated_row(stats_path: Path) -> dict[str, str]:
    with open(stats_path, newline="", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                return row
    raise LoadRunError(f"no Aggregated row in {stats_path}")


def _user_errors(exceptions_path: Path) -> list[str]:
    """Exceptions raised in the users' own code (a fault in the locustfile, not the set)."""
    if not exceptions_path.exists():
        return []
    with open(exceptions_path, newline="", encoding="utf-8") as exceptions:
        return [f"{row['Count']}x {row['Traceback']}" for row in csv.DictReader(exceptions)]


def _read_outcomes(outcomes_path: Path) -> list[dict]:
    if not outcomes_path.exists():
        return []
    lines = outcomes_path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _number(value: str) -> float:
    """Locust writes "N/A" where a step had no requests."""
    try:
        return float(value)
    except ValueError:
        return math.nan


def _summary(result: LoadResult, base_url: str, users: int, seconds: int) -> str:
    share = result.failures / result.requests if result.requests else 0.0
    by_outcome = Counter(o["outcome"] for o in result.outcomes)
    replicas = Counter(r for o in result.outcomes for r in o["replicas"])
    retries = sum(o["retries"] for o in result.outcomes)
    journeys = ", ".join(
        f"{outcome} {by_outcome[outcome]}"
        for outcome in ("confirmed", "not_confirmed", "abandoned")
    )
    seen = ", ".join(f"{name} {count}" for name, count in sorted(replicas.items())) or "none"
    return "\n".join(
        [
            f"load: {users} users for {seconds} s against {base_url}",
            f"requests {result.requests}, failures {result.failures} ({share:.1%}),"
            f" retries {retries}",
            f"response time p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms,"
            f" {result.requests_per_second:.1f} requests/s",
            f"journeys {len(result.outcomes)}: {journeys}",
            f"answers by replica: {seen}",
        ]
    )


def _tail(log_path: Path) -> str:
    if not log_path.exists():
        return ""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])
