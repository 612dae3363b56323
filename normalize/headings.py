"""Sector headings: the organisational unit a table of objectives belongs to.

Administrations name their units differently (SETTORE, AREA, SERVIZIO, DIREZIONE, U.O.,
UNITÀ ORGANIZZATIVA) and print the unit's code in parentheses ("SETTORE AFFARI GENERALI
(AG)"), after a dash ("AREA SERVIZI GENERALI E PERSONALE – SGP"), before a dash ("Servizio PL
- Polizia Locale") or not at all. Without a printed code a stable one is derived from the name
(initials of its significant words), and the caller records that as a finding.

A heading may also be printed as a merged row *inside* a table: such a row splits the table
into one table per sector (:func:`split_at_heading_rows`), before any column is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from extract.lazy_pattern import lazy_compile
from extract.model import RawRow, RawTable
from extract.pdf_text import SECTOR_HEADING_WORDS
from normalize.cleaning import clean_cell
from normalize.codes import codes_in_code_cell, find_objective_codes
from normalize.headers import row_label
from normalize.memo import remembers_short_texts

_CODE = r"[A-Z][A-Z0-9]{0,11}"
_PARENTHESISED_CODE = re.compile(rf"\(\s*({_CODE})\s*\)")
_NUMBERED = lazy_compile(
    r"^\s*(?:n\.?\s*|nr\.?\s*)?(?P<code>\d{1,2})\s*°?\s*(?:[-–—:.]\s*|\s+)(?P<name>\D.*)$",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\s*(?:[-–—,;]\s*|\s)\(?(?:responsabile|dirigente|referente|titolare|p\.\s?o\.|e\.\s?q\.)"
    r"\b.*$",
    re.IGNORECASE,
)
"""A person named after the unit ("– Responsabile: Dott. Rossi"), not part of its name."""
_DASH = r"\s+[-–—]\s+|\s*[–—]\s*|\s+-|-\s+"
_STOP_WORDS = frozenset(
    [
        "di",
        "del",
        "della",
        "dello",
        "dei",
        "degli",
        "delle",
        "e",
        "ed",
        "per",
        "la",
        "le",
        "il",
        "lo",
        "i",
        "gli",
        "al",
        "alla",
        "ai",
        "agli",
        "alle",
        "a",
        "da",
        "in",
        "con",
        "su",
        "tra",
        "fra",
    ]
)
_MAX_HEADING_WORDS = 12
_TOTAL_LABEL = re.compile(r"^(?:t\s?o\s?t\s?a\s?l\s?e|tot\.)\b(?P<rest>.*)$", re.IGNORECASE)
"""A total label, also cut inside the word by a narrow column ("TOTA LE AREA SGP")."""
_MARKUP = " \t*#_"
"""Emphasis marks around a heading line (``**SETTORE ...**`` in a text attachment)."""


class SectorHeading(NamedTuple):
    """A parsed heading: ``derived`` is True when the code was not printed."""

    code: str
    name: str
    derived: bool = False


@remembers_short_texts
def _plain(text: str) -> str:
    """Accent-free text of the same length (so match positions stay valid on the original)."""
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFKD", char)[0] for char in text)


@lru_cache(maxsize=32)
def _word_pattern(extra_words: tuple[str, ...]) -> re.Pattern[str]:
    """The heading words (the defaults, shared with the PDF readers, and the layout's own),
    longest first."""
    words = (*SECTOR_HEADING_WORDS, *extra_words)
    alternatives = sorted((_plain(word).strip() for word in words if word.strip()), key=len)
    escaped = [r"\s+".join(re.escape(part) for part in word.split()) for word in alternatives]
    return re.compile(rf"(?<![\w.])(?:{'|'.join(reversed(escaped))})(?![\w])[\s:.]*", re.IGNORECASE)


def derive_sector_code(name: str) -> str:
    """A stable code from a sector name: the initials of its significant words
    ("AFFARI GENERALI" -> "AG"), or the first three letters of a one-word name
    ("Tecnico" -> "TEC")."""
    words = [w for w in re.findall(r"[^\W\d_]+", _plain(name)) if w.lower() not in _STOP_WORDS]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(word[0] for word in words[:6]).upper()


def _split_code(rest: str) -> tuple[str | None, str]:
    """(code, name) from the text after the heading word."""
    rest = _PERSON.sub("", rest)
    parenthesised = _PARENTHESISED_CODE.search(rest)
    if parenthesised:
        name = (rest[: parenthesised.start()] + rest[parenthesised.end() :]).strip(" -–—:")
        return parenthesised.group(1), name
    numbered = _NUMBERED.match(rest)
    if numbered:
        return numbered.group("code"), numbered.group("name").strip(" -–—:")
    parts = re.split(_DASH, rest, maxsplit=1)
    if len(parts) == 2:
        before, after = (part.strip(" :") for part in parts)
        after_code, before_code = re.fullmatch(_CODE, after), re.fullmatch(_CODE, before)
        if after_code and (not before_code or len(after) <= len(before)):
            return after, before
        if before_code and after:
            return before, after
    return None, rest.strip(" -–—:")


def total_label_code(text: str, extra_words: Sequence[str] = ()) -> str | None:
    """The sector code a total row names: ``"TOTALE SETTORE AG"`` -> ``"AG"``, ``"Totale
    punti servizio PL"`` -> ``"PL"``, ``"TOTALE AREA SGP"`` -> ``"SGP"``; None for a bare
    ``"Totale"`` or any other text."""
    label = _TOTAL_LABEL.match(" ".join((text or "").split()))
    if not label:
        return None
    word = _word_pattern(tuple(extra_words)).search(_plain(label.group("rest")))
    if not word:
        return None
    code = label.group("rest")[word.end() :].strip(" :-–—")
    return code if re.fullmatch(_CODE, code) else None


def read_heading(heading: str, extra_words: Sequence[str] = ()) -> SectorHeading | None:
    """The sector named by a heading text (the last line naming one), or None.

    ``"OBIETTIVI ASSEGNATI AL SETTORE FINANZE (FIN)"`` -> ("FIN", "FINANZE");
    ``"AREA SERVIZI GENERALI E PERSONALE – SGP"`` -> ("SGP", "SERVIZI GENERALI E PERSONALE");
    ``"Servizio PL - Polizia Locale"`` -> ("PL", "Polizia Locale");
    ``"SETTORE AFFARI GENERALI"`` -> ("AG", "AFFARI GENERALI", derived);
    ``"TOTALE SETTORE ESV"`` (the total row that closes a sector) -> ("ESV", "ESV").
    """
    pattern = _word_pattern(tuple(extra_words))
    lines = [line for raw in (heading or "").splitlines() if (line := raw.strip(_MARKUP))]
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        closing = total_label_code(line, extra_words)
        if closing:
            return SectorHeading(closing, closing)
        match = pattern.search(_plain(line))
        if not match:
            continue
        code, name = _split_code(line[match.end() :])
        if not code:
            code, name = _code_on_continuation(line[match.end() :], lines[index + 1 :], name)
        if code:
            return SectorHeading(code, name)
        derived = derive_sector_code(name)
        if derived:
            return SectorHeading(derived, name, derived=True)
    codes = _PARENTHESISED_CODE.findall(heading or "")
    return SectorHeading(codes[-1], heading.strip()) if codes else None


_CLOSING_CODE = lazy_compile(rf"\(\s*({_CODE})\s*\)\s*$")
_MAX_CONTINUATION_LINES = 2


def _code_on_continuation(rest: str, following: Sequence[str], name: str) -> tuple[str | None, str]:
    """(code, name) of a heading whose name runs over the next lines and whose code closes
    the last of them in parentheses (``"SETTORE SERVIZI ALLE PERSONE"`` then ``"DEL COMUNE
    (SAP)"`` -> ("SAP", "SERVIZI ALLE PERSONE DEL COMUNE")): the printed code, not one
    derived from the first line. Only a parenthesised code ending a line counts (other text
    below a heading, a date or a page title, is not its code); ``(None, name)`` otherwise."""
    for count in range(1, min(_MAX_CONTINUATION_LINES, len(following)) + 1):
        last = following[count - 1]
        if _CLOSING_CODE.search(last):
            return _split_code(" ".join([rest, *following[:count]]))
    return None, name


def parse_sector_heading(heading: str, extra_words: Sequence[str] = ()) -> tuple[str | None, str]:
    """(code, name) of a table's heading; (None, heading) when it names no sector."""
    parsed = read_heading(heading, extra_words)
    return (parsed.code, parsed.name) if parsed else (None, (heading or "").strip())


def unique_codes(codes: Iterable[str], derived: Iterable[bool]) -> list[str]:
    """Codes made unique within a document: a derived code that is already taken gets a
    number (``AG`` -> ``AG2``); printed codes are kept as printed."""
    codes, derived = list(codes), list(derived)
    taken = {code for code, is_derived in zip(codes, derived, strict=True) if not is_derived}
    result = []
    for code, is_derived in zip(codes, derived, strict=True):
        unique, n = code, 2
        while is_derived and unique in taken:
            unique, n = f"{code}{n}", n + 1
        taken.add(unique)
        result.append(unique)
    return result


# headings printed inside a table ---------------------------------------------------------


def heading_row_text(cells: Sequence[str], extra_words: Sequence[str] = ()) -> str | None:
    """The text of a row that is only a sector heading, else None: one non-empty cell, the
    same text in every non-empty cell (a merged row read cell by cell), or a heading cut
    over neighbouring cells by a borderless reader ("DIREZIONE RISORSE E" | "BILANCIO (RB)",
    or inside a word: "SERVIZ" | "IO AMBIENTE").

    The heading word must open the text, so a total row ("TOTALE SETTORE AG") is never a
    heading; a heading without a printed code must be short and in capitals, so that a
    continued objective cell ("Servizio mensa: ...") is not taken for one."""
    filled = [" ".join(text.split()) for text in cells if text.strip()]
    texts = list(dict.fromkeys(filled))
    if not texts or any(_is_number(text) for text in texts):
        return None
    joins = [_rejoin(texts), " ".join(texts), "".join(texts)] if len(texts) > 1 else texts
    return next((text for text in joins if _is_heading(text, len(texts) > 1, extra_words)), None)


def _rejoin(fragments: Sequence[str]) -> str:
    """Fragments of a cut heading joined back: without a space after a one- or two-letter
    piece that is no Italian word ("AREA T" | "ECNICA" -> "AREA TECNICA"), else with one."""
    text = fragments[0]
    for fragment in fragments[1:]:
        last = text.split()[-1] if text.split() else ""
        glued = len(last) <= 2 and last.isalpha() and last.lower() not in _STOP_WORDS
        text += ("" if glued else " ") + fragment
    return text


def _is_heading(text: str, cut: bool, extra_words: Sequence[str]) -> bool:
    match = _word_pattern(tuple(extra_words)).match(_plain(text))
    if not match or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    code, name = _split_code(text[match.end() :])
    return not ((code is None or cut) and (not name or any(char.islower() for char in name)))


_RESPONSIBLE_IN_HEADING = lazy_compile(
    r"\b(?:responsabile|dirigente|referente)\s*:\s*(?P<name>[^\n;|]+)", re.IGNORECASE
)


def heading_responsible(heading: str | None) -> str | None:
    """The responsible a sector heading names (``AREA AMMINISTRATIVA – Responsabile:
    Dott.ssa Laura Bini`` -> ``Dott.ssa Laura Bini``), for the objectives of a table that
    prints no Responsabile column; None when the heading names none."""
    match = _RESPONSIBLE_IN_HEADING.search(heading or "")
    if not match:
        return None
    name = " ".join(match.group("name").split()).strip(" -–—.,")
    return name if sum(char.isalpha() for char in name) >= 3 else None


def _is_number(text: str) -> bool:
    """A weight, a percentage or an objective code: content no heading row holds."""
    return bool(
        re.fullmatch(r"[\d.,%/\s]+", text) or codes_in_code_cell(text) or find_objective_codes(text)
    )


#: A PEG code alone in a cell (``0105``, ``01021``, ``01010601``), not a year of a header.
_PEG_CELL = re.compile(r"^(?!(?:19|20)\d\d$)\d{4,8}$")


def _first_code_row(rows: Sequence[RawRow]) -> int | None:
    """The first row printing an objective code: the rows above it are the header every
    sector part keeps (a PEG code counts, else a grid keyed by PEG codes would find its
    first "code" in a target far below and give every part the other sectors' rows)."""
    for index, row in enumerate(rows):
        for text in row.texts:
            cleaned = clean_cell(text)
            if codes_in_code_cell(cleaned) or find_objective_codes(cleaned):
                return index
            if _PEG_CELL.match(cleaned.strip()):
                return index
    return None


def _blank(row: RawRow) -> RawRow:
    return RawRow(cells=(), pages=(), line=row.line)


def _segment(
    table: RawTable, heading: str, own: Sequence[int], prefix: set[int], headings: set[int]
) -> RawTable:
    """The part of ``table`` made of its ``own`` rows (heading rows left out) and the
    ``prefix`` (header) rows; the prefix rows are dated to the part's first page, so its
    pages are its own."""
    kept = {i for i in own if i not in headings}
    first_page = next((table.rows[i].pages for i in sorted(kept) if table.rows[i].pages), ())[:1]
    rows = tuple(
        row
        if i in kept
        else replace(row, pages=first_page or row.pages)
        if i in prefix
        else _blank(row)
        for i, row in enumerate(table.rows)
    )
    return replace(table, heading=heading, rows=rows)


def _same_sector(first: str, second: str, extra_words: Sequence[str]) -> bool:
    """Two headings naming one sector (a heading row repeated at the top of each page)."""
    one, other = read_heading(first, extra_words), read_heading(second, extra_words)
    if one and other:
        return one.code == other.code
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


def _closing_totals(
    table: RawTable, rows: Sequence[int], extra_words: Sequence[str]
) -> Iterator[tuple[int, str]]:
    """(row, code) of the total rows among ``rows`` that name a sector code."""
    for index in rows:
        first = row_label([clean_cell(text) for text in table.rows[index].texts])
        code = total_label_code(first, extra_words)
        if code:
            yield index, code


def _split_at_totals(
    table: RawTable, heading: str, own: list[int], extra_words: Sequence[str]
) -> list[tuple[str, list[int]]]:
    """A part whose total rows close different sectors ("TOTALE SETTORE AG" ...
    "TOTALE SETTORE ESV", two sectors a reader joined into one table when the second's
    heading was lost) split after each such total; a later part is named by its total."""
    totals = list(_closing_totals(table, own, extra_words))
    if len({code for _index, code in totals}) < 2:
        return [(heading, own)]
    pieces: list[tuple[str, list[int]]] = []
    start = 0
    for position, (index, code) in enumerate(totals):
        end = own.index(index) + 1 if position + 1 < len(totals) else len(own)
        rows = own[start:end]
        if pieces and code == totals[position - 1][1]:
            pieces[-1][1].extend(rows)
        else:
            pieces.append((_total_label_text(table, index) if pieces else heading, rows))
        start = end
    return pieces


def _total_label_text(table: RawTable, index: int) -> str:
    return row_label([clean_cell(text) for text in table.rows[index].texts])


def split_at_heading_rows(table: RawTable, extra_words: Sequence[str] = ()) -> list[RawTable]:
    """One table per sector heading printed as a row inside ``table``.

    Each part keeps the table's index and every row at its place (rows of other parts are
    left empty, so row numbers stay those of the page), the header rows printed above the
    first objective, and the heading row's text as its heading. A heading row that repeats
    the sector already being read (printed again at the top of a page) starts no new part.
    Total rows naming different sectors split a part too (:func:`_split_at_totals`). A
    table without either comes back unchanged.
    """
    headings = [
        (index, text)
        for index, row in enumerate(table.rows)
        if (text := heading_row_text([clean_cell(t) for t in row.texts], extra_words))
    ]
    first_code = _first_code_row(table.rows)
    heading_rows = {index for index, _text in headings}
    leading = not headings or (first_code is not None and first_code < headings[0][0])
    starts: list[tuple[int, str]] = []
    current = table.heading if leading else None
    for index, text in headings:
        if current is None or not _same_sector(current, text, extra_words):
            starts.append((index, text))
            current = text
    limit = first_code if first_code is not None else (headings[0][0] if headings else 0)
    prefix = set(range(limit)) - heading_rows
    plans: list[tuple[str, list[int]]] = []
    if leading:
        end = starts[0][0] if starts else len(table.rows)
        plans.append((table.heading, [i for i in range(end) if i not in heading_rows]))
    bounds = [*(index for index, _text in starts), len(table.rows)]
    for (start, text), end in zip(starts, bounds[1:], strict=True):
        plans.append((text, [i for i in range(start + 1, end) if i not in heading_rows]))
    plans = [
        piece
        for heading, own in plans
        for piece in _split_at_totals(table, heading, own, extra_words)
    ]
    if len(plans) == 1 and not heading_rows:
        return [table]
    return [
        _segment(table, heading, own, prefix - set(own), heading_rows) for heading, own in plans
    ]
