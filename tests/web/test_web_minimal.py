"""The web app starts without loading a model and serves its page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mtsum import Pipeline, Settings
from mtsum.web import create_app


def test_app_serves_the_page_without_loading_models(settings: Settings) -> None:
    pipeline = Pipeline(settings)
    app = create_app(pipeline=pipeline)
    with TestClient(app) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert "mtsum" in response.text
    assert pipeline.store.loaded() == []
