"""mtsum: detect the language of a text, translate it, and summarise it.

>>> import mtsum
>>> result = mtsum.run("Le gouvernement a annoncé ...", target="en")  # doctest: +SKIP
>>> result.summary.text  # doctest: +SKIP

The module functions share one default :class:`Pipeline`, built from the environment on first
use. Importing mtsum loads no model and does not import torch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .articles import Article
from .errors import (
    ConfigError,
    InputError,
    LinkError,
    ModelUnavailableError,
    MtsumError,
    TextTooLongError,
    UnsupportedLanguageError,
)
from .pipeline import Pipeline
from .request import Request
from .results import Candidate, Detection, Paragraph, Result, Stats, Summary, Translation
from .settings import Settings
from .version import __version__

__all__ = [
    "Article",
    "Candidate",
    "ConfigError",
    "Detection",
    "InputError",
    "LinkError",
    "ModelUnavailableError",
    "MtsumError",
    "Paragraph",
    "Pipeline",
    "Request",
    "Result",
    "Settings",
    "Stats",
    "Summary",
    "TextTooLongError",
    "Translation",
    "UnsupportedLanguageError",
    "__version__",
    "batch",
    "detect",
    "run",
    "summarize",
    "translate",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

_default: Pipeline | None = None
_default_lock = threading.Lock()


def _default_pipeline() -> Pipeline:
    """The shared pipeline behind the module functions (``Settings.from_env()``, made once)."""
    global _default  # noqa: PLW0603 - one lazily made pipeline shared by the module functions
    with _default_lock:
        if _default is None:
            _default = Pipeline(Settings.from_env())
        return _default


def detect(text: str) -> Detection:
    """The language of ``text``. See :meth:`Pipeline.detect`."""
    return _default_pipeline().detect(text)


def translate(text: str, target: str = "en", source: str | None = None) -> Translation:
    """``text`` translated into ``target``. See :meth:`Pipeline.translate`."""
    return _default_pipeline().translate(text, target=target, source=source)


def summarize(text: str, words: int | None = None, method: str = "abstractive") -> Summary:
    """A summary of ``text`` in its own language. See :meth:`Pipeline.summarize`."""
    return _default_pipeline().summarize(text, words=words, method=method)


def run(
    text: str,
    target: str = "en",
    source: str | None = None,
    words: int | None = None,
    method: str = "abstractive",
) -> Result:
    """Detect, translate into ``target`` and summarise. See :meth:`Pipeline.run`."""
    return _default_pipeline().run(text, target, source, words, method)


def batch(
    records: Iterable[Mapping[str, Any] | str],
    target: str = "en",
    source: str | None = None,
    words: int | None = None,
    method: str = "abstractive",
    *,
    text_field: str = "text",
    id_field: str = "id",
    window: int = 32,
    ray: str | bool | None = None,
    workers: int = 2,
    pipeline: Pipeline | None = None,
) -> Iterator[dict[str, Any]]:
    """Run many texts; yields one output record per input record, as they finish.

    Each input record is a mapping of fields (the text in ``text_field``) or a plain string.
    Each output record is the input's fields, its id first (the 1-based position when it has
    none), plus ``result`` (``Result.to_dict()``) or ``error`` (``{"type", "message"}``) for a
    record that failed; one bad record never stops the others. The sentences of ``window``
    documents at a time share engine batches; the results equal :func:`run` on each text.

    Args:
        ray: ``True`` to start a local Ray (or use ``RAY_ADDRESS``), or a cluster address, to
            run on ``workers`` Ray workers (needs ``mtsum[ray]``); ``None`` runs here.
        pipeline: the pipeline to use; the shared default one when omitted.

    Raises:
        InputError: ``target``, ``words``, ``method`` or ``window`` is invalid (raised at once).

    Example::

        for out in mtsum.batch([{"id": "a1", "text": article}], target="de"):
            print(out["id"], out["result"]["summary"]["text"] if "result" in out else out["error"])
    """
    from .batch_mode.runner import BatchOptions, iter_batch

    request = Request(target=target, source=source, words=words, method=method)
    options = BatchOptions(request, text_field, id_field, window)
    pipeline = pipeline if pipeline is not None else _default_pipeline()
    return iter_batch(records, options, pipeline=pipeline, ray=ray, workers=workers)
