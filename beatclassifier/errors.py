"""Errors a user can act on, and the exit codes scripts can trust."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # unexpected: a bug or an outage; the message says which
EXIT_BAD_INPUT = 2  # the user's input or options are wrong; nothing was written
EXIT_ALREADY_RUNNING = 75  # EX_TEMPFAIL: another run holds the job's lock; try later


class UserError(Exception):
    """Bad input or a refused operation: print the message, no traceback."""

    exit_code = EXIT_BAD_INPUT


class InputError(UserError):
    """A problem in an input file, located as precisely as we can."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.line, self.column = file, line, column
        where = ", ".join(
            part
            for part in (
                file,
                f"line {line}" if line is not None else None,
                f"column {column!r}" if column is not None else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
