"""A document's status: ``ok``, or ``doubtful`` when the *reading* contradicts itself.

A wrong table that says "0 failed" is the worst outcome a data pipeline can have. Each rule
below looks for one sign that the layout was misread (not a defect of the document: an
impossible date or letters that do not pair stay findings and leave the document ``ok``):

- :func:`rows_without_code`: objective rows that carry data but no objective code;
- :func:`unmapped_data`: data left in columns mapped to nothing;
- :func:`weights_miss_declared_total`: weights that miss the total the sector itself prints;
- :func:`percents_exceed_whole`: a sector's percentages making more than 100%;
- :func:`column_contradicts_mapping`: a column whose content contradicts its mapping (texts
  or dates in a weight column, long texts in a code column);
- :func:`low_genre_confidence`: a genre (grid, cards, ...) guessed with low confidence;
- :func:`cells_left_uncut`: cells the extractor could not cut into their columns;
- :func:`low_text_coverage`: printed words of the tables that land in no typed table
  (objectives, items, sectors) nor in a recorded finding.

Each rule returns a :class:`StatusReason` (English and Italian text, location) or ``None``;
:class:`DocumentStatus` gathers them while the document is read, a sector at a time, and
gives the ``documents`` row its ``status``, ``status_reasons``, ``status_reasons_it`` and
``text_coverage``. Another stage adds a reason with one call, ``status.add(reason)``; e.g.
the genre guess, in :func:`normalize.document.iter_records` before the sectors are read::

    guess = detect_genre(raw)
    builder.status.add(low_genre_confidence(guess.genre, guess.confidence, guess.reasons))

A reason of another kind is a :class:`StatusReason` made on the spot (a code, English and
Italian text, where).

The thresholds (:class:`StatusThresholds`) come from the layout-variation corpus: every case
of it, in every rendering and engine, and the shipped attachment stay ``ok``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from extract.model import ExtractNote
from normalize.dates import find_dates
from normalize.weights import parse_decimal, parse_percent, parse_weight
from schema.records import Record, column_values

OK, DOUBTFUL = "ok", "doubtful"

#: Cells that are the tables' structure, not data: header and total rows, a card's labels.
_STRUCTURE_FIELDS = frozenset({"header", "total", "label"})
_WORD = re.compile(r"\w\w+")


class StatusThresholds(NamedTuple):
    """Where a sign of misreading becomes a doubt (see module doc for where they come from).

    - ``min_coverage``: least share of the tables' printed words found in the typed tables;
    - ``min_genre_confidence``: least confidence of a genre guess;
    - ``max_contradicting_share``: most share of a column's cells whose content contradicts
      its mapping (``min_contradicting_cells`` of them at least make a doubt);
    - ``max_code_words``: most words of a cell of a code column.
    """

    min_coverage: float = 0.9
    min_genre_confidence: float = 0.6
    max_contradicting_share: float = 0.5
    min_contradicting_cells: int = 2
    max_code_words: int = 12


DEFAULT_THRESHOLDS = StatusThresholds()


class StatusReason(NamedTuple):
    """Why a document is doubtful: a stable ``code``, the English ``message`` and the
    Italian ``message_it``, and where (``sector_code``, ``location``, ``page``)."""

    code: str
    message: str
    message_it: str
    sector_code: str | None = None
    location: str = ""
    page: int | None = None

    def text(self) -> str:
        """``"code: message (where)"``, the English line stored in ``status_reasons``."""
        return _with_where(self.code, self.message, self.sector_code, self.location)

    def text_it(self) -> str:
        """The Italian line stored in ``status_reasons_it``."""
        return _with_where(self.code, self.message_it, self.sector_code, self.location, "settore")


def _with_where(
    code: str, message: str, sector: str | None, location: str, label: str = "sector"
) -> str:
    where = ", ".join(part for part in (f"{label} {sector}" if sector else "", location) if part)
    return f"{code}: {message}" + (f" ({where})" if where else "")


# the rules ---------------------------------------------------------------------------------


def rows_without_code(
    sector_code: str, uncoded_rows: Sequence[tuple[int, int | None]]
) -> StatusReason | None:
    """Objective rows that carry data (a weight, texts) but no objective code: the code
    column was not found where the codes are. ``uncoded_rows``: (row index, page)."""
    if not uncoded_rows:
        return None
    rows = ", ".join(str(row) for row, _page in uncoded_rows[:5])
    count = len(uncoded_rows)
    return StatusReason(
        "rows_without_code",
        f"{count} row(s) with data but no objective code (rows {rows})",
        f"{count} righe con dati ma senza codice obiettivo (righe {rows})",
        sector_code,
        f"row {uncoded_rows[0][0]}",
        uncoded_rows[0][1],
    )


def unmapped_data(
    sector_code: str,
    cells: Sequence[tuple[int, int, int | None, str, bool]],
    min_rows: int = 2,
) -> StatusReason | None:
    """Columns left unmapped: a column whose filled data cells, given as (row, column, page,
    text, mapped), are mapped to no field in most of the rows that fill it (two rows at
    least). What such a column says is in no typed table; a cell unmapped now and then (a
    shifted row) is the text coverage's to weigh."""
    filled = [cell for cell in cells if _has_words(cell[3])]
    unmapped = []
    for column in sorted({cell[1] for cell in filled}):
        in_column = [cell for cell in filled if cell[1] == column]
        left = [cell for cell in in_column if not cell[4]]
        if len(left) >= min_rows and len(left) * 2 > len(in_column):
            unmapped.append((column, left))
    if not unmapped:
        return None
    columns = [column for column, _left in unmapped]
    count = sum(len(left) for _column, left in unmapped)
    row, column, page, text, _mapped = unmapped[0][1][0]
    return StatusReason(
        "unmapped_data",
        f"{count} data cell(s) in column(s) {columns} mapped to no field (e.g. {text[:40]!r})",
        f"{count} celle con dati in colonne {columns} non attribuite ad alcun campo "
        f"(es. {text[:40]!r})",
        sector_code,
        f"row {row}, col {column}",
        page,
    )


