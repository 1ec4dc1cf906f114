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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .environment import check_fields, option, read_fields
from .errors import ConfigError
from .profiles import DEFAULT_PROFILE, PROFILES

__all__ = [
    "ALL_INSTALLED",
    "MIN_RELIABLE_LETTERS",
    "RELIABLE_PROBABILITY",
    "TM_KINDS",
    "ServeSettings",
    "Settings",
    "default_model_dir",
    "default_registry_path",
    "is_redis_url",
]

_PACKAGE_DIR = Path(__file__).resolve().parent
DEVICES = ("auto", "cpu", "cuda")
ENGINES = ("auto", "transformers", "ctranslate2")
# Web requests that may wait for a turn (page and REST each). A waiting request holds only its
# text: 30 clients x 2 requests at once are all answered with no "queue full", and the server's
# memory grows with the requests running (MTSUM_CONCURRENCY), not with those waiting (see the
# README's load figures, measured by tests/web/test_load.py). 64 leaves room above that burst.
WEB_QUEUE_SIZE = 64
# Where Debian's trans-* packages put their word lists (trans-de-en: /usr/share/trans/de-en),
# read for the `detached` flag (mtsum/checks/lexicon.py) unless the operator names another.
SYSTEM_LEXICONS = Path("/usr/share/trans")
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
# MTSUM_PRELOAD's name for every model already on this machine.
ALL_INSTALLED = "all-installed"
# Language detection (mtsum/detect.py). Reliable from this average probability on: wrong-but-
# reliable 0.75% of even dev sentences and correct-but-unreliable 8.8% (0.80: 1.05% / 6.6%;
# 0.82: 0.97% / 7.3%), lingua and fastText.
RELIABLE_PROBABILITY = 0.85
# Texts with fewer letters are never reliable; 20 would mark 10.7% of correct sentences
# unreliable at the threshold above, 10 marks 8.6% with the same wrong-but-reliable share.
MIN_RELIABLE_LETTERS = 10


def is_redis_url(value: str) -> bool:
    """Whether ``value`` (``MTSUM_TM``) names a Redis server rather than a memory kind."""
    return urlsplit(value).scheme in _REDIS_SCHEMES


