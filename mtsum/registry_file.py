"""Reading ``models/registry.toml`` into model entries, one table per profile.

Kept apart from ``registry.py`` (which routes) because the file grew a second axis, the profile,
and facts said once per checkpoint (``[models]``: size, pinned revision, the ``>>xxx<<`` label
of each target of a group model). Every form that loaded before still loads the same way::

    [models]    # per checkpoint, said once
    "Helsinki-NLP/opus-mt-tc-big-en-zle" = { params = 237, labels = { ru = "rus", uk = "ukr" } }

    [translation]
    "fr-en" = "Helsinki-NLP/opus-mt-fr-en"                               # both profiles
    "en-zh" = { model = "Helsinki-NLP/opus-mt-en-zh", token = ">>cmn_Hans<<" }  # both profiles
    "en-ru".best = { model = "Helsinki-NLP/opus-mt-tc-big-en-zle", test = "flores101",
                     chrf = 59.65, bleu = 32.7, source = "..." }             # token from labels
    "en-ru".fast = { model = "Helsinki-NLP/opus-mt-en-ru", test = "flores101", chrf = 53.61 }

A group model's ``labels`` (target language -> label) also give it every target that no
direction names (``en-be`` through ``tc-big-en-zle`` with ``>>bel<<``); its ``sources`` give it
every such source into English. The checks here make a wrong label a load error, not a
translation into the wrong language: a model that writes several targets needs a label for each
of them, and an explicit token must agree with the model's label.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .profiles import DEFAULT_PROFILE, PROFILES

__all__ = [
    "ModelEntry",
    "ModelInfo",
    "Score",
    "parse_entry",
    "parse_models",
    "parse_translation",
]

PIVOT = "en"
MULTI = "mul"
SUMMARY_PREFIX = "summarize:"
"""Registry names of summarisers start with this (``summarize:en``)."""

CODE = re.compile(r"^[a-z]{2,3}$")
DIRECTION = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_TOKEN = re.compile(r"^>>[\w\-]+<<$")
_LABEL = re.compile(r"^[\w\-]+$")
_ENTRY_KEYS = {"model", "token", "revision", "test", "chrf", "bleu", "source", "note"}
_MODEL_KEYS = {"params", "revision", "labels", "sources"}


@dataclass(frozen=True)
class Score:
    """A published score of a model for one direction, as the registry file states it.

    Attributes:
        test: the benchmark (``flores101``, ``flores200``, ``ntrex``), or ``none``.
        chrf: chrF2 x 100, or None when the model was never scored on ``test``.
        bleu: BLEU (sacrebleu), or None.
        source: where the number comes from (leaderboard file, model card).
        note: anything a reader of the score should know (a tie, a proxy, no score at all).
    """

    test: str
    chrf: float | None = None
    bleu: float | None = None
    source: str = ""
    note: str = ""

    def short(self) -> str:
        """``flores101 chrF 69.35 BLEU 46.0``, or ``not scored`` with the note's gist."""
        if self.chrf is None:
            return "not scored"
        bleu = f" BLEU {self.bleu:g}" if self.bleu is not None else ""
        return f"{self.test} chrF {self.chrf:.2f}{bleu}"


@dataclass(frozen=True)
class ModelEntry:
    """One model of the registry, as one direction and profile use it.

    Attributes:
        name: its registry name, which ``mtsum models pull`` takes (``fr-en``, ``summarize:en``).
        reference: a hub id, or the absolute path of a local model folder.
        local: True when ``reference`` is a folder.
        token: text put before every input (``>>fra<<`` for multi-target models), or None.
        revision: hub revision (branch, tag or commit) to download; None for the default branch.
        profile: the one profile this entry serves, or None when it serves every profile.
        score: its published score for this direction, when the registry states one.
        params: millions of parameters (the download is about 4 MB per million), if stated.
        group: True for a checkpoint of several languages ([models] lists its labels or sources).
    """

    name: str
    reference: str
    local: bool
    token: str | None = None
    revision: str | None = None
    profile: str | None = None
    score: Score | None = field(default=None, compare=False)
    params: int | None = field(default=None, compare=False)
    group: bool = field(default=False, compare=False)

    @property
    def summarizes(self) -> bool:
        """Whether this is a summariser (a ``[summarization]`` entry)."""
        return self.name.startswith(SUMMARY_PREFIX)

    @property
    def pull_name(self) -> str:
        """What ``mtsum models pull`` takes to fetch exactly this model."""
        return f"{self.name} --profile {self.profile}" if self.profile else self.name


