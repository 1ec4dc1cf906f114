"""mtsum on Ray Serve: ``mtsum serve --ray [ADDRESS]``, ``serve run mtsum.serving:app``, KubeRay.

One process is the default (``mtsum serve``); this is for more than one process or machine.
``build_app`` makes the Serve application: an ingress deployment with the same REST API, page
and ``/metrics`` as ``mtsum serve`` (``create_app``), whose pipeline sends every model call to
the model deployment (``models.py``): replicas that each hold the models they serve.

``app`` is built on first access, from the environment of the process that imports it (what
``serve run`` and a ``RayService``'s ``import_path`` do); importing this package reads nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "build_app", "serve_on_ray"]


def build_app(settings: Any = None, serving: Any = None) -> Any:
    """The Serve application for ``settings`` and ``serving`` (each ``from_env()`` when omitted).

    ``MTSUM_REPLICAS`` model replicas, or autoscaling between ``MTSUM_REPLICAS_MIN`` and
    ``MTSUM_REPLICAS_MAX``; one ingress replica (it only parses, detects and segments).

    Raises:
        ConfigError: a setting is invalid.
    """
    from ..settings import ServeSettings, Settings
    from .ingress import Ingress
    from .models import ModelServer

    settings = settings if settings is not None else Settings.from_env()
    serving = serving if serving is not None else ServeSettings.from_env()
    if serving.replicas_max is not None:
        scaling: dict[str, Any] = {
            "autoscaling_config": {
                "min_replicas": serving.replicas_min,
                "max_replicas": serving.replicas_max,
                # Requests a replica works on before another is started: its work slots.
                "target_ongoing_requests": serving.concurrency,
            }
        }
    else:
        scaling = {"num_replicas": serving.replicas}
    models = ModelServer.options(**scaling).bind(settings)  # type: ignore[attr-defined]
    return Ingress.bind(settings, serving, models)  # type: ignore[attr-defined]


def serve_on_ray(
    settings: Any,
    address: str | None,
    host: str,
    port: int,
    announce: Any = None,
    share: bool = False,
    serving: Any = None,
) -> None:
    """Run the application on the Ray cluster at ``address`` (a local one when None).

    Serve's proxy listens on ``host``:``port``; this call blocks until interrupted.

    Raises:
        ConfigError: Ray Serve is not installed.
    """
    from ..errors import InputError

    if share:
        raise InputError("--share cannot be combined with --ray")
    try:
        import ray
        from ray import serve
    except ImportError:
        from ..errors import ConfigError

        raise ConfigError(
            'serve --ray needs Ray Serve: pip install -e ".[ray]" (or pip install "ray[serve]")'
        ) from None

    from ..web.listen import local_url

    ray.init(address=address or None, namespace="mtsum")
    serve.start(http_options={"host": host, "port": port})
    serve.run(build_app(settings, serving), name="mtsum", route_prefix="/", blocking=False)
    if announce is not None:
        announce(local_url(host, port))
    try:
        import time

        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        serve.shutdown()


def __getattr__(name: str) -> Any:
    # ``serve run mtsum.serving:app``: the application, built when first asked for.
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
