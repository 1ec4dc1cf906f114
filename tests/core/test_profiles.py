"""Profiles and group models: routing picks the group model for a covered language and the
multilingual fallback otherwise, and a request's profile changes the model used (tiny random
models stand in for both the best and the fast model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtsum import ConfigError, InputError, Pipeline, Request, Settings
from mtsum.cli import main
from mtsum.registry import Registry
from tests.support.rest_support import rest_client
from tests.support.texts import ARTICLE_FR


def _registry(tmp_path: Path, tiny_root: Path, body: str) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(body.replace("@", str(tiny_root.resolve())), encoding="utf-8")
    return path


# Tiny models in the roles of the shipped file: en-fr as a group model writing Dutch and Swedish
# (labels), de-en as one reading them (sources), mul-en / en-mul as the fallback for Spanish.
GROUPS = """
[models]
"@/en-fr" = { params = 240, labels = { nl = "nld", sv = "swe" } }
"@/de-en" = { params = 240, sources = ["nl", "sv"] }

[translation]
"fr-en" = "@/fr-en"
"mul-en" = "@/mul-en"
"en-mul" = "@/en-mul"

[multilingual]
"es" = "spa"
"""

# fr-en has a best and a fast model (mul-en's folder standing in for the smaller one).
PROFILED = """
[models]
"@/fr-en" = { params = 240 }
"@/mul-en" = { params = 75 }

[translation]
"fr-en".best = { model = "@/fr-en", test = "flores101", chrf = 69.35, bleu = 46.0, source = "t" }
"fr-en".fast = { model = "@/mul-en", test = "flores101", chrf = 66.89, bleu = 41.7, source = "t" }
"en-de" = "@/en-de"

