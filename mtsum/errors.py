"""The exceptions mtsum raises on purpose, so every face can map them to one clear answer.

Each face turns the tree into its own vocabulary through one table (``error_table.py``): the CLI
into exit codes, the REST API into HTTP statuses, the web page into a titled message. Anything
else that escapes is a bug.

A message says what happened, in words every face can show; what the reader can do about it
differs by face (the CLI user can run ``mtsum models pull``, a web visitor cannot), so the errors
carry their data as attributes and each face words its own advice from them: the CLI in
``operator_words``, the page and REST in ``web.visitors``.

::

    MtsumError                      base of everything mtsum raises deliberately
    ├── InputError                  the text or an option is wrong     CLI 2 · HTTP 400
    │   ├── TextTooLongError        over the character limit           CLI 2 · HTTP 413
    │   ├── UnsupportedLanguageError  no model route for a language    CLI 2 · HTTP 400
    │   └── LinkError           a link that is refused or cannot be fetched  CLI 2 · HTTP 400
    ├── ConfigError                 bad settings or registry file      CLI 2 · HTTP 500 (operator)
    └── ModelUnavailableError       a model cannot be loaded           CLI 3 · HTTP 503
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigError",
    "InputError",
    "LinkError",
    "ModelUnavailableError",
    "MtsumError",
    "TextTooLongError",
    "UnsupportedLanguageError",
]


class MtsumError(Exception):
    """Base class of every error mtsum raises on purpose; the message says what to do."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuilt from its data, so an error crosses processes (Ray workers) whole.

        ``Exception`` pickles ``args`` (the message) and calls the class with them, which
        does not fit the errors whose constructor takes their data; ``_data`` gives those.
        The message travels as well, in case a caller reworded it (``q[2]: ...``).
        """
        return _rebuilt, (type(self), self._data(), self.args)

    def _data(self) -> tuple[Any, ...]:
        return self.args


class InputError(MtsumError):
    """The input (text, file, language code, option value) cannot be processed as given."""


class TextTooLongError(InputError):
    """The text is longer than the configured character limit (``MTSUM_MAX_CHARS``).

    Attributes:
        characters: how long the text is.
        limit: the limit it is over.
    """

    def __init__(self, characters: int, limit: int) -> None:
        self.characters = characters
        self.limit = limit
        super().__init__(
            f"the text has {characters:,} characters, over the limit of {limit:,}; "
            "split it into smaller parts"
        )

    def _data(self) -> tuple[Any, ...]:
        return self.characters, self.limit


class UnsupportedLanguageError(InputError):
    """A language code is malformed, or the registry has no model route for it.

    Attributes:
        supported: the codes that would work instead.
        reason: why, without naming the languages again (``"no model route; ..."``), so that a
            caller that rewords the message for its own context says each thing once.
    """

    def __init__(self, message: str, supported: tuple[str, ...] = (), reason: str = "") -> None:
        self.supported = supported
        self.reason = reason or message
        super().__init__(message)

    def _data(self) -> tuple[Any, ...]:
        return str(self), self.supported, self.reason


class LinkError(InputError):
    """A link that mtsum refuses to fetch, or whose page cannot be fetched or read.

    Attributes:
        url: the link as given (or the redirect that was refused).
        reason: one word for what went wrong, for callers that branch on it: ``disabled``,
            ``scheme``, ``credentials``, ``address``, ``redirects``, ``size``, ``time``,
            ``status``, ``type``, ``network``, ``empty``.
    """

    def __init__(self, message: str, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(message)

    def _data(self) -> tuple[Any, ...]:
        return str(self), self.url, self.reason


class ConfigError(MtsumError):
    """A setting (environment variable) or the registry file is invalid."""


class ModelUnavailableError(MtsumError):
    """A model cannot be loaded: not downloaded while offline, missing, corrupt or refused.

    The message names the model and why; it holds no command, because only the CLI user can run
    one (the CLI adds ``mtsum models pull NAME`` from ``name``; a web visitor is told to ask
    whoever runs the server).

    Attributes:
        model: the model reference (hub id or local path) that failed.
        name: the registry name of the model (``fr-en``, ``summarize:en``), if known: what
            ``mtsum models pull`` takes to fetch it.
        reason: a short explanation of what went wrong (for the operator: it may name a folder).
    """

    def __init__(self, model: str, reason: str, name: str | None = None) -> None:
        self.model = model
        self.name = name
        self.reason = reason
        super().__init__(f"model {model} is unavailable: {reason}")

    def _data(self) -> tuple[Any, ...]:
        return self.model, self.reason, self.name


def _rebuilt(kind: type[MtsumError], data: tuple[Any, ...], args: tuple[Any, ...]) -> MtsumError:
    """``kind`` made from its data again, with the message it had (see ``__reduce__``)."""
    error = kind(*data)
    error.args = args
    return error
