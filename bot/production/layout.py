"""Where the production run's programs listen and keep their files.

Only nginx listens beyond this machine (``public_host``); everything else is on loopback.
Every port can be moved with an environment variable, so a test can run a whole set beside a
developer's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from bot.config import PROJECT_ROOT, settings


@dataclass(frozen=True)
class Layout:
    root: Path  # var/production: configuration, data, logs, sockets
    public_host: str
    public_port: int
    public_url: str  # how the citizens' browsers reach nginx (the widget's page and socket.io)
    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]
    actions_entry_port: int  # nginx's loopback entry that spreads action calls
    web_port: int
    postgres_port: int
    redis_port: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Layout:
        env = os.environ if environ is None else environ

        def port(name: str, default: int) -> int:
            return int(env.get(name, default))

        public_port = port("IKANEUVO_PUBLIC_PORT", 8080)
        public_host = env.get("IKANEUVO_PUBLIC_HOST", "0.0.0.0")
        first_rasa = port("IKANEUVO_PRODUCTION_RASA_PORT", 5006)
        first_action = port("IKANEUVO_PRODUCTION_ACTION_PORT", 5056)
        return cls(
            root=Path(env.get("IKANEUVO_PRODUCTION_DIR") or settings(env).var_dir / "production"),
            public_host=public_host,
            public_port=public_port,
            public_url=(env.get("IKANEUVO_PUBLIC_URL") or f"http://localhost:{public_port}"
                        ).rstrip("/"),
            rasa_ports=(first_rasa, first_rasa + 1),
            action_ports=(first_action, first_action + 1),
            actions_entry_port=port("IKANEUVO_PRODUCTION_ACTIONS_ENTRY_PORT", 5055),
            web_port=port("IKANEUVO_PRODUCTION_WEB_PORT", 8001),
            postgres_port=port("IKANEUVO_PRODUCTION_POSTGRES_PORT", 5433),
            redis_port=port("IKANEUVO_PRODUCTION_REDIS_PORT", 6380),
        )

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def postgres_data(self) -> Path:
        return self.root / "postgres"

    @property
    def postgres_socket_dir(self) -> Path:
        return self.root / "postgres-socket"

    @property
    def supervisord_conf(self) -> Path:
        return self.root / "supervisord.conf"

    @property
    def local_url(self) -> str:
        """nginx seen from this machine, whichever address it listens on."""
        host = "127.0.0.1" if self.public_host in ("0.0.0.0", "::", "") else self.public_host
        return f"http://{host}:{self.public_port}"

    def rasa_programs(self) -> list[str]:
        return [f"rasa-{n}" for n in range(1, len(self.rasa_ports) + 1)]

    def action_programs(self) -> list[str]:
        return [f"actions-{n}" for n in range(1, len(self.action_ports) + 1)]


VENV_BIN = Path(os.environ.get("VIRTUAL_ENV") or PROJECT_ROOT / ".venv") / "bin"
