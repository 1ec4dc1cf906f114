"""Documents through the real pipeline (tiny random models): structure kept, one shared
translation per document, the character limit and the languages checked as for pasted text."""

from __future__ import annotations

import io
from typing import Any

import pytest

from mtsum import Pipeline, Settings
from mtsum.documents import translate_file
from mtsum.errors import TextTooLongError, UnsupportedLanguageError
from mtsum.request import Request
from mtsum.results import Translation
from tests.support.docbuilders import MARKDOWN, SUBTITLES, make_report_docx


class _Counting:
    """The pipeline, with its translate calls counted."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.calls = 0

    def translate(self, text: str, *, request: Request, progress: Any = None) -> Translation:
        self.calls += 1
        return self.pipeline.translate(text, request=request, progress=progress)


def test_docx_through_the_model_keeps_its_structure(pipeline: Pipeline) -> None:
    import docx

    original = make_report_docx()
    counting = _Counting(pipeline)
    out = translate_file(counting, original, "rapport.docx", Request(target="en", source="fr"))
    before, after = docx.Document(io.BytesIO(original)), docx.Document(io.BytesIO(out.data))
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert [[r.bold for r in p.runs] for p in after.paragraphs] == [
        [r.bold for r in p.runs] for p in before.paragraphs
    ]
    assert len(after.tables) == 1 and len(after.tables[0].rows) == 2
    assert after.tables[0].cell(1, 1).text == "520 000"
    assert out.translation.route == ("fr-en",)
    assert counting.calls == 1
    assert len(out.translation.segments) >= out.units


def test_a_document_into_its_own_language_comes_back_unchanged(pipeline: Pipeline) -> None:
    out = translate_file(pipeline, MARKDOWN.encode(), "note.md", Request(target="fr", source="fr"))
    assert out.data.decode() == MARKDOWN
    assert out.translation.route == ()


def test_srt_through_the_model_keeps_timings(pipeline: Pipeline) -> None:
    import srt

    out = translate_file(
        pipeline, SUBTITLES.encode(), "news.srt", Request(target="en", source="fr")
    )
    after, before = list(srt.parse(out.data.decode())), list(srt.parse(SUBTITLES))
    assert [(s.index, s.start, s.end) for s in after] == [(s.index, s.start, s.end) for s in before]


def test_the_character_limit_applies_to_a_documents_text(settings: Settings) -> None:
    pipeline = Pipeline(settings.replace(max_chars=100))
    text = ("Un paragraphe assez long pour compter.\n\n" * 5).encode()
    with pytest.raises(TextTooLongError):
        translate_file(pipeline, text, "long.txt", Request(target="en", source="fr"))
    assert pipeline.store.loaded() == []


def test_a_bad_target_is_refused_before_any_work(pipeline: Pipeline) -> None:
    with pytest.raises(UnsupportedLanguageError):
        translate_file(
            pipeline, b"Bonjour tout le monde.", "a.txt", Request(target="xx", source="fr")
        )
