"""The page's progress bar: a download in megabytes, with the model's name."""

from __future__ import annotations

from typing import Any

MB = 2**20


def test_the_page_shows_a_download_in_megabytes_with_the_model_name() -> None:
    from mtsum.web.page.handlers import _reporter

    calls: list[tuple[Any, dict[str, Any]]] = []

    def progress(value: Any, **kwargs: Any) -> None:
        calls.append((value, kwargs))

    _reporter(progress)("downloading fr-en (Org/fr-en)", 5 * MB, 10 * MB)  # type: ignore[arg-type]
    assert calls == [((5.0, 10.0), {"desc": "downloading fr-en (Org/fr-en)", "unit": "MB"})]
