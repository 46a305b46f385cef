"""Operators' command line: ``python -m bot.cli --help``."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from bot.config import settings


def cmd_db_upgrade(_args: argparse.Namespace) -> None:
    from bot.db.migrate import migrate

    migrate()
    print(f"Database schema is up to date ({_safe_url()}).")


def cmd_db_revision(args: argparse.Namespace) -> None:
    import bot.models_registry  # noqa: F401  (every table, for the comparison)
    from bot.db import Base
    from bot.db.migrate import migrate, new_revision

    migrate()
    new_revision(args.message, Base.metadata)


def cmd_db_seed(args: argparse.Namespace) -> None:
    from bot.catalogue.seed import load_seed
    from bot.db import session_scope

    with session_scope() as session:
        created = load_seed(session, overwrite=args.overwrite)
    summary = ", ".join(f"{n} {table}" for table, n in created.items()) or "nothing new"
    print(f"Seed catalogue loaded: {summary}.")


def cmd_contact_requests_purge(_args: argparse.Namespace) -> None:
    """For cron: the staff application also purges every hour while it runs."""
    from bot.contact_requests.store import retention_days
    from bot.staff.retention import purge_and_record

    purged = purge_and_record(None, "cli")
    print(f"Deleted {purged.handled} handled and {purged.unhandled} unhandled contact "
          f"request(s) older than {retention_days()} days.")


def cmd_conversations_purge(args: argparse.Namespace) -> None:
    """For cron: stored conversations idle longer than the retention period are deleted."""
    from sqlalchemy import create_engine

    from bot.conversations.purge import purge_conversations
    from bot.db import session_scope
    from bot.staff.audit import Actor, record

    days = args.days if args.days is not None else settings().conversation_retention_days
    engine = create_engine(settings().conversations_database_url, future=True)
    deleted = purge_conversations(engine, days)
    if deleted:
        with session_scope() as session:
            record(session, "purge", Actor(None, None, "cli"), entity_type="conversation",
                   summary=f"{deleted} idle for more than {days} days",
                   after={"deleted": deleted, "retention_days": days})
    print(f"Deleted {deleted} conversation(s) idle for more than {days} days.")


def cmd_train(args: argparse.Namespace) -> None:
    from bot.launcher import train

    train(force=not args.if_needed)


def cmd_run(args: argparse.Namespace) -> None:
    from bot.launcher import System, start_action_server, start_rasa_server, train

    train(force=False)
    system = System()
    try:
        print("Starting the action server...", flush=True)
        system.processes.append(start_action_server(args.action_port))
        print("Starting the Rasa server (loading the model takes a while)...", flush=True)
        system.processes.append(start_rasa_server(args.rasa_port, args.action_port))
        for extra in _web_processes(args):
            system.processes.append(extra)
        print()
        print("Ikäneuvo is running:")
        print(f"  Rasa REST channel:  http://localhost:{args.rasa_port}/webhooks/rest/webhook")
        print(f"  Rasa socket.io:     http://localhost:{args.rasa_port}/socket.io")
        print(f"  Action server:      http://localhost:{args.action_port}/health")
        for process in system.processes[2:]:
            print(f"  {process.name + ':':<19} {process.url}")
            if process.name == "web":
                print(f"  Chat widget demo:   {process.url.rstrip('/')}/demo")
                print(f"  {'Staff admin:':<19} {process.url.rstrip('/')}/admin")
                print(f"  {'Staff API:':<19} {process.url.rstrip('/')}/api/docs")
        print(f"  Catalogue database: {_safe_url()}")
        print("Press Ctrl+C to stop.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(p.popen.poll() is None for p in system.processes):
            time.sleep(1)
        stopped = [p.name for p in system.processes if p.popen.poll() is not None]
        print(f"Stopped unexpectedly: {', '.join(stopped)}; see var/*.log", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        system.stop()


def cmd_production(_args: argparse.Namespace) -> None:
    from bot.launcher import train
    from bot.production import system as production

    train(force=False)
    running = production.start()
    layout = running.layout
    public = layout.public_url
    print()
    print("Ikäneuvo is running in production mode (nginx is the only public entry):")
    print(f"  web:                {public}/")
    print(f"  Chat widget demo:   {public}/demo")
    print(f"  Staff admin:        {public}/admin")
    print(f"  Staff API:          {public}/api/docs")
    print(f"  REST channel:       {public}/webhooks/rest/webhook (bearer token in "
          f"{layout.root}/var/rest-token)")
    print(f"  listening on:       {layout.public_host}:{layout.public_port}")
    print(f"  processes:          {', '.join(running.states())}")
    print(f"  status:             .venv/bin/supervisorctl -c {layout.supervisord_conf} status")
    print(f"  logs:               {layout.logs}/")
    print("A process that dies is restarted, and named here. Press Ctrl+C to stop.", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        code = production.follow(running, lambda line: print(line, flush=True))
        print(f"supervisord stopped (exit {code})", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()


def _web_processes(args: argparse.Namespace):
    """The staff and citizen web application, when the project has one."""
    import importlib.util

    if importlib.util.find_spec("bot.web.app") is None:
        return []
    from bot.launcher import start, web_command

    command = web_command(args.web_port)
    # The demo page's widget talks to the Rasa server started here.
    rasa_url = settings().rasa_url_setting or f"http://localhost:{args.rasa_port}"
    env = {"IKANEUVO_RASA_URL": rasa_url}
    return [start("web", command, f"http://localhost:{args.web_port}/", env)]


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings().database_url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="catalogue database").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply schema migrations").set_defaults(func=cmd_db_upgrade)
    revision = db.add_parser("revision", help="write a migration for what the models changed")
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    revision.set_defaults(func=cmd_db_revision)
    seed = db.add_parser("seed", help="load data/catalogue/*.yml (new records only)")
    seed.add_argument("--overwrite", action="store_true", help="also overwrite existing records")
    seed.set_defaults(func=cmd_db_seed)

    requests = commands.add_parser("contact-requests", help="citizens' contact requests")
    requests.add_subparsers(dest="contact_requests_command", required=True).add_parser(
        "purge", help="delete handled requests older than CONTACT_REQUEST_RETENTION_DAYS "
                      "(default 30)",
    ).set_defaults(func=cmd_contact_requests_purge)

    conversations = commands.add_parser("conversations", help="stored conversations")
    purge = conversations.add_subparsers(dest="conversations_command", required=True).add_parser(
        "purge", help="delete conversations idle longer than CONVERSATION_RETENTION_DAYS "
                      "(default 30)",
    )
    purge.add_argument("--days", type=int, help="instead of CONVERSATION_RETENTION_DAYS")
    purge.set_defaults(func=cmd_conversations_purge)

    train = commands.add_parser("train", help="train the Rasa model")
    train.add_argument("--if-needed", action="store_true", help="only when inputs changed")
    train.set_defaults(func=cmd_train)

    run = commands.add_parser("run", help="start the whole system")
    run.add_argument("--rasa-port", type=int, default=settings().rasa_port)
    run.add_argument("--action-port", type=int, default=settings().action_port)
    run.add_argument("--web-port", type=int, default=settings().web_port)
    run.set_defaults(func=cmd_run)

    commands.add_parser(
        "production", help="start the production set: nginx, two Rasa servers, two action "
                           "servers, PostgreSQL and Redis under supervisord",
    ).set_defaults(func=cmd_production)

    from bot.staff.cli_commands import register as register_staff_commands

    register_staff_commands(commands)  # user create/token, import, export
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
