"""Synthetic personal names of the Western Balkans, and how officers elsewhere would write them.

Pure Python, no Django: used by the demo seeder and by the linkage benchmark. Persons are random
combinations of common given names and surnames; no pool entry stands for a real person.

Slavic text passes through one intermediate form: Latin in Gaj's alphabet, plus ǵ and ḱ for
Macedonian Ѓ and Ќ (which Serbian writes đ and ć, Albanian gj and q). The generator deliberately
shares no code with the matcher in crossroads.linkage, so the benchmark does not grade itself.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

import cyrtranslit

JURISDICTIONS = ("AL", "BA", "XK", "ME", "MK", "RS")


@dataclass(frozen=True)
class SyntheticName:
    given_name: str
    family_name: str
    father_name: str  # may be "" when not recorded
    script: str  # "latn" or "cyrl"
    convention: str  # orthography: "sq" (Albanian), "sr", "bs", "me", "mk"


# --- pools: male given names / female given names / surnames (masculine form) ---------------

_POOLS_TEXT = {
    "sq": (
        """Agron Arben Ardian Arian Artan Astrit Bardh Bashkim Bekim Besart Besim Besnik Blerim
        Burim Dardan Dashnor Driton Edmond Elton Endrit Erion Fatmir Fisnik Flamur Florian Gazmend
        Genc Gentian Gëzim Granit Hajdar Ilir Isuf Jetmir Kastriot Kushtrim Labinot Leutrim Liridon
        Lulzim Luan Mentor Mergim Mirlind Naim Nexhat Petrit Qazim Rexhep Sadri Shkëlzen Shpend
        Skënder Valon Veton Visar Ylber Xhevdet Yll Zef Gjergj Gjon Pjetër Nikollë Mehmet Bajram
        Hysen Ismail Sokol Dritan Arbër Alban Fadil Rrahim Naser Çlirim Sylejman Ramadan Ibrahim
        Ahmet Dhimitër""",
        """Albana Alketa Anila Arjeta Besa Blerina Brikena Dafina Donika Drita Edona Elira Elona
        Emine Enkelejda Entela Erza Fatime Flutura Gentiana Hana Hyrije Jehona Jeta Kaltrina
        Lindita Liridona Lule Luljeta Majlinda Marigona Merita Mimoza Mirjeta Nazmije Nexhmije
        Njomza Pranvera Qëndresa Rina Rozafa Saranda Shqipe Shpresa Teuta Valbona Valdete Xhevahire
        Yllka Zana Zamira Zyhra Albina Ardita Arta Besiana Blerta Diellza Dhurata Egzona Fitore
        Gresa Lumturije Mirlinda Nora Rrezarta Shkurte Ermira Zhaneta Gjyljeta""",
        """Krasniqi Gashi Morina Hoti Shala Bytyqi Hasani Kastrati Zeqiri Hyseni Rexhepi Ahmeti
        Ismaili Islami Musliu Bajrami Mehmeti Aliu Selimi Sadiku Halili Avdiu Ibrahimi Salihu
        Maliqi Gjoka Lleshi Marku Prenga Dushku Kola Hysa Leka Çela Duka Shehu Xhaferi Zeka Bislimi
        Demiri Kryeziu Lushaku Murati Dervishi Elezi Sylejmani Beqiri Qerimi Latifi Syla Veseli
        Hajdari Kelmendi Hajdini Gjergji Kuqi Topalli Dida Koci Lika Bala Dema Toska Hoxhaj Deda
        Pllana Rrahmani Ramadani Kadriu Emini Abdullahu Bujupi Shabani Tahiri Limani Kurtishi
        Fetahu Rexha Sopi Muja Vrapi Mema Zhuri Kabashi Dibra Mulaku Luta Ademi Haxhiu Bunjaku
        Mazreku Begu Gjikolli Dhima Qorri""",
    ),
    "sr": (
        """Александар Алекса Андрија Бојан Богдан Бранислав Бранко Будимир Вељко Владан Владимир
        Војислав Вук Вукашин Горан Градимир Данило Дарко Дејан Димитрије Драган Драгиша Драгољуб
        Душан Ђорђе Ђуро Живко Жарко Здравко Зоран Иван Игор Илија Јован Јовица Лазар Лука Љубиша
        Љубомир Марко Михајло Милан Милорад Милош Милутин Миодраг Мирко Мирослав Младен Небојша
        Немања Ненад Никола Новица Огњен Павле Петар Предраг Радомир Радош Сава Светозар Слободан
        Срђан Станко Стефан Страхиња Тихомир Урош Филип Чедомир Спасоје Велимир Сретен Милоје
        Радивоје""",
        """Александра Ана Анђела Анђелка Ања Биљана Бојана Бранка Валентина Весна Вера Виолета
        Гордана Даница Данијела Даринка Десанка Драгана Драгица Дуња Душица Ђурђина Ђурђица Зорана
        Зорица Ивана Исидора Јадранка Јасмина Јелена Јелица Јована Катарина Косара Ксенија Лидија
        Љиљана Љубица Маја Мара Марија Марина Милена Милица Милка Мирјана Нада Наталија Наташа
        Невена Невенка Нина Оливера Петра Радмила Ружица Сандра Светлана Славица Слађана Смиљана
        Снежана Софија Соња Стана Станислава Тамара Теодора Тијана Јагода""",
        """Јовановић Петровић Николић Марковић Ђорђевић Стојановић Илић Станковић Павловић Поповић
        Живковић Тодоровић Ристић Стефановић Костић Митровић Ђурић Савић Васић Милојевић Ранковић
        Симић Вуковић Радовановић Обрадовић Митић Ђокић Бошковић Лукић Милић Јанковић Филиповић
        Марић Стојковић Тасић Зорић Бабић Кнежевић Милановић Радић Вучковић Ћирић Ђукић Ђурђевић
        Недељковић Радосављевић Мијатовић Арсић Живановић Пејић Гајић Алексић Трифуновић
        Благојевић Вујић Ивановић Степановић Спасић Миленковић Пешић Богдановић Војиновић
        Гавриловић Антић Матић Радуловић Цветковић Ђуричић Стевановић Величковић Крстић Јакшић
        Зечевић Хаџић Џаковић Чолић Љубисављевић Миљковић Јоксимовић Угљешић Бранковић Шаренац
        Мрђа Његовановић Ђуровић""",
    ),
    "mk": (
        """Александар Андреј Ангел Атанас Благоја Блаже Бобан Бојан Борче Бранко Васил Ванчо
        Велимир Влатко Владо Горан Ѓорѓи Ѓоко Даме Дарко Дејан Димитар Дончо Драган Душко Живко
        Жарко Зоран Иван Ивица Игор Илија Јане Јован Кире Кирил Климент Кочо Крсте Љупчо Марјан
        Марко Методија Милан Миле Мите Наум Ненад Никола Огнен Оливер Павле Панче Перо Петар Петре
        Ристе Ристо Сашо Славе Спасе Станко Стефан Стојан Стојче Тодор Трајче Филип Цветан
        Валентин""",
        """Ана Александра Ангела Биљана Благица Бојана Валентина Весна Верица Викторија Виолета
        Гордана Горица Даниела Даница Драгана Душица Елена Елизабета Емилија Жаклина Зорица Ивана
        Ирена Јагода Јасмина Јована Кате Катерина Кристина Ленче Лидија Љубица Магдалена Маја
        Марија Марина Марта Милица Милка Мирјана Моника Нада Наташа Невена Оливера Павлина Ружица
        Румена Сања Светлана Симона Славица Снежана Софија Соња Стефанија Тамара Тања Татјана
        Теодора Фросина Христина Цвета Цветанка""",
        """Трајковски Петровски Стојановски Николовски Јовановски Ангеловски Димитровски
        Стефановски Илиевски Атанасовски Ристовски Спасовски Костовски Вељановски Јанкуловски
        Тодоровски Пановски Наумовски Митревски Андоновски Блажевски Ѓорѓиевски Цветковски
        Здравковски Тасевски Кочовски Симоновски Бошковски Павловски Стојчевски Таневски Поповски
        Миловски Давидовски Несторовски Најдовски Михајловски Арсовски Велковски Манчевски
        Јакимовски Ѓоргиевски Серафимовски Јосифовски Стојковски Трпевски Коцевски Шишковски
        Филиповски Дамјановски Ивановски Крстевски Лазаревски Мирчевски Иванов Петров Георгиев
        Димитров Стојанов Трајанов Николов Андонов Ангелов Атанасов Пешев Тасев Митев Алексов
        Христов Јованов Костов Наумов Стојков Ристов Тодоров Панов Илиев Манев Донев Спасов Велков
        Блажев Крстев Лазаров Јанев Цветанов Ѓорѓиев Џамбазов Јакимов Чаушев Шопов""",
    ),
    "bs": (
        """Adnan Admir Adis Ahmed Alen Almir Amar Amel Amir Anel Armin Asim Avdo Belmin Benjamin
        Dino Dženan Džemal Edin Edis Ejub Elmedin Elvir Emin Emir Enes Ermin Fahrudin Faruk Fikret
        Hamdija Hamza Haris Harun Hasan Husein Husnija Ibrahim Idriz Irfan Ismet Jasmin Jusuf Kemal
        Kenan Mahir Mehmed Mensur Mirza Muhamed Mustafa Nedim Nedžad Nermin Nihad Omer Osman Ramiz
        Redžep Refik Salko Samir Sead Senad Suad Sulejman Šefik Tarik Vahid Zijad Ćamil Ismail""",
        """Adela Adna Aida Ajla Ajša Alma Almedina Amela Amila Amina Amra Anela Arijana Azra Behija
        Belma Ćamka Dalila Dženana Džana Edina Elma Elvira Emina Ena Enisa Esma Fatima Hajra Hana
        Hatidža Ilma Irma Jasmina Lamija Lejla Medina Melisa Merima Mersiha Minela Mirela Mirsada
        Nadira Naida Nejla Nermina Nihada Refija Sabaheta Sabina Safeta Samra Sanela Selma Senada
        Sumeja Šejla Tajra Vildana Zehra Zejneba Zerina Zlata Zumra Đula""",
        """Hodžić Hadžić Begić Mehić Delić Hasanović Husić Omerović Halilović Ibrahimović Mujić
        Salihović Kovačević Sulejmanović Ahmetović Alić Hasić Avdić Smajić Mešić Jusić Osmanović
        Karić Muratović Mustafić Šabić Zukić Selimović Beganović Softić Sarajlić Čaušević Dedić
        Imamović Hrustić Ademović Džafić Hamzić Ramić Redžić Šehić Tahirović Bajrić Ćatić
        Mahmutović Mehmedović Muminović Nuhanović Pašić Rizvanović Suljić Terzić Zahirović Kadić
        Fazlić Hajdarević Memić Durmišević Huskić Kurtović Merdanović Alagić Bešić Imširović Efendić
        Zulfić Kapetanović Agić Spahić Omanović Kahrović Ćehajić Dautović Muhić Husejnović
        Islamović Šahinović Hasanbegović Mulaosmanović Đulić Bajramović""",
    ),
    "hr": (
        """Ante Ivan Josip Marko Mario Ivica Stjepan Dario Krešimir Zvonko Davor Mate Nikola Luka
        Drago Zdravko Božo Mladen Ivo Vinko Slavko Perica Damir Goran Tihomir Jure Antonio Dominik
        Filip Matej Mislav Niko Pero Kruno Dražen Hrvoje Anto Jozo Ilija Šimun Petar""",
        """Ana Ivana Marija Marina Katarina Mirjana Snježana Kata Ankica Ljubica Dragica Mira Zdenka
        Ružica Kristina Martina Petra Lucija Iva Ivona Matea Andrea Nikolina Tea Antonija Lana Dora
        Ema Mateja Jelena Sanja Marijana Dubravka Vesna Gordana Anđela Nevenka Branka Jasna""",
        """Marić Jurić Perić Kovač Barišić Šimić Jelić Bošnjak Knežević Ivanković Tomić Vidović
        Grgić Matić Pavlović Petrović Zovko Ćorić Primorac Soldo Jukić Bošković Zelenika Rajić
        Lovrić Marković Galić Brkić Kožul Ramljak Skoko Miletić Šarić Vukoja Martinović Čuljak
        Krešić Mikulić Glavaš Puljić Batinić Bagarić""",
    ),
    "me": (
        """Aleksa Andrija Balša Blagota Boško Božidar Branko Budimir Vasilije Veljko Vido Vuk
        Vukašin Vuksan Vojin Goran Danilo Dejan Dragan Draško Dušan Đorđije Željko Zoran Ivan Igor
        Ilija Jovan Jovica Krsto Lazar Luka Ljubo Marko Milan Miloš Milutin Mirko Mitar Nebojša
        Nemanja Nikola Ognjen Petar Predrag Radomir Ranko Savo Slobodan Srđan Stefan Strahinja Tomo
        Uroš Filip Jakov Pavle Vladimir Zarija Petko Vaso Mijajlo Blažo Šćepan Rade Gojko Obrad
        Milija Bajo""",
        """Ana Anđela Biljana Bojana Branka Vesna Vera Gordana Danijela Danica Dragana Dušanka Jana
        Jelena Jovana Ivana Katarina Kristina Ksenija Lidija Ljiljana Maja Marija Marina Marta
        Milena Milica Mirjana Nada Natalija Nevena Nina Olivera Radmila Ružica Sandra Sanja Slavica
        Snežana Sofija Stana Tamara Tanja Teodora Tijana Vida Zorica Željka Ljubica Milka Dragica
        Jagoda Jovanka Milosava Zorka Milunka Kosara Jela Anka Stanka Bosiljka Radojka Vukosava
        Darinka""",
        """Vujović Radulović Lazović Vuković Perović Popović Knežević Jovanović Vujošević Bulatović
        Radović Vučinić Raičević Pejović Rakočević Šćekić Mijušković Bojović Nikolić Petrović
        Marković Pavićević Vukčević Lekić Cerović Đurović Kaluđerović Kovačević Mugoša Radonjić
        Vučetić Šaranović Milić Damjanović Ivanović Pejanović Bošković Vujačić Stanišić Bakrač
        Kadić Žižić Jokić Mitrović Zeković Vlahović Kljajić Đukić Otašević Popadić Vukićević
        Janković Jovović Andrijašević Dragović Golubović Tomović Vujisić Ćetković Lalić Obradović
        Šoć Vuksanović Vuletić Grbović Šćepanović Bulajić Jovićević Čarapić Mićunović Labović
        Dabović Đuranović Burzan Mašković Kostić Ćulafić Vulević Asanović Bećirović""",
    ),
}


@dataclass(frozen=True)
class _Pool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]

    def given(self, sex: str) -> tuple[str, ...]:
        return self.male if sex == "M" else self.female


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


POOLS = {culture: _Pool(*map(_words, texts)) for culture, texts in _POOLS_TEXT.items()}
_NATIVE_CYRILLIC = {"sr", "mk"}

# Given-name variants beyond spelling, in the source orthography (intermediate Latin for Slavic).
_GIVEN_VARIANTS_TEXT = {
    True: """Mehmet Muhamet Mehmed; Ahmet Ahmed; Hysen Husein Hysni; Ismail Smajl Ismajl;
        Sylejman Sulejman; Ibrahim Brahim; Nikollë Kolë Nikolla; Ramadan Ramazan; Isuf Jusuf;
        Dhimitër Mitër Dhimo; Pjetër Pjetri Pjeter; Fatime Fatma Fatimja; Emine Mine; Zyhra Zyre""",
    False: """Muhamed Mehmed Mehmet Muhamet Hamo; Ahmed Ahmet Ahmo; Husein Husejn Huso;
        Sulejman Sulejmen Sulja Sulo; Ibrahim Ibro; Ismail Smail Smajo; Mustafa Mujo; Jusuf Juso;
        Redžep Redžo; Hasan Haso; Osman Osmo; Fatima Fata Fatma; Emina Emine; Aleksandar Saša;
        Jovan Jovo Jovica; Petar Pero Petre; Petre Petar Pero; Nikola Niko Nikolče;
        Đorđe Đorđi Đoka Ǵorǵi; Ǵorǵi Đorđe Ǵoko; Dimitrije Dimitar Mitar Mite;
        Dimitar Dimitrije Mite; Mihajlo Mihailo Mihail Mijajlo; Stefan Stevan Stevo;
        Vasilije Vasil Vaso; Vasil Vasilije Vaso; Ilija Ilia Ile; Todor Teodor Tošo;
        Danilo Danijel Daniel; Andrija Andrej Andrea; Andrej Andrija Andreja; Marija Mara Mare;
        Elena Jelena Helena; Jelena Elena Jela; Katarina Katerina Kata; Katerina Katarina Kate;
        Ivan Ivo Ivica; Vladimir Vlado; Biljana Bilja; Snežana Sneža Snežka; Aleksa Aleksandar""",
}
_GIVEN_VARIANTS = {
    albanian: {
        group.split()[0]: tuple(group.split()[1:]) for group in text.split(";") if group.strip()
    }
    for albanian, text in _GIVEN_VARIANTS_TEXT.items()
}


# --- orthography -------------------------------------------------------------------------------


class _Spelling:
    """Longest-match, single-pass rewriting from a table like "xh=dž sh=š", capitals included."""

    def __init__(self, pairs: str):
        self.table: dict[str, str] = {}
        for pair in pairs.split():
            old, _, new = pair.partition("=")
            self.table[old] = new
            self.table[old.capitalize()] = new.capitalize()
        keys = sorted(self.table, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys)))

    def __call__(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.table[m.group()], text)


_SLAVIC_TO_SQ = _Spelling("dž=xh đ=gj ǵ=gj ž=zh š=sh č=ç ć=q ḱ=q dz=x")
_SQ_TO_SLAVIC = _Spelling("xh=dž zh=ž sh=š gj=ǵ dh=d th=t ç=č q=ḱ x=dz ll=l rr=r y=i ë=e")
_SOFT_AS_SERBIAN = _Spelling("ǵ=đ ḱ=ć")
_SOFT_AS_MACEDONIAN = _Spelling("ǵ=gj ḱ=kj")
_SERBIAN_AS_MACEDONIAN = _Spelling("đ=ǵ ć=ḱ")
_MACEDONIAN_LATIN_IN = _Spelling("gj=ǵ kj=ḱ")
_PLAIN_SPELLINGS = (
    _Spelling("đ=dj č=c ć=c ç=c ž=z š=s ë=e"),
    _Spelling("đ=dj č=ch ć=ch ç=ch ž=zh š=sh ë=e"),
    _Spelling("đ=d č=c ć=c ç=c ž=z š=s ë=e"),
)
_FINAL_E = re.compile(r"ë\b")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Style:
    """Choices one writer makes consistently across a whole record."""

    final_e: str = "e"  # Albanian word-final ë in Slavic spelling: "e" or dropped ("")
    soft_as_gj: bool = False  # Ѓ/Ќ in Slavic Latin as gj/kj rather than đ/ć


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def source_latin(text: str, convention: str) -> str:
    """`text` in the intermediate Latin of its orthography (Albanian text is returned as is)."""
    if is_cyrillic(text):
        return cyrtranslit.to_latin(text, "mk" if convention == "mk" else "sr")
    return _MACEDONIAN_LATIN_IN(text) if convention == "mk" else text


def write(text: str, albanian: bool, convention: str, script: str, style: Style = Style()) -> str:
    """Write intermediate-Latin `text` (Albanian spelling if `albanian`) in a target orthography."""
    if convention == "sq":
        return text if albanian else _SLAVIC_TO_SQ(text)
    if albanian:
        text = _SQ_TO_SLAVIC(_FINAL_E.sub(style.final_e, text))
    if script == "cyrl":
        if convention == "mk":
            return cyrtranslit.to_cyrillic(_SERBIAN_AS_MACEDONIAN(text), "mk")
        return cyrtranslit.to_cyrillic(_SOFT_AS_SERBIAN(text), "sr")
    if convention == "mk" or style.soft_as_gj:
        return _SOFT_AS_MACEDONIAN(text)
    return _SOFT_AS_SERBIAN(text)


def to_latin(text: str, convention: str) -> str:
    """Cyrillic Serbian/Macedonian text in its standard Latin (Macedonian Ѓ→gj, Ќ→kj)."""
    return write(source_latin(text, convention), False, convention, "latn")


def to_cyrillic(text: str, convention: str) -> str:
    return write(source_latin(text, convention), False, convention, "cyrl")


def strip_diacritics(rng: random.Random, text: str) -> str:
    """Latin text as typed on a keyboard without Balkan letters (Đ→Dj or D, Č→C or Ch, ...)."""
    return rng.choice(_PLAIN_SPELLINGS)(text)


def plain(text: str) -> str:
    """The commonest diacritic-free spelling (Đ→Dj, Č→C, Ž→Z, Ë→E)."""
    return _PLAIN_SPELLINGS[0](text)


_FEMININE = {"ски": "ска", "ов": "ова", "ев": "ева", "ski": "ska", "ov": "ova", "ev": "eva"}


def _gendered(surname: str, sex: str) -> str:
    """Macedonian surname in the form for `sex` (-ski/-ska, -ov/-ova, -ev/-eva), either script."""
    for male, female in _FEMININE.items():
        if sex == "F" and surname.endswith(male):
            return surname[: -len(male)] + female
        if sex == "M" and surname.endswith(female):
            return surname[: -len(female)] + male
    return surname


def _albanian_definite(given: str, sex: str) -> str:
    """Switch an Albanian given name between indefinite and definite form (Agron→Agroni)."""
    if sex == "F":
        if given.endswith("a"):
            return given[:-1] + "ë"
        return given[:-1] + "a" if given.endswith("ë") else given
    if given.endswith("ër"):
        return given[:-2] + "ri"
    if given.endswith("ë"):
        return given[:-1] + "a"
    if given[-1] in "aeiouy":
        return given
    return given + ("u" if given[-1] in "kgh" else "i")


# --- generation --------------------------------------------------------------------------------

_MIX = {
    "AL": (("sq", 1.0),),
    "XK": (("sq", 0.85), ("sr", 0.15)),
    "RS": (("sr", 1.0),),
    "MK": (("mk", 0.75), ("sq", 0.25)),
    "BA": (("bs", 0.5), ("sr", 0.3), ("hr", 0.2)),
    "ME": (("me", 0.9), ("sq", 0.1)),
}


def _pick_culture(rng: random.Random, jurisdiction: str) -> str:
    cultures, weights = zip(*_MIX[jurisdiction], strict=True)
    return rng.choices(cultures, weights)[0]


def _render(word: str, culture: str, convention: str, script: str) -> str:
    """A pool word (native script of `culture`) in the given orthography and script."""
    if culture in _NATIVE_CYRILLIC and script == "cyrl" and convention == culture:
        return word
    return write(source_latin(word, culture), culture == "sq", convention, script)


def _father(rng: random.Random, culture: str, avoid: str) -> str:
    return rng.choice([n for n in POOLS[culture].male if n != avoid])


def random_name(rng: random.Random, jurisdiction: str, sex: str) -> SyntheticName:
    """A name typical of the jurisdiction, written in its own script and orthography."""
    culture = _pick_culture(rng, jurisdiction)
    pool = POOLS[culture]
    given = rng.choice(pool.given(sex))
    family = rng.choice(pool.surnames)
    if culture == "mk":
        family = _gendered(family, sex)
    father = _father(rng, culture, given) if rng.random() < 0.9 else ""
    if culture in _NATIVE_CYRILLIC and jurisdiction != "BA":
        cyrillic = culture == "mk" or rng.random() < 0.5
    else:
        cyrillic = False
    script = "cyrl" if cyrillic else "latn"
    convention = "bs" if jurisdiction == "BA" else culture
    words = (_render(w, culture, convention, script) for w in (given, family, father))
    return SyntheticName(*words, script=script, convention=convention)


def _target(rng: random.Random, jurisdiction: str, albanian: bool) -> tuple[str, str]:
    """(convention, script) an officer in `jurisdiction` would use for this person."""
    r = rng.random()
    if jurisdiction == "AL" or (jurisdiction == "XK" and (albanian or r < 0.6)):
        return "sq", "latn"
    if jurisdiction == "MK":
        return ("sq", "latn") if albanian and r < 0.5 else ("mk", "cyrl")
    if jurisdiction == "ME" and albanian and r < 0.3:
        return "sq", "latn"
    if jurisdiction in ("RS", "XK"):
        return "sr", "cyrl" if rng.random() < 0.5 else "latn"
    return {"BA": "bs", "ME": "me"}[jurisdiction], "latn"


def _alt_given(rng: random.Random, given: str, albanian: bool) -> str:
    others = _GIVEN_VARIANTS[albanian].get(given)
    return rng.choice(others) if others else given


def record_variant(
    rng: random.Random,
    name: SyntheticName,
    recording_jurisdiction: str,
    sex: str,
    *,
    typo_rate: float = 0.15,
) -> SyntheticName:
    """The same person as an officer in `recording_jurisdiction` would likely write them."""
    albanian = name.convention == "sq"
    style = Style(final_e=rng.choice(("", "e")), soft_as_gj=rng.random() < 0.3)
    words = (name.given_name, name.family_name, name.father_name)
    given, family, father = (source_latin(w, name.convention) for w in words)
    if rng.random() < 0.15:
        given = _alt_given(rng, given, albanian)
    if albanian and rng.random() < 0.2:
        given = _albanian_definite(given, sex)
    mk_woman_abroad = name.convention == "mk" and sex == "F" and recording_jurisdiction != "MK"
    if mk_woman_abroad and rng.random() < 0.15:  # copied from the father's documents
        family = _gendered(family, "M")
    convention, script = _target(rng, recording_jurisdiction, albanian)
    fields = [write(w, albanian, convention, script, style) for w in (given, family, father)]
    if script == "latn" and rng.random() < 0.2:
        spelling = rng.choice(_PLAIN_SPELLINGS)
        fields = [spelling(w) for w in fields]
    if fields[2] and rng.random() < 0.25:
        fields[2] = ""
    if rng.random() < 0.05:
        fields[0], fields[1] = fields[1], fields[0]
    if rng.random() < typo_rate:
        i = rng.choice([i for i, w in enumerate(fields) if w])
        keyboard = "sq" if convention == "sq" else convention if script == "cyrl" else "latn"
        fields[i] = typo(rng, fields[i], keyboard)
    return SyntheticName(*fields, script=script, convention=convention)


# --- typos -------------------------------------------------------------------------------------

_KEYBOARDS = {
    "latn": ("qwertzuiopšđ", "asdfghjklčćž", "yxcvbnm"),  # Serbian/Bosnian/Montenegrin Latin
    "sq": ("qwertzuiopç", "asdfghjklë", "yxcvbnm"),
    "sr": ("љњертзуиопшђ", "асдфгхјклчћж", "ѕџцвбнм"),
    "mk": ("љњертѕуиопшѓ", "асдфгхјклчќж", "зџцвбнм"),
}


@cache
def _neighbours(keyboard: str) -> dict[str, str]:
    rows = _KEYBOARDS[keyboard]
    near: dict[str, set[str]] = {}
    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            for other in rows[max(r - 1, 0) : r + 2]:
                near.setdefault(key, set()).update(other[max(i - 1, 0) : i + 2])
    return {key: "".join(sorted(keys - {key})) for key, keys in near.items()}


def typo(rng: random.Random, word: str, keyboard: str = "latn") -> str:
    """One slip past the first letter: neighbouring key, dropped letter or swapped letters.

    `keyboard` is "latn" (Gaj Latin), "sq" (Albanian), "sr" or "mk" (Cyrillic).
    """
    positions = [i for i in range(1, len(word)) if word[i].isalpha()]
    if not positions:
        return word
    i = rng.choice(positions)
    op = rng.choice(("neighbour", "delete", "swap"))
    if op == "swap" and i + 1 < len(word) and word[i + 1].isalpha() and word[i + 1] != word[i]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    keys = _neighbours(keyboard).get(word[i].lower())
    if keys and (op != "delete" or len(word) < 3):
        key = rng.choice(keys)
        return word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1 :]
    return word[:i] + word[i + 1 :] if len(word) > 2 else word


# --- hard negatives ----------------------------------------------------------------------------


def _culture(name: SyntheticName) -> str:
    """The pool a name's given name comes from, preferring the one its orthography suggests."""
    key = to_latin(name.given_name, name.convention) if name.script == "cyrl" else name.given_name
    preferred = {"bs": ("bs", "sr", "hr")}.get(name.convention, (name.convention,))
    for culture in (*preferred, *POOLS):
        if key in _latin_given_names(culture):
            return culture
    return name.convention


@cache
def _latin_given_names(culture: str) -> frozenset[str]:
    pool = POOLS[culture]
    return frozenset(_render(n, culture, culture, "latn") for n in pool.male + pool.female)


def _like(word: str, culture: str, name: SyntheticName) -> str:
    return _render(word, culture, name.convention, name.script) if word else ""


def sibling_of(rng: random.Random, name: SyntheticName, sex: str) -> SyntheticName:
    """Same family name (gendered for `sex`) and father, another given name: a hard negative."""
    culture = _culture(name)
    candidates = [
        g for g in POOLS[culture].given(sex) if _like(g, culture, name) != name.given_name
    ]
    given = _like(rng.choice(candidates), culture, name)
    family = _gendered(name.family_name, sex) if culture == "mk" else name.family_name
    return SyntheticName(given, family, name.father_name, name.script, name.convention)


def namesake(rng: random.Random, name: SyntheticName) -> SyntheticName:
    """Another person with the same given and family name, another father: a hard negative."""
    culture = _culture(name)
    candidates = [f for f in POOLS[culture].male if _like(f, culture, name) != name.father_name]
    father = _like(rng.choice(candidates), culture, name)
    return SyntheticName(name.given_name, name.family_name, father, name.script, name.convention)
