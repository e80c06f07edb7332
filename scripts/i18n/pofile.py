"""A small reader and writer of gettext PO files, enough for the catalogues of Crossroads.

Standard library only, so the tests and the refresh script need nothing beyond Django and
GNU gettext. It keeps every comment line of an entry (translator, extracted, references,
flags, obsolete ``#~``) as it was and understands ``msgctxt``, ``msgid``, ``msgid_plural``,
``msgstr`` and ``msgstr[n]``, with strings continued over several lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_CONTINUATION = re.compile(r'^(".*")\s*$')


def unquote(literal: str) -> str:
    """The value of one quoted PO string literal, escapes resolved."""
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise ValueError(f"not a PO string literal: {literal!r}")
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            octal = re.match(r"[0-7]{1,3}", body[i + 1:])
            if octal:
                out.append(chr(int(octal.group(), 8)))
                i += 1 + len(octal.group())
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def quote(value: str) -> str:
    value = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\t", "\\t").replace("\r", "\\r"))
    return f'"{value}"'


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)   # 0 for a singular msgstr
    comments: list[str] = field(default_factory=list)     # raw "#..." lines, in order

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def flags(self) -> set[str]:
        found = set()
        for line in self.comments:
            if line.startswith("#,"):
                found.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        return found

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def obsolete(self) -> bool:
        return any(line.startswith("#~") for line in self.comments)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def drop_flag(self, flag: str) -> None:
        kept = []
        for line in self.comments:
            if line.startswith("#,"):
                rest = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != flag]
                if not rest:
                    continue
                line = "#, " + ", ".join(rest)
            kept.append(line)
        self.comments = kept


@dataclass
class Catalog:
    header: Entry
    entries: list[Entry]
    leading: list[str] = field(default_factory=list)   # lines before the header entry

    @property
    def metadata(self) -> dict[str, str]:
        meta = {}
        for line in self.header.msgstr.get(0, "").splitlines():
            name, sep, value = line.partition(":")
            if sep:
                meta[name.strip()] = value.strip()
        return meta

    def set_metadata(self, name: str, value: str) -> None:
        lines = self.header.msgstr.get(0, "").splitlines()
        for i, line in enumerate(lines):
            if line.partition(":")[0].strip() == name:
                lines[i] = f"{name}: {value}"
                break
        else:
            lines.append(f"{name}: {value}")
        self.header.msgstr[0] = "".join(line + "\n" for line in lines)

    @property
    def nplurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.metadata.get("Plural-Forms", ""))
        return int(match.group(1)) if match else 2

    def live(self) -> list[Entry]:
        """The entries that count: not obsolete."""
        return [e for e in self.entries if not e.obsolete]


def parse(text: str) -> Catalog:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    entries, leading = [], []
    for block in filter(None, blocks):
        entry = _parse_block(block)
        if entry is None:
            leading.extend(block)
        else:
            entries.append(entry)
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        header, rest = entries[0], entries[1:]
    else:
        header, rest = Entry(msgstr={0: ""}), entries
    return Catalog(header=header, entries=rest, leading=leading)


def _parse_block(lines: list[str]) -> Entry | None:
    entry, current, seen_keyword = Entry(), None, False
    for line in lines:
        if line.startswith("#"):
            entry.comments.append(line)
            if line.startswith("#~"):   # obsolete entries are kept verbatim, not parsed
                continue
            continue
        match = _KEYWORD.match(line)
        if match:
            seen_keyword = True
            keyword, index, literal = match.groups()
            current = (keyword, int(index) if index is not None else 0)
            _append(entry, current, unquote(literal), start=True)
            continue
        match = _CONTINUATION.match(line)
        if match and current is not None:
            _append(entry, current, unquote(match.group(1)), start=False)
            continue
        raise ValueError(f"cannot read PO line: {line!r}")
    return entry if seen_keyword or entry.obsolete else None


def _append(entry: Entry, current: tuple[str, int], value: str, *, start: bool) -> None:
    keyword, index = current
    if keyword == "msgctxt":
        entry.msgctxt = value if start else (entry.msgctxt or "") + value
    elif keyword == "msgid":
        entry.msgid = value if start else entry.msgid + value
    elif keyword == "msgid_plural":
        entry.msgid_plural = value if start else (entry.msgid_plural or "") + value
    else:
        entry.msgstr[index] = value if start else entry.msgstr.get(index, "") + value


def _format_string(keyword: str, value: str) -> list[str]:
    """One line when short and without newlines, else gettext's multi-line style."""
    if "\n" not in value[:-1] and len(keyword) + len(value) < 76:
        return [f"{keyword} {quote(value)}"]
    pieces = [piece for piece in re.split(r"(?<=\n)", value) if piece]
    return [f'{keyword} ""', *(quote(piece) for piece in pieces)]


def format_entry(entry: Entry) -> str:
    lines = list(entry.comments)
    if entry.obsolete and not entry.msgid:
        return "\n".join(lines)
    if entry.msgctxt is not None:
        lines += _format_string("msgctxt", entry.msgctxt)
    lines += _format_string("msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += _format_string("msgid_plural", entry.msgid_plural)
        for index in sorted(entry.msgstr) or [0]:
            lines += _format_string(f"msgstr[{index}]", entry.msgstr.get(index, ""))
    else:
        lines += _format_string("msgstr", entry.msgstr.get(0, ""))
    return "\n".join(lines)


def dump(catalog: Catalog) -> str:
    parts = []
    if catalog.leading:
        parts.append("\n".join(catalog.leading))
    parts += [format_entry(catalog.header), *(format_entry(e) for e in catalog.entries)]
    return "\n\n".join(parts) + "\n"


def read(path) -> Catalog:
    with open(path, encoding="utf-8") as handle:
        return parse(handle.read())


def write(path, catalog: Catalog) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dump(catalog))
