"""Latency, throughput and footprint of the real system: Rasa server + action server + catalogue.

Both servers start with ``bot.launcher`` on free loopback ports, over a seeded SQLite catalogue
of their own in a temporary directory, serving the production model when it is current
(``bot.launcher.model_is_current()``), else a model this run trains into its temporary directory.

- Cold start: from launching the action server (the order of ``make run``) until the first
  answer through the REST channel has arrived.
- Load: at each concurrency level, that many workers hold conversations through the REST
  channel (``/webhooks/rest/webhook``), each a realistic multi-turn script with a new sender,
  one message at a time (the next is sent when the answer has come). The number of
  conversations is bounded, and no new one starts after the level's time limit. Every
  message's wall time is kept (all samples, no histogram buckets).
- NLU alone: the same messages to ``/model/parse`` (with the API token) at the same
  concurrency, so the ratio shows what the dialogue, the action server and the catalogue add.
- Footprint: resident memory (RSS) of each server with its children, after start and at the
  peak under load (sampled every 0.25 s); CPU seconds each server used per level.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import psutil

from benchmarks.stats import latency_summary, ratio
from bot.action_server import SECRET_HEADER
from bot.config import settings
from bot.launcher import (
    MODEL_PATH,
    Process,
    System,
    model_is_current,
    quiet_env,
    rasa_executable,
    start_action_server,
    start_rasa_server,
)
from bot.rasa_server import api_token

# Conversations as older people and relatives write them: several turns, each answered from
# the catalogue or by a rule. The README's examples among them.
SCRIPTS: list[list[str]] = [
    ["Paljonko turvapuhelin maksaa", "asun sodankylässä", "onko palveluohjaus auki nyt"],
    ["hei", "Tarvitsen apua kotiin, asun Kemijärvellä", "miten haen kotihoitoa", "kiitos"],
    ["Äiti ei enää pärjää yksin Sodankylässä mitä teen", "paljonko se maksaa",
     "mikä on palveluohjauksen numero"],
    ["mikä on omaishoidon tuki", "kuka sitä voi saada", "asun rovaniemellä", "kiitos hei"],
    ["isä tarvitsis ruokaa kotiin", "asumme tervolassa", "onko ateriapalvelu maksullinen"],
    ["Mikä on huomisen sää", "entä kotisairaanhoito", "asun inarissa"],
    ["paljonko kotihoito maksaa", "Mieheni kaatui eikä pääse ylös"],
    ["asun Oulussa", "mistä saan apua muistiongelmiin", "Ranualla"],
]
SAMPLE_SECONDS = 0.25
REQUEST_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeded_catalogue(url: str) -> None:
    from bot.catalogue.seed import load_seed
    from bot.db import get_engine, session_scope
    from bot.db.migrate import migrate

    migrate(url)
    with session_scope(get_engine(url)) as session:
        load_seed(session)


def serving_model(size, workdir: Path) -> dict:
    """The production model when current, else one trained here (never into models/)."""
    if model_is_current():
        return {"path": MODEL_PATH, "source": "production model models/ikaneuvo.tar.gz (current)",
                "train_seconds": None}
    from benchmarks.nlu_quality import pipeline_config

    config = pipeline_config("ikaneuvo", size.epochs, workdir)
    out = workdir / "serving-model"
    command = [
        rasa_executable(), "train", "--config", str(config), "--domain", "domain.yml",
        "--data", "data/nlu", "data/dialogue", "--out", str(out),
        "--fixed-model-name", "ikaneuvo-benchmark", "--force",
    ]
    print("  the production model is missing or stale: training one for this run", flush=True)
    started = time.perf_counter()
    log = workdir / "serving-train.log"
    with open(log, "wb") as output:
        subprocess.run(command, cwd=Path(MODEL_PATH).parents[1], check=True, stdout=output,
                       stderr=subprocess.STDOUT, env=quiet_env({"RASA_MAX_CACHE_SIZE": "0"}))
    return {
        "path": out / "ikaneuvo-benchmark.tar.gz",
        "source": f"trained in this run from {config.name} (the production model was stale)",
        "train_seconds": time.perf_counter() - started,
    }


def process_tree(process: Process) -> list[psutil.Process]:
    root = psutil.Process(process.popen.pid)
    return [root] + root.children(recursive=True)


def rss_megabytes(process: Process) -> float:
    total = 0
    for p in process_tree(process):
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1e6


def cpu_seconds(process: Process) -> float:
    total = 0.0
    for p in process_tree(process):
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


class PeakMemory:
    """Samples the RSS of the servers in a thread while a load runs."""

    def __init__(self, processes: dict[str, Process]) -> None:
        self.processes = processes
        self.peak = {name: 0.0 for name in processes}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, process in self.processes.items():
                self.peak[name] = max(self.peak[name], rss_megabytes(process))
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


async def _send(client: httpx.AsyncClient, url: str, payload: dict, headers: dict | None,
                latencies: list[float], errors: dict[str, int], needs_answer: bool) -> None:
    started = time.perf_counter()
    try:
        response = await client.post(url, json=payload, headers=headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            kind = f"HTTP {response.status_code}"
            errors[kind] = errors.get(kind, 0) + 1
            return
        body = response.json()
        if needs_answer and not body:
            errors["empty answer"] = errors.get("empty answer", 0) + 1
            return
        latencies.append(elapsed)
    except (httpx.HTTPError, ValueError) as error:
        kind = type(error).__name__
        errors[kind] = errors.get(kind, 0) + 1


async def conversation_load(rasa_url: str, concurrency: int, conversations: int,
                            seconds: float) -> dict:
    """``concurrency`` workers hold ``conversations`` scripted conversations in all."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    next_conversation = iter(range(conversations))
    deadline = time.perf_counter() + seconds
    held = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal held
        for n in next_conversation:
            if time.perf_counter() > deadline:
                return
            held += 1
            sender = f"bench-{uuid.uuid4()}"
            for text in SCRIPTS[n % len(SCRIPTS)]:
                await _send(client, f"{rasa_url}/webhooks/rest/webhook",
                            {"sender": sender, "message": text}, None, latencies, errors, True)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return _level(latencies, errors, wall, conversations=held)


