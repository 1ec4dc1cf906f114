"""The REST API on the real app (Gradio mounted at "/"): every route, field and shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from mtsum import Pipeline
from mtsum.languages import language_name
from mtsum.web import create_app
from tests.support.texts import SAMPLES

FR, DE, EN = SAMPLES["fr"], SAMPLES["de"], SAMPLES["en"]


@pytest.fixture(scope="module")
def client(pipeline: Pipeline) -> Iterator[TestClient]:
    with TestClient(create_app(pipeline=pipeline)) as test_client:
        yield test_client


# ---- /translate ------------------------------------------------------------------------------


def test_translate_with_a_source_answers_translated_text_only(client: TestClient) -> None:
    response = client.post("/translate", json={"q": FR, "source": "fr", "target": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) - {"warnings", "flags"} == {"translatedText"}
    assert isinstance(body["translatedText"], str) and body["translatedText"].strip()


def test_translate_matches_the_python_api(client: TestClient, pipeline: Pipeline) -> None:
    body = client.post("/translate", json={"q": FR, "source": "fr", "target": "de"}).json()
    assert body["translatedText"] == pipeline.translate(FR, target="de", source="fr").text


def test_translate_auto_adds_the_detected_language_in_percent(client: TestClient) -> None:
    body = client.post("/translate", json={"q": FR, "source": "auto", "target": "en"}).json()
    detected = body["detectedLanguage"]
    assert set(detected) == {"confidence", "language"}
    assert detected["language"] == "fr"
    assert 50 < detected["confidence"] <= 100


def test_translate_source_defaults_to_auto(client: TestClient) -> None:
    body = client.post("/translate", json={"q": FR, "target": "en"}).json()
    assert body["detectedLanguage"]["language"] == "fr"


def test_translate_list_gives_lists_with_one_detection_per_item(client: TestClient) -> None:
    response = client.post("/translate", json={"q": [FR, DE, EN], "source": "auto", "target": "en"})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["translatedText"], list) and len(body["translatedText"]) == 3
    assert [d["language"] for d in body["detectedLanguage"]] == ["fr", "de", "en"]
    assert body["translatedText"][2] == EN  # already English: handed back as it was


def test_translate_list_items_are_translated_on_their_own(
    client: TestClient, pipeline: Pipeline
) -> None:
    body = client.post("/translate", json={"q": [FR, DE], "source": "auto", "target": "en"}).json()
    assert body["translatedText"] == [
        pipeline.translate(FR, target="en", source="fr").text,
        pipeline.translate(DE, target="en", source="de").text,
    ]


def test_translate_list_with_a_source_has_no_detection(client: TestClient) -> None:
    body = client.post("/translate", json={"q": [FR, FR], "source": "fr", "target": "en"}).json()
    assert "detectedLanguage" not in body
    assert len(body["translatedText"]) == 2


def test_translate_accepts_form_fields_like_json(client: TestClient) -> None:
    fields = {"q": FR, "source": "fr", "target": "en"}
    form = client.post("/translate", data=fields)
    assert form.status_code == 200
    assert form.json() == client.post("/translate", json=fields).json()


def test_translate_multipart_form_fields_are_read_like_a_form(client: TestClient) -> None:
    boundary = "mtsumtest"
    fields = {"q": FR, "source": "fr", "target": "en"}
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    response = client.post(
        "/translate",
        content=(parts + f"--{boundary}--\r\n").encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 200
    assert response.json() == client.post("/translate", json=fields).json()


def test_translate_refuses_file_uploads(client: TestClient) -> None:
    fields = {"q": FR, "source": "fr", "target": "en"}
    response = client.post("/translate", data=fields, files={"q": ("a.txt", b"Bonjour")})
    assert response.status_code == 400 and "file" in response.json()["error"]


def test_translate_repeated_form_q_is_a_list(client: TestClient) -> None:
    response = client.post("/translate", data={"q": [FR, DE], "source": "auto", "target": "en"})
    assert response.status_code == 200
    assert [d["language"] for d in response.json()["detectedLanguage"]] == ["fr", "de"]


def test_translate_reads_query_parameters_too(client: TestClient) -> None:
    response = client.post("/translate", params={"q": FR, "source": "fr", "target": "en"})
    assert response.status_code == 200 and response.json()["translatedText"]


def test_translate_html_keeps_markup_and_translates_text(client: TestClient) -> None:
    html = (
        '<p class="lead" data-id="7">Le conseil municipal a approuvé un <b>nouveau budget</b>.'
        '<br><a href="/bus?x=1&amp;y=2" title="Les bus">Les bus</a></p>'
        "<!-- note --><code>budget = 11</code>"
    )
    response = client.post(
        "/translate", json={"q": html, "source": "fr", "target": "en", "format": "html"}
    )
    assert response.status_code == 200
    out = response.json()["translatedText"]

    def shape(markup: str) -> list[tuple[str, dict[str, str]]]:
        soup = BeautifulSoup(markup, "html.parser")
        return [(t.name, dict(t.attrs)) for t in soup.find_all(True)]

    assert shape(out) == shape(html)
    assert "<!-- note --><code>budget = 11</code>" in out
    assert "Le conseil municipal" not in out  # the text itself went through the model


def test_translate_html_to_its_own_language_returns_it_byte_for_byte(client: TestClient) -> None:
    html = "<p class='x'>Bonjour <i>à tous</i></p>"
    body = client.post(
        "/translate", json={"q": html, "source": "fr", "target": "fr", "format": "html"}
    ).json()
    assert body["translatedText"] == html


def test_translate_html_detects_on_the_text_not_the_markup(client: TestClient) -> None:
    html = f'<div class="article-body content-wrapper"><p>{FR}</p></div>'
    body = client.post("/translate", json={"q": html, "target": "en", "format": "html"}).json()
    assert body["detectedLanguage"]["language"] == "fr"


def test_translate_html_with_only_code_says_why_it_is_unchanged(client: TestClient) -> None:
    html = "<pre>Bonjour tout le monde</pre><code>print('salut')</code>"
    body = client.post(
        "/translate", json={"q": html, "source": "fr", "target": "en", "format": "html"}
    ).json()
    assert body["translatedText"] == html
    [warning] = body["warnings"]
    assert "outside the parts kept as they are" in warning


def test_translate_html_list(client: TestClient) -> None:
    body = client.post(
        "/translate",
        json={"q": [f"<p>{FR}</p>", f"<h2>{DE}</h2>"], "target": "en", "format": "html"},
    ).json()
    first, second = body["translatedText"]
    assert first.startswith("<p>") and first.endswith("</p>")
    assert second.startswith("<h2>") and second.endswith("</h2>")
    assert [d["language"] for d in body["detectedLanguage"]] == ["fr", "de"]


def test_text_without_letters_comes_back_unchanged_with_a_warning(client: TestClient) -> None:
    body = client.post("/translate", json={"q": ["2024", "😀", FR], "target": "en"}).json()
    assert body["translatedText"][:2] == ["2024", "😀"]
    assert body["detectedLanguage"][0] == {"confidence": 0.0, "language": "en"}
    assert "no letters" in body["warnings"][0][0]


def test_alternatives_are_empty_lists_with_a_warning(client: TestClient) -> None:
    single = client.post(
        "/translate", json={"q": FR, "source": "fr", "target": "en", "alternatives": 3}
    ).json()
    assert single["alternatives"] == []
    assert any("alternative" in w for w in single["warnings"])
    batch = client.post(
        "/translate", data={"q": [FR, FR], "source": "fr", "target": "en", "alternatives": "2"}
    ).json()
    assert batch["alternatives"] == [[], []]


def test_blank_or_null_optional_fields_take_their_defaults(client: TestClient) -> None:
    form = client.post(
        "/translate", data={"q": FR, "source": "", "target": "en", "format": "", "alternatives": ""}
    )
    assert form.status_code == 200 and form.json()["detectedLanguage"]["language"] == "fr"
    nulls = client.post(
        "/translate", json={"q": FR, "target": "en", "format": None, "source": None}
    )
    assert nulls.status_code == 200 and "detectedLanguage" in nulls.json()


def test_unknown_fields_are_ignored(client: TestClient) -> None:
    response = client.post(
        "/translate", json={"q": FR, "source": "fr", "target": "en", "secret": "x"}
    )
    assert response.status_code == 200


# ---- /detect ---------------------------------------------------------------------------------


def test_detect_lists_candidates_best_first_in_percent(client: TestClient) -> None:
    response = client.post("/detect", json={"q": FR})
    assert response.status_code == 200
    found = response.json()
    assert found[0]["language"] == "fr"
    assert all(set(c) == {"confidence", "language"} for c in found)
    confidences = [c["confidence"] for c in found]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 100 for c in confidences)


def test_detect_matches_the_python_api(client: TestClient, pipeline: Pipeline) -> None:
    found = client.post("/detect", data={"q": DE}).json()
    detection = pipeline.detect(DE)
    assert [c["language"] for c in found] == [c.language for c in detection.candidates]
    assert found[0]["confidence"] == round(detection.candidates[0].probability * 100, 2)


# ---- /languages, /health, docs ------------------------------------------------------------


def test_languages_lists_every_registry_language_with_name_and_targets(
    client: TestClient, pipeline: Pipeline
) -> None:
    languages = client.get("/languages").json()
    registry = pipeline.registry
    assert [entry["code"] for entry in languages] == registry.languages()
    for entry in languages:
        assert entry["name"] == language_name(entry["code"])
        assert set(entry["targets"]) == {entry["code"], *registry.targets(entry["code"])}


def test_languages_include_pivot_and_multilingual_targets(client: TestClient) -> None:
    targets = {e["code"]: e["targets"] for e in client.get("/languages").json()}
    assert "de" in targets["fr"]  # fr -> en -> de
    assert {"es", "it"} <= set(targets["fr"])  # fr -> en -> es through en-mul
    assert "de" in targets["es"]  # es -> en through mul-en, then en -> de


def test_health_is_ok_and_lists_loaded_models(client: TestClient) -> None:
    client.post("/translate", json={"q": FR, "source": "fr", "target": "en"})
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert "fr-en" in body["models"]


def test_health_reports_translation_memory_hits(client: TestClient) -> None:
    before = client.get("/health").json()["translation_memory"]
    for _ in range(2):
        client.post(
            "/translate", json={"q": "Le pont ferme demain.", "source": "fr", "target": "en"}
        )
    after = client.get("/health").json()["translation_memory"]
    assert after["kind"] == "memory"
    assert after["hits"] >= before["hits"] + 1
    assert 0.0 < after["hit_rate"] <= 1.0


def test_openapi_and_docs_are_served_beside_gradio(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/translate", "/detect", "/languages", "/summarize", "/health"} <= set(schema["paths"])
    body = schema["paths"]["/translate"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(body)
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert client.get("/").status_code == 200  # the Gradio page still answers at "/"


def test_docs_and_redoc_work_offline_from_self_hosted_assets(client: TestClient) -> None:
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = client.get(page).text
        assert "cdn" not in html.lower() and "fonts.googleapis" not in html, page
        (src,) = [s for s in html.split('"') if s.endswith(asset)]
        script = client.get(src)
        assert script.status_code == 200 and len(script.content) > 100_000, src
    assert client.get("/static-offline-docs/swagger-ui.css").status_code == 200


# ---- /summarize ------------------------------------------------------------------------------


def test_summarize_answers_summary_translation_and_detection(client: TestClient) -> None:
    response = client.post("/summarize", json={"q": FR, "target": "de", "words": 12})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "summary", "translatedText", "detectedLanguage", "sources", "flags", "warnings",
    }  # fmt: skip
    assert body["summary"].strip() and body["translatedText"].strip()
    assert body["detectedLanguage"]["language"] == "fr"


def test_summarize_extractive_takes_sentences_of_the_translation(client: TestClient) -> None:
    body = client.post(
        "/summarize",
        data={"q": FR, "source": "fr", "target": "en", "method": "extractive", "words": "5"},
    ).json()
    assert body["summary"] and body["summary"] in body["translatedText"]
    assert body["detectedLanguage"] == {"confidence": 100.0, "language": "fr"}
