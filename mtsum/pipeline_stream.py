"""``Pipeline.stream``: the chain yielding as it goes, each paragraph as soon as it is done.

Streaming is the same pipeline, not a second one: ``Pipeline.run`` and ``Pipeline.translate``
of one text are this stream run to the end, and the translation stage of every path is
``Translator.stream_text`` (:mod:`mtsum.streaming`). Kept beside ``pipeline.py`` (which
``Pipeline`` mixes it into) so that module stays the list of operations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any, Protocol, TypeVar

from .degrade import Degraded
from .errors import ModelUnavailableError, UnsupportedLanguageError
from .progress import ProgressFn
from .request import Request, with_options
from .results import Detection, Paragraph, Result, Summary, Translation
from .staging import Chain, route

__all__ = ["Routed", "Streamed", "StreamingMixin", "last_of"]


@dataclass(frozen=True)
class Routed(Detection):
    """The stream's first event: the text's ``Detection``, and where the checked request goes.

    A face that shows the way before the first paragraph (the CLI's head line) reads it here
    instead of checking the request itself; as a ``Detection`` it is what the stream always
    yielded first (same fields, same JSON).

    Attributes:
        target: the checked target language.
        route: the directions from the text's language to ``target`` (``()``: nothing to
            translate); None when no route leads there, and the stream raises next.
    """

    target: str = ""
    route: tuple[str, ...] | None = None


Streamed = Detection | Paragraph | Translation | Summary | Result | Degraded
"""What :meth:`StreamingMixin.stream` yields."""
_T = TypeVar("_T")


class _Host(Protocol):
    """What the stream needs of ``Pipeline``."""

    _chain: Chain

    def normalize(self, request: Request, *, languages: bool = True) -> Request: ...

    def _degraded(
        self, text: str, detection: Detection, request: Request, error: ModelUnavailableError
    ) -> Degraded: ...


class StreamingMixin:
    """``Pipeline``'s streaming method."""

    def stream(
        self: _Host,
        text: str,
        request: Request | None = None,
        *,
        progress: ProgressFn | None = None,
        translation: bool = False,
        summary: bool = True,
        degrade: bool = False,
        **options: Any,
    ) -> Iterator[Streamed]:
        """:meth:`run` of one text, yielding as it goes: the ``Detection``; each ``Paragraph``
        of the translation, in order, as soon as it and those before it are done; the
        ``Summary``; and last the ``Result`` that ``run`` returns.

        Bad input fails before any model work; closing the generator stops the work before
        the engine's next batch. Timings count the work, not the time between yields.

        Args:
            request: what to do; keywords in ``options`` (``target``, ``source``, ``words``,
                ``method``), when given, override its fields.
            translation: also yield the ``Translation`` after the last paragraph.
            summary: False ends the stream with that ``Translation`` (what ``translate``
                returns) instead of summarising.
            degrade: when the translation model is unavailable, yield a ``Degraded`` after the
                detection and stop, instead of raising (see :mod:`mtsum.degrade`).
        """
        request = self.normalize(with_options(request, **options))
        member = self._chain.start(0, text, request)
        yield _routed(self._chain, member.detection, request)
        try:
            run = yield from self._chain.stream_route(member, request, progress)
        except ModelUnavailableError as exc:
            if not degrade:
                raise
            yield self._degraded(text, member.detection, request, exc)
            return
        if translation or not summary:
            yield member.translation(run)
        if summary:
            result = self._chain.summarize(member, run, request, progress)
            yield result.summary
            yield result


def _routed(chain: Chain, detection: Detection, request: Request) -> Routed:
    """``detection`` with the checked target and its route (None: no route; the stream's
    translation step raises the error, with its wording, right after)."""
    try:
        directions: tuple[str, ...] | None = tuple(
            hop.direction for hop in route(chain.registry(), detection, request)
        )
    except UnsupportedLanguageError:
        directions = None
    values = {f.name: getattr(detection, f.name) for f in fields(Detection)}
    return Routed(**values, target=request.target, route=directions)


def last_of(stages: Iterator[Any], kind: type[_T]) -> _T:
    """The last value of a stream, which must be a ``kind`` (its documented end)."""
    last: Any = None
    for last in stages:  # noqa: B007 - only the last one counts
        pass
    if not isinstance(last, kind):  # pragma: no cover - the streams always end so
        raise RuntimeError(f"the stream ended without a {kind.__name__}")
    return last
