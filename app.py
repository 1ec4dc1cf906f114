"""Entry point for ``python app.py`` and Hugging Face Spaces: build the app and serve it."""

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
