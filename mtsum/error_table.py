"""One table from each error type to its answer on every face: HTTP status, page title, exit code.

The REST guard, the page's handlers and the CLI all look errors up here, so a new error type (or
a changed status) is one row, and the three faces cannot disagree. The most specific type comes
first; ``answer_for`` takes the first row the error is an instance of.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .errors import ConfigError, InputError, ModelUnavailableError, MtsumError, TextTooLongError

__all__ = ["BUG", "TABLE", "ErrorAnswer", "answer_for"]


@dataclass(frozen=True)
class ErrorAnswer:
    """How every face answers one kind of error.

    Attributes:
        status: the REST API's HTTP status.
        title: the page's error title.
        exit_code: the CLI's exit status.
        log_level: how loudly the server logs it (a bad input is routine, a setting is not).
    """

    status: int
    title: str
    exit_code: int
    log_level: int = logging.INFO


_SERVER = ErrorAnswer(500, "Server configuration", 2, logging.ERROR)

TABLE: tuple[tuple[type[MtsumError], ErrorAnswer], ...] = (
    (TextTooLongError, ErrorAnswer(413, "Text too long", 2)),
    (InputError, ErrorAnswer(400, "Please check", 2)),
    (ModelUnavailableError, ErrorAnswer(503, "Model unavailable", 3, logging.WARNING)),
    (ConfigError, _SERVER),
    (MtsumError, _SERVER),
)

BUG = ErrorAnswer(500, "Internal error", 1, logging.ERROR)
"""The answer to anything outside the ``MtsumError`` tree: a bug."""


def answer_for(exc: BaseException) -> ErrorAnswer:
    """The row of ``exc``'s most specific type; ``BUG`` for anything that is not ours."""
    return next((answer for kind, answer in TABLE if isinstance(exc, kind)), BUG)