def weights_miss_declared_total(
    sector_code: str, declared: int | None, summed: int | None, page: int | None = None
) -> StatusReason | None:
    """The weights read do not make the total the sector itself prints (totale row): a
    weight was read from the wrong cell, or a row was lost or invented."""
    if declared is None or summed is None or declared == summed:
        return None
    return StatusReason(
        "weights_miss_declared_total",
        f"weights sum to {summed}, the totale row says {declared}",
        f"i pesi sommano a {summed}, la riga del totale dice {declared}",
        sector_code,
        "totale",
        page,
    )


def percents_miss_declared_total(
    sector_code: str,
    declared: float | None,
    percents: Sequence[float],
    rounding: float,
    page: int | None = None,
) -> StatusReason | None:
    """A sector weighted by percentages only whose percentages miss the total its totale row
    prints by more than their rounding: a percentage was read from the wrong cell, or a row
    was lost or invented."""
    if declared is None or not percents or abs(sum(percents) - declared) <= rounding:
        return None
    summed = f"{sum(percents):.2f}"
    return StatusReason(
        "weights_miss_declared_total",
        f"percentages sum to {summed}%, the totale row says {declared:g}%",
        f"le percentuali sommano a {summed}%, la riga del totale dice {declared:g}%",
        sector_code,
        "totale",
        page,
    )


def percents_exceed_whole(
    sector_code: str, percents: Sequence[float], rounding: float, page: int | None = None
) -> StatusReason | None:
    """A sector weighted by percentages only whose percentages make more than 100% (beyond
    their rounding): no plan gives one sector more than the whole, so objectives were read
    twice or taken from another sector's rows."""
    if not percents or sum(percents) - 100 <= rounding:
        return None
    summed = f"{sum(percents):.2f}"
    return StatusReason(
        "percents_exceed_whole",
        f"percentages sum to {summed}%, more than 100%: objectives read twice or from "
        "another sector",
        f"le percentuali sommano a {summed}%, più del 100%: obiettivi letti due volte o da "
        "un altro settore",
        sector_code,
        "totale",
        page,
    )


def contradicts(field_name: str, text: str, max_code_words: int) -> str | None:
    """What a cell's content says against its field, or None: a weight column holds a
    number or a percentage, not words or dates; a code column holds a code, not a long
    text. Fields without an expected content never contradict."""
    text = text.strip()
    if not text:
        return None
    if field_name in ("weight", "weighting_pct"):
        if parse_weight(text) is not None or parse_percent(text) is not None:
            return None
        if parse_decimal(text) is not None or text.upper() in ("X", "-", "/", "N.A.", "NA"):
            return None
        return "a date" if find_dates(text, None) else "a text"
    if field_name == "code" and len(_words(text)) > max_code_words:
        return "a long text"
    if field_name == "deadline" and not find_dates(text, _ANY_YEAR):
        return "no date"
    return None


#: The year a date printed without one is read in, when only whether it is a date matters.
_ANY_YEAR = 2000
_NUMBER = re.compile(r"\d")


def number_share(texts: Sequence[str]) -> float:
    """Share of the filled texts that print a number (a target usually does)."""
    filled = [text for text in texts if text.strip()]
    return sum(bool(_NUMBER.search(text)) for text in filled) / len(filled) if filled else 0.0


