"""A third, independently built held-out set: two civil registers of one border region.

Different in design from `balkan_data` (persons drawn one by one, look-alikes added
afterwards) and from `family_data` (families as the unit, namesakes made on purpose):
here the unit is a town's population, whose names follow a skewed (Zipf-like)
frequency as real registers do, so namesakes arise from common names rather than
being planted; twins and married women are added on top. Nothing is shared with
`crossroads.demo`, `crossroads.linkage` or the other generators: names, places,
transliteration, typos and date errors are this file's own.

- Register A (a Macedonian-style civil register) writes Slavic names in Macedonian
  Cyrillic (ѓ, ќ, ѕ, џ, љ, њ) two times in three, else in the passport's Latin
  (ISO-like "gj", "kj", "dz" or the English-style "dj", "ch", "sh"); Albanian and
  Turkish names in their own Latin, sometimes with dropped ë and ç.
- Register B (a Kosovo-style register) writes everything in Latin: Albanian
  orthography for Slavic sounds ("xh", "q", "sh") half the time.
- Errors: OCR-like letter confusions (rn/m, l/i, o/0 removed), a dropped or doubled
  letter, a hyphenated second given name kept by one register only, a married
  woman's family name changed in B (with her birth name lost), partial dates
  (year only, year-month), an age estimated a year or two off, day and month swapped,
  a birth date off by one day (registered after midnight), a father's name missing or
  abbreviated to its initial, sex missing, and each register's own document numbers
  (a shared national ID in 40 % of the pairs).
- Hard negatives: twins (same day, same father, other given name), namesakes from
  the name frequencies (same given and family name in one town, other father, other
  date), fathers and sons named alike (the Albanian custom of naming a son after his
  grandfather makes grandfather and grandson namesakes 40-60 years apart).
"""

import random
from datetime import date, timedelta
from pathlib import Path

from layout import write_records, write_truth

_SLAVIC_MALE = """Aleksandar Blagoja Vasil Gjorgji Dimitar Zoran Igor Kiril Ljupčo Metodija Nikola
    Ognen Pance Riste Stojan Trajče Filip Hristijan Cvetan Džemal Boris Kosta Naum Goce"""
_SLAVIC_FEMALE = """Aneta Biljana Vesna Gordana Dragica Elena Zorica Ivana Katerina Ljubica Marija
    Nevenka Olivera Slavica Tanja Frosina Cveta Jagoda Snežana Kalina Magdalena"""
_ALBANIAN_MALE = """Afrim Bekim Besnik Driton Fadil Fisnik Gëzim Hajdar Isuf Jetmir Kastriot Lulzim
    Mentor Naim Qazim Rexhep Skënder Valon Xhevdet Zenun Shkëlzen Ylber"""
_ALBANIAN_FEMALE = """Albana Blerta Drita Edona Fatime Hana Jehona Lindita Mimoza Njomza Qëndresa
    Rrezarta Shqipe Teuta Valbona Xhejlane Zana Arbëresha Flutura"""
_TURKISH_MALE = "Adnan Bajram Erdal Hakan Ismet Kenan Mehmet Orhan Sabri Tahir"
_TURKISH_FEMALE = "Ajše Emine Fatma Hatidže Merjem Nurija Sevdže Zumreta"
_SLAVIC_SURNAMES = """Stojanovski Petrovski Nikolovski Trajkovski Dimitrovski Ristovski Jovanovski
    Angelovski Georgievski Kostovski Naumovski Velkovski Mitrevski Zdravkovski Ilievski Cvetkovski
    Spasovski Todorovski Gjorgjievski Kochovski"""
_ALBANIAN_SURNAMES = """Bajrami Rexhepi Ismaili Sulejmani Osmani Xhaferi Idrizi Shabani Limani
    Ramadani Jashari Mustafa Zeqiri Hoxha Krasniqi Gashi Berisha Morina"""
