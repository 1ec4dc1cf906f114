"""Hostile and broken slides, OpenDocument files and e-books are refused fast, as InputErrors."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable

import pytest

from mtsum.documents import parse_file, translate_file
from mtsum.documents.base import MAX_UNPACKED_BYTES, MAX_ZIP_MEMBERS
from mtsum.errors import InputError
from mtsum.request import Request
from tests.support.docbuilders import (
    UpperPipeline,
    make_book_epub,
    make_deck_pptx,
    make_press_odt,
)

_BUILDERS: dict[str, Callable[[], bytes]] = {
    "deck.pptx": make_deck_pptx,
    "press.odt": make_press_odt,
    "book.epub": make_book_epub,
}
# A refusal on the raw bytes takes milliseconds; generous for a busy 2-core machine.
_FAST_SECONDS = 5


def _rewritten(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """300 MB of zeros, compressed to about 300 KB (built once: compressing takes seconds)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"\0" * (MAX_UNPACKED_BYTES + 100 * 2**20))
    return out.getvalue()


@pytest.mark.parametrize("name", list(_BUILDERS))
def test_a_zip_bomb_is_refused_before_parsing(name: str, zip_bomb: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(InputError, match="unpacks to"):
        parse_file(zip_bomb, name)
    assert time.perf_counter() - start < _FAST_SECONDS


@pytest.mark.parametrize("name", list(_BUILDERS))
def test_too_many_members_are_refused(name: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"part/{index}.xml", b"")
    with pytest.raises(InputError, match="parts"):
        parse_file(out.getvalue(), name)


@pytest.mark.parametrize("name", list(_BUILDERS))
def test_a_broken_zip_is_an_input_error(name: str) -> None:
    data = _BUILDERS[name]()
    for broken in (b"not a zip at all", data[: len(data) // 2]):
        with pytest.raises(InputError, match=name):
            translate_file(UpperPipeline(), broken, name, Request(target="en"))


@pytest.mark.parametrize("name", list(_BUILDERS))
def test_a_zip_without_the_document_is_an_input_error(name: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", b"hi")
    with pytest.raises(InputError, match=name):
        translate_file(UpperPipeline(), out.getvalue(), name, Request(target="en"))


def test_a_deck_with_a_million_runs_is_refused_quickly() -> None:
    runs = b"<a:r><a:t>a</a:t></a:r>" * 1_000_000
    data = _rewritten(
        make_deck_pptx(),
        "ppt/slides/slide1.xml",
        lambda xml: xml.replace(b"</p:cSld>", runs + b"</p:cSld>"),
    )
    start = time.perf_counter()
    with pytest.raises(InputError, match="pieces of formatted text"):
        parse_file(data, "runs.pptx")
    assert time.perf_counter() - start < _FAST_SECONDS


def test_an_odt_with_a_million_tags_is_refused_quickly() -> None:
    tags = b"<text:p>a</text:p>" * 1_000_000
    data = _rewritten(
        make_press_odt(),
        "content.xml",
        lambda xml: xml.replace(b"</office:text>", tags + b"</office:text>"),
    )
    start = time.perf_counter()
    with pytest.raises(InputError, match="XML tags"):
        parse_file(data, "tags.odt")
    assert time.perf_counter() - start < _FAST_SECONDS


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("press.odt", "content.xml"),
        ("deck.pptx", "ppt/slides/slide1.xml"),
        ("book.epub", "EPUB/chap1.xhtml"),
    ],
)
def test_entity_declarations_are_refused(name: str, member: str) -> None:
    laughs = b'<!DOCTYPE x [<!ENTITY a "hahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'

    def bomb(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"?>")
        return head + b"?>" + laughs + rest

    data = _rewritten(_BUILDERS[name](), member, bomb)
    with pytest.raises(InputError, match="entities"):
        parse_file(data, name)


def test_an_odt_nested_absurdly_deep_is_refused_before_odfpy_reads_it() -> None:
    deep = b"<text:span>" * 50_000 + b"mot" + b"</text:span>" * 50_000
    data = _rewritten(
        make_press_odt(),
        "content.xml",
        lambda xml: xml.replace(b"</office:text>", b"<text:p>" + deep + b"</text:p></office:text>"),
    )
    start = time.perf_counter()
    with pytest.raises(InputError, match="nested too deeply"):
        parse_file(data, "deep.odt")
    assert time.perf_counter() - start < _FAST_SECONDS


def test_an_epub_chapter_nested_absurdly_deep_is_kept_and_said() -> None:
    deep = b"<div>" * 5000 + b"profond" + b"</div>" * 5000
    data = _rewritten(
        make_book_epub(), "EPUB/chap1.xhtml", lambda xml: xml.replace(b"<body>", b"<body>" + deep)
    )
    translated = translate_file(UpperPipeline(), data, "deep.epub", Request(target="en"))
    assert any("chap1.xhtml is not well-formed" in w for w in translated.warnings)
