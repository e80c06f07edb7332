"""Places of the region that carry different names in Albanian and South Slavic.

Spelling differences (Priština/Prishtinë, Ulcinj/Ulqin) are removed by folding; a
row is needed only where the names themselves differ (Uroševac/Ferizaj).
"""

PLACE_NAME_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Peć", "Pejë", "Peja"),
    ("Đakovica", "Gjakovë", "Gjakova"),
    ("Uroševac", "Ferizaj"),
    ("Gnjilane", "Gjilan"),
    ("Vučitrn", "Vushtrri"),
    ("Mitrovica", "Kosovska Mitrovica", "Mitrovicë"),
    ("Orahovac", "Rahovec"),
    ("Suva Reka", "Suharekë", "Suhareka"),
    ("Dečani", "Deçan"),
    ("Istok", "Istog"),
    ("Glogovac", "Drenas"),
    ("Srbica", "Skenderaj"),
    ("Lipljan", "Lipjan"),
    ("Kosovo Polje", "Fushë Kosovë", "Fushë Kosova"),
    ("Štrpce", "Shtërpcë"),
    ("Vitina", "Viti"),
    ("Štimlje", "Shtime"),
    ("Prilep", "Përlep"),
    ("Veles", "Velesh"),
    ("Skopje", "Shkup", "Shkupi"),
    ("Debar", "Dibër", "Dibra"),
    ("Kičevo", "Kërçovë", "Kërçova"),
    ("Ohrid", "Ohër", "Ohri"),
    ("Bitola", "Manastir"),
    ("Shkodër", "Skadar", "Shkodra"),
    ("Durrës", "Drač", "Durrësi"),
    ("Vlorë", "Valona", "Vlora"),
    ("Tivari", "Bar"),
    ("Ulcinj", "Ulqin"),
    ("Tuzi", "Tuz"),
    ("Guci", "Gusinje"),
    ("Beograd", "Belgrade", "Beogradi"),
    ("Novi Pazar", "Pazari i Ri"),
    ("Preševo", "Preshevë", "Presheva"),
    ("Bujanovac", "Bujanoc"),
    ("Medveđa", "Medvegjë"),
)

# Citizenship as written in records: ISO code, English, Albanian or South Slavic name.
CITIZENSHIP_NAMES: dict[str, tuple[str, ...]] = {
    "AL": ("ALB", "Albania", "Shqipëri", "Shqipëria", "Albanija", "Albanian", "shqiptare"),
    "BA": (
        "BIH",
        "Bosnia and Herzegovina",
        "Bosna i Hercegovina",
        "Bosnia",
        "BiH",
        "Bosnjë",
        "Bosnja e Hercegovina",
        "Bosnja dhe Hercegovina",
    ),
    "XK": ("XKX", "RKS", "Kosovo", "Kosovë", "Kosova", "Republika e Kosovës"),
    "ME": ("MNE", "Montenegro", "Crna Gora", "Mali i Zi"),
    "MK": (
        "MKD",
        "North Macedonia",
        "Macedonia",
        "Severna Makedonija",
        "Sjeverna Makedonija",
        "Makedonija",
        "Maqedonia e Veriut",
        "Maqedoni e Veriut",
        "Maqedonia",
        "Maqedoni",
    ),
    "RS": ("SRB", "Serbia", "Srbija", "Serbija", "Serbian", "Serbi", "Serbia"),
}
