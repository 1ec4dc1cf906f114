"""The server: one FastAPI app that hosts the Gradio page at ``/``, on one port.

``create_app`` is what ``mtsum serve``, ``app.py`` and the tests all use. Routes of other faces
(the REST API) are added to the FastAPI app before the Gradio page is mounted at ``/``, which
would otherwise answer every path. Both faces share one rate limiter, and the API keys guard
both (``access.py``); uploads are limited in size on the server and removed once read.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import anyio.to_thread
import gradio as gr
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from ..errors import ConfigError
from ..pipeline import Pipeline
from ..settings import ServeSettings, Settings
from .access import GradioRateLimit, RedactQuery, key_login
from .listen import ShareLink, bind, call_when_started, local_url
from .metrics import ServerMetrics
from .page.style import page_style
from .page.ui import build_demo
from .ratelimit import RateLimiter
from .rest import install_rest

__all__ = ["create_app", "serve"]

log = logging.getLogger(__name__)

# (how often, how old) in seconds: Gradio's sweep of uploaded files left behind.
_UPLOAD_SWEEP = (600, 600)
_KEY_LOGIN_MESSAGE = (
    "This server needs an API key (MTSUM_API_KEYS): enter any user name and the key as the "
    "password."
)


def create_app(
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    serving: ServeSettings | None = None,
) -> FastAPI:
    """The web application (UI + API) for ``settings``; no model is loaded until a request.

    Args:
        settings: configuration; ``Settings.from_env()`` when neither this nor ``pipeline``
            is given.
        pipeline: a ready pipeline to serve (its settings are used); one is built when omitted.
        serving: keys, rate limit, load, uploads, preloading; ``ServeSettings.from_env()``
            when omitted.

    Raises:
        ConfigError: the settings ask for something this installation cannot do (MCP without
            its extra) or the registry file is invalid.
    """
    pipeline = pipeline or Pipeline(settings)
    serving = serving if serving is not None else ServeSettings.from_env()
    metrics = ServerMetrics(pipeline)  # one registry for REST's and the page's counts
    demo = _queued_demo(pipeline, serving, metrics)
    # Swagger UI and ReDoc from files the fastapi-offline package ships, not from a CDN, so
    # /docs and /redoc work on a machine without internet.
    lifespan = _preloading(pipeline, serving.preload)
    app = FastAPIOffline(title="mtsum", version=_version(), lifespan=lifespan)
    limiter = RateLimiter(serving.rate_limit)  # one budget per client for both faces
    if limiter.enabled:
        app.add_middleware(GradioRateLimit, limiter=limiter)
    # Before the mount at "/": REST (and /metrics, whose middleware is then the outermost and
    # counts the rate limiter's refusals too) answers first.
    install_rest(app, pipeline, serving, limiter, metrics)
    # Gradio's mount gives back the app it was handed, typed loosely: the app is returned.
    gr.mount_gradio_app(app, demo, path="/", **_serving_options(serving))
    # Gradio checks that a file named in a request was uploaded through its upload route only
    # for Blocks that have "launched"; mount_gradio_app never says so, and without the check
    # a request could name any file on the server and have it read (processing_utils.
    # _check_allowed). Mounted here is served exactly like launched.
    demo.has_launched = True
    return app


def serve(
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    announce: Callable[[str], None] | None = None,
    serving: ServeSettings | None = None,
) -> None:
    """Serve the app until interrupted.

    ``announce`` is called with the server's address once it listens (the CLI prints it);
    without it the address is logged.

    ``share`` also opens Gradio's share tunnel to this server once it is up: a temporary public
    link (it needs internet, and expires after a week at most) to the same app, with its REST
    API, rate limit and API keys. If the link cannot be opened the server stops.

    Raises:
        InputError: the address cannot be listened on, or the public link cannot be opened.
    """
    settings = settings if settings is not None else Settings.from_env()
    import uvicorn

    sockets = bind(host, port)  # before building anything: a taken port fails at once
    try:
        app = create_app(settings, serving=serving)
        config = uvicorn.Config(app, host=host, port=port, log_level="info")
        # Config has just set up uvicorn's loggers; the access log must not keep query strings.
        logging.getLogger("uvicorn.access").addFilter(RedactQuery())
        server = uvicorn.Server(config)
        link = ShareLink(server, host, port) if share else None
        url = local_url(host, port)
        call_when_started(server, lambda: (announce or _log_url)(url))
        server.run(sockets=sockets)
    except SystemExit as exc:
        # uvicorn exits 3 when the app's startup fails, which would read as "model unavailable".
        raise RuntimeError(f"the web server failed to start (uvicorn exit {exc.code})") from None
    finally:
        for sock in sockets:
            sock.close()
    if link is not None and link.error is not None:
        raise link.error


def _preloading(pipeline: Pipeline, names: Sequence[str]) -> Callable[[FastAPI], Any]:
    """The app's start-up: load the ``MTSUM_PRELOAD`` models before the server listens.

    Before, not beside: uvicorn runs this before it accepts connections, so the first visitor
    never waits for a model, and a health check that answers means the models are in memory.
    The names are resolved here, when the app is built, so a bad one fails at once.
    """
    entries = pipeline.preload(names, load=False)  # reads the registry: a bad one fails now

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if entries:
            await anyio.to_thread.run_sync(pipeline.preload, entries)
        yield

    return lifespan


def _log_url(url: str) -> None:
    log.info("serving on %s", url)


def _queued_demo(
    pipeline: Pipeline, serving: ServeSettings, metrics: ServerMetrics | None = None
) -> gr.Blocks:
    demo = build_demo(pipeline, serving, metrics)
    # A full queue turns new visitors away with a message instead of piling up requests that
    # would each hold text and model activations in memory.
    demo.queue(max_size=serving.queue_size, default_concurrency_limit=serving.concurrency)
    # Uploads are removed as soon as they are read (handlers.py); this sweeps any that never
    # were (a script can upload without running anything), and all of them at shutdown.
    demo.delete_cache = _UPLOAD_SWEEP
    return demo


def _serving_options(serving: ServeSettings) -> dict[str, Any]:
    """What ``create_app`` passes to Gradio's mount."""
    options: dict[str, Any] = {
        # Enforced by Gradio's upload route on the server (413), not only by the browser.
        "max_file_size": serving.max_upload_mb * 2**20,
        "mcp_server": _mcp_enabled(serving),
        **page_style(),
    }
    if serving.api_keys:
        options["auth"] = key_login(serving.api_keys)
        options["auth_message"] = _KEY_LOGIN_MESSAGE
    return options


def _mcp_enabled(serving: ServeSettings) -> bool:
    """Whether to serve MCP; an explicit False so GRADIO_MCP_SERVER cannot switch it on unseen."""
    if not serving.mcp:
        return False
    if serving.api_keys:
        # Gradio's MCP routes check no login: they would be a way around the keys.
        raise ConfigError(
            "MTSUM_MCP=1 cannot be combined with MTSUM_API_KEYS: Gradio's MCP server does not "
            "check API keys; unset one of them"
        )
    try:
        # gradio.mcp itself imports lazily; the MCP SDK is what the extra brings.
        import mcp  # noqa: F401
    except ImportError:
        raise ConfigError(
            'MTSUM_MCP=1 needs the MCP extra: pip install -e ".[mcp]" (or pip install '
            '"gradio[mcp]"), or unset MTSUM_MCP'
        ) from None
    return True


def _version() -> str:
    from ..version import __version__

    return __version__
