"""The page's error and notice panels; the words in them come from ``web/visitors.py``.

A visitor reads what happened and what *they* can do; the operator finds the original message
in the server log (``handlers.friendly`` logs it).
"""

from __future__ import annotations

import html

from ..visitors import web_message

__all__ = ["error_html", "notice_html", "web_message"]


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
