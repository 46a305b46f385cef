"""Operators' commands for the staff side: accounts, API tokens, import and export.

Registered by ``bot.cli``; every command is one unit of work with its own session.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import select

from bot.db import session_scope
from bot.staff.audit import Actor


def _read_password(args: argparse.Namespace) -> str:
    """From a prompt (twice) on a terminal, else the first line of standard input."""
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Salasana (vähintään 12 merkkiä): ")
    if getpass.getpass("Salasana uudelleen: ") != first:
        raise SystemExit("Salasanat eivät olleet samat. Käyttäjää ei luotu.")
    return first


def cmd_user_create(args: argparse.Namespace) -> None:
    from bot.db.migrate import migrate
    from bot.staff.accounts import AccountError, create_user
    from bot.staff.models import Role
    from bot.staff.settings import StaffSettings

    migrate()
    password = _read_password(args)
    settings = StaffSettings(secret_key="")
    try:
        with session_scope() as session:
            session.info["actor"] = Actor(None, None, "cli")
            user = create_user(session, args.email, password, Role(args.role), settings,
                               service_area_id=args.area, display_name=args.name)
            user_id = user.id
    except AccountError as error:
        raise SystemExit(f"Käyttäjää ei luotu: {error}") from error
    area = f", palvelualue {args.area}" if args.area else ""
    print(f"Käyttäjä luotu (numero {user_id}, rooli {args.role}{area}). "
          "Kirjaudu osoitteessa /admin/login.")


def cmd_user_token(args: argparse.Namespace) -> None:
    from bot.staff.accounts import create_api_token, normalize_email
    from bot.staff.models import StaffUser

    with session_scope() as session:
        session.info["actor"] = Actor(None, None, "cli")
        user = session.execute(
            select(StaffUser).where(StaffUser.email == normalize_email(args.email))
        ).scalar_one_or_none()
        if user is None or not user.is_active:
            raise SystemExit("Käyttäjää ei ole tai se ei ole käytössä.")
        _token, secret = create_api_token(session, user, args.name, args.days or None)
    print("API-avain (näytetään vain nyt, tallenna se turvallisesti):")
    print(secret)


def cmd_user_second_factor_off(args: argparse.Namespace) -> None:
    """For when nobody can sign in to reset it (the only administrator's phone is lost, or
    the TOTP key is): turns the account's second factor off, in the audit trail as the CLI's."""
    from bot.staff.accounts import normalize_email
    from bot.staff.models import StaffUser
    from bot.staff.second_factor import reset

    with session_scope() as session:
        actor = Actor(None, None, "cli")
        session.info["actor"] = actor
        user = session.execute(
            select(StaffUser).where(StaffUser.email == normalize_email(args.email))
        ).scalar_one_or_none()
        if user is None:
            raise SystemExit("Käyttäjää ei ole.")
        reset(session, user, actor)
    print("Kaksivaiheinen tunnistautuminen poistettu käytöstä; käyttäjä on kirjattu ulos. "
          "Hän voi ottaa sen uudelleen käyttöön Oma tili -sivulla.")


def cmd_export(args: argparse.Namespace) -> None:
    from bot.catalogue.exchange.files import export_bytes

    with session_scope() as session:
        content = export_bytes(session, args.format)
    if args.output == "-":
        sys.stdout.buffer.write(content)
    else:
        Path(args.output).write_bytes(content)
        print(f"Palveluluettelo viety: {args.output} ({args.format}).")


def cmd_import(args: argparse.Namespace) -> None:
    from bot.catalogue.exchange.catalogue_data import ImportFailed
    from bot.catalogue.exchange.files import import_contents
    from bot.db.migrate import migrate
    from bot.staff.audit import record

    migrate()
    contents = [Path(p).read_bytes() for p in args.files]
    try:
        with session_scope() as session:
            session.info["actor"] = Actor(None, None, "cli")
            result = import_contents(session, args.format, contents)
            record(session, "import", Actor(None, None, "cli"),
                   summary=f"{args.format}: {', '.join(Path(p).name for p in args.files)}",
                   after={"created": result.created, "updated": result.updated})
            if args.dry_run:
                session.rollback()
    except ImportFailed as failure:
        print("Tuonti epäonnistui, mitään ei muutettu:", file=sys.stderr)
        for error in failure.errors:
            print(f"  - {error}", file=sys.stderr)
        raise SystemExit(1) from failure
    for warning in result.warnings:
        print(f"  huom: {warning}")
    verb = "Kokeiltu (ei tallennettu)" if args.dry_run else "Tuotu"
    print(f"{verb}: uusia {result.created or 'ei'}, muutettuja {result.updated or 'ei'}.")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``user``, ``import`` and ``export`` to the operators' command line."""
    user = commands.add_parser("user", help="staff accounts").add_subparsers(
        dest="user_command", required=True)
    create = user.add_parser("create", help="create a staff account (password from a prompt "
                                            "or standard input)")
    create.add_argument("email")
    create.add_argument("--role", choices=["admin", "editor", "viewer"], required=True)
    create.add_argument("--area", help="limit an editor or a viewer to one service area (its "
                                       "id): they see only its contact requests; not for admins")
    create.add_argument("--name", help="display name")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input")
    create.set_defaults(func=cmd_user_create)
    token = user.add_parser("token", help="create an API token for an account")
    token.add_argument("email")
    token.add_argument("--name", default="API", help="what the token is for")
    token.add_argument("--days", type=int, default=365, help="valid for days (0: no expiry)")
    token.set_defaults(func=cmd_user_token)
    off = user.add_parser("second-factor-off", help="turn an account's second factor (TOTP) "
                                                    "off, e.g. after a lost phone")
    off.add_argument("email")
    off.set_defaults(func=cmd_user_second_factor_off)

    export = commands.add_parser("export", help="export the whole catalogue")
    export.add_argument("--format", choices=["json", "csv"], default="json",
                        help="json (one file) or csv (a ZIP of one CSV per table)")
    export.add_argument("--output", "-o", default="-", help="file to write ('-': stdout)")
    export.set_defaults(func=cmd_export)

    imp = commands.add_parser("import", help="import catalogue data (all or nothing)")
    imp.add_argument("files", nargs="+")
    imp.add_argument("--format", choices=["json", "csv", "ptv"], default="json",
                     help="json/csv: our export; ptv: PTV open API v11 Service/ServiceChannel")
    imp.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    imp.set_defaults(func=cmd_import)
