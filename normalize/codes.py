"""Objective, strategic and mission codes, and the title that follows an objective code.

An objective code has three or four dotted parts (``1.1.1``, ``4.1.2.1``); its first part is
the budget mission and its first two parts the strategic objective. Dotted numbers that are
*not* objective codes (law articles, PNRR investments, CUP codes) are told apart by context:
an objective code opens the cell, a paragraph or a sentence, is joined by ``/`` to another
code, or is followed by an upper-case heading; it is never preceded by words such as
"Investimento", "art." or "n.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = r"\d{1,2}(?:\.\d{1,2}){2,3}"
_CODE_TOKEN = re.compile(rf"(?<![\w.]){_CODE}\.?(?!\w|\.\d)")
_NOT_A_CODE_BEFORE = re.compile(
    r"(?:investiment[oi]|misura|componente|linea|intervento|art|artt|articolo|co|comma|n|nr|"
    r"num|numero|legge|l|d\.?\s*lgs|d\.?\s*l|dl|dpr|decreto|cup|cig|allegato|punto|par|"
    r"paragrafo|lett|c\d|m\d)\.?\s*[°:]?\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;:!?)\]>]\s*$|^\s*$|\n\s*$")
_MISSION = re.compile(r"^\s*M(?:issione)?\s*\.?\s*(\d{1,2})\b\.?\s*(.*)$", re.IGNORECASE | re.S)
_STRATEGIC = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\.?(?=\s|$)\s*(.*)$", re.S)
_TITLE_STOP = re.compile(r"\s[-–—]\s|\s[-–—]|[-–—]\s|[.:;](?:\s|$)")


@dataclass(frozen=True, slots=True)
class CodeMention:
    code: str
    start: int
    end: int


def _normalise_code(token: str) -> str:
    return token.rstrip(".")


def _looks_like_heading(after: str) -> bool:
    """True when the text after a code opens with an upper-case word of 2+ letters."""
    match = re.match(r"\s*([^\s]+)", after)
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


def find_objective_codes(text: str) -> list[CodeMention]:
    """Objective codes in an objective cell, in order, without duplicates."""
    mentions: list[CodeMention] = []
    seen: set[str] = set()
    for match in _CODE_TOKEN.finditer(text):
        if not _is_objective_code_context(text, match.start(), match.end()):
            continue
        code = _normalise_code(match.group())
        if code not in seen:
            seen.add(code)
            mentions.append(CodeMention(code, match.start(), match.end()))
    return mentions


def mission_of(code: str) -> int:
    """Budget mission of an objective code: ``"9.3.2.1"`` -> 9."""
    return int(code.split(".")[0])


def strategic_of(code: str) -> str:
    """Strategic objective of an objective code: ``"9.3.2.1"`` -> ``"9.3"``."""
    return ".".join(code.split(".")[:2])


def parse_mission(text: str) -> tuple[int | None, str]:
    """``"M 01 Servizi istituzionali"`` -> (1, "Servizi istituzionali"); (None, text) otherwise."""
    match = _MISSION.match(text or "")
    if not match:
        return None, (text or "").strip()
    return int(match.group(1)), match.group(2).strip(" .-")


def parse_strategic(text: str) -> tuple[str | None, str]:
    """``"1.2. Migliorare l'accesso"`` -> ("1.2", "Migliorare l'accesso")."""
    match = _STRATEGIC.match(text or "")
    if not match:
        return None, (text or "").strip()
    return match.group(1), match.group(2).strip()


def is_strategic_text(text: str) -> bool:
    return parse_strategic(text)[0] is not None


def is_mission_text(text: str) -> bool:
    return parse_mission(text)[0] is not None


def _is_upper_token(token: str) -> bool:
    letters = [char for char in token if char.isalpha()]
    return not any(char.islower() for char in letters)


def title_after(text: str, end: int) -> str | None:
    """The upper-case heading right after a code (``"1.1.1 ANTICORRUZIONE. Elaborazione"``
    -> ``"ANTICORRUZIONE"``), or None when the text goes on in lower case."""
    rest = text[end:].split("\n", 1)[0]
    rest = re.sub(rf"^(?:\s*/\s*{_CODE})+", "", rest).lstrip()
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
