"""The shipped registry file: hub ids, pinned revisions, labels, scores, both profiles, and the
generated language table (docs/languages.md) that must agree with it."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from mtsum.profiles import PROFILES
from mtsum.registry import ModelEntry, Registry
from mtsum.settings import default_registry_path

ROOT = Path(__file__).resolve().parents[2]
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
# The six directions where the larger model gains under 2 chrF (../shared notes, the issue).
CLOSE_CALLS = ("en-it", "en-nl", "en-de", "nl-en", "en-sv", "en-id")


@pytest.fixture(scope="module")
def shipped() -> Registry:
    return Registry.load(default_registry_path())


@pytest.fixture(scope="module")
def table_script() -> Iterator[ModuleType]:
    """docs/make_languages.py, the generator of docs/languages.md (not a package module)."""
    name = "make_languages"
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass looks its module up while being defined
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)


def _translation_entries(registry: Registry) -> list[tuple[str, str, ModelEntry]]:
    return [
        (profile, key, entry)
        for profile in PROFILES
        for key, entry in registry.table(profile).items()
    ]


def test_every_hub_id_is_well_formed_and_every_revision_a_full_commit(shipped: Registry) -> None:
    for entry in shipped.entries():
        assert not entry.local, entry
        assert HUB_ID.match(entry.reference), entry.reference
        assert entry.revision is None or COMMIT.match(entry.revision), entry
        assert entry.params, f"{entry.reference} has no size in [models]"


def test_the_re_saved_checkpoints_the_notes_name_are_pinned(shipped: Registry) -> None:
    pinned = {e.reference: e.revision for e in shipped.entries() if e.revision}
    for name in ("opus-mt-tc-big-fi-en", "opus-mt-tc-big-en-ces_slk"):
        assert pinned.get(f"Helsinki-NLP/{name}"), name


def test_fast_and_best_resolve_for_every_direction(shipped: Registry) -> None:
    assert set(shipped.table("best")) == set(shipped.table("fast"))
    for key, best in shipped.table("best").items():
        fast = shipped.table("fast")[key]
        if fast is best:
            assert best.profile is None  # one model serves both profiles
            continue
        assert (best.profile, fast.profile) == ("best", "fast"), key
        assert fast.params is not None and best.params is not None
        assert fast.params < best.params, f"{key}: fast is not smaller"
        if best.score and fast.score and best.score.chrf and fast.score.chrf:
            assert best.score.chrf > fast.score.chrf, f"{key}: best does not score higher"


def test_every_model_carries_its_published_score(shipped: Registry) -> None:
    for _, key, entry in _translation_entries(shipped):
        assert entry.score is not None, key
        if entry.score.chrf is None:  # never scored on FLORES: said so, with where it was read
            assert entry.score.source and entry.score.note, key
        else:
            assert entry.score.test in ("flores101", "flores200", "ntrex"), key
            assert 0 < entry.score.chrf < 100 and entry.score.source, key


def test_close_calls_offer_the_base_model_as_fast(shipped: Registry) -> None:
    for key in CLOSE_CALLS:
        best, fast = shipped.table("best")[key], shipped.table("fast")[key]
        assert best.score is not None and fast.score is not None
        assert best.score.chrf is not None and fast.score.chrf is not None
        assert 0 < best.score.chrf - fast.score.chrf <= 2.0, key
        assert "better trade" in best.score.note, key


def test_every_multi_target_model_has_a_label_for_each_target(shipped: Registry) -> None:
    targets: dict[str, dict[str, str | None]] = defaultdict(dict)
    for _, key, entry in _translation_entries(shipped):
        source, _, target = key.partition("-")
        if source == "en" and target != "mul":
            targets[entry.reference][target] = entry.token
    groups = {ref: served for ref, served in targets.items() if len(served) > 1}
    assert len(groups) >= 6  # the tc-big and tc-bible-big en-xxx models
    for reference, served in groups.items():
        assert all(served.values()), f"{reference}: {served}"
        assert len(set(served.values())) == len(served), f"{reference} repeats a label"
    # Labels that differ from en-mul's, checked against the releases' target lists.
    assert shipped.route("en", "ms")[0].token == ">>msa<<"
    assert shipped.route("en", "sq")[0].token == ">>sqi<<"
    assert shipped.route("en", "lv")[0].token == ">>lav<<"
    assert shipped.route("en", "ja")[0].token is None  # opus-tatoeba-en-ja writes only jpn


def test_group_models_replace_the_fallback_except_for_persian(shipped: Registry) -> None:
    fallback = {"Helsinki-NLP/opus-mt-mul-en", "Helsinki-NLP/opus-mt-en-mul"}
    for profile in PROFILES:
        for code in shipped.languages():
            for source, target in ((code, "en"), ("en", code)):
                if code == "en" or not shipped.can_route(source, target):
                    continue
                [hop] = shipped.route(source, target, profile)
                uses_fallback = hop.entry.reference in fallback
                assert uses_fallback == (code == "fa"), (source, target, profile)
    [hop] = shipped.route("en", "fa")
    assert hop.token == ">>pes<<" and hop.entry.score is not None
    assert hop.entry.score.chrf is None  # no usable published score for Persian


def test_the_language_table_is_current_and_every_pair_of_it_routes(
    shipped: Registry, table_script: ModuleType
) -> None:
    page = (ROOT / "docs" / "languages.md").read_text(encoding="utf-8")
    assert page == table_script.render(shipped), "run: python docs/make_languages.py"
    rows = table_script.rows(shipped)
    assert len({row.code for row in rows}) == len(shipped.languages()) - 1  # all but English
    for row in rows:
        source, target = row.direction.split("-")
        for profile, entry in (("best", row.best), ("fast", row.fast)):
            [hop] = shipped.route(source, target, profile)
            assert hop.entry is entry
            assert hop.entry.reference.rpartition("/")[2] in page
