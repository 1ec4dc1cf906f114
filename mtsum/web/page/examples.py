"""Example articles for the web page, so a visitor can try mtsum with one click.

Every text here was written for this project: short, invented, news-style reports in several
languages and scripts, each paired with a target language that shows a different route (direct,
through English, into English, into an Asian language).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXAMPLES", "Example"]


@dataclass(frozen=True)
class Example:
    """One example: a label for the page, the text, its language and a target to try."""

    label: str
    language: str
    target: str
    text: str


EXAMPLES: tuple[Example, ...] = (
    Example(
        "French news → German",
        "fr",
        "de",
        "Un train de nuit relie de nouveau Paris à Berlin\n\n"
        "Après neuf ans d'interruption, un train de nuit relie de nouveau Paris à Berlin trois "
        "fois par semaine. Le premier convoi a quitté la gare de l'Est lundi soir avec près de "
        "deux cents voyageurs à bord. Les billets les moins chers coûtent quarante-neuf euros "
        "pour une place assise.\n\n"
        "Les compagnies ferroviaires espèrent attirer les voyageurs qui prennent aujourd'hui "
        "l'avion. Une association de passagers salue le retour de la ligne mais regrette "
        "l'absence de voiture-restaurant.",
    ),
    Example(
        "German news → English",
        "de",
        "en",
        "Hochwasser: Altstadt von Passau wieder geöffnet\n\n"
        "Drei Tage nach dem Hochwasser ist die Altstadt von Passau wieder für Besucher geöffnet. "
        "Die Feuerwehr hat in der Nacht die letzten Keller leer gepumpt. Viele Geschäfte in der "
        "Innenstadt bleiben jedoch noch mindestens eine Woche geschlossen.\n\n"
        "Die Stadt schätzt den Schaden auf mehrere Millionen Euro. Der Bürgermeister kündigte an, "
        "die Schutzmauer am Donauufer bis zum nächsten Frühjahr zu erhöhen.",
    ),
    Example(
        "Spanish news → French",
        "es",
        "fr",
        "Una cooperativa de Valencia gana un premio europeo de agricultura\n\n"
        "Una cooperativa de agricultores de Valencia ha ganado el premio europeo a la innovación "
        "agrícola. Sus miembros han reducido a la mitad el consumo de agua de sus naranjos "
        "gracias a sensores instalados en el suelo. El jurado destacó que el sistema es barato y "
        "fácil de copiar.\n\n"
        "La cooperativa recibirá cincuenta mil euros, que piensa invertir en formar a jóvenes "
        "agricultores de la comarca.",
    ),
    Example(
        "Italian news → English",
        "it",
        "en",
        "Riapre il museo archeologico di Taranto dopo i lavori\n\n"
        "Il museo archeologico di Taranto ha riaperto le sue sale dopo due anni di lavori. I "
        "visitatori possono di nuovo ammirare la collezione di gioielli greci, una delle più "
        "importanti del Mediterraneo. Il nuovo percorso è accessibile anche alle persone in "
        "sedia a rotelle.\n\n"
        "Nel primo fine settimana sono entrate più di quattromila persone, secondo la direzione.",
    ),
    Example(
        "English news → Spanish",
        "en",
        "es",
        "Volunteers count a record number of puffins on a Scottish island\n\n"
        "Volunteers on the Isle of May have counted more puffins this summer than in any year "
        "since records began. The survey found almost fifty thousand occupied burrows across the "
        "small island. Scientists say that a good supply of sand eels helped the birds raise "
        "their chicks.\n\n"
        "The island is closed to visitors during the count, which takes three weeks every June.",
    ),
    Example(
        "Russian news → English",
        "ru",
        "en",
        "В Казани открылся новый мост через Казанку\n\n"
        "В Казани в субботу открыли новый пешеходный мост через реку Казанку. Мост длиной "
        "триста метров соединяет старый центр города с новым жилым районом. По словам мэрии, "
        "путь от района до центра теперь занимает пятнадцать минут вместо сорока.\n\n"
        "Вечером мост подсвечивают разными цветами.",
    ),
    Example(
        "Chinese news → English",
        "zh",
        "en",
        "杭州开通第一条无人驾驶公交线路\n\n"
        "杭州市周一开通了第一条无人驾驶公交线路。这条线路全长十二公里，连接火车东站和一个新的科技园区。"
        "每辆车上仍然有一名安全员，在紧急情况下可以接管车辆。\n\n"
        "市交通局表示，如果试运行顺利，明年将增加三条类似的线路。",
    ),
)
