"""Translations: complete catalogues, the generated Serbian Cyrillic, formats, the switcher.

The completeness tests extract the messages of the package afresh (``makemessages`` on a
copy of the sources, as ``scripts/i18n/refresh.py`` does) and compare them with the shipped
catalogues, so a string added to a template or to Python without a translation in every
language fails here. Refresh with ``.venv/bin/python scripts/i18n/refresh.py``.
"""

import ast
import datetime
import gettext
import os
import random
import re
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import formats, translation

from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Jurisdiction, User
from crossroads.registry import national_id_messages
from crossroads.registry.models import Case
from crossroads.registry.national_ids import generate_albanian_personal_number
from crossroads.registry.validation import clean_document

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "crossroads"
LOCALE_DIR = PACKAGE / "locale"
sys.path.insert(0, str(ROOT / "scripts" / "i18n"))

import pofile  # noqa: E402
import refresh  # noqa: E402
import serbian  # noqa: E402

TRANSLATED = ["sq", "sr_Latn", "sr_Cyrl", "mk", "bs"]
COOKIE = settings.LANGUAGE_COOKIE_NAME
CATALOGUES = ["en", *TRANSLATED]

# Messages whose translation may equal the English text: names and codes spelled alike.
SAME_AS_ENGLISH = {
    "JMBG",             # the number's own name in the languages written in Latin
    "Kosovo",           # sr, bs
    "Serbia",           # sq
    "Administrator",    # sq, sr, bs
    "Status", "status",  # sr, bs
    "Instrument", "instrument", "Format",  # sr, bs (a treaty instrument; a file format)
    "dd", "mm",         # date placeholders: day and month spelled alike in sq, sr, bs
    "Radio",            # sq, sr, bs (a campaign's channel)
    "Period", "Problem",  # sr, bs
}


# --------------------------------------------------------------------------------------------
# Extraction and the shipped catalogues
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The template (.pot) makemessages makes from the current sources, as {key: entry}."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext is needed to check the catalogues (scripts/system-packages.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path_factory.mktemp("i18n") / "crossroads"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "locale", "static", "__pycache__", "*.pyc", "*.mo", "*.po"))
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        refresh.extract(["en"], package=copy, keep_pot=True)
    pot = pofile.read(copy / "locale" / "django.pot")
    entries = {entry.key: entry for entry in pot.live()}
    assert len(entries) > 300, "extraction found too few messages"
    return entries


@pytest.fixture(scope="module")
def catalogues():
    return {locale: pofile.read(refresh.po_path(locale)) for locale in CATALOGUES}


def show(key) -> str:
    ctxt, msgid, _plural = key
    return f"{ctxt}|{msgid}" if ctxt else msgid


@pytest.mark.parametrize("locale", CATALOGUES)
def test_every_message_is_translated(extracted, catalogues, locale):
    catalog = catalogues[locale]
    shipped = {entry.key: entry for entry in catalog.live()}
    problems = []
    for key, source in extracted.items():
        entry = shipped.get(key)
        if entry is None:
            problems.append(f"missing: {show(key)!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {show(key)!r}")
        elif not entry.translated:
            problems.append(f"untranslated: {show(key)!r}")
        elif source.msgid_plural is not None and len(entry.msgstr) != catalog.nplurals:
            problems.append(f"needs {catalog.nplurals} plural forms: {show(key)!r}")
    assert not problems, (f"{locale}: {len(problems)} messages lack a translation; run "
                          "scripts/i18n/refresh.py and translate them:\n" + "\n".join(problems[:40]))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_are_not_copies_of_the_english(catalogues, locale):
    copies = [entry.msgid for entry in catalogues[locale].live()
              if entry.msgid not in SAME_AS_ENGLISH
              and (entry.msgstr.get(0) == entry.msgid
                   or (entry.msgid_plural and entry.msgid_plural in entry.msgstr.values()))]
    assert not copies, f"{locale} repeats the English of: {copies}"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{\w*\}|</?\w+")


@pytest.mark.parametrize("locale", CATALOGUES)
def test_translations_keep_placeholders_and_markup(catalogues, locale):
    wrong = []
    for entry in catalogues[locale].live():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry.msgid, text))
    assert not wrong, f"{locale}: placeholders or tags differ: {wrong}"


@pytest.mark.parametrize("locale", CATALOGUES)
def test_headers_name_language_and_plural_rule(catalogues, locale):
    meta = catalogues[locale].metadata
    assert meta["Language"] == locale
    assert meta["Plural-Forms"] == refresh.HEADERS[locale][1]
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert not catalogues[locale].header.fuzzy


