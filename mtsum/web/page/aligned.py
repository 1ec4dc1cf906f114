"""The page's aligned view: each sentence of the text beside its translation, the flagged ones
highlighted with their reasons, and the summary's sentences linked to the sentences behind them.

The plain text boxes are for copying; this view is for judging the output sentence by sentence,
which no peer offers (``mtsum.checks``). It is HTML rather than Markdown because it needs rows,
anchors and ``<details>``; every piece of text in it (the visitor's and the models') goes
through ``html.escape``. There is no JavaScript: a pointer reads a flag's reason from the
row's ``title`` on hover, a finger opens the ``<details>`` under the sentence, and "from
sentence 2" is a plain ``#anchor`` link to the row. The view numbers sentences from 1, as the
CLI does (the JSON counts from 0). ``style.py`` lays the rows out: two columns on a wide screen,
stacked on a phone.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...languages import language_name
from ...results import Flag, Segment, Summary, Translation

__all__ = ["aligned_html", "row_id", "summary_row_id"]

_FLAG_MARK = "⚠"


def row_id(index: int) -> str:
    """The HTML id of the text's sentence ``index`` (0-based), the target of summary links."""
    return f"mtsum-s-{index}"


def summary_row_id(index: int) -> str:
    """The HTML id of the summary's sentence ``index`` (0-based)."""
    return f"mtsum-m-{index}"


def aligned_html(
    translation: Translation, summary: Summary | None = None, *, note: str | None = None
) -> str:
    """The aligned view of one run: the summary (when there is one) above the sentence rows.

    Args:
        translation: the translation stage; its segments are the rows, its flags mark them.
            A same-language run (no route) shows each sentence once.
        summary: the summary, once it is done; its sources link to the rows.
        note: one line above the rows, for a run that could not translate (the page's
            degraded answer); by default a same-language run says that nothing was translated.
    """
    single = not translation.route
    if note is None and single:
        note = f"Already in {language_name(translation.target)}: nothing was translated."
    parts = ['<div class="mtsum-aligned">']
    if note:
        parts.append(f'<p class="mtsum-aligned-note">{escape(note)}</p>')
    if summary is not None:
        parts.append(_summary_block(summary, len(translation.segments)))
    parts.append(_rows_block(translation, single))
    parts.append("</div>")
    return "".join(parts)


def _rows_block(translation: Translation, single: bool) -> str:
    segments, flags = translation.segments, _by_sentence(translation.flags)
    source, target = translation.source, translation.target
    count = len(segments)
    flagged = sum(1 for index in flags if 0 <= index < count)
    legend = f"{count} sentence{'' if count == 1 else 's'}"
    if flagged:
        legend += (
            f"; {flagged} may be wrong (highlighted, marked {_FLAG_MARK}: tap or hover for why)"
        )
    head = (
        _head(_side_label(source, "the text, not translated"))
        if single
        else _head(_side_label(source, "the text"), _side_label(target, "translation"))
    )
    rows = [
        _row(index, segment, flags.get(index, []), source, target, single)
        for index, segment in enumerate(segments)
    ]
    layout = "mtsum-rows mtsum-single" if single else "mtsum-rows"
    return (
        '<h2 class="mtsum-aligned-title">Sentence by sentence</h2>'
        f'<p class="mtsum-aligned-legend">{escape(legend)}</p>'
        f'<div class="{layout}">{head}<ol class="mtsum-list">{"".join(rows)}</ol></div>'
    )


def _head(*labels: str) -> str:
    cells = "".join(f"<span>{escape(label)}</span>" for label in labels)
    return f'<div class="mtsum-row mtsum-head" aria-hidden="true"><span></span>{cells}</div>'


def _side_label(language: str, what: str) -> str:
    return f"{language_name(language)} ({language}): {what}"


def _row(
    index: int, segment: Segment, flags: list[Flag], source: str, target: str, single: bool
) -> str:
    classes, title = "mtsum-row", ""
    if flags:
        classes += " mtsum-flagged"
        title = f' title="{escape(_reasons(flags))}"'
    number = f'<span class="mtsum-num">{index + 1}</span>'
    original = _cell("mtsum-src", source, segment.source, "" if single else language_name(source))
    if single:
        return f'<li class="{classes}" id="{row_id(index)}"{title}>{number}{original}</li>'
    output = _cell("mtsum-out", target, segment.text, language_name(target), _details(flags))
    return f'<li class="{classes}" id="{row_id(index)}"{title}>{number}{original}{output}</li>'


def _cell(css: str, language: str, text: str, side: str, extra: str = "") -> str:
    """One side of a row; ``side`` names the language where the rows stack (a phone)."""
    label = f'<span class="mtsum-side">{escape(side)}</span>' if side else ""
    attributes = f'class="{css}" lang="{escape(language)}" dir="auto"'
    return f"<div {attributes}>{label}{escape(text)}{extra}</div>"


def _details(flags: list[Flag], heading: str = "may be wrong") -> str:
    """The reasons, opened by a tap (or a click, or the keyboard) on the marker."""
    if not flags:
        return ""
    kinds = ", ".join(dict.fromkeys(flag.kind.replace("_", " ") for flag in flags))
    items = "".join(
        f"<li><strong>{escape(flag.kind.replace('_', ' '))}</strong>: {escape(flag.detail)}</li>"
        for flag in flags
    )
    return (
        '<details class="mtsum-flag">'
        f"<summary>{_FLAG_MARK} {heading}: {escape(kinds)}</summary><ul>{items}</ul></details>"
    )


def _reasons(flags: list[Flag]) -> str:
    return "; ".join(f"{flag.kind.replace('_', ' ')}: {flag.detail}" for flag in flags)


def _summary_block(summary: Summary, rows: int) -> str:
    sentences = summary.sentences or ((summary.text,) if summary.text else ())
    # Sources and flags number the summary's own sentences; without them there is nothing to
    # link, and the summary still shows (the text box has it too).
    sources = summary.sources if len(summary.sources) == len(sentences) else ()
    flags = _by_sentence(summary.flags)
    items = []
    for index, sentence in enumerate(sentences):
        own = flags.get(index, [])
        classes = "mtsum-sum-row mtsum-flagged" if own else "mtsum-sum-row"
        title = f' title="{escape(_reasons(own))}"' if own else ""
        origin = _sources(sources[index], rows) if sources else ""
        items.append(
            f'<li class="{classes}" id="{summary_row_id(index)}"{title}>'
            f'<span lang="{escape(summary.language)}" dir="auto">{escape(sentence)}</span>'
            f"{origin}{_details(own, 'not in the text')}</li>"
        )
    method = "key sentences of the text" if summary.method == "extractive" else "written by a model"
    return (
        f'<h2 class="mtsum-aligned-title">Summary ({escape(method)})</h2>'
        f'<ol class="mtsum-sum">{"".join(items)}</ol>'
    )


def _sources(indices: Sequence[int], rows: int) -> str:
    """ "from sentences 2, 5", each number a link to its row (a number without a row: plain)."""
    if not indices:
        return '<span class="mtsum-from">no sentence of the text shares its words</span>'
    links = ", ".join(
        f'<a href="#{row_id(i)}">{i + 1}</a>' if 0 <= i < rows else str(i + 1) for i in indices
    )
    noun = "sentence" if len(indices) == 1 else "sentences"
    return f'<span class="mtsum-from">from {noun} {links}</span>'


def _by_sentence(flags: Sequence[Flag]) -> dict[int, list[Flag]]:
    grouped: dict[int, list[Flag]] = {}
    for flag in flags:
        grouped.setdefault(flag.sentence, []).append(flag)
    return grouped
