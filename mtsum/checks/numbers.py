"""Numbers, dates, URLs and e-mail addresses of a text, compared across languages.

A translation writes the same number in the target's own way: "25 000", "25,000" and "25.000"
are one number, "1,5" and "1.5" another, and "12/03/2024" may come back as "12. März 2024".
So each number is read into every value its form allows ("1.500" is 1500 in German and 1.5 in
English), two forms match when their values meet, and what is left unmatched is compared once
more digit run by digit run (a date, a time or a range whose separators changed). Hand-written
because no library reads numbers across locales without knowing the locale of each text, and
here both texts are machine output of uncertain form.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Mentions", "compare", "mentions", "unsupported"]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Digit groups joined by one separator each: thousands (space, no-break spaces, apostrophes,
# dot, comma, the Arabic marks), decimals, and the punctuation of dates, times and ranges.
_SEPARATORS = " \u00a0\u202f\u2009'’.,\u066b\u066c/:-"
_NUMBER = re.compile(r"\d+(?:[" + re.escape(_SEPARATORS) + r"]\d+)*")
_SPLIT = re.compile(r"[" + re.escape(_SEPARATORS) + r"]")
_SPACES = " \u00a0\u202f\u2009"
_THOUSANDS = _SPACES + "'’.,\u066c"
_DECIMAL_MARKS = ".,\u066b"
# Escapes left in machine output ("Egypt\\u0027s", "&#39;"): read as the character they stand
# for, so that their digits are not taken for numbers.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
# A 12-hour time ("7.27 p.m.", "5 pm"): it also means its 24-hour form ("19.27 Uhr").
_TWELVE_HOUR = re.compile(r"\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_CLOCK = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?")
# Small numbers and months are often written as words ("5" -> "five", "03" -> "March"), so a
# missing one alone proves nothing; a number that appears instead of it is still reported.
SPELLED_OUT_MAX = 12
# ... unless a unit or a currency comes with it: style guides in every language write a measure,
# a price, a share or a time of day in digits ("1 Uhr" -> "1 a.m.", "5 km", "3 %", "$5"), so a
# small number with one of these is kept whatever its size. A detached translation of "Lucio
# nur aufwecken um 1 Uhr nachts" (dev half of the Guerreiro et al. set) loses its "1 Uhr".
_UNIT_AFTER = re.compile(
    r"\s?(?:%|‰|°|€|\$|£|¥|(?:uhr|h|min|km|cm|mm|kg|mg|ml|m²|m2|gb|mb|kb)\b)", re.IGNORECASE
)
_CURRENCY_BEFORE = re.compile(r"[€$£¥]\s?$")
# "Round the clock" is written "24 hours", "24/7" or "24h" as often as in words ("durchgehend
# geöffnet" -> "open 24 hours a day", a correct translation in the dev half of the Guerreiro et
# al. set that was flagged for its "24"): an idiom, not a figure, so neither side counts it.
_ROUND_THE_CLOCK = re.compile(
    r"\b24\s?(?:/\s?7|/\s?24|h\b|hours?\b|hrs?\b|std\b|stunden\b|heures?\b|horas?\b|ore\b)",
    re.IGNORECASE,
)
# A year is written in full or by its last two digits ("in den 90er Jahren" -> "in the 1990s",
# "2014/15" -> "2014-2015"): a lost two-digit run and an added four-digit run ending in it are
# one number.
_YEAR_DIGITS = 4


@dataclass(frozen=True)
class Mentions:
    """What of a text must survive translation: its numbers, URLs and e-mail addresses."""

    numbers: tuple[str, ...]
    links: tuple[str, ...]
    measures: frozenset[int] = frozenset()
    """Digit runs of the numbers that come with a unit or a currency (never spelled out)."""


def mentions(text: str) -> Mentions:
    """The numbers (as written), URLs and e-mail addresses of ``text``, in order."""
    text = _unescape(text)
    links = [m.group(0) for m in _URL.finditer(text)]
    rest = _URL.sub(" ", text)
    links += [m.group(0) for m in _EMAIL.finditer(rest)]
    rest = _EMAIL.sub(" ", rest)
    rest = _ROUND_THE_CLOCK.sub(" ", rest)
    measures = {
        run
        for match in _NUMBER.finditer(rest)
        if _UNIT_AFTER.match(rest, match.end()) or _CURRENCY_BEFORE.search(rest, 0, match.start())
        for run in _runs(match.group(0))
    }
    return Mentions(tuple(_numbers(rest)), tuple(links), frozenset(measures))


def _unescape(text: str) -> str:
    """``text`` with HTML entities and backslash escapes replaced by their characters."""
    text = html.unescape(text) if "&" in text else text
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _numbers(text: str) -> list[str]:
    """Number tokens; a run joined by spaces is cut where a group is not a thousands group.
    A 12-hour time keeps its mark ("7.27pm"), which ``values`` reads both ways."""
    found: list[str] = []
    for match in _NUMBER.finditer(text):
        found.extend(_cut_at_spaces(match.group(0)))
        half = _TWELVE_HOUR.match(text, match.end())
        if half and _CLOCK.fullmatch(found[-1]):
            found[-1] += half.group(1).lower() + "m"
    return found


def _cut_at_spaces(token: str) -> list[str]:
    """ "2024 12" is two numbers, "25 000" one: a space only joins a group of exactly 3 digits
    to a group of at most 3."""
    pieces: list[str] = []
    for chunk in re.split(r"(?=[" + _SPACES + r"])", token):
        if pieces and chunk[:1] in _SPACES and _joins(pieces[-1], chunk[1:]):
            pieces[-1] += chunk
        elif chunk.strip(_SPACES):
            pieces.append(chunk.strip(_SPACES))
    return pieces


def _joins(before: str, after: str) -> bool:
    last = re.search(r"\d+$", before)
    first = re.match(r"\d+", after)
    return last is not None and first is not None and len(last.group(0)) <= 3 == len(first.group(0))


def values(token: str) -> frozenset[str]:
    """Every number ``token`` can mean: as an integer with thousands separators, as a decimal,
    and as its digit runs (for a date, a time or a range); a 12-hour time ("7.27pm") also as
    its 24-hour form ("19.27")."""
    if token.endswith(("am", "pm")):
        return _plain_values(token[:-2]) | _plain_values(_24_hour(token))
    clock = _CLOCK.fullmatch(token)
    if clock and clock.group(2) == "00":  # "19:00" is also "19 Uhr", "7 pm"
        return _plain_values(token) | {_canonical(clock.group(1))}
    return _plain_values(token)


def _24_hour(token: str) -> str:
    """ "7.27pm" -> "19.27", "12am" -> "0"; the separator is kept."""
    clock = _CLOCK.fullmatch(token[:-2])
    assert clock is not None  # _numbers marks only clock-shaped tokens
    hour = int(clock.group(1)) % 12 + (12 if token.endswith("pm") else 0)
    return str(hour) + token[len(clock.group(1)) : -2]


def _plain_values(token: str) -> frozenset[str]:
    groups = _SPLIT.split(token)
    seps = _SPLIT.findall(token)
    if not seps:
        return frozenset({_canonical(token)})
    found = {"runs:" + ",".join(sorted(str(int(g)) for g in groups))}
    if len(set(seps)) == 1 and seps[0] in _THOUSANDS and _thousands(groups):
        found.add(_canonical("".join(groups)))
    if seps[-1] in _DECIMAL_MARKS:
        inner = set(seps[:-1])
        if not inner or (
            len(inner) == 1 and inner <= set(_THOUSANDS) - {seps[-1]} and _thousands(groups[:-1])
        ):
            found.add(_canonical("".join(groups[:-1]) + "." + groups[-1]))
    return frozenset(found)


def _thousands(groups: list[str]) -> bool:
    """Whether digit groups read as thousands: "25" "000", not "2024" "12"."""
    return len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _canonical(number: str) -> str:
    try:
        value = Decimal(number).normalize()
    except InvalidOperation:
        return number
    return format(value, "f")


def _runs(token: str) -> list[int]:
    return [int(g) for g in re.findall(r"\d+", token)]


def compare(source: Mentions, output: Mentions) -> tuple[list[str], list[str]]:
    """What of ``source`` is missing from ``output``, and what ``output`` has instead.

    Returns:
        The source's numbers, URLs and addresses not found in the output (as the source writes
        them), and the output's numbers not found in the source (as the output writes them).
    """
    missing_links = _missing_links(source.links, output.links)
    lost, extra = _match(list(source.numbers), list(output.numbers))
    lost_runs = Counter(r for token in lost for r in _runs(token))
    extra_runs = Counter(r for token in extra for r in _clock_runs(token, lost_runs))
    shared = lost_runs & extra_runs
    lost_runs, extra_runs = _years(lost_runs - shared, extra_runs - shared)
    # Small numbers are often written as words on one side ("zwölf Stunden" -> "12 hours", "ein
    # Prozent" -> "1 %", "ersten" -> "1st"), so an added one alone proves nothing either: it
    # counts where a source number went missing (a changed number, "3 bus" -> "4 buses") or as
    # a time of day ("7 pm"), which words hardly ever give.
    clock = {r for token in extra if token.endswith(("am", "pm")) for r in _runs(token)}
    added = [
        str(run)
        for run in extra_runs.elements()
        if run > SPELLED_OUT_MAX or run in clock or lost_runs
    ]
    missing = [
        str(run)
        for run in lost_runs.elements()
        if run > SPELLED_OUT_MAX or added or run in source.measures
    ]
    if not missing and not added:
        return missing_links, []
    # Report the tokens as written when every run of them is unaccounted for.
    missing = _as_written(lost, missing) if missing else []
    return [*missing, *missing_links], _as_written(extra, added)


def _clock_runs(token: str, lost: Counter[int]) -> list[int]:
    """The digit runs of ``token``; of a 12-hour time in its 24-hour form where the source has
    that hour ("9-18 Uhr" -> "9 a.m.-6 p.m.": the 18 is found)."""
    if token.endswith(("am", "pm")):
        full = _runs(_24_hour(token))
        if full[0] in lost:
            return full
    return _runs(token)


def _years(lost: Counter[int], extra: Counter[int]) -> tuple[Counter[int], Counter[int]]:
    """``lost`` and ``extra`` less the pairs of a year's two last digits and the full year."""
    for short in list(lost.elements()) + list(extra.elements()):
        if short >= 100:
            continue
        for mine, other in ((lost, extra), (extra, lost)):
            full = next(
                (
                    r
                    for r in other
                    if other[r] > 0 and len(str(r)) == _YEAR_DIGITS and r % 100 == short
                ),
                None,
            )
            if mine[short] and full is not None:
                mine[short] -= 1
                other[full] -= 1
    return +lost, +extra


