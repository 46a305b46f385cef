"""A throw-away PostgreSQL server from Debian's packages, for tests and benchmarks.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user
that the Debian package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bot.production.postgres import postgres_bindir
from tests.support.ports import ReservedPort
from tests.support.waiting import wait_until


@contextmanager
def postgres_server(database: str = "ikaneuvo") -> Iterator[str]:
    """Start a PostgreSQL server on a free loopback port; yields its SQLAlchemy URL."""
    bindir = postgres_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="ikaneuvo-pg-"))
    datadir = workdir / "data"
    # Held until the server has stopped: PostgreSQL binds with SO_REUSEADDR, as ReservedPort.
    reserved = ReservedPort()
    port = reserved.port
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
    def database_created() -> bool:
        try:
            run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                "postgres", database)
        except subprocess.CalledProcessError:
            return False
        return True

    try:
        wait_until(database_created, 30, f"PostgreSQL in {workdir} made no database",
                   interval=0.5)
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast",
                        "-w", "stop"], capture_output=True, cwd=workdir)
        shutil.rmtree(workdir, ignore_errors=True)
        reserved.close()
