"""An engine stand-in that holds one batch until the test lets it go: streaming without races.

It is the real tiny model (``RecordingLoader``), except that a generate call with an input
containing ``marker`` waits for ``release``. A test can then see the first paragraph arrive
while the engine is provably still busy with a later one, whatever the machine's speed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from mtsum import Settings
from tests.support.loaders import RecordingLoader

__all__ = ["GatedLoader"]

# Longest a held batch waits before failing the test instead of hanging it.
HOLD_TIMEOUT = 120.0


class GatedLoader(RecordingLoader):
    """Real tiny models; a batch holding ``marker`` waits for ``release``.

    Attributes:
        held: set once a batch with the marker is waiting.
        release: set it to let that batch (and every later one) run.
    """

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        self.held = threading.Event()
        self.release = threading.Event()

    def total_calls(self) -> int:
        """Generate calls so far, all models together."""
        return sum(self.calls.values())

    def __call__(self, folder: Path, entry: Any, settings: Settings) -> Any:
        engine = super().__call__(folder, entry, settings)
        recorded = engine.generate

        def generate(texts: Any, options: Any) -> list[str]:
            if any(self.marker in text for text in texts):
                self.held.set()
                if not self.release.wait(HOLD_TIMEOUT):
                    raise TimeoutError("the test never released the held batch")
            return list(recorded(texts, options))

        engine.generate = generate
        return engine


MARKER = "Zorglub"


def gated_text(paragraphs: int = 6) -> str:
    """A French text whose second paragraph holds ``MARKER`` in its longest sentence, so on a
    small batch budget the held batch is the first of the second wave and later ones follow."""
    first = "Le conseil municipal a voté mardi soir."
    held = (
        f"Le projet {MARKER} prévoit une nouvelle ligne de tramway entre le port, la gare "
        "et l'université, avec vingt-deux arrêts et des rames toutes les six minutes."
    )
    rest = [
        f"La séance numéro {n} a duré deux heures. Les habitants ont posé des questions."
        for n in range(1, paragraphs - 1)
    ]
    return "\n\n".join([first, held, *rest])