_TURKISH_SURNAMES = "Mehmedi Sabriu Tahiri Kadriu Ahmeti Bajramovski"
_TOWNS = {
    "Tetovo": ("Tetovë", 0.30),
    "Gostivar": ("Gostivar", 0.20),
    "Kumanovo": ("Kumanovë", 0.20),
    "Debar": ("Dibër", 0.10),
    "Struga": ("Strugë", 0.10),
    "Kičevo": ("Kërçovë", 0.10),
}
_GROUPS = {
    # group: (male given names, female given names, surnames, share of the population)
    "slavic": (_SLAVIC_MALE, _SLAVIC_FEMALE, _SLAVIC_SURNAMES, 0.45),
    "albanian": (_ALBANIAN_MALE, _ALBANIAN_FEMALE, _ALBANIAN_SURNAMES, 0.45),
    "turkish": (_TURKISH_MALE, _TURKISH_FEMALE, _TURKISH_SURNAMES, 0.10),
}
_MACEDONIAN_CYRILLIC = (
    ("dž", "џ"),
    ("gj", "ѓ"),
    ("kj", "ќ"),
    ("lj", "љ"),
    ("nj", "њ"),
    ("dz", "ѕ"),
    ("a", "а"),
    ("b", "б"),
    ("c", "ц"),
    ("č", "ч"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "ј"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("š", "ш"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("z", "з"),
    ("ž", "ж"),
)
_PASSPORT_LATIN = (("dž", "dzh"), ("č", "ch"), ("š", "sh"), ("ž", "zh"), ("gj", "dj"), ("kj", "kj"))
_ALBANIAN_FOR_SLAVIC = (("dž", "xh"), ("č", "ç"), ("š", "sh"), ("ž", "zh"), ("ć", "q"))
_OCR = (("rn", "m"), ("m", "rn"), ("l", "i"), ("i", "l"), ("e", "c"), ("u", "v"))
_PLAIN = str.maketrans("ëçËÇ", "ecEC")


def _pool(words: str) -> list[str]:
    return words.split()


def _zipf(rng: random.Random, names: list[str]) -> str:
    """A name drawn with weight 1/rank: a few names are very common, as in a register."""
    weights = [1 / (rank + 1) for rank in range(len(names))]
    return rng.choices(names, weights)[0]


def _married_surname(surname: str, group: str) -> str:
    if group == "slavic" and surname.endswith("ski"):
        return surname[:-1] + "a"
    return surname


def _person(rng: random.Random, town: str, group: str, born: date, sex: str, **given) -> dict:
    male, female, surnames, _ = _GROUPS[group]
    return {
        "town": town,
        "group": group,
        "sex": sex,
        "given": given.get("given") or _zipf(rng, _pool(male if sex == "M" else female)),
        "second_given": given.get("second_given", ""),
        "surname": given.get("surname") or _zipf(rng, _pool(surnames)),
        "father": given.get("father") or _zipf(rng, _pool(male)),
        "born": born,
        "national_id": "",
    }


def _population(rng: random.Random, size: int) -> list[dict]:
    towns = list(_TOWNS)
    people: list[dict] = []
    while len(people) < size:
        town = rng.choices(towns, [_TOWNS[t][1] for t in towns])[0]
        group = rng.choices(list(_GROUPS), [g[3] for g in _GROUPS.values()])[0]
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(70 * 365))
        person = _person(rng, town, group, born, rng.choice("MF"))
        if rng.random() < 0.1:
            person["second_given"] = _zipf(rng, _pool(_GROUPS[group][0 if person["sex"] == "M" else 1]))
        people.append(person)
        if rng.random() < 0.04:  # a twin: same day, father, surname and town
            people.append(
                _person(
                    rng,
                    town,
                    group,
                    born,
                    rng.choice("MF"),
                    surname=person["surname"],
                    father=person["father"],
                )
            )
        if group == "albanian" and person["sex"] == "M" and rng.random() < 0.08:
            # a grandson named after his grandfather, born 40 to 60 years later
            later = born + timedelta(days=rng.randint(40 * 365, 60 * 365))
            if later < date(2015, 1, 1):
                people.append(
                    _person(rng, town, group, later, "M", given=person["given"], surname=person["surname"])
                )
    for number, person in enumerate(people):
        person["national_id"] = f"{person['born']:%d%m%Y}{number % 1000:03d}{rng.randrange(10)}"
    return people


def _respell(text: str, table) -> str:
    for old, new in table:
        text = text.replace(old, new).replace(old.capitalize(), new.capitalize())
    return text


def _cyrillic(text: str) -> str:
    out = _respell(text.lower(), _MACEDONIAN_CYRILLIC)
    return out[:1].upper() + out[1:]


def _garble(rng: random.Random, word: str) -> str:
    r = rng.random()
    if r < 0.05 and len(word) > 4:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :]
    if r < 0.08 and len(word) > 3:
        i = rng.randrange(1, len(word))
        return word[:i] + word[i] + word[i:]
    if r < 0.11:
        old, new = rng.choice(_OCR)
        return word.replace(old, new, 1)
    return word


