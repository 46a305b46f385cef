"""A throw-away PostgreSQL server from Debian's packages, for tests and benchmarks.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user
that the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def postgres_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries were not found: install the Debian package 'postgresql' "
            "(scripts/setup.sh does)."
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server(database: str = "ikaneuvo") -> Iterator[str]:
    """Start a PostgreSQL server on a free loopback port; yields its SQLAlchemy URL."""
    bindir = postgres_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="ikaneuvo-pg-"))
    datadir = workdir / "data"
    port = _free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(workdir, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, cwd=workdir)

    run(str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres",
        "--encoding=UTF8", "--locale=C.UTF-8")
    run(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(workdir / "log"), "-w", "start",
        "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                    "postgres", database)
                break
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast",
                        "-w", "stop"], capture_output=True, cwd=workdir)
        shutil.rmtree(workdir, ignore_errors=True)
