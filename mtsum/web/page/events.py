"""The page's own events around ``/run``: errors into a panel, scrolling, the target list.

A script calling ``/run`` must get an error as an error (``gradio_client`` raises it), so
``Handlers.run`` raises ``gr.Error``. A visitor is better served by a panel that stays until the
next run than by a toast that fades and red "Error" marks on every box, so the page's button
runs ``page_run``, which shows the same message in the panel and clears the stale results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from ...articles import Article
from ...request import is_auto
from .document import PendingDocument
from .handlers import Handlers
from .run_view import CLEARED_JS, NAMES, RunView
from .stops import STOPPED_LINE, RunStopped
from .targets import target_choices, target_value
from .wording import error_html

__all__ = ["RUN_START_JS", "is_local", "page_run", "targets_for"]

# What the outputs show when the visitor stopped a run: nothing changes, except the progress line.
STOPPED = tuple(gr.skip() for _ in NAMES)

_LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

# Runs in the browser when the button is pressed: the stale results go at once (even while the
# request waits in the queue), and the page scrolls to where the new ones will appear, which on
# a phone is far below the button. Returns the cleared values of the run's outputs.
RUN_START_JS = """
() => {
  const results = document.getElementById("mtsum-results");
  if (results) {
    const top = results.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) {
      results.scrollIntoView({behavior: "smooth", block: "start"});
    }
  }
  return CLEARED;
}
""".replace("CLEARED", CLEARED_JS)


def page_run(handlers: Handlers) -> Callable[..., Iterator[tuple[Any, ...]]]:
    """The page button's event: ``handlers.run_stream``, with its progress line as one more
    output, an error shown in the error panel, and the Stop button's signal."""

    def run(
        text: str,
        target: str,
        source: str,
        words: float | None,
        method: str,
        document: PendingDocument | Article | None = None,
        glossary: str | None = None,
        profile: str | None = None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's way to ask for progress
    ) -> Iterator[tuple[Any, ...]]:
        stop = handlers.stops.new(request)
        try:
            for view, line in handlers.run_stream(
                *(text, target, source, words, method, document, glossary, profile),
                progress=progress,
                operator=is_local(request),
                stop=stop,
            ):
                yield (*view.values(), line)
        except RunStopped:
            yield (*STOPPED, STOPPED_LINE)
        except gr.Error as exc:  # already worded for a visitor, and logged, by friendly()
            panel = error_html(exc.title or "Error", exc.message)
            yield (*RunView(notice=panel).values(), "")
        finally:
            handlers.stops.done(request, stop)

    return run


def is_local(request: gr.Request | None) -> bool:
    """Whether the visitor is on the server's own machine (a local install: its operator)."""
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return host in _LOCAL_HOSTS


def targets_for(handlers: Handlers) -> Callable[[str, str, Any], Any]:
    """An event that lists the targets of the chosen source, or of the detected one."""

    def update(source: str, target: str, result: Any = None) -> Any:
        language = None if source is None or is_auto(source) else source
        if language is None and isinstance(result, dict):
            detection = result.get("detection") or {}
            language = detection.get("language")
        choices = target_choices(handlers.pipeline, language)
        return gr.Dropdown(choices=choices, value=target_value(choices, target))

    return update
