"""A second, independently built synthetic cross-border set: families in two registers.

Built to differ from `balkan_data` (which draws persons one by one from
`crossroads.demo.names` and adds look-alikes afterwards): here the unit is a family,
and the hard negatives come from how families are made. Nothing here is shared with
`crossroads.demo` or `crossroads.linkage`: the name pools, the transliteration table,
the typo model and the date errors are this file's own.

- A family has a surname, a father (whose given name every child carries as father's
  name), a home place and two to five children born one to nine years apart; one
  family in eight has twins (same day). Siblings therefore share family name, father
  and place, and differ in given name and precise birth date.
- Namesakes: a cousin named after the same grandfather has the same given and family
  name, another father and a precise birth date 10 to 40 years away.
- Swaps inside a family: a register writes a record with given and family name
  swapped (5 %), and a family whose surname is also a given name (Albanian patronymic
  surnames such as Gjoni, Slavic ones such as Marković beside Marko) makes such swaps
  look like a sibling.
- Two registers (the left one Albanian-speaking, the right one Serbian or Macedonian,
  writing Cyrillic for half its records) with their own orthography, keyboard typos,
  dropped diacritics, partial dates (year or year-month), estimated ages (a year off),
  day/month swaps, a missing father or sex, and their own local document numbers
  beside a passport seen by both in 35 % of records.
"""

import random
from datetime import date, timedelta
from pathlib import Path

from layout import write_records, write_truth

# Base Latin spellings (Gaj for the Slavic names). Synthetic combinations only.
_GIVEN = {
    "sq": {
        "M": """Agim Arben Artan Bujar Dren Ermal Fatos Gjon Ilir Kujtim Leonard Marjan Ndue Pal
            Pren Shpetim Tonin Vehbi Zenel Lek""",
        "F": """Ardita Besa Dona Elsa Fiona Gjyste Ina Klodiana Liza Manjola Nertila Olta Pashke
            Rita Sara Tereza Vjosa Zamira""",
    },
    "sl": {
        "M": """Bogoljub Čedo Dobrivoje Đorđe Goran Jovan Ljubiša Marko Miloš Nenad Obren Petar
            Radoš Savo Stevan Todor Uroš Vlado Žarko Zlatko""",
        "F": """Bosa Dara Đurđa Gorica Jasna Ljilja Milena Nada Olga Radojka Senka Stoja Tijana
            Vesna Zora Živana Ksenija Milka""",
    },
}
_SURNAMES = {
    "sq": """Gjoni Lleshi Marku Pali Preni Ndoja Tonini Kola Doda Zefi Leka Gjini Biba Shllaku
        Vata Kaçi Lulaj Berisha Dedaj Çuni""",
    "sl": """Marković Petrović Jovanović Todorović Savić Đorđević Stevanović Radošević Ilić
        Nenadić Obradović Žarković Vlahović Čolić Zlatanović Ljubić Šarac Milošević
        Uroševski Goranov""",
}
_PLACES = {
    "sq": ["Shkodër", "Lezhë", "Kukës", "Pukë", "Prizren", "Gjakovë", "Pejë", "Tetovë"],
    "sl": ["Niš", "Kragujevac", "Čačak", "Kumanovo", "Štip", "Užice", "Prokuplje", "Bitola"],
}
# How the other register spells a place (exonyms and orthography).
_PLACE_ELSEWHERE = {
    "Shkodër": "Skadar",
    "Lezhë": "Lješ",
    "Kukës": "Kukes",
    "Pukë": "Puka",
    "Prizren": "Prizreni",
    "Gjakovë": "Đakovica",
    "Pejë": "Peć",
    "Tetovë": "Tetovo",
    "Niš": "Nish",
    "Kragujevac": "Kragujevc",
    "Čačak": "Çaçak",
    "Kumanovo": "Kumanova",
    "Štip": "Shtip",
    "Užice": "Uzhice",
    "Prokuplje": "Prokuple",
    "Bitola": "Manastir",
}
_CYRILLIC = dict(
    zip(
        [*"abcčćdđefghijklmnoprsštuvzž", "lj", "nj", "dž"],
        [*"абцчћдђефгхијклмнопрсштувзж", "љ", "њ", "џ"],
        strict=True,
    )
)
# Albanian officers write Slavic sounds their way, Slavic officers Albanian ones theirs.
_TO_ALBANIAN = (("dž", "xh"), ("đ", "gj"), ("č", "ç"), ("ć", "q"), ("š", "sh"), ("ž", "zh"), ("c", "c"))
_TO_SLAVIC = (
    ("xh", "dž"),
    ("gj", "đ"),
    ("sh", "š"),
    ("zh", "ž"),
    ("ç", "č"),
    ("ë", "e"),
    ("q", "ć"),
    ("y", "i"),
)
_STRIP = str.maketrans("čćšžđëçČĆŠŽĐËÇ", "ccszdecCCSZDEC")
_LATEST_BIRTH = date(2010, 12, 31)
_KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _split(words: str) -> list[str]:
    return words.split()


def _feminine(surname: str, culture: str) -> str:
    if culture == "sl" and surname.endswith("ski"):
        return surname[:-1] + "a"
    if culture == "sl" and surname.endswith("ov"):
        return surname + "a"
    return surname


