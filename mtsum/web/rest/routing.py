"""What every REST route shares: the dependencies that hand it the app's pipeline, request
guard, metrics and file store, the record that lists it with its documentation, and the error
table.

The routes are functions at module level (``routes.py``, ``file_routes.py``); what they work
on lives in ``app.state``, set once by ``install_rest``, and reaches them through FastAPI's
``Depends`` (FastAPI's own examples do it so), never through a closure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel

from ...pipeline import Pipeline
from ..metrics import ServerMetrics
from ..tempfiles import TempFiles
from .guard import Guard
from .wire import ErrorResponse

__all__ = ["ERRORS", "FilesDep", "GuardDep", "MetricsDep", "PipelineDep", "Route"]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad request or input"},
    403: {"model": ErrorResponse, "description": "Missing or wrong api_key"},
    413: {"model": ErrorResponse, "description": "Text over the character limit, or file too big"},
    429: {"model": ErrorResponse, "description": "Too many requests (see Retry-After)"},
    500: {"model": ErrorResponse, "description": "Server fault (a bug or a broken setup)"},
    503: {
        "model": ErrorResponse,
        "description": "A model cannot be loaded, or the server is busy (see Retry-After)",
    },
}
"""The error statuses of the REST API and what each means, for the OpenAPI documentation."""


def _state(request: Request, name: str, kind: type[Any]) -> Any:
    value = getattr(request.app.state, name, None)
    if not isinstance(value, kind):  # pragma: no cover - an app built without install_rest
        raise RuntimeError(f"the app has no {name}: add the REST API with install_rest")
    return value


def current_pipeline(request: Request) -> Pipeline:
    """The pipeline the app serves."""
    pipeline: Pipeline = _state(request, "pipeline", Pipeline)
    return pipeline


def current_guard(request: Request) -> Guard:
    """The app's request guard: keys, rate limit, work slots, body limits."""
    guard: Guard = _state(request, "rest_guard", Guard)
    return guard


def current_files(request: Request) -> TempFiles:
    """Where the app keeps translated files until their download."""
    files: TempFiles = _state(request, "rest_files", TempFiles)
    return files


def current_metrics(request: Request) -> ServerMetrics:
    """The app's metrics: where the routes count stage times, flags and degraded items."""
    metrics: ServerMetrics = _state(request, "metrics", ServerMetrics)
    return metrics


PipelineDep = Annotated[Pipeline, Depends(current_pipeline)]
GuardDep = Annotated[Guard, Depends(current_guard)]
FilesDep = Annotated[TempFiles, Depends(current_files)]
MetricsDep = Annotated[ServerMetrics, Depends(current_metrics)]


@dataclass(frozen=True)
class Route:
    """One REST route and its OpenAPI documentation.

    Attributes:
        path: the path.
        method: ``GET`` or ``POST``.
        endpoint: the module-level function that answers it.
        summary: one line for the API docs.
        response: the answer's model, if it is JSON.
        streamed: the answer may also be server-sent events (``"stream": true``).
        body: the request's model, documented with this server's languages; None for none.
        errors: the error statuses it may answer (keys of ``ERRORS``).
        name: the route's name, for ``url_for``.
        extra: OpenAPI fields written by hand (a multipart form), used when ``body`` is None.
        responses: OpenAPI responses written by hand, beside the errors.
    """

    path: str
    method: str
    endpoint: Callable[..., Any]
    summary: str
    response: type[BaseModel] | None = None
    streamed: bool = False
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = (400, 403, 413, 429, 500, 503)
    name: str | None = None
    extra: dict[str, Any] | None = None
    responses: dict[int | str, dict[str, Any]] | None = None
