"""The model registry: which model serves which language direction, and how to route a pair.

The registry file (``models/registry.toml``) is the only place a model is chosen: a request can
name languages, never models. Routing turns (source, target) into hops, preferring a direct
model, then a pivot through English, then the multilingual models (``mul-en``, ``en-mul``)::

    [translation]
    "fr-en"  = "Helsinki-NLP/opus-mt-fr-en"                          # hub id
    "en-zh"  = { model = "Helsinki-NLP/opus-mt-en-zh", token = ">>cmn_Hans<<" }
    "de-en"  = "./de-en"                                             # folder, relative to this file
    "mul-en" = "Helsinki-NLP/opus-mt-mul-en"
    "en-mul" = "Helsinki-NLP/opus-mt-en-mul"

    [multilingual]          # languages the mul models cover: ISO 639-1 -> the model's label
    "ja" = "jpn"            # en-mul writes Japanese when the input starts with >>jpn<<

    [summarization]
    "en" = "sshleifer/distilbart-cnn-12-6"
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError, UnsupportedLanguageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Hop", "ModelEntry", "Registry", "normalize_language"]

PIVOT = "en"
MULTI = "mul"
_CODE = re.compile(r"^[a-z]{2,3}$")
_DIRECTION = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_TOKEN = re.compile(r"^>>[\w\-]+<<$")


def normalize_language(code: object) -> str:
    """A user's language code as the registry spells it: ``" FR "`` -> ``fr``, ``zh-CN`` -> ``zh``.

    Raises:
        UnsupportedLanguageError: not a string that looks like an ISO 639-1 code.
    """
    if not isinstance(code, str):
        raise UnsupportedLanguageError(f"language code must be text, got {type(code).__name__}")
    cleaned = code.strip().lower().replace("_", "-")
    base = cleaned.split("-")[0]
    if not _CODE.match(base):
        raise UnsupportedLanguageError(
            f"{code!r} is not a language code; use ISO 639-1 codes such as en, fr, de, zh"
        )
    return base


SUMMARY_PREFIX = "summarize:"
"""Registry names of summarisers start with this (``summarize:en``)."""


@dataclass(frozen=True)
class ModelEntry:
    """One model of the registry.

    Attributes:
        name: its registry name, which ``mtsum models pull`` takes (``fr-en``, ``summarize:en``).
        reference: a hub id, or the absolute path of a local model folder.
        local: True when ``reference`` is a folder.
        token: text put before every input (``>>fra<<`` for multi-target models), or None.
        revision: hub revision (branch, tag or commit) to download; None for the default branch.
    """

    name: str
    reference: str
    local: bool
    token: str | None = None
    revision: str | None = None

    @property
    def summarizes(self) -> bool:
        """Whether this is a summariser (a ``[summarization]`` entry)."""
        return self.name.startswith(SUMMARY_PREFIX)


@dataclass(frozen=True)
class Hop:
    """One translation step of a route: ``entry`` turns ``source`` text into ``target`` text."""

    source: str
    target: str
    entry: ModelEntry
    token: str | None = None

    @property
    def direction(self) -> str:
        return f"{self.source}-{self.target}"


class Registry:
    """The parsed registry file. Build it with :meth:`load` (or directly, in tests)."""

    def __init__(
        self,
        translation: dict[str, ModelEntry],
        summarization: dict[str, ModelEntry],
        multilingual: dict[str, str] | None = None,
        path: Path | None = None,
    ) -> None:
        self.translation = translation
        self.summarization = summarization
        self.multilingual = multilingual or {}
        self.path = path

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read and validate a registry file.

        Raises:
            ConfigError: the file is missing, is not TOML, or has an invalid entry (named).
        """
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"registry file {path} does not exist (MTSUM_REGISTRY)") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"registry file {path} cannot be read: {exc}") from None
        unknown = set(data) - {"translation", "summarization", "multilingual"}
        if unknown:
            raise ConfigError(
                f"registry {path}: unknown section(s) {sorted(unknown)}; "
                "expected translation, summarization, multilingual"
            )
        base = Path(path).resolve().parent
        translation = {}
        for key, value in _table(data, "translation", path).items():
            match = _DIRECTION.match(key)
            if not match or match.group(1) == match.group(2):
                raise ConfigError(f"registry {path}: [translation] key {key!r} is not 'src-tgt'")
            translation[key] = _entry(key, value, base, path)
        summarization = {}
        for key, value in _table(data, "summarization", path).items():
            if not _CODE.match(key):
                raise ConfigError(f"registry {path}: [summarization] key {key!r} is not a code")
            summarization[key] = _entry(f"{SUMMARY_PREFIX}{key}", value, base, path)
        multilingual = {}
        for key, value in _table(data, "multilingual", path).items():
            if not _CODE.match(key) or not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"registry {path}: [multilingual] needs 'xx' = 'label' pairs, got {key!r}"
                )
            multilingual[key] = value.strip()
        if "multilingual" not in data:
            # A registry that names the mul models but not their languages still routes the
            # languages OPUS-MT's multilingual models are known to cover.
            multilingual = dict(DEFAULT_MULTILINGUAL)
        return cls(translation, summarization, multilingual, Path(path))

    # ---- looking things up -------------------------------------------------------------

    def entries(self) -> list[ModelEntry]:
        """Every model of the registry, translation first."""
        return [*self.translation.values(), *self.summarization.values()]

    def entry(self, name: str) -> ModelEntry:
        """A model by its registry name (``fr-en``, ``summarize:en``).

        Raises:
            UnsupportedLanguageError: no such name; the message lists the valid ones.
        """
        for entry in self.entries():
            if entry.name == name:
                return entry
        names = ", ".join(e.name for e in self.entries())
        raise UnsupportedLanguageError(f"no model named {name!r} in the registry; known: {names}")

    def entries_for(self, names: Sequence[str]) -> list[ModelEntry]:
        """Entries by registry name; a language pair that is not a name means its whole route.

        Raises:
            InputError: a name that is neither a model nor a routable pair.
        """
        entries = []
        for name in names:
            try:
                entries.append(self.entry(name))
                continue
            except InputError:
                if name.count("-") != 1:
                    raise
            source, target = name.split("-")
            entries.extend(hop.entry for hop in self.route(source, target))
        return list({entry.name: entry for entry in entries}.values())

    def summarizer(self, language: str) -> ModelEntry | None:
        """The summarisation model for ``language``, if the registry has one."""
        return self.summarization.get(language)

    def languages(self) -> list[str]:
        """Every language some route can read or write, sorted."""
        found = {PIVOT} if self.translation else set()
        for key in self.translation:
            found.update(key.split("-"))
        found.discard(MULTI)
        if f"{MULTI}-{PIVOT}" in self.translation or f"{PIVOT}-{MULTI}" in self.translation:
            found.update(self.multilingual)
        return sorted(found)

    def targets(self, source: str) -> list[str]:
        """Every language ``source`` can be translated into (itself excluded)."""
        return [t for t in self.languages() if t != source and self.can_route(source, t)]

    def check_language(self, code: object) -> str:
        """Normalise ``code`` and check that some route uses it.

        Raises:
            UnsupportedLanguageError: malformed, or no route uses it; lists the supported codes.
        """
        language = normalize_language(code)
        supported = self.languages()
        if language not in supported:
            raise UnsupportedLanguageError(
                f"language {language!r} is not supported; supported: {', '.join(supported)}",
                tuple(supported),
            )
        return language

    # ---- routing -----------------------------------------------------------------------

    def can_route(self, source: str, target: str) -> bool:
        """Whether some route translates ``source`` into ``target``."""
        return self._try_route(source, target) is not None

    def route(self, source: str, target: str) -> list[Hop]:
        """The hops that translate ``source`` into ``target``; ``[]`` when they are equal.

        Raises:
            UnsupportedLanguageError: no direct, pivot or multilingual route exists.
        """
        source, target = normalize_language(source), normalize_language(target)
        hops = self._try_route(source, target)
        if hops is None:
            reachable = self.targets(source)
            if reachable:
                choices = f"{source} can be translated into: {', '.join(reachable)}"
            else:
                choices = f"supported languages: {', '.join(self.languages())}"
            reason = f"no model route; {choices}"
            raise UnsupportedLanguageError(
                f"cannot translate from {source!r} to {target!r}: {reason}",
                tuple(reachable or self.languages()),
                reason,
            )
        return hops

    def _try_route(self, source: str, target: str) -> list[Hop] | None:
        if source == target:
            return []
        direct = self.translation.get(f"{source}-{target}")
        if direct is not None:
            return [Hop(source, target, direct, direct.token)]
        if PIVOT in (source, target):
            leg = self._leg(source, target)
            return [leg] if leg else None
        first, second = self._leg(source, PIVOT), self._leg(PIVOT, target)
        return [first, second] if first and second else None

    def _leg(self, source: str, target: str) -> Hop | None:
        """One hop to or from English: a direct model, else the multilingual one."""
        direct = self.translation.get(f"{source}-{target}")
        if direct is not None:
            return Hop(source, target, direct, direct.token)
        if target == PIVOT and source in self.multilingual:
            entry = self.translation.get(f"{MULTI}-{PIVOT}")
            if entry is not None:
                return Hop(source, target, entry, entry.token)
        if source == PIVOT and target in self.multilingual:
            entry = self.translation.get(f"{PIVOT}-{MULTI}")
            if entry is not None:
                return Hop(source, target, entry, f">>{self.multilingual[target]}<<")
        return None


