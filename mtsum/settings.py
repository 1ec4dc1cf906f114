"""Explicit configuration: one frozen ``Settings`` object, built from the environment on request.

Nothing here runs at import time. ``Settings()`` gives the defaults; ``Settings.from_env()`` reads
the ``MTSUM_*`` variables (and ``HF_HUB_OFFLINE``) once, validates them and fails with the valid
choices in the message.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError
from .profiles import DEFAULT_PROFILE, PROFILES

__all__ = ["TM_KINDS", "Settings", "default_model_dir", "default_registry_path", "is_redis_url"]

_PACKAGE_DIR = Path(__file__).resolve().parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
DEVICES = ("auto", "cpu", "cuda")
ENGINES = ("auto", "transformers", "ctranslate2")
# Web requests that may wait for a turn (page and REST each). A waiting request holds only its
# text: 30 clients x 2 requests at once are all answered with no "queue full", and the server's
# memory grows with the requests running (MTSUM_CONCURRENCY), not with those waiting (see the
# README's load figures, measured by tests/web/test_load.py). 64 leaves room above that burst.
WEB_QUEUE_SIZE = 64
# CTranslate2 compute types ("auto": int8 on CPU, float16 on GPU).
COMPUTE_TYPES = (
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)

# The translation memory (mtsum/memory.py), or a redis:// URL (mtsum/memory_redis.py).
TM_KINDS = ("memory", "sqlite", "off")
_REDIS_SCHEMES = ("redis", "rediss")
# Redis entries live 30 days after they were written, and at most a million are kept (about
# 200 MB of text, as the sqlite file): the operator's Redis is shared, so the bound is ours.
TM_TTL = 30 * 24 * 3600
TM_ENTRIES = 1_000_000


def is_redis_url(value: str) -> bool:
    """Whether ``value`` (``MTSUM_TM``) names a Redis server rather than a memory kind."""
    return urlsplit(value).scheme in _REDIS_SCHEMES


def _source_checkout_models() -> Path | None:
    """The ``models/`` folder of a source checkout (editable install), if this is one."""
    candidate = _PACKAGE_DIR.parent / "models"
    return candidate if (candidate / "registry.toml").is_file() else None


def default_registry_path() -> Path:
    """``models/registry.toml`` of the checkout, or the copy a wheel carries inside the package."""
    models = _source_checkout_models()
    if models is not None:
        return models / "registry.toml"
    return _PACKAGE_DIR / "_registry.toml"


def default_model_dir() -> Path:
    """``models/`` of the checkout; for an installed wheel, the user's cache folder."""
    models = _source_checkout_models()
    if models is not None:
        return models
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mtsum" / "models"


