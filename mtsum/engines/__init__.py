"""Generation engines behind one small interface (see :mod:`mtsum.engines.base`)."""

from __future__ import annotations

from .base import Engine, GenerationOptions, generate_batched

__all__ = ["Engine", "GenerationOptions", "generate_batched"]
