"""The production run's PostgreSQL: a cluster of its own under the layout's root, made once,
with a role and the two databases (the catalogue with the contact requests, and Rasa's
conversations).

PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` system
user that the Debian package creates. Local connections are by peer, network ones (loopback
only) by password (SCRAM); the password is made once and kept in ``postgres-password``.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import subprocess
import time
from pathlib import Path

from bot.production.layout import Layout

ROLE = "ikaneuvo"
CATALOGUE_DATABASE = "ikaneuvo"
CONVERSATIONS_DATABASE = "ikaneuvo_conversations"


def postgres_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries were not found: install the Debian package 'postgresql' "
            "(scripts/setup.sh does)."
        )
    return Path(candidates[-1]).parent


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)


def ensure_cluster(layout: Layout) -> str:
    """Make the cluster if it is not there; the role's password."""
    password_file = layout.root / "postgres-password"
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.postgres_socket_dir.mkdir(parents=True, exist_ok=True)
    _give_to_postgres(layout.postgres_socket_dir)
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(24))
        password_file.chmod(0o600)
    if not (layout.postgres_data / "PG_VERSION").exists():
        layout.postgres_data.mkdir(parents=True, exist_ok=True)
        layout.postgres_data.chmod(0o700)
        _give_to_postgres(layout.postgres_data)
        subprocess.run(
            [*_as_postgres(), str(postgres_bindir() / "initdb"), "-D", str(layout.postgres_data),
             "-U", "postgres", "--auth-local=peer", "--auth-host=scram-sha-256",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True, cwd="/",
        )
    return password_file.read_text().strip()


def _psql(layout: Layout, sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        [*_as_postgres(), str(postgres_bindir() / "psql"), "-h", str(layout.postgres_socket_dir),
         "-p", str(layout.postgres_port), "-U", "postgres", "-d", database, "-v",
         "ON_ERROR_STOP=1", "-tAc", sql],
        check=True, capture_output=True, text=True, cwd="/", timeout=30,
    )
    return result.stdout.strip()


def wait_until_up(layout: Layout, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            _psql(layout, "SELECT 1")
            return
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"PostgreSQL did not start; see {layout.logs / 'postgres.log'}"
                ) from None
            time.sleep(0.5)


def ensure_databases(layout: Layout, password: str) -> tuple[str, str]:
    """The role and both databases; their SQLAlchemy URLs (catalogue, conversations)."""
    # The password goes in as a literal: it is generated, URL-safe, never typed by anyone.
    if not _psql(layout, f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'"):
        _psql(layout, f"CREATE ROLE {ROLE} LOGIN PASSWORD '{password}'")
    for database in (CATALOGUE_DATABASE, CONVERSATIONS_DATABASE):
        if not _psql(layout, f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
            _psql(layout, f"CREATE DATABASE {database} OWNER {ROLE} ENCODING 'UTF8'")
    base = f"postgresql+psycopg2://{ROLE}:{password}@127.0.0.1:{layout.postgres_port}"
    return f"{base}/{CATALOGUE_DATABASE}", f"{base}/{CONVERSATIONS_DATABASE}"
