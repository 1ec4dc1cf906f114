"""The server: one FastAPI app that hosts the Gradio page at ``/``, on one port.

``create_app`` is what ``mtsum serve``, ``app.py`` and the tests all use.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr
from fastapi import FastAPI

from ..pipeline import Pipeline
from ..settings import Settings
from .rest import install_rest
from .ui import build_demo

__all__ = ["create_app", "serve"]

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    """The web application (UI + API) for ``settings``; no model is loaded until a request."""
    pipeline = pipeline or Pipeline(settings)
    demo = build_demo(pipeline)
    app = FastAPI(title="mtsum", version=_version())
    app.state.pipeline = pipeline
    install_rest(app, pipeline)  # before the mount at "/", so the REST routes answer first
    mounted: Any = gr.mount_gradio_app(app, demo, path="/")
    return mounted  # type: ignore[no-any-return]


def serve(
    settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860, share: bool = False
) -> None:
    """Serve the app until interrupted; ``share`` also asks Gradio for a public link."""
    if share:
        pipeline = Pipeline(settings)
        build_demo(pipeline).launch(server_name=host, server_port=port, share=True)
        return
    import uvicorn

    log.info("serving on http://%s:%d", host, port)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def _version() -> str:
    from .. import __version__

    return __version__
