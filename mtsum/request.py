"""``Request``: what a caller asks for, made once by a face and normalised once by the pipeline.

Every face (the module functions, ``Pipeline``'s keyword methods, the CLI, the web page, the
REST API, batch mode and its Ray workers) builds one ``Request`` and hands it to the pipeline;
only :meth:`Request.normalized` (called by ``Pipeline.normalize``) checks and cleans its
values. The stages read the normalised fields and never check them again.

Adding an option (say ``output_format``) touches this module, the stage that reads it and the
faces' input widgets, nothing in between (``Pipeline`` and the chain hand the whole request on):

1. add the field below with its default (keyword-only callers, so the order is free after the
   first four);
2. check and clean it in ``normalized`` (one ``_option`` helper per field, raising
   ``InputError`` with the valid choices);
3. read ``request.output_format`` in the stage that uses it (each stage receives the request);
4. let each face fill it from its own input (CLI flag, page widget, REST field), and hand
   the pipeline ``request=``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .profiles import PROFILES, check_profile
from .terms import Glossary, GlossaryStore, glossary_from_pairs

__all__ = ["AUTO", "METHODS", "PROFILES", "Request", "is_auto", "whole_words", "with_options"]

AUTO = "auto"
"""The source value that asks for detection (as do ``None`` and a blank string)."""

METHODS = ("abstractive", "extractive")
"""The summary methods, the default first."""


def is_auto(source: object) -> bool:
    """Whether ``source`` asks for the language to be detected (``None``, blank or ``auto``)."""
    return source is None or (isinstance(source, str) and source.strip().lower() in ("", AUTO))


@dataclass(frozen=True)
class Request:
    """What a caller asks the pipeline for. Frozen: a face makes it, nothing changes it.

    Attributes:
        target: ISO 639-1 code of the language to translate (and summarise) into.
        source: the text's language; ``None`` (or ``"auto"``, blank) detects it.
        words: about how long the summary should be; ``None`` (or ``0``) chooses from the text.
        method: ``"abstractive"`` (a model writes it) or ``"extractive"`` (key sentences).
        profile: ``"best"`` (the best-scoring published models) or ``"fast"`` (smaller ones
            where the registry names them); ``None`` takes the pipeline's default
            (``Settings.profile``, ``MTSUM_PROFILE``; ``best`` unless set).
        glossary: source term -> target term pairs (a ``Glossary`` or a mapping; a source
            ending in ``*`` is a stem), or the id of one of the operator's glossaries.
        keep: terms to leave as they are (names, products).

    Example::

        request = mtsum.Request(target="de", words=60)
        result = mtsum.Pipeline().run(text, request=request)
    """

    target: str = "en"
    source: str | None = None
    words: int | None = None
    method: str = "abstractive"
    profile: str | None = None
    glossary: Glossary | Mapping[str, str] | str | None = None
    keep: Sequence[str] = ()

    def normalized(
        self,
        check_language: Callable[[object], str] | None,
        max_words: int,
        default_profile: str = PROFILES[0],
        glossaries: GlossaryStore | None = None,
    ) -> Request:
        """This request with every value checked and in its one canonical form.

        Args:
            check_language: turns a language code into its canonical form, or raises
                ``InputError`` (the registry's ``check_language``); ``None`` leaves ``target``
                and ``source`` as given (for a stage that reads neither).
            max_words: the largest ``words`` allowed (``Settings.max_summary_words``).
            default_profile: the profile of a request that names none (``Settings.profile``).
            glossaries: the operator's glossaries, against which a glossary id is checked
                (``None``: an id is left unchecked, for a stage that translates nothing).

        Returns:
            A request whose ``source`` is ``None`` or a checked code, whose ``words`` is
            ``None`` or a whole number in range, whose ``method`` is one of ``METHODS``,
            whose ``profile`` is one of ``PROFILES``, whose ``glossary`` is ``None``, a checked
            ``Glossary`` or a listed id, and whose ``keep`` is a tuple of checked terms.

        Raises:
            InputError: a value is invalid; the message names the valid choices.
        """
        # Checked in this order (target, words, method, source), so that the first complaint
        # is about the option a caller most often gets wrong.
        target = self.target if check_language is None else check_language(self.target)
        words, method = _words(self.words, max_words), _method(self.method)
        profile = _profile(self.profile, default_profile)
        source = self.source
        if check_language is not None:
            source = None if is_auto(source) else check_language(source)
        glossary, keep = _glossary(self.glossary, self.keep, glossaries, source, target)
        return dataclasses.replace(
            self, target=target, source=source, words=words, method=method, profile=profile,
            glossary=glossary, keep=keep,
        )  # fmt: skip


def _glossary(
    glossary: object,
    keep: object,
    store: GlossaryStore | None,
    source: str | None,
    target: str,
) -> tuple[Glossary | str | None, tuple[str, ...]]:
    # Terms are checked here once (limits, empty or doubled entries); an operator glossary id is
    # checked against the store's listing, never used as a path.
    if isinstance(keep, str) or not isinstance(keep, (Sequence, frozenset, set)):
        raise InputError("keep must be a list of terms, e.g. keep=['Nagorno-Karabakh']")
    kept = tuple(t.source + "*" * t.stem for t in glossary_from_pairs({}, list(keep)).terms)
    if isinstance(glossary, str) and not glossary.strip():
        glossary = None
    if glossary is None or isinstance(glossary, Glossary):
        return (glossary or None), kept
    if isinstance(glossary, str):
        if store is None:  # a stage that translates nothing (a summary in the text's language)
            return glossary.strip(), kept
        return store.check_id(glossary.strip(), source, target), kept
    if isinstance(glossary, Mapping):
        return (glossary_from_pairs(glossary) or None), kept
    raise InputError(
        "glossary must be source -> target pairs (an object) or the id of an operator glossary, "
        f"got {type(glossary).__name__}"
    )


def with_options(request: Request | None, **options: Any) -> Request:
    """``request`` (``Request()`` when None) with the ``options`` that were given (not None).

    The one place the keyword methods of ``Pipeline`` turn their arguments into a ``Request``:
    a keyword overrides the same field of ``request``; a keyword left at None keeps it.
    """
    base = request if request is not None else Request()
    given = {name: value for name, value in options.items() if value is not None}
    return dataclasses.replace(base, **given) if given else base


def whole_words(words: object) -> int | None:
    """``words`` as a whole number (``40.0`` is 40), or None; the range is checked later.

    For a face whose input widget sends floats (the page's slider), so that what it hands
    the pipeline is typed as ``Request.words`` is.

    Raises:
        InputError: not a whole number.
    """
    if words is None:
        return None
    if isinstance(words, bool) or not isinstance(words, (int, float)):
        raise InputError(f"words must be a whole number, got {words!r}")
    if isinstance(words, float) and not words.is_integer():
        raise InputError(f"words must be a whole number, got {words!r}")
    return int(words)


def _words(words: object, limit: int) -> int | None:
    # Many API callers send floats; 0 and None both mean "automatic".
    value = whole_words(words)
    if not value:
        return None
    if not 1 <= value <= limit:
        raise InputError(f"words must be between 1 and {limit} (0 for the default), got {value}")
    return value


def _method(method: object) -> str:
    cleaned = method.strip().lower() if isinstance(method, str) else method
    if cleaned not in METHODS:
        raise InputError(f"invalid method {method!r}, expected one of: {', '.join(METHODS)}")
    return str(cleaned)


def _profile(profile: object, default: str) -> str:
    # A blank value (an empty form field) means "not chosen", like None.
    if profile is None or (isinstance(profile, str) and not profile.strip()):
        return default
    return check_profile(profile)
