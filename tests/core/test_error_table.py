"""The one error table: every face answers an error type the same way, and says each thing once."""

from __future__ import annotations

import logging

import pytest

from mtsum import (
    ConfigError,
    InputError,
    ModelUnavailableError,
    MtsumError,
    Pipeline,
    TextTooLongError,
    UnsupportedLanguageError,
)
from mtsum.error_table import BUG, TABLE, answer_for
from tests.support.texts import SAMPLES


@pytest.mark.parametrize(
    ("error", "status", "exit_code"),
    [
        (TextTooLongError(10, 5), 413, 2),
        (InputError("bad"), 400, 2),
        (UnsupportedLanguageError("no route"), 400, 2),
        (ModelUnavailableError("m", "gone", "fr-en"), 503, 3),
        (ConfigError("bad setting"), 500, 2),
        (MtsumError("other"), 500, 2),
    ],
)
def test_each_error_type_has_the_contracts_status_and_exit_code(
    error: MtsumError, status: int, exit_code: int
) -> None:
    answer = answer_for(error)
    assert (answer.status, answer.exit_code) == (status, exit_code)


def test_anything_else_is_a_bug() -> None:
    assert answer_for(ZeroDivisionError()) is BUG
    assert (BUG.status, BUG.exit_code) == (500, 1)


def test_more_specific_rows_come_first() -> None:
    kinds = [kind for kind, _ in TABLE]
    for index, kind in enumerate(kinds):
        assert not any(issubclass(kind, earlier) for earlier in kinds[:index]), kind


def test_a_server_setting_is_logged_loudly_and_a_bad_input_quietly() -> None:
    assert answer_for(ConfigError("x")).log_level == logging.ERROR
    assert answer_for(InputError("x")).log_level == logging.INFO


def test_a_missing_route_says_each_thing_once(pipeline: Pipeline) -> None:
    with pytest.raises(UnsupportedLanguageError) as caught:
        pipeline.run(SAMPLES["ru"], target="en")
    message = str(caught.value)
    assert message.count("translate") == 1, message  # once, not "cannot translate from" too
    assert message.count("'ru'") == 1, message
    assert "no model route" in message


def test_rest_rewords_a_missing_route_without_nesting(pipeline: Pipeline) -> None:
    from mtsum import Request
    from mtsum.web.rest import service

    with pytest.raises(UnsupportedLanguageError) as caught:
        service.translate_items(
            pipeline, [SAMPLES["ru"]], Request(target="en"), "text", batch=False
        )
    message = str(caught.value)
    assert "seems to be in Russian (ru)" in message
    assert message.count("translate") == 1, message
