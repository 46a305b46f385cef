"""Where the servers' time goes under load: py-spy samples the real Rasa server and action
server while conversations run through the REST channel.

``python -m benchmarks.profile [--concurrency 10] [--seconds 30] [--out artifacts/profile]``

Both servers start as in ``benchmarks.serving`` (``bot.launcher``, loopback, a seeded SQLite
catalogue and stored conversations of their own in a temporary directory, the production
model). After a warm-up, ``py-spy record`` (raw, 200 samples a second, idle threads left out)
samples each server for ``--seconds`` while ``--concurrency`` closed-loop conversations run.
Each sampled stack is put in the first of ``CATEGORIES`` one of its frames belongs to, so
the table says what share of the busy time each part of the work took; the raw stacks
(collapsed-stack format: flamegraph.pl or https://www.speedscope.app read them) are written to
``--out``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from benchmarks.serving import (
    REQUEST_TIMEOUT,
    SCRIPTS,
    conversation_load,
    free_port,
    seeded_catalogue,
)
from bot.launcher import (
    MODEL_PATH,
    System,
    model_is_current,
    start_action_server,
    start_rasa_server,
)

PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 200
# (name, markers): a stack belongs to the first category one of whose markers is in one of
# its frames. The most specific first: the response check runs inside the action call.
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("action response check (jsonschema)", ("jsonschema/",)),
    ("TEDPolicy", ("ted_policy.py",)),
    ("RulePolicy and memoization", ("rule_policy.py", "memoization.py")),
    ("policy featurization and ensemble", ("rasa/core/featurizers/", "rasa/core/policies/",
                                           "rasa/core/policies/ensemble.py")),
    ("NLU (tokenizer, spaCy, featurizers, DIET, our components)", (
        "rasa/nlu/", "spacy/", "thinc/", "bot/nlu/", "bot/text/", "voikko")),
    ("stored conversations (tracker store, redaction, SQLite)", (
        "tracker_store.py", "bot/conversations/", "sqlalchemy/", "sqlite3")),
    ("lock store", ("lock_store.py",)),
    ("action server call (tracker to JSON, HTTP)", (
        "rasa/core/actions/action.py", "aiohttp/", "rasa/utils/endpoints.py")),
    ("tracker and events (Rasa's own bookkeeping)", ("rasa/shared/core/",)),
    ("TensorFlow outside a policy or component", ("tensorflow/",)),
    ("channel, Sanic, asyncio", ("sanic", "asyncio/", "bot/channels.py", "bot/message_guard",
                                 "rasa/core/channels/")),
]
OTHER = "other"
# The action server's own parts.
ACTION_CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("answer composition and catalogue queries (bot.guidance, SQL)", (
        "bot/guidance.py", "bot/answers/", "bot/catalogue/", "sqlalchemy/", "sqlite3")),
    ("Finnish text (Voikko, gazetteer)", ("bot/text/", "voikko")),
    ("rasa-sdk: request, tracker, JSON", ("rasa_sdk/", "json/", "ujson")),
    ("Sanic, asyncio, threads", ("sanic", "asyncio/", "threading.py", "concurrent/")),
]


def categorised(raw: Path, categories: list[tuple[str, tuple[str, ...]]]) -> dict:
    """Samples per category and the functions with most samples (self and total)."""
    by_category: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        samples += n
        frames = stack.split(";")
        name = next((c for c, markers in categories
                     if any(m in f for f in frames for m in markers)), OTHER)
        by_category[name] += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    return {
        "samples": samples,
        "categories": {c: by_category[c] for c, _ in [*categories, (OTHER, ())]
                       if by_category[c]},
        "top_self": own.most_common(15),
        "top_total": [(f, n) for f, n in total.most_common(40)
                      if not f.startswith(("<module>", "_run_module", "run ("))][:20],
    }


def record(pid: int, seconds: float, out: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE), "--duration",
         str(int(seconds)), "--format", "raw", "--output", str(out / f"{name}.txt"),
         "--nonblocking", "--subprocesses"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def profile(concurrency: int, seconds: float, out: Path) -> dict:
    if not PY_SPY.exists():
        sys.exit(f"py-spy is missing ({PY_SPY}): run scripts/setup.sh")
    if not model_is_current():
        sys.exit("The model is stale or missing: run `make run` or `python -m bot.cli train`.")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'catalogue.sqlite3'}"
        seeded_catalogue(url)
        env = {"DATABASE_URL": url, "RASA_TELEMETRY_ENABLED": "false",
               "CONVERSATIONS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'conversations.sqlite3'}"}
        action_port, rasa_port = free_port(), free_port()
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        system = System()
        try:
            action = start_action_server(action_port, env)
            system.processes.append(action)
            rasa = start_rasa_server(rasa_port, action_port, env, model=MODEL_PATH)
            system.processes.append(rasa)
            for script in SCRIPTS:  # warm-up
                sender = f"warm-{uuid.uuid4()}"
                for text in script:
                    httpx.post(f"{rasa_url}/webhooks/rest/webhook",
                               json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT)
            spies = [record(rasa.popen.pid, seconds, out, "rasa-server"),
                     record(action.popen.pid, seconds, out, "action-server")]
            time.sleep(1)  # py-spy attaches
            load = asyncio.run(conversation_load(rasa_url, concurrency, 100_000, seconds - 2))
            for spy in spies:
                _, error = spy.communicate(timeout=seconds + 60)
                if spy.returncode:
                    sys.exit(f"py-spy failed: {error.decode(errors='replace')[-500:]}")
        finally:
            system.stop()
    return {
        "concurrency": concurrency,
        "seconds": seconds,
        "load": {k: load[k] for k in ("messages", "messages_per_second", "errors", "latency")},
        "rasa_server": categorised(out / "rasa-server.txt", CATEGORIES),
        "action_server": categorised(out / "action-server.txt", ACTION_CATEGORIES),
    }


def report(result: dict) -> str:
    lines = [f"py-spy, {RATE} samples/s, {result['concurrency']} concurrent conversations for "
             f"{result['seconds']:.0f} s: {result['load']['messages']} messages, "
             f"{result['load']['messages_per_second']:.1f} msgs/s, "
             f"p95 {result['load']['latency']['p95_ms']:.0f} ms, "
             f"{result['load']['errors']} errors", ""]
    for server in ("rasa_server", "action_server"):
        data = result[server]
        lines += [f"{server}: {data['samples']} busy samples", "",
                  "| part of the work | share of busy samples |", "|---|---|"]
        for name, n in sorted(data["categories"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {name} | {100 * n / max(1, data['samples']):.1f} % |")
        lines += ["", "most samples in the function itself:"]
        lines += [f"  {100 * n / max(1, data['samples']):5.1f} %  {f}" for f, n in data["top_self"]]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--out", type=Path, default=Path("artifacts/profile"))
    args = parser.parse_args(argv)
    result = profile(args.concurrency, args.seconds, args.out)
    (args.out / "profile.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(report(result))


if __name__ == "__main__":
    main()
