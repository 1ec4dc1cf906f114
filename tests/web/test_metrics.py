"""``GET /metrics``: Prometheus text that prometheus_client's own parser reads, with the series
an operator needs, and never a text, a key or a raw path in a label."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from mtsum import Pipeline, Settings
from mtsum.settings import ServeSettings
from mtsum.web import create_app
from tests.support.texts import SAMPLES
from tests.support.webserver import serve_in_thread

FR = SAMPLES["fr"]
SECRET = "sesame-key-1"


@pytest.fixture(scope="module")
def scraped(settings: Settings) -> Iterator[tuple[list[Sample], str]]:
    """A server after a few requests of each kind; its parsed metrics and their raw text."""
    pipeline = Pipeline(settings)
    app = create_app(pipeline=pipeline, serving=ServeSettings(api_keys=(SECRET,)))
    with (
        serve_in_thread(app) as url,
        httpx.Client(base_url=url, timeout=120) as http,
    ):
        for _ in range(2):  # the second time from the translation memory
            answer = http.post(
                "/translate", json={"q": FR, "source": "fr", "target": "en", "api_key": SECRET}
            )
            assert answer.status_code == 200, answer.text
        answer = http.post("/translate", json={"q": FR, "target": "en", "api_key": SECRET})
        assert answer.status_code == 200, answer.text
        answer = http.post(
            "/summarize",
            json={"q": FR, "target": "en", "method": "extractive", "api_key": SECRET},
        )
        assert answer.status_code == 200, answer.text
        assert http.post("/translate", json={"q": FR, "target": "en"}).status_code == 403
        bad = {"q": "", "target": "en", "api_key": SECRET}
        assert http.post("/translate", json=bad).status_code == 400
        assert http.get(f"/translate/{FR[:20]}").status_code in (404, 405)
        Client(url, auth=("anyone", SECRET), verbose=False).predict(FR, api_name="/detect")
        text = http.get("/metrics").text
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples]
    yield samples, text


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    found = [s.value for s in samples if s.name == name and s.labels == labels]
    assert found, f"no {name}{labels}"
    return found[0]


def test_requests_are_counted_by_route_template_and_status(
    scraped: tuple[list[Sample], str],
) -> None:
    samples, _ = scraped
    total = "mtsum_http_requests_total"
    assert _value(samples, total, route="/translate", method="POST", status="200") == 3
    assert _value(samples, total, route="/summarize", method="POST", status="200") == 1
    assert _value(samples, total, route="/translate", method="POST", status="403") == 1
    assert _value(samples, total, route="/translate", method="POST", status="400") == 1
    gradio = [s for s in samples if s.name == total and s.labels["route"].startswith("/gradio")]
    assert gradio, "the page's API calls are counted too"
    count = "mtsum_http_request_duration_seconds_count"
    assert _value(samples, count, route="/translate") == 5


def test_stage_latencies_queue_and_refusals(scraped: tuple[list[Sample], str]) -> None:
    samples, _ = scraped
    count = "mtsum_stage_duration_seconds_count"
    assert _value(samples, count, stage="translate") >= 4
    assert _value(samples, count, stage="detect") >= 2
    assert _value(samples, count, stage="summarize") == 1
    assert _value(samples, "mtsum_queue_wait_seconds_count") == 4
    assert _value(samples, "mtsum_queue_depth") == 0
    assert _value(samples, "mtsum_refusals_total", reason="api_key") == 1
    assert _value(samples, "mtsum_refusals_total", reason="bad_input") == 1


def test_models_and_translation_memory(scraped: tuple[list[Sample], str]) -> None:
    samples, _ = scraped
    assert _value(samples, "mtsum_models_loaded") >= 1
    assert _value(samples, "mtsum_model_load_seconds", model="fr-en") > 0
    assert _value(samples, "mtsum_translation_memory_hits_total") > 0
    assert _value(samples, "mtsum_translation_memory_misses_total") > 0


def test_no_text_key_or_raw_path_in_any_label(scraped: tuple[list[Sample], str]) -> None:
    samples, text = scraped
    assert SECRET not in text
    words = {word for word in FR.split() if len(word) > 4}
    for sample in samples:
        for value in sample.labels.values():
            assert not words & set(value.split()), (sample.name, value)
    routes = {s.labels["route"] for s in samples if "route" in s.labels}
    assert "other" in routes  # the probe of /translate/<text>
    assert all(route == "other" or route.startswith("/") for route in routes)


def test_the_pages_runs_count_their_flags_as_rest_does(settings: Settings) -> None:
    # The random model drops the numbers, so its translation is flagged: those flags and the
    # degraded item must reach /metrics as a REST request's do (route label "/": the page).
    text = "Le budget de 2024 prévoit 1 234 567 euros et 89 postes. " + FR
    with serve_in_thread(create_app(pipeline=Pipeline(settings))) as url:
        client = Client(url, verbose=False)
        answer = client.predict(text, "en", "fr", api_name="/translate")
        metrics = httpx.get(f"{url.rstrip('/')}/metrics", timeout=60).text
    samples = [s for family in text_string_to_metric_families(metrics) for s in family.samples]
    kinds = [flag["kind"] for flag in answer["flags"]]
    assert kinds, "the test needs a flagged translation"
    counted = {s.labels["kind"]: s.value for s in samples if s.name == "mtsum_flags_total"}
    for kind in set(kinds):
        assert counted[kind] == kinds.count(kind), (kind, counted)
    degraded = _value(samples, "mtsum_degraded_items_total", route="/") if answer["warnings"] else 0
    assert degraded == (1 if answer["warnings"] else 0)
