"""Run the CLI in-process as a user would, and check what a hostile case gives."""

from __future__ import annotations

import io
import sys
import traceback

import click
import pytest

from muhasasa import cli
from muhasasa.errors import InputError


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``muhasasa ARGV`` (through :func:`muhasasa.cli.main`)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    code = 0
    try:
        cli.main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a traceback: report it as the failure it is
        sys.stdout, sys.stderr = old
        pytest.fail(f"muhasasa {' '.join(argv)} raised:\n{traceback.format_exc()}")
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def one_line_error(argv: list[str]) -> str:
    """Assert ``muhasasa ARGV`` fails with exit 2 and one line on stderr; return the line."""
    code, _, err = run_cli(argv)
    assert code == 2, (code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("muhasasa: error: "), err
    assert "Traceback" not in err
    return lines[0]


def shown_names(command: click.Command) -> set[str]:
    """What a user types or reads for each parameter: ``--option`` (every spelling) or ``ARGUMENT``."""
    names = set()
    for param in command.params:
        if isinstance(param, click.Argument):
            names.add(param.human_readable_name)
        else:
            names.update(param.opts)
    return names


def about_an_argument(exc: Exception, argv: list[str]) -> bool:
    """An error about a value typed on the command line, not about a file's content."""
    return isinstance(exc, InputError) and exc.line is None and (
        exc.source == "argument" or (exc.source.isidentifier() and exc.source not in argv[1:]))


def message_spy(seen: list[tuple[Exception, str]]):
    """A stand-in for :func:`muhasasa.cli.message` that records each library error reaching the
    CLI, with the line printed for it, in ``seen``."""
    original = cli.message

    def spy(exc, *args, **kwargs):
        line = original(exc, *args, **kwargs)
        seen.append((exc, line))
        return line

    return spy


def run_cli_seen(argv: list[str]) -> tuple[int, str, str, list[tuple[Exception, str]]]:
    """:func:`run_cli`, with the library errors that reached the CLI and the lines printed for them."""
    seen: list[tuple[Exception, str]] = []
    original = cli.message
    cli.message = message_spy(seen)
    try:
        code, out, err = run_cli(argv)
    finally:
        cli.message = original
    return code, out, err, seen