@dataclass(frozen=True)
class Settings:
    """Everything mtsum can be configured with. Immutable; build a new one to change it.

    Attributes:
        registry_path: the model registry (TOML). ``None``: the bundled ``models/registry.toml``.
        model_dir: the local model store (downloads, conversions). ``None``: ``models/``.
        offline: never touch the network; load only what is already in the store.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        engine: generation engine, ``auto``, ``transformers`` or ``ctranslate2``.
        max_chars: longest text accepted, in characters.
        max_loaded_models: how many models stay in memory at once (least recently used leaves).
        batch_tokens: padded input tokens per generation batch (inputs are length-sorted
            first). 512 measured fastest and leanest on CPU (``bench/RESULTS.md``); raise it on
            a GPU.
        num_beams: beam size; ``None`` uses each model's own generation config.
        threads: CPU threads for inference; ``None`` lets the engine decide (all cores).
        allow_pickle: accept ``pytorch_model.bin`` weights, which can run code when loaded.
        detect_threshold: below this probability a detection is flagged unreliable.
        min_detect_letters: texts with fewer letters are flagged unreliable.
        max_summary_words: the largest ``words`` a request may ask for.
        api_keys: REST API keys; when any is set, every REST call but ``/languages`` and
            ``/health`` must send one of them as ``api_key`` (kept out of ``repr``).
        rate_limit: REST requests per minute per client address; 0 for no limit.
        cors_origins: origins whose browser pages may call the REST API (``*`` for any); empty
            for none (no CORS headers).
        web_concurrency: web requests that run the pipeline at the same time (the rest queue).
        web_queue_size: web requests that may wait in the queue; more are turned away.
        max_upload_mb: largest file the web page accepts, in megabytes.
        mcp_server: also serve the web page's tools over MCP (needs the ``mcp`` extra).
        compute_type: CTranslate2 weights and arithmetic; ``auto`` is int8 on CPU, float16 on GPU.
        translation_memory: the sentence cache below the translator: ``memory`` (in process),
            ``sqlite`` (also in ``<model_dir>/tm.sqlite3``, kept across restarts), a
            ``redis://host:port/db`` URL (also in Redis, shared by every replica) or ``off``.
        memory_mb: megabytes the in-process translation memory may hold.
        memory_ttl: seconds a Redis memory entry lives (``MTSUM_TM_TTL``).
        memory_entries: most entries the Redis memory keeps (``MTSUM_TM_ENTRIES``).
        replicas: model replicas of ``serve --ray`` (``MTSUM_REPLICAS``), when not autoscaled.
        replicas_min: with ``replicas_max``, autoscale between the two (``MTSUM_REPLICAS_MIN``).
        replicas_max: the autoscaling ceiling (``MTSUM_REPLICAS_MAX``); None: fixed replicas.
        hub_endpoint: the model hub to download from (``HF_ENDPOINT``: a company mirror);
            ``None`` for the hub client's default.
        preload: registry names or language pairs (``fr-en``, ``summarize:en``), or
            ``all-installed``, loaded when the web server starts (``MTSUM_PRELOAD``).
        allow_urls: the web page and REST API fetch a link a visitor gives (public addresses
            only; ``MTSUM_ALLOW_URLS``). The CLI and the Python API fetch links either way.
        profile: the model profile of a request that names none: ``best`` (the best-scoring
            published models) or ``fast`` (smaller ones where the registry names them).
    """

    registry_path: Path | None = None
    model_dir: Path | None = None
    offline: bool = False
    device: str = "auto"
    engine: str = "auto"
    max_chars: int = 100_000
    max_loaded_models: int = 4
    batch_tokens: int = 512
    num_beams: int | None = None
    threads: int | None = None
    allow_pickle: bool = False
    detect_threshold: float = 0.85
    min_detect_letters: int = 10
    max_summary_words: int = 1000
    # REST API access
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    rate_limit: int = 0
    cors_origins: tuple[str, ...] = ()
    # the web app
    web_concurrency: int = 2
    web_queue_size: int = WEB_QUEUE_SIZE
    max_upload_mb: int = 20
    mcp_server: bool = False
    # CTranslate2 engine
    compute_type: str = "auto"
    translation_memory: str = field(default="memory", metadata={"env": "MTSUM_TM"})
    memory_mb: int = 64
    memory_ttl: int = TM_TTL
    memory_entries: int = TM_ENTRIES
    # serve --ray
    replicas: int = 1
    replicas_min: int | None = None
    replicas_max: int | None = None
    hub_endpoint: str | None = None
    preload: tuple[str, ...] = ()
    allow_urls: bool = False
    profile: str = DEFAULT_PROFILE

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise ConfigError(
                f"invalid device {self.device!r}, expected one of: {', '.join(DEVICES)}"
            )
        if self.engine not in ENGINES:
            raise ConfigError(
                f"invalid engine {self.engine!r}, expected one of: {', '.join(ENGINES)}"
            )
        for name in ("max_chars", "max_loaded_models", "batch_tokens", "max_summary_words"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.num_beams is not None and self.num_beams < 1:
            raise ConfigError(f"num_beams must be at least 1, got {self.num_beams}")
        if self.threads is not None and self.threads < 1:
            raise ConfigError(f"threads must be at least 1, got {self.threads}")
        if not 0.0 <= self.detect_threshold <= 1.0:
            raise ConfigError(f"detect_threshold must be within 0..1, got {self.detect_threshold}")
        # REST API access
        if self.rate_limit < 0:
            raise ConfigError(f"rate_limit must be 0 (off) or more, got {self.rate_limit}")
        if any(not isinstance(k, str) or not k.strip() for k in self.api_keys):
            raise ConfigError("api_keys must be non-empty strings (MTSUM_API_KEYS)")
        # the web app
        for name in ("web_concurrency", "web_queue_size", "max_upload_mb"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        # CTranslate2 engine
        if self.compute_type not in COMPUTE_TYPES:
            raise ConfigError(
                f"invalid compute_type {self.compute_type!r}, expected one of: "
                f"{', '.join(COMPUTE_TYPES)}"
            )

        _check_memory(self)
        _check_replicas(self)
        if self.hub_endpoint is not None:
            _check_endpoint(self.hub_endpoint)
        _check_preload(self.preload)
        if self.profile not in PROFILES:
            raise ConfigError(
                f"invalid profile {self.profile!r} (MTSUM_PROFILE), expected one of: "
                f"{', '.join(PROFILES)}"
            )

    @property
    def registry_file(self) -> Path:
        """The registry path in effect."""
        return self.registry_path or default_registry_path()

    @property
    def store_dir(self) -> Path:
        """The model store in effect."""
        return self.model_dir or default_model_dir()

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``MTSUM_*`` environment variables (see the README's table).

        Args:
            environ: the variables to read; ``os.environ`` when omitted.

        Raises:
            ConfigError: a variable has a value that cannot be used; the message names it.
        """
        env = os.environ if environ is None else environ
        reader = _EnvReader(env)
        return cls(
            registry_path=reader.path("MTSUM_REGISTRY"),
            model_dir=reader.path("MTSUM_MODEL_DIR"),
            offline=reader.flag("MTSUM_OFFLINE") or reader.flag("HF_HUB_OFFLINE"),
            device=reader.choice("MTSUM_DEVICE", DEVICES, "auto"),
            engine=reader.choice("MTSUM_ENGINE", ENGINES, "auto"),
            max_chars=reader.integer("MTSUM_MAX_CHARS", 100_000),
            max_loaded_models=reader.integer("MTSUM_CACHE_SIZE", 4),
            batch_tokens=reader.integer("MTSUM_BATCH_TOKENS", 512),
            num_beams=reader.optional_integer("MTSUM_NUM_BEAMS"),
            threads=reader.optional_integer("MTSUM_THREADS"),
            allow_pickle=reader.flag("MTSUM_ALLOW_PICKLE"),
            detect_threshold=reader.number("MTSUM_DETECT_THRESHOLD", 0.85),
            max_summary_words=reader.integer("MTSUM_MAX_SUMMARY_WORDS", 1000),
            # REST API access
            api_keys=_comma_list(env.get("MTSUM_API_KEYS")),
            rate_limit=reader.integer("MTSUM_RATE_LIMIT", 0),
            cors_origins=_comma_list(env.get("MTSUM_CORS_ORIGINS")),
            # the web app
            web_concurrency=reader.integer("MTSUM_CONCURRENCY", 2),
            web_queue_size=reader.integer("MTSUM_QUEUE_SIZE", WEB_QUEUE_SIZE),
            max_upload_mb=reader.integer("MTSUM_MAX_UPLOAD_MB", 20),
            mcp_server=reader.flag("MTSUM_MCP"),
            # CTranslate2 engine
            compute_type=reader.choice("MTSUM_COMPUTE_TYPE", COMPUTE_TYPES, "auto"),
            translation_memory=_memory_kind(reader),
            memory_mb=reader.integer("MTSUM_TM_MB", 64),
            memory_ttl=reader.integer("MTSUM_TM_TTL", TM_TTL),
            memory_entries=reader.integer("MTSUM_TM_ENTRIES", TM_ENTRIES),
            replicas=reader.integer("MTSUM_REPLICAS", 1),
            replicas_min=reader.optional_integer("MTSUM_REPLICAS_MIN"),
            replicas_max=reader.optional_integer("MTSUM_REPLICAS_MAX"),
            hub_endpoint=(reader.text("HF_ENDPOINT") or "").rstrip("/") or None,
            preload=_comma_list(env.get("MTSUM_PRELOAD")),
            allow_urls=reader.flag("MTSUM_ALLOW_URLS"),
            profile=reader.choice("MTSUM_PROFILE", PROFILES, DEFAULT_PROFILE),
        )


class _EnvReader:
    """Typed reads of environment variables with messages that name the variable."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def _raw(self, name: str) -> str | None:
        value = self.env.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def text(self, name: str) -> str | None:
        return self._raw(name)

    def path(self, name: str) -> Path | None:
        raw = self._raw(name)
        return Path(raw).expanduser() if raw else None

    def flag(self, name: str) -> bool:
        raw = (self._raw(name) or "").lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise ConfigError(f"{name}={raw!r} is not a boolean, expected 1/0, true/false, yes/no")

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        raw = (self._raw(name) or default).lower()
        if raw not in choices:
            raise ConfigError(f"{name}={raw!r} is invalid, expected one of: {', '.join(choices)}")
        return raw

    def integer(self, name: str, default: int) -> int:
        value = self.optional_integer(name)
        return default if value is None else value

    def optional_integer(self, name: str) -> int | None:
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a whole number") from None

    def number(self, name: str, default: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number") from None


# REST API access
def _comma_list(raw: str | None) -> tuple[str, ...]:
    """``"a, b,,c"`` -> ``("a", "b", "c")``; unset or blank -> ``()``."""
    return tuple(item.strip() for item in (raw or "").split(",") if item.strip())


ALL_INSTALLED = "all-installed"
_PRELOAD_NAME = re.compile(r"^(?:[a-z]{2,3}-[a-z]{2,3}|summarize:[a-z]{2,3})$")


def _check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"HF_ENDPOINT={endpoint!r} is not a web address; expected http(s)://host[:port] "
            "of the model hub or a mirror of it"
        )


def _check_preload(names: tuple[str, ...]) -> None:
    """``MTSUM_PRELOAD``'s shape; whether the registry knows the names is checked at start."""
    for name in names:
        if name == ALL_INSTALLED:
            if len(names) > 1:
                raise ConfigError(
                    f"MTSUM_PRELOAD={','.join(names)!r}: {ALL_INSTALLED} stands alone"
                )
        elif not _PRELOAD_NAME.match(name):
            raise ConfigError(
                f"MTSUM_PRELOAD has {name!r}; expected comma-separated directions (fr-en), "
                f"summarize:xx, or {ALL_INSTALLED}"
            )


def _memory_kind(reader: _EnvReader) -> str:
    """``MTSUM_TM``: a memory kind, or a Redis URL kept as written (passwords have case)."""
    raw = reader.text("MTSUM_TM")
    if raw is not None and is_redis_url(raw):
        return raw
    return reader.choice("MTSUM_TM", TM_KINDS, "memory")


def _check_memory(settings: Settings) -> None:
    kind = settings.translation_memory
    if is_redis_url(kind):
        parts = urlsplit(kind)
        database = parts.path.strip("/")
        if not parts.hostname or (database and not database.isdigit()):
            raise ConfigError("MTSUM_TM has a Redis URL that is not redis://host:port/db")
    elif kind not in TM_KINDS:
        raise ConfigError(
            f"invalid translation_memory {kind!r} (MTSUM_TM), expected one of: "
            f"{', '.join(TM_KINDS)}, or redis://host:port/db"
        )
    for name, variable in (
        ("memory_mb", "MB"),
        ("memory_ttl", "TTL"),
        ("memory_entries", "ENTRIES"),
    ):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name} must be at least 1 (MTSUM_TM_{variable})")


def _check_replicas(settings: Settings) -> None:
    if settings.replicas < 1:
        raise ConfigError(f"replicas must be at least 1 (MTSUM_REPLICAS), got {settings.replicas}")
    low, high = settings.replicas_min, settings.replicas_max
    if (low is None) != (high is None) or (
        low is not None and high is not None and (not 0 <= low <= high or high == 0)
    ):
        raise ConfigError(
            "MTSUM_REPLICAS_MIN and MTSUM_REPLICAS_MAX: both, 0 <= MIN <= MAX, MAX >= 1"
        )