def _script(rng: random.Random, group: str, register: str) -> str:
    """How a register writes one record: "cyrillic", "passport" Latin, "albanian"
    orthography for Slavic sounds, or the name's own Latin ("own")."""
    if group != "slavic":
        return "own"
    if register == "A":
        return "cyrillic" if rng.random() < 0.67 else "passport"
    return "albanian" if rng.random() < 0.5 else "own"


def _write_name(rng: random.Random, name: str, script: str) -> str:
    if not name:
        return ""
    if script == "cyrillic":
        written = _cyrillic(name)
    elif script == "passport":
        written = _respell(name, _PASSPORT_LATIN).translate(str.maketrans("ćđĆĐ", "cdCD"))
    elif script == "albanian":
        written = _respell(name, _ALBANIAN_FOR_SLAVIC)
    else:
        written = name.translate(_PLAIN) if rng.random() < 0.2 else name
    return _garble(rng, written)


def _write_date(rng: random.Random, born: date) -> str:
    r = rng.random()
    if r < 0.03:
        return ""
    if r < 0.09:
        return str(born.year)
    if r < 0.12:
        return f"{born.year}-{born.month:02d}"
    if r < 0.15:
        return str(born.year + rng.choice((-2, -1, 1, 2)))
    if r < 0.17 and born.day <= 12 and born.day != born.month:
        return f"{born.year}-{born.day:02d}-{born.month:02d}"
    if r < 0.19:
        return (born + timedelta(days=rng.choice((-1, 1)))).isoformat()
    return born.isoformat()


def _record(rng: random.Random, person: dict, register: str, record_id: str, shared_id: bool) -> dict:
    group = person["group"]
    script = _script(rng, group, register)
    given = person["given"]
    if person["second_given"] and rng.random() < 0.5:
        given = f"{given}-{person['second_given']}"
    surname = person["surname"]
    if person["sex"] == "F":
        surname = _married_surname(surname, group)
        if register == "B" and rng.random() < 0.12:  # married meanwhile, birth name not kept
            surname = _zipf(rng, _pool(_GROUPS[group][2]))
    father = _write_name(rng, person["father"], script)
    if father and rng.random() < 0.1:
        father = father[0] + "."
    town = person["town"] if register == "A" else _TOWNS[person["town"]][0]
    return {
        "id": record_id,
        "given_name": _write_name(rng, given, script),
        "family_name": _write_name(rng, surname, script),
        "father_name": father if rng.random() < 0.8 else "",
        "sex": person["sex"] if rng.random() < 0.95 else "",
        "birth_date": _write_date(rng, person["born"]),
        "birth_place": (_cyrillic(town) if script == "cyrillic" else town) if rng.random() < 0.9 else "",
        "citizenship": "MK" if register == "A" else rng.choice(("XK", "MK", "")),
        "document_number": person["national_id"] if shared_id else f"{register}{rng.randrange(10**7):07d}",
        "address": "",
    }


def write_registry_pair(directory: Path, people: int = 9000, seed: int = 8675309) -> dict:
    """Register A holds 70 % of the population, register B 55 %; the persons in both are
    the true pairs."""
    rng = random.Random(seed)
    left, right, truth = [], [], []
    for person in _population(rng, people):
        in_a, in_b = rng.random() < 0.7, rng.random() < 0.55
        shared_id = rng.random() < 0.4
        ids = {}
        for register, side, present in (("A", left, in_a), ("B", right, in_b)):
            if present:
                ids[register] = f"{register}{len(side):06d}"
                side.append(_record(rng, person, register, ids[register], shared_id))
        if in_a and in_b:
            truth.append((ids["A"], ids["B"]))
    rng.shuffle(left)
    rng.shuffle(right)
    paths = {name: directory / f"registry_{name}_{seed}.csv" for name in ("left", "right", "truth")}
    write_records(paths["left"], left)
    write_records(paths["right"], right)
    write_truth(paths["truth"], truth)
    return paths
