"""Section headings of a whole PIAO, found in the page text around the tables.

A PIAO is divided into sections by the national template: "SEZIONE 1 – SCHEDA ANAGRAFICA
DELL'AMMINISTRAZIONE", "SEZIONE 2 – VALORE PUBBLICO, PERFORMANCE E ANTICORRUZIONE" with its
sub-sections "2.1 Valore pubblico", "2.2 Performance", "2.3 Rischi corruttivi e
trasparenza", "SEZIONE 3 – ORGANIZZAZIONE E CAPITALE UMANO" (3.1 struttura, 3.2 lavoro
agile, 3.3 fabbisogni, 3.4 formazione), "SEZIONE 4 – MONITORAGGIO". Producers print them as
"Sottosezione 2.2 Performance", "Sottosezione di programmazione Performance", "2.2
Performance" or "SEZIONE 2.3", and repeat them in the table of contents with a page number.

The extractors know no column meanings, but they must not lose these headings: a table
printed under another section is another table (it starts a new one like a sector
heading does), and a section heading printed on a page of prose before the table is
carried to the table's heading (:func:`carried_heading`). The normaliser
(:mod:`normalize.sections`) decides which tables are the performance section's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from extract.lazy_pattern import lazy_compile

#: Words that open the title of a numbered sub-section printed without "Sezione"
#: ("2.2 Performance", "3.1 Struttura organizzativa"), compared in lower case without accents.
SECTION_TITLE_WORDS: tuple[str, ...] = (
    "scheda anagrafica",
    "valore pubblico",
    "performance",
    "rischi corruttivi",
    "anticorruzione",
    "trasparenza",
    "organizzazione",
    "struttura organizzativa",
    "organizzazione del lavoro agile",
    "lavoro agile",
    "piano triennale dei fabbisogni",
    "fabbisogni",
    "formazione",
    "monitoraggio",
)
_WORDED = lazy_compile(
    r"(?<![\w.])(?:sotto[ \t-]?sezione|sezione)\s+(?:di\s+programmazione\s*[:\-–—]?\s*"
    r"(?:n\.?\s*)?(?P<n1>\d(?:\.\d{1,2}){0,2})?|(?:n\.?\s*)?(?P<n2>\d(?:\.\d{1,2}){0,2}))"
    r"(?![\d,/])\.?",
    re.IGNORECASE,
)
_NUMBERED = lazy_compile(
    r"(?<![\w.,/])(?P<n3>[1-4]\.[1-9](?:\.\d)?)\.?[ \t]*[-–—:]?[ \t]*(?=(?:"
    + "|".join(re.escape(word) for word in SECTION_TITLE_WORDS)
    + r")\b)",
    re.IGNORECASE,
)
#: Words of a title kept after the section's number (the rest is prose or the next line).
TITLE_WORDS = 10
#: A table-of-contents entry: a dot leader, or a short title ending in a page number.
_LEADER = lazy_compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_PAGE_NUMBER_END = lazy_compile(r"\s(?:pag\.?\s*)?\d{1,3}\s*$", re.IGNORECASE)
TOC_TITLE_WORDS = 16
#: A table of contents without page numbers: this many headings or more in one text, each
#: followed by no more than TOC_RUN_WORDS words.
TOC_RUN = 3
TOC_RUN_WORDS = 8


class SectionMention(NamedTuple):
    """A section heading printed in a text: its number ("2.2", None when the heading
    prints none: "Sottosezione di programmazione Performance"), its title (the first
    :data:`TITLE_WORDS` words after it), the text as printed and whether it is an entry of
    the table of contents (a page number or a dot leader after it)."""

    number: str | None
    title: str
    text: str
    toc: bool
    #: Printed with the word "Sezione"/"Sottosezione" (not a bare number: "2.2 Performance").
    worded: bool = True
    #: Printed at the very start of the text.
    opening: bool = False


def fold(text: str) -> str:
    """Lower case without accents, of the same length (positions stay valid)."""
    return "".join(unicodedata.normalize("NFKD", char)[0] for char in text).lower()


#: Words that put a section's name inside a sentence ("nella sezione 2.3", "la presente
#: sottosezione", "cfr. sezione 3"): articles, prepositions and determiners.
_PROSE_BEFORE = frozenset(
    [
        "la",
        "le",
        "il",
        "lo",
        "gli",
        "i",
        "un",
        "una",
        "nella",
        "nelle",
        "nel",
        "nei",
        "della",
        "delle",
        "del",
        "dei",
        "dalla",
        "dal",
        "alla",
        "al",
        "alle",
        "ai",
        "in",
        "a",
        "di",
        "da",
        "con",
        "su",
        "per",
        "tra",
        "fra",
        "e",
        "ed",
        "o",
        "cfr",
        "cfr.",
        "vedi",
        "v.",
        "presente",
        "apposita",
        "successiva",
        "precedente",
        "relativa",
        "stessa",
        "questa",
        "quella",
        "medesima",
        "citata",
        "prevista",
        "specifica",
        "seguente",
        "sua",
        "propria",
        "ogni",
    ]
)


def _in_prose(text: str, start: int) -> bool:
    """Whether the heading-like words at ``start`` are a reference inside a sentence ("come
    previsto nella sezione 2.3", "nell'ambito della sottosezione"): the word before them
    is an article, a preposition or a determiner in lower case, or ends in an apostrophe."""
    before = text[:start].split()
    if not before:
        return False
    word = before[-1].strip('(«"“')
    return word.islower() and (word in _PROSE_BEFORE or word.endswith(("'", "’")))


#: A quick test before the full search: a text without "sezione" or a number like "2.2"
#: prints no section heading (most headings of an attachment).
_MAYBE = re.compile(r"ezione|(?<![\d.])[1-4]\.[1-9]", re.IGNORECASE)


def section_mentions(text: str) -> list[SectionMention]:
    """The section headings printed in ``text``, in order (:func:`find_mentions`,
    remembered for the texts seen last: a document's headings are asked several times)."""
    if not text or not _MAYBE.search(text):
        return []
    return list(find_mentions(text))


@lru_cache(maxsize=256)
def find_mentions(text: str) -> tuple[SectionMention, ...]:
    """The section headings printed in ``text``, in order (see module doc). An entry of a
    table of contents is marked ``toc``: a page number or a dot leader after a short title,
    or, for a table of contents printed without page numbers ("INDICE Sezione 1 Scheda
    anagrafica Sezione 2 Valore pubblico ..."), TOC_RUN or more headings in one text each
    followed by no more than TOC_RUN_WORDS words (a heading followed by prose is none)."""
    folded = fold(text or "")
    matches = sorted(
        [*_WORDED.finditer(folded), *_NUMBERED.finditer(folded)], key=lambda m: m.start()
    )
    starts = [
        m
        for i, m in enumerate(matches)
        if (not i or m.start() >= matches[i - 1].end()) and not _in_prose(text, m.start())
    ]
    found: list[tuple[SectionMention, bool]] = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        segment = text[match.end() : end]
        number = next((value for value in match.groupdict().values() if value), None)
        words = segment.strip(" \t.:-–—").split()
        title = " ".join(title_words(words[:TITLE_WORDS]))
        if number is None and not title:
            continue
        listed = bool(_LEADER.search(segment)) or (
            len(words) <= TOC_TITLE_WORDS and bool(_PAGE_NUMBER_END.search(segment))
        )
        printed = " ".join(text[match.start() : match.end()].split() + title.split())
        worded = match.re.pattern == _WORDED.pattern
        mention = SectionMention(
            number, title, printed, listed, worded, not text[: match.start()].strip()
        )
        found.append((mention, len(words) <= TOC_RUN_WORDS))
    run = sum(short for _mention, short in found) >= TOC_RUN
    return tuple(m._replace(toc=True) if run and short else m for m, short in found)


def _caps(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) > 1 and all(char.isupper() for char in letters)


def title_words(words: list[str]) -> list[str]:
    """The words of a section's title, without the prose or heading printed after it on
    the same line: the title ends where the writing changes, at a capitalised word after
    a lower-case one ("Valore pubblico | Le linee..."), at a word not in capitals after a
    title in capitals ("SCHEDA ANAGRAFICA | Il Comune..."), or at a word in capitals after
    a capitalised one ("Performance | SETTORE AFFARI GENERALI")."""
    for index in range(1, len(words)):
        word, before = words[index], words[index - 1]
        if not word[:1].isupper():
            continue
        if before[:1].islower() or _caps(before) != _caps(word):
            return words[:index]
    return words


def has_section(text: str) -> bool:
    """Whether ``text`` prints a section heading that is not a table-of-contents entry."""
    return any(not mention.toc for mention in section_mentions(text))


def starts_section(text: str) -> bool:
    """Whether page text above a table starts a new section for the PDF readers: it
    prints a "Sezione"/"Sottosezione" heading, or opens with a bare numbered one ("2.3
    Rischi corruttivi e trasparenza"). A bare number inside the text ("LINEA STRATEGICA
    1.1 Trasparenza") is left to the normaliser (:mod:`normalize.sections`)."""
    return any(not m.toc and (m.worded or m.opening) for m in section_mentions(text))


def last_section(text: str) -> SectionMention | None:
    """The last section heading of ``text`` that is not a table-of-contents entry."""
    return next((m for m in reversed(section_mentions(text)) if not m.toc), None)


def carried_heading(heading: str, pending: str) -> str:
    """The heading of a page's first table given the text ``pending`` from the pages
    before it (a heading left at the foot of a page, a page of prose): ``pending`` when the
    table has no heading of its own; else the heading, with the last section heading of
    ``pending`` on a line before it when the heading prints none (the section goes on)."""
    if not heading:
        return pending
    section = last_section(pending) if pending and not has_section(heading) else None
    return f"{section.text}\n{heading}" if section else heading
