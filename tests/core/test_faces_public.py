"""The faces (CLI, web page, REST, batch) use the public API of ``Pipeline`` and nothing below it.

import-linter forbids them to import the model layer (pyproject.toml); this test forbids the
other way down: reading the pipeline's registry, model store or stage objects as attributes.
What a face needs from below is a method of ``Pipeline`` (``languages``, ``targets``,
``installed``, ``models``, ``stages(..., degrade=True)``, ...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import mtsum

PACKAGE = Path(mtsum.__file__).parent
FACES = [
    *PACKAGE.glob("cli*.py"),
    *(PACKAGE / "web").rglob("*.py"),
    *(PACKAGE / "batch_mode").rglob("*.py"),
]
BELOW = {"registry", "store", "detector", "translator", "summarizer"}


def _reads_below(path: Path) -> list[str]:
    """``pipeline.<below>`` and ``self.pipeline.<below>`` reads in ``path``, as ``file:line``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute) or node.attr not in BELOW:
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        if "pipeline" in name.lower():
            found.append(f"{path.name}:{node.lineno} {name}.{node.attr}")
    return found


def test_the_faces_are_found() -> None:
    names = {path.name for path in FACES}
    assert {"cli.py", "cli_files.py", "handlers.py", "routes.py", "windows.py"} <= names


def test_no_face_reads_the_registry_or_the_model_store_of_the_pipeline() -> None:
    reads = [read for path in FACES for read in _reads_below(path)]
    assert reads == []


def test_the_check_sees_such_a_read(tmp_path: Path) -> None:
    sample = tmp_path / "face.py"
    sample.write_text(
        "def f(pipeline, self):\n    pipeline.store.pull()\n    self.pipeline.registry\n",
        encoding="utf-8",
    )
    assert len(_reads_below(sample)) == 2
