"""Command line: arguments -> Settings -> serve, validate or generate. No logic of its own.

Every failure is one line on stderr, `mockapi: <what> (<hint>)`, and exit code 2.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import orjson
from pydantic import ValidationError

from mockapi.backups.dataset import DatasetError
from mockapi.settings import ENV_PREFIX, Settings, shown_default, unknown_variables

GENERATE_HELP = {
    "seed": "Seed of the generated data (required): the same seed and options give the same bytes.",
    "projects": "Projects to generate.",
    "backups_per_project": "Backups per project.",
    "now": "The 'now' the data is made for: an RFC 3339 time, 'today' or 'now'.",
}
DESCRIPTIONS = {
    "serve": "Serve the mittwald API v2 backup operations and project look-up on built-in, "
    "fixture or generated data.",
    "validate": "Check fixture files against the official schemas without serving them; "
    "every problem names the file, the item and the field.",
    "generate": "Write generated data (projects, schedules, backups) as a fixture document.",
    "record": "Read projects, backups and backup schedules of a real account through the API "
    "and write them as a fixture document (progress on stderr, one line per project).",
}


class CliError(Exception):
    """A failure the CLI reports as one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one `mockapi: ...` line naming the sub-command."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("mockapi").strip()
        where = f"{command}: " if command else ""
        help_hint = f"mockapi {command} --help" if command else "mockapi --help"
        print(f"mockapi: {where}{message} (see '{help_hint}')", file=sys.stderr)
        raise SystemExit(2)


def _add_setting_options(
    parser: argparse.ArgumentParser, names: Sequence[str], helps: dict[str, str] | None = None
) -> None:
    """One flag per Settings field, documented with its variable and default."""
    for name in names:
        field = Settings.model_fields[name]
        flag = "--" + name.replace("_", "-")
        default = shown_default(field.get_default(call_default_factory=True))
        description = (helps or {}).get(name, field.description or "")
        env = f"env {ENV_PREFIX}{name.upper()}; " if helps is None else ""
        help_text = f"{description} [{env}default: {default}]".replace("%", "%%")
        if field.annotation is bool:
            parser.add_argument(
                flag,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=help_text,
            )
        elif name in Settings.LIST_FIELDS:
            # A repeatable flag reads best in the singular: --project-alias A --project-alias B.
            singular = flag.removesuffix("es") if flag.endswith("aliases") else None
            parser.add_argument(
                *([singular] if singular else []),
                flag,
                dest=name,
                nargs="+",
                action="extend",
                default=argparse.SUPPRESS,
                metavar=Settings.LIST_FIELDS[name],
                help=help_text,
            )
        elif isinstance(field.annotation, type) and issubclass(field.annotation, Enum):
            parser.add_argument(
                flag,
                default=argparse.SUPPRESS,
                choices=[member.value for member in field.annotation],
                help=help_text,
            )
        else:
            parser.add_argument(
                flag, default=argparse.SUPPRESS, metavar=name.upper(), help=help_text
            )


