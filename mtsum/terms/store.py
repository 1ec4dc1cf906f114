"""The operator's named glossaries: files in the model store that a request names by id.

Layout: ``<MTSUM_MODEL_DIR>/glossaries/<source>-<target>/<name>.tsv`` (or ``.csv``), so
``glossaries/fr-en/newsroom.tsv`` is the glossary ``newsroom`` for French into English. The same
name may exist for several pairs; a request names only the id and the pipeline picks the file of
its own (source, target) pair. A request can never name a path: an id is a plain name, looked
up in the listing, and only listed files are read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .glossary import Glossary, parse_glossary

__all__ = ["GLOSSARY_DIR", "GlossaryInfo", "GlossaryStore"]

log = logging.getLogger(__name__)

GLOSSARY_DIR = "glossaries"
_SUFFIXES = (".tsv", ".csv")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_PAIR = re.compile(r"([a-z]{2,3})-([a-z]{2,3})")


@dataclass(frozen=True)
class GlossaryInfo:
    """One operator glossary as ``GET /glossaries`` lists it."""

    id: str
    source: str
    target: str
    entries: int

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "entries": self.entries,
        }


class GlossaryStore:
    """The glossaries under ``folder`` (``<model store>/glossaries``), read when asked.

    Files are re-read on every call: a listing is small, and an operator who edits a file
    sees the change without a restart.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _files(self) -> dict[tuple[str, str, str], Path]:
        found: dict[tuple[str, str, str], Path] = {}
        if not self.folder.is_dir():
            return found
        for pair_dir in sorted(self.folder.iterdir()):
            pair = _PAIR.fullmatch(pair_dir.name)
            if pair is None or not pair_dir.is_dir():
                continue
            for path in sorted(pair_dir.iterdir()):
                if path.suffix.lower() in _SUFFIXES and _ID.fullmatch(path.stem) and path.is_file():
                    found.setdefault((path.stem, pair.group(1), pair.group(2)), path)
        return found

    def listing(self) -> list[GlossaryInfo]:
        """Every readable glossary with its pair and entry count; a broken file is logged."""
        infos = []
        for (name, source, target), path in self._files().items():
            try:
                glossary = parse_glossary(path.read_bytes(), f"{source}-{target}/{path.name}")
            except (InputError, OSError) as exc:
                log.warning("operator glossary %s/%s is left out: %s", source, target, exc)
                continue
            infos.append(GlossaryInfo(name, source, target, len(glossary)))
        return infos

    def check_id(self, name: str, source: str | None, target: str) -> str:
        """``name`` if the store has it for ``target`` (and ``source``, when known).

        Raises:
            InputError: no such glossary; the message lists the ids there are.
        """
        pairs = [(s, t) for (n, s, t) in self._files() if n == name]
        if not pairs:
            ids = sorted({n for (n, _, _) in self._files()})
            choices = ", ".join(ids) if ids else "none are installed"
            raise InputError(f"unknown glossary {name!r}; the glossaries here: {choices}")
        if not any(t == target and source in (None, s) for s, t in pairs):
            have = ", ".join(f"{s}-{t}" for s, t in pairs)
            wanted = f"{source}-{target}" if source else f"into {target}"
            raise InputError(f"the glossary {name!r} has no version for {wanted} (it has {have})")
        return name

    def load(self, name: str, source: str, target: str) -> Glossary:
        """The glossary ``name`` for (source, target).

        Raises:
            InputError: no such glossary for the pair, or the file is broken (line named).
        """
        self.check_id(name, source, target)
        path = self._files()[(name, source, target)]
        try:
            data = path.read_bytes()
        except OSError:
            raise InputError(f"the glossary {name!r} cannot be read; tell the operator") from None
        glossary = parse_glossary(data, f"glossary {name!r} ({source}-{target})")
        return Glossary(glossary.terms, name)
