"""Hostile and broken documents are refused quickly, as InputErrors that say what to do."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from mtsum.documents import parse_file, translate_file
from mtsum.documents.base import MAX_ZIP_MEMBERS
from mtsum.errors import InputError
from mtsum.request import Request
from tests.support.docbuilders import UpperPipeline, make_report_docx


def _rewrite_docx(body: bytes) -> bytes:
    """The report's zip with its document.xml body replaced."""
    source = zipfile.ZipFile(io.BytesIO(make_report_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head = data.split(b"<w:body>")[0]
                data = head + b"<w:body>" + body + b"<w:sectPr/></w:body></w:document>"
            archive.writestr(info.filename, data)
    return out.getvalue()


def test_a_docx_with_a_million_runs_is_refused_quickly() -> None:
    data = _rewrite_docx(b"<w:p>" + b"<w:r><w:t>a</w:t></w:r>" * 1_000_000 + b"</w:p>")
    start = time.perf_counter()
    with pytest.raises(InputError, match="pieces of formatted text"):
        parse_file(data, "runs.docx")
    assert time.perf_counter() - start < 5


def test_a_zip_with_too_many_members_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"word/media/{index}.xml", b"")
    with pytest.raises(InputError, match="parts"):
        parse_file(buffer.getvalue(), "many.docx")


def test_a_truncated_docx_is_an_input_error() -> None:
    with pytest.raises(InputError, match="docx"):
        translate_file(UpperPipeline(), make_report_docx()[:2000], "cut.docx", Request(target="en"))


def test_a_docx_without_its_document_part_is_an_input_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    with pytest.raises(InputError, match="could not be read as a docx file"):
        translate_file(UpperPipeline(), buffer.getvalue(), "odd.docx", Request(target="en"))


def test_deeply_nested_html_translates_without_recursion_error() -> None:
    html = ("<div>" * 3000 + "Profond." + "</div>" * 3000).encode()
    out = translate_file(UpperPipeline(), html, "deep.html", Request(target="en"))
    assert b"PROFOND." in out.data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sheet.xlsx", b"PK\x03\x04", "not supported"),
        ("bad.srt", b"1\nnot a timestamp\nhello\n", "could not be read as a srt file"),
        ("binary.md", b"\x00\x01\x02" * 100, "binary"),
        ("latin.txt", "café".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_input_errors(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        translate_file(UpperPipeline(), data, name, Request(target="en"))
