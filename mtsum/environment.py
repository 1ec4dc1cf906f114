"""Settings fields said once: each field's default, help and environment variable live in its
``option``, and the reading of the environment, the generic checks and the documentation's
table are derived from them (as LibreTranslate's ``default_values.py`` does it).

A field ``max_chars`` is set by ``MTSUM_MAX_CHARS``: the variable is the field's name in
capitals, except for the names the contract fixed (``MTSUM_REGISTRY``, ``MTSUM_TM``) and the
hub's own (``HF_ENDPOINT``). A renamed variable keeps working under its old name, with a
``DeprecationWarning`` and a log line that name the new one. The value's type (from the
field's annotation) chooses how the text is read; a bad value is a ``ConfigError`` that names
the variable.
"""

from __future__ import annotations

import dataclasses
import logging
import types
import typing
import warnings
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["check_fields", "env_name", "option", "read_fields"]

log = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def option(
    default: Any,
    help: str,
    *,
    env: str | None = None,
    old: tuple[str, ...] = (),
    also: tuple[str, ...] = (),
    choices: tuple[str, ...] = (),
    minimum: int | None = None,
    parse: Callable[[str], Any] | None = None,
    repr: bool = True,
) -> Any:
    """A settings field: its default, its help and how the environment sets it, said once.

    Args:
        default: the value when the variable is unset.
        help: what it does, for the documentation's configuration reference.
        env: the variable's name when it is not ``MTSUM_`` + the field's name in capitals
            (only the contract's names and the hub's own variables).
        old: former names, still read, with a deprecation warning.
        also: other variables that set it too (a flag set by either is on).
        choices: the valid values (lower case); a variable's value is lower-cased first.
        minimum: the smallest valid number.
        parse: turns the variable's text into the value, for a type the rest cannot read.
        repr: False keeps the value out of ``repr`` (secrets).
    """
    metadata = {
        "help": help,
        "env": env,
        "old": old,
        "also": also,
        "choices": choices,
        "minimum": minimum,
        "parse": parse,
    }
    return field(default=default, repr=repr, metadata=metadata)


def env_name(spec: dataclasses.Field[Any]) -> str:
    """The variable that sets the field ``spec``."""
    return spec.metadata.get("env") or f"MTSUM_{spec.name.upper()}"


def read_fields(cls: type[Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """The field values of ``cls`` that ``environ`` sets (unset fields keep their default).

    Raises:
        ConfigError: a value that cannot be read; the message names the variable.
    """
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        found = _lookup(spec, environ)
        if found is not None:
            values[spec.name] = _parse(hints[spec.name], spec, *found)
        for other in spec.metadata.get("also", ()):
            # A flag that either variable switches on (MTSUM_OFFLINE, HF_HUB_OFFLINE).
            extra = _lookup_name(other, environ)
            if extra is not None and _flag(other, extra):
                values[spec.name] = True
    return values


def check_fields(instance: Any) -> None:
    """The checks each ``option`` states (``choices``, ``minimum``), with the field's name.

    Raises:
        ConfigError: a value outside them.
    """
    for spec in dataclasses.fields(instance):
        value = getattr(instance, spec.name)
        choices = spec.metadata.get("choices") or ()
        if choices and value not in choices:
            raise ConfigError(
                f"invalid {spec.name} {value!r} ({env_name(spec)}), expected one of: "
                f"{', '.join(choices)}"
            )
        minimum = spec.metadata.get("minimum")
        if minimum is not None and value is not None and value < minimum:
            raise ConfigError(
                f"{spec.name} must be at least {minimum} ({env_name(spec)}), got {value}"
            )


def _lookup(spec: dataclasses.Field[Any], environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The variable that sets ``spec`` and its text: the current name, else an old one (with
    a deprecation warning); None when neither is set (or only blank)."""
    name = env_name(spec)
    raw = _lookup_name(name, environ)
    if raw is not None:
        return name, raw
    for old in spec.metadata.get("old", ()):
        raw = _lookup_name(old, environ)
        if raw is not None:
            message = f"{old} is deprecated and will be removed; set {name} instead"
            log.warning("%s", message)
            warnings.warn(message, DeprecationWarning, stacklevel=4)
            return old, raw
    return None


def _lookup_name(name: str, environ: Mapping[str, str]) -> str | None:
    value = environ.get(name)
    return None if value is None or not value.strip() else value.strip()


def _parse(hint: Any, spec: dataclasses.Field[Any], name: str, raw: str) -> Any:
    """``raw`` as the field's type."""
    parse = spec.metadata.get("parse")
    if parse is not None:
        return parse(raw)
    kind = hint
    if typing.get_origin(hint) in (typing.Union, types.UnionType):  # X | None: read as X
        kind = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(kind) is tuple:
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    if kind is bool:
        return _flag(name, raw)
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if kind is float:
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number") from None
    if kind is Path:
        return Path(raw).expanduser()
    choices = spec.metadata.get("choices") or ()
    if choices:
        if raw.lower() not in choices:
            raise ConfigError(f"{name}={raw!r} is invalid, expected one of: {', '.join(choices)}")
        return raw.lower()
    return raw


def _flag(name: str, raw: str) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean, expected 1/0, true/false, yes/no")
