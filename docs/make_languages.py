"""Write ``docs/languages.md``: per language, the model of each profile, its score, group or not.

    .venv/bin/python docs/make_languages.py            # rewrites docs/languages.md
    .venv/bin/python docs/make_languages.py --check    # exit 1 when the page is out of date

The page is generated from ``models/registry.toml`` (or ``MTSUM_REGISTRY``), never edited by
hand, so that it cannot disagree with what mtsum actually loads; a test checks that it is up to
date and that every language of it routes both ways in both profiles.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtsum import Settings  # noqa: E402
from mtsum.languages import language_name  # noqa: E402
from mtsum.profiles import PROFILES  # noqa: E402
from mtsum.registry import Hop, ModelEntry, Registry  # noqa: E402

PAGE = ROOT / "docs" / "languages.md"
PIVOT = "en"

HEADER = """# Languages and models

mtsum translates between any two of the languages below: directly where the registry has a
model for the pair, otherwise through English (two hops). Each request chooses a **profile**:

- `best` (the default): the model with the highest *published* score for the direction;
- `fast`: a smaller model (about 75 million parameters instead of about 240 million, roughly a
  third of the work per word) where one is published; otherwise the same model as `best`.

Choose it with `--profile fast` on the command line, `"profile": "fast"` in a REST request (also
a `profile` field of `/translate_file`'s form), the *Models* choice on the web page (which the
translated document download follows too), `mtsum.Request(profile="fast")` in Python, or for a
whole server with `MTSUM_PROFILE=fast`. The result names the models and the profile that served
each hop (`translation.models`, `translation.profile`).

Scores are chrF (0-100, higher is better) on the test set named (FLORES-101 or FLORES-200
devtest, NTREX-128 for Albanian), copied from the OPUS-MT leaderboard and the model cards; mtsum
did not measure them. A *group* model is one checkpoint that serves several languages (from
English it needs a `>>label<<` token, which mtsum adds). `mtsum models list` shows the same
scores and the size of each download.

Six directions gain under 2 chrF from the larger model (en-it, en-nl, en-de, nl-en, en-sv,
en-id): there `fast` is the better trade. Persian has no usable published score (the
leaderboard's Persian test data is broken), so it keeps the multilingual models.

This page is generated from `models/registry.toml`: `python docs/make_languages.py`.
"""


@dataclass(frozen=True)
class Row:
    """One language and one direction (into or from English), both profiles."""

    code: str
    direction: str
    best: ModelEntry
    best_token: str | None
    fast: ModelEntry
    fast_token: str | None


def languages(registry: Registry) -> list[str]:
    """Every language of the registry except English, by name."""
    return sorted((c for c in registry.languages() if c != PIVOT), key=language_name)


def rows(registry: Registry) -> list[Row]:
    """Per language, its route into and from English in each profile (one hop each way); a
    direction no model serves (English into Korean) has no row."""
    found = []
    for code in languages(registry):
        for source, target in ((code, PIVOT), (PIVOT, code)):
            if not registry.can_route(source, target):
                continue
            hops: dict[str, Hop] = {}
            for profile in PROFILES:
                [hops[profile]] = registry.route(source, target, profile)
            best, fast = hops["best"], hops["fast"]
            found.append(
                Row(code, f"{source}-{target}", best.entry, best.token, fast.entry, fast.token)
            )
    return found


def _served(registry: Registry) -> dict[str, set[str]]:
    """Model reference -> the languages (other than English) it serves in any profile."""
    served: dict[str, set[str]] = defaultdict(set)
    for profile in PROFILES:
        for key, entry in registry.table(profile).items():
            served[entry.reference].update(set(key.split("-")) - {PIVOT, "mul"})
    return served


def _model(entry: ModelEntry, token: str | None, served: dict[str, set[str]]) -> str:
    name = entry.reference.rpartition("/")[2] if not entry.local else Path(entry.reference).name
    label = f" `{token}`" if token else ""
    if entry.name in ("mul-en", "en-mul"):
        kind = "multilingual fallback"
    elif entry.group or len(served.get(entry.reference, ())) > 1:
        kind = "group"
    else:
        kind = "pair"
    return f"{name}{label} ({kind})"


def _score(entry: ModelEntry) -> str:
    score = entry.score
    if score is None or score.chrf is None:
        return "not scored"
    return f"{score.chrf:.1f} ({score.test})"


def render(registry: Registry) -> str:
    """The whole page."""
    served = _served(registry)
    lines = [
        HEADER,
        "| language | direction | best model | chrF | fast model | chrF |",
        "|---|---|---|---:|---|---:|",
    ]
    table = rows(registry)
    for row in table:
        same = row.fast is row.best and row.fast_token == row.best_token
        fast = "same as best" if same else _model(row.fast, row.fast_token, served)
        fast_score = "" if same else _score(row.fast)
        lines.append(
            f"| {language_name(row.code)} ({row.code}) | {row.direction} | "
            f"{_model(row.best, row.best_token, served)} | {_score(row.best)} | "
            f"{fast} | {fast_score} |"
        )
    covered = {(row.code, row.direction.startswith(PIVOT)) for row in table}
    for code in languages(registry):
        for into, words in ((False, "into English"), (True, "from English")):
            if (code, into) not in covered:
                lines.append(f"\n{language_name(code)} ({code}): no published model {words}.")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the page is current")
    args = parser.parse_args()
    registry = Registry.load(Settings.from_env().registry_file)
    page = render(registry)
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
        if current != page:
            print(f"{PAGE} is out of date: run python docs/make_languages.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE} ({len(page.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