def indicator_target_swapped(
    sector_code: str,
    indicators: Sequence[str],
    targets: Sequence[str],
    min_cells: int = 3,
    min_gap: float = 0.5,
) -> StatusReason | None:
    """The indicator column prints numbers in far more cells than the target column: the
    two columns were read the wrong way round (a target is a value, an indicator what is
    measured)."""
    if min(len(indicators), len(targets)) < min_cells:
        return None
    indicator_share, target_share = number_share(indicators), number_share(targets)
    if indicator_share - target_share < min_gap:
        return None
    return StatusReason(
        "column_contradicts_mapping",
        f"the indicator column prints numbers in {indicator_share:.0%} of its cells, the "
        f"target column in {target_share:.0%}: read the wrong way round?",
        f"la colonna indicatore riporta numeri nel {indicator_share:.0%} delle celle, la "
        f"colonna valore nel {target_share:.0%}: lette al contrario?",
        sector_code,
        "indicator, target",
    )


def column_contradicts_mapping(
    sector_code: str,
    field_name: str,
    cells: Sequence[tuple[int, int | None, str]],
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> StatusReason | None:
    """A column (its cells as (row, page, text)) whose content contradicts its mapping in
    most of its filled cells: a weight column holding texts or dates, a code column long
    texts. One odd cell is the document's; most of the column is a misread layout."""
    filled = [cell for cell in cells if cell[2].strip()]
    odd = [
        (row, page, text, what)
        for row, page, text in filled
        if (what := contradicts(field_name, text, thresholds.max_code_words))
    ]
    if len(odd) < thresholds.min_contradicting_cells:
        return None
    if len(odd) / len(filled) <= thresholds.max_contradicting_share:
        return None
    row, page, text, what = odd[0]
    return StatusReason(
        "column_contradicts_mapping",
        f"{len(odd)} of {len(filled)} cells read as {field_name} hold {what} (e.g. {text[:40]!r})",
        f"{len(odd)} di {len(filled)} celle lette come {field_name} contengono "
        f"{_ITALIAN_WHAT.get(what, what)} (es. {text[:40]!r})",
        sector_code,
        f"row {row}, {field_name}",
        page,
    )


_ITALIAN_WHAT = {
    "a date": "una data",
    "a text": "un testo",
    "a long text": "un testo lungo",
    "no date": "nessuna data",
}


def low_genre_confidence(
    genre: str,
    confidence: float,
    reasons: Iterable[str] = (),
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
) -> StatusReason | None:
    """A genre (grid, cards, indicator rows, ...) guessed with less confidence than
    ``thresholds.min_genre_confidence``: the document may have been read as what it is not."""
    if confidence >= thresholds.min_genre_confidence:
        return None
    why = "; ".join(reasons)
    return StatusReason(
        "low_genre_confidence",
        f"read as {genre} with confidence {confidence:.2f}" + (f" ({why})" if why else ""),
        f"letto come {genre} con confidenza {confidence:.2f}" + (f" ({why})" if why else ""),
    )


#: Extractor notes that say a cell was kept whole where it could not be cut into its columns
#: (:mod:`extract.text_cards`): its text holds what belongs to the next column.
UNCUT_CELL_RULES = frozenset({"layout_cell_overrun"})


def cells_left_uncut(notes: Iterable[ExtractNote]) -> StatusReason | None:
    """Cells the extractor kept whole because no cut into their columns was sure (an
    indicator run into its target with one space): the reading of those rows is a guess,
    whatever the document's other signs say."""
    uncut = [note.page for note in notes if note.rule in UNCUT_CELL_RULES]
    if not uncut:
        return None
    return StatusReason(
        "cells_left_uncut",
        f"{len(uncut)} cell(s) of a table printed as aligned text could not be cut into their "
        "columns (see the layout_cell_overrun findings)",
        f"{len(uncut)} celle di una tabella stampata come testo allineato non separabili nelle "
        "loro colonne (vedi i rilievi layout_cell_overrun)",
        page=uncut[0],
    )


def low_text_coverage(
    covered: int, printed: int, thresholds: StatusThresholds = DEFAULT_THRESHOLDS
) -> StatusReason | None:
    """Fewer of the tables' printed words in the typed tables than
    ``thresholds.min_coverage``: part of the document was read into nothing."""
    share = coverage(covered, printed)
    if share is None or share >= thresholds.min_coverage:
        return None
    return StatusReason(
        "low_text_coverage",
        f"only {share:.1%} of the tables' printed words ({covered} of {printed}) are in the "
        f"output tables",
        f"solo il {share:.1%} delle parole stampate nelle tabelle ({covered} su {printed}) "
        f"è nelle tabelle prodotte",
    )


# text coverage -----------------------------------------------------------------------------


def _words(text: str | None) -> list[str]:
    """The words of a text (letters and digits, two or more), in lower case."""
    return _WORD.findall(text.lower()) if text else []


def _has_words(text: str) -> bool:
    return _WORD.search(text) is not None


#: Tables whose words are not where a printed word lands: the cells themselves, and the
#: dates, whose phrases are already in the texts they were found in.
_NOT_LANDING = frozenset({"cells", "dates"})


def record_words(records: Mapping[str, Iterable[Mapping[str, object]]]) -> set[str]:
    """Every word of the typed records (sectors, objectives, items, quality, documents):
    where a printed word can land."""
    texts: list[str] = []
    for name, rows in records.items():
        if name in _NOT_LANDING:
            continue
        for row in rows:
            for value in row_values(row):
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, list):
                    texts.extend(item for item in value if isinstance(item, str))
    return set(_words("\n".join(texts)))