def build_parser() -> _Parser:
    """The `mockapi` command and its sub-commands."""
    from mockapi import __version__

    parser = _Parser(
        prog="mockapi",
        description="Offline mock of the mittwald API v2: the backup API and project look-up.",
        epilog="Without a sub-command, 'serve' is assumed. Every serve option also reads the "
        "MOCKAPI_* variable named in its help; a flag wins over the variable.",
    )
    parser.add_argument("--version", action="version", version=f"mockapi {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="{serve,validate,generate,record}", parser_class=_Parser
    )
    serve = commands.add_parser(
        "serve", help="serve the mock API (the default)", description=DESCRIPTIONS["serve"]
    )
    serve.add_argument("--version", action="version", version=f"mockapi {__version__}")
    _add_setting_options(serve, tuple(Settings.model_fields))
    validate = commands.add_parser(
        "validate", help="check fixture files without serving", description=DESCRIPTIONS["validate"]
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files or folders")
    gen = commands.add_parser(
        "generate",
        help="write generated data as a fixture file",
        description=DESCRIPTIONS["generate"],
    )
    _add_setting_options(gen, tuple(GENERATE_HELP), GENERATE_HELP)
    gen.add_argument(
        "-o", "--output", type=Path, default=None, help="file to write (default: stdout)"
    )
    parser.commands = {
        "serve": serve,
        "validate": validate,
        "generate": gen,
        "record": _add_record_parser(commands),
    }
    return parser


def _add_record_parser(commands: Any) -> argparse.ArgumentParser:
    from mockapi.data.upstream import DEFAULT_API_URL, MAX_PAGE_SIZE, TOKEN_VARIABLE

    record: argparse.ArgumentParser = commands.add_parser(
        "record", help="record a real account as a fixture file", description=DESCRIPTIONS["record"]
    )
    record.add_argument(
        "--token",
        default=None,
        help=f"API token [env {TOKEN_VARIABLE}; the variable keeps it out of the process list]",
    )
    record.add_argument(
        "--api-url",
        default=DEFAULT_API_URL,
        help=f"the API's base URL [default: {DEFAULT_API_URL}]",
    )
    which = record.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--project",
        dest="projects",
        nargs="+",
        action="extend",
        metavar="ID_OR_SHORT_ID",
        help="a project to record (UUID or p-xxxxxx), repeatable",
    )
    which.add_argument(
        "--all-projects", action="store_true", help="every project the token can read"
    )
    record.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    record.add_argument(
        "--anonymize",
        action="store_true",
        help="new ids and short ids, generated names, descriptions and paths; times and "
        "statuses kept",
    )
    record.add_argument(
        "--page-size",
        type=int,
        default=MAX_PAGE_SIZE,
        help=f"backups asked for per request [default: {MAX_PAGE_SIZE}]",
    )
    return record


def _settings_problem(error: ValidationError) -> list[str]:
    lines = []
    for detail in error.errors(include_url=False):
        loc = [str(p) for p in detail["loc"]]
        name = loc[0] if loc else ""
        if name in Settings.model_fields:
            where = f"--{name.replace('_', '-')} / {ENV_PREFIX}{name.upper()}"
        else:
            where = "settings"
        if len(loc) > 1 and name == "faults" and loc[1].isdigit():
            where += f": rule {int(loc[1]) + 1}" + (f": {'.'.join(loc[2:])}" if loc[2:] else "")
        elif len(loc) > 1 and loc[1].isdigit():
            where += f": value {int(loc[1]) + 1}"
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "enum":
            expected = (detail.get("ctx") or {}).get("expected", "")
            message = f"must be one of {expected}"
        elif detail["type"] in ("bool_parsing", "bool_type"):
            message = "must be true or false"
        elif detail["type"] == "missing":
            message = "is required"
        elif detail["type"] == "extra_forbidden":
            message = "is not a field of a fault rule" if name == "faults" else "is not a setting"
        shown = detail.get("input")
        got = f" (got {shown!r})" if isinstance(shown, str | int) and "got " not in message else ""
        lines.append(f"mockapi: {where}: {message}{got}")
    return lines


def _validate(files: Sequence[Path]) -> int:
    from mockapi.data.fixtures import expand_paths, load_fixtures

    dataset = load_fixtures(files)
    for path in expand_paths(files):
        if path.stat().st_size == 0 or path.read_bytes().strip() in (b"[]", b"{}"):
            print(f"mockapi: warning: {path} holds no backups", file=sys.stderr)
    print(
        f"ok: {dataset.backup_count:,} backup{'s' * (dataset.backup_count != 1)}, "
        f"{dataset.project_count:,} project{'s' * (dataset.project_count != 1)}, "
        f"{len(dataset.schedules):,} schedule{'s' * (len(dataset.schedules) != 1)} "
        f"in {', '.join(map(str, files))}"
    )
    if not dataset.backup_count and not dataset.project_count:
        print("mockapi: warning: nothing to serve in these files", file=sys.stderr)
    return 0


