"""mkdocs hook: the configuration reference, generated from ``mtsum.Settings`` at every build.

A default is said once, in the code: each setting's environment variable, default and meaning
come from the dataclass field's metadata (``mtsum.environment.option``: ``help``, the variable
its field name gives or its ``env``, the ``also`` and ``old`` names), and for a field without
them from what the code says: the variable that ``from_env`` reads into the field, the field's
default, and its line in the class docstring's ``Attributes:``. So the page cannot drift
from the settings, whichever form the code takes. ``make docs`` runs it (``mkdocs build
--strict``); ``tests/core/test_config_docs.py`` checks that every variable the code reads is
on the page.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = "configuration.md"

_ENV_KEYS = ("env", "env_name", "envvar", "env_var", "variable", "var", "name")
_DEFAULT_KEYS = ("default_text", "default_doc", "shown_default", "default")
_HELP_KEYS = ("help", "doc", "description", "meaning")
_VARIABLE = re.compile(r'"((?:MTSUM|HF)_[A-Z0-9_]+)"')
_ASSIGNMENT = re.compile(r"^\s*(\w+)=", re.MULTILINE)
# The hub client's own variables that mtsum does not read itself but honours through it.
_HUB_ONLY = {
    "HF_HOME": (
        "`~/.cache/huggingface`",
        "the Hugging Face cache; a model already there is used without a download",
    ),
}
_INTRO = """\
# Configuration reference

Settings come from environment variables, read once by `Settings.from_env()` (nothing is read
at import time); in Python, `mtsum.Settings(...)` takes the same settings by field name. An
invalid value is a `ConfigError` that names the variable and the valid choices. Each variable
is `MTSUM_` and the field's name in capitals (but for `MTSUM_REGISTRY`, `MTSUM_TM` and the
hub's own); a renamed variable is still read under its old name, with a deprecation warning.

This page is generated from the code (`docs/hooks.py`, run by `make docs`), so it always
matches the installed version.

## The core: `Settings`

What the pipeline reads, on every face (Python, CLI, web).

| variable | field | default | meaning |
|---|---|---|---|
"""
_SERVE_INTRO = """
## The web server: `ServeSettings`

What `mtsum serve` (and `serve --ray`) reads besides: access, load, uploads, start-up. In
Python, `create_app(pipeline=..., serving=ServeSettings(...))` takes them.

| variable | field | default | meaning |
|---|---|---|---|
"""


def on_files(files: Any, config: Any) -> Any:
    """Add the generated configuration page to the site (mkdocs ``on_files`` event)."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=configuration_markdown()))
    return files


def configuration_markdown() -> str:
    """The configuration reference page, as Markdown."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from mtsum.settings import ServeSettings, Settings

    rows = [_row(*setting) for setting in settings_table(Settings)]
    hub = [
        f"| `{name}` | | {default} | {meaning} |" for name, (default, meaning) in _HUB_ONLY.items()
    ]
    serve = [_row(*setting) for setting in settings_table(ServeSettings)]
    return _INTRO + "\n".join(rows + hub) + "\n" + _SERVE_INTRO + "\n".join(serve) + "\n"


def settings_table(settings_class: type) -> list[tuple[list[str], str, str, str]]:
    """``(variables, field, default, meaning)`` for every setting of ``settings_class``."""
    variables = _variables_read(settings_class)
    meanings = _docstring_attributes(settings_class.__doc__ or "")
    table = []
    for field in dataclasses.fields(settings_class):
        meta = dict(field.metadata or {})
        names = _as_list(_first(meta, _ENV_KEYS)) or variables.get(field.name, [])
        if "also" in meta:  # an mtsum.environment.option: its variable and the others
            names = [_option_variable(field), *meta["also"]]
        default = _first(meta, _DEFAULT_KEYS)
        shown = str(default) if default is not None else _default_of(field)
        meaning = str(_first(meta, _HELP_KEYS) or meanings.get(field.name, ""))
        if meta.get("old"):
            meaning += " (formerly " + ", ".join(f"`{name}`" for name in meta["old"]) + ")"
        table.append((names, field.name, shown, meaning))
    return table


def _option_variable(field: dataclasses.Field[Any]) -> str:
    from mtsum.environment import env_name

    return env_name(field)


def _row(names: list[str], field: str, default: str, meaning: str) -> str:
    variables = ", ".join(f"`{name}`" for name in names) or "(Python only)"
    cell = " ".join(meaning.split()).replace("``", "`").replace("|", "\\|")
    return f"| {variables} | `{field}` | {default} | {cell} |"


def _first(meta: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((meta[key] for key in keys if meta.get(key) not in (None, "")), None)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(item) for item in value]


def _default_of(field: dataclasses.Field[Any]) -> str:
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "(required)"
    if value is None or value == ():
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
        return f"{value:,}"
    return f"`{value}`" if isinstance(value, str) else str(value)


def _variables_read(settings_class: type) -> dict[str, list[str]]:
    """Field -> the environment variables ``from_env`` reads into it (from its source)."""
    reader = getattr(settings_class, "from_env", None)
    if reader is None:
        return {}
    try:
        source = inspect.getsource(reader)
    except (OSError, TypeError):
        return {}
    found: dict[str, list[str]] = {}
    marks = list(_ASSIGNMENT.finditer(source))
    if not marks:  # from_env reads no variable by name (the fields' options say them)
        return found
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        end = after.start() if after else len(source)
        names = _VARIABLE.findall(source[mark.end() : end])
        if names:
            found.setdefault(mark.group(1), []).extend(dict.fromkeys(names))
    return found


def _docstring_attributes(doc: str) -> dict[str, str]:
    """``name: text`` entries of a Google-style ``Attributes:`` section, continuations joined."""
    section = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    entries: dict[str, str] = {}
    current = None
    for line in section.splitlines():
        match = re.match(r"^\s{4,8}(\w+):\s*(.*)$", line)
        if match and len(line) - len(line.lstrip()) <= 8:
            current = match.group(1)
            entries[current] = match.group(2)
        elif current and line.strip():
            entries[current] += " " + line.strip()
        elif not line.strip() and current:
            current = None
    return entries
