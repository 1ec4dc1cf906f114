"""The registry file and routing: direct, pivot, multilingual, identity, and clear refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtsum import ConfigError, UnsupportedLanguageError
from mtsum.registry import Registry, normalize_language
from mtsum.settings import default_registry_path

COMMON = ["fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "cs", "sv", "da", "fi", "ar", "tr",
          "zh", "ja", "ko", "hi"]  # fmt: skip


@pytest.fixture(scope="module")
def shipped() -> Registry:
    return Registry.load(default_registry_path())


@pytest.fixture(scope="module")
def tiny(registry_path: Path) -> Registry:
    return Registry.load(registry_path)


def test_shipped_registry_covers_common_languages_both_ways(shipped: Registry) -> None:
    for language in COMMON:
        assert shipped.can_route(language, "en"), language
    reachable = [language for language in COMMON if shipped.can_route("en", language)]
    # Korean has no usable English->Korean OPUS-MT model (see the registry notes).
    assert len(reachable) >= len(COMMON) - 1
    assert len(shipped.languages()) >= 20


def test_shipped_registry_has_multilingual_pair_and_english_summariser(shipped: Registry) -> None:
    assert shipped.translation["mul-en"].reference == "Helsinki-NLP/opus-mt-mul-en"
    assert shipped.translation["en-mul"].reference == "Helsinki-NLP/opus-mt-en-mul"
    summarizer = shipped.summarizer("en")
    assert summarizer is not None
    assert summarizer.reference == "sshleifer/distilbart-cnn-12-6"


def test_shipped_references_are_hub_ids(shipped: Registry) -> None:
    for entry in shipped.entries():
        assert not entry.local
        assert re.match(r"^[\w.-]+/[\w.-]+$", entry.reference), entry.reference


def test_direct_route(tiny: Registry) -> None:
    [hop] = tiny.route("fr", "en")
    assert (hop.direction, hop.entry.name, hop.token) == ("fr-en", "fr-en", None)


def test_pivot_route_goes_through_english(tiny: Registry) -> None:
    assert [h.direction for h in tiny.route("fr", "de")] == ["fr-en", "en-de"]


def test_multilingual_route_adds_the_target_token(tiny: Registry) -> None:
    first, second = tiny.route("es", "it")
    assert (first.entry.name, first.token) == ("mul-en", None)
    assert (second.entry.name, second.token) == ("en-mul", ">>ita<<")


def test_direct_leg_is_preferred_over_multilingual(tiny: Registry) -> None:
    hops = tiny.route("fr", "it")
    assert [h.entry.name for h in hops] == ["fr-en", "en-mul"]


def test_same_language_needs_no_hop(tiny: Registry) -> None:
    assert tiny.route("de", "de") == []


def test_unroutable_pair_lists_what_is_possible(tiny: Registry) -> None:
    with pytest.raises(UnsupportedLanguageError, match="fr can be translated into: de, en, es, it"):
        tiny.route("fr", "xx")
    with pytest.raises(UnsupportedLanguageError, match="supported languages: de, en") as info:
        tiny.route("sw", "en")
    assert "fr" in info.value.supported
    with pytest.raises(UnsupportedLanguageError, match="en can be translated into: de, es, fr, it"):
        tiny.route("en", "ko")


@pytest.mark.parametrize(
    ("raw", "code"), [("FR", "fr"), (" de ", "de"), ("zh-CN", "zh"), ("pt_BR", "pt")]
)
def test_language_codes_are_normalised(raw: str, code: str) -> None:
    assert normalize_language(raw) == code


@pytest.mark.parametrize("raw", ["french", "f", "", "12", "../etc", None, 7])
def test_malformed_language_codes_are_refused(raw: object) -> None:
    with pytest.raises(UnsupportedLanguageError):
        normalize_language(raw)


def test_check_language_lists_supported_codes(tiny: Registry) -> None:
    with pytest.raises(UnsupportedLanguageError, match="supported: de, en, es, fr, it"):
        tiny.check_language("sw")


def test_relative_paths_resolve_against_the_registry_folder(
    tiny: Registry, tiny_root: Path
) -> None:
    entry = tiny.translation["fr-en"]
    assert entry.local
    assert Path(entry.reference) == (tiny_root / "fr-en").resolve()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[translation]\n'fr' = 'a/b'\n", "is not 'src-tgt'"),
        ("[translation]\n'fr-en' = 'not a hub id at all'\n", "neither a folder nor a hub id"),
        ("[translation]\n'en-fr' = { model = 'a/b', token = 'fra' }\n", "not like '>>fra<<'"),
        ("[extras]\n", "unknown section"),
        ("[translation\n", "cannot be read"),
        ("[summarization]\n'english' = 'a/b'\n", "is not a code"),
    ],
)
def test_invalid_registry_is_a_config_error(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "registry.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        Registry.load(path)


def test_missing_registry_file_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MTSUM_REGISTRY"):
        Registry.load(tmp_path / "nope.toml")


def test_inline_entry_keeps_token_and_revision(tmp_path: Path) -> None:
    path = tmp_path / "registry.toml"
    path.write_text(
        "[translation]\n"
        "'en-zh' = { model = 'Org/m', token = '>>cmn_Hans<<', revision = 'refs/pr/3' }\n",
        encoding="utf-8",
    )
    [hop] = Registry.load(path).route("en", "zh")
    assert (hop.token, hop.entry.revision) == (">>cmn_Hans<<", "refs/pr/3")


def test_contract_example_registry_routes_any_covered_language(tmp_path: Path) -> None:
    # The contract's own example has no [multilingual] table: mul-en still takes German.
    path = tmp_path / "registry.toml"
    path.write_text(
        "[translation]\n"
        "'fr-en' = 'Helsinki-NLP/opus-mt-fr-en'\n'en-fr' = 'Helsinki-NLP/opus-mt-en-fr'\n"
        "'mul-en' = 'Helsinki-NLP/opus-mt-mul-en'\n'en-mul' = 'Helsinki-NLP/opus-mt-en-mul'\n"
        "[summarization]\n'en' = 'sshleifer/distilbart-cnn-12-6'\n",
        encoding="utf-8",
    )
    registry = Registry.load(path)
    assert [h.entry.name for h in registry.route("de", "en")] == ["mul-en"]
    [first, second] = registry.route("de", "ja")
    assert (first.entry.name, second.entry.name, second.token) == ("mul-en", "en-mul", ">>jpn<<")
    assert registry.route("fr", "en")[0].entry.name == "fr-en"
    assert len(registry.languages()) > 40
