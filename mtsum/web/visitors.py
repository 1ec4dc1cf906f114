"""What a web visitor (the page, a REST client, a Gradio API script) may read, and in which words.

mtsum's errors carry their data (the model's name, the limit) and say what happened; the CLI
adds what its user can run. A remote visitor can run nothing on the server, and a server path
tells a stranger how the machine is laid out. So every web face words errors here from the
error's data: what happened, what *they* can do. Warnings are plain strings and may hold an
operator's detail (a model's folder, a setting in a reason), which ``visitor_text`` removes; the
operator finds the original message in the server log (the faces log it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from ..error_table import answer_for
from ..errors import InputError, ModelUnavailableError, TextTooLongError
from ..operator_words import operator_message

__all__ = [
    "log_refusal",
    "rest_message",
    "visitor_model",
    "visitor_result",
    "visitor_text",
    "visitor_warnings",
    "web_message",
]

T = TypeVar("T")

# "(MTSUM_MAX_UPLOAD_MB)", "or raise MTSUM_MAX_CHARS", "set MTSUM_ENGINE=transformers": advice
# only an operator can follow.
_OPERATOR_ADVICE = re.compile(
    r"\s*\((?:[^()]*\b)?(?:MTSUM|HF)_\w+[^()]*\)|\s*(?:,|;)?\s*(?:or |and )?(?:raise|set|unset) "
    r"(?:MTSUM|HF)_\w+(?:=\S+)?"
)
_UNAVAILABLE = "is unavailable: "
# An absolute path on the server (not the path part of a URL, nor a hub id "org/name").
_SERVER_PATH = re.compile(r"(?<![\w:/.~-])(?:/[\w.+@-]+){2,}/?")
_ENV_NAME = re.compile(r"\b(?:MTSUM|HF)_[A-Z_]+\b")
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
            f"A model this needs ({_model_label(exc)}) is not available on this server. Choose "
            "another language, or ask whoever runs the server to install it (the server log "
            "says how)."
        )
    if isinstance(exc, InputError):
        return title, _sentence(visitor_text(str(exc)))
    return title, _SERVER_SIDE  # ConfigError and the rest: the operator's


def log_refusal(logger: logging.Logger, what: str, exc: Exception) -> None:
    """Log a refused web request for the operator: the error table's level and title, and the
    error in the operator's words (the command or setting that fixes it)."""
    answer = answer_for(exc)
    logger.log(answer.log_level, "%s (%s): %s", what, answer.title, operator_message(exc))


def rest_message(exc: Exception) -> str:
    """The ``{"error": ...}`` message of a REST answer: mtsum's words, less the operator's."""
    if isinstance(exc, TextTooLongError):
        return (
            f"the text has {exc.characters:,} characters, over the limit of {exc.limit:,} on "
            "this server; split it into smaller parts"
        )
    if isinstance(exc, ModelUnavailableError):
        return (
            f"model {_model_label(exc)} is not available on this server; try another language, "
            "or ask whoever runs the server to install it"
        )
    if isinstance(exc, InputError):
        return visitor_text(str(exc))
    return (
        "the server's configuration is invalid (its model registry or a setting); whoever runs "
        "the server will find the details in its log"
    )


def _model_label(exc: ModelUnavailableError) -> str:
    """``fr-en (Helsinki-NLP/opus-mt-fr-en)``: the registry name and a hub id, never a folder."""
    shown = visitor_model(exc.model)
    if not exc.name:
        return shown
    return exc.name if shown != exc.model else f"{exc.name} ({exc.model})"


def visitor_model(reference: str) -> str:
    """A model reference as a visitor may see it: a hub id as it is, a local folder by its name."""
    if reference.startswith(("/", ".", "~")) or "\\" in reference or reference.count("/") > 1:
        return reference.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]
    return reference


def visitor_text(message: str) -> str:
    """``message`` without what only the operator can use: server paths, settings.

    A model that could not be loaded keeps its name ("model Org/name is not available on this
    server"); why it failed (a folder, a setting) is the log's.
    """
    text = _without_unavailable_reason(message)
    text = _OPERATOR_ADVICE.sub("", text)
    text = _SERVER_PATH.sub("a folder on the server", text)
    return _ENV_NAME.sub("a server setting", text).strip()


def visitor_warnings(warnings: Iterable[str]) -> list[str]:
    """Each warning in a visitor's words (see :func:`visitor_text`)."""
    return [visitor_text(warning) for warning in warnings]


def visitor_result(data: T) -> T:
    """A result JSON (or any part of one) with its ``warnings`` and ``models`` for visitors.

    The text and the checks' flags are the visitor's own content and pass unchanged.
    """
    return cast("T", _cleaned(data))


def _cleaned(data: Any) -> Any:
    if isinstance(data, dict):
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            if key == "warnings" and isinstance(value, list):
                cleaned[key] = [
                    visitor_warnings(v) if isinstance(v, list) else visitor_text(v)
                    if isinstance(v, str) else v
                    for v in value
                ]  # fmt: skip
            elif key == "models" and isinstance(value, list):
                cleaned[key] = [visitor_model(v) if isinstance(v, str) else v for v in value]
            else:
                cleaned[key] = _cleaned(value)
        return cleaned
    if isinstance(data, list):
        return [_cleaned(item) for item in data]
    return data


def _without_unavailable_reason(text: str) -> str:
    """``model REF is unavailable: REASON`` -> ``model REF is not available on this server``.

    The reason runs to the end of the text or of the bracket that holds the whole message;
    it is scanned rather than matched because reasons have brackets of their own.
    """
    start = text.find(_UNAVAILABLE)
    if start < 0:
        return text
    head = text[:start].rstrip()
    before, _, reference = head.rpartition(" ")
    depth, end = 0, len(text)
    for index in range(start + len(_UNAVAILABLE), len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                end = index
                break
            depth -= 1
    shown = visitor_model(reference)
    return f"{before} {shown} is not available on this server{text[end:]}".lstrip()


def _sentence(message: str) -> str:
    """``message`` as a sentence: "the text is empty" -> "The text is empty"; a file name that
    starts it ("report.docx is not ...") stays as named."""
    if "MTSUM_" in message:  # advice in a form the patterns do not know: say it plainly
        return _SERVER_SIDE
    first = message.split(maxsplit=1)[0] if message else ""
    return message[:1].upper() + message[1:] if first.isalpha() else message