def row_values(row: Mapping[str, object]) -> Iterable[object]:
    """A row's values; a record's read from its slots at once (``Mapping.values`` looks
    each column up through ``__getitem__``: a third of the coverage's time)."""
    if isinstance(row, Record):
        return [getattr(row, column) for column in row.columns]
    return row.values()


def header_words(cells: Iterable[Mapping[str, object]]) -> set[str]:
    """The words of the header cells: a table's own vocabulary, which a repeated header row
    read as data still prints."""
    listed = list(cells)
    fields, texts = column_values(listed, "field"), column_values(listed, "text")
    return {
        word
        for field_name, text in zip(fields, texts, strict=True)
        if field_name == "header"
        for word in _words(str(text or ""))
    }


class Landing:
    """Where a printed word can land: the typed records' words, and their opening and
    closing pieces (a word broken at a line end, ``organizza`` / ``zione``, lands as its
    whole, ``organizzazione``), looked up by bisection only for the words not found whole."""

    def __init__(self, words: set[str]) -> None:
        self.words = words
        self.sorted = sorted(words)
        self.reversed = sorted(word[::-1] for word in words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word in self.words or _opens(self.sorted, word) or _opens(self.reversed, word[::-1])


def _opens(ordered: list[str], piece: str) -> bool:
    """Whether a word of ``ordered`` (sorted) opens with ``piece``."""
    index = bisect.bisect_left(ordered, piece)
    return index < len(ordered) and ordered[index].startswith(piece)


def cell_coverage(cells: Iterable[Mapping[str, object]], landed: Container[str]) -> tuple[int, int]:
    """(covered, printed) words of the cell records that are data (header and total rows
    are the table's structure, read as such), a word covered when ``landed`` has it. Each
    distinct word is looked up once, with its count (a word recurs in many cells)."""
    listed = list(cells)
    counts: Counter[str] = Counter()
    for field_name, text in zip(
        column_values(listed, "field"), column_values(listed, "text"), strict=True
    ):
        if field_name not in _STRUCTURE_FIELDS:
            counts.update(_words(str(text or "")))
    covered = sum(count for word, count in counts.items() if word in landed)
    return covered, counts.total()


def coverage(covered: int, printed: int) -> float | None:
    """Share of printed words covered; None when nothing was printed."""
    return covered / printed if printed else None


# a document's status ----------------------------------------------------------------------


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class DocumentStatus:
    """The reasons gathered while a document is read, and its text coverage so far."""

    thresholds: StatusThresholds = DEFAULT_THRESHOLDS
    reasons: list[StatusReason] = field(default_factory=list)
    covered_words: int = 0
    printed_words: int = 0
    #: Words of the header cells read so far (:func:`header_words`).
    vocabulary: set[str] = field(default_factory=set)

    def add(self, reason: StatusReason | None) -> None:
        """Take a rule's answer (``None``: nothing to doubt)."""
        if reason is not None:
            self.reasons.append(reason)

    def count_words(
        self,
        cells: Sequence[Mapping[str, object]],
        records: Mapping[str, Iterable[Mapping[str, object]]],
    ) -> None:
        """Add a part's words to the text coverage: its cell records' words against its
        typed records' (and their pieces) and the headers read so far."""
        self.vocabulary |= header_words(cells)
        landed = Landing(record_words(records) | self.vocabulary)
        covered, printed = cell_coverage(cells, landed)
        self.covered_words += covered
        self.printed_words += printed

    @property
    def text_coverage(self) -> float | None:
        return coverage(self.covered_words, self.printed_words)

    def final_reasons(self) -> list[StatusReason]:
        """Every reason, the text coverage's last (it can be judged only at the end)."""
        reason = low_text_coverage(self.covered_words, self.printed_words, self.thresholds)
        return [*self.reasons, *([reason] if reason else [])]

    def columns(self) -> dict[str, object]:
        """The ``documents`` columns: status, status_reasons (English),
        status_reasons_it (Italian) and text_coverage."""
        reasons = self.final_reasons()
        share = self.text_coverage
        return {
            "status": DOUBTFUL if reasons else OK,
            "status_reasons": [reason.text() for reason in reasons],
            "status_reasons_it": [reason.text_it() for reason in reasons],
            "text_coverage": round(share, 4) if share is not None else None,
        }
