"""The LibreTranslate-compatible REST API, on the same server and port as the web page.

``rest_router`` builds the routes; ``install_rest`` adds them to an app with their error
handling and CORS. Requests are read the way LibreTranslate reads them (``guard``): a JSON
object, or form fields, with query parameters as a fallback. Every failure is
``{"error": "..."}`` with the status of the contract: 400 bad request or input, 403 API key,
413 too long, 429 rate limit (with ``Retry-After``), 503 model unavailable or server busy (with
``Retry-After``); 500 only for a bug or a broken server configuration. Model work runs in a
worker thread, so a long translation never blocks the event loop; at most
``MTSUM_CONCURRENCY`` requests work at once and ``MTSUM_QUEUE_SIZE`` wait (``slots``).
"""

from __future__ import annotations

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
from .file_routes import DOWNLOAD_PREFIX, FILE_PATHS, add_file_routes
from .guard import Guard, mtsum_error_response
from .wire import (
    DetectRequest,
    DetectResponse,
    ErrorResponse,
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
_ERRORS: dict[int | str, dict[str, Any]] = {
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


def rest_router(
    pipeline: Pipeline, serving: ServeSettings | None = None, limiter: RateLimiter | None = None
) -> APIRouter:
    """The REST routes for ``pipeline``; ``serving`` (keys, rate limit, load) defaults to
    ``ServeSettings()``.

    ``limiter`` is a rate limiter to share with other faces; one of its own when omitted.
    """
    guard = Guard(serving or ServeSettings(), pipeline.settings.max_chars, limiter)
    router = APIRouter(tags=["LibreTranslate-compatible API"])
    try:
        codes = pipeline.languages()
    except MtsumError as exc:  # the routes will report it; the schema just lists no choices
        log.warning("REST schema without language choices: %s", exc)
        codes = []
    max_words = pipeline.settings.max_summary_words

    def translate_work(req: TranslateRequest) -> dict[str, Any]:
        batch = isinstance(req.q, list)
        items = req.q if isinstance(req.q, list) else [req.q]
        request = Request(target=req.target, source=req.source)
        results = service.translate_items(pipeline, items, request, req.format, batch=batch)
        return _translate_body(results, batch, is_auto(req.source), req.alternatives)

    @router.post(
        "/translate",
        summary="Translate text or HTML (LibreTranslate's /translate)",
        responses={200: {"model": TranslateResponse}, **_ERRORS},
        openapi_extra=_body_doc(TranslateRequest, codes, max_words),
    )
    async def translate(request: HttpRequest) -> Response:
        return await guard.handle(request, TranslateRequest, translate_work)

    def detect_work(req: DetectRequest) -> list[dict[str, Any]]:
        return service.detect_languages(pipeline, req.q)

    @router.post(
        "/detect",
        summary="Detect the language of a text, candidates best first",
        responses={200: {"model": DetectResponse}, **_ERRORS},
        openapi_extra=_body_doc(DetectRequest, codes, max_words),
    )
    async def detect(request: HttpRequest) -> Response:
        return await guard.handle(request, DetectRequest, detect_work)

    def summarize_work(req: SummarizeRequest) -> dict[str, Any]:
        request = Request(req.target, req.source, req.words, req.method)
        return service.summarize(pipeline, req.q, request)

    @router.post(
        "/summarize",
        summary="Translate and summarise (mtsum extension)",
        responses={200: {"model": SummarizeResponse}, **_ERRORS},
        openapi_extra=_body_doc(SummarizeRequest, codes, max_words),
    )
    async def summarize(request: HttpRequest) -> Response:
        return await guard.handle(request, SummarizeRequest, summarize_work)

    @router.get(
        "/languages",
        summary="Languages and the targets each reaches (pivot and multilingual included)",
        responses={200: {"model": LanguagesResponse}, 500: _ERRORS[500]},
    )
    def languages() -> Response:
        try:
            return JSONResponse(service.language_list(pipeline))
        except MtsumError as exc:
            return mtsum_error_response(exc)

    @router.get(
        "/health",
        summary="Liveness, and the models loaded in memory",
        responses={200: {"model": HealthResponse}},
    )
    def health() -> Response:
        return JSONResponse(service.health(pipeline))

    add_file_routes(router, pipeline, guard, _ERRORS)
    return router


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
    """Add the REST API to ``app``; call it before mounting anything at ``/``.

    The routes must come before a mount at ``/`` (Gradio's), or the mount would answer them.
    ``limiter`` is a rate limiter shared with the page (one of its own when omitted).
    """
    serving = serving or ServeSettings()
    # The routes declare no FastAPI parameters and validate what they read themselves, so
    # FastAPI's own 422 never answers them: a bad parameter is a 400, as in LibreTranslate.
    app.include_router(rest_router(pipeline, serving, limiter))
    if serving.cors_origins:
        app.add_middleware(
            ScopedCORS,
            paths=REST_PATHS,
            origins=list(serving.cors_origins),
            prefixes=(DOWNLOAD_PREFIX,),
        )
