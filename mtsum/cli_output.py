"""What the ``mtsum`` command reads and prints: input from a file or standard input, readable
results, JSON, one-line errors and warnings on standard error, and progress bars.

Printing is this module's job (it is the command's face), so ``print`` is fine here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .errors import InputError
from .inputs import decode_text, read_text_file
from .languages import language_name
from .pipeline import Pipeline
from .pipeline_stream import Routed
from .progress import ProgressFn, counts_bytes
from .request import Request
from .results import Detection, Flag, Paragraph, Result, Segment, Translation

if TYPE_CHECKING:
    from .articles import Article

__all__ = [
    "ProgressBars",
    "format_detection",
    "format_head",
    "format_result",
    "format_tail",
    "is_link",
    "print_error",
    "print_flags",
    "print_json",
    "print_serving",
    "print_warnings",
    "read_input",
    "read_source",
    "stream_run",
    "stream_translation",
    "with_article",
    "write_stream",
]


def read_input(file: str) -> str:
    if file == "-":
        if sys.stdin is None:
            raise InputError("no standard input to read; give a FILE")
        if sys.stdin.isatty():
            print("mtsum: reading the text from the terminal; end it with Ctrl-D", file=sys.stderr)
        return decode_text(sys.stdin.buffer.read(), "standard input")
    return read_text_file(file)


def is_link(file: str) -> bool:
    """Whether a command's FILE argument is a web link rather than a file name."""
    return file.lower().startswith(("http://", "https://"))


def read_source(file: str, pipeline: Pipeline) -> tuple[str, Article | None]:
    """The text of FILE, or of the article a link leads to (shown on standard error before
    any work starts, so the user sees what will be translated)."""
    if not is_link(file):
        return read_input(file), None
    article = pipeline.fetch_article(file)
    byline = ", ".join(part for part in (article.author, article.date) if part)
    print(f"mtsum: article: {article.title or '(no title)'}", file=sys.stderr)
    print(
        f"mtsum: {byline + '; ' if byline else ''}{len(article.text.split())} words "
        f"from {article.final_url}",
        file=sys.stderr,
    )
    return article.text, article


def with_article(article: Article | None, result: Any) -> Any:
    """A ``Result`` (or a translation's JSON) recording the article's link and title."""
    if article is None:
        return result
    if isinstance(result, Result):
        return article.attach(result)
    return {"source_url": article.url, "title": article.title, **result}


def print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"mtsum: warning: {warning}", file=sys.stderr)


def print_flags(flags: Sequence[Flag], what: str) -> None:
    """One line on standard error per flagged sentence (sentences counted from 1)."""
    for flag in flags:
        print(
            f"mtsum: flag: {what} sentence {flag.sentence + 1} ({flag.kind}): {flag.detail}",
            file=sys.stderr,
        )


def print_serving(url: str) -> None:
    print(f"mtsum: serving on {url} (API docs: {url}docs); Ctrl-C stops it", flush=True)


def print_error(message: str) -> None:
    print(f"mtsum: error: {' '.join(message.split())}", file=sys.stderr)


def format_detection(detection: Detection) -> str:
    if detection.given:
        return f"{detection.language}  {language_name(detection.language)}  (given)\n"
    return "".join(
        f"{c.language}  {language_name(c.language)}  {c.probability:.4f}\n"
        for c in detection.candidates
    )


def format_result(result: Result) -> str:
    translation = result.translation
    head = format_head(result.detection, translation.target, translation.route)
    return head + translation.text.rstrip("\n") + "\n" + format_tail(result)


def format_head(detection: Detection, target: str, route: Sequence[str]) -> str:
    """``run``'s text output up to the translation itself (known once the language is)."""
    how = "given" if detection.given else f"probability {detection.probability:.2f}"
    if not detection.reliable:
        how += ", unreliable"
    hops = " → ".join([detection.language, *[hop.split("-")[1] for hop in route]])
    lines = [
        f"Language:  {language_name(detection.language)} ({detection.language}), {how}",
        f"Route:     {hops if route else f'none (already in {target})'}",
        "",
        *section(f"Translation ({target})", "")[:2],
    ]
    return "\n".join(lines) + "\n"


def format_tail(result: Result) -> str:
    """``run``'s text output after the translation: models, doubtful sentences, summary."""
    translation, summary = result.translation, result.summary
    lines = []
    if translation.models:
        lines += ["", f"Models:    {', '.join(translation.models)}"]
    if translation.flags:
        title = f"Sentences that may be wrong ({len({f.sentence for f in translation.flags})})"
        lines += [
            "",
            *section(title, "\n".join(_flag_lines(translation.flags, translation.segments))),
        ]
    title = f"Summary ({summary.language}, {summary.method}, {summary.words} words)"
    lines += ["", *section(title, summary.text)]
    if summary.sources:
        lines.append(f"Sources:   {_sources_line(summary.sources)}")
    for flag in summary.flags:
        lines.append(f"! summary sentence {flag.sentence + 1} ({flag.kind}): {flag.detail}")
    return "\n".join(lines) + "\n"


