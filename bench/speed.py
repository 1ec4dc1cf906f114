"""The speed rows beyond the side-by-side table, each run inside one ``bench.worker`` process.

- ``repeat``: the same document translated twice by one pipeline (the translation memory on):
  the second time should cost at least 10x less.
- ``list``: ``N`` short strings sent as a REST list (``q`` a list, the REST service's own code)
  against the same strings as one text; the memory is off, so only batching counts.
- ``concurrent``: one request alone against two at once (two threads, two different
  documents), the memory off: two concurrent requests should take well under twice as long.
"""

from __future__ import annotations

import threading
import time
from typing import Any

TARGET = "de"


def _sentences(text: str) -> list[str]:
    from mtsum.text import split_text

    return split_text(text, "en").sentences


def short_items(text: str, count: int) -> list[str]:
    """``count`` distinct short strings made from the document's sentences."""
    sentences = _sentences(text)
    return [f"{sentences[n % len(sentences)]} ({n})" for n in range(count)]


def run_repeat(pipeline: Any, text: str) -> dict[str, Any]:
    """Seconds of the first and the second translation of ``text``, and the memory's stats."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        pipeline.translate(text, target=TARGET, source="en")
        times.append(time.perf_counter() - started)
    return {
        "first_seconds": round(times[0], 3),
        "second_seconds": round(times[1], 4),
        "speedup": round(times[0] / max(times[1], 1e-6), 1),
        "memory": pipeline.store.memory.stats(),
    }


def run_list(pipeline: Any, text: str, count: int) -> dict[str, Any]:
    """Seconds of ``count`` strings as one REST list and as one text."""
    from mtsum import Request
    from mtsum.web.rest import service

    items = short_items(text, count)
    started = time.perf_counter()
    pipeline.translate(" ".join(items), target=TARGET, source="en")
    one_text = time.perf_counter() - started
    started = time.perf_counter()
    request = Request(target=TARGET, source="en")
    service.translate_items(pipeline, items, request, "text", batch=True)
    as_list = time.perf_counter() - started
    return {
        "items": count,
        "one_text_seconds": round(one_text, 3),
        "list_seconds": round(as_list, 3),
        "list_over_text": round(as_list / one_text, 2),
    }


def run_concurrent(pipeline: Any, text: str) -> dict[str, Any]:
    """Seconds of one request alone and of two requests at once (different documents)."""
    sentences = _sentences(text)
    documents = [text, " ".join(reversed(sentences))]
    started = time.perf_counter()
    pipeline.translate(documents[0], target=TARGET, source="en")
    alone = time.perf_counter() - started
    threads = [
        threading.Thread(
            target=pipeline.translate, args=(doc,), kwargs={"target": TARGET, "source": "en"}
        )
        for doc in documents
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = time.perf_counter() - started
    return {
        "one_seconds": round(alone, 3),
        "two_at_once_seconds": round(both, 3),
        "two_over_one": round(both / alone, 2),
    }


def run_speed_task(task: str, pipeline_for: Any, text: str, count: int) -> dict[str, Any]:
    """One of the rows above; ``pipeline_for(memory)`` builds a warmed-up pipeline."""
    if task == "repeat":
        return run_repeat(pipeline_for("memory"), text)
    if task == "list":
        return run_list(pipeline_for("off"), text, count)
    return run_concurrent(pipeline_for("off"), text)
