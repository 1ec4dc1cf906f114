"""The operator's words for mtsum's errors: the message plus what whoever runs mtsum can do.

The errors carry their data (``errors.py``) and no face's advice. The person at the command line
and the one reading a server's log can act on the machine, so their line names the command or
the setting that fixes it (``mtsum models pull fr-en``, ``MTSUM_MAX_CHARS``); the CLI prints it
and the web faces log it. A web visitor reads the same error worded in ``web.visitors``.
"""

from __future__ import annotations

from .errors import ModelUnavailableError, TextTooLongError

__all__ = ["operator_message"]


def operator_message(exc: BaseException) -> str:
    """``exc``'s message with the operator's advice: the pull command, the setting to raise."""
    if isinstance(exc, ModelUnavailableError) and exc.name:
        return f"{exc}; fetch it with: mtsum models pull {exc.name}"
    if isinstance(exc, TextTooLongError):
        return f"{exc}, or raise MTSUM_MAX_CHARS"
    return str(exc)
