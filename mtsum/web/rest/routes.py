"""The LibreTranslate-compatible REST API, on the same server and port as the web page.

The routes are plain functions of this module; each takes the pipeline and the request guard
from the app (``app.state``, set by ``install_rest``) through FastAPI dependencies, so nothing
is captured in a closure and a test can hand an app any pipeline. ``rest_router`` lists them
with their OpenAPI documentation (the registry's languages, the largest ``words``).
Requests are read the way LibreTranslate reads them (``guard``): a JSON object, or form
fields, with query parameters as a fallback. Every failure is ``{"error": "..."}`` with the
status of the contract: 400 bad request or input, 403 API key, 413 too long, 429 rate limit
(with ``Retry-After``), 503 model unavailable or server busy (with ``Retry-After``); 500 only
for a bug or a broken server configuration. Model work runs in a worker thread, so a long
translation never blocks the event loop; at most ``MTSUM_CONCURRENCY`` requests work at once
and ``MTSUM_QUEUE_SIZE`` wait (``slots``).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi import Request as HttpRequest
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ...errors import MtsumError
from ...pipeline import Pipeline
from ...request import AUTO, Request, is_auto
from ...settings import ServeSettings
from ..access import ScopedCORS
from ..ratelimit import RateLimiter
from . import service
from .file_routes import DOWNLOAD_PREFIX, FILE_PATHS, FILE_ROUTES
from .files import FileStore
from .guard import Guard, mtsum_error_response
from .routing import ERRORS, GuardDep, PipelineDep, Route
from .wire import (
    DetectRequest,
    DetectResponse,
    HealthResponse,
    LanguagesResponse,
    SummarizeRequest,
    SummarizeResponse,
    TranslateRequest,
    TranslateResponse,
)

__all__ = ["REST_PATHS", "install_rest", "rest_router"]

log = logging.getLogger(__name__)

REST_PATHS = frozenset(
    {"/translate", "/detect", "/languages", "/summarize", "/health", *FILE_PATHS}
)
# ---- the routes ---------------------------------------------------------------------------


async def translate(request: HttpRequest, pipeline: PipelineDep, guard: GuardDep) -> Response:
    """``POST /translate``: text or HTML, one item or a list."""
    return await guard.handle(request, TranslateRequest, functools.partial(_translate, pipeline))


async def detect(request: HttpRequest, pipeline: PipelineDep, guard: GuardDep) -> Response:
    """``POST /detect``: candidate languages, best first."""
    return await guard.handle(
        request, DetectRequest, lambda req: service.detect_languages(pipeline, req.q)
    )


async def summarize(request: HttpRequest, pipeline: PipelineDep, guard: GuardDep) -> Response:
    """``POST /summarize``: translate and summarise (mtsum extension)."""
    return await guard.handle(request, SummarizeRequest, functools.partial(_summarize, pipeline))


def languages(pipeline: PipelineDep) -> Response:
    """``GET /languages``: every language and the targets it reaches."""
    try:
        return JSONResponse(service.language_list(pipeline))
    except MtsumError as exc:
        return mtsum_error_response(exc)


def health(pipeline: PipelineDep) -> Response:
    """``GET /health``: liveness, and the models loaded in memory."""
    return JSONResponse(service.health(pipeline))


def _translate(pipeline: Pipeline, req: TranslateRequest) -> dict[str, Any]:
    batch = isinstance(req.q, list)
    items = req.q if isinstance(req.q, list) else [req.q]
    request = Request(target=req.target, source=req.source)
    results = service.translate_items(pipeline, items, request, req.format, batch=batch)
    return _translate_body(results, batch, is_auto(req.source), req.alternatives)


def _summarize(pipeline: Pipeline, req: SummarizeRequest) -> dict[str, Any]:
    request = Request(target=req.target, source=req.source, words=req.words, method=req.method)
    return service.summarize(pipeline, req.q, request)


ROUTES = (
    Route("/translate", "POST", translate, "Translate text or HTML (LibreTranslate's /translate)",
          TranslateResponse, TranslateRequest),
    Route("/detect", "POST", detect, "Detect the language of a text, candidates best first",
          DetectResponse, DetectRequest),
    Route("/summarize", "POST", summarize, "Translate and summarise (mtsum extension)",
          SummarizeResponse, SummarizeRequest),
    Route("/languages", "GET", languages,
          "Languages and the targets each reaches (pivot and multilingual included)",
          LanguagesResponse, errors=(500,)),
    Route("/health", "GET", health, "Liveness, and the models loaded in memory", HealthResponse,
          errors=()),
)  # fmt: skip


def rest_router(pipeline: Pipeline) -> APIRouter:
    """The REST routes, documented with ``pipeline``'s languages and largest ``words``."""
    router = APIRouter(tags=["LibreTranslate-compatible API"])
    try:
        codes = pipeline.languages()
    except MtsumError as exc:  # the routes will report it; the schema just lists no choices
        log.warning("REST schema without language choices: %s", exc)
        codes = []
    max_words = pipeline.settings.max_summary_words
    for route in (*ROUTES, *FILE_ROUTES):
        responses: dict[int | str, dict[str, Any]] = {code: ERRORS[code] for code in route.errors}
        responses.update(route.responses or {})
        if route.response is not None:
            responses[200] = {"model": route.response}
        extra = route.extra
        if route.body is not None:
            extra = _body_doc(route.body, codes, max_words)
        router.add_api_route(
            route.path,
            route.endpoint,
            methods=[route.method],
            summary=route.summary,
            name=route.name,
            responses=responses,
            openapi_extra=extra,
        )
    return router


