"""Texts written for this project's tests: news-style sentences in many languages.

Nothing here is copied from elsewhere; the sentences are simple, invented and deliberately
ordinary, so that a language detector has a fair chance and a reader can check them.
"""

from __future__ import annotations

# Two or three sentences per language, for deterministic detection tests.
SAMPLES: dict[str, str] = {
    "en": "The city council approved a new budget for public transport on Tuesday evening. "
    "Buses will run more often on the busiest routes from the first of March.",
    "fr": "Le conseil municipal a approuvé mardi soir un nouveau budget pour les transports "
    "publics. Les bus circuleront plus souvent sur les lignes les plus fréquentées dès le mois "
    "de mars.",
    "de": "Der Stadtrat hat am Dienstagabend einen neuen Haushalt für den öffentlichen Verkehr "
    "beschlossen. Die Busse sollen ab März auf den vollsten Linien häufiger fahren.",
    "es": "El ayuntamiento aprobó el martes por la noche un nuevo presupuesto para el "
    "transporte público. Los autobuses pasarán con más frecuencia por las líneas más "
    "utilizadas a partir de marzo.",
    "it": "Il consiglio comunale ha approvato martedì sera un nuovo bilancio per il trasporto "
    "pubblico. Gli autobus passeranno più spesso sulle linee più affollate a partire da marzo.",
    "pt": "A câmara municipal aprovou na terça-feira à noite um novo orçamento para os "
    "transportes públicos. Os autocarros vão passar com mais frequência nas linhas mais "
    "movimentadas a partir de março.",
    "nl": "De gemeenteraad heeft dinsdagavond een nieuwe begroting voor het openbaar vervoer "
    "goedgekeurd. De bussen gaan vanaf maart vaker rijden op de drukste lijnen.",
    "ru": "Городской совет во вторник вечером утвердил новый бюджет для общественного "
    "транспорта. С марта автобусы будут ходить чаще на самых загруженных маршрутах.",
    "uk": "Міська рада у вівторок увечері затвердила новий бюджет для громадського транспорту. "
    "З березня автобуси їздитимуть частіше на найзавантаженіших маршрутах.",
    "pl": "Rada miasta zatwierdziła we wtorek wieczorem nowy budżet na transport publiczny. "
    "Od marca autobusy będą jeździć częściej na najbardziej zatłoczonych liniach.",
    "sv": "Kommunfullmäktige godkände på tisdagskvällen en ny budget för kollektivtrafiken. "
    "Bussarna ska gå oftare på de mest trafikerade linjerna från och med mars.",
    "tr": "Belediye meclisi salı akşamı toplu taşıma için yeni bir bütçeyi onayladı. "
    "Otobüsler mart ayından itibaren en yoğun hatlarda daha sık çalışacak.",
    "zh": "市议会星期二晚上批准了一项新的公共交通预算。从三月起，最繁忙的线路上的公共汽车将更加频繁。",
    "ja": "市議会は火曜日の夜、公共交通機関の新しい予算を承認しました。三月から、最も混雑する路線でバスの本数が増えます。",
    "ar": "وافق مجلس المدينة مساء الثلاثاء على ميزانية جديدة للنقل العام. "
    "ستعمل الحافلات بشكل أكثر تواترا على الخطوط الأكثر ازدحاما اعتبارا من شهر مارس.",
    "ko": "시의회는 화요일 저녁 대중교통을 위한 새 예산을 승인했습니다. "
    "3월부터 가장 붐비는 노선에서 버스가 더 자주 운행됩니다.",
}

# A news-style article of about 25 sentences in four paragraphs.
ARTICLE_EN = """\
Harbour town opens its new library after three years of building work

The small harbour town of Westmere opened its new public library on Saturday morning. \
Hundreds of residents queued in the rain before the doors opened at nine o'clock. \
The building stands on the site of an old fish market that closed twelve years ago. \
Its wooden roof was designed to look like the hull of an upturned boat. \
The mayor said the library was the largest public project in the town for a generation.

Construction began three years ago and cost about eleven million euros. \
Most of the money came from a regional fund for coastal towns. \
The rest was raised by local businesses and a long campaign of bake sales and concerts. \
Work stopped for five months when builders found the remains of a medieval quay. \
Archaeologists recorded the stones before they were covered again. \
A glass panel in the floor of the entrance hall now shows part of the old quay.

The library holds forty thousand books and a growing collection of recordings. \
There is a children's floor with a reading room shaped like a lighthouse. \
Students can book quiet rooms on the top floor, which look out over the harbour. \
The building also houses the town archive, which had been kept in a damp basement. \
Librarians spent the winter cleaning and scanning old maps and ship registers. \
Many of those documents will be available online by the end of the year.

Not everyone welcomed the project at first. \
Some fishermen feared the loss of parking near the quay. \
The council answered with a new car park behind the station and a free shuttle bus. \
On opening day, the library registered more than one thousand new members. \
The head librarian said she hoped the building would become the town's living room. \
The library will be open every day except Monday.
"""

ARTICLE_FR = """\
La petite ville portuaire de Westmere a inauguré samedi matin sa nouvelle bibliothèque \
publique. Des centaines d'habitants ont fait la queue sous la pluie avant l'ouverture des \
portes à neuf heures. Le bâtiment se trouve à l'emplacement d'un ancien marché aux poissons.

Les travaux ont commencé il y a trois ans et ont coûté environ onze millions d'euros. \
La plus grande partie de l'argent provient d'un fonds régional pour les villes côtières. \
Le reste a été collecté par les commerçants et par une longue campagne de concerts.

La bibliothèque possède quarante mille livres et une collection d'enregistrements. \
Les enfants disposent d'un étage entier avec une salle de lecture en forme de phare. \
Le jour de l'ouverture, plus de mille nouveaux membres se sont inscrits.
"""

ARTICLE_DE = """\
Die kleine Hafenstadt Westmere hat am Samstagmorgen ihre neue öffentliche Bibliothek \
eröffnet. Hunderte Einwohner standen im Regen Schlange, bevor sich die Türen um neun Uhr \
öffneten. Das Gebäude steht an der Stelle eines alten Fischmarkts.

Die Bauarbeiten begannen vor drei Jahren und kosteten etwa elf Millionen Euro. \
Der größte Teil des Geldes stammt aus einem regionalen Fonds für Küstenstädte. \
Der Rest wurde von örtlichen Geschäften und mit Konzerten gesammelt.
"""

ARTICLE_ES = """\
La pequeña ciudad portuaria de Westmere inauguró el sábado por la mañana su nueva biblioteca \
pública. Cientos de vecinos hicieron cola bajo la lluvia antes de que se abrieran las puertas. \
El edificio ocupa el lugar de un antiguo mercado de pescado.

Las obras comenzaron hace tres años y costaron unos once millones de euros. \
La mayor parte del dinero procede de un fondo regional para las ciudades costeras.
"""

# Every text above, for training the tiny models' tokenizers.
CORPUS: list[str] = [
    *SAMPLES.values(),
    ARTICLE_EN,
    ARTICLE_FR,
    ARTICLE_DE,
    ARTICLE_ES,
]
