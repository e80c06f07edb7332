"""The messages of `crossroads.registry.national_ids`, marked for extraction.

`national_ids` is pure Python and raises `NationalIdError` with plain English ``template``
strings; `crossroads.registry.validation` translates them with ``gettext(error.template)``.
Listing every template here with ``gettext_noop`` lets ``makemessages`` extract them, so each
catalogue carries a translation. Keep the strings identical to those of `national_ids`:
``tests/web/test_i18n.py`` checks that every template raised there is listed here.
"""

from django.utils.translation import gettext_noop

# The ``label`` parameter of the consistency messages names the kind of number.
LABELS = (
    gettext_noop("JMBG"),
    gettext_noop("personal number"),
)

TEMPLATES = (
    # Consistency with the recorded date of birth and sex (JMBG and Albanian personal number).
    gettext_noop(
        "This %(label)s encodes the date of birth %(encoded)s, which does not "
        "match the recorded date of birth %(recorded)s."
    ),
    gettext_noop(
        "This %(label)s encodes sex %(encoded)s, which does not match the "
        "recorded sex %(recorded)s."
    ),
    # JMBG / EMBG.
    gettext_noop("A JMBG may contain only digits."),
    gettext_noop("A JMBG has exactly 13 digits; this one has %(count)d."),
    gettext_noop(
        "The first 7 digits of a JMBG are the date of birth (DDMMYYY); "
        "%(digits)s is not a possible date of birth."
    ),
    gettext_noop("Digits 8-9 of a JMBG are the region of registration; %(code)s is not assigned."),
    gettext_noop(
        "The check digit (last digit) of this JMBG is wrong; please look for a typing error."
    ),
    # Albanian personal number.
    gettext_noop(
        "An Albanian personal number has exactly 10 characters; this one has %(count)d."
    ),
    gettext_noop(
        "An Albanian personal number is a letter A-T, eight digits and a check letter "
        "(for example J45102345A)."
    ),
    gettext_noop(
        "Characters 1-6 of an Albanian personal number are the date of birth "
        "(month + 50 for women); %(chars)s is not a possible date of birth."
    ),
    gettext_noop(
        "The check letter (last character) of this Albanian personal number is "
        "wrong; please look for a typing error."
    ),
    # Any other document.
    gettext_noop("A document number has 3 to 30 characters; this one has %(count)d."),
    gettext_noop("A document number may contain only letters A-Z, digits, '-' and '/'."),
)