def _body_doc(model: type[BaseModel], languages: list[str], max_words: int) -> dict[str, Any]:
    """OpenAPI ``requestBody``: the same fields as JSON or as form data, with this server's
    limits: the registry's languages for ``source`` and ``target``, the largest ``words``."""
    schema = model.model_json_schema()
    properties = schema.get("properties", {})
    if "words" in properties:
        properties["words"]["maximum"] = max_words
    if languages and "target" in properties:
        properties["target"]["enum"] = languages
    if languages and "source" in properties:
        properties["source"]["enum"] = [AUTO, *languages]
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


def _translate_body(
    results: list[service.TranslatedItem], batch: bool, auto: bool, alternatives: int
) -> dict[str, Any]:
    """LibreTranslate's response: lists when ``q`` was a list, single values otherwise."""
    warnings = [list(r.warnings) for r in results]
    if alternatives > 0:
        note = "alternative translations are not supported by mtsum; none returned"
        warnings = [[*w, note] for w in warnings]
    body: dict[str, Any] = {}
    if batch:
        body["translatedText"] = [r.text for r in results]
        if auto:
            body["detectedLanguage"] = [r.detected for r in results]
        if alternatives > 0:
            body["alternatives"] = [[] for _ in results]
        if any(warnings):
            body["warnings"] = warnings
        if any(r.flags for r in results):
            body["flags"] = [list(r.flags) for r in results]
    else:
        body["translatedText"] = results[0].text
        if auto:
            body["detectedLanguage"] = results[0].detected
        if alternatives > 0:
            body["alternatives"] = []
        if warnings[0]:
            body["warnings"] = warnings[0]
        if results[0].flags:
            body["flags"] = list(results[0].flags)
    return body


def install_rest(
    app: FastAPI,
    pipeline: Pipeline,
    serving: ServeSettings | None = None,
    limiter: RateLimiter | None = None,
) -> None:
    """Add the REST API to ``app``, serving ``pipeline``; call it before mounting anything at
    ``/``.

    The routes must come before a mount at ``/`` (Gradio's), or the mount would answer them.
    ``serving`` (keys, rate limit, load, CORS) is ``ServeSettings()`` when omitted;
    ``limiter`` is a rate limiter shared with the page (one of its own when omitted).
    """
    serving = serving or ServeSettings()
    app.state.pipeline = pipeline
    app.state.rest_guard = Guard(serving, pipeline.settings.max_chars, limiter)
    app.state.rest_files = FileStore()
    # The routes declare no FastAPI parameters and validate what they read themselves, so
    # FastAPI's own 422 never answers them: a bad parameter is a 400, as in LibreTranslate.
    app.include_router(rest_router(pipeline))
    if serving.cors_origins:
        app.add_middleware(
            ScopedCORS,
            paths=REST_PATHS,
            origins=list(serving.cors_origins),
            prefixes=(DOWNLOAD_PREFIX,),
        )
