"""The model registry: which model serves which language direction, and how to route a pair.

The registry file (``models/registry.toml``) is the only place a model is chosen: a request can
name languages, never models. Routing turns (source, target) into hops, preferring a direct
model, then a pivot through English, then the multilingual models (``mul-en``, ``en-mul``)::

    [translation]
    "fr-en"  = "Helsinki-NLP/opus-mt-fr-en"                          # hub id
    "en-zh"  = { model = "Helsinki-NLP/opus-mt-en-zh", token = ">>cmn_Hans<<" }
    "de-en"  = "./de-en"                                             # folder, relative to this file
    "ru-en".best = { model = "Helsinki-NLP/opus-mt-tc-big-zle-en", chrf = 62.58, ... }
    "ru-en".fast = { model = "Helsinki-NLP/opus-mt-ru-en", chrf = 57.74, ... }
    "mul-en" = "Helsinki-NLP/opus-mt-mul-en"
    "en-mul" = "Helsinki-NLP/opus-mt-en-mul"

    [multilingual]          # languages the mul models cover: ISO 639-1 -> the model's label
    "ja" = "jpn"            # en-mul writes Japanese when the input starts with >>jpn<<

    [summarization]
    "en" = "sshleifer/distilbart-cnn-12-6"

Each route is made for one profile (``best`` or ``fast``, :mod:`mtsum.profiles`): a direction
with a ``best`` and a ``fast`` model routes to the one asked for, a plain one to its only model.
``[models]``, the ``[translation]`` value forms and the checks on labels are in
:mod:`mtsum.registry_file`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, UnsupportedLanguageError
from .profiles import DEFAULT_PROFILE, PROFILES
from .registry_file import (
    CODE,
    MULTI,
    PIVOT,
    SUMMARY_PREFIX,
    ModelEntry,
    Score,
    parse_entry,
    parse_models,
    parse_translation,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["SUMMARY_PREFIX", "Hop", "ModelEntry", "Registry", "Score", "normalize_language"]


def normalize_language(code: object) -> str:
    """A user's language code as the registry spells it: ``" FR "`` -> ``fr``, ``zh-CN`` -> ``zh``.

    Raises:
        UnsupportedLanguageError: not a string that looks like an ISO 639-1 code.
    """
    if not isinstance(code, str):
        raise UnsupportedLanguageError(f"language code must be text, got {type(code).__name__}")
    cleaned = code.strip().lower().replace("_", "-")
    base = cleaned.split("-")[0]
    if not CODE.match(base):
        raise UnsupportedLanguageError(
            f"{code!r} is not a language code; use ISO 639-1 codes such as en, fr, de, zh"
        )
    return base


@dataclass(frozen=True)
class Hop:
    """One translation step of a route: ``entry`` turns ``source`` text into ``target`` text."""

    source: str
    target: str
    entry: ModelEntry
    token: str | None = None
    profile: str = DEFAULT_PROFILE

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
        fast: dict[str, ModelEntry] | None = None,
    ) -> None:
        self.translation = translation
        """Direction -> the model of the ``best`` profile (the default)."""
        self.fast = translation if fast is None else fast
        """Direction -> the model of the ``fast`` profile (the best one where none is named)."""
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
        sections = {"models", "translation", "summarization", "multilingual"}
        unknown = set(data) - sections
        if unknown:
            raise ConfigError(
                f"registry {path}: unknown section(s) {sorted(unknown)}; "
                f"expected {', '.join(sorted(sections))}"
            )
        base = Path(path).resolve().parent
        infos = parse_models(_table(data, "models", path), path)
        tables = parse_translation(_table(data, "translation", path), infos, base, path)
        summarization = {}
        for key, value in _table(data, "summarization", path).items():
            if not CODE.match(key):
                raise ConfigError(f"registry {path}: [summarization] key {key!r} is not a code")
            name = f"{SUMMARY_PREFIX}{key}"
            summarization[key] = parse_entry(name, value, base, path, infos, None)
        multilingual = {}
        for key, value in _table(data, "multilingual", path).items():
            if not CODE.match(key) or not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"registry {path}: [multilingual] needs 'xx' = 'label' pairs, got {key!r}"
                )
            multilingual[key] = value.strip()
        if "multilingual" not in data:
            # A registry that names the mul models but not their languages still routes the
            # languages OPUS-MT's multilingual models are known to cover.
            multilingual = dict(DEFAULT_MULTILINGUAL)
        best, fast = (tables[profile] for profile in PROFILES)
        return cls(best, summarization, multilingual, Path(path), fast)

    # ---- looking things up -------------------------------------------------------------

    def table(self, profile: str = DEFAULT_PROFILE) -> dict[str, ModelEntry]:
        """Direction -> model for ``profile`` (``best`` or ``fast``)."""
        return self.fast if profile == "fast" else self.translation

    def entries(self, profile: str | None = None) -> list[ModelEntry]:
        """Every model of the registry (of one profile, or of both), translation first."""
        profiles = PROFILES if profile is None else (profile,)
        found = [entry for p in profiles for entry in self.table(p).values()]
        unique = list({id(entry): entry for entry in found}.values())
        return [*unique, *self.summarization.values()]

    def entry(self, name: str, profile: str | None = None) -> ModelEntry:
        """A model by its registry name (``fr-en``, ``summarize:en``): the one of ``profile``,
        or, with no profile, the default profile's.

        Raises:
            UnsupportedLanguageError: no such name; the message lists the valid ones.
        """
        for entry in self.entries_named(name, profile)[:1]:
            return entry
        names = ", ".join(dict.fromkeys(e.name for e in self.entries()))
        raise UnsupportedLanguageError(f"no model named {name!r} in the registry; known: {names}")

    def entries_named(self, name: str, profile: str | None = None) -> list[ModelEntry]:
        """The models named ``name``: of ``profile``, or of every profile (best first)."""
        return [entry for entry in self.entries(profile) if entry.name == name]

    def entries_for(self, names: Sequence[str], profile: str | None = None) -> list[ModelEntry]:
        """Entries by registry name; a language pair that is not a name means its whole route.
        ``profile`` None: the models of every profile.

        Raises:
            InputError: a name that is neither a model nor a routable pair.
        """
        entries: list[ModelEntry] = []
        for name in names:
            named = self.entries_named(name, profile)
            if named:
                entries.extend(named)
                continue
            if name.count("-") != 1:
                self.entry(name)  # raises, listing the known names
            source, target = name.split("-")
            for each in PROFILES if profile is None else (profile,):
                entries.extend(hop.entry for hop in self.route(source, target, each))
        return list({id(entry): entry for entry in entries}.values())

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
        """Whether some route translates ``source`` into ``target`` (every profile has one)."""
        return self._try_route(source, target, DEFAULT_PROFILE) is not None

    def route(self, source: str, target: str, profile: str = DEFAULT_PROFILE) -> list[Hop]:
        """The hops that translate ``source`` into ``target`` with the models of ``profile``;
        ``[]`` when they are equal.

        Raises:
            UnsupportedLanguageError: no direct, pivot or multilingual route exists.
        """
        source, target = normalize_language(source), normalize_language(target)
        hops = self._try_route(source, target, profile)
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

    def _try_route(self, source: str, target: str, profile: str) -> list[Hop] | None:
        if source == target:
            return []
        direct = self._leg(source, target, profile, multilingual=False)
        if direct is not None:
            return [direct]
        if PIVOT in (source, target):
            leg = self._leg(source, target, profile)
            return [leg] if leg else None
        first, second = self._leg(source, PIVOT, profile), self._leg(PIVOT, target, profile)
        return [first, second] if first and second else None

    def _leg(
        self, source: str, target: str, profile: str, *, multilingual: bool = True
    ) -> Hop | None:
        """One hop: a direct model (a group model's too), else the multilingual one."""
        table = self.table(profile)
        direct = table.get(f"{source}-{target}")
        if direct is not None:
            return Hop(source, target, direct, direct.token, profile)
        if not multilingual:
            return None
        if target == PIVOT and source in self.multilingual:
            entry = table.get(f"{MULTI}-{PIVOT}")
            if entry is not None:
                return Hop(source, target, entry, entry.token, profile)
        if source == PIVOT and target in self.multilingual:
            entry = table.get(f"{PIVOT}-{MULTI}")
            if entry is not None:
                return Hop(source, target, entry, f">>{self.multilingual[target]}<<", profile)
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
