"""The LibreTranslate-compatible REST API, on the same server and port as the web page.

The routes are plain functions of this module; each takes the pipeline, the request guard and
the metrics from the app (``app.state``, set by ``install_rest``) through FastAPI dependencies
(``routing``), so nothing is captured in a closure and a test can hand an app any pipeline.
``rest_router`` lists them with their OpenAPI documentation (the registry's languages, the
largest ``words``); ``install_rest`` adds them to an app with their error handling and CORS.
Requests are read the way LibreTranslate reads them (``guard``): a JSON object, or form fields,
with query parameters as a fallback. Every failure is ``{"error": "..."}`` with the status of
the contract: 400 bad request or input, 403 API key, 413 too long, 429 rate limit (with
``Retry-After``), 503 model unavailable or server busy (with ``Retry-After``); 500 only for a
bug or a broken server configuration. Model work runs in a worker thread, so a long translation
never blocks the event loop; at most ``MTSUM_CONCURRENCY`` requests work at once and
``MTSUM_QUEUE_SIZE`` wait (``slots``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi import Request as HttpRequest
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ...errors import InputError, MtsumError
from ...pipeline import Pipeline
from ...progress import ProgressFn
from ...request import AUTO, Request, is_auto
from ...results import Paragraph
from ...settings import ServeSettings
from ..access import ScopedCORS
from ..metrics import MetricsMiddleware, ServerMetrics, record_items
from ..ratelimit import RateLimiter
from ..tempfiles import TempFiles
from . import service
from .events import Event, paragraph_event
from .file_routes import DOWNLOAD_PREFIX, FILE_PATHS, FILE_ROUTES
from .guard import Guard, mtsum_error_response
from .notfound import JsonErrors
from .routing import ERRORS, GuardDep, MetricsDep, PipelineDep, Route
from .wire import (
    DetectRequest,
    DetectResponse,
    GlossariesResponse,
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
    {"/translate", "/detect", "/languages", "/summarize", "/health", "/glossaries", *FILE_PATHS}
)

# The streamed answer (``"stream": true``): server-sent events, described for the schema.
_STREAMED: dict[str, Any] = {
    "text/event-stream": {
        "schema": {
            "type": "object",
            "description": "With stream, each event: paragraph events ({index, total, text, "
            "flags}) as each paragraph is done, then a done event whose data is the JSON body "
            'above; an error after the stream began is an error event ({"error": ...}).',
            "properties": {
                "event": {"type": "string", "enum": ["paragraph", "done", "error"]},
                "data": {"type": "string", "description": "JSON"},
            },
            "required": ["event", "data"],
        }
    }
}

# ---- the routes ---------------------------------------------------------------------------


async def translate(
    request: HttpRequest, pipeline: PipelineDep, guard: GuardDep, metrics: MetricsDep
) -> Response:
    """``POST /translate``: text or HTML, one item or a list; streamed on request."""
    return await guard.handle(
        request,
        TranslateRequest,
        partial(_translate, pipeline, metrics),
        events=partial(_translate_events, pipeline, metrics),
    )


async def detect(request: HttpRequest, pipeline: PipelineDep, guard: GuardDep) -> Response:
    """``POST /detect``: candidate languages, best first."""
    return await guard.handle(
        request, DetectRequest, lambda req: service.detect_languages(pipeline, req.q)
    )


async def summarize(
    request: HttpRequest, pipeline: PipelineDep, guard: GuardDep, metrics: MetricsDep
) -> Response:
    """``POST /summarize``: translate and summarise (mtsum extension); streamed on request."""
    return await guard.handle(
        request,
        SummarizeRequest,
        partial(_summarize, pipeline, metrics),
        events=partial(_summarize_events, pipeline, metrics),
    )


def languages(pipeline: PipelineDep) -> Response:
    """``GET /languages``: every language and the targets it reaches."""
    try:
        return JSONResponse(service.language_list(pipeline))
    except MtsumError as exc:
        return mtsum_error_response(exc)


def glossaries(pipeline: PipelineDep) -> Response:
    """``GET /glossaries``: the operator's named glossaries (mtsum extension)."""
    return JSONResponse([info.to_dict() for info in pipeline.glossaries()])


def health(pipeline: PipelineDep) -> Response:
    """``GET /health``: liveness, and the models loaded in memory."""
    return JSONResponse(service.health(pipeline))


def _translate(pipeline: Pipeline, metrics: ServerMetrics, req: TranslateRequest) -> dict[str, Any]:
    article = service.article_for(pipeline, req.q, req.url)
    q = article.text if article is not None else req.q
    batch = isinstance(q, list)
    items = q if isinstance(q, list) else [q]
    request = Request(
        target=req.target, source=req.source, profile=req.profile or None, glossary=req.terms()
    )
    fmt = "text" if article is not None else req.format  # an article is plain text
    results = service.translate_items(
        pipeline, items, request, fmt, batch=batch, observe=metrics.observe_stage
    )
    kinds = [str(flag["kind"]) for r in results for flag in r.flags]
    record_items(metrics, "/translate", [r.warnings for r in results], kinds)
    body = _translate_body(results, batch, is_auto(req.source), req.alternatives)
    return service.with_source(article, body)


