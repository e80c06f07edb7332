"""Text clean-up shared by every service that stores what a person typed, the canonical
JSON that every signature and MAC is computed over, and the cells of every CSV the product
writes (a leaf module)."""

import csv
import json
import re
import unicodedata


def clean_text(value) -> str:
    """One line of text: control characters dropped (PostgreSQL refuses NUL), spaces collapsed."""
    text = "".join(ch for ch in str(value or "") if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(text.split())


# Characters that change how text displays without being seen: the bidirectional embeddings,
# overrides and isolates (a name shown as "Hoxha" that is stored otherwise), and the NUL that
# PostgreSQL refuses. Other invisible format characters (Unicode category Cf: zero-width
# spaces, the byte-order mark) are refused too, except the joiners that some scripts need.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner (Persian, Indic)


def hidden_character(value: str) -> str | None:
    """The first NUL or invisible format character of `value` as its code point ("U+202E"),
    or None when there is none."""
    for ch in value:
        if ch == "\x00" or (unicodedata.category(ch) == "Cf" and ch not in _ALLOWED_FORMAT):
            return f"U+{ord(ch):04X}"
    return None


def canonical_json(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (what signatures cover)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (tab and CR too; the full-width forms in some locales), e.g. =HYPERLINK(...), +cmd|...
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value):
    """One CSV cell that a spreadsheet shows as the text it is (CSV injection, OWASP): NUL
    bytes removed, and a cell that would start a formula prefixed with an apostrophe. Plain
    numbers (-99, +3.5) stay as they are: a spreadsheet reads them as numbers, never formulas;
    values that are not text (counts, None as empty) pass unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = value.replace("\0", "")
    start = text.lstrip(" ")
    if start[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(start):
        return "'" + text
    return text


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `spreadsheet_safe`: use it for every CSV
    the product writes."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
