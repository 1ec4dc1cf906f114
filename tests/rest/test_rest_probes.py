"""What an attacker's probes found: a deeply nested JSON body, and a list that flooded the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mtsum import Pipeline
from tests.support.rest_support import rest_client

# Five distinct short strings: the memory makes the 5,000-item list cheap, while every item
# still goes through the checks and gets its own warnings, as in the probe.
SHORT = [f"Le musée {n} ouvre." for n in range(5)]
# Python's JSON decoder recurses once per bracket; 100,000 of them exhaust its stack.
DEPTH = 100_000


@pytest.fixture(scope="module")
def client(pipeline: Pipeline) -> Iterator[TestClient]:
    with rest_client(pipeline) as test_client:
        yield test_client


@pytest.mark.parametrize("bracket", [b"[", b"{"])
def test_a_deeply_nested_json_body_is_a_400(client: TestClient, bracket: bytes) -> None:
    opening = bracket if bracket == b"[" else b'{"a":' * DEPTH
    body = opening * DEPTH if bracket == b"[" else opening
    response = client.post("/translate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "nested too deeply" in response.json()["error"]


def test_nesting_the_decoder_accepts_is_still_a_400_not_a_500(client: TestClient) -> None:
    nested = b"[" * 900 + b"]" * 900
    body = b'{"q": ' + nested + b', "target": "en", "source": "fr"}'
    response = client.post("/translate", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text


def test_a_list_of_5000_texts_writes_one_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    items = [SHORT[n % len(SHORT)] for n in range(5000)]
    # On the "mtsum" logger itself: a CLI test before this one may have quieted it to ERROR.
    with caplog.at_level(logging.WARNING, logger="mtsum"):
        response = client.post("/translate", json={"q": items, "source": "fr", "target": "en"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["translatedText"]) == 5000
    degraded = sum(1 for item in body.get("warnings", []) if item)
    mtsum_lines = [r for r in caplog.records if r.name.startswith("mtsum")]
    assert len(mtsum_lines) <= 3, [r.getMessage()[:80] for r in mtsum_lines]
    if degraded:  # the random model's output is flagged: the one line counts the items
        [line] = [r.getMessage() for r in mtsum_lines if "degraded" in r.getMessage()]
        assert line.startswith(f"/translate: {degraded} of 5000 item(s) degraded")
