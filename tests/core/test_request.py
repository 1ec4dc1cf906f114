"""``mtsum.Request``: frozen, normalised once by the pipeline, and what every face hands over."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

import mtsum
from mtsum import InputError, Pipeline, Request, UnsupportedLanguageError
from mtsum.batch_mode import BatchOptions, iter_batch
from mtsum.cli import main
from mtsum.web.page.handlers import Handlers
from mtsum.web.rest import service
from tests.support.texts import SAMPLES

FRENCH = SAMPLES["fr"]


def test_request_is_frozen_with_the_contract_defaults_in_order() -> None:
    request = Request()
    assert [f.name for f in dataclasses.fields(Request)][:4] == [
        "target",
        "source",
        "words",
        "method",
    ]
    assert (request.target, request.source, request.words, request.method) == (
        "en",
        None,
        None,
        "abstractive",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.target = "de"  # type: ignore[misc]


def test_request_is_exported() -> None:
    assert mtsum.Request is Request
    assert "Request" in mtsum.__all__


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (Request(source="auto"), Request()),
        (Request(source=" AUTO "), Request()),
        (Request(source=""), Request()),
        (Request(words=0), Request()),
        (Request(words=40.0), Request(words=40)),  # type: ignore[arg-type]
        (Request(method=" Extractive "), Request(method="extractive")),
        (Request(target="DE", source="Fr"), Request(target="de", source="fr")),
        (Request(profile=" FAST "), Request(profile="fast")),
        (Request(profile=""), Request()),
    ],
)
def test_normalize_gives_one_canonical_form(
    pipeline: Pipeline, given: Request, expected: Request
) -> None:
    # A request that names no profile gets the pipeline's default (best unless configured).
    expected = dataclasses.replace(expected, profile=expected.profile or "best")
    assert pipeline.normalize(given) == expected
    assert pipeline.normalize(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("request_", "match"),
    [
        (Request(words=-3), "between 1 and"),
        (Request(words=2.5), "whole number"),  # type: ignore[arg-type]
        (Request(words=True), "whole number"),  # type: ignore[arg-type]
        (Request(method="poem"), "expected one of: abstractive, extractive"),
        (Request(profile="quality"), "invalid profile 'quality', expected one of: best, fast"),
        (Request(target="xx"), "not supported"),
        (Request(source="xx"), "not supported"),
    ],
)
def test_normalize_refuses_bad_values_with_the_choices(
    pipeline: Pipeline, request_: Request, match: str
) -> None:
    with pytest.raises(InputError, match=match):
        pipeline.normalize(request_)


def test_a_summary_request_needs_no_supported_target(pipeline: Pipeline) -> None:
    assert pipeline.normalize(Request(target="xx"), languages=False).target == "xx"


@pytest.fixture
def counted(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Request]]:
    """Every request the pipeline normalises, as the faces handed it over."""
    seen: list[Request] = []
    original = Pipeline.normalize

    def normalize(self: Pipeline, request: Request, **kwargs: Any) -> Request:
        seen.append(request)
        return original(self, request, **kwargs)

    monkeypatch.setattr(Pipeline, "normalize", normalize)
    yield seen


def test_a_run_normalises_once(pipeline: Pipeline, counted: list[Request]) -> None:
    pipeline.run(FRENCH, target="de", source="auto", words=0, method="extractive")
    assert counted == [Request(target="de", source="auto", words=0, method="extractive")]


def test_a_list_run_normalises_once_for_all_texts(
    pipeline: Pipeline, counted: list[Request]
) -> None:
    pipeline.run([FRENCH, FRENCH, FRENCH], target="de", method="extractive")
    assert len(counted) == 1


def test_the_page_hands_over_its_raw_values(pipeline: Pipeline, counted: list[Request]) -> None:
    for _ in Handlers(pipeline).run(FRENCH, "de", "auto", 0.0, "extractive", lambda *a, **k: None):
        pass
    assert counted == [Request("de", "auto", 0.0, "extractive")]  # type: ignore[arg-type]


def test_rest_hands_over_one_request(pipeline: Pipeline, counted: list[Request]) -> None:
    body = service.summarize(pipeline, FRENCH, Request("de", "auto", 0, "extractive"))
    assert body["summary"]
    assert counted[0] == Request("de", "auto", 0, "extractive")


def test_batch_checks_its_request_once_before_any_record(
    pipeline: Pipeline, counted: list[Request]
) -> None:
    options = BatchOptions(Request(target="de", method="extractive"), window=4)
    outputs = list(iter_batch([FRENCH, FRENCH], options, pipeline=pipeline))
    assert all("result" in out for out in outputs)
    # one check up front, then the window's own (of the already normal request): no face redoes it
    asked = Request(target="de", method="extractive")
    assert counted == [asked, dataclasses.replace(asked, profile="best")]


def test_batch_refuses_a_bad_request_at_once(pipeline: Pipeline) -> None:
    with pytest.raises(UnsupportedLanguageError):
        iter_batch([FRENCH], BatchOptions(Request(target="xx")), pipeline=pipeline)


def test_the_cli_hands_over_its_options(
    counted: list[Request], monkeypatch: pytest.MonkeyPatch, pipeline: Pipeline, tmp_path: Any
) -> None:
    monkeypatch.setattr("mtsum.cli.Pipeline", lambda settings: pipeline)
    text = tmp_path / "in.txt"
    text.write_text(FRENCH, encoding="utf-8")
    assert main(["run", str(text), "--target", "de", "--method", "extractive"]) == 0
    assert counted == [Request(target="de", method="extractive")]