def stream_run(
    pipeline: Pipeline, text: str, request: Request, progress: ProgressFn | None, out: TextIO
) -> Result:
    """``mtsum run`` in text: the head, each paragraph as it is made, then the rest."""

    def head(routed: Routed) -> tuple[str, bool]:
        route = routed.route or ()  # None: no route, and the stream raises next
        return format_head(routed, routed.target, route), bool(route)

    result = write_stream(pipeline.stream(text, request, progress=progress), out, head)
    if not isinstance(result, Result):  # pragma: no cover - the stream ends so
        raise TypeError("the stream ended without its Result")
    if not result.translation.route:
        out.write(result.translation.text.rstrip("\n") + "\n")
    out.write(format_tail(result))
    return result


def stream_translation(
    pipeline: Pipeline, text: str, request: Request, progress: ProgressFn | None, out: TextIO
) -> Translation:
    """``mtsum translate`` in text: each paragraph as it is made (the text as it was given
    when nothing is to be translated)."""

    def head(routed: Routed) -> tuple[str, bool]:
        return "", bool(routed.route)

    stages = pipeline.stream(text, request, summary=False, progress=progress)
    translation = write_stream(stages, out, head)
    if not isinstance(translation, Translation):  # pragma: no cover - the stream ends so
        raise TypeError("the stream ended without its Translation")
    if not translation.route:
        out.write(translation.text.rstrip("\n") + "\n")
    return translation


def write_stream(
    stages: Iterator[Any], out: TextIO, head: Callable[[Routed], tuple[str, bool]]
) -> Any:
    """Write a ``Pipeline.stream``'s paragraphs to ``out`` as they come; its last value.

    ``head`` gives what to write once the language is known, and whether anything is to be
    translated: if not, no paragraph is written (the caller writes the text as it was given).
    """
    last: Any = None
    streaming, pending = True, ""
    for last in stages:
        if isinstance(last, Routed):  # the stream's Detection, with the checked target and route
            # Written with the first paragraph: a model that fails to load leaves no output.
            pending, streaming = head(last)
        elif isinstance(last, Paragraph) and streaming:
            out.write(pending + ("\n\n" if last.index else "") + last.text.rstrip("\n"))
            pending = ""
            out.flush()
    out.write(pending + ("\n" if streaming else ""))
    out.flush()
    return last


_QUOTE_CHARS = 60


def _flag_lines(flags: Sequence[Flag], segments: Sequence[Segment]) -> list[str]:
    """Each flagged sentence once, numbered from 1, with its reasons and a glimpse of both sides."""
    by_sentence: dict[int, list[Flag]] = {}
    for flag in flags:
        by_sentence.setdefault(flag.sentence, []).append(flag)
    lines = []
    for index, found in by_sentence.items():
        lines.append(
            f"! sentence {index + 1}: " + "; ".join(f"{f.kind}: {f.detail}" for f in found)
        )
        if index < len(segments):
            segment = segments[index]
            lines.append(f"    {_quote(segment.source)} → {_quote(segment.text)}")
    return lines


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1] + '…'}”"


def _sources_line(sources: Sequence[Sequence[int]]) -> str:
    """ "1 ← 2, 5; 2 ← 7": each summary sentence and the text sentences it rests on (from 1)."""
    parts = []
    for number, indices in enumerate(sources, start=1):
        found = ", ".join(str(i + 1) for i in indices) if indices else "none found"
        parts.append(f"{number} ← {found}")
    return "; ".join(parts)


def section(title: str, body: str) -> list[str]:
    return [title, "─" * len(title), body.rstrip("\n")]


class ProgressBars:
    """A tqdm bar on standard error per stage, shown on a terminal or when asked."""

    def __init__(self, args: argparse.Namespace) -> None:
        enabled = args.progress if args.progress is not None else sys.stderr.isatty()
        self.enabled = bool(enabled)
        self.bar: Any = None
        self.label: str | None = None

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        return self.update if self.enabled else None

    def update(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if label != self.label:
            self._close()
            if counts_bytes(label):  # a download: bytes, shown as kB/MB
                units: dict[str, Any] = {"unit": "B", "unit_scale": True, "unit_divisor": 1024}
            else:
                units = {"unit": "seg"}
            self.bar = tqdm(total=total, desc=label, file=sys.stderr, leave=False, **units)
            self.label = label
        self.bar.total = total  # a download's total grows as each file's size is known
        self.bar.n = done
        self.bar.refresh()

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()
