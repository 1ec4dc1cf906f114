"""The REST routes are module-level functions that take the pipeline through FastAPI
dependencies: no closure over a pipeline, and one app's routes serve whatever it was given."""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mtsum import Pipeline
from mtsum.web.rest import install_rest
from mtsum.web.rest.routes import REST_PATHS, rest_router


def _routes(pipeline: Pipeline) -> list[APIRoute]:
    return [route for route in rest_router(pipeline).routes if isinstance(route, APIRoute)]


def test_every_route_is_a_module_level_function_without_a_closure(pipeline: Pipeline) -> None:
    routes = _routes(pipeline)
    assert {route.path for route in routes} >= REST_PATHS
    for route in routes:
        endpoint = route.endpoint
        assert "<locals>" not in endpoint.__qualname__, route.path
        assert endpoint.__closure__ is None, route.path
        assert inspect.getmodule(endpoint).__name__.startswith("mtsum.web.rest."), route.path


def test_two_apps_serve_their_own_pipelines(pipeline: Pipeline) -> None:
    other = Pipeline(pipeline.settings.replace(max_chars=123))
    apps = []
    for served in (pipeline, other):
        app = FastAPI()
        install_rest(app, served)
        apps.append(app)
    limits = []
    for app in apps:
        with TestClient(app) as client:
            limits.append(client.get("/frontend/settings").json()["charLimit"])
    assert limits == [pipeline.settings.max_chars, 123]