@dataclass(frozen=True)
class ModelInfo:
    """What ``[models]`` says about one checkpoint."""

    params: int | None = None
    revision: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


def parse_models(table: dict[str, Any], path: Path) -> dict[str, ModelInfo]:
    """The ``[models]`` table, keyed by model reference as written in the file."""
    infos = {}
    for reference, value in table.items():
        where = f"registry {path}: [models] {reference!r}"
        if not isinstance(value, dict) or set(value) - _MODEL_KEYS:
            raise ConfigError(f"{where} needs {{{', '.join(sorted(_MODEL_KEYS))}}}")
        params, revision = value.get("params"), value.get("revision")
        labels, sources = value.get("labels", {}), value.get("sources", [])
        if params is not None and (not isinstance(params, int) or params < 1):
            raise ConfigError(f"{where}: params must be a whole number of millions")
        if revision is not None and not isinstance(revision, str):
            raise ConfigError(f"{where}: revision must be text")
        if not isinstance(labels, dict) or not all(
            CODE.match(k) and isinstance(v, str) and _LABEL.match(v) for k, v in labels.items()
        ):
            raise ConfigError(f"{where}: labels must map codes to labels, like {{ru = 'rus'}}")
        if not isinstance(sources, list) or not all(
            isinstance(s, str) and CODE.match(s) for s in sources
        ):
            raise ConfigError(f"{where}: sources must be a list of codes")
        infos[reference] = ModelInfo(params, revision, dict(labels), tuple(sources))
    return infos


def parse_translation(
    table: dict[str, Any], infos: dict[str, ModelInfo], base: Path, path: Path
) -> dict[str, dict[str, ModelEntry]]:
    """``[translation]`` (and the directions group models add) as one table per profile.

    Raises:
        ConfigError: a malformed key or value, or a multi-target model without a label for one
            of its targets; the message names the entry.
    """
    tables: dict[str, dict[str, ModelEntry]] = {profile: {} for profile in PROFILES}
    for key, value in table.items():
        match = DIRECTION.match(key)
        if not match or match.group(1) == match.group(2):
            raise ConfigError(f"registry {path}: [translation] key {key!r} is not 'src-tgt'")
        if isinstance(value, dict) and set(value) & set(PROFILES):
            _profiled(key, value, infos, base, path, tables)
        elif isinstance(value, dict) and "model" not in value:
            raise ConfigError(
                f"registry {path}: {key} needs model = ..., or {' and '.join(PROFILES)} models "
                f"('{key}'.{PROFILES[0]} = ...), got {sorted(value)}"
            )
        else:
            entry = parse_entry(key, value, base, path, infos, None)
            for profile in PROFILES:
                tables[profile][key] = entry
    _add_groups(tables, infos, base, path)
    _check_labels(tables, path)
    return tables


def _profiled(
    key: str,
    value: dict[str, Any],
    infos: dict[str, ModelInfo],
    base: Path,
    path: Path,
    tables: dict[str, dict[str, ModelEntry]],
) -> None:
    unknown = set(value) - set(PROFILES)
    if unknown or DEFAULT_PROFILE not in value:
        raise ConfigError(
            f"registry {path}: {key} needs {DEFAULT_PROFILE} = ... (and optionally "
            f"{', '.join(PROFILES[1:])} = ...), got {sorted(value)}"
        )
    entries = {p: parse_entry(key, value[p], base, path, infos, p) for p in PROFILES if p in value}
    distinct = {(e.reference, e.revision, e.token) for e in entries.values()}
    if len(distinct) == 1:
        # One model for every profile: the same entry, serving all of them.
        only = entries[DEFAULT_PROFILE]
        entries = dict.fromkeys(PROFILES, dataclasses.replace(only, profile=None))
    for profile in PROFILES:
        tables[profile][key] = entries.get(profile, entries[DEFAULT_PROFILE])


