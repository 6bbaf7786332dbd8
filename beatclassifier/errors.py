"""Errors a user can act on, and the exit codes scripts can trust."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # unexpected: a bug or an outage; the message says which
EXIT_BAD_INPUT = 2  # the user's input or options are wrong; nothing was written
EXIT_TRY_LATER = 75  # EX_TEMPFAIL: the service asked us to come back later
EXIT_ALREADY_RUNNING = EXIT_TRY_LATER  # another run holds the job's lock; try later
EXIT_STOPPED = 143  # 128 + SIGTERM: stopped on request between steps; the next run resumes


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


class AlreadyRunning(UserError):
    """Another process holds the job's lock: nothing was done, try again later."""

    exit_code = EXIT_ALREADY_RUNNING


class JobFailed(UserError):
    """A job's run failed: the one-line summary the ledger holds, and the exit code it implies."""

    def __init__(self, summary: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(summary)
        self.exit_code = exit_code


class JobStopped(UserError):
    """The run was asked to stop (SIGTERM) and stopped between steps."""

    exit_code = EXIT_STOPPED
