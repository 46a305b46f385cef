"""Throughput of the production set with one Rasa replica and with two, side by side.

``python -m benchmarks.replicas [--users 20] [--seconds 45]`` starts the production set
(``bot.production``) on free ports in a temporary directory, runs the contact-request journey
of ``locustfile.py`` through nginx, closed loop, first with ``rasa-2`` stopped and then with
both replicas, and prints a table (requests/s, p50, p95, errors, journeys confirmed) with the
two-replica figures as ratios of the one-replica ones. Everything runs on this machine: on 2
cores the replicas share the same CPU that nginx, PostgreSQL, the action servers and locust
use, so the ratio shows what a second replica buys on one machine, not on two.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
from pathlib import Path

from benchmarks.load import LoadResult, run_load
from bot.launcher import train
from bot.production.layout import Layout
from bot.production.system import start


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _layout(root: Path) -> Layout:
    p = _free_ports(9)
    return Layout(root=root, public_host="127.0.0.1", public_port=p[0],
                  public_url=f"http://127.0.0.1:{p[0]}", rasa_ports=(p[1], p[2]),
                  action_ports=(p[3], p[4]), actions_entry_port=p[5], web_port=p[6],
                  postgres_port=p[7], redis_port=p[8])


def _row(label: str, result: LoadResult, base: LoadResult | None) -> str:
    confirmed = sum(o["outcome"] == "confirmed" for o in result.outcomes)

    def times(value: float, base_value: float | None) -> str:
        return f" ({value / base_value:.2f}×)" if base_value else ""

    return (
        f"| {label} | {result.requests_per_second:.1f}"
        f"{times(result.requests_per_second, base and base.requests_per_second)}"
        f" | {result.p50_ms:.0f} | {result.p95_ms:.0f}"
        f"{times(result.p95_ms, base and base.p95_ms)} | {result.failures} / {result.requests}"
        f" | {confirmed} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.replicas", description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=45)
    args = parser.parse_args(argv)
    train(force=False)
    root = Path(tempfile.mkdtemp(prefix="ikaneuvo-replicas-"))
    root.chmod(0o755)
    system = start(_layout(root / "production"), say=lambda _line: None)
    try:
        system.ctl("stop", "rasa-2")
        one = run_load(system.layout.local_url, args.users, args.seconds, root / "one",
                       rest_token=system.rest_token)
        system.ctl("start", "rasa-2")
        system.wait_running("rasa-2")
        two = run_load(system.layout.local_url, args.users, args.seconds, root / "two",
                       rest_token=system.rest_token)
    finally:
        system.stop()
    print(f"{args.users} concurrent conversations, closed loop, {args.seconds} s each")
    print("| Rasa replicas | requests/s | p50 ms | p95 ms | errors / requests | "
          "journeys confirmed |")
    print("|---|---|---|---|---|---|")
    print(_row("1", one, None))
    print(_row("2", two, one))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