@pytest.mark.parametrize("locale", CATALOGUES)
def test_compiled_catalogues_match_the_po_files(catalogues, locale):
    with open(refresh.po_path(locale).with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in catalogues[locale].live():
        if entry.fuzzy or not entry.translated:
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural is None:
            found = {0: compiled.get(msgid)}
        else:
            found = {i: compiled.get((msgid, i)) for i in entry.msgstr}
        if found != entry.msgstr:
            stale.append(entry.msgid)
    assert not stale, f"{locale}: django.mo is out of date (run compilemessages): {stale[:10]}"


def test_serbian_cyrillic_is_generated_from_latin(catalogues):
    generated = pofile.parse(serbian.cyrillic_catalogue(refresh.po_path("sr_Latn").read_text("utf-8")))
    expected = {entry.key: entry.msgstr for entry in generated.live()}
    shipped = {entry.key: entry.msgstr for entry in catalogues["sr_Cyrl"].live()}
    assert shipped == expected, "sr_Cyrl is edited by hand or stale: run scripts/i18n/refresh.py"
    assert catalogues["sr_Cyrl"].metadata["Language"] == "sr_Cyrl"


def test_field_vocabulary_uses_the_terms_of_the_field(catalogues):
    def translation_of(locale, msgid, ctxt=None):
        entries = {entry.key: entry for entry in catalogues[locale].live()}
        return entries[(ctxt, msgid, None)].msgstr[0]

    assert translation_of("sq", "Victim") == "Viktimë"
    assert translation_of("sq", "Suspect") == "I/e dyshuar"
    assert translation_of("sr_Latn", "Victim") == "Žrtva"
    assert translation_of("sr_Latn", "Suspect") == "Osumnjičeni"
    assert translation_of("sr_Cyrl", "Suspect") == "Осумњичени"
    assert translation_of("mk", "Victim") == "Жртва"
    assert translation_of("mk", "Suspect") == "Осомничен"
    assert translation_of("bs", "Forced labour") == "Prisilni rad"
    assert translation_of("sr_Latn", "Prosecution", "case status") == "Krivično gonjenje"
    assert translation_of("sr_Latn", "Prosecution") == "Tužilaštvo"


# --------------------------------------------------------------------------------------------
# Strings that would escape extraction
# --------------------------------------------------------------------------------------------

def test_every_national_id_message_is_listed_for_extraction():
    tree = ast.parse((PACKAGE / "registry" / "national_ids.py").read_text("utf-8"))
    templates, labels = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "NationalIdError":
                templates.add(node.args[1].value)
            elif node.func.id == "_check_consistency":
                labels.add(node.args[0].value)
    assert templates and labels
    assert templates == set(national_id_messages.TEMPLATES)
    assert labels == set(national_id_messages.LABELS)


TEMPLATE_DIRS = sorted(PACKAGE.glob("*/templates"))
VISIBLE_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|alt|aria-label)="([^"{]*)"')
UNTRANSLATED_OK = {"Crossroads"}


def untranslated_text(source: str) -> list[str]:
    """Words in a template's text that no {% translate %}/{% blocktranslate %} covers."""
    from django.template.base import Lexer, TokenType

    # The template's text with every tag and variable as a \x00 (HTML tags may contain them).
    pieces, skip_until = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skip_until is None and name in {"blocktranslate", "blocktrans", "comment"}:
                skip_until = "end" + name
            elif name == skip_until:
                skip_until = None
        if skip_until is None and token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
        else:
            pieces.append("\x00")
    text = "".join(pieces)
    found = [value for value in VISIBLE_ATTRIBUTE.findall(text) if re.search(r"[^\W\d_]", value)]
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&#?\w+;", " ", text)
    return found + [word for word in re.findall(r"[^\W\d_]{2,}", text) if word not in UNTRANSLATED_OK]


def test_templates_have_no_untranslated_text():
    problems = {}
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            words = untranslated_text(path.read_text("utf-8"))
            if words:
                problems[str(path.relative_to(PACKAGE))] = words
    assert not problems, f"text outside {{% translate %}} in templates: {problems}"


def test_the_template_check_sees_untranslated_text():
    source = ('{% load i18n %}<h1>{% translate "Cases" %}</h1><p title="Hello">Crossroads '
              '{{ n }}</p><th>Owner</th>{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}'
              '<a href="{% url "home" %}" class="brand">x</a>')
    assert untranslated_text(source) == ["Hello", "Owner"]


USER_FACING_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}


