"""Offline with a translation model missing: the web faces degrade, the Python API does not.

The registry points fr-en at a hub id that is not downloaded, and mtsum is offline: the page
and REST ``/summarize`` still give the detection and an extractive summary in French, with one
notice naming the model in plain words (the pull command goes to the log); ``Pipeline.run``
keeps raising ``ModelUnavailableError`` as the contract says.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mtsum import ModelUnavailableError, Pipeline, Settings
from mtsum.web.page.events import page_run
from mtsum.web.page.handlers import Handlers
from tests.support.rest_support import rest_client
from tests.support.texts import ARTICLE_EN, ARTICLE_FR

MISSING = "Helsinki-NLP/opus-mt-fr-en"


class NoProgress:
    def __call__(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture
def missing_fr_en(settings: Settings, registry_variant: Callable[..., Path]) -> Pipeline:
    registry = registry_variant(translation={"fr-en": MISSING})
    return Pipeline(settings.replace(registry_path=registry))


def test_the_python_api_still_raises_for_a_missing_model(missing_fr_en: Pipeline) -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        missing_fr_en.run(ARTICLE_FR, target="en", method="extractive")
    assert caught.value.name == "fr-en"


def test_the_page_gives_detection_and_a_labelled_summary_in_the_source_language(
    missing_fr_en: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    # An in-process CLI test may have left mtsum's logger quieter than a server runs it.
    caplog.set_level(logging.WARNING, logger="mtsum")
    steps = list(
        Handlers(missing_fr_en).run(
            ARTICLE_FR, "en", "auto", 0, "abstractive", progress=NoProgress()
        )
    )
    last = steps[-1]
    detected, route, translation, summary = (
        last.detected,
        last.route,
        last.translation,
        last.summary,
    )
    warnings, notice, file, data = last.warnings, last.notice, last.document, last.result
    assert data is not None
    assert "French (fr)" in detected and file is None
    assert "not translated" in route and translation == ""
    assert summary and summary == data["summary"]["text"]
    assert data["summary"]["language"] == "fr" and data["summary"]["method"] == "extractive"
    assert data["translation"] is None and data["detection"]["language"] == "fr"
    # One notice, in plain words: the model and what the visitor still gets.
    assert "French → English" in notice and "not installed" in notice
    assert "extractive summary" in notice
    assert "mtsum models pull" not in notice and "MTSUM_" not in notice
    assert "fr-en" in warnings and "extractive" in warnings
    assert any("fr-en" in w for w in data["warnings"])
    # The operator gets the command.
    assert "mtsum models pull fr-en" in caplog.text


def test_the_notice_offers_no_other_target_when_none_is_installed(
    missing_fr_en: Pipeline,
) -> None:
    *_, last = Handlers(missing_fr_en).run(
        ARTICLE_FR, "en", "fr", 0, "extractive", progress=NoProgress()
    )
    timings, notice = last.timings, last.notice
    # fr-en is every French route's first leg here: no target of French is installed.
    assert "needs a download" not in notice and "every target gives the same" in notice
    # Timings are honest about what ran: no translation, the run's whole time.
    assert "translate: not done" in timings and "total 0.00 s" not in timings
    assert "Getting models" not in notice  # a remote visitor: no operator line


def test_a_visitor_on_the_servers_machine_is_told_how_to_get_models(
    missing_fr_en: Pipeline,
) -> None:
    *_, last = Handlers(missing_fr_en).run(
        ARTICLE_FR, "en", "fr", 0, "extractive", progress=NoProgress(), operator=True
    )
    notice = last.notice
    assert "Getting models" in notice and 'href="https://' in notice and "docs/models" in notice
    assert "mtsum models pull" not in notice and "HF_" not in notice


def _operator_details(text: str, store: Path) -> list[str]:
    """What only the operator may read, found in ``text``."""
    found = [s for s in (str(store), "HF_", "MTSUM_", "mtsum models") if s in text]
    return found + re.findall(r"(?<![\w:/.])(?:/[\w.-]+){3,}", text)


def test_no_server_path_setting_or_command_reaches_a_visitor_when_the_summariser_is_missing(
    settings: Settings, registry_variant: Callable[..., Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    registry = registry_variant(summarization={"en": "sshleifer/distilbart-cnn-12-6"})
    offline = Pipeline(settings.replace(registry_path=registry, model_dir=store, offline=True))
    # The API's warnings name the model and why (the CLI adds no command to a warning) ...
    direct = offline.run(ARTICLE_EN, target="en")
    assert any("summarize:en" in w and "offline" in w for w in direct.warnings)
    # ... the page, its Gradio API and REST do not.
    *_, last = Handlers(offline).run(
        ARTICLE_EN, "en", "auto", 0, "abstractive", progress=NoProgress()
    )
    page = json.dumps(last.values(), ensure_ascii=False, default=str)
    assert "summarize:en" in page and "extractive" in page
    assert _operator_details(page, store) == []
    api = json.dumps(Handlers(offline).summarize(ARTICLE_EN, 0, "abstractive"))
    assert _operator_details(api, store) == []
    # The tiny models are local folders: the JSON names them by their folder's name only.
    *_, translated = Handlers(offline).run(
        ARTICLE_FR, "en", "fr", 0, "extractive", progress=NoProgress()
    )
    assert translated.result is not None and translated.result["translation"]["models"]
    assert _operator_details(json.dumps(translated.values(), default=str), store) == []
    with rest_client(offline) as client:
        for path, body in (
            ("/summarize", {"q": ARTICLE_EN, "target": "en"}),
            ("/translate", {"q": ARTICLE_FR, "source": "fr", "target": "en"}),
        ):
            response = client.post(path, json=body)
            assert response.status_code < 500, response.text
            assert _operator_details(response.text, store) == [], (path, response.text)


def test_rest_summarize_degrades_with_warnings_and_status_200(missing_fr_en: Pipeline) -> None:
    client = rest_client(missing_fr_en)
    response = client.post("/summarize", json={"q": ARTICLE_FR, "target": "en"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"] and body["translatedText"] == ""
    assert body["detectedLanguage"]["language"] == "fr"
    assert any("not translated" in w and "fr-en" in w for w in body["warnings"])
    assert any("extractive" in w and "French" in w for w in body["warnings"])


def test_rest_translate_still_answers_503_for_a_missing_model(missing_fr_en: Pipeline) -> None:
    client = rest_client(missing_fr_en)
    response = client.post("/translate", json={"q": ARTICLE_FR, "source": "fr", "target": "en"})
    assert response.status_code == 503


def test_a_page_error_goes_into_the_panel_and_clears_the_results(pipeline: Pipeline) -> None:
    run = page_run(Handlers(pipeline))
    steps = list(run("   ", "en", "auto", 0, "extractive", progress=NoProgress()))
    assert len(steps) == 1
    *cleared, panel, file, note, aligned, data, line = steps[0]  # and the progress line
    assert line == ""
    assert cleared == ["", "", "", "", "", ""] and (file, note, aligned, data) == (
        None,
        "",
        "",
        None,
    )
    assert "mtsum-panel-error" in panel and "empty" in panel


def test_a_page_run_that_works_leaves_the_panel_empty(pipeline: Pipeline) -> None:
    run = page_run(Handlers(pipeline))
    steps = list(run(ARTICLE_FR, "en", "auto", 0, "extractive", progress=NoProgress()))
    assert all(step[6] == "" for step in steps) and steps[-1][-1] is not None
