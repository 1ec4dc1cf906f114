"""``mtsum translate FILE -o OUT``: a document translated and written back in its own format.

Kept beside the command's other output code so that ``cli.py`` stays the argument parser. The
input's suffix chooses the reader, OUT's suffix the writer (the input's own format, ``.txt``,
or ``.docx`` for a PDF); ``-o -`` writes the translated text to standard output: the document
itself for text formats (``.txt``, ``.md``, ``.html``, ``.srt``), its plain text for ``.docx``
and ``.pdf``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from .cli_output import ProgressBars, is_link, print_flags, print_json, print_warnings
from .documents import output_suffix, translate_file
from .errors import InputError
from .inputs import read_file_bytes, read_glossary_file
from .languages import language_name
from .pipeline import Pipeline
from .request import Request

__all__ = ["translate_to_file"]

_TEXT_SUFFIXES = (".txt", ".md", ".html", ".srt")


def term_options(sub: argparse.ArgumentParser) -> None:
    """``--glossary FILE`` and ``--keep TERM`` (run, translate, batch)."""
    sub.add_argument(
        "--glossary",
        default=None,
        metavar="FILE",
        help="terms to translate one fixed way: a TSV file (source<TAB>target a line) or a "
        "CSV with a header naming source and target; a source ending in * is a stem",
    )
    sub.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="TERM",
        help="a term to leave as it is (a name, a product); repeat for more",
    )


def terms_of(args: argparse.Namespace) -> dict[str, Any]:
    """``Request``'s ``glossary`` (read from ``--glossary FILE``) and ``keep`` (``--keep``).

    Raises:
        InputError: the glossary file is unreadable, too big, or has a bad line (named).
    """
    return {
        "glossary": read_glossary_file(getattr(args, "glossary", None)),
        "keep": tuple(getattr(args, "keep", ())),
    }


def translate_to_file(
    args: argparse.Namespace, pipeline: Pipeline, request: Request, out: TextIO
) -> None:
    """Translate the document ``args.file`` by ``request`` and write it to ``args.output``.

    Raises:
        InputError: unreadable input, an output format the input cannot become, an output
            that cannot be written, or ``--json`` together with ``-o -``.
    """
    to_stdout = args.output == "-"
    if to_stdout and args.json:
        raise InputError("--json and -o - both write to standard output; give -o a file name")
    data, name = _read(args.file, args.output)
    if to_stdout:
        own = output_suffix(name)
        suffix = own if own in _TEXT_SUFFIXES else ".txt"
    else:
        _refuse_overwriting_input(args.file, args.output)
        suffix = output_suffix(name, Path(args.output).suffix)
    with ProgressBars(args) as progress:
        translated = translate_file(pipeline, data, name, request, suffix=suffix, progress=progress)
    if to_stdout:
        out.write(translated.data.decode("utf-8"))
    else:
        try:
            Path(args.output).write_bytes(translated.data)
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        translation = translated.translation
        sys.stderr.write(
            f"mtsum: wrote {args.output}: {translated.kind} ({translated.suffix}), "
            f"{translated.units:,} part(s) translated from {language_name(translation.source)} "
            f"into {language_name(translation.target)}, {len(translated.data):,} bytes\n"
        )
    if args.json:
        print_json(translated.to_dict(), out)
    print_warnings(translated.warnings)
    print_flags(translated.translation.flags, "translation")


def _read(file: str, output: str) -> tuple[bytes, str]:
    """The input's bytes and the name whose suffix chooses its reader."""
    if is_link(file):
        raise InputError(
            "a link is translated as text: leave out -o (redirect the output to a file instead)"
        )
    if file != "-":
        return read_file_bytes(file), Path(file).name
    if sys.stdin is None:
        raise InputError("no standard input to read; give a FILE")
    # Standard input has no name: it is read in the format that OUT names (text for '-').
    suffix = Path(output).suffix if output != "-" else ".txt"
    return sys.stdin.buffer.read(), f"standard input{suffix}"


def _refuse_overwriting_input(file: str, output: str) -> None:
    if file != "-" and Path(output).exists() and Path(output).resolve() == Path(file).resolve():
        raise InputError(f"-o {output} is the input file itself; write the translation elsewhere")
