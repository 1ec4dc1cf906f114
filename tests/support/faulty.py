"""A scripted engine that translates from a table, faithfully or with one fault per sentence.

The checks must fire on exactly the sentence that went wrong and on nothing else, so the test
needs an engine whose every output is known: this one looks each input up in a table of
hand-written translations (written for these tests), and a fault table says which sentences
to spoil and how (copy the input, loop, drop or change a number, answer in German, cut short).
It goes through the real pipeline: ``ModelStore(settings, loader=ScriptedLoader(...))``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mtsum import Settings
from mtsum.engines.base import GenerationOptions
from mtsum.terms import DEFAULT_SHAPE, protect

# French news sentences with their English and German translations, one per line, aligned.
FRENCH = (
    "Le conseil municipal a approuvé mardi un budget de 1 250 000 euros pour les bus.",
    "La nouvelle ligne ouvrira le 12/03/2025 et coûtera 3,5 millions.",
    "Les horaires sont publiés sur https://bus.example.org/horaires dès aujourd'hui.",
    "Le maire a remercié les habitants pour leur patience pendant les travaux.",
    "Les questions peuvent être envoyées à info@bus.example.org avant vendredi.",
    "Les chauffeurs recevront une formation supplémentaire au printemps prochain.",
)
ENGLISH = (
    "On Tuesday the city council approved a budget of 1,250,000 euros for the buses.",
    "The new line will open on 12.03.2025 and will cost 3.5 million.",
    "The timetables are published on https://bus.example.org/horaires from today.",
    "The mayor thanked the residents for their patience during the works.",
    "Questions can be sent to info@bus.example.org before Friday.",
    "The drivers will receive additional training next spring.",
)
GERMAN = (
    "Am Dienstag hat der Stadtrat einen Haushalt von 1.250.000 Euro für die Busse beschlossen.",
    "Die neue Linie wird am 12.03.2025 eröffnet und 3,5 Millionen kosten.",
    "Die Fahrpläne sind ab heute auf https://bus.example.org/horaires veröffentlicht.",
    "Der Bürgermeister dankte den Einwohnern für ihre Geduld während der Bauarbeiten.",
    "Fragen können vor Freitag an info@bus.example.org geschickt werden.",
    "Die Fahrer erhalten im kommenden Frühjahr eine zusätzliche Schulung.",
)
ARTICLE_FR = " ".join(FRENCH[:3]) + "\n\n" + " ".join(FRENCH[3:])

FAITHFUL: dict[str, str] = {
    **dict(zip(FRENCH, ENGLISH, strict=True)),
    **dict(zip(ENGLISH, GERMAN, strict=True)),
}

Fault = Callable[[str, str], str]
"""Spoils one output: ``(input, faithful output) -> output``."""


def copy_input(source: str, output: str) -> str:
    return source


def loop(source: str, output: str) -> str:
    return output + " budget budget budget budget budget"


def drop_number(source: str, output: str) -> str:
    return output.replace(" of 1,250,000 euros", "")


def change_number(source: str, output: str) -> str:
    return output.replace("3.5", "4.5")


def in_german(source: str, output: str) -> str:
    return GERMAN[ENGLISH.index(output)]


def cut_short(source: str, output: str) -> str:
    return output.split(maxsplit=1)[0] + "."


class ScriptedEngine:
    """An engine that answers from ``table``, spoiling the inputs named in ``faults``."""

    kind = "scripted"
    max_input_tokens = 512
    max_output_tokens = 512

    def __init__(self, reference: str, table: Mapping[str, str], faults: Mapping[str, Fault]):
        self.reference = reference
        self.table = table
        self.faults = faults
        # The translator hands links and e-mail addresses over as placeholders ([1]); such an
        # input is answered (and spoiled) as its plain sentence, then its spans put back as
        # placeholders, as a model that copies them would.
        self.protected = {}
        for source in table:
            protected = protect(source, None)
            if protected.spans:
                self.protected[protected.text] = (source, protected)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 1 for text in texts]

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        outputs = []
        for text in texts:
            source, protected = self.protected.get(text, (text, None))
            output = self.table.get(source, text)
            fault = self.faults.get(source)
            output = fault(source, output) if fault else output
            if protected is not None:
                for span, number in zip(protected.spans, protected.numbers, strict=True):
                    output = output.replace(span.text, DEFAULT_SHAPE.render(number))
            outputs.append(output)
        return outputs

    def task_prefix(self, task: str) -> str:
        return ""


class ScriptedLoader:
    """A model-store loader that gives every model a scripted engine over the same tables.

    Args:
        faults: input sentence -> how to spoil its translation.
        summary: what the summariser answers (any input), or None for the table's answer.
    """

    kind = "scripted"

    def __init__(self, faults: Mapping[str, Fault] | None = None, summary: str | None = None):
        self.faults = dict(faults or {})
        self.summary = summary

    def __call__(self, folder: Path, entry: Any, settings: Settings) -> ScriptedEngine:
        if entry.name.startswith("summarize:") and self.summary is not None:
            return _Summariser(entry.reference, self.summary)
        return ScriptedEngine(entry.reference, FAITHFUL, self.faults)


class _Summariser(ScriptedEngine):
    def __init__(self, reference: str, summary: str) -> None:
        super().__init__(reference, {}, {})
        self.summary = summary

    def generate(self, texts: Sequence[str], options: GenerationOptions) -> list[str]:
        return [self.summary for _ in texts]
