"""The README's settings table names only variables that the settings read."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from mtsum.environment import env_name
from mtsum.settings import ServeSettings, Settings

ROOT = Path(__file__).resolve().parents[2]


def _settings_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Settings\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_every_variable_of_the_readme_table_is_read_by_the_settings() -> None:
    # The full table is docs/settings.md, made from the fields (tests/core/test_settings_fields.py).
    read = set()
    for cls in (Settings, ServeSettings):
        for spec in dataclasses.fields(cls):
            read |= {env_name(spec), *spec.metadata["also"], *spec.metadata["old"]}
    rows = [line for line in _settings_section().splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(MTSUM_[A-Z_]+)`", row.split("|")[1])}
    assert len(listed) >= 20  # the pattern still finds the table's rows
    assert listed - read == set(), "in the README's table but not read by the settings"


def test_the_hubs_own_variables_are_in_the_readme_table() -> None:
    rows = [line for line in _settings_section().splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(HF_[A-Z_]+)`", row.split("|")[1])}
    assert {"HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_HOME"} <= listed
