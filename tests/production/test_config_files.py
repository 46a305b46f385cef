"""The production run's configuration, as written for a layout: nginx accepts it, and it says
what the production guide says (only nginx public, limits, replicas by name)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.config import settings
from bot.production import config_files
from bot.production.layout import Layout


def layout(root: Path) -> Layout:
    return Layout(root=root, public_host="127.0.0.1", public_port=18080,
                  public_url="https://chat.example.invalid", rasa_ports=(15006, 15007),
                  action_ports=(15056, 15057), actions_entry_port=15055, web_port=18001,
                  postgres_port=15433, redis_port=16380)


def test_the_layout_follows_the_settings(tmp_path):
    configured = Layout.from_settings(settings({
        "IKANEUVO_VAR_DIR": str(tmp_path), "IKANEUVO_PUBLIC_PORT": "9090",
        "IKANEUVO_PRODUCTION_RASA_PORT": "7000", "IKANEUVO_PRODUCTION_REDIS_PORT": "7379",
    }))
    assert configured.root == tmp_path / "production"
    assert configured.public_port == 9090 and configured.public_host == "0.0.0.0"
    assert configured.public_url == "http://localhost:9090"
    assert configured.rasa_ports == (7000, 7001) and configured.redis_port == 7379
    assert configured.local_url == "http://127.0.0.1:9090"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is installed by setup.sh")
def test_nginx_accepts_the_configuration(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(config_files.nginx_conf(layout(tmp_path)))
    (tmp_path / "logs").mkdir()
    result = subprocess.run(["nginx", "-t", "-c", str(config), "-p", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_nginx_limits_size_and_rate_and_names_the_replicas(tmp_path):
    text = config_files.nginx_conf(layout(tmp_path))
    assert "listen 127.0.0.1:18080;" in text
    assert "client_max_body_size 64k;" in text and "limit_req zone=per_address" in text
    assert '"127.0.0.1:15006" "rasa-1";' in text and '"127.0.0.1:15007" "rasa-2";' in text
    assert "hash $binary_remote_addr consistent;" in text  # socket.io on one replica
    # The channels count messages per caller: nginx tells them who it is, on both paths.
    assert text.count("proxy_set_header X-Real-IP $remote_addr;") == 2
    # Only the channels are passed to Rasa: its HTTP API is not behind the public entry.
    locations = [line.split()[1:3] for line in text.splitlines() if "location" in line]
    assert locations == [["=", "/webhooks/rest/webhook"], ["/socket.io/", "{"], ["/", "{"],
                         ["=", "/webhook"], ["=", "/health"]]


def test_supervisord_runs_every_program_on_loopback_with_the_settings(tmp_path):
    environment = {"DATABASE_URL": "postgresql+psycopg2://u:p%w@127.0.0.1:15433/x",
                   "CONVERSATIONS_DATABASE_URL": "postgresql+psycopg2://u:p@127.0.0.1:15433/c",
                   "REDIS_URL": "redis://127.0.0.1:16380/1"}
    text = config_files.supervisord_conf(layout(tmp_path), environment, tmp_path / "m.tar.gz")
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    programs = sorted(s.split(":", 1)[1] for s in parser.sections() if s.startswith("program:"))
    assert programs == ["actions-1", "actions-2", "nginx", "postgres", "rasa-1", "rasa-2",
                        "redis", "web"]
    for name in ("rasa-1", "rasa-2"):
        command = parser.get(f"program:{name}", "command")
        assert "-m bot.rasa_server" in command and "--interface 127.0.0.1" in command
        assert "--enable-api" not in command
        assert "--cors https://chat.example.invalid" in command
    assert 'SANIC_HOST="127.0.0.1"' in parser.get("program:actions-1", "environment")
    assert "-m bot.action_server" in parser.get("program:actions-1", "command")
    assert "p%%w" in parser.get("program:web", "environment")  # supervisord's escaping
    assert "listen_addresses=127.0.0.1" in parser.get("program:postgres", "command")
    assert "log_min_error_statement=panic" in parser.get("program:postgres", "command")
    assert "--bind 127.0.0.1" in parser.get("program:redis", "command")


def test_the_replicas_share_conversations_and_locks(tmp_path):
    text = config_files.endpoints_yml(layout(tmp_path), "postgresql+psycopg2://u:p@h:1/conv",
                                      "redis://127.0.0.1:16380/1")
    assert "type: bot.conversations.tracker_store.PrivateTrackerStore" in text
    assert "dialect: postgresql" in text and "db: conv" in text
    assert "type: bot.conversations.lock_store.ExpiringRedisLockStore" in text
    assert 'url: "http://127.0.0.1:15055/webhook"' in text


def test_the_run_command_says_which_program_died_and_came_back(tmp_path):
    import threading
    import time

    from bot.production.system import ProductionSystem, follow

    system = ProductionSystem(layout(tmp_path), subprocess.Popen(["sleep", "3"]), "", "", "")
    (tmp_path / "logs").mkdir()
    log = tmp_path / "logs" / "supervisord.log"
    log.write_text("2026-12-01 10:00:00,000 INFO spawned: 'rasa-1' with pid 1\n")

    def supervisord_writes() -> None:
        time.sleep(0.7)
        with open(log, "a") as out:
            out.write("2026-12-01 10:00:05,000 WARN exited: rasa-1 (terminated by SIGKILL; "
                      "not expected)\n")
            out.write("2026-12-01 10:00:05,100 INFO spawned: 'rasa-1' with pid 2\n")
            out.write("2026-12-01 10:00:15,100 INFO success: rasa-1 entered RUNNING state\n")

    said: list[str] = []
    threading.Thread(target=supervisord_writes).start()
    follow(system, said.append)
    assert said == ["DIED: exited: rasa-1 (terminated by SIGKILL; not expected)",
                    "back: success: rasa-1 entered RUNNING state"]
