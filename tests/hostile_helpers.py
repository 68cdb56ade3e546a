"""Run the CLI in-process as a user would, and check what a hostile case gives."""

from __future__ import annotations

import io
import sys
import traceback

import pytest

from muhasasa import cli


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
