"""The demo agencies' names in the interface languages (synthetic agencies, names written for the
demo); Serbian Cyrillic is transliterated from Serbian Latin."""

import cyrtranslit

from crossroads.access.choices import AgencyKind

# kind: (sq, sr-latn, mk, bs)
_NAMES = {
    AgencyKind.POLICE: ("Policia e Shtetit – Njësia kundër Trafikimit",
                        "Državna policija – Jedinica za borbu protiv trgovine ljudima",
                        "Државна полиција – Единица за борба против трговија со луѓе",
                        "Državna policija – Jedinica za borbu protiv trgovine ljudima"),
    AgencyKind.PROSECUTION: ("Prokuroria për Krimet e Rënda", "Tužilaštvo za teški kriminal",
                             "Обвинителство за тежок криминал", "Tužilaštvo za teški kriminal"),
    AgencyKind.COURT: ("Gjykata e Shkallës së Parë", "Osnovni sud", "Основен суд",
                       "Općinski sud"),
    AgencyKind.SOCIAL_SERVICES: ("Qendra e Punës Sociale", "Centar za socijalni rad",
                                 "Центар за социјална работа", "Centar za socijalni rad"),
    AgencyKind.NGO: ("Shoqata Rruga e Sigurt", "Udruženje Siguran put", "Здружение Безбеден пат",
                     "Udruženje Siguran put"),
    AgencyKind.SHELTER: ("Strehëza Shtëpia e Shpresës", "Sklonište Kuća nade",
                         "Засолниште Куќа на надежта", "Sklonište Kuća nade"),
    AgencyKind.LABOUR_INSPECTORATE: ("Inspektorati i Punës", "Inspekcija rada",
                                     "Инспекторат за труд", "Inspekcija rada"),
    AgencyKind.COORDINATOR: ("Zyra e Koordinatorit Kombëtar kundër Trafikimit",
                             "Kancelarija nacionalnog koordinatora za borbu protiv trgovine "
                             "ljudima",
                             "Канцеларија на националниот координатор за борба против трговија "
                             "со луѓе",
                             "Ured državnog koordinatora za borbu protiv trgovine ljudima"),
    AgencyKind.OMBUDSMAN: ("Avokati i Popullit", "Zaštitnik građana", "Народен правобранител",
                           "Ombudsmen"),
    AgencyKind.INTERNATIONAL: ("Zyra në terren e organizatës ndërkombëtare",
                               "Terenska kancelarija međunarodne organizacije",
                               "Теренска канцеларија на меѓународната организација",
                               "Terenski ured međunarodne organizacije"),
}


def translated_names(kind: str, jurisdiction: str) -> dict[str, str]:
    """The agency's names by language code, each with the jurisdiction as the official one."""
    sq, sr_latn, mk, bs = _NAMES[kind]
    names = {"sq": sq, "sr-latn": sr_latn, "sr-cyrl": cyrtranslit.to_cyrillic(sr_latn, "sr"),
             "mk": mk, "bs": bs}
    return {code: f"{name} ({jurisdiction})" for code, name in names.items()}
