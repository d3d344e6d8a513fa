"""The ``cislog`` command: parses arguments, calls the library, prints the result.

Each command lives in a module of its own, listed in :data:`cislog.cli.app.COMMANDS`,
which imports and builds it only when it runs.
"""

from cislog.cli.app import app, main
from cislog.cli.common import ExitCode

__all__ = ["ExitCode", "app", "main"]
