"""The command line: every failure is one line, `mockapi: <what> (<hint>)`, exit code 2.

A table of the mistakes a new user makes, each with the line they must see. Mistakes caught
before serving go through `main()`, the console script's own function, in this process (the
shell's `MOCKAPI_*` variables kept out); those found while starting to serve, and the
version, run the installed `mockapi` command.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from mockapi.cli import main
from tests.support import child_env

MOCKAPI = [str(Path(sys.executable).parent / "mockapi")]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


@pytest.fixture
def special_files(tmp_path: Path) -> Path:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "ok.json").write_text("[]")
    return folder


Ran = subprocess.CompletedProcess[str]


def run(args: list[str], env: dict[str, str] | None = None) -> Ran:
    """The installed `mockapi` command, in a process of its own."""
    return subprocess.run(
        [*MOCKAPI, *args], capture_output=True, text=True, timeout=60, env=child_env(env)
    )


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """`main()` with these arguments and `MOCKAPI_*` variables, in this process."""

    def call(args: list[str], env: dict[str, str] | None = None) -> Ran:
        # The environment an installed command would get from `run`.
        wanted = child_env(env)
        for name in set(os.environ) - set(wanted):
            monkeypatch.delenv(name)
        for name, value in wanted.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            code: int | str | None = main(args)
        except SystemExit as exit_:  # argparse's errors, --help
            code = exit_.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return call


def assert_one_line(result: Ran, expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mockapi: "), lines[0]
    assert expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (
            ["generate", "--seed", "1", "-o", "/nonexistent/dir/x.json"],
            {},
            "cannot write /nonexistent/dir/x.json: No such file or directory (check that the "
            "folder exists and is writable)",
        ),
        (["generate"], {}, "generate needs --seed"),
        (
            ["serve", "--prot", "1"],
            {},
            "serve: unrecognized arguments: --prot 1 (see 'mockapi serve --help')",
        ),
        (["serve", "--auth", "sometimes"], {}, "serve: argument --auth: invalid choice"),
        (["--port", "99999"], {}, "--port / MOCKAPI_PORT: Must be less than or equal to 65535"),
        ([], {"MOCKAPI_PORT": "abc"}, "--port / MOCKAPI_PORT: Invalid type. Expected: integer"),
        (
            [],
            {"MOCKAPI_NOW": "yesterday"},
            "--now / MOCKAPI_NOW: must be an RFC 3339 time with a zone, such as "
            "2026-01-30T12:00:00Z, or 'today' (midnight UTC) or 'now'",
        ),
        ([], {"MOCKAPI_FAULTS": "[{"}, "--faults / MOCKAPI_FAULTS: must be a JSON array"),
        (["--faults", '[{"status": 302}]'], {}, "--faults / MOCKAPI_FAULTS: rule 1: "),
        (["--faults", '[{"sttus": 503}]'], {}, "rule 1: sttus: is not a field of a fault rule"),
        (["--rate-limit-window", "inf"], {}, "--rate-limit-window / MOCKAPI_RATE_LIMIT_WINDOW"),
        (["--auth", "tokens"], {}, "needs at least one token"),
        (["--unknown-project", "teapot"], {}, "--unknown-project: invalid choice"),
        ([], {"MOCKAPI_CONTROL_TOKEN": ""}, "an empty control token would open the control API"),
        (["--tokens", "pässword"], {}, "visible ASCII"),
        (["--project-alias", "nope"], {}, "UUID=p-xxxxxx"),
        (
            ["--workers", "2", "--faults", '[{"status": 503, "count": 1}]'],
            {},
            "--workers 2 cannot be combined with: fault rules with 'count' would fire once "
            "per worker",
        ),
        (["--workers", "2", "--rate-limit", "5"], {}, "each token through once per worker"),
    ],
)
def test_startup_mistakes_are_one_line_with_a_hint(
    cli: Callable[..., Ran], args: list[str], env: dict[str, str], expected: str
) -> None:
    assert_one_line(cli(args, env), expected)


def test_an_unknown_host_is_named_with_a_hint() -> None:
    assert_one_line(
        run(["serve", "--host", "no-such-host.invalid", "--port", "0"]),
        "cannot listen on host 'no-such-host.invalid'",
    )


def test_the_installed_command_says_a_settings_mistake_as_main_does() -> None:
    assert_one_line(
        run([], {"MOCKAPI_PORT": "abc"}),
        "--port / MOCKAPI_PORT: Invalid type. Expected: integer",
    )


def test_a_port_in_use_is_named_with_a_hint(busy_port: int) -> None:
    assert_one_line(
        run(["--port", str(busy_port)]),
        f"port {busy_port} on 127.0.0.1 is in use (pick another with --port, or --port 0",
    )


@pytest.mark.parametrize("kind", ["fifo", "broken link"])
def test_a_special_file_in_a_fixtures_folder_stops_startup(
    cli: Callable[..., Ran], special_files: Path, kind: str
) -> None:
    target = special_files / "odd.json"
    if kind == "fifo":
        os.mkfifo(target)
        expected = f"{target}: a FIFO, not a fixture file"
    else:
        target.symlink_to(special_files / "gone.json")
        expected = f"{target}: a broken link, not a fixture file"
    assert_one_line(run(["--port", "0", "--fixtures", str(special_files)]), expected)
    assert_one_line(cli(["validate", str(special_files)]), expected)


@pytest.mark.parametrize("args", [["--version"], ["serve", "--version"]])
def test_version_comes_from_the_package_metadata(args: list[str]) -> None:
    import mockapi

    assert mockapi.__version__ == version("mockapi")
    result = run(args)
    assert result.returncode == 0
    assert result.stdout == f"mockapi {version('mockapi')}\n"


@pytest.mark.parametrize("command", ["generate", "validate"])
def test_subcommands_describe_themselves(cli: Callable[..., Ran], command: str) -> None:
    result = cli([command, "--help"])
    assert result.returncode == 0
    assert "fixture" in result.stdout.split("options:")[0].lower()


def test_generate_help_speaks_of_generation_not_of_serving(cli: Callable[..., Ran]) -> None:
    text = " ".join(cli(["generate", "--help"]).stdout.split())
    assert "(required)" in text and "same seed" in text
    assert "MOCKAPI_" not in text and "--port" not in text


def test_an_empty_fixture_file_validates_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    assert main(["validate", str(empty)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ok: 0 backups, 0 projects")
    assert f"mockapi: warning: {empty} holds no backups" in err


def test_validate_counts_with_the_right_plurals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.json"
    one.write_text(
        '[{"id": "aaaaaaaa-0000-4000-8000-000000000001", "projectId": '
        '"bbbbbbbb-0000-4000-8000-000000000001", "requestedAt": "2026-01-01T00:00:00Z", '
        '"status": "Completed", "deletable": true}]'
    )
    assert main(["validate", str(one)]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 backup, 1 project, 0 schedules in ")
