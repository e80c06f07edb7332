"""Municipalities of the six jurisdictions, and how officers elsewhere would write them.

Real place names. Kosovo places carry their Albanian (Latin) and Serbian (Cyrillic) names;
Albanian places are Latin only.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from crossroads.demo.names import (
    plain,
    source_latin,
    strip_diacritics,
    to_cyrillic,
    to_latin,
    write,
)

_NATIVE = {  # names separated by "|"; XK entries are "Albanian=Serbian Cyrillic"
    "AL": """Tiranë|Durrës|Shkodër|Elbasan|Vlorë|Korçë|Fier|Berat|Lushnjë|Kavajë|Gjirokastër|
        Sarandë|Pogradec|Kukës|Lezhë|Krujë|Kamëz|Peshkopi|Tepelenë|Përmet|Librazhd|Gramsh|Delvinë""",
    "XK": """Prishtinë=Приштина|Prizren=Призрен|Pejë=Пећ|Gjakovë=Ђаковица|Mitrovicë=Митровица|
        Ferizaj=Урошевац|Gjilan=Гњилане|Vushtrri=Вучитрн|Podujevë=Подујево|Rahovec=Ораховац|
        Suharekë=Сува Река|Drenas=Глоговац|Lipjan=Липљан|Malishevë=Малишево|Kamenicë=Каменица|
        Viti=Витина|Deçan=Дечани|Istog=Исток|Klinë=Клина|Skenderaj=Србица|Dragash=Драгаш|
        Fushë Kosovë=Косово Поље|Obiliq=Обилић|Shtime=Штимље|Kaçanik=Качаник""",
    "RS": """Београд|Нови Сад|Ниш|Крагујевац|Суботица|Зрењанин|Панчево|Чачак|Краљево|Нови Пазар|
        Смедерево|Лесковац|Ужице|Врање|Шабац|Сомбор|Пожаревац|Пирот|Зајечар|Ваљево|Крушевац|
        Бујановац|Прешево|Медвеђа|Ћуприја""",
    "MK": """Скопје|Битола|Куманово|Прилеп|Тетово|Велес|Штип|Охрид|Гостивар|Струмица|Кавадарци|
        Кочани|Кичево|Струга|Радовиш|Гевгелија|Дебар|Крива Паланка|Свети Николе|Неготино|
        Делчево|Ресен|Берово|Кратово|Ѓорче Петров""",
    "BA": """Sarajevo|Banja Luka|Tuzla|Zenica|Mostar|Bihać|Bijeljina|Brčko|Prijedor|Doboj|
        Trebinje|Cazin|Živinice|Gradačac|Travnik|Zvornik|Goražde|Livno|Konjic|Bugojno|Visoko|
        Gračanica|Kakanj|Velika Kladuša""",
    "ME": """Podgorica|Nikšić|Pljevlja|Bijelo Polje|Cetinje|Bar|Herceg Novi|Berane|Budva|Ulcinj|
        Tivat|Rožaje|Kotor|Danilovgrad|Mojkovac|Plav|Kolašin|Žabljak|Gusinje|Tuzi|Andrijevica|
        Šavnik|Plužine|Petnjica""",
}


def _pairs(text: str) -> dict[str, str]:
    return dict(pair.split("=") for pair in text.split())


# Names in the other language that differ from a mere change of spelling.
_ALBANIAN_EXONYMS = _pairs(
    """Skopje=Shkup Tetovo=Tetovë Kumanovo=Kumanovë Struga=Strugë Debar=Dibër
    Kičevo=Kërçovë Ohrid=Ohër Bitola=Manastir Prilep=Përlep Veles=Velesh Štip=Shtip
    Preševo=Preshevë Bujanovac=Bujanoc Medveđa=Medvegjë Ulcinj=Ulqin Tuzi=Tuz Bar=Tivar
    Plav=Plavë Gusinje=Guci Podgorica=Podgoricë"""
)
_SLAVIC_EXONYMS = _pairs("Tiranë=Tirana Durrës=Drač Shkodër=Skadar Vlorë=Valona Korçë=Korča")
_DEFINITE = re.compile(r"ë(r?)$")


def _definite(albanian: str) -> str:
    """Albanian definite form of a place name, as it is often written (Prishtinë→Prishtina)."""
    return _DEFINITE.sub(lambda m: m.group(1) + "a", albanian)


@dataclass(frozen=True)
class _Place:
    jurisdiction: str
    latin: str  # as written in the jurisdiction, in Latin
    cyrillic: str  # in Cyrillic, or the Latin name where the place has no Cyrillic form
    albanian: str  # as an Albanian-speaking officer writes it
    slavic: str  # intermediate Latin (see names.py) of the name Slavic-speaking officers use


def _place(jurisdiction: str, entry: str) -> _Place:
    if jurisdiction == "AL":
        slavic = _SLAVIC_EXONYMS.get(entry) or write(_definite(entry), True, "sr", "latn")
        return _Place(jurisdiction, entry, entry, entry, slavic)
    if jurisdiction == "XK":
        albanian, cyrillic = entry.split("=")
        return _Place(jurisdiction, albanian, cyrillic, albanian, source_latin(cyrillic, "sr"))
    convention = "mk" if jurisdiction == "MK" else "sr"
    if jurisdiction in ("MK", "RS"):
        cyrillic, latin = entry, to_latin(entry, convention)
    else:
        cyrillic, latin = to_cyrillic(entry, "sr"), entry
    slavic = source_latin(cyrillic, convention)
    albanian = _ALBANIAN_EXONYMS.get(latin) or write(slavic, False, "sq", "latn")
    return _Place(jurisdiction, latin, cyrillic, albanian, slavic)


_PLACES = {j: [_place(j, e.strip()) for e in text.split("|")] for j, text in _NATIVE.items()}
MUNICIPALITIES: dict[str, list[tuple[str, str]]] = {
    j: [(p.latin, p.cyrillic) for p in places] for j, places in _PLACES.items()
}


def _fold(text: str) -> str:
    return plain(text).lower()


def _forms(place: _Place) -> set[str]:
    forms = {place.latin, place.cyrillic, place.albanian, _definite(place.albanian)}
    for convention in ("sr", "mk"):
        forms |= {write(place.slavic, False, convention, s) for s in ("latn", "cyrl")}
    return forms | {_fold(f) for f in forms}


_INDEX = {form: p for places in _PLACES.values() for p in places for form in _forms(p)}


def random_place(rng: random.Random, jurisdiction: str, script: str) -> str:
    """A municipality of the jurisdiction, in the given script ("latn" or "cyrl")."""
    latin, cyrillic = rng.choice(MUNICIPALITIES[jurisdiction])
    return cyrillic if script == "cyrl" else latin


def place_variant(rng: random.Random, place: str, recording_jurisdiction: str) -> str:
    """The same place as an officer in `recording_jurisdiction` would likely write it."""
    found = _INDEX.get(place) or _INDEX.get(_fold(place))
    if found is None:
        return place
    r = rng.random()
    j = recording_jurisdiction
    if j == "AL" or (j == "XK" and r < 0.85) or (j == "MK" and r < 0.2):
        out = _definite(found.albanian) if rng.random() < 0.4 else found.albanian
    elif j == "MK":
        return write(found.slavic, False, "mk", "cyrl")
    elif j in ("RS", "XK") and rng.random() < 0.5:
        return write(found.slavic, False, "sr", "cyrl")
    else:
        out = write(found.slavic, False, {"BA": "bs", "ME": "me"}.get(j, "sr"), "latn")
    return strip_diacritics(rng, out) if rng.random() < 0.2 else out
