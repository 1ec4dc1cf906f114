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

from .errors import (
    ConfigError,
    InputError,
    ModelUnavailableError,
    MtsumError,
    TextTooLongError,
    UnsupportedLanguageError,
)
from .pipeline import Pipeline
from .results import Candidate, Detection, Result, Stats, Summary, Translation
from .settings import Settings
from .translate import ProgressFn

__all__ = [
    "Candidate",
    "ConfigError",
    "Detection",
    "InputError",
    "ModelUnavailableError",
    "MtsumError",
    "Pipeline",
    "ProgressFn",
    "Result",
    "Settings",
    "Stats",
    "Summary",
    "TextTooLongError",
    "Translation",
    "UnsupportedLanguageError",
    "__version__",
    "default_pipeline",
    "detect",
    "run",
    "summarize",
    "translate",
]

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

_default: Pipeline | None = None
_default_lock = threading.Lock()


def default_pipeline() -> Pipeline:
    """The shared pipeline behind the module functions (``Settings.from_env()``, made once)."""
    global _default  # noqa: PLW0603 - one lazily made pipeline shared by the module functions
    with _default_lock:
        if _default is None:
            _default = Pipeline(Settings.from_env())
        return _default


def detect(text: str) -> Detection:
    """The language of ``text``. See :meth:`Pipeline.detect`."""
    return default_pipeline().detect(text)


def translate(text: str, target: str = "en", source: str | None = None) -> Translation:
    """``text`` translated into ``target``. See :meth:`Pipeline.translate`."""
    return default_pipeline().translate(text, target=target, source=source)


def summarize(text: str, words: int | None = None, method: str = "abstractive") -> Summary:
    """A summary of ``text`` in its own language. See :meth:`Pipeline.summarize`."""
    return default_pipeline().summarize(text, words=words, method=method)


def run(
    text: str,
    target: str = "en",
    source: str | None = None,
    words: int | None = None,
    method: str = "abstractive",
) -> Result:
    """Detect, translate into ``target`` and summarise. See :meth:`Pipeline.run`."""
    return default_pipeline().run(text, target=target, source=source, words=words, method=method)
