"""Entry point for ``python app.py`` and Hugging Face Spaces: build the app and serve it.

Run from the repository folder, ``mtsum`` is imported from there, so a Space needs only
``requirements.txt``. Host and port come from Gradio's usual variables, which a Space sets.
"""

from __future__ import annotations

import os

from mtsum.settings import Settings
from mtsum.web import serve

if __name__ == "__main__":
    serve(
        Settings.from_env(),
        host=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
    )