def untranslated_python(source: str) -> list[str]:
    """String literals given as labels, help texts or user messages without gettext."""
    found = []

    def literal(node):
        if isinstance(node, ast.JoinedStr):   # f"Use 1 to {n}."
            text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            return
        if re.search(r"[^\W\d_]{2,}", text):
            found.append(text)

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in USER_FACING_KEYWORDS:
                literal(keyword.value)
        func = node.func
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id == "messages" and len(node.args) > 1):
            literal(node.args[1])
        if isinstance(func, ast.Name | ast.Attribute) and getattr(func, "id", getattr(
                func, "attr", "")) == "ValidationError" and node.args:
            first = node.args[0]
            for value in first.values if isinstance(first, ast.Dict) else [first]:
                literal(value)
    return found


def test_python_labels_and_messages_are_marked_for_translation():
    problems = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in {"locale", "settings"} or "migrations" in relative.parts:
            continue
        words = untranslated_python(path.read_text("utf-8"))
        if words:
            problems[str(relative)] = words
    assert not problems, f"user-facing literals without gettext: {problems}"


def test_the_python_check_sees_unmarked_literals():
    source = ('x = forms.CharField(label="Name", help_text=_("Fine"))\n'
              'messages.success(request, "Saved.")\n'
              'raise ValidationError({"f": "Bad value."})\n'
              'raise ValidationError(_("Fine"), code="x")\n'
              'raise ValidationError({"limit": f"Use 1 to {n}."})\n')
    assert untranslated_python(source) == ["Name", "Saved.", "Bad value.", "Use 1 to ."]


# --------------------------------------------------------------------------------------------
# Serbian Latin -> Cyrillic
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Trgovina ljudima", "Трговина људима"),
    ("Žrtva, osumnjičeni, svedok", "Жртва, осумњичени, сведок"),
    ("Đorđe Ćosić, džep, njiva", "Ђорђе Ћосић, џеп, њива"),
    ("LJUBLJANA, NJEGOŠ, DŽAMIJA", "ЉУБЉАНА, ЊЕГОШ, ЏАМИЈА"),
    ("Ljubomir, Njegoš, Džemal", "Љубомир, Његош, Џемал"),
    ("nadživeti, podžanr, injekcija, konjunktura", "надживети, поджанр, инјекција, конјунктура"),
    ("JMBG-a", "ЈМБГ-а"),
])
def test_serbian_letters_and_digraphs(latin, cyrillic):
    assert serbian.to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Dobro došli, %(name)s", "Добро дошли, %(name)s"),
    ("%(count)d slučaja od %s", "%(count)d случаја од %s"),
    ("Stranica {{ n }} od {{ total }}", "Страница {{ n }} од {{ total }}"),
    ("{% url 'home' %} i {name} i {0}", "{% url 'home' %} и {name} и {0}"),
    ('<a href="/slucajevi/" title="naslov">Slučajevi</a>',
     '<a href="/slucajevi/" title="naslov">Случајеви</a>'),
    ("<strong>pažnja</strong>&nbsp;&amp; kraj", "<strong>пажња</strong>&nbsp;&amp; крај"),
    ("Vidi https://example.org/putanja i dalje", "Види https://example.org/putanja и даље"),
    ("Oznaka države, npr. AL, RS, XK.", "Ознака државе, нпр. AL, RS, XK."),
    ("H0 – za policiju; slova A-Z; J45102345A", "H0 – за полицију; слова A-Z; J45102345A"),
    ("Crossroads API: Authorization: Bearer TOKEN", "Crossroads API: Authorization: Bearer TOKEN"),
    ("ISO 3166-1 alpha-2", "ISO 3166-1 alpha-2"),
])
def test_markup_placeholders_and_codes_stay_latin(latin, cyrillic):
    assert serbian.to_cyrillic(latin) == cyrillic


