"""Objective, strategic and mission codes, and the title that follows an objective code.

An objective code is printed in many ways: plain and dotted (``1.2.1``, ``4.1.2.1``), or
behind a prefix (``Obiettivo 1.2.1 –``, ``Obiettivo n. 2``, ``Ob. 3``, ``OB.01``, ``n. 4``,
``Obiettivo operativo 2.1``), with one to four levels, alone or as a slash list
(``9.2.1/9.2.2``), in a code column of its own or at the start of the objective cell. The key
is the code as printed without its prefix (``Ob. 3`` -> ``3``, ``OB.01`` -> ``01``).

Dotted numbers that are *not* objective codes (law articles, PNRR investments, CUP codes,
dates) are told apart by context: a three- or four-level code opens the cell, a paragraph or a
sentence, is joined by ``/`` to another code, or is followed by an upper-case heading, and is
never preceded by words such as "Investimento", "art." or "n."; a one- or two-level code
counts only behind an objective prefix, alone in a code cell, or at the very start of the
objective cell followed by a title. (A layout's own code patterns, from its layout hints, are
tried by the row reader after these.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_CODE = r"\d{1,2}(?:\.\d{1,2}){2,3}"
_MIN_PLAIN_LEVELS = 3
_CODE_TOKEN = re.compile(rf"(?<![\w.]){_CODE}\.?(?!\w|\.\d)")
_ANY_CODE = r"\d{1,3}(?:\.\d{1,3}){0,3}"
#: A digit as the code patterns read one: a text without one holds no code.
_ANY_DIGIT = re.compile(r"\d")
_NOT_A_CODE_BEFORE = re.compile(
    r"(?:investiment[oi]|misura|componente|linea|intervento|art|artt|articolo|co|comma|n|nr|"
    r"num|numero|legge|l|d\.?\s*lgs|d\.?\s*l|dl|dpr|decreto|cup|cig|allegato|punto|par|"
    r"paragrafo|lett|c\d|m\d)\.?\s*[°:]?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;:!?)\]>]\s*$|^\s*$|\n\s*$")
#: A mission cell: ``M 01``, ``M.01``, ``Miss. 03``, ``Missione 4`` (a name may follow), or an
#: unprefixed number followed by a dash or a colon and the name (``03 – Ordine pubblico``),
#: or a bare number alone (a Missione column printing ``03``).
_MISSION = re.compile(
    r"^\s*(?:M(?:iss(?:ione)?)?\s*\.?\s*(?P<prefixed>\d{1,2})(?!\d|[.,]\d)\.?\s*[-–—:.]?\s*"
    r"|(?P<paired>\d{2})\s*/\s*\d{2}(?!\d)\s*[-–—:.]?\s*"
    r"|(?P<dashed>\d{1,2})\s*[-–—:]\s*(?=[^\W\d_])|(?P<bare>\d{1,2})\s*$)(?P<name>.*)$",
    re.IGNORECASE | re.S,
)
#: A mission–programme code of the national chart of accounts: mission and programme as two
#: digits each, joined (``0101``, ``01010601``, ``01021``) or dotted (``01.01``, ``01.01.2``).
_MISSION_PROGRAMME = re.compile(r"^(0[1-9]|[1-4]\d|50)(?:\.?(\d{2})\d{0,6}(?:\.\d+)*)$")
#: A strategic cell: a two-level code alone or followed by its name (``1.2 Ente digitale``);
#: a name never opens with a digit (``1.2 2023`` is not one).
_STRATEGIC = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?(?:\s+(?=[^\d\s])(.*)|\s*)$", re.S)
_TITLE_STOP = re.compile(r"\s[-–—]\s|\s[-–—]|[-–—]\s|[.:;](?:\s|$)")
_LEADING_PUNCTUATION = re.compile(r"^[\s\-–—:.,)]+")

_OBJECTIVE_WORD = (
    r"(?:obiettivo|obiettivi|obb?\.?|obj\.?|ob(?=\d)|op\.|op(?=\d))"
    r"(?:\s+(?:operativ[oi]|gestional[ei]|esecutiv[oi]|specific[oi]|di\s+performance|"
    r"annual[ei]|di\s+peg|peg))?"
)
_NUMBER_WORD = r"(?:n\.?\s*°?|nr\.?|num\.?|numero|°)"
_PREFIXED = re.compile(
    rf"(?<![\w.])(?:{_OBJECTIVE_WORD}\s*[.:]?\s*(?:{_NUMBER_WORD}\s*)?|(?P<bare>{_NUMBER_WORD})\s*)"
    rf"(?P<code>{_ANY_CODE})(?!\w|\.\d|\s*/\s*\d{{2,4}}\b(?!\.)|,\d)",
    re.IGNORECASE,
)
_LAW_AFTER = re.compile(
    r"^\s*(?:del|dell['’]|dello|della|dei|degli|in\s+data|/|[-–]\s*\d)", re.IGNORECASE
)
_START_CODE = re.compile(rf"^\s*(?P<code>{_ANY_CODE})\.?(?=\s|[-–—:]|$)")
_CODE_ALONE = re.compile(
    rf"^\s*(?:{_OBJECTIVE_WORD}\s*[.:]?\s*|{_NUMBER_WORD}\s*)?(?:{_NUMBER_WORD}\s*)?"
    rf"(?P<codes>{_ANY_CODE}(?:\s*[/;]\s*{_ANY_CODE})*)\.?\s*[-–—:]?\s*$",
    re.IGNORECASE,
)
_SLASH_NEXT = re.compile(rf"\s*/\s*(?P<code>{_ANY_CODE})(?!\w|\.\d)")


class CodeMention(NamedTuple):
    """An objective code as printed: ``start``/``end`` span the code itself (no prefix)."""

    code: str
    start: int
    end: int


def _normalise_code(token: str) -> str:
    return token.rstrip(".")


def code_levels(code: str | None) -> int:
    """Number of dotted parts of a code: ``"4.1.2.1"`` -> 4, ``"01"`` -> 1, none -> 0."""
    return len(code.split(".")) if code else 0


def _looks_like_heading(after: str) -> bool:
    """True when the text after a code opens with an upper-case word of 2+ letters."""
    match = re.match(r"\s*[-–—:]?\s*([^\s]+)", after)
    if not match:
        return False
    word = re.sub(r"[^A-Za-zÀ-ÖØ-öø-ÿ]", "", match.group(1))
    return len(word) >= 2 and word.isupper()


def _is_objective_code_context(text: str, start: int, end: int) -> bool:
    before, after = text[:start], text[end:]
    if _NOT_A_CODE_BEFORE.search(before[-20:]):
        return False
    if after.lstrip().startswith("/") or before.rstrip().endswith("/"):
        return True
    return bool(_SENTENCE_END.search(before)) or _looks_like_heading(after)


def _opens_a_paragraph(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[:start]))


def _introduces_a_title(after: str) -> bool:
    """The text after a code goes on with a dash, a colon or an upper-case heading."""
    return bool(re.match(r"\s*[-–—:]", after)) or _looks_like_heading(after)


def _prefixed_codes(text: str) -> Iterable[CodeMention]:
    """Codes behind an objective prefix (``Obiettivo 1.2.1``, ``Ob. 3``, ``OB.01``, ``n. 4``).

    The prefix must open a paragraph or be followed by a title (``Obiettivo 2 – TITOLO``), and
    never by a law reference (``n. 174 del 2012``, ``n. 2/2023``); a bare ``n. 4`` needs both."""
    for match in _PREFIXED.finditer(text):
        after = text[match.end() :]
        if _LAW_AFTER.match(after):
            continue
        opens, titled = _opens_a_paragraph(text, match.start()), _introduces_a_title(after)
        if match.group("bare"):
            if not (opens and titled):
                continue
        elif not (opens or titled):
            continue
        yield CodeMention(match.group("code"), match.start("code"), match.end("code"))


def _start_code(text: str) -> CodeMention | None:
    """A one- or two-level code opening the cell and followed by a title
    (``"2 DIGITALIZZAZIONE"``, ``"2.1 – SERVIZI ON LINE"``)."""
    match = _START_CODE.match(text)
    if not match or code_levels(match.group("code")) > 2:
        return None
    if not _looks_like_heading(text[match.end() :]):
        return None
    code = _normalise_code(match.group("code"))
    return CodeMention(code, match.start("code"), match.start("code") + len(code))


def _with_slash_list(text: str, mention: CodeMention) -> list[CodeMention]:
    mentions = [mention]
    position = mention.end
    while match := _SLASH_NEXT.match(text, position):
        mentions.append(CodeMention(match.group("code"), match.start("code"), match.end("code")))
        position = match.end()
    return mentions


def _unique(mentions: Iterable[CodeMention]) -> list[CodeMention]:
    seen: set[str] = set()
    unique = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.code not in seen:
            seen.add(mention.code)
            unique.append(mention)
    return unique


def find_objective_codes(text: str) -> list[CodeMention]:
    """Objective codes in an objective cell, in order, without duplicates (see module doc)."""
    text = text or ""
    if not _ANY_DIGIT.search(text):
        return []  # every code pattern below matches a digit (\d) first: none to find
    mentions: list[CodeMention] = []
    for match in _CODE_TOKEN.finditer(text):
        if _is_objective_code_context(text, match.start(), match.end()):
            code = _normalise_code(match.group())
            mentions.append(CodeMention(code, match.start(), match.start() + len(code)))
    taken = [(m.start, m.end) for m in mentions]
    for mention in _prefixed_codes(text):
        if any(start <= mention.start < end for start, end in taken):
            continue
        if taken and code_levels(mention.code) < _MIN_PLAIN_LEVELS:
            continue  # "Obiettivo 2" in the prose of a cell keyed by 1.2.1
        mentions.extend(_with_slash_list(text, mention))
    if not mentions and (start := _start_code(text)):
        mentions.extend(_with_slash_list(text, start))
    return _unique(mentions)


def codes_in_code_cell(text: str) -> list[CodeMention]:
    """The codes of a cell that holds nothing but codes (a code column): ``"1"``,
    ``"OB.01"``, ``"Ob. 3"``, ``"9.2.1/9.2.2"``; [] for any other text (``"1,5"``,
    ``"12,5%"``, ``"Ob. 3 PERSONALE"``)."""
    text = text or ""
    match = _CODE_ALONE.match(text)
    if not match:
        return []
    found = re.finditer(_ANY_CODE, match.group("codes"))
    offset = match.start("codes")
    return _unique(CodeMention(m.group(), offset + m.start(), offset + m.end()) for m in found)


def is_code_cell(text: str) -> bool:
    """True for a cell holding only an objective code (content evidence for a code column)."""
    return bool(codes_in_code_cell(text))


def strategic_of(code: str) -> str:
    """Strategic objective of an objective code: ``"9.3.2.1"`` -> ``"9.3"``."""
    return ".".join(code.split(".")[:2])


def parse_mission(text: str) -> tuple[int | None, str]:
    """The one reading of a mission cell, which every stage calls (header detection, row
    realignment, page joins, the hierarchy): ``"M 01 Servizi istituzionali"`` -> (1,
    "Servizi istituzionali"); ``"Missione 01 - Servizi"``, ``"03 – Ordine pubblico"``,
    ``"Miss. 03"``, ``"03"``, a mission / programme pair ``"01 / 04 Gestione delle
    entrate"`` alike; (None, text) otherwise (``"1.2 Ente digitale"``, a
    programme line ``"1 Rafforzare l'ente"``)."""
    match = _MISSION.match(text or "")
    if not match:
        return None, (text or "").strip()
    number = next(
        match.group(kind) for kind in ("prefixed", "paired", "dashed", "bare") if match.group(kind)
    )
    return int(number), " ".join(match.group("name").split()).strip(" .-–—")


def mission_prefix(text: str) -> int | None:
    """The mission of an ``M 01`` / ``Missione 01`` prefix opening a cell (``"M 01 – 1.2.1
    Titolo"`` -> 1); None when the cell opens otherwise (an unprefixed number is a code)."""
    match = _MISSION.match(text or "")
    return int(match.group("prefixed")) if match and match.group("prefixed") else None


def mission_of_code(code: str | None) -> int | None:
    """The mission a code itself prints: a mission–programme code of the national chart of
    accounts (``"0101"``, ``"01.01"``, ``"01010601"`` -> 1); None for any other code (the
    first number of ``"2.1.1"`` may be a strategic line, not a mission)."""
    match = _MISSION_PROGRAMME.match(code or "")
    return int(match.group(1)) if match and match.group(2) else None


def parse_strategic(text: str) -> tuple[str | None, str]:
    """The one reading of a strategic cell, which every stage calls: ``"1.2. Migliorare
    l'accesso"`` -> ("1.2", "Migliorare l'accesso"); ``"1.2"`` -> ("1.2", ""); (None, text)
    otherwise (``"1.3.1 Analisi"``, ``"1.2 2023"``)."""
    match = _STRATEGIC.match(text or "")
    if not match:
        return None, (text or "").strip()
    return match.group(1), (match.group(2) or "").strip()


def is_strategic_text(text: str) -> bool:
    return parse_strategic(text)[0] is not None


def is_mission_text(text: str) -> bool:
    return parse_mission(text)[0] is not None


def _is_upper_token(token: str) -> bool:
    letters = [char for char in token if char.isalpha()]
    return not any(char.islower() for char in letters)


def title_after(text: str, end: int) -> str | None:
    """The upper-case heading right after a code (``"1.1.1 ANTICORRUZIONE. Elaborazione"``
    -> ``"ANTICORRUZIONE"``; ``"Obiettivo 2 – SERVIZI ON LINE: ..."`` -> ``"SERVIZI ON
    LINE"``), or None when the text goes on in lower case."""
    rest = text[end:].split("\n", 1)[0]
    rest = re.sub(rf"^(?:\s*/\s*{_ANY_CODE})+", "", rest)
    rest = _LEADING_PUNCTUATION.sub("", rest)
    stop = _TITLE_STOP.search(rest)
    candidate = rest[: stop.start()] if stop else rest
    words: list[str] = []
    for token in candidate.split():
        if not _is_upper_token(token):
            break
        words.append(token)
    while words and not any(char.isalpha() for char in words[-1]):
        words.pop()
    title = " ".join(words).strip(" -–,")
    letters = sum(char.isalpha() for char in title)
    return title if letters >= 3 else None
