"""The glossary benchmark's texts, written for this project: 200 entries, 500 sentences.

The glossary is a newsroom's house list: 20 institutions x 10 places, each with the German form
the newsroom prints (``Water Board of Lyon`` -> ``Wasserverband Lyon``), every tenth entry a stem
(``Harbour Office*`` also matches ``Harbour Offices``), and 20 names kept as they are. The
sentences come from 25 hand-written frames with one to three glossary terms each; two in five
also carry a protected span (a link, an e-mail address, ``%1$s``, ``{name}``, a handle, a
hashtag or inline code). Everything is made from fixed lists with a seeded generator, so every
run measures the same text.
"""

from __future__ import annotations

import random

__all__ = ["KEPT", "glossary", "sentences"]

_BODIES = (
    ("Water Board", "Wasserverband"), ("City Council", "Stadtrat"),
    ("Harbour Office", "Hafenamt"), ("Transport Authority", "Verkehrsbehörde"),
    ("Housing Agency", "Wohnungsamt"), ("School Board", "Schulbehörde"),
    ("Fire Service", "Feuerwehr"), ("Health Office", "Gesundheitsamt"),
    ("Planning Committee", "Planungsausschuss"), ("Tax Office", "Finanzamt"),
    ("Chamber of Commerce", "Handelskammer"), ("Regional Court", "Landgericht"),
    ("Police Directorate", "Polizeidirektion"), ("Energy Regulator", "Energieaufsicht"),
    ("Museum Trust", "Museumsstiftung"), ("Youth Office", "Jugendamt"),
    ("Audit Office", "Rechnungshof"), ("Forestry Service", "Forstamt"),
    ("Statistics Office", "Statistikamt"), ("Library Service", "Bibliotheksdienst"),
)  # fmt: skip
_PLACES = ("Lyon", "Nantes", "Lille", "Rennes", "Dijon", "Metz", "Brest", "Tours", "Nancy", "Caen")
KEPT = (
    "Nagorno-Karabakh", "Mistral Cloud", "Foxglove 9", "Quillbank", "Tern Analytics",
    "Veloria", "Pinecrest Labs", "Orbiscan", "Halden Works", "Marrowline",
    "Lumen Drive", "Kestrel OS", "Brightwater Fund", "Nordlys", "Copperleaf",
    "Saltmarsh Radio", "Ironbridge Cup", "Windrose", "Tallgrass Press", "Amberfield",
)  # fmt: skip
_FRAMES = (
    "The {a} said on Monday that the new rules would apply from next spring.",
    "Officials from the {a} met residents in the town hall to explain the plan.",
    "According to the {a}, the budget for roads will rise by a tenth.",
    "The {a} and the {b} signed an agreement on shared offices.",
    "A spokesperson for the {a} declined to comment on the report.",
    "Residents can ask the {a} for help until the end of the month.",
    "The {a} has published its yearly figures, which show a small surplus.",
    "Last year the {a} handled more cases than ever before.",
    "The head of the {a} will step down after eight years in the post.",
    "Critics say the {a} reacted too slowly to the flooding.",
    "The {a} wants the {b} to share the cost of the new bridge.",
    "Talks between the {a}, the {b} and the {c} ended without a deal.",
    "The report by the {a} was sent to every school in the region.",
    "Volunteers helped the {a} to clean the river banks on Saturday.",
    "The {a} says that {k} will not be affected by the changes.",
    "Staff at the {a} tested the new software from {k} for a month.",
    "The {a} opened an inquiry after a complaint from the {b}.",
    "Under the new law, the {a} must publish its decisions within a week.",
    "The {a} thanked the {b} for its support during the storm.",
    "Journalists asked the {a} why the meeting was held in private.",
    "A new office of the {a} will open next to the station in May.",
    "The {a} plans to hire forty people before the summer.",
    "Several {s} have asked for more money for staff training.",
    "The conference on {k} was organised by the {a}.",
    "Both {s} said the figures were encouraging.",
)
_SPANS = (
    "Details are at https://news.example.org/{n}/plan.",
    "Questions go to desk{n}@example.org before Friday.",
    "The form shows %1$s of %2$s pages.",
    "Hello {{name}}, your file {n} is ready.",
    "Follow @citydesk{n} for updates.",
    "The debate trends as #budget{n} online.",
    "Run `mtsum run --target de` to try it.",
)


def glossary() -> list[tuple[str, str]]:
    """The 200 source -> target entries (every tenth a stem, marked ``*``)."""
    entries = []
    for number, ((body, german), place) in enumerate(
        (pair, place) for pair in _BODIES for place in _PLACES
    ):
        source = f"{body} of {place}"
        entries.append((source + ("*" if number % 10 == 9 else ""), f"{german} {place}"))
    return entries


def sentences(count: int = 500, seed: int = 23) -> list[str]:
    """``count`` sentences, each with one to three glossary terms, two in five with a span."""
    rng = random.Random(seed)
    entries = [source.rstrip("*") for source, _ in glossary()]
    stems = [source.rstrip("*") for source, _ in glossary() if source.endswith("*")]
    out = []
    for index in range(count):
        frame = _FRAMES[index % len(_FRAMES)]
        a, b, c = rng.sample(entries, 3)
        text = frame.format(a=a, b=b, c=c, k=rng.choice(KEPT), s=rng.choice(stems) + "s")
        if index % 5 in (1, 3):
            text += " " + _SPANS[index % len(_SPANS)].format(n=index)
        out.append(text)
    return out
