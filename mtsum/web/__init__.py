"""The web faces: the Gradio page (``ui``) and the server that hosts it (``app``).

Importing this package imports gradio; the core library never does.
"""

from __future__ import annotations

from .app import create_app, serve
from .page.ui import build_demo

__all__ = ["build_demo", "create_app", "serve"]
