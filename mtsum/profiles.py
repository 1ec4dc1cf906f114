"""The two model profiles a request may ask for: ``best`` (quality) and ``fast`` (latency).

A registry direction names a ``best`` and, where a smaller published model is within reach, a
``fast`` model (``models/registry.toml``); a plain reference serves both. Kept in a module of its
own, below ``request``, ``settings`` and ``registry``, so that all three check a profile against
the same list.
"""

from __future__ import annotations

from .errors import InputError

__all__ = ["DEFAULT_PROFILE", "PROFILES", "check_profile"]

PROFILES = ("best", "fast")
"""The profiles, the default first."""

DEFAULT_PROFILE = PROFILES[0]


def check_profile(value: object) -> str:
    """``value`` as one of :data:`PROFILES` (case and surrounding spaces ignored).

    Raises:
        InputError: anything else; the message lists the valid choices.
    """
    cleaned = value.strip().lower() if isinstance(value, str) else value
    if cleaned not in PROFILES:
        raise InputError(f"invalid profile {value!r}, expected one of: {', '.join(PROFILES)}")
    return str(cleaned)
