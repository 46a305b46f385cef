"""Start and stop the system's processes: the run command and the tests use the same code."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.action_server import SECRET_HEADER
from bot.config import PROJECT_ROOT, settings
from bot.model_inputs import model_fingerprint

MODEL_NAME = "ikaneuvo"
MODEL_PATH = PROJECT_ROOT / "models" / f"{MODEL_NAME}.tar.gz"
FINGERPRINT_PATH = PROJECT_ROOT / "models" / f"{MODEL_NAME}.fingerprint"
TRAINING_DATA = ["data/nlu", "data/dialogue"]
MAX_REQUEST_BYTES = 2 * 1024 * 1024
# Two virtualenvs (scripts/setup.sh): Rasa's pins hold only the Rasa server's; the staff
# application, the web page and the action server run on current versions in their own.
RASA_BIN = PROJECT_ROOT / ".venv" / "bin"
APP_BIN = PROJECT_ROOT / ".venv-app" / "bin"


def rasa_executable() -> str:
    return str(RASA_BIN / "rasa")


def web_command(port: int) -> list[str]:
    """The web application (citizens' page, staff admin and API) under uvicorn on loopback.
    --ws none: it has no WebSockets (the widget's go to Rasa)."""
    return [str(APP_BIN / "python"), "-m", "uvicorn", "bot.web.app:app", "--host", "127.0.0.1",
            "--port", str(port), "--ws", "none"]


def model_is_current() -> bool:
    return (
        MODEL_PATH.exists()
        and FINGERPRINT_PATH.exists()
        and FINGERPRINT_PATH.read_text().strip() == model_fingerprint()
    )


def train(force: bool = False) -> Path:
    """Train the model when it is missing or its inputs changed.

    A lock file makes concurrent callers (a test run, the run command) wait for one training
    instead of training twice into the same file.
    """
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    with open(MODEL_PATH.parent / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and model_is_current():
            print(f"The model is up to date: {MODEL_PATH.relative_to(PROJECT_ROOT)}")
            return MODEL_PATH
        print("Training the model (a few minutes)...", flush=True)
        fingerprint = model_fingerprint()
        command = [
            rasa_executable(), "train", "--data", *TRAINING_DATA, "--out", "models",
            "--fixed-model-name", MODEL_NAME, "--force",
        ]
        subprocess.run(command, cwd=PROJECT_ROOT, check=True, env=quiet_env())
        FINGERPRINT_PATH.write_text(fingerprint)
    return MODEL_PATH


def quiet_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # Rasa sends usage data to its makers unless told not to.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    # Sanic reads whole request bodies up to 100 MB unless told less (bot/rasa_server.py).
    env.setdefault("SANIC_REQUEST_MAX_SIZE", str(MAX_REQUEST_BYTES))
    env.update(extra or {})
    return env


@dataclass
class Process:
    name: str
    url: str
    popen: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


@dataclass
class System:
    processes: list[Process] = field(default_factory=list)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def start(name: str, command: list[str], url: str, env: dict[str, str] | None = None,
          timeout: float = 180.0) -> Process:
    """Start a process in its own process group and wait until ``url`` answers."""
    var_dir = settings().var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / f"{name}.log"
    log = open(log_path, "ab")
    popen = subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=quiet_env(env), start_new_session=True,
    )
    process = Process(name, url, popen, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{name} stopped at start; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.stop()
    raise RuntimeError(f"{name} did not answer at {url} within {timeout:.0f} s; see {log_path}")


def start_action_server(port: int = 5055, env: dict[str, str] | None = None) -> Process:
    """The action server on 127.0.0.1, answering only callers with the action secret."""
    return start(
        "action-server",
        [str(APP_BIN / "python"), "-m", "bot.action_server", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        {"SANIC_HOST": "127.0.0.1", **secret_environment(env), **(env or {})},
    )


def secret_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The secrets the servers share, for their environments (never a command line): the
    action secret, which the Rasa servers send (endpoints.yml reads it from there) and the
    action servers check, and the key that signs the web chat's session ids."""
    chosen = settings({**os.environ, **(env or {})})
    return {"IKANEUVO_ACTION_SECRET": chosen.action_secret,
            "IKANEUVO_SESSION_SECRET": chosen.session_secret}


def start_rasa_server(
    port: int = 5005,
    action_port: int = 5055,
    env: dict[str, str] | None = None,
    model: Path = MODEL_PATH,
) -> Process:
    endpoints = settings().var_dir / f"endpoints-{port}.yml"
    endpoints.write_text(endpoints_yaml(action_port, environ={**os.environ, **(env or {})}))
    # The same origins for Rasa's HTTP CORS (--cors) and for its socket.io channel, which reads
    # them from the environment (bot/channels.py).
    origins = list(settings({**os.environ, **(env or {})}).cors_origins)
    env = {**secret_environment(env), **(env or {}), "IKANEUVO_CORS_ORIGINS": " ".join(origins)}
    # bot.rasa_server: loopback only, the API's JWT secret from the environment (var/).
    command = [
        str(RASA_BIN / "python"), "-m", "bot.rasa_server", "--model", str(model),
        "--port", str(port),
        "--credentials", "credentials.yml", "--endpoints", str(endpoints),
        "--enable-api", "--cors", *origins,
    ]
    return start("rasa-server", command, f"http://127.0.0.1:{port}/", env, timeout=300)


def endpoints_yaml(
    action_port: int, action_url: str | None = None, environ: dict[str, str] | None = None
) -> str:
    """Endpoints for this run: conversations in the SQL tracker store that stores no personal
    data (``bot.conversations``), and Redis locks when ``REDIS_URL`` is set."""
    from sqlalchemy.engine import make_url

    url = action_url or f"http://127.0.0.1:{action_port}/webhook"
    # Rasa reads ${...} from its environment: the secret itself is in no file.
    lines = ["action_endpoint:", f'  url: "{url}"', "  headers:",
             f"    {SECRET_HEADER}: ${{IKANEUVO_ACTION_SECRET}}"]
    conversations = make_url(settings(environ).conversations_database_url)
    lines += [
        "tracker_store:",
        "  type: bot.conversations.tracker_store.PrivateTrackerStore",
        f"  dialect: {conversations.get_backend_name()}",
        f"  db: {conversations.database}",
    ]
    for key, value in (("url", conversations.host), ("port", conversations.port),
                       ("username", conversations.username),
                       ("password", conversations.password)):
        if value:
            lines.append(f"  {key}: {value}")
    redis_url = settings(environ).redis_url
    if redis_url:
        from urllib.parse import urlparse

        # Each turn's copy, for the other replica while the database does not answer.
        lines.append(f"  recent_url: {redis_url}")

        parsed = urlparse(redis_url)
        db = (parsed.path or "/0").lstrip("/") or "0"
        lines += [
            "lock_store:", "  type: bot.conversations.lock_store.ExpiringRedisLockStore",
            f"  url: {parsed.hostname}", f"  port: {parsed.port or 6379}", f"  db: {db}",
        ]
        if parsed.password:
            lines.append(f"  password: {parsed.password}")
    return "\n".join(lines) + "\n"
