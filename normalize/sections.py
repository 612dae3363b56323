"""Which tables of a document are the performance section's, in a whole PIAO.

Many administrations publish the performance objectives inside sub-section 2.2 of the
PIAO itself rather than as an attachment. The rest of such a document prints tables that
look like objective tables to a reader of grids: the registry of section 1 (population
counts), the strategic lines of 2.1 with their baselines, the risk maps and transparency
obligations of 2.3, the organisation chart, staffing, training and workforce plan of
section 3. Their numbers would be read as codes and weights.

The section headings are found by the extractors in the page text (:mod:`extract.sections`);
here each table gets the section in force where it is printed (the last heading before it
that is not a table-of-contents entry, carried from table to table), and:

- a document that names a performance section ("2.2 Performance", "Sottosezione di
  programmazione Performance") is read only there; every other table is skipped with an
  ``info`` finding naming its section;
- a document that names no performance section (an attachment that is only the performance
  tables, as most are) is read as before, except for tables printed under a section that is
  plainly another one (registry, risks, staffing...), which are skipped the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

from extract.lazy_pattern import lazy_compile
from extract.model import RawDocument, RawTable
from extract.sections import SectionMention, fold, section_mentions
from normalize.headings import read_heading
from normalize.quality import INFO, Finding, describe_location

PERFORMANCE = "performance"
#: The end of a sentence of prose: a stop after a lower-case letter, a digit or a bracket,
#: before a capital ("U.O. TRIBUTI" is no sentence end).
_SENTENCE_END = lazy_compile(r"(?<=[a-zà-ÿ0-9)][.;:])\s+(?=[A-ZÀ-Ý])")
#: Sub-section numbers of the national template and what they hold (for the findings).
_KNOWN_NUMBERS = {
    "1": "registry",
    "2.1": "public value",
    "2.3": "corruption risks and transparency",
    "3": "organisation and human capital",
    "3.1": "organisational structure",
    "3.2": "remote work",
    "3.3": "workforce plan",
    "3.4": "training",
    "4": "monitoring",
}
#: Title words of a section that is not the performance one, with what it holds.
_OTHER_TITLES = (
    ("anagrafica", "registry"),
    ("valore pubblico", "public value"),
    ("rischi corruttivi", "corruption risks and transparency"),
    ("anticorruzione", "corruption risks and transparency"),
    ("trasparenza", "corruption risks and transparency"),
    ("struttura organizzativa", "organisational structure"),
    ("lavoro agile", "remote work"),
    ("fabbisogni", "workforce plan"),
    ("formazione", "training"),
    ("organizzazione", "organisation and human capital"),
    ("monitoraggio", "monitoring"),
)


class Section(NamedTuple):
    """A section as the document prints it: its heading and what it holds
    (:data:`PERFORMANCE`, a kind of other content, or None for the umbrella "SEZIONE 2 –
    VALORE PUBBLICO, PERFORMANCE E ANTICORRUZIONE" that holds both)."""

    heading: str
    kind: str | None


def section_kind(mention: SectionMention) -> str | None:
    """What a section heading announces: :data:`PERFORMANCE` for 2.2 or a title opening
    with "Performance"; another content for a title opening with its words ("Rischi
    corruttivi", "Formazione") or, failing that, for the template's number; None for
    section 2 as a whole (value, performance and anticorruption together)."""
    title = fold(mention.title)
    number = mention.number
    if number is not None and (number == "2.2" or number.startswith("2.2.")):
        return PERFORMANCE
    if title.startswith("performance"):
        return PERFORMANCE
    opening = next((kind for word, kind in _OTHER_TITLES if title.startswith(word)), None)
    if opening is not None and not (number == "2" and "performance" in title):
        return opening
    if number is not None:
        top = number if number in _KNOWN_NUMBERS else number[:3]
        if number == "2" or top not in _KNOWN_NUMBERS:
            return None
        return _KNOWN_NUMBERS[top]
    if "performance" in title and not any(word in title for word, _ in _OTHER_TITLES):
        return PERFORMANCE
    return next((kind for word, kind in _OTHER_TITLES if word in title), None)


def _headings_of(text: str, bare: bool) -> list[SectionMention]:
    """The section headings of a text that are not table-of-contents entries; headings
    printed as a bare number ("2.3 Trasparenza") only when ``bare``."""
    return [m for m in section_mentions(text) if not m.toc and (bare or m.worded)]


def trusts_bare_numbers(preamble: str, headings: Iterable[str]) -> bool:
    """Whether the document's bare numbered headings ("2.2 Performance", "3.1 Struttura
    organizzativa") are sections: only in a document that also prints "Sezione"/
    "Sottosezione" headings (a whole PIAO). In an attachment, "1.1 Trasparenza e
    partecipazione" above a table is a strategic line of the objectives, not a section."""
    return any(_headings_of(text, bare=False) for text in (preamble, *headings))


def table_sections(preamble: str, headings: Iterable[str]) -> list[Section | None]:
    """The section in force at each table, given the document's preamble and its tables'
    headings in order (None before any section heading)."""
    headings = list(headings)
    bare = trusts_bare_numbers(preamble, headings)
    current: Section | None = None
    sections = []
    for index, text in enumerate((preamble, *headings)):
        found = _headings_of(text, bare)
        if found:
            current = Section(found[-1].text, section_kind(found[-1]))
        if index:
            sections.append(current)
    return sections


def names_performance(preamble: str, headings: Iterable[str]) -> bool:
    """Whether the document prints a performance section heading (the table of contents
    does not count: it names the sections of the whole PIAO, not of this file)."""
    headings = list(headings)
    bare = trusts_bare_numbers(preamble, headings)
    return any(
        section_kind(mention) == PERFORMANCE
        for text in (preamble, *headings)
        for mention in _headings_of(text, bare)
    )


def is_read(section: Section | None, has_performance: bool) -> bool:
    """Whether a table under ``section`` holds objectives to read (see module doc)."""
    if has_performance:
        return section is not None and section.kind == PERFORMANCE
    return section is None or section.kind in (None, PERFORMANCE)


def table_headings(tables: Sequence[RawTable]) -> list[str]:
    """The tables' headings, without reading their cells when the sequence can say them
    (a text's lazy tables)."""
    headings = getattr(tables, "headings", None)
    return list(headings) if headings is not None else [table.heading for table in tables]


def skipped_finding(table: RawTable, section: Section | None) -> Finding:
    """The ``info`` finding of a table skipped because it is printed outside the
    performance section."""
    page = table.pages[0] if table.pages else None
    where = (
        f"section {section.heading[:80]!r} ({section.kind or 'not the performance section'})"
        if section is not None
        else "before the first section of the document"
    )
    return Finding(
        "table_outside_performance",
        INFO,
        f"table {table.index + 1} is printed in {where}, not in the performance section; "
        "not read for objectives",
        location=describe_location(page),
        page=page,
    )


def heading_tail(heading: str, words: Sequence[str] = ()) -> str:
    """The part of a table's heading that names its sector, when the heading also holds
    the prose printed before it (the first sector of a section: "... i target dell'anno.
    SETTORE AFFARI GENERALI (AG)"): the last line, from the last sentence that names a
    sector on; the heading as it is when no sentence does."""
    lines = [line for line in heading.splitlines() if line.strip()]
    if not lines:
        return heading
    last = lines[-1]
    sentences = _SENTENCE_END.split(last)
    for start in range(len(sentences) - 1, -1, -1):
        tail = " ".join(sentences[start:])
        if read_heading(tail, words) is not None:
            return tail
    return heading


def performance_tables(
    preamble: str,
    tables: Sequence[RawTable],
    skipped: list[Finding] | None = None,
    words: Sequence[str] = (),
) -> Iterator[RawTable]:
    """The tables that hold the performance section's objectives, in order; each other
    table gives a finding to ``skipped`` (when given). In a whole PIAO a table's heading is
    cut to the part that names its sector (:func:`heading_tail`, ``words``: the layout's
    own heading words); an attachment's tables are given as they are."""
    headings = table_headings(tables)
    sections = table_sections(preamble, headings)
    has_performance = names_performance(preamble, headings)
    for table, section in zip(tables, sections, strict=True):
        if not is_read(section, has_performance):
            if skipped is not None:
                skipped.append(skipped_finding(table, section))
        elif has_performance and (tail := heading_tail(table.heading, words)) != table.heading:
            yield replace(table, heading=tail)
        else:
            yield table


def performance_view(
    raw: RawDocument, skipped: list[Finding] | None = None, words: Sequence[str] = ()
) -> RawDocument:
    """The document as the genre detectors and readers see it: in a whole PIAO only the
    tables of its performance section (each other table a finding to ``skipped``), so that
    a month grid of a training plan or a key/value registry table never decides the genre;
    an attachment as it is (its tables not read: a large text's stay lazy)."""
    if not names_performance(raw.preamble, table_headings(raw.tables)):
        return raw
    tables = tuple(performance_tables(raw.preamble, raw.tables, skipped, words))
    return replace(raw, tables=tables)
