"""Flags and summary sources over REST: ``flags`` beside ``warnings`` when a sentence looks
wrong, ``sources`` and ``flags`` in ``/summarize``; a scripted engine decides which sentence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline, Settings
from mtsum.models import ModelStore
from tests.support import faulty
from tests.support.faulty import ARTICLE_FR, FRENCH, ScriptedLoader
from tests.support.rest_support import rest_client

SUMMARY = "The city council approved a budget for the buses. It will cost 9.5 million."


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    loader = ScriptedLoader({FRENCH[3]: faulty.loop}, summary=SUMMARY)
    pipeline = Pipeline(settings, store=ModelStore(settings, loader=loader))
    with rest_client(pipeline) as test_client:
        yield test_client


def test_translate_carries_the_flags_of_a_wrong_sentence(client: TestClient) -> None:
    body = client.post("/translate", json={"q": ARTICLE_FR, "source": "fr", "target": "en"}).json()
    assert [(f["sentence"], f["kind"]) for f in body["flags"]] == [(3, "repetition")]
    assert any("may be wrong (sentence 4)" in warning for warning in body["warnings"])


def test_translate_has_no_flags_key_when_nothing_is_flagged(client: TestClient) -> None:
    body = client.post("/translate", json={"q": FRENCH[0], "source": "fr", "target": "en"}).json()
    assert "flags" not in body


def test_a_list_gets_one_list_of_flags_per_item(client: TestClient) -> None:
    q = [FRENCH[0], FRENCH[3]]
    body = client.post("/translate", json={"q": q, "source": "fr", "target": "en"}).json()
    assert [[f["sentence"] for f in item] for item in body["flags"]] == [[], [0]]


def test_html_flags_number_the_sentences_of_all_text_runs(client: TestClient) -> None:
    html = f"<p>{FRENCH[0]}</p><p>{FRENCH[1]}</p><p><b>{FRENCH[3]}</b></p>"
    body = client.post(
        "/translate", json={"q": html, "source": "fr", "target": "en", "format": "html"}
    ).json()
    assert [(f["sentence"], f["kind"]) for f in body["flags"]] == [(2, "repetition")]


def test_summarize_carries_sources_and_flags(client: TestClient) -> None:
    body = client.post(
        "/summarize", json={"q": ARTICLE_FR, "source": "fr", "target": "en", "words": 10}
    ).json()
    assert body["summary"] == SUMMARY
    assert body["sources"][0] == [0]
    assert [(f["sentence"], f["kind"]) for f in body["flags"]] == [(1, "unsupported_number")]
