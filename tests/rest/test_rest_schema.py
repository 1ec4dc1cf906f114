"""Schemathesis drives /translate, /detect, /summarize and /translate_file from the served schema.

Requests valid by the schema and requests deliberately invalid (negative mode), as JSON and as
form data, must never get a 500, and every answer must match what the schema documents
(status code, content type, body). Bounded (a few dozen examples per case, derandomised) so it
runs in seconds and the same way in every run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mtsum import Pipeline
from mtsum.web import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def schema(pipeline: Pipeline) -> Iterator[schemathesis.BaseSchema]:
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(pipeline=pipeline))


@pytest.mark.parametrize("path", ["/translate", "/detect", "/summarize", "/translate_file"])
@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_no_server_errors_and_answers_match_the_schema(
    schema: schemathesis.BaseSchema, path: str, mode: schemathesis.GenerationMode
) -> None:
    operation = schema[path]["POST"]
    examples = {"/summarize": 15, "/translate_file": 10}.get(path, 25)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    check()
