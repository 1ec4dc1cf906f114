"""The page's error and notice panels; the words in them come from ``web/visitors.py``.

A visitor reads what happened and what *they* can do; the operator finds the original message
in the server log (``handlers.friendly`` logs it).
"""

from __future__ import annotations

import html

from ..visitors import web_message

__all__ = ["MODELS_DOCS_URL", "error_html", "notice_html", "operator_models_html", "web_message"]

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
