"""The configuration reference of the docs site, generated from ``Settings`` and
``ServeSettings``, lists every variable their ``from_env()`` reads, and the hub's own."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from mtsum.environment import env_name
from mtsum.settings import ServeSettings, Settings

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
    specs = [*dataclasses.fields(Settings), *dataclasses.fields(ServeSettings)]
    read = {env_name(spec) for spec in specs} | {n for s in specs for n in s.metadata["also"]}
    read = {name for name in read if name.startswith("MTSUM_")}
    listed = _listed(_hooks().configuration_markdown(), "MTSUM")
    assert len(read) >= 30
    assert read - listed == set(), "missing from the configuration reference"
    assert listed - read == set(), "on the page but not read by from_env"


def test_a_renamed_variable_is_on_the_page_under_its_new_name_with_the_old_one() -> None:
    page = _hooks().configuration_markdown()
    row = next(line for line in page.splitlines() if "`max_loaded_models`" in line)
    assert row.startswith("| `MTSUM_MAX_LOADED_MODELS` |") and "formerly `MTSUM_CACHE_SIZE`" in row


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