def _summarize(pipeline: Pipeline, metrics: ServerMetrics, req: SummarizeRequest) -> dict[str, Any]:
    article = service.article_for(pipeline, req.q, req.url)
    request = Request(req.target, req.source, req.words, req.method, req.profile or None)
    text = article.text if article is not None else req.q
    body = service.summarize(pipeline, text, request, observe=metrics.observe_stage)
    kinds = [str(flag["kind"]) for flag in body["flags"]]
    record_items(metrics, "/summarize", [body["warnings"]], kinds)
    return service.with_source(article, body)


ROUTES = (
    Route("/translate", "POST", translate, "Translate text or HTML (LibreTranslate's /translate)",
          TranslateResponse, streamed=True, body=TranslateRequest),
    Route("/detect", "POST", detect, "Detect the language of a text, candidates best first",
          DetectResponse, body=DetectRequest),
    Route("/summarize", "POST", summarize, "Translate and summarise (mtsum extension)",
          SummarizeResponse, streamed=True, body=SummarizeRequest),
    Route("/languages", "GET", languages,
          "Languages and the targets each reaches (pivot and multilingual included)",
          LanguagesResponse, errors=(500,)),
    Route("/glossaries", "GET", glossaries, "The operator's named glossaries (mtsum extension)",
          GlossariesResponse, errors=()),
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
            if route.streamed:
                responses[200]["content"] = _STREAMED
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


def _translate_events(
    pipeline: Pipeline,
    metrics: ServerMetrics,
    req: TranslateRequest,
    progress: ProgressFn,
) -> Iterator[Event]:
    """``/translate``'s streamed answer: a ``paragraph`` event each, then ``done``."""
    observe = metrics.observe_stage
    if isinstance(req.q, list) or req.format != "text":
        raise InputError(
            "stream needs q as one text in format text; send a list or html without stream"
        )
    # A link streams its article's text (plain text), as the plain call translates it.
    article = service.article_for(pipeline, req.q, req.url)
    q = article.text if article is not None else req.q
    request = Request(
        target=req.target, source=req.source, profile=req.profile or None,
        glossary=req.terms(),
    )  # fmt: skip
    for value in service.translate_stream(pipeline, q, request, progress, observe):
        if isinstance(value, Paragraph):
            yield paragraph_event(value)
            continue
        kinds = [str(flag["kind"]) for flag in value.flags]
        record_items(metrics, "/translate", [value.warnings], kinds)
        body = _translate_body([value], False, is_auto(req.source), req.alternatives)
        yield "done", service.with_source(article, body)


def _summarize_events(
    pipeline: Pipeline,
    metrics: ServerMetrics,
    req: SummarizeRequest,
    progress: ProgressFn,
) -> Iterator[Event]:
    """``/summarize``'s streamed answer: a ``paragraph`` event each, then ``done``."""
    observe = metrics.observe_stage
    article = service.article_for(pipeline, req.q, req.url)
    request = Request(req.target, req.source, req.words, req.method, req.profile or None)
    text = article.text if article is not None else req.q
    for value in service.summarize_stream(pipeline, text, request, progress, observe):
        if isinstance(value, Paragraph):
            yield paragraph_event(value)
            continue
        kinds = [str(flag["kind"]) for flag in value["flags"]]
        record_items(metrics, "/summarize", [value["warnings"]], kinds)
        yield "done", service.with_source(article, value)


def install_rest(
    app: FastAPI,
    pipeline: Pipeline,
    serving: ServeSettings | None = None,
    limiter: RateLimiter | None = None,
    metrics: ServerMetrics | None = None,
) -> ServerMetrics:
    """Add the REST API and ``GET /metrics`` to ``app``, serving ``pipeline``; call it before
    mounting at ``/``.

    The routes must come before a mount at ``/`` (Gradio's), or the mount would answer them.
    ``serving`` (keys, rate limit, load, CORS) is ``ServeSettings()`` when omitted;
    ``limiter`` is a rate limiter shared with the page (one of its own when omitted);
    ``metrics`` the app's metrics (made for ``pipeline`` when omitted), which are returned.
    """
    serving = serving or ServeSettings()
    metrics = metrics or ServerMetrics(pipeline)
    # What the routes take through their dependencies (routing.py).
    app.state.pipeline = pipeline
    app.state.metrics = metrics
    app.state.rest_guard = Guard(serving, pipeline.settings.max_chars, limiter, metrics=metrics)
    app.state.rest_files = TempFiles()
    # The routes declare no FastAPI parameters and validate what they read themselves, so
    # FastAPI's own 422 never answers them: a bad parameter is a 400, as in LibreTranslate.
    router = rest_router(pipeline)
    app.include_router(router)
    methods: dict[str, set[str]] = {}
    for route in router.routes:
        path, verbs = getattr(route, "path", ""), getattr(route, "methods", None) or set()
        if "{" not in path:
            methods.setdefault(path, set()).update(verbs | ({"HEAD"} if "GET" in verbs else set()))
    app.add_middleware(JsonErrors, methods={p: frozenset(v) for p, v in methods.items()})
    if serving.cors_origins:
        app.add_middleware(
            ScopedCORS,
            paths=REST_PATHS,
            origins=list(serving.cors_origins),
            prefixes=(DOWNLOAD_PREFIX,),
        )
    # Outermost, so that it also counts what the other middleware refuse (rate limit, CORS).
    app.add_middleware(
        MetricsMiddleware,
        metrics=metrics,
        routes=REST_PATHS,
        prefixes={DOWNLOAD_PREFIX: DOWNLOAD_PREFIX + "{id}"},
    )
    return metrics
