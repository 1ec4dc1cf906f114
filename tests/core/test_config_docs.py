"""The configuration reference of the docs site, generated from ``Settings``, lists every
variable ``Settings.from_env()`` reads, and the hub's own."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import mtsum.settings

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _listed(page: str, prefix: str) -> set[str]:
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    return {
        name for row in rows for name in re.findall(rf"`({prefix}_[A-Z_]+)`", row.split("|")[1])
    }


def test_every_variable_read_by_the_settings_is_on_the_generated_page() -> None:
    source = Path(mtsum.settings.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'"(MTSUM_[A-Z_]+)"', source))
    listed = _listed(_hooks().configuration_markdown(), "MTSUM")
    assert len(read) >= 20  # the pattern still finds what from_env reads
    assert read - listed == set(), "missing from the configuration reference"
    assert listed - read == set(), "on the page but not read by Settings.from_env"


def test_the_hubs_own_variables_are_on_the_generated_page() -> None:
    listed = _listed(_hooks().configuration_markdown(), "HF")
    assert {"HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_HOME"} <= listed


def test_field_metadata_wins_over_what_the_code_implies() -> None:
    @dataclass(frozen=True)
    class Example:
        """Settings.

        Attributes:
            size: how big, from the docstring.
        """

        size: int = field(default=3, metadata={"env": "MTSUM_SIZE", "help": "how big"})
        plain: str = "x"

    table = _hooks().settings_table(Example)
    assert table == [(["MTSUM_SIZE"], "size", "3", "how big"), ([], "plain", "`x`", "")]