def test_transliteration_of_a_catalogue():
    latin = ('# header\nmsgid ""\nmsgstr ""\n"Language: sr_Latn\\n"\n'
             '"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n\n'
             '#: web/x.html\n#, python-format\nmsgid "%(n)s case"\nmsgid_plural "%(n)s cases"\n'
             'msgstr[0] "%(n)s slučaj"\nmsgstr[1] "%(n)s slučaja"\nmsgstr[2] "%(n)s slučajeva"\n\n'
             'msgctxt "case status"\nmsgid "Prosecution"\nmsgstr "Krivično gonjenje"\n\n'
             'msgid ""\n"A long message "\n"on two lines"\nmsgstr ""\n"Duga poruka \\"u\\" "\n'
             '"dva reda"\n\nmsgid "Untranslated"\nmsgstr ""\n\n#~ msgid "Old"\n#~ msgstr "Staro"\n')
    cyrillic = pofile.parse(serbian.cyrillic_catalogue(latin))
    assert cyrillic.entries[-1].comments == ['#~ msgid "Old"', '#~ msgstr "Staro"']
    assert len(cyrillic.live()) == 4
    assert cyrillic.metadata["Language"] == "sr_Cyrl"
    assert cyrillic.header.comments[0] == serbian.GENERATED_NOTE
    plural, context, long, empty = cyrillic.live()
    assert plural.msgstr == {0: "%(n)s случај", 1: "%(n)s случаја", 2: "%(n)s случајева"}
    assert "#, python-format" in plural.comments and "#: web/x.html" in plural.comments
    assert (context.msgctxt, context.msgstr[0]) == ("case status", "Кривично гоњење")
    assert (long.msgid, long.msgstr[0]) == ("A long message on two lines", 'Дуга порука "у" два реда')
    assert empty.msgstr == {0: ""} and not empty.translated


def test_po_files_survive_a_round_trip():
    def content(catalog):
        return [(e.key, e.msgstr, e.comments) for e in [catalog.header, *catalog.entries]]

    for locale in CATALOGUES:
        catalog = pofile.read(refresh.po_path(locale))
        again = pofile.parse(pofile.dump(catalog))
        assert content(again) == content(catalog)
        assert pofile.dump(again) == pofile.dump(catalog)


# --------------------------------------------------------------------------------------------
# Pages, formats and the remembered language
# --------------------------------------------------------------------------------------------

def client_in(world, language, role=Role.INVESTIGATOR, jurisdiction="AL") -> Client:
    client = world.client(role, jurisdiction)
    client.cookies[COOKIE] = language
    return client


def test_pages_render_in_albanian(world):
    page = client_in(world, "sq").get("/").content.decode()
    assert '<html lang="sq">' in page
    assert ">Rastet<" in page and ">Regjistro një viktimë<" in page and ">Dalje<" in page
    assert ">Cases<" not in page


def test_pages_render_in_serbian_cyrillic_and_latin(world):
    cyrillic = client_in(world, "sr-cyrl", jurisdiction="RS").get("/").content.decode()
    assert '<html lang="sr-cyrl">' in cyrillic and ">Случајеви<" in cyrillic
    latin = client_in(world, "sr-latn", jurisdiction="RS").get("/").content.decode()
    assert ">Slučajevi<" in latin


def test_macedonian_and_bosnian_navigation(world):
    assert ">Случаи<" in client_in(world, "mk").get("/").content.decode()
    assert ">Slučajevi<" in client_in(world, "bs").get("/").content.decode()


def test_case_page_vocabulary_and_dates_in_the_locale(world):
    case = world.cases["AL-police"]
    Case.objects.filter(pk=case.pk).update(opened_on=datetime.date(2024, 3, 7))
    expected = {"en": "07/03/2024", "sq": "07.03.2024", "sr-latn": "7.03.2024.",
                "sr-cyrl": "7.03.2024.", "mk": "7.03.2024", "bs": "07.03.2024."}
    for language, date in expected.items():
        page = client_in(world, language).get(f"/cases/{case.pk}/").content.decode()
        assert date in page, language
    page = client_in(world, "sq").get(f"/cases/{case.pk}/").content.decode()
    assert "Shfrytëzim seksual" in page and "I/e dyshuar" in page and "Viktimë" in page
    assert ": Rasti u hap</li>" in page   # the stored reason, shown in the reader's language
    page = client_in(world, "sr-cyrl").get(f"/cases/{case.pk}/").content.decode()
    assert "Сексуална експлоатација" in page and "Осумњичени" in page


