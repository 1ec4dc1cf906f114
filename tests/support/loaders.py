"""A loader that wraps the real one and records what each model was asked to generate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mtsum import Settings


class RecordingLoader:
    """Wraps the real loader and records every generate call per model (to prove reuse)."""

    def __init__(self) -> None:
        self.loads: list[str] = []
        self.inputs: dict[str, list[str]] = {}
        self.calls: dict[str, int] = {}

    def __call__(self, folder: Path, entry: Any, settings: Settings) -> Any:
        from mtsum.engines.hf import TransformersEngine

        engine = TransformersEngine.load(folder, entry.reference, "cpu", settings.allow_pickle)
        self.loads.append(entry.name)
        original = engine.generate
        seen = self.inputs.setdefault(entry.name, [])

        def generate(texts: Any, options: Any) -> list[str]:
            seen.extend(texts)
            self.calls[entry.name] = self.calls.get(entry.name, 0) + 1
            return original(texts, options)

        engine.generate = generate  # type: ignore[method-assign]
        return engine