async def parse_load(rasa_url: str, token: str, concurrency: int, messages: int) -> dict:
    """``concurrency`` workers send ``messages`` of the scripts to /model/parse in all."""
    texts = [t for script in SCRIPTS for t in script]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    next_message = iter(range(messages))

    async def worker(client: httpx.AsyncClient) -> None:
        for n in next_message:
            await _send(client, f"{rasa_url}/model/parse", {"text": texts[n % len(texts)]},
                        {"Authorization": f"Bearer {token}"}, latencies, errors, True)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return _level(latencies, errors, wall)


def _level(latencies: list[float], errors: dict[str, int], wall: float, **extra) -> dict:
    return {
        **extra,
        "messages": len(latencies) + sum(errors.values()),
        "latency": latency_summary(latencies),
        "messages_per_second": len(latencies) / wall if wall else None,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "wall_seconds": wall,
    }


def first_answer(rasa_url: str) -> float:
    started = time.perf_counter()
    response = httpx.post(f"{rasa_url}/webhooks/rest/webhook",
                          json={"sender": f"cold-{uuid.uuid4()}", "message": "hei"},
                          timeout=120)
    response.raise_for_status()
    if not response.json():
        raise RuntimeError("the first message got no answer")
    return time.perf_counter() - started


def dialogue_cost(model_path: Path, action_port: int, conversations: int) -> dict:
    """Where a message's time goes in the Rasa server, measured in this process.

    The same model and action server, driven through ``Agent.handle_text`` (the REST channel's
    path without HTTP): CPU per message in the Rasa process, how often the action server is
    called per message, and the same with Rasa's check of each action-server response done by
    a JSON-schema validator built once (Rasa 3.6 calls ``jsonschema.validate``, which checks
    the schema itself against the meta-schema on every call) — an experiment, not a change.
    """
    from jsonschema import Draft202012Validator
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    loading = time.perf_counter()
    agent = Agent.load(str(model_path), action_endpoint=EndpointConfig(
        f"http://127.0.0.1:{action_port}/webhook",
        headers={SECRET_HEADER: settings().action_secret}))
    load_seconds = time.perf_counter() - loading
    calls = {"n": 0}
    shipped_run, shipped_validate = RemoteAction.run, RemoteAction._validate_action_result

    async def counted_run(self, *args, **kwargs):
        calls["n"] += 1
        return await shipped_run(self, *args, **kwargs)

    async def talk() -> int:
        messages = 0
        for n in range(conversations):
            sender = f"cost-{uuid.uuid4()}"
            for text in SCRIPTS[n % len(SCRIPTS)]:
                await agent.handle_text(text, sender_id=sender)
                messages += 1
        return messages

    def measure() -> dict:
        calls["n"] = 0
        cpu, wall = time.process_time(), time.perf_counter()
        messages = asyncio.run(talk())
        return {
            "messages": messages,
            "rasa_cpu_ms_per_message": (time.process_time() - cpu) / messages * 1000,
            "wall_ms_per_message": (time.perf_counter() - wall) / messages * 1000,
            "action_server_calls_per_message": calls["n"] / messages,
        }

    validator = Draft202012Validator(RemoteAction.action_response_format_spec())

    def validate_once_built(self, result):
        validator.validate(result)
        return True

    RemoteAction.run = counted_run
    try:
        asyncio.run(talk())  # warm-up
        shipped = measure()
        RemoteAction._validate_action_result = validate_once_built
        cached = measure()
    finally:
        RemoteAction.run, RemoteAction._validate_action_result = shipped_run, shipped_validate
    return {
        "description": dialogue_cost.__doc__.strip(),
        # Loading the model in a process that has imported Rasa already: the model's share of
        # the Rasa server's start (the rest is Python imports and the HTTP server).
        "model_load_seconds": load_seconds,
        "as_shipped": shipped,
        "validator_built_once": cached,
        "cpu_ratio_validator_built_once_to_shipped": ratio(
            cached["rasa_cpu_ms_per_message"], shipped["rasa_cpu_ms_per_message"]),
    }


