"""The look of the page: a calm Gradio theme, a little CSS, and the in-browser character counter.

Gradio 6 takes the theme and CSS when the page is served (``mount_gradio_app`` or ``launch``),
not when the Blocks are built, so both serving paths ask this module for them. Fonts are the
reader's own system fonts: the page must work on machines without internet access.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

__all__ = ["CSS", "counter_js", "page_style"]

CSS = """
.mtsum-header h1 { margin-bottom: 0.1em; }
.mtsum-header p { margin-top: 0; opacity: 0.8; }
.mtsum-counter { font-size: 0.85em; opacity: 0.75; text-align: right; margin-top: -0.4em; }
.mtsum-over { color: #b42318; font-weight: 600; opacity: 1; }
.mtsum-card { border-radius: 12px; }
.mtsum-detected p, .mtsum-timings p { margin: 0.2em 0; }
.mtsum-panel { border-radius: 10px; padding: 0.7em 1em; }
.mtsum-panel p { margin: 0.3em 0 0; }
.mtsum-panel-error { background: #fef3f2; border: 1px solid #fda29b; color: #7a271a; }
.mtsum-panel-notice { background: #fffaeb; border: 1px solid #fec84b; color: #7a2e0e; }
footer { opacity: 0.7; }
"""


def page_style() -> dict[str, Any]:
    """Keyword arguments for ``gr.mount_gradio_app`` and ``Blocks.launch``: theme and CSS."""
    theme = gr.themes.Soft(
        primary_hue="indigo",
        secondary_hue="sky",
        neutral_hue="slate",
        radius_size="lg",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )
    return {"theme": theme, "css": CSS}


def counter_js(limit: int) -> str:
    """A browser-side function ``(text) -> html`` for the character counter.

    It runs in the page on every change, so typing costs no request. Characters are counted as
    code points (``[...text]``), as Python's ``len`` does, not as UTF-16 units.
    """
    return f"""
(text) => {{
  const limit = {int(limit)};
  const n = [...(text || "")].length;
  const fmt = (x) => x.toLocaleString("en-US");
  if (n > limit) {{
    return '<span class="mtsum-over">' + fmt(n) + " / " + fmt(limit) +
      " characters: over the limit by " + fmt(n - limit) + "; shorten the text</span>";
  }}
  return fmt(n) + " / " + fmt(limit) + " characters";
}}
"""
