"""Helpers for the REST API tests: a bare app with just the REST routes.

A live server for them is ``tests.support.webserver.serve_in_thread``, shared with the web tests.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mtsum import Pipeline
from mtsum.settings import ServeSettings
from mtsum.web.rest import install_rest


def rest_client(pipeline: Pipeline, serving: ServeSettings | None = None) -> TestClient:
    """A test client for an app that has only the REST API (no Gradio page)."""
    app = FastAPI()
    install_rest(app, pipeline, serving)
    return TestClient(app)