def parse_entry(
    name: str,
    value: Any,
    base: Path,
    path: Path,
    infos: dict[str, ModelInfo],
    profile: str | None,
) -> ModelEntry:
    """One registry value: a reference string, or ``{model, token, revision, score...}``."""
    token = revision = None
    score = None
    if isinstance(value, dict):
        if set(value) - _ENTRY_KEYS or "model" not in value:
            raise ConfigError(
                f"registry {path}: {name} needs {{model = ..., token = ..., revision = ...}} "
                f"(and optionally its score: {', '.join(sorted(_ENTRY_KEYS - {'model'}))})"
            )
        token, revision = value.get("token"), value.get("revision")
        if token is not None and (not isinstance(token, str) or not _TOKEN.match(token)):
            raise ConfigError(f"registry {path}: {name} token {token!r} is not like '>>fra<<'")
        if revision is not None and not isinstance(revision, str):
            raise ConfigError(f"registry {path}: {name} revision must be text")
        score = _score(name, value, path)
        value = value["model"]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"registry {path}: {name} needs a model reference (hub id or folder)")
    written = value.strip()
    info = infos.get(written, ModelInfo())
    source, _, target = name.partition("-")
    label = info.labels.get(target)
    if label is None and info.labels and source == PIVOT and token is None:
        raise ConfigError(
            f"registry {path}: {name} uses {written}, whose [models] labels "
            f"({', '.join(sorted(info.labels))}) have none for {target!r}"
        )
    if label is not None:
        if token is not None and token != f">>{label}<<":
            raise ConfigError(
                f"registry {path}: {name} token {token} disagrees with the label "
                f">>{label}<< that [models] gives {written} for {target!r}"
            )
        token = f">>{label}<<"
    reference, local = _reference(name, written, base, path)
    return ModelEntry(
        name, reference, local, token, revision or info.revision, profile, score, info.params,
        group=bool(info.labels or info.sources),
    )  # fmt: skip


def _reference(name: str, written: str, base: Path, path: Path) -> tuple[str, bool]:
    explicit_path = written.startswith(("./", "../", "/", "~"))
    candidate = (base / Path(written).expanduser()).resolve()
    if explicit_path or candidate.is_dir():
        return str(candidate), True
    if not HUB_ID.match(written):
        raise ConfigError(
            f"registry {path}: {name} = {written!r} is neither a folder nor a hub id (org/name)"
        )
    return written, False


def _score(name: str, value: dict[str, Any], path: Path) -> Score | None:
    if not set(value) & {"test", "chrf", "bleu", "source", "note"}:
        return None
    numbers = {k: value.get(k) for k in ("chrf", "bleu")}
    for key, number in numbers.items():
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
            raise ConfigError(f"registry {path}: {name} {key} must be a number")
    texts = {k: value.get(k, "") for k in ("test", "source", "note")}
    if not all(isinstance(text, str) for text in texts.values()):
        raise ConfigError(f"registry {path}: {name} test, source and note must be text")
    chrf, bleu = numbers["chrf"], numbers["bleu"]
    return Score(
        texts["test"] or "none",
        None if chrf is None else float(chrf),
        None if bleu is None else float(bleu),
        texts["source"],
        texts["note"],
    )


def _add_groups(
    tables: dict[str, dict[str, ModelEntry]], infos: dict[str, ModelInfo], base: Path, path: Path
) -> None:
    """The directions a group model covers that no ``[translation]`` key names."""
    for written, info in infos.items():
        covered = [f"{PIVOT}-{lang}" for lang in info.labels if lang != PIVOT]
        covered += [f"{lang}-{PIVOT}" for lang in info.sources if lang != PIVOT]
        for key in covered:
            if key in tables[DEFAULT_PROFILE]:
                continue
            entry = parse_entry(key, written, base, path, infos, None)
            for profile in PROFILES:
                tables[profile][key] = entry


def _check_labels(tables: dict[str, dict[str, ModelEntry]], path: Path) -> None:
    """A model that writes more than one language from English needs a label for each."""
    targets: dict[tuple[str, str | None], dict[str, ModelEntry]] = {}
    for table in tables.values():
        for key, entry in table.items():
            source, _, target = key.partition("-")
            if source == PIVOT and target != MULTI:
                targets.setdefault((entry.reference, entry.revision), {})[target] = entry
    for (reference, _), served in targets.items():
        missing = sorted(t for t, e in served.items() if e.token is None)
        if len(served) > 1 and missing:
            raise ConfigError(
                f"registry {path}: {reference} writes {', '.join(sorted(served))} but has no "
                f"label for {', '.join(missing)}; add labels = {{xx = 'label'}} under [models]"
            )
