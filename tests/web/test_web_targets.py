"""The page tells the truth: targets reachable from the source, downloads marked, examples that
can run, a dropdown that cannot be typed into a broken value, and errors in a visitor's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from mtsum import ConfigError, InputError, ModelUnavailableError, Pipeline, Settings
from mtsum.errors import TextTooLongError
from mtsum.web.page.events import targets_for
from mtsum.web.page.examples import EXAMPLES
from mtsum.web.page.handlers import Handlers
from mtsum.web.page.targets import (
    NEEDS_DOWNLOAD,
    runnable_examples,
    target_choices,
    target_value,
)
from mtsum.web.page.ui import build_demo
from mtsum.web.page.wording import web_message


def _codes(choices: list[tuple[str, str]]) -> list[str]:
    return sorted(code for _, code in choices)


def test_before_detection_every_routable_language_is_a_target(pipeline: Pipeline) -> None:
    choices = target_choices(pipeline, None)
    assert _codes(choices) == pipeline.registry.languages()
    assert not any(NEEDS_DOWNLOAD in label for label, _ in choices)  # all tiny models are here


def test_a_source_offers_only_what_it_reaches_and_itself_as_summary_only(
    pipeline: Pipeline,
) -> None:
    choices = dict((code, label) for label, code in target_choices(pipeline, "fr"))
    assert set(choices) == {"fr", *pipeline.registry.targets("fr")}
    assert "summary only" in choices["fr"]


def test_targets_whose_model_is_not_here_are_marked(
    settings: Settings, registry_variant: Callable[..., Path]
) -> None:
    registry = registry_variant(translation={"fr-en": "Helsinki-NLP/opus-mt-fr-en"})
    pipeline = Pipeline(settings.replace(registry_path=registry))
    labels = {code: label for label, code in target_choices(pipeline, "fr")}
    assert labels["en"] == f"English (en) · {NEEDS_DOWNLOAD}"
    assert labels["de"].endswith(NEEDS_DOWNLOAD)  # fr -> en -> de needs fr-en too
    before = {code: label for label, code in target_choices(pipeline, None)}
    assert NEEDS_DOWNLOAD not in before["en"]  # German and others still reach English


def test_the_target_kept_is_the_current_one_if_offered() -> None:
    choices = [("German (de)", "de"), ("English (en)", "en")]
    assert target_value(choices, "de") == "de"
    assert target_value(choices, "xx") == "en"
    assert target_value([("German (de) · needs a download", "de"), ("Italian", "it")], "x") == "it"


def test_the_detected_language_narrows_the_targets(pipeline: Pipeline) -> None:
    update = targets_for(Handlers(pipeline))
    detected: Any = update("auto", "de", {"detection": {"language": "fr"}})
    assert isinstance(detected, gr.Dropdown)
    assert {code for _, code in detected.choices} == {"fr", *pipeline.registry.targets("fr")}
    assert detected.value == "de"


def test_examples_offer_only_pairs_the_registry_routes(pipeline: Pipeline) -> None:
    offered = runnable_examples(pipeline, EXAMPLES)
    assert offered and len(offered) < len(EXAMPLES)  # the tiny registry has no ru or zh
    assert all(pipeline.registry.can_route(e.language, e.target) for e in offered)


def test_the_language_dropdowns_take_no_typed_values(pipeline: Pipeline) -> None:
    config = build_demo(pipeline).get_config_file()
    dropdowns = {
        c["props"].get("elem_id"): c["props"]
        for c in config["components"]
        if c.get("type") == "dropdown"
    }
    assert dropdowns["mtsum-target"]["allow_custom_value"] is False
    assert dropdowns["mtsum-source"]["allow_custom_value"] is False


def test_web_messages_name_no_setting_or_command() -> None:
    errors: list[Exception] = [
        TextTooLongError(120_000, 100_000),
        InputError("report.txt is 30.0 MB, over the upload limit of 20 MB (MTSUM_MAX_UPLOAD_MB)"),
        ConfigError("MTSUM_ENGINE='x' is not one of auto, transformers"),
        ModelUnavailableError("Helsinki-NLP/opus-mt-fr-en", "offline", "fr-en"),
    ]
    for exc in errors:
        title, message = web_message(exc)
        assert title and message
        assert "MTSUM_" not in message and "mtsum models" not in message, message
    assert "over the limit of 100,000" in web_message(errors[0])[1]
    assert "over the upload limit of 20 MB" in web_message(errors[1])[1]
