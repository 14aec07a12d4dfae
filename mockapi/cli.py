"""Command line: arguments -> Settings -> serve, validate or generate. No logic of its own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from mockapi.dataset import DatasetError
from mockapi.fixtures import load_fixtures
from mockapi.generate import generate, to_document
from mockapi.loading import generation_options
from mockapi.models import format_timestamp
from mockapi.progress import progress_reporter
from mockapi.settings import Settings

SERVE_OPTIONS = tuple(Settings.model_fields)
GENERATE_OPTIONS = ("seed", "projects", "backups_per_project", "now")
# Settings that take several values on the command line (comma-separated in the environment).
_LIST_OPTIONS = {"fixtures": "PATH", "tokens": "TOKEN", "cors_origins": "ORIGIN"}


def _shown(default: Any) -> str:
    if default is None or default == []:
        return "none"
    if isinstance(default, list):
        return ",".join(map(str, default))
    if isinstance(default, datetime):
        return format_timestamp(default)
    if isinstance(default, Enum):
        return str(default.value)
    return str(default)


def _add_setting_options(parser: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """One flag per Settings field, documented with its variable and default."""
    for name in names:
        field = Settings.model_fields[name]
        flag = "--" + name.replace("_", "-")
        help_text = (
            f"{field.description} [env MOCKAPI_{name.upper()}; "
            f"default: {_shown(field.get_default(call_default_factory=True))}]"
        )
        help_text = help_text.replace("%", "%%")
        if field.annotation is bool:
            parser.add_argument(
                flag,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=help_text,
            )
        elif name in _LIST_OPTIONS:
            parser.add_argument(
                flag,
                nargs="+",
                action="extend",
                default=argparse.SUPPRESS,
                metavar=_LIST_OPTIONS[name],
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


def build_parser() -> argparse.ArgumentParser:
    """The `mockapi` command and its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="mockapi",
        description="Offline mock of the mittwald API v2 'List Backups belonging to a Project'.",
        epilog="Without a sub-command, 'serve' is assumed. Every option also reads the "
        "MOCKAPI_* variable named in its help; a flag wins over the variable.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{serve,validate,generate}")
    serve = commands.add_parser("serve", help="serve the mock API (the default)")
    _add_setting_options(serve, SERVE_OPTIONS)
    validate = commands.add_parser("validate", help="check fixture files without serving")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files or folders")
    gen = commands.add_parser("generate", help="write generated data as a fixture file")
    _add_setting_options(gen, GENERATE_OPTIONS)
    gen.add_argument(
        "-o", "--output", type=Path, default=None, help="file to write (default: stdout)"
    )
    return parser


def _settings(arguments: argparse.Namespace, names: Sequence[str]) -> Settings:
    given: dict[str, Any] = {n: getattr(arguments, n) for n in names if hasattr(arguments, n)}
    return Settings(**given)


def _settings_problem(error: ValidationError) -> str:
    lines = []
    for detail in error.errors(include_url=False):
        name = ".".join(str(p) for p in detail["loc"]) or "settings"
        flag = "--" + name.replace("_", "-")
        lines.append(f"  {flag} / MOCKAPI_{name.upper()}: {detail['msg']}")
    return "invalid settings:\n" + "\n".join(lines)


def _validate(files: Sequence[Path]) -> int:
    dataset = load_fixtures(files)
    print(
        f"ok: {len(dataset.projects)} projects, {dataset.backup_count} backups "
        f"in {', '.join(map(str, files))}"
    )
    return 0


def _generate(settings: Settings, output: Path | None) -> int:
    options = generation_options(settings.model_copy(update={"seed": settings.seed or 0}))
    assert options is not None
    total = options.projects * options.backups_per_project
    dataset = generate(options, progress_reporter(sys.stderr, total))
    data = orjson.dumps(to_document(dataset), option=orjson.OPT_INDENT_2) + b"\n"
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        print(f"wrote {len(dataset.projects)} projects, {dataset.backup_count} backups to {output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `mockapi` and `python -m mockapi`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help")):
        args.insert(0, "serve")
    arguments = build_parser().parse_args(args)
    try:
        if arguments.command == "validate":
            return _validate(arguments.files)
        if arguments.command == "generate":
            return _generate(_settings(arguments, GENERATE_OPTIONS), arguments.output)
        from mockapi.server import serve

        return serve(_settings(arguments, SERVE_OPTIONS))
    except ValidationError as error:
        print(f"mockapi: {_settings_problem(error)}", file=sys.stderr)
        return 2
    except DatasetError as error:
        print(f"mockapi: {error}", file=sys.stderr)
        return 1
