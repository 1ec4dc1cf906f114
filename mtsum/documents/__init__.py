"""Documents people actually have: read them as text, or translate them and get them back.

Each format has one reader that turns a file into an ordered list of translatable units (a
paragraph's text, a subtitle cue, an HTML text node) and a writer that rebuilds the same file
from the translated units; the core (``translation``) never sees a file format. Readers use
well-kept libraries: python-docx, Beautiful Soup (through ``markup``), markdown-it-py,
srt, pypdf, python-pptx, odfpy, ebooklib (with lxml).

    base.py          ParsedFile (units in, units out), distribute(), zip-bomb checks
    textfile.py      .txt
    markup.py        HTML's text nodes out and back in (also REST's format=html)
    htmlfile.py      .html (tags, attributes kept; <html lang> updated)
    markdownfile.py  .md (only text spans replaced)
    docxfile.py      .docx (styles, runs, links, tables, lists, headers, footers kept)
    srtfile.py       .srt (cue numbers and timings identical)
    pdffile.py       .pdf (text layer; written back as .docx)
    pptxfile.py      .pptx (text frames, tables, notes; runs, links and layout kept)
    odffile.py       .odt, .odp (paragraphs, spans, headings, lists, tables)
    epubfile.py      .epub (every XHTML chapter; dc:language updated; images, styles kept)
    formats.py       which reader reads which suffix; plain text for text-only faces
    translation.py   translate_file(): a file in, the same file in another language out
"""

from __future__ import annotations

from .base import ParsedFile
from .formats import SUPPORTED_SUFFIXES, ExtractedText, extract_text, parse_file, read_document
from .translation import MEDIA_TYPES, TranslatedFile, Translates, output_suffix, translate_file

__all__ = [
    "MEDIA_TYPES",
    "SUPPORTED_SUFFIXES",
    "ExtractedText",
    "ParsedFile",
    "TranslatedFile",
    "Translates",
    "extract_text",
    "output_suffix",
    "parse_file",
    "read_document",
    "translate_file",
]