def _memory_kind(raw: str) -> str:
    """``MTSUM_TM``: a memory kind, or a Redis URL kept as written (passwords have case)."""
    if is_redis_url(raw):
        return raw
    if raw.lower() not in TM_KINDS:
        raise ConfigError(
            f"MTSUM_TM={raw!r} is invalid, expected one of: {', '.join(TM_KINDS)}, "
            "or redis://host:port/db"
        )
    return raw.lower()


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{value}`" for value in values)


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
    """How the core runs: models, engines, limits, detection, the translation memory.

    Immutable; build a new one to change it (``replace``). Each field's default, help and
    variable are in its ``option`` below; ``from_env`` reads them all, and the documentation's
    configuration reference (``docs/hooks.py``) lists them.
    """

    registry_path: Path | None = option(
        None, "the registry file (`models/registry.toml`)", env="MTSUM_REGISTRY"
    )
    model_dir: Path | None = option(None, "the local model store (`models/`)")
    offline: bool = option(
        False, "never download; use only what is stored", also=("HF_HUB_OFFLINE",)
    )
    device: str = option("auto", "`auto` (CUDA when available), `cpu`, `cuda`", choices=DEVICES)
    engine: str = option(
        "auto",
        "`auto` (CTranslate2 when the `fast` extra is installed), `transformers`, `ctranslate2`",
        choices=ENGINES,
    )
    max_chars: int = option(100_000, "longest text accepted, in characters", minimum=1)
    max_loaded_models: int = option(
        4,
        "models kept in memory (least recently used leaves first)",
        old=("MTSUM_CACHE_SIZE",),
        minimum=1,
    )
    # 512 measured fastest and leanest on CPU (bench/RESULTS.md); raise it on a GPU.
    batch_tokens: int = option(
        512, "padded input tokens per generation batch (raise it on a GPU)", minimum=1
    )
    num_beams: int | None = option(None, "beam width; unset: each model's own", minimum=1)
    threads: int | None = option(None, "CPU threads for inference; unset: all cores", minimum=1)
    engine_workers: int = option(
        2,
        "CTranslate2 calls that may run at once (its inter-op workers; the cores are shared "
        "among them)",
        minimum=1,
    )
    allow_pickle: bool = option(
        False,
        "load pickle (`.bin`) weights directly, instead of converting them once to "
        "safetensors with the weights-only loader",
    )
    detect_threshold: float = option(
        RELIABLE_PROBABILITY, "below this probability a detection is flagged unreliable"
    )
    min_detect_letters: int = option(
        MIN_RELIABLE_LETTERS, "a text with fewer letters is flagged unreliable", minimum=1
    )
    detect_models: int = option(
        0,
        "languages whose large detection models (10-57 MB each) stay loaded for short texts "
        "(under 30 characters and 3 words; longer ones need none); 0 keeps all (about 1 GiB "
        "once short texts in every language were seen); a bound saves memory but a short text "
        "whose language was unloaded waits 0.2-1 s for it (see the detection page)",
        minimum=0,
    )
    max_summary_words: int = option(1000, "the largest `words` a request may ask for", minimum=1)
    compute_type: str = option(
        "auto",
        "CTranslate2 only: `auto` (int8 on CPU, float16 on GPU), " + _listed(COMPUTE_TYPES[1:]),
        choices=COMPUTE_TYPES,
    )
    translation_memory: str = option(
        "memory",
        "the translation memory, an exact sentence cache below the translator: `memory` (in "
        "process), `sqlite` (also in `<MTSUM_MODEL_DIR>/tm.sqlite3`, kept across restarts), "
        "a `redis://host:port/db` URL (also in Redis, shared by every replica), `off`",
        env="MTSUM_TM",
        parse=_memory_kind,
    )
    tm_mb: int = option(64, "megabytes the in-process translation memory holds", minimum=1)
    tm_ttl: int = option(TM_TTL, "seconds a Redis memory entry lives", minimum=1)
    tm_entries: int = option(TM_ENTRIES, "most entries the Redis memory keeps", minimum=1)
    hub_endpoint: str | None = option(
        None,
        "where models are downloaded from: a mirror of the hub (`https://host[:port]`)",
        env="HF_ENDPOINT",
        parse=lambda raw: raw.rstrip("/") or None,
    )
    lexicons: Path | None = option(
        SYSTEM_LEXICONS,
        "a folder of bilingual word lists (files named like `de-en`, in the format of Ding's "
        "dictionary, as Debian's `trans-de-en` installs it) for the `detached` flag; `off` "
        "leaves that flag out",
        parse=lambda raw: None if raw.strip().lower() in ("", "off") else Path(raw).expanduser(),
    )
    allow_urls: bool = option(
        False,
        "the web page and REST API fetch a link a visitor gives (public addresses only); the "
        "CLI and the Python API fetch links either way",
    )
    profile: str = option(
        DEFAULT_PROFILE,
        "the model profile of a request that names none: `best` (the best-scoring published "
        "models) or `fast` (smaller ones where the registry names them)",
        choices=PROFILES,
    )

    def __post_init__(self) -> None:
        check_fields(self)
        if not 0.0 <= self.detect_threshold <= 1.0:
            raise ConfigError(f"detect_threshold must be within 0..1, got {self.detect_threshold}")
        if self.hub_endpoint is not None:
            _check_endpoint(self.hub_endpoint)
        _check_memory(self.translation_memory)

    @property
    def registry_file(self) -> Path:
        """The registry path in effect."""
        return self.registry_path or default_registry_path()

    @property
    def store_dir(self) -> Path:
        """The model store in effect."""
        return self.model_dir or default_model_dir()

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment: each field's variable (its ``option``).

        Args:
            environ: the variables to read; ``os.environ`` when omitted.

        Raises:
            ConfigError: a variable has a value that cannot be used; the message names it.
        """
        return cls(**read_fields(cls, os.environ if environ is None else environ))


@dataclass(frozen=True)
class ServeSettings:
    """How the web server serves (``mtsum serve``, ``create_app``): access, load, uploads.

    Apart from ``Settings``, which the core reads: nothing below the web faces sees these.
    """

    api_keys: tuple[str, ...] = option(
        (),
        "comma-separated keys; when set, REST calls need one as `api_key` and the page and "
        "its Gradio API a login with one",
        repr=False,
    )
    rate_limit: int = option(
        0,
        "requests per minute per client address, REST and Gradio API together (429 beyond); 0: off",
        minimum=0,
    )
    cors_origins: tuple[str, ...] = option(
        (), "comma-separated origins whose web pages may call the REST API, or `*`"
    )
    concurrency: int = option(
        2, "web requests that run the models at the same time (the page and REST each)", minimum=1
    )
    queue_size: int = option(
        WEB_QUEUE_SIZE,
        "web requests that may wait (the page and REST each); more are turned away",
        minimum=1,
    )
    max_upload_mb: int = option(
        20, "largest file the web page accepts (enforced by the server)", minimum=1
    )
    mcp: bool = option(False, "also serve the page's tools over MCP (needs the `mcp` extra)")
    preload: tuple[str, ...] = option(
        (),
        "models to load when the server starts: comma-separated directions (`fr-en`, `fr-de` "
        f"for its route), `summarize:en`, or `{ALL_INSTALLED}`",
    )
    replicas: int = option(1, "model replicas of `serve --ray`, when not autoscaled", minimum=1)
    replicas_min: int | None = option(
        None, "with `MTSUM_REPLICAS_MAX`, `serve --ray` autoscales between the two", minimum=0
    )
    replicas_max: int | None = option(
        None, "the autoscaling ceiling of `serve --ray`; unset: fixed replicas", minimum=1
    )

    def __post_init__(self) -> None:
        check_fields(self)
        if any(not isinstance(k, str) or not k.strip() for k in self.api_keys):
            raise ConfigError("api_keys must be non-empty strings (MTSUM_API_KEYS)")
        _check_preload(self.preload)
        low, high = self.replicas_min, self.replicas_max
        if (low is None) != (high is None) or (low is not None and high is not None and low > high):
            raise ConfigError(
                "MTSUM_REPLICAS_MIN and MTSUM_REPLICAS_MAX: both, 0 <= MIN <= MAX, MAX >= 1"
            )

    def replace(self, **changes: Any) -> ServeSettings:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServeSettings:
        """Server settings from the environment (see ``Settings.from_env``)."""
        return cls(**read_fields(cls, os.environ if environ is None else environ))


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


def _check_memory(kind: str) -> None:
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