def run_serving(size, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    model = serving_model(size, workdir)
    url = f"sqlite:///{workdir / 'serving-catalogue.sqlite3'}"
    seeded_catalogue(url)
    env = {"DATABASE_URL": url, "RASA_TELEMETRY_ENABLED": "false"}
    action_port, rasa_port = free_port(), free_port()
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    system = System()
    result: dict = {"description": __doc__.strip(), "model": {
        "source": model["source"], "train_seconds": model["train_seconds"],
        "megabytes": Path(model["path"]).stat().st_size / 1e6,
    }}
    try:
        started = time.perf_counter()
        action = start_action_server(action_port, env)
        system.processes.append(action)
        action_ready = time.perf_counter() - started
        rasa = start_rasa_server(rasa_port, action_port, env, model=Path(model["path"]))
        system.processes.append(rasa)
        rasa_ready = time.perf_counter() - started
        first = first_answer(rasa_url)
        result["cold_start"] = {
            "action_server_ready_seconds": action_ready,
            "rasa_server_ready_seconds": rasa_ready,
            "first_answer_seconds": first,
            "to_first_answer_seconds": time.perf_counter() - started,
        }
        servers = {"rasa_server": rasa, "action_server": action}
        for script in SCRIPTS:  # warm-up: every script once, not measured
            sender = f"warm-{uuid.uuid4()}"
            for text in script:
                httpx.post(f"{rasa_url}/webhooks/rest/webhook",
                           json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT)
        result["rss_megabytes_after_start"] = {n: rss_megabytes(p) for n, p in servers.items()}
        # Rasa's API takes bearer tokens signed with the JWT secret (bot/rasa_server.py).
        token = api_token(settings().rasa_jwt_secret, lifetime_seconds=4 * 3600)
        levels = []
        for concurrency in size.concurrency:
            conversations = max(concurrency * size.conversations_per_worker,
                                size.min_conversations)
            print(f"  {concurrency} concurrent conversations ({conversations} in all)", flush=True)
            cpu_before = {n: cpu_seconds(p) for n, p in servers.items()}
            load_before = os.getloadavg()[0]
            psutil.cpu_percent()
            with PeakMemory(servers) as peak:
                webhook = asyncio.run(conversation_load(
                    rasa_url, concurrency, conversations, size.level_seconds))
            machine_cpu = psutil.cpu_percent()
            cpu_used = {n: cpu_seconds(p) - cpu_before[n] for n, p in servers.items()}
            parse = asyncio.run(parse_load(rasa_url, token, concurrency, webhook["messages"]))
            levels.append({
                "concurrency": concurrency,
                "webhook": webhook,
                "parse": parse,
                "p50_ratio_webhook_to_parse": ratio(webhook["latency"]["p50_ms"],
                                                    parse["latency"]["p50_ms"]),
                "p95_ratio_webhook_to_parse": ratio(webhook["latency"]["p95_ms"],
                                                    parse["latency"]["p95_ms"]),
                "server_cpu_seconds_during_webhook_load": cpu_used,
                "machine_cpu_percent_during_webhook_load": machine_cpu,
                "load_average_before": load_before,
                "peak_rss_megabytes": dict(peak.peak),
            })
        result["levels"] = levels
        result["rss_megabytes_peak"] = {
            n: max(level["peak_rss_megabytes"][n] for level in levels) for n in servers
        }
        if size.dialogue_cost_conversations:
            print("  where a message's time goes (in-process)", flush=True)
            result["dialogue_cost"] = dialogue_cost(
                Path(model["path"]), action_port, size.dialogue_cost_conversations)
    finally:
        system.stop()
    return result
