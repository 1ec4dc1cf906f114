"""What a web visitor reads when something goes wrong, and the error panel that shows it.

mtsum's error messages are written for whoever can act on them: the CLI user and the operator
read "raise MTSUM_MAX_CHARS" or "mtsum models pull fr-en". A web visitor can do neither, so the
page words each error for them (what happened, what *they* can do), and the operator finds the
original message in the server log (``handlers.friendly`` logs it).
"""

from __future__ import annotations

import html
import re

from ...error_table import answer_for
from ...errors import InputError, ModelUnavailableError, TextTooLongError

__all__ = ["error_html", "notice_html", "web_message"]

# "(MTSUM_MAX_UPLOAD_MB)", "or raise MTSUM_MAX_CHARS", "set MTSUM_ENGINE=transformers": advice
# only an operator can follow.
_OPERATOR_ADVICE = re.compile(
    r"\s*\((?:[^()]*\b)?MTSUM_\w+[^()]*\)|\s*(?:,|;)?\s*(?:or |and )?(?:raise|set|unset) "
    r"MTSUM_\w+(?:=\S+)?"
)
_SERVER_SIDE = (
    "This server is not set up for this request. It is not a problem with your text; whoever "
    "runs the server will find the details in its log."
)


def web_message(exc: Exception) -> tuple[str, str]:
    """``(title, message)`` for a web visitor: no environment variables, no shell commands.

    The title is the error table's (one per error type for every face); the message is worded
    here, for someone who cannot change the server.
    """
    title = answer_for(exc).title
    if isinstance(exc, TextTooLongError):
        return title, (
            f"The text has {exc.characters:,} characters, over the limit of {exc.limit:,} on "
            "this server. Split it into smaller parts and run each one."
        )
    if isinstance(exc, ModelUnavailableError):
        return title, (
            f"A model this needs ({exc.model}) is not available on this server. Choose another "
            "language, or ask whoever runs the server to install it (the server log says how)."
        )
    if isinstance(exc, InputError):
        return title, _for_visitors(str(exc))
    return title, _SERVER_SIDE  # ConfigError and the rest: the operator's


def _for_visitors(message: str) -> str:
    """``message`` as a sentence, without advice that only the operator can follow."""
    cleaned = _OPERATOR_ADVICE.sub("", message).strip()
    if "MTSUM_" in cleaned:  # advice in a form the pattern does not know: say it plainly
        return _SERVER_SIDE
    first = cleaned.split(maxsplit=1)[0] if cleaned else ""
    # "the text is empty" -> "The text is empty", but "report.docx is not ..." stays as named.
    return cleaned[:1].upper() + cleaned[1:] if first.isalpha() else cleaned


def error_html(title: str, message: str) -> str:
    """The page's error panel: stays until the next run starts."""
    return (
        '<div class="mtsum-panel mtsum-panel-error" role="alert">'
        f"<strong>{html.escape(title)}</strong><p>{html.escape(message)}</p></div>"
    )


def notice_html(title: str, message: str) -> str:
    """The page's notice panel: the run worked, but with less than asked (a missing model)."""
    return (
        '<div class="mtsum-panel mtsum-panel-notice" role="status">'
        f"<strong>{html.escape(title)}</strong><p>{html.escape(message)}</p></div>"
    )