def _generate(settings: Settings, output: Path | None) -> int:
    from mockapi.data.generate import generate, to_document
    from mockapi.data.loading import generation_options
    from mockapi.data.progress import progress_reporter

    options = generation_options(settings)
    if options is None:
        raise CliError(
            "generate needs --seed (any whole number; the same seed gives the same data)"
        )
    total = options.projects * options.backups_per_project
    dataset = generate(options, progress_reporter(sys.stderr, total))
    data = orjson.dumps(to_document(dataset), option=orjson.OPT_INDENT_2) + b"\n"
    if output is None:
        sys.stdout.buffer.write(data)
        return 0
    try:
        output.write_bytes(data)
    except OSError as error:
        hint = "check that the folder exists and is writable"
        raise CliError(f"cannot write {output}: {error.strerror or error} ({hint})") from None
    print(f"wrote {len(dataset.projects)} projects, {dataset.backup_count} backups to {output}")
    return 0


def _record(arguments: argparse.Namespace) -> int:
    from mockapi.data.record import RecordError, RecordOptions, record
    from mockapi.data.statefile import write_atomically
    from mockapi.data.upstream import TOKEN_VARIABLE

    token = arguments.token or os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        raise CliError(f"record needs a token (--token, or the variable {TOKEN_VARIABLE})")
    options = RecordOptions(
        token=token,
        projects=tuple(arguments.projects or ()),
        api_url=arguments.api_url,
        page_size=arguments.page_size,
        anonymize=arguments.anonymize,
    )

    def progress(line: str) -> None:
        print(f"mockapi: record: {line}", file=sys.stderr, flush=True)

    try:
        document = record(options, progress)
    except RecordError as error:
        raise CliError(f"record: {error}") from None
    output: Path = arguments.output
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    try:
        write_atomically(output, [data])
    except OSError as error:
        hint = "check that the folder exists and is writable"
        raise CliError(f"cannot write {output}: {error.strerror or error} ({hint})") from None
    counts = {key: len(document[key]) for key in ("projects", "schedules", "backups")}
    print(
        f"wrote {counts['projects']} projects, {counts['schedules']} schedules, "
        f"{counts['backups']} backups to {output}"
        + (" (anonymized)" if arguments.anonymize else "")
    )
    return 0


def _serve(settings: Settings) -> int:
    from mockapi.server import serve

    try:
        return serve(settings)
    except socket.gaierror as error:
        raise CliError(
            f"cannot listen on host {settings.host!r}: {error.strerror} "
            "(use an address such as 127.0.0.1, 0.0.0.0 or ::)"
        ) from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CliError(
                f"port {settings.port} on {settings.host} is in use (pick another with --port, "
                "or --port 0 for a free one)"
            ) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise CliError(
                f"not allowed to listen on port {settings.port} (ports below 1024 need root; "
                "use --port 8080)"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise CliError(
                f"cannot listen on {settings.host}: no such address on this machine "
                "(use 127.0.0.1 or 0.0.0.0)"
            ) from None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `mockapi` and `python -m mockapi`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "serve")
    parser = build_parser()
    arguments, extras = parser.parse_known_args(args)
    if extras:
        if arguments.command == "record":
            # A mistyped flag may be followed by the token: name flags only, never values.
            extras = [e if e.startswith("-") else "..." for e in extras]
        # Reported by the sub-command, so its usage is the one the user is pointed to.
        parser.commands[arguments.command].error(f"unrecognized arguments: {' '.join(extras)}")
    try:
        if arguments.command == "validate":
            return _validate(arguments.files)
        if arguments.command == "record":
            return _record(arguments)
        given = {
            name: getattr(arguments, name)
            for name in Settings.model_fields
            if hasattr(arguments, name)
        }
        if arguments.command == "generate":
            return _generate(Settings(**given), arguments.output)
        for warning in unknown_variables(os.environ):
            print(warning, file=sys.stderr)
        return _serve(Settings.from_environment(**given))
    except ValidationError as error:
        for line in _settings_problem(error):
            print(line, file=sys.stderr)
        return 2
    except DatasetError as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        for line in lines[1:] or lines:
            print(f"mockapi: {line}", file=sys.stderr)
        return 2
    except CliError as error:
        print(f"mockapi: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
