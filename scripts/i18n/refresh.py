"""Refresh the translation catalogues of Crossroads.

    .venv/bin/python scripts/i18n/refresh.py            # extract, merge, generate, compile
    .venv/bin/python scripts/i18n/refresh.py --check    # the same, then exit 1 if any gap

1. ``makemessages`` over the package (``src/crossroads``: Python and templates) into
   ``src/crossroads/locale/<locale>/LC_MESSAGES/django.po`` for en, sq, sr_Latn, mk and bs;
   new strings arrive untranslated, changed ones fuzzy.
2. The headers are set (language, plural forms of the language, project name).
3. ``en`` is completed with the English source text itself (``msgen``'s rule).
4. ``sr_Cyrl`` is generated from ``sr_Latn`` by transliteration (``serbian.py``); it is
   never edited by hand.
5. ``compilemessages`` writes the ``.mo`` files that ship next to the ``.po`` files.

Translators then fill the empty and fuzzy entries of sq, sr_Latn, mk and bs, and run this
again. Needs GNU gettext (``xgettext``, ``msgmerge``, ``msgfmt``) on the PATH.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pofile
import serbian

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "crossroads"
LOCALE_DIR = PACKAGE / "locale"

# Locales whose catalogues people translate, and those generated from them.
TRANSLATED = ("sq", "sr_Latn", "mk", "bs")
GENERATED = ("sr_Cyrl", "en")
ALL = ("en", "sq", "sr_Latn", "sr_Cyrl", "mk", "bs")

# Plural rules as in Django's own catalogues of these languages (CLDR cardinal rules).
_SLAVIC_3 = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
             "(n%100<10 || n%100>=20) ? 1 : 2);")
HEADERS = {
    "en": ("English", "nplurals=2; plural=(n != 1);"),
    "sq": ("Albanian", "nplurals=2; plural=(n != 1);"),
    "sr_Latn": ("Serbian (Latin)", _SLAVIC_3),
    "sr_Cyrl": ("Serbian (Cyrillic)", _SLAVIC_3),
    "mk": ("Macedonian", "nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;"),
    "bs": ("Bosnian", _SLAVIC_3),
}


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossroads.settings.base")
    import django

    django.setup()


# What makemessages reads: Python and templates of the package, not the catalogues' own dir.
MAKEMESSAGES_OPTIONS = {"add_location": "file", "no_obsolete": True,
                        "ignore_patterns": ["locale/*", "static/*"], "verbosity": 0}


def extract(locales, package: Path = PACKAGE, **options) -> None:
    """makemessages for the given locales, run from the package directory.

    The catalogues go to ``settings.LOCALE_PATHS[0]`` (``<package>/locale``)."""
    from django.core.management import call_command

    cwd = os.getcwd()
    os.chdir(package)
    try:
        call_command("makemessages", locale=list(locales), **{**MAKEMESSAGES_OPTIONS, **options})
    finally:
        os.chdir(cwd)


def fix_header(catalog: pofile.Catalog, locale: str) -> None:
    name, plural_forms = HEADERS[locale]
    catalog.leading = []
    catalog.header.comments = [
        f"# Crossroads: {name} ({locale}) translation.",
        "# This file is distributed under the same license as Crossroads (AGPL-3.0-or-later).",
        "#",
    ] + [line for line in catalog.header.comments if line.startswith("# Generated")]
    catalog.header.drop_flag("fuzzy")
    for field, value in [("Project-Id-Version", "Crossroads"),
                         ("Last-Translator", "Crossroads translators"),
                         ("Language-Team", name),
                         ("Language", locale),
                         ("MIME-Version", "1.0"),
                         ("Content-Type", "text/plain; charset=UTF-8"),
                         ("Content-Transfer-Encoding", "8bit"),
                         ("Plural-Forms", plural_forms)]:
        catalog.set_metadata(field, value)
    # Revised with every refresh (translators' tools may set a later date).
    created = catalog.metadata.get("POT-Creation-Date", "")
    if created and catalog.metadata.get("PO-Revision-Date", "YEAR").startswith("YEAR"):
        catalog.set_metadata("PO-Revision-Date", created)


def complete_english(catalog: pofile.Catalog) -> None:
    """English shows the source text: fill what is empty or fuzzy with it."""
    for entry in catalog.live():
        if entry.fuzzy or not entry.translated:
            entry.drop_flag("fuzzy")
            if entry.msgid_plural is None:
                entry.msgstr = {0: entry.msgid}
            else:
                entry.msgstr = {0: entry.msgid, 1: entry.msgid_plural}


def gaps(catalog: pofile.Catalog) -> list[str]:
    return [entry.msgid for entry in catalog.live() if entry.fuzzy or not entry.translated]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when an entry is untranslated or fuzzy")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    extract(("en", *TRANSLATED))
    for locale in ("en", *TRANSLATED):
        catalog = pofile.read(po_path(locale))
        fix_header(catalog, locale)
        if locale == "en":
            complete_english(catalog)
        pofile.write(po_path(locale), catalog)
    cyrillic = po_path("sr_Cyrl")
    cyrillic.parent.mkdir(parents=True, exist_ok=True)
    cyrillic.write_text(serbian.cyrillic_catalogue(po_path("sr_Latn").read_text("utf-8")), "utf-8")
    catalog = pofile.read(cyrillic)
    fix_header(catalog, "sr_Cyrl")
    pofile.write(cyrillic, catalog)

    cwd = os.getcwd()
    os.chdir(PACKAGE)
    try:
        call_command("compilemessages", locale=list(ALL), verbosity=0)
    finally:
        os.chdir(cwd)

    missing = 0
    for locale in ALL:
        catalog = pofile.read(po_path(locale))
        todo = gaps(catalog)
        missing += len(todo)
        print(f"{locale:8} {len(catalog.live()):4} messages, {len(todo):3} untranslated or fuzzy")
        for msgid in todo[:20]:
            print(f"         - {msgid[:90]!r}")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
