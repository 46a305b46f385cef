"""The production run's configuration files, written from ``templates/`` under the layout's
root each time the run starts (so they always match the layout and the code)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.launcher import APP_BIN, RASA_BIN
from bot.production.layout import Layout
from bot.production.postgres import postgres_bindir

TEMPLATES = Path(__file__).with_name("templates")
# Requests per second and address at the public entry (bursts are delayed, see nginx.conf).
RATE_PER_ADDRESS = 30


def render(template: str, values: dict[str, object]) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    leftover = re.findall(r"@([a-z_]+)@", text)
    if leftover:
        raise ValueError(f"{template}: no value for {leftover}")
    return text


def nginx_conf(layout: Layout) -> str:
    def servers(ports: tuple[int, ...]) -> str:
        return "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
        )

    names = "\n".join(
        f'        "127.0.0.1:{port}" "{name}";'
        for port, name in zip(layout.rasa_ports, layout.rasa_programs(), strict=True)
    )
    # As root the workers run as Debian's www-data; they only proxy, they read no files.
    user = "user www-data;" if os.geteuid() == 0 else ""
    return render("nginx.conf", {
        "user": user, "root": layout.root, "logs": layout.logs, "rate": RATE_PER_ADDRESS,
        "rasa_servers": servers(layout.rasa_ports),
        "action_servers": servers(layout.action_ports),
        "replica_names": names, "web_port": layout.web_port,
        "public_host": layout.public_host, "public_port": layout.public_port,
        "actions_entry_port": layout.actions_entry_port,
    })


def endpoints_yml(layout: Layout, conversations_url: str, redis_url: str) -> str:
    """The Rasa replicas' endpoints: shared conversations, Redis locks, actions via nginx."""
    from bot.launcher import endpoints_yaml

    environ = {"CONVERSATIONS_DATABASE_URL": conversations_url, "REDIS_URL": redis_url}
    return endpoints_yaml(
        0, f"http://127.0.0.1:{layout.actions_entry_port}/webhook", environ=environ
    )


def supervisord_conf(layout: Layout, environment: dict[str, str], model: Path) -> str:
    def program(name: str, command: str, extra: dict[str, str] | None = None,
                startsecs: int = 5) -> str:
        env = {**environment, **(extra or {})}
        # supervisord reads %(name)s in values: a literal % is written %%.
        env_line = ",".join(f'{k}="{v.replace("%", "%%")}"' for k, v in env.items())
        return "\n".join([
            f"[program:{name}]",
            f"command={command}",
            f"directory={PROJECT_ROOT}",
            f"environment={env_line}",
            "autostart=false",
            "autorestart=true",
            f"startsecs={startsecs}",
            "stopwaitsecs=20",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={layout.logs}/{name}.log",
            "",
        ])

    sections = []
    endpoints = layout.root / "endpoints.yml"
    for name, port in zip(layout.rasa_programs(), layout.rasa_ports, strict=True):
        sections.append(program(name, (
            f"{RASA_BIN}/python -m bot.rasa_server --model {model} --interface 127.0.0.1"
            f" --port {port}"
            f" --credentials credentials.yml --endpoints {endpoints}"
            f" --cors {layout.public_url}"
        ), {"IKANEUVO_CORS_ORIGINS": layout.public_url}, startsecs=10))
    for name, port in zip(layout.action_programs(), layout.action_ports, strict=True):
        sections.append(program(
            name, f"{APP_BIN}/python -m bot.action_server --port {port}",
            {"SANIC_HOST": "127.0.0.1"},
        ))
    sections.append(program("web", (
        f"{APP_BIN}/python -m uvicorn bot.web.app:app --host 127.0.0.1 --port {layout.web_port}"
        " --ws none --proxy-headers --forwarded-allow-ips 127.0.0.1"
    ), {"IKANEUVO_RASA_URL": layout.public_url, "IKANEUVO_CORS_ORIGINS": layout.public_url}))
    sections.append(program(
        "nginx", f"{shutil.which('nginx') or '/usr/sbin/nginx'} -c {layout.root}/nginx.conf"
        f" -p {layout.root} -g 'daemon off;'", startsecs=2,
    ))
    return render("supervisord.conf", {
        "root": layout.root, "logs": layout.logs, "postgres_bin": postgres_bindir(),
        "postgres_user": "user=postgres" if os.geteuid() == 0 else "",
        "postgres_data": layout.postgres_data, "postgres_port": layout.postgres_port,
        "postgres_socket_dir": layout.postgres_socket_dir,
        "redis_server": shutil.which("redis-server") or "/usr/bin/redis-server",
        "redis_port": layout.redis_port, "programs": "\n".join(sections),
    })


def write_all(layout: Layout, environment: dict[str, str], model: Path) -> None:
    layout.logs.mkdir(parents=True, exist_ok=True)
    (layout.root / "nginx.conf").write_text(nginx_conf(layout))
    # These two hold the database password.
    _write_private(layout.root / "endpoints.yml", endpoints_yml(
        layout, environment["CONVERSATIONS_DATABASE_URL"], environment["REDIS_URL"]
    ))
    _write_private(layout.supervisord_conf, supervisord_conf(layout, environment, model))


def _write_private(path: Path, text: str) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)