# Languages of Helsinki-NLP/opus-mt-mul-en (sources) and opus-mt-en-mul (targets, by the
# ISO 639-3 label that goes into ">>label<<"), used when a registry has no [multilingual] table.
DEFAULT_MULTILINGUAL: dict[str, str] = {
    "af": "afr", "am": "amh", "ar": "ara", "be": "bel", "bg": "bul", "bn": "ben", "ca": "cat",
    "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "eo": "epo", "es": "spa", "et": "est",
    "eu": "eus", "fa": "pes", "fi": "fin", "fr": "fra", "ga": "gle", "gl": "glg", "he": "heb",
    "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye", "id": "ind", "is": "isl", "it": "ita",
    "ja": "jpn", "ka": "kat", "lt": "lit", "lv": "lav", "mk": "mkd", "ms": "zsm_Latn",
    "mt": "mlt", "nl": "nld", "no": "nob", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus",
    "sl": "slv", "sq": "sqi", "sv": "swe", "tr": "tur", "uk": "ukr", "vi": "vie",
    "zh": "cmn_Hans",
}  # fmt: skip


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"registry {path}: [{name}] must be a table")
    return table


def _entry(name: str, value: Any, base: Path, path: Path) -> ModelEntry:
    """Parse one registry value: a reference string, or ``{model, token, revision}``."""
    token = revision = None
    if isinstance(value, dict):
        unknown = set(value) - {"model", "token", "revision"}
        if unknown or "model" not in value:
            raise ConfigError(
                f"registry {path}: {name} needs {{model = ..., token = ..., revision = ...}}"
            )
        token, revision, value = value.get("token"), value.get("revision"), value["model"]
        if token is not None and (not isinstance(token, str) or not _TOKEN.match(token)):
            raise ConfigError(f"registry {path}: {name} token {token!r} is not like '>>fra<<'")
        if revision is not None and not isinstance(revision, str):
            raise ConfigError(f"registry {path}: {name} revision must be text")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"registry {path}: {name} needs a model reference (hub id or folder)")
    reference = value.strip()
    explicit_path = reference.startswith(("./", "../", "/", "~"))
    candidate = (base / Path(reference).expanduser()).resolve()
    if explicit_path or candidate.is_dir():
        return ModelEntry(name, str(candidate), True, token, revision)
    if not _HUB_ID.match(reference):
        raise ConfigError(
            f"registry {path}: {name} = {reference!r} is neither a folder nor a hub id (org/name)"
        )
    return ModelEntry(name, reference, False, token, revision)
