"""Terms through the real pipeline: repaired or flagged (never lost), pivots, memory, documents.

A copying engine (tests/support/copying.py) gives every word of the output, and mangles the
placeholders in each way models do; the tiny random models show that real, garbling models
still give every protected span back or flag its sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtsum import Pipeline, Request, Settings
from mtsum.documents import extract_text, translate_file
from mtsum.models import ModelStore
from mtsum.terms import TermMatcher, find_spans, glossary_from_pairs, missing_detail
from tests.support import copying
from tests.support.copying import MANGLES, CopyingLoader

TEXT = "Le Conseil municipal a voté le budget.\n\nVous avez %1$s messages de {name} sur https://example.org/a."
TERMS = {"Conseil municipal": "city council"}


def _pipeline(settings: Settings, loader: CopyingLoader, **changes: object) -> Pipeline:
    settings = settings.replace(**changes) if changes else settings
    return Pipeline(settings, store=ModelStore(settings, loader=loader))


@pytest.mark.parametrize("mangle", list(MANGLES))
def test_each_mangled_placeholder_is_repaired(settings: Settings, mangle: str) -> None:
    pipeline = _pipeline(settings, CopyingLoader(MANGLES[mangle]), translation_memory="off")
    translation = pipeline.translate(TEXT, request=Request("en", "fr", glossary=TERMS))
    assert "city council" in translation.text
    for span in ("%1$s", "{name}", "https://example.org/a"):
        assert span in translation.text
    assert "Conseil municipal" not in translation.text
    assert "[" not in translation.text
    assert [f for f in translation.flags if f.kind == "term"] == []
    assert len(translation.text.split("\n\n")) == 2


def test_a_dropped_placeholder_flags_its_sentence_in_words(settings: Settings) -> None:
    pipeline = _pipeline(settings, CopyingLoader(copying.dropped), translation_memory="off")
    translation = pipeline.translate(TEXT, request=Request("en", "fr", glossary=TERMS))
    terms = [(f.sentence, f.detail) for f in translation.flags if f.kind == "term"]
    assert (0, "'Conseil municipal' should read 'city council'; the model dropped it") in terms
    assert {sentence for sentence, _ in terms} == {0, 1}
    assert any("the placeholder '%1$s' should come back unchanged" in d for _, d in terms)
    assert any("missing terms or protected spans" in w for w in translation.warnings)


def test_a_pivot_protects_at_the_first_hop_and_writes_the_target_term_at_the_last(
    settings: Settings,
) -> None:
    loader = CopyingLoader()
    pipeline = _pipeline(settings, loader, translation_memory="off")
    glossary = {"Conseil municipal": "Stadtrat"}
    translation = pipeline.translate(TEXT, request=Request("de", "fr", glossary=glossary))
    assert translation.route == ("fr-en", "en-de")
    assert "Stadtrat" in translation.text
    for hop in ("fr-en", "en-de"):
        seen = " ".join(loader.inputs[hop])
        assert "Conseil municipal" not in seen and "Stadtrat" not in seen, hop
        assert "%1$s" not in seen and "https://" not in seen, hop
        assert "[1]" in seen


def test_an_inflected_form_matches_a_stem_entry(settings: Settings) -> None:
    pipeline = _pipeline(settings, CopyingLoader(), translation_memory="off")
    text = "Die Sitzung des Gemeinderats war kurz."
    plain = pipeline.translate(text, request=Request("en", "de", glossary={"Gemeinderat": "x"}))
    assert "Gemeinderats" in plain.text  # not a stem: the inflected form is left alone
    stem = pipeline.translate(
        text, request=Request("en", "de", glossary={"Gemeinderat*": "city council"})
    )
    assert "city council" in stem.text and "Gemeinderat" not in stem.text


def test_kept_terms_come_back_as_they_are(settings: Settings) -> None:
    loader = CopyingLoader(copying.space_inside)
    pipeline = _pipeline(settings, loader, translation_memory="off")
    text = "Les combats au Nagorno-Karabakh continuent."
    translation = pipeline.translate(text, request=Request("en", "fr", keep=["Nagorno-Karabakh"]))
    assert "Nagorno-Karabakh" in translation.text
    assert "Nagorno-Karabakh" not in " ".join(loader.inputs["fr-en"])


def test_the_memory_never_serves_a_sentence_cached_under_another_glossary(
    settings: Settings, tmp_path: Path
) -> None:
    loader = CopyingLoader()
    pipeline = _pipeline(settings, loader, translation_memory="memory", model_dir=tmp_path)
    text = "Le Conseil municipal a voté."
    first = pipeline.translate(text, request=Request("en", "fr"))
    assert "Conseil municipal" in first.text
    with_terms = pipeline.translate(text, request=Request("en", "fr", glossary=TERMS))
    assert "city council" in with_terms.text
    other = pipeline.translate(
        text, request=Request("en", "fr", glossary={"Conseil municipal": "town board"})
    )
    assert "town board" in other.text
    again = pipeline.translate(text, request=Request("en", "fr", glossary=TERMS))
    assert again.text == with_terms.text
    # Three distinct keys went to the engine (no glossary, and one per glossary); the repeat hit.
    assert len(loader.inputs["fr-en"]) == 3


def test_glossary_terms_apply_inside_documents(settings: Settings) -> None:
    pipeline = _pipeline(settings, CopyingLoader(), translation_memory="off")
    markdown = (
        "# Le Conseil municipal\n\nLe Conseil municipal a voté.\n\n"
        "```\nConseil municipal = code\n```\n"
    )
    out = translate_file(pipeline, markdown.encode(), "n.md", Request("en", "fr", glossary=TERMS))
    text = out.data.decode()
    assert text.count("city council") == 2
    assert "Conseil municipal = code" in text  # code is never translated
    subtitles = "1\n00:00:01,000 --> 00:00:02,000\nLe Conseil municipal siège.\n"
    srt = translate_file(pipeline, subtitles.encode(), "s.srt", Request("en", "fr", glossary=TERMS))
    assert "city council" in srt.data.decode()
    html = (
        '<p>Le Conseil municipal <span translate="no">Conseil municipal</span></p>'
        '<p class="notranslate">Le Conseil   municipal</p>'
    )
    page = translate_file(pipeline, html.encode(), "p.html", Request("en", "fr", glossary=TERMS))
    written = page.data.decode()
    assert '<span translate="no">Conseil municipal</span>' in written
    assert '<p class="notranslate">Le Conseil   municipal</p>' in written
    assert "city council" in written


def test_glossary_terms_apply_inside_docx_runs(settings: Settings) -> None:
    from tests.support.docbuilders import make_report_docx

    pipeline = _pipeline(settings, CopyingLoader(), translation_memory="off")
    glossary = {"rapport annuel": "annual report", "budget nouveau": "new budget"}
    out = translate_file(
        pipeline, make_report_docx(), "r.docx", Request("en", "fr", glossary=glossary)
    )
    text = extract_text(out.data, "r.docx").text
    assert "annual report" in text and "new budget" in text
    assert "rapport annuel" not in text


def test_real_models_give_every_protected_span_back_or_flag_it(pipeline: Pipeline) -> None:
    glossary = glossary_from_pairs(TERMS, keep=["Nagorno-Karabakh"])
    request = Request("en", "fr", glossary=TERMS, keep=["Nagorno-Karabakh"])
    translation = pipeline.translate(TEXT + " Nagorno-Karabakh.", request=request)
    matcher = TermMatcher(glossary)
    for index, segment in enumerate(translation.segments):
        details = {f.detail for f in translation.flags if f.sentence == index}
        for span in find_spans(segment.source, matcher):
            assert span.output in segment.text or missing_detail(span) in details, span


def test_the_summary_of_a_pivot_run_writes_the_target_term(settings: Settings) -> None:
    loader = CopyingLoader()
    pipeline = _pipeline(settings, loader, translation_memory="off")
    request = Request("de", "fr", method="abstractive", glossary={"Conseil municipal": "Stadtrat"})
    result = pipeline.run("Le Conseil municipal a voté le budget.", request=request)
    # The English summary comes from the pivot text, which holds the source term; the summary's
    # translation into German protects it and writes the target term.
    assert result.summary.language == "de"
    assert "Stadtrat" in result.summary.text, result.summary
    assert "Conseil municipal" not in result.summary.text
