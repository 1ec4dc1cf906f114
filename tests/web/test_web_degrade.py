"""Offline with a translation model missing: the web faces degrade, the Python API does not.

The registry points fr-en at a hub id that is not downloaded, and mtsum is offline: the page
and REST ``/summarize`` still give the detection and an extractive summary in French, with one
notice naming the model in plain words (the pull command goes to the log); ``Pipeline.run``
keeps raising ``ModelUnavailableError`` as the contract says.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mtsum import ModelUnavailableError, Pipeline, Settings
from mtsum.web.page.events import page_run
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.outputs import RunView
from tests.support.rest_support import rest_client
from tests.support.texts import ARTICLE_FR

MISSING = "Helsinki-NLP/opus-mt-fr-en"


class NoProgress:
    def __call__(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture
def missing_fr_en(settings: Settings, registry_variant: Callable[..., Path]) -> Pipeline:
    registry = registry_variant(translation={"fr-en": MISSING})
    return Pipeline(settings.replace(registry_path=registry))


def test_the_python_api_still_raises_for_a_missing_model(missing_fr_en: Pipeline) -> None:
    with pytest.raises(ModelUnavailableError, match="mtsum models pull fr-en"):
        missing_fr_en.run(ARTICLE_FR, target="en", method="extractive")


def test_the_page_gives_detection_and_a_labelled_summary_in_the_source_language(
    missing_fr_en: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
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
    (step,) = steps
    assert step == RunView(notice=step.notice)  # everything else cleared
    assert "mtsum-panel-error" in step.notice and "empty" in step.notice


def test_a_page_run_that_works_leaves_the_panel_empty(pipeline: Pipeline) -> None:
    run = page_run(Handlers(pipeline))
    steps = list(run(ARTICLE_FR, "en", "auto", 0, "extractive", progress=NoProgress()))
    assert all(step.notice == "" for step in steps) and steps[-1].result is not None
