"""The look of the page: a calm Gradio theme, a little CSS, and the in-browser character counter.

Gradio 6 takes the theme and CSS when the page is served (``mount_gradio_app`` or ``launch``),
not when the Blocks are built, so both serving paths ask this module for them. Fonts are the
reader's own system fonts: the page must work on machines without internet access.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

__all__ = ["CSS", "counter_js", "page_style"]

_PAGE_CSS = """
.mtsum-header h1 { margin-bottom: 0.1em; }
.mtsum-header p { margin-top: 0; opacity: 0.8; }
.mtsum-counter { font-size: 0.85em; color: var(--body-text-color-subdued); text-align: right;
  margin-top: -0.4em; }
.mtsum-over { color: #b42318; font-weight: 600; opacity: 1; }
.mtsum-card { border-radius: 12px; }
.mtsum-detected p, .mtsum-timings p { margin: 0.2em 0; }
.mtsum-panel { border-radius: 10px; padding: 0.7em 1em; }
.mtsum-panel p { margin: 0.3em 0 0; }
.mtsum-panel-error { background: #fef3f2; border: 1px solid #fda29b; color: #7a271a; }
.mtsum-panel-notice { background: #fffaeb; border: 1px solid #fec84b; color: #7a2e0e; }
.mtsum-operator { font-size: 0.95em; }
.mtsum-operator a { color: inherit; text-decoration: underline; }
/* Boxes with nothing in them yet take no room: the translated document until a run on an
   uploaded file (its note may still say why there is none). */
#mtsum-download:has(> .empty) { display: none; }
#mtsum-doc-col:has(#mtsum-download > .empty):has(#mtsum-document span.md:empty) { display: none; }
#mtsum-warnings-col { justify-content: flex-start; }
/* The page's breakpoint (the output boxes stack below it too): the upload hint goes under the
   upload box instead of being squeezed into a narrow column beside it. */
@media (max-width: 640px) { #mtsum-upload-row { flex-direction: column; } }
#mtsum-warnings-col > * { margin-top: 0; margin-bottom: 0; }
"""
# The aligned view (aligned.py): a grid row per sentence, number | text | translation; below the
# page's 640 px breakpoint each row stacks and names its sides. A flagged sentence has an amber
# background, a bar on the left and a marker, so it does not rest on colour alone.
_ALIGNED_CSS = """
.mtsum-aligned { line-height: 1.45; }
.mtsum-aligned h2.mtsum-aligned-title { font-size: 1em; margin: 0.9em 0 0.3em; }
.mtsum-aligned-note, .mtsum-aligned-legend { margin: 0.2em 0; opacity: 0.8; }
.mtsum-aligned ol.mtsum-list, .mtsum-aligned ol.mtsum-sum {
  list-style: none; margin: 0; padding: 0;
}
.mtsum-aligned .mtsum-row {
  display: grid; grid-template-columns: 2.4em minmax(0, 1fr) minmax(0, 1fr);
  gap: 0.2em 1em; margin: 0; padding: 0.4em 0.5em;
  border-top: 1px solid var(--border-color-primary); border-left: 4px solid transparent;
}
.mtsum-aligned .mtsum-single .mtsum-row { grid-template-columns: 2.4em minmax(0, 1fr); }
.mtsum-aligned .mtsum-head { font-weight: 600; border-top: none; }
.mtsum-aligned .mtsum-num { opacity: 0.6; text-align: right; font-variant-numeric: tabular-nums; }
.mtsum-aligned .mtsum-side { display: none; }
.mtsum-aligned .mtsum-src, .mtsum-aligned .mtsum-out { overflow-wrap: anywhere; }
.mtsum-aligned .mtsum-sum-row { margin: 0 0 0.4em; padding: 0.3em 0.5em;
  border-left: 4px solid transparent; }
.mtsum-aligned .mtsum-from {
  margin-left: 0.5em; font-size: 0.85em; opacity: 0.8; white-space: nowrap;
}
.mtsum-aligned .mtsum-flagged { background: rgba(247, 144, 9, 0.14); border-left-color: #f79009; }
.mtsum-aligned .mtsum-row:target, .mtsum-aligned .mtsum-sum-row:target {
  outline: 2px solid var(--color-accent); outline-offset: -2px;
}
.mtsum-aligned details.mtsum-flag { margin-top: 0.3em; font-size: 0.9em; }
.mtsum-aligned details.mtsum-flag summary { cursor: pointer; font-weight: 600; color: #b54708; }
.mtsum-aligned details.mtsum-flag ul { margin: 0.2em 0 0 1.2em; padding: 0; }
@media (max-width: 640px) {
  .mtsum-aligned .mtsum-row, .mtsum-aligned .mtsum-single .mtsum-row {
    grid-template-columns: minmax(0, 1fr);
  }
  .mtsum-aligned .mtsum-head { display: none; }
  .mtsum-aligned .mtsum-num { text-align: left; }
  .mtsum-aligned .mtsum-side { display: block; font-size: 0.8em; opacity: 0.7; }
}
"""
CSS = _PAGE_CSS + _ALIGNED_CSS


def page_style() -> dict[str, Any]:
    """Keyword arguments for ``gr.mount_gradio_app`` and ``Blocks.launch``: theme and CSS."""
    theme = gr.themes.Soft(
        primary_hue="indigo",
        secondary_hue="sky",
        neutral_hue="slate",
        radius_size="lg",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(
        # WCAG AA wants 4.5:1 for text; Soft's indigo-500 on its pale labels gives 3.6:1, its
        # main button 4.5:1 just short, its grey hints 2.6:1 (axe-core on the page). A shade
        # darker each passes (indigo-700 on indigo-100: 7.4:1, white on indigo-600: 6.3:1).
        block_label_text_color="*primary_700",
        block_title_text_color="*primary_700",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        button_primary_text_color="white",
        checkbox_label_background_fill_selected="*primary_600",
        checkbox_label_border_color_selected="*primary_600",
        body_text_color_subdued="*neutral_600",
        color_accent="*primary_600",
    )
    # No "settings" link in the footer: its icon's alt text repeats its label (axe-core's
    # image-redundant-alt), and a visitor has nothing to set there that the page needs.
    return {"theme": theme, "css": CSS, "footer_links": ["api", "gradio"]}


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
