"""Where the production run's programs listen and keep their files.

Only nginx listens beyond this machine (``public_host``); everything else is on loopback.
Every port can be moved with an environment variable (``bot.config``), so a test can run a
whole set beside a developer's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings, settings


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
    def from_settings(cls, config: Settings | None = None) -> Layout:
        config = config or settings()
        ports = config.production_ports
        return cls(
            root=Path(config.production_dir_setting or config.var_dir / "production"),
            public_host=config.public_host,
            public_port=config.public_port,
            public_url=config.public_url_setting or f"http://localhost:{config.public_port}",
            rasa_ports=(ports["rasa"], ports["rasa"] + 1),
            action_ports=(ports["action"], ports["action"] + 1),
            actions_entry_port=ports["actions_entry"],
            web_port=ports["web"],
            postgres_port=ports["postgres"],
            redis_port=ports["redis"],
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