def test_numbers_and_dates_follow_the_locale():
    number = 1234567.5
    expected = {"en": "1,234,567.5", "sq": "1.234.567,5", "sr-latn": "1.234.567,5",
                "sr-cyrl": "1.234.567,5", "mk": "1.234.567,5", "bs": "1.234.567,5"}
    for language, text in expected.items():
        with translation.override(language):
            assert formats.number_format(number, decimal_pos=1, force_grouping=True) == text
    moment = datetime.datetime(2024, 3, 7, 14, 30)
    with translation.override("sq"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "07.03.2024 14:30"
        assert formats.date_format(moment, "DATE_FORMAT") == "7 Mars 2024"   # Django's month names
    with translation.override("sr-cyrl"):
        assert formats.date_format(moment, "DATE_FORMAT") == "7. март 2024."
    with translation.override("bs"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "07.03.2024. 14:30"


def test_labels_of_jurisdictions_agencies_and_roles_are_translated():
    with translation.override("sq"):
        assert str(Jurisdiction(code="RS", name="Serbia")) == "Serbia"
        assert str(Jurisdiction(code="MK", name="North Macedonia")) == "Maqedonia e Veriut"
        assert str(AgencyKind.SHELTER.label) == "Strehëz"
        assert str(Role.PROSECUTOR.label) == "Prokuror"
    with translation.override("mk"):
        assert str(Jurisdiction(code="AL", name="Albania")) == "Албанија"
        assert str(AgencyKind.NGO.label) == "НВО"
        assert str(Role.CASE_WORKER.label) == "Водител на случај"
    with translation.override("sr-cyrl"):
        assert str(AgencyKind.PROSECUTION.label) == "Тужилаштво"


def test_national_id_errors_are_translated_with_their_label():
    number = generate_albanian_personal_number(random.Random(1), datetime.date(1990, 5, 4), "F")
    with translation.override("sq"), pytest.raises(ValidationError) as error:
        clean_document("al_personal_number", number, "AL", birth_date=datetime.date(1990, 5, 4),
                       sex="M", precision="exact")
    assert error.value.message_dict["documents.number"] == [
        "Ky numër personal përmban gjininë F, e cila nuk përputhet me gjininë e regjistruar M."]
    with translation.override("mk"), pytest.raises(ValidationError) as error:
        clean_document("jmbg", "123", "MK", birth_date=None, sex="", precision="exact")
    assert error.value.message_dict["documents.number"] == ["ЕМБГ има точно 13 цифри; овој има 3."]


def test_date_inputs_keep_iso_values_in_every_language(world):
    client = client_in(world, "sr-latn", role=Role.CASE_WORKER)
    response = client.post("/register/", {
        "given_names": "Blerta", "family_name": "Hoxha", "sex": "F", "birth_date": "2004-02-03",
        "birth_precision": "exact", "role": "victim", "handling_code": "H0",
        "recruiter_relation": "friend", "forms_of_exploitation": []})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'value="2004-02-03"' in page
    assert "Ovo polje je obavezno." in page or "Izaberite bar jedan oblik eksploatacije." in page


def log_in(browser: Client, username: str):
    """Password, then the second factor, as a person does; returns the log-in response."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username=username)
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="phone", confirmed=True))
    response = browser.post("/login/", {"username": username, "password": "x" * 16})
    assert response.status_code == 302
    second = browser.get("/mfa/verify/")
    device.last_t = -1   # a code is used once: let the test log in twice within 30 s
    device.save(update_fields=["last_t"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    assert browser.post("/mfa/verify/", {"token": f"{totp.token():06d}", "next": "/"}).status_code == 302
    return response, second


def test_language_is_remembered_per_user(world):
    browser = Client()
    log_in(browser, "al_investigator")
    response = browser.post("/language/", {"language": "sq", "next": "/cases/"})
    assert response.status_code == 302 and response.url == "/cases/"
    assert response.cookies[COOKIE].value == "sq"
    assert User.objects.get(username="al_investigator").language == "sq"
    browser.post("/logout/")

    elsewhere = Client()   # another browser: no language cookie
    assert ">Log in<" in elsewhere.get("/login/").content.decode()
    response, second_factor = log_in(elsewhere, "al_investigator")
    assert response.cookies[COOKIE].value == "sq"
    assert "Faktori i dytë" in second_factor.content.decode()
    page = elsewhere.get("/").content.decode()
    assert '<html lang="sq">' in page and ">Rastet<" in page


def test_language_picked_before_log_in_becomes_the_users(world):
    browser = Client()
    browser.post("/language/", {"language": "mk", "next": "/login/"})
    assert browser.cookies[COOKIE].value == "mk"
    log_in(browser, "al_prosecutor")
    assert User.objects.get(username="al_prosecutor").language == "mk"
    assert ">Случаи<" in browser.get("/").content.decode()


def test_unknown_language_is_not_stored(world):
    browser = world.client(Role.INVESTIGATOR)
    browser.post("/language/", {"language": "de", "next": "/"})
    browser.post("/language/", {"language": "xx-evil", "next": "/"})
    assert User.objects.get(username="al_investigator").language == ""
    assert browser.get("/", {"language": "sq"}).status_code == 200
    assert browser.get("/language/", {"language": "sq"}).status_code == 302   # GET changes nothing
    assert User.objects.get(username="al_investigator").language == ""
