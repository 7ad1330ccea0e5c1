"""One error type for bad input, so every failure names the file and the problem."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A raw or processed file, or a parameter, that cannot be used as it is.

    The message always names the file (or parameter source), and the row or
    column when there is one, so a user can find and fix the problem.
    """

    def __init__(self, path: str | Path, problem: str, *, row: int | None = None,
                 column: str | None = None):
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")


class ParameterError(DataError):
    """A chapter parameter that is unknown, of the wrong type or not allowed."""
