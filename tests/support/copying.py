"""A fault-injecting engine for the terms stage: it copies its input and mangles placeholders.

A model that copies a placeholder unchanged is the easy case; the terms stage exists for the
others. This engine "translates" by copying its input (so every word of the output is known)
and then spoils each placeholder (``[1]``) in one of the ways real models do: a space inside,
punctuation glued to it, a bracket lost, doubled, or dropped. It records every input per model,
so a test can see what each hop of a pivot was given. Use it through the real pipeline:
``ModelStore(settings, loader=CopyingLoader(mangle))``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mtsum import Settings
from mtsum.engines.base import GenerationOptions

Mangle = Callable[[str], str]
"""Spoils the placeholders of one output."""

_PLACEHOLDER = re.compile(r"\[(\d+)\]")


def faithful(text: str) -> str:
    return text


def space_inside(text: str) -> str:
    return _PLACEHOLDER.sub(r"[ \1 ]", text)


def glued_punctuation(text: str) -> str:
    # "le [1] a voté" -> "le,[1]a voté": glued to the words on both sides
    return _PLACEHOLDER.sub(lambda m: f",{m.group(0)}", text).replace(" ,", ",").replace("] ", "]")


def lost_bracket(text: str) -> str:
    return _PLACEHOLDER.sub(r"[\1", text)


def doubled(text: str) -> str:
    return _PLACEHOLDER.sub(r"[\1] [\1]", text)


def dropped(text: str) -> str:
    return _PLACEHOLDER.sub("", text)


MANGLES: dict[str, Mangle] = {
    "space_inside": space_inside,
    "glued_punctuation": glued_punctuation,
    "lost_bracket": lost_bracket,
    "doubled": doubled,
}
"""Each mangling the repair must undo (``dropped`` is the one it must flag instead)."""


class CopyingEngine:
    """Copies each input (a target token such as ``>>deu<<`` removed), then mangles it."""

    kind = "copying"
    max_input_tokens = 512
    max_output_tokens = 512

    def __init__(self, reference: str, mangle: Mangle, seen: list[str]) -> None:
        self.reference = reference
        self.mangle = mangle
        self.seen = seen

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        self.seen.extend(texts)
        return [self.mangle(re.sub(r"^>>\w+<< ", "", text)) for text in texts]

    def task_prefix(self, task: str) -> str:
        return ""


class CopyingLoader:
    """A model-store loader whose every translation model is a ``CopyingEngine``.

    Attributes:
        inputs: what each model (by registry name) was given, in order.
    """

    kind = "copying"

    def __init__(self, mangle: Mangle = faithful) -> None:
        self.mangle = mangle
        self.inputs: dict[str, list[str]] = {}

    def __call__(self, folder: Path, entry: Any, settings: Settings) -> CopyingEngine:
        seen = self.inputs.setdefault(entry.name, [])
        return CopyingEngine(entry.reference, self.mangle, seen)
