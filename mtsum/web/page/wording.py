"""The page's error and notice panels; the words in them come from ``web/visitors.py``.

A visitor reads what happened and what *they* can do; the operator finds the original message
in the server log (``friendly`` logs it).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr

from ...error_table import BUG
from ...errors import MtsumError
from ..visitors import log_refusal, web_message
from .stops import RunStopped

__all__ = [
    "MODELS_DOCS_URL",
    "error_html",
    "friendly",
    "notice_html",
    "operator_models_html",
    "web_message",
]

log = logging.getLogger(__name__)

# The documentation page on getting models (docs/models.md), for whoever runs the server.
MODELS_DOCS_URL = "https://github.com/mtsum/mtsum/blob/main/docs/models.md"


def error_html(title: str, message: str) -> str:
    """The page's error panel: stays until the next run starts."""
    return (
        '<div class="mtsum-panel mtsum-panel-error" role="alert">'
        f"<strong>{html.escape(title)}</strong><p>{html.escape(message)}</p></div>"
    )


def notice_html(title: str, message: str, extra_html: str = "") -> str:
    """The page's notice panel: the run worked, but with less than asked (a missing model).

    ``extra_html`` is the page's own markup (never the visitor's text), added as it is.
    """
    return (
        '<div class="mtsum-panel mtsum-panel-notice" role="status">'
        f"<strong>{html.escape(title)}</strong><p>{html.escape(message)}</p>{extra_html}</div>"
    )


def operator_models_html() -> str:
    """One line for whoever runs the server (a visitor on the same machine): how to get models."""
    return (
        '<p class="mtsum-operator">Running this server yourself? '
        f'<a href="{MODELS_DOCS_URL}" target="_blank" rel="noopener">Getting models</a> '
        "(documentation) says how to download them, or copy them from another machine.</p>"
    )


@contextmanager
def friendly() -> Iterator[None]:
    """Turn mtsum's errors into ``gr.Error``, and a bug into a short apology.

    The message is worded for a web visitor (``web/visitors.py``: no server path, setting or
    command), for the page and for the scripts that call the Gradio API alike: both are
    remote. The original message goes to the log for the operator.
    """
    try:
        yield
    except (gr.Error, RunStopped):  # a stopped run ends quietly (``stops.py``)
        raise
    except MtsumError as exc:
        log_refusal(log, "web request refused", exc)
        title, message = web_message(exc)
        raise gr.Error(message, title=title, print_exception=False) from None
    except Exception:
        log.exception("unexpected error in a web request")
        raise gr.Error(
            "Something went wrong inside mtsum. This is a bug, not a problem with your text; "
            "the server log has the details.",
            title=BUG.title,
            print_exception=False,
        ) from None
