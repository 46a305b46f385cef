"""Start, watch and stop the production set under supervisord.

The order: PostgreSQL and Redis first (supervisord starts them), then the catalogue's
migrations and seed, then the action servers, the Rasa servers, the web application and
nginx, each waited for until it answers. supervisord restarts whatever dies; ``follow``
prints its log's lines about programs that died and came back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bot.config import settings
from bot.launcher import MODEL_PATH, RASA_BIN, quiet_env, secret_environment
from bot.production import config_files, postgres
from bot.production.layout import Layout

STATEMENT_TIMEOUT_MS = 2000
LOCK_LIFETIME_SECONDS = 15
START_TIMEOUT_SECONDS = 420


@dataclass
class ProductionSystem:
    layout: Layout
    supervisord: subprocess.Popen
    database_url: str
    conversations_url: str
    redis_url: str
    environment: dict[str, str] = field(default_factory=dict)

    def ctl(self, *args: str, check: bool = True) -> str:
        """``supervisorctl`` on this set: ``ctl("status")``, ``ctl("stop", "rasa-1")``."""
        result = subprocess.run(
            [str(RASA_BIN / "supervisorctl"), "-c", str(self.layout.supervisord_conf),
             *args], capture_output=True, text=True, timeout=120,
        )
        if check and result.returncode not in (0, 3):  # 3: some program is not running
            raise RuntimeError(f"supervisorctl {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    @property
    def rest_token(self) -> str:
        """The bearer token of the production REST channel (for integrations and the tests)."""
        return self.environment["IKANEUVO_REST_TOKEN"]

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program).strip() or 0)

    def states(self) -> dict[str, str]:
        lines = self.ctl("status", check=False).splitlines()
        return {line.split()[0]: line.split()[1] for line in lines if len(line.split()) > 1}

    def wait_running(self, program: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        url = self.health_url(program)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.states().get(program) == "RUNNING" and (url is None or _answers(url)):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{program} did not start; see {self.layout.logs / program}.log")

    def health_url(self, program: str) -> str | None:
        layout = self.layout
        if program in layout.rasa_programs():
            return f"http://127.0.0.1:{layout.rasa_ports[layout.rasa_programs().index(program)]}/"
        if program in layout.action_programs():
            port = layout.action_ports[layout.action_programs().index(program)]
            return f"http://127.0.0.1:{port}/health"
        if program == "web":
            return f"http://127.0.0.1:{layout.web_port}/"
        if program == "nginx":
            return f"{layout.local_url}/"
        return None

    def stop(self) -> None:
        if self.supervisord.poll() is None:
            # Thaw a process a test froze, or supervisord waits on it forever.
            for program in ("postgres", "redis"):
                try:
                    os.kill(self.pid(program), signal.SIGCONT)
                except (OSError, ValueError, RuntimeError):
                    pass
            self.supervisord.send_signal(signal.SIGTERM)
            try:
                self.supervisord.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.supervisord.pid, signal.SIGKILL)
                self.supervisord.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def start(layout: Layout | None = None, model: Path = MODEL_PATH,
          say: Callable[[str], None] = print) -> ProductionSystem:
    """Start the whole set and return when nginx answers; stops what it started on failure."""
    layout = layout or Layout.from_settings()
    if not model.exists():
        raise RuntimeError(f"No trained model at {model}: run `python -m bot.cli train` first")
    password = postgres.ensure_cluster(layout)
    redis_url = f"redis://127.0.0.1:{layout.redis_port}/1"
    # The URLs are known before the databases exist: the files are written first.
    base = f"postgresql+psycopg2://{postgres.ROLE}:{password}@127.0.0.1:{layout.postgres_port}"
    database_url = f"{base}/{postgres.CATALOGUE_DATABASE}"
    conversations_url = f"{base}/{postgres.CONVERSATIONS_DATABASE}"
    environment = {
        "DATABASE_URL": database_url,
        "CONVERSATIONS_DATABASE_URL": conversations_url,
        "REDIS_URL": redis_url,
        "DATABASE_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
        "RASA_TELEMETRY_ENABLED": "false",
        # A replica killed while it held a conversation's lock holds it this long (Rasa's
        # default is 60 s, past the widget's patience); a message is answered well within it.
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        "IKANEUVO_VAR_DIR": str(layout.root / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    # The secrets the replicas share (kept under the run's var/), and the REST channel's
    # bearer token: in production REST is for integrations that hold it, not for everyone.
    environment.update(secret_environment(environment))
    environment["IKANEUVO_REST_TOKEN"] = settings(environment).kept_secret("rest-token")
    config_files.write_all(layout, environment, model)
    say("Starting supervisord (PostgreSQL, Redis)...")
    supervisord = subprocess.Popen(
        [str(RASA_BIN / "supervisord"), "-c", str(layout.supervisord_conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        env=quiet_env(), cwd=layout.root,
    )
    system = ProductionSystem(layout, supervisord, database_url, conversations_url, redis_url,
                              environment)
    try:
        _wait_for_socket(layout.root / "supervisor.sock", supervisord)
        postgres.wait_until_up(layout)
        postgres.ensure_databases(layout, password)
        say("Bringing the catalogue database up to date...")
        _prepare_catalogue(database_url)
        programs = [*layout.action_programs(), *layout.rasa_programs(), "web", "nginx"]
        say("Starting the action servers, the Rasa servers (loading the model takes a while), "
            "the web application and nginx...")
        system.ctl("start", *programs)
        for program in programs:
            system.wait_running(program)
        return system
    except BaseException:
        system.stop()
        raise


def _wait_for_socket(path: Path, supervisord: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if supervisord.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"supervisord did not start; see {path.parent / 'logs'}")
        time.sleep(0.2)


def _prepare_catalogue(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"], check=True,
        env=quiet_env({"DATABASE_URL": database_url}), stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "seed"], check=True,
        env=quiet_env({"DATABASE_URL": database_url}), stdout=subprocess.DEVNULL,
    )


# supervisord's log lines worth telling the operator, and how to say them.
_EVENTS = ("exited:", "spawned:", "gave up:", "success:")


def follow(system: ProductionSystem, say: Callable[[str], None] = print) -> int:
    """Print which program died and came back until supervisord stops; its exit code."""
    log = system.layout.logs / "supervisord.log"
    with open(log, encoding="utf-8", errors="replace") as lines:
        lines.seek(0, os.SEEK_END)
        while system.supervisord.poll() is None:
            line = lines.readline()
            if not line:
                time.sleep(0.5)
                continue
            if any(event in line for event in _EVENTS):
                message = line.split(" ", 3)[-1].strip()
                if "exited:" in line or "gave up:" in line:
                    say(f"DIED: {message}")
                elif "success:" in line:
                    say(f"back: {message}")
    return system.supervisord.returncode or 0
