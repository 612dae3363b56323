"""The administration a document belongs to (the ``ente``), from its own identity.

The ente is the body named on the cover ("COMUNE DI BORGO ARDENZA", "Unione dei Comuni
della Valle del Savena") or in the registry table of a whole PIAO's section 1
("Denominazione | Comune di X"). Other bodies are named too — the province the comune lies
in, under its name on the cover; a partner in a table ("Provincia di Modena" among the
stakeholders) — and must not be taken for it: the cover's first body wins, then the
registry's, and only then a table heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from extract.lazy_pattern import lazy_compile
from extract.model import RawTable

_CONNECTOR = r"(?:della|delle|dello|degli|dei|del|di|dell'|d'|sul|sulla|al|in|e)"
_KIND = lazy_compile(
    r"(?i:\b(?:comune\s+d[i']|unione\s+(?:dei\s+comuni|montana|comunale)\s+" + _CONNECTOR + r"|"
    r"unione\s+" + _CONNECTOR + r"|provincia\s+d[i']|citt[àa]\s+metropolitana\s+d[i']|"
    r"comunit[àa]\s+montana\s+" + _CONNECTOR + r"))[ \t]*"
)
_NAME_WORD = r"[A-ZÀ-Ý][\w'À-ÿ-]*"
_NAME = lazy_compile(rf"{_NAME_WORD}(?:[ \t]+(?:(?i:{_CONNECTOR})[ \t]*)?{_NAME_WORD})*")
_LOWER = frozenset(
    [
        "di",
        "del",
        "della",
        "dello",
        "delle",
        "dei",
        "degli",
        "dell'",
        "d'",
        "sul",
        "sulla",
        "al",
        "in",
        "e",
        "comuni",
    ]
)
#: The registry table is among the first tables of a whole PIAO (section 1).
REGISTRY_TABLES = 3
#: Labels of the registry row that names the administration.
_NAME_LABELS = ("denominazione", "ente", "amministrazione", "nome dell'ente")


def ente_in(text: str) -> str | None:
    """The first administration named in ``text`` (one line), capitalised as a name when
    printed in capitals; None when it names none."""
    for kind in _KIND.finditer(text or ""):
        name = _NAME.match(text, kind.end())
        if name:
            return printed_name(f"{kind.group(0).strip()} {name.group(0)}")
    return None


def printed_name(text: str) -> str:
    """A name with its whitespace collapsed; in capitals ("COMUNE DI BORGO ARDENZA"), as a
    name is written ("Comune di Borgo Ardenza", "Unione dei Comuni della Valle del Savena")."""
    words = text.split()
    if any(char.islower() for char in text):
        return " ".join(words)
    out = []
    for index, word in enumerate(words):
        lower = word.lower()
        if index and (lower in _LOWER or lower.split("'")[0] + "'" in _LOWER):
            out.append(lower if lower != "comuni" else "Comuni")
            continue
        out.append("'".join(part.capitalize() for part in word.split("'")))
    return " ".join(out)


def registry_ente(tables: Sequence[RawTable]) -> str | None:
    """The administration a registry table names ("Denominazione | Comune di X"): one of
    the document's first REGISTRY_TABLES tables printed under its registry heading
    ("Scheda anagrafica"), so that an attachment's tables are not read for it."""
    for table in tables[:REGISTRY_TABLES]:
        if "anagrafic" not in table.heading.lower():
            continue
        for row in table.rows:
            texts = [" ".join(text.split()) for text in row.texts if text.strip()]
            if len(texts) >= 2 and texts[0].lower().rstrip(":") in _NAME_LABELS:
                found = ente_in(texts[1])
                if found:
                    return found
    return None


def document_ente(preamble: str, tables: Sequence[RawTable], headings: Iterable[str]) -> str | None:
    """The document's ente: the first body the preamble (cover) names, line by line; else
    the one its registry table names; else the first a table heading names."""
    for line in (preamble or "").splitlines():
        found = ente_in(line)
        if found:
            return found
    return registry_ente(tables) or next(
        (found for heading in headings if (found := ente_in(heading))), None
    )