def _match(source: list[str], output: list[str]) -> tuple[list[str], list[str]]:
    """Pair source and output numbers that can mean the same; return the unpaired of each."""
    left = list(output)
    lost = []
    for token in source:
        meanings = values(token)
        for index, candidate in enumerate(left):
            if meanings & values(candidate):
                del left[index]
                break
        else:
            lost.append(token)
    return lost, left


def _as_written(tokens: list[str], runs: list[str]) -> list[str]:
    wanted = Counter(runs)
    shown = []
    for token in tokens:
        token_runs = Counter(str(r) for r in _runs(token))
        if token_runs & wanted:
            shown.append(token)
            wanted -= token_runs
    return shown or runs


def _missing_links(source: Iterable[str], output: Iterable[str]) -> list[str]:
    present = {link.casefold().rstrip("/") for link in output}
    return [link for link in source if link.casefold().rstrip("/") not in present]


def unsupported(claim: Mentions, text: Mentions) -> list[str]:
    """The numbers of ``claim`` (a summary sentence) that ``text`` never mentions, as written.

    A number is supported when one of its meanings occurs in the text, or when it is a date,
    time or range whose every digit run occurs there.
    """
    known: set[str] = set()
    known_runs: set[int] = set()
    for token in text.numbers:
        known |= values(token)
        known_runs.update(_runs(token))
    result = []
    for token in claim.numbers:
        if values(token) & known:
            continue
        if len(_runs(token)) > 1 and all(r in known_runs for r in _runs(token)):
            continue
        result.append(token)
    return result