[summarization]
"en" = "@/sum-en"
"""


@pytest.fixture
def groups(tmp_path: Path, tiny_root: Path) -> Registry:
    return Registry.load(_registry(tmp_path, tiny_root, GROUPS))


@pytest.fixture
def profiled_path(tmp_path: Path, tiny_root: Path) -> Path:
    return _registry(tmp_path, tiny_root, PROFILED)


@pytest.fixture
def profiled(settings: Settings, profiled_path: Path, tmp_path: Path) -> Pipeline:
    return Pipeline(settings.replace(registry_path=profiled_path, model_dir=tmp_path / "store"))


# ---- routing ----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["best", "fast"])
def test_a_covered_language_routes_to_its_group_model(
    groups: Registry, tiny_root: Path, profile: str
) -> None:
    [into] = groups.route("en", "sv", profile)
    [back] = groups.route("nl", "en", profile)
    assert (Path(into.entry.reference).name, into.token) == ("en-fr", ">>swe<<")
    assert (Path(back.entry.reference).name, back.token) == ("de-en", None)
    assert into.entry.group and back.entry.group
    pivot = groups.route("nl", "sv", profile)
    assert [(h.direction, h.token) for h in pivot] == [("nl-en", None), ("en-sv", ">>swe<<")]


def test_a_language_no_group_covers_takes_the_multilingual_fallback(groups: Registry) -> None:
    [into] = groups.route("en", "es")
    [back] = groups.route("es", "en")
    assert (into.entry.name, into.token) == ("en-mul", ">>spa<<")
    assert back.entry.name == "mul-en"
    assert [h.entry.name for h in groups.route("nl", "es")] == ["nl-en", "en-mul"]


def test_a_plain_registry_serves_both_profiles_with_the_same_models(tiny_root: Path) -> None:
    plain = Registry.load(tiny_root / "registry.toml")
    for key, entry in plain.translation.items():
        assert plain.table("fast")[key] is entry and entry.profile is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        # a model that writes two languages from English but has a label for neither
        ('[translation]\n"en-fr" = "@/en-fr"\n"en-de" = "@/en-fr"\n', "has no label for de, fr"),
        # a labelled group model used for a target it has no label for
        ('[models]\n"@/en-fr" = { labels = { nl = "nld" } }\n[translation]\n"en-sv" = "@/en-fr"\n',
         "have none for 'sv'"),
        # an explicit token that contradicts the model's label
        ('[models]\n"@/en-fr" = { labels = { nl = "nld" } }\n[translation]\n'
         '"en-nl" = { model = "@/en-fr", token = ">>dut<<" }\n', "disagrees with the label"),
        ('[translation]\n"fr-en".fast = "@/fr-en"\n', "needs best = ..."),
        ('[translation]\n"fr-en".quick = "@/fr-en"\n', "needs model = ..., or best and fast"),
        ('[translation]\n"fr-en" = { model = "@/fr-en", chrf = "high" }\n', "chrf must be"),
    ],
)  # fmt: skip
def test_label_and_profile_mistakes_are_config_errors(
    tmp_path: Path, tiny_root: Path, body: str, fragment: str
) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Registry.load(_registry(tmp_path, tiny_root, body))


# ---- a request's profile ------------------------------------------------------------------


def test_a_profile_change_in_the_request_changes_the_model_used(profiled: Pipeline) -> None:
    best = profiled.translate(ARTICLE_FR, request=Request(target="en", source="fr"))
    fast = profiled.translate(ARTICLE_FR, request=Request(target="en", source="fr", profile="fast"))
    assert (best.profile, fast.profile) == ("best", "fast")
    assert [Path(m).name for m in best.models] == ["fr-en"]
    assert [Path(m).name for m in fast.models] == ["mul-en"]
    assert best.to_dict()["profile"] == "best" and fast.to_dict()["profile"] == "fast"
    loaded = {Path(key.partition(":")[2]).name for key in profiled.store.loaded()}
    assert {"fr-en", "mul-en"} <= loaded


def test_the_translation_memory_keys_on_the_model(profiled: Pipeline) -> None:
    memory = profiled.store.memory
    assert memory.enabled
    profiled.translate(ARTICLE_FR, target="en", source="fr")
    hits = memory.stats()["hits"]
    profiled.translate(ARTICLE_FR, request=Request(target="en", source="fr", profile="fast"))
    assert memory.stats()["hits"] == hits  # the fast model's output is never the best one's
    profiled.translate(ARTICLE_FR, target="en", source="fr")
    assert memory.stats()["hits"] > hits  # while the same model hits its own entries


def test_the_pivot_and_the_summary_use_the_requested_profile(profiled: Pipeline) -> None:
    result = profiled.run(
        ARTICLE_FR, request=Request(target="de", source="fr", profile="fast", method="extractive")
    )
    assert result.translation.profile == "fast"
    assert [Path(m).name for m in result.translation.models] == ["mul-en", "en-de"]


def test_mtsum_profile_sets_the_default(profiled: Pipeline, settings: Settings) -> None:
    assert Settings.from_env({"MTSUM_PROFILE": "fast"}).profile == "fast"
    assert Settings.from_env({}).profile == "best"
    with pytest.raises(ConfigError, match="MTSUM_PROFILE"):
        Settings.from_env({"MTSUM_PROFILE": "turbo"})
    fast_default = Pipeline(profiled.settings.replace(profile="fast"), store=profiled.store)
    translation = fast_default.translate(ARTICLE_FR, target="en", source="fr")
    assert translation.profile == "fast"
    assert [Path(m).name for m in translation.models] == ["mul-en"]
    # A request that names its profile wins over the default.
    named = fast_default.translate(ARTICLE_FR, request=Request("en", "fr", profile="best"))
    assert [Path(m).name for m in named.models] == ["fr-en"]


def test_a_bad_profile_is_refused_with_the_choices(profiled: Pipeline) -> None:
    with pytest.raises(InputError, match="invalid profile 'turbo', expected one of: best, fast"):
        profiled.translate(ARTICLE_FR, request=Request(target="en", profile="turbo"))


# ---- faces -----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, profiled_path: Path, tmp_path: Path) -> Path:
    monkeypatch.setenv("MTSUM_REGISTRY", str(profiled_path))
    monkeypatch.setenv("MTSUM_MODEL_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("MTSUM_OFFLINE", "1")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE_FR, encoding="utf-8")
    return article


def _call(*argv: str) -> tuple[int, str]:
    import io

    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_cli_profile_option(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _call("translate", str(cli_env), "--source", "fr", "--profile", "fast", "--json")
    data = json.loads(out)
    assert code == 0 and data["profile"] == "fast"
    assert [Path(m).name for m in data["models"]] == ["mul-en"]
    code, _ = _call("translate", str(cli_env), "--profile", "turbo")
    assert code == 2 and "invalid choice: 'turbo'" in capsys.readouterr().err


def test_cli_profile_reaches_a_translated_document(cli_env: Path) -> None:
    output = cli_env.with_name("translated.txt")
    argv = ("translate", str(cli_env), "--source", "fr", "-o", str(output), "--json")
    code, out = _call(*argv, "--profile", "fast")
    assert code == 0 and output.is_file()
    data = json.loads(out)
    assert data["profile"] == "fast" and [Path(m).name for m in data["models"]] == ["mul-en"]


def test_models_list_shows_profile_score_and_size(cli_env: Path) -> None:
    code, out = _call("models", "list", "--json")
    rows = {(row["name"], row["profile"]): row for row in json.loads(out)}
    assert code == 0
    best, fast = rows[("fr-en", "best")], rows[("fr-en", "fast")]
    assert best["score"] == "flores101 chrF 69.35 BLEU 46" and best["size"] == "~1.0 GB"
    assert fast["score"] == "flores101 chrF 66.89 BLEU 41.7" and fast["size"] == "~0.3 GB"
    assert rows[("en-de", "best, fast")]["score"] == "-"
    code, out = _call("models", "list")
    assert "PROFILE" in out.splitlines()[0] and "SCORE" in out and "SIZE" in out


def test_models_pull_takes_both_profiles_or_one(cli_env: Path) -> None:
    code, out = _call("models", "pull", "fr-en")
    assert code == 0 and "fr-en:" in out and "/fr-en" in out and "/mul-en" in out
    code, out = _call("models", "pull", "fr-en", "--profile", "fast")
    assert code == 0 and "/mul-en" in out and "/fr-en," not in out and "/fr-en\n" not in out


def test_rest_profile_key(profiled: Pipeline) -> None:
    client = rest_client(profiled)
    body = {"q": "Le conseil a voté le budget.", "source": "fr", "target": "en"}
    reply = client.post("/translate", json={**body, "profile": "fast"})
    assert reply.status_code == 200 and reply.json()["translatedText"]
    loaded = [Path(key.partition(":")[2]).name for key in profiled.store.loaded()]
    assert loaded == ["mul-en"]  # only the fast model was needed
    assert client.post("/translate", json={**body, "profile": ""}).status_code == 200
    refused = client.post("/translate", json={**body, "profile": "turbo"})
    assert refused.status_code == 400
    assert "expected one of: best, fast" in refused.json()["error"]


def test_rest_translate_file_takes_the_profile(profiled: Pipeline) -> None:
    client = rest_client(profiled)
    files = {"file": ("note.txt", ARTICLE_FR.encode(), "text/plain")}
    data = {"source": "fr", "target": "en", "profile": "fast"}
    answer = client.post("/translate_file", data=data, files=files)
    assert answer.status_code == 200, answer.text
    url = answer.json()["translatedFileUrl"]
    assert client.get(url[url.index("/download_file") :]).text.strip()
    loaded = [Path(key.partition(":")[2]).name for key in profiled.store.loaded()]
    assert loaded == ["mul-en"]  # the fast model alone served the file
    refused = client.post("/translate_file", data={**data, "profile": "turbo"}, files=files)
    assert refused.status_code == 400
    assert "expected one of: best, fast" in refused.json()["error"]


def test_the_page_document_uses_the_runs_profile(profiled: Pipeline) -> None:
    from mtsum.web.page.document import DocumentDesk, PendingDocument

    run = profiled.translate(ARTICLE_FR, request=Request(target="en", source="fr", profile="fast"))
    # The box was edited since the upload: the document's units are translated afresh.
    pending = PendingDocument(ARTICLE_FR.encode(), "note.txt", "another text")
    desk = DocumentDesk(profiled)
    path, translated = desk.translate(pending, run)
    try:
        assert path.read_text(encoding="utf-8").strip()
        assert translated.translation.profile == "fast"
        assert [Path(m).name for m in translated.translation.models] == ["mul-en"]
    finally:
        desk.discard(path)
