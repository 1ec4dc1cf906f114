"""The README's settings table lists every variable ``Settings.from_env()`` reads."""

from __future__ import annotations

import re
from pathlib import Path

import mtsum.settings

ROOT = Path(__file__).resolve().parents[2]


def _settings_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Settings\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_every_variable_read_by_the_settings_is_in_the_readme_table() -> None:
    source = Path(mtsum.settings.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'"(MTSUM_[A-Z_]+)"', source))
    rows = [line for line in _settings_section().splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(MTSUM_[A-Z_]+)`", row.split("|")[1])}
    assert len(read) >= 20  # the pattern still finds what from_env reads
    assert read - listed == set(), "missing from the README's settings table"
    assert listed - read == set(), "in the README's table but not read by Settings.from_env"


def test_the_hubs_own_variables_are_in_the_readme_table() -> None:
    rows = [line for line in _settings_section().splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(HF_[A-Z_]+)`", row.split("|")[1])}
    assert {"HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_HOME"} <= listed