def _respell(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for old, new in table:
        text = text.replace(old, new).replace(old.capitalize(), new.capitalize())
    return text


def _to_cyrillic(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        width = 2 if text[i : i + 2].lower() in _CYRILLIC else 1
        piece = text[i : i + width]
        letter = _CYRILLIC.get(piece.lower(), piece.lower())
        out.append(letter.upper() if piece[0].isupper() else letter)
        i += width
    return "".join(out)


def _keyboard_typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("neighbour", "drop", "double", "transpose"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "transpose":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for row in _KEYS:
        j = row.find(word[i].lower())
        if j >= 0:
            near = row[max(0, j - 1) : j] + row[j + 1 : j + 2]
            return word[:i] + rng.choice(near) + word[i + 1 :]
    return word


def _new_family(rng: random.Random, culture: str) -> dict:
    surname = rng.choice(_split(_SURNAMES[culture]))
    father = rng.choice(_split(_GIVEN[culture]["M"]))
    birth = date(1958, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    children, names_used = [], set()
    for _ in range(rng.randint(2, 5)):
        if birth > _LATEST_BIRTH:
            break
        sex = rng.choice("MF")
        given = rng.choice([g for g in _split(_GIVEN[culture][sex]) if g not in names_used] or ["Ana"])
        names_used.add(given)
        children.append({"given": given, "sex": sex, "birth": birth})
        birth = birth + timedelta(days=rng.randrange(365, 9 * 365))
    if rng.random() < 0.125:
        twin = children[rng.randrange(len(children))]
        sex = rng.choice("MF")
        given = rng.choice([g for g in _split(_GIVEN[culture][sex]) if g not in names_used] or ["Ana"])
        children.append({"given": given, "sex": sex, "birth": twin["birth"]})
    place = rng.choice(_PLACES[culture])
    return {"culture": culture, "surname": surname, "father": father, "place": place, "children": children}


def _people(rng: random.Random, families: int) -> list[dict]:
    people = []
    for _ in range(families):
        family = _new_family(rng, rng.choice(("sq", "sl")))
        for child in family["children"]:
            people.append({**child, **{k: family[k] for k in ("culture", "surname", "father", "place")}})
        if rng.random() < 0.25:  # a cousin named after the same grandfather
            model = rng.choice(family["children"])
            shift = rng.choice((-1, 1)) * rng.randint(10 * 365, 40 * 365)
            others = [f for f in _split(_GIVEN[family["culture"]]["M"]) if f != family["father"]]
            people.append(
                {
                    **model,
                    "culture": family["culture"],
                    "surname": family["surname"],
                    "place": family["place"],
                    "father": rng.choice(others),
                    "birth": min(
                        _LATEST_BIRTH, max(date(1935, 1, 1), model["birth"] + timedelta(days=shift))
                    ),
                }
            )
    for number, person in enumerate(people):
        person["passport"] = f"{rng.choice('ABCKPR')}{rng.choice('ABCKPR')}{number:06d}{rng.randrange(10)}"
    return people


def _date_text(rng: random.Random, birth: date) -> str:
    r = rng.random()
    if r < 0.04:
        return ""
    if r < 0.12:
        return str(birth.year)
    if r < 0.16:
        return f"{birth.year}-{birth.month:02d}"
    if r < 0.21:
        return str(birth.year + rng.choice((-1, 1)))
    if r < 0.24 and birth.day <= 12 and birth.day != birth.month:
        return f"{birth.year}-{birth.day:02d}-{birth.month:02d}"
    return birth.isoformat()


def _written(rng: random.Random, text: str, register: str, cyrillic: bool) -> str:
    text = _respell(text, _TO_ALBANIAN if register == "L" else _TO_SLAVIC)
    if rng.random() < 0.25:
        text = text.translate(_STRIP)
    if rng.random() < 0.12:
        text = _keyboard_typo(rng, text)
    return _to_cyrillic(text) if cyrillic else text


def _record(rng: random.Random, person: dict, register: str, record_id: str, local: int) -> dict:
    cyrillic = register == "R" and rng.random() < 0.5
    family = person["surname"] if person["sex"] == "M" else _feminine(person["surname"], person["culture"])
    given, family = (
        _written(rng, person["given"], register, cyrillic),
        _written(rng, family, register, cyrillic),
    )
    if rng.random() < 0.05:
        given, family = family, given
    home_register = "L" if person["culture"] == "sq" else "R"
    place = person["place"] if register == home_register else _PLACE_ELSEWHERE[person["place"]]
    return {
        "id": record_id,
        "given_name": given,
        "family_name": family,
        "father_name": _written(rng, person["father"], register, cyrillic) if rng.random() < 0.7 else "",
        "sex": person["sex"] if rng.random() < 0.96 else "",
        "birth_date": _date_text(rng, person["birth"]),
        "birth_place": _written(rng, place, register, cyrillic) if rng.random() < 0.85 else "",
        "citizenship": "",
        "document_number": person["passport"] if rng.random() < 0.35 else f"{register}{local:08d}",
        "address": "",
    }


def write_family_registers(directory: Path, families: int = 1500, seed: int = 424242) -> dict:
    """Two registers; each person is in both (45 %), only the left or only the right."""
    rng = random.Random(seed)
    left, right, truth = [], [], []
    for person in _people(rng, families):
        where = rng.choices(("both", "L", "R"), (0.45, 0.275, 0.275))[0]
        ids = {}
        for register, side in (("L", left), ("R", right)):
            if where in ("both", register):
                ids[register] = f"{register}{len(side):06d}"
                side.append(_record(rng, person, register, ids[register], rng.randrange(10**8)))
        if where == "both":
            truth.append((ids["L"], ids["R"]))
    rng.shuffle(left)
    rng.shuffle(right)
    paths = {name: directory / f"family_{name}_{seed}.csv" for name in ("left", "right", "truth")}
    write_records(paths["left"], left)
    write_records(paths["right"], right)
    write_truth(paths["truth"], truth)
    return paths
