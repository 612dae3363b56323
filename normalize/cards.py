"""Objective cards ("schede obiettivo"): one key/value table per objective.

A card prints its objective as labelled values, one per row (``Codice obiettivo | 2.1.1``,
``Titolo | …``, ``Descrizione | …``, ``Missione / Programma | 01 / 07 …``, ``Obiettivo
strategico DUP | 2.1 …``, ``Responsabile | …``, ``Peso | 20``), followed by an indicator
sub-table (``Indicatore | Target | Scadenza``, maybe ``Baseline``, ``Fonte``) with one row
per indicator: each indicator row is one item, unmarked (``item`` null, its order kept).
Indicators may also be printed as labelled values (``Indicatore: …`` then ``Target: …``).

Labels vary in wording: they are read by meaning with the header aliases of
:mod:`normalize.headers` (plus a few a card prints, :data:`CARD_ALIASES`). Nothing here depends
on how the extractor cut the document into tables: the rows of every table are read as one
stream, so a card cut by a page break (two tables in a DOCX, two fragments of a PDF) reads as
one card, and a card and its indicator table glued into one table read as well. A caption
such as "SCHEDA OBIETTIVO N. 3" is never the code. Sectors come from the headings printed
between cards (:func:`normalize.headings.read_heading`).

The reader produces :class:`normalize.sector_rows.SectorRows` like the grid's, so weights,
ponderazioni, hierarchy, dates and cells are made by the same builder
(:mod:`normalize.document`); each sector's rows are gathered into one table (its index the
sector's first source table) whose cells keep their own page, box, table and row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from extract.lazy_pattern import lazy_compile
from extract.model import RawCell, RawDocument, RawRow, RawTable
from normalize.cleaning import clean_cell, fold
from normalize.codes import CodeMention, codes_in_code_cell, find_objective_codes
from normalize.genre_guess import CARDS, GenreGuess
from normalize.headers import alias_key, heading_candidates
from normalize.headings import read_heading
from normalize.indicator_rows import column_years, spread_over_items
from normalize.items import Item
from normalize.quality import INFO, WARNING, Finding, describe_location
from normalize.sector_rows import ObjectiveRow, SectorRows
from normalize.settings import NormalizeSettings
from normalize.year_headings import heading_year, year_target_columns

#: Labels a card prints that a grid's column headings do not, added to the settings' aliases.
CARD_ALIASES: Mapping[str, tuple[str, ...]] = {
    "code": (
        "Codice obiettivo",
        "Codice obiettivo operativo",
        "Codice obiettivo gestionale",
        "Codice PEG",
        "Cod. obiettivo",
        "Cod. ob.",
        "Numero obiettivo",
        "N. obiettivo",
        "Obiettivo n.",
    ),
    "title": ("Titolo", "Titolo obiettivo", "Nome obiettivo", "Denominazione obiettivo"),
    "objective": ("Descrizione", "Descrizione sintetica", "Finalità", "Descrizione dell'obiettivo"),
    "mission": ("Missione / Programma", "Missione e programma di bilancio"),
    "strategic": ("Obiettivo strategico DUP", "Collegamento al DUP", "Obiettivo strategico"),
    "responsible": ("Responsabile", "Dirigente responsabile", "Responsabile dell'obiettivo"),
    "weight": ("Peso", "Peso obiettivo", "Peso (punti)", "Peso in punti", "Punti", "Punteggio"),
    "weighting_pct": ("Peso %", "Peso percentuale", "Incidenza %"),
    "indicator": ("Indicatore", "Indicatore di risultato", "Descrizione indicatore"),
    "target": ("Target", "Valore atteso", "Valore target", "Risultato atteso"),
    "deadline": ("Scadenza", "Tempi di realizzazione", "Termine", "Entro il"),
    "baseline": ("Baseline", "Valore di partenza", "Situazione di partenza", "Valore iniziale"),
    "source": ("Fonte", "Fonte dei dati", "Fonte dati", "Fonte del dato"),
    "stakeholders": ("Stakeholder", "Stakeholders", "Portatori di interesse"),
    "extra": ("Note", "Formula", "Formula di calcolo", "Modalità di calcolo"),
}
#: Labels whose meaning in a card differs from the same heading over a grid's column: a
#: card's "Obiettivo" is its name (the grid's objective column holds code, title and
#: description), its "Risultato atteso" describes the objective (over a grid's or an
#: indicator table's column, it is the target).
LABEL_ALIASES: Mapping[str, tuple[str, ...]] = {
    "title": ("Obiettivo", "Obiettivo operativo", "Obiettivo gestionale", "Obiettivo di gestione"),
    "objective": ("Risultato atteso", "Risultati attesi"),
}
#: What a key/value row may hold.
CARD_FIELDS = frozenset(CARD_ALIASES) | {"programme_line", "assessore"}
#: What an indicator row or labelled indicator value holds as the item's own texts.
ITEM_FIELDS = ("indicator", "target", "deadline")
#: What an indicator row or labelled indicator value holds beside them, for the item's
#: ``baseline`` and ``source`` columns (its targets of later years are ``target_<year>``);
#: anything else is ``extra``. Printed among the card's fields, they are the card's own.
ITEM_EXTRA_FIELDS = ("baseline", "source")
#: Headings of a grid's header that no card's indicator table prints (a numbered indicator
#: table may print an "N." column: it is kept as ``extra``).
OBJECTIVE_COLUMNS = frozenset({"title", "objective", "weight", "weighting_pct"})
#: Fields carried into the objective's context (the grid carries them down its rows).
CONTEXT_FIELDS = ("mission", "strategic", "programme_line")
#: Closeness (0-100) of a label to its alias for a key/value row to open a new card after
#: indicator rows (an indicator's text may score well by token set, never this close).
NEW_CARD_CLOSENESS = 90.0
#: Closeness (0-100) of a code label to its alias ("Codice fiscale", "Codice IPA" of a
#: registry table are codes of something else).
CODE_LABEL_CLOSENESS = 85.0
#: Closeness (0-100) of each heading of an indicator sub-table's header row to its alias.
HEADING_CLOSENESS = 60.0
#: Cells of text in a card's row at most (two pairs, or an indicator table's columns).
MAX_CARD_CELLS = 6
#: A label is short; a longer text is a value.
MAX_LABEL_LENGTH = 60
#: Tables and rows looked at to guess the genre (a large document is not read twice).
DETECT_TABLES, DETECT_ROWS = 80, 40
_CAPTION = lazy_compile(
    r"\b(?:scheda\s*(?:obiettivo|ob\.?)?\s*(?:n\.?|nr\.?|numero)?"
    r"|obiettivo\s*(?:di\s*gestione|operativo|gestionale)?\s*(?:n\.?|nr\.?|numero))"
    r"\s*°?\s*\d+\b",
    re.IGNORECASE,
)
"""A card's caption: "SCHEDA OBIETTIVO N. 3", "Scheda n. 4", "OBIETTIVO DI GESTIONE N. 2"."""
_TITLED_CAPTION = re.compile(
    r"^\s*(?:scheda\s+)?obiettivo\s*(?:di\s*gestione|operativo|gestionale)?\s*"
    r"(?:n\.?|nr\.?|numero)\s*°?\s*(?P<code>\d{1,3}(?:\.\d{1,3}){0,3})\s*[-–—:]\s*"
    r"(?P<title>\S.*)$",
    re.IGNORECASE | re.S,
)
_SECTOR_LABEL = lazy_compile(
    r"^(?:settore|area|servizio|direzione|unit[àa]\s+organizzativa|u\.\s*o\.)$", re.IGNORECASE
)


def titled_caption(text: str) -> tuple[str, str] | None:
    """(code, title) of a card that opens with its number and name in one paragraph
    (``Obiettivo n. 4 – Controlli sulla sicurezza stradale`` -> ("4", "Controlli sulla
    sicurezza stradale")), or None."""
    match = _TITLED_CAPTION.match(clean_cell(text))
    if not match:
        return None
    title = " ".join(match.group("title").split()).strip(" -–—:.")
    return (match.group("code"), title) if title else None


def sector_label(cells: Sequence[RawCell]) -> str | None:
    """The heading a ``Settore: Polizia Locale`` row of a card names (``SETTORE Polizia
    Locale``): a card that says its sector in a labelled value, not in a heading above."""
    if len(cells) != 2 or not _SECTOR_LABEL.match(clean_cell(cells[0].text).rstrip(" :")):
        return None
    value = clean_cell(cells[1].text)
    return f"{clean_cell(cells[0].text).rstrip(' :').upper()} {value}" if value else None


@lru_cache(maxsize=8)
def _card_aliases(
    key: tuple[tuple[str, tuple[str, ...]], ...],
) -> Mapping[str, tuple[str, ...]]:
    aliases = dict(key)
    for name, extra in CARD_ALIASES.items():
        aliases[name] = tuple(dict.fromkeys((*aliases.get(name, ()), *extra)))
    return MappingProxyType(aliases)


def card_settings(settings: NormalizeSettings) -> NormalizeSettings:
    """The settings with :data:`CARD_ALIASES` added to each field's aliases."""
    return replace(settings, header_aliases=_card_aliases(alias_key(settings)))


@lru_cache(maxsize=8)
def _label_aliases(
    key: tuple[tuple[str, tuple[str, ...]], ...],
) -> Mapping[str, tuple[str, ...]]:
    claimed = {fold(alias): name for name, aliases in LABEL_ALIASES.items() for alias in aliases}
    aliases = {
        name: tuple(alias for alias in names if claimed.get(fold(alias), name) == name)
        for name, names in _card_aliases(key).items()
    }
    for name, extra in LABEL_ALIASES.items():
        aliases[name] = tuple(dict.fromkeys((*aliases.get(name, ()), *extra)))
    return MappingProxyType(aliases)


def label_settings(settings: NormalizeSettings) -> NormalizeSettings:
    """The settings to read a card's labels with: :func:`card_settings` where the labels of
    :data:`LABEL_ALIASES` name their card field only."""
    return replace(settings, header_aliases=_label_aliases(alias_key(settings)))


class Label(NamedTuple):
    """The field a label names and how close it is to its nearest alias."""

    name: str
    closeness: float


class _LabelReader:
    """Labels read with one settings object, each text once (a document repeats its labels
    on every card; rapidfuzz over every alias is the cost of reading one)."""

    MAX_MEMO = 50_000

    def __init__(self, settings: NormalizeSettings) -> None:
        self.settings = settings
        self.chosen = (label_settings(settings), card_settings(settings))
        self.memo: dict[tuple[str, bool], Label | None] = {}

    def read(self, text: str, heading: bool) -> Label | None:
        key = (text, heading)
        if key not in self.memo:
            if len(self.memo) >= self.MAX_MEMO:
                self.memo.clear()
            self.memo[key] = _best_label(text, self.chosen[heading])
        return self.memo[key]


_READERS: dict[int, _LabelReader] = {}


def _reader(settings: NormalizeSettings) -> _LabelReader:
    """The label reader of a settings object (settings are frozen but not hashable)."""
    reader = _READERS.get(id(settings))
    if reader is None or reader.settings is not settings:
        if len(_READERS) >= 8:
            _READERS.clear()
        reader = _READERS[id(settings)] = _LabelReader(settings)
    return reader


def _best_label(text: str, chosen: NormalizeSettings) -> Label | None:
    label = clean_cell(text).strip(" :.-–*")
    if not label or len(label) > MAX_LABEL_LENGTH:
        return None
    for _score, closeness, name, _index in heading_candidates([label], chosen):
        if name == "code" and closeness < CODE_LABEL_CLOSENESS:
            return Label("extra", closeness)  # "Codice fiscale", "Codice IPA": not the key
        if name in CARD_FIELDS:
            return Label(name, closeness)
    return None


def read_label(text: str, settings: NormalizeSettings, *, heading: bool = False) -> Label | None:
    """The card field a printed label names (``"Codice obiettivo:"`` -> code), or None;
    ``heading``: a heading of an indicator table rather than a card's label."""
    if len(text) > 3 * MAX_LABEL_LENGTH:
        return None
    return _reader(settings).read(text, heading)


def filled(row: RawRow) -> list[RawCell]:
    """The cells of a row that hold text."""
    return [cell for cell in row.cells if clean_cell(cell.text)]


class KeyValue(NamedTuple):
    """One labelled value of a card row: the label read, its cell, the value's cells."""

    label: Label
    cell: RawCell
    values: tuple[RawCell, ...]


def key_values(row: RawRow, settings: NormalizeSettings) -> list[KeyValue] | None:
    """The labelled values of a key/value row, or None: a label in its first filled cell and
    a value beside it; a row may print more pairs (``Codice | 2.1.1 | Peso | 20``), each
    opened by a cell that is a label as printed (close to its alias). A label where a value
    should be makes a header row of headings, and a row of more than three cells with one
    label a grid's row: neither is a card row."""
    cells = filled(row)
    if len(cells) < 2:
        return None
    first = read_label(cells[0].text, settings)
    if first is None:
        return None
    pairs: list[tuple[Label, RawCell, list[RawCell]]] = [(first, cells[0], [])]
    for cell in cells[1:]:
        label = read_label(cell.text, settings)
        printed = label is not None and label.closeness >= NEW_CARD_CLOSENESS
        if printed and not pairs[-1][2]:
            return None  # a label where a value should be: a header row of headings
        if printed:
            pairs.append((label, cell, []))  # type: ignore[arg-type]
        else:
            pairs[-1][2].append(cell)
    if any(not values for _label, _cell, values in pairs):
        return None
    if len(pairs) == 1 and len(cells) > 3:
        return None
    return [KeyValue(label, cell, tuple(values)) for label, cell, values in pairs]


def indicator_header(row: RawRow, settings: NormalizeSettings) -> dict[int, str] | None:
    """Column -> field of an indicator sub-table's header row (``Indicatore | Baseline 2024 |
    Target 2025 | Target 2026 | Fonte``): every cell a heading close to its alias (an
    indicator's text opening with "Indicatore …" is not), one of them the indicator; targets
    by year named as the grid names them (:func:`yearly_columns`); headings of no item field
    (Formula, Note, or one heading no alias knows) are ``extra``."""
    cells = filled(row)
    if len(cells) < 2:
        return None
    labels = [read_label(cell.text, settings, heading=True) for cell in cells]
    close = [label for label in labels if label and label.closeness >= HEADING_CLOSENESS]
    if len(close) < max(2, len(cells) - 1) or all(label.name != "indicator" for label in close):
        return None
    if any(label.name in OBJECTIVE_COLUMNS for label in close):
        return None  # a grid's header (objective, weight columns), not a card's table
    kept = (*ITEM_FIELDS, *ITEM_EXTRA_FIELDS, "stakeholders")
    names = [label.name if label and label.name in kept else "extra" for label in labels]
    names = yearly_columns(names, [clean_cell(cell.text) for cell in cells])
    return {cell.column: name for cell, name in zip(cells, names, strict=True)}


def yearly_columns(names: Sequence[str], headings: Sequence[str]) -> list[str]:
    """The field names of an indicator table's headings with its targets by year named as
    the grid names them (:func:`normalize.headers.label_year_targets`): the first
    year's column ``target``, the others ``target_<year>``, an un-yeared target column then
    ``extra``; names as they are when no heading names a target's year."""
    years = year_target_columns(headings)
    if not years:
        return list(names)
    first = min(years.values())
    return [
        ("target" if years[index] == first else f"target_{years[index]}")
        if index in years
        else ("extra" if name == "target" else name)
        for index, name in enumerate(names)
    ]


def header_years(row: RawRow, columns: Mapping[int, str]) -> dict[str, int]:
    """Field -> the year its heading names, for an indicator table's baseline and target
    columns (``Baseline 2024`` -> ``{"baseline": 2024}``)."""
    headings = {cell.column: clean_cell(cell.text) for cell in filled(row)}
    order = sorted(headings)
    mapping = {name: order.index(column) for column, name in columns.items() if name != "extra"}
    return column_years([headings[column] for column in order], mapping)


def labelled_field(name: str, label: str, years: dict[str, int]) -> str:
    """The field a labelled value fills, with the year its label names: ``Target 2026``
    after ``Target 2025`` is ``target_2026``; ``Baseline 2024`` notes the baseline's year
    in ``years`` (the card's)."""
    if name not in ("target", "baseline"):
        return name
    year = heading_year(fold(label))
    if year is None:
        return name
    first = years.setdefault(name, year)
    if name == "baseline" or year == first:
        return name
    years[f"target_{year}"] = year
    return f"target_{year}"


def with_line(text: str | None, line: str) -> str:
    """``text`` with ``line`` added as one more line unless it already holds it (the
    stakeholders of a card's indicators, printed per indicator, are the objective's)."""
    lines = text.split("\n") if text else []
    return "\n".join(lines if line in lines else [*lines, line])


def is_item_value(name: str) -> bool:
    """A field that belongs to one indicator (its texts, baseline, source, later targets)."""
    return name in ITEM_FIELDS or name in ITEM_EXTRA_FIELDS or name.startswith("target_")


def card_code(text: str) -> list[CodeMention]:
    """The code printed in a card's code field: the usual forms (``2.1.1``, ``OB.03``), or
    the value itself when it is one token holding a digit (a PEG code ``0101``,
    ``01010601``, ``AG-04``)."""
    value = clean_cell(text)
    codes = codes_in_code_cell(value) or find_objective_codes(value)
    if codes:
        return codes
    token = value.strip(" .:;")
    if token and " " not in token and len(token) <= 20 and any(c.isdigit() for c in token):
        start = value.index(token)
        return [CodeMention(token, start, start + len(token))]
    return []


def strip_captions(text: str) -> str:
    """A heading without its card captions ("SCHEDA OBIETTIVO N. 3")."""
    return _CAPTION.sub(" ", text or "")


# detection -----------------------------------------------------------------------------------


def detect_cards(raw: RawDocument, settings: NormalizeSettings) -> GenreGuess | None:
    """Cards when key/value rows labelled as an objective's code open cards, and key/value
    rows make the rows outside the indicator tables: the more cards and the denser, the
    surer (one card alone just passes :data:`normalize.genre.MIN_CONFIDENCE`). An indicator
    table below a card's key/value rows is the genre's own mark: one card with its table is
    as sure (0.9) as the indicator-rows genre's surest header (targets by year, which a
    card's table prints too; ties keep the cards)."""
    code_rows = kv_rows = rows = indicator_rows = card_tables = 0
    labels: dict[str, int] = {}
    in_indicators = in_card = False
    for table in raw.tables[:DETECT_TABLES]:
        for row in table.rows[:DETECT_ROWS]:
            count = len(filled(row))
            if count == 1 and titled_caption(filled(row)[0].text):
                code_rows += 1
                kv_rows += 1
                rows += 1
                labels["Obiettivo n."] = labels.get("Obiettivo n.", 0) + 1
                in_indicators = False
                continue
            if count < 2:
                continue  # captions, headings, empty rows: no evidence either way
            rows += 1
            if indicator_header(row, settings) is not None:
                card_tables += in_card and not in_indicators
                in_indicators = True  # however wide (targets by year, baseline, source)
                indicator_rows += 1
                continue
            if count > MAX_CARD_CELLS:
                indicator_rows += in_indicators
                continue  # a grid's row (or a wide indicator table's)
            found = key_values(row, settings)
            if found and in_indicators and found[0].label.closeness < NEW_CARD_CLOSENESS:
                found = None  # an indicator whose text resembles a label
            if not found:
                indicator_rows += in_indicators
                continue
            in_indicators = False
            kv_rows += 1
            for pair in found:
                if pair.label.name == "code":
                    in_card = True
                    code_rows += 1
                    text = clean_cell(pair.cell.text)
                    labels[text] = labels.get(text, 0) + 1
    if code_rows == 0:
        return None
    outside = max(rows - indicator_rows, 1)
    tables = min(card_tables, code_rows)
    confidence = min(1.0, 0.45 + 0.15 * code_rows + 0.3 * tables) * kv_rows / outside
    label = max(labels, key=lambda text: labels[text])
    reasons = (
        f"{code_rows} key/value cards opening with {label!r}",
        f"{kv_rows} of {outside} rows outside indicator tables are key/value rows",
    )
    return GenreGuess(CARDS, round(confidence, 2), reasons)


# reading -------------------------------------------------------------------------------------


# Built up in place and compared by identity only: no generated __eq__ nor __repr__
# (each is compiled when the class is made, at every start: start-up time).
@dataclass(repr=False, eq=False)
class _Card:
    """One card being read: its fields, their cells, its items and where it lies."""

    row_index: int
    pages: list[int]
    line: int | None
    fields: dict[str, str] = field(default_factory=dict)
    cells: dict[str, list[RawCell]] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)
    columns: dict[int, str] | None = None
    last: str | None = None
    #: Field -> the year its heading or label names (baseline and targets by year).
    years: dict[str, int] = field(default_factory=dict)
    #: the field a label with no value opens (``Indicatori di risultato:`` over a list)
    listing: str | None = None
    #: items read from such a list (an indicator table below replaces them)
    listed: bool = False

    def add(self, name: str, text: str, cells: Sequence[RawCell]) -> None:
        self.fields[name] = "\n".join(part for part in (self.fields.get(name), text) if part)
        self.cells.setdefault(name, []).extend(cells)
        self.last = name


@dataclass(repr=False, eq=False)
class _Sector:
    """A sector being read: its table (every row read, in order) and its cards."""

    code: str | None
    name: str
    heading: str
    table_index: int
    rows: list[RawRow] = field(default_factory=list)
    cards: list[_Card] = field(default_factory=list)
    cell_fields: dict[tuple[int, int], str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class _Reader:
    """Reads the rows of every table as one stream (see module doc)."""

    def __init__(self, settings: NormalizeSettings) -> None:
        self.settings = settings
        self.sectors: list[_Sector] = []
        self.card: _Card | None = None

    @property
    def sector(self) -> _Sector:
        return self.sectors[-1]

    def heading(self, text: str, table_index: int) -> None:
        """A heading between cards: a new sector when it names one."""
        heading = " ".join(strip_captions(text).split())
        parsed = read_heading(heading, self.settings.sector_heading_words) if heading else None
        if parsed is None:
            if not self.sectors:
                self.sectors.append(_Sector(None, heading, heading, table_index))
            return
        if self.sectors and self.sector.code == parsed.code:
            return
        if self.sectors and not self.sector.cards and not self.sector.rows:
            self.sectors.pop()
        self.sectors.append(_Sector(parsed.code, parsed.name, heading, table_index))
        self.card = None

    def mark(self, row_index: int, cells: Sequence[RawCell], name: str) -> None:
        for cell in cells:
            self.sector.cell_fields[(row_index, cell.column)] = name

    def new_card(self, row: RawRow, row_index: int) -> _Card:
        self.card = _Card(row_index, list(row.pages), row.line)
        self.sector.cards.append(self.card)
        return self.card

    def finding(self, rule: str, severity: str, message: str, row: RawRow, index: int) -> None:
        self.sector.findings.append(
            Finding(
                rule,
                severity,
                message,
                self.sector.code,
                location=describe_location(row.page, row.line, index),
                page=row.page,
                line=row.line,
            )
        )

    def row(self, row: RawRow) -> None:
        index = len(self.sector.rows)
        self.sector.rows.append(row)
        cells = filled(row)
        if not cells:
            return
        card = self.card
        if card is not None:
            card.pages = sorted(set(card.pages) | set(row.pages))
        columns = indicator_header(row, self.settings)
        if columns is not None and card is not None and card.listed:
            card.items, card.listed = [], False  # the table repeats the list, with targets
        if columns is not None:
            if card is None:
                card = self.new_card(row, index)
                self.finding(
                    "card_without_fields", WARNING, "indicator table before any card", row, index
                )
            card.columns = columns
            card.years.update(header_years(row, columns))
            self.mark(index, cells, "header")
            return
        titled = titled_caption(cells[0].text) if len(cells) == 1 else None
        if titled is not None:
            card = self.new_card(row, index)
            card.add("code", titled[0], cells)
            card.add("title", titled[1], cells)
            card.last = None
            self.mark(index, cells, "code")
            return
        heading = sector_label(cells)
        if heading is not None and self.card_sector(heading, index, cells):
            return
        found = key_values(row, self.settings)
        if found and self.opens_field(found[0].label):
            if card is not None:
                card.listing = None
            for pair in found:
                self.key_value_row(row, index, pair.label, pair.cell, list(pair.values))
            return
        if card is not None and card.columns is not None:
            self.indicator_row(card, row, index, cells)
            return
        self.loose_row(row, index, cells)

    def opens_field(self, label: Label) -> bool:
        """Whether a key/value row is read as one (after indicator rows, only a label
        printed as a label is: an indicator's text may resemble one)."""
        card = self.card
        if card is None or card.columns is None:
            return True
        return label.closeness >= NEW_CARD_CLOSENESS

    def key_value_row(
        self, row: RawRow, index: int, label: Label, label_cell: RawCell, values: list[RawCell]
    ) -> None:
        text = "\n".join(clean_cell(cell.text) for cell in values)
        card = self.card
        name = label.name
        starts = card is None or card.columns is not None
        if card is not None and not is_item_value(name) and name in card.fields:
            starts = True  # a field the card already has: the next card (its code or not first)
        if card is not None and card.columns is not None and is_item_value(name):
            starts = False  # a labelled indicator value below an indicator table
        if starts or card is None:
            card = self.new_card(row, index)
        self.mark(index, [label_cell], "label")
        name = labelled_field(name, clean_cell(label_cell.text), card.years)
        own = name not in ("deadline", *ITEM_EXTRA_FIELDS)  # else the card's, before any item
        # a baseline or source the last indicator already has is the card's (never an item
        # of its own)
        free = bool(card.items) and (name not in ITEM_EXTRA_FIELDS or not card.items[-1].get(name))
        if is_item_value(name) and (own or free):
            if name == "indicator" or not card.items or card.items[-1].get(name):
                card.items.append({})
            item = card.items[-1]
            item[name] = "\n".join(part for part in (item.get(name), text) if part)
            card.cells.setdefault(name, []).extend(values)
            card.last = None
            self.mark(index, values, name)
            return
        card.add(name, text, values)
        self.mark(index, values, name)

    def indicator_row(self, card: _Card, row: RawRow, index: int, cells: list[RawCell]) -> None:
        """One indicator (one item); a row whose indicator cell is empty continues the
        indicator above (a row cut by a page break)."""
        columns = card.columns or {}
        texts: dict[str, str] = {}
        for cell in cells:
            name = columns.get(cell.column, "extra")
            texts[name] = "\n".join(p for p in (texts.get(name), clean_cell(cell.text)) if p)
            self.mark(index, [cell], name)
            if is_item_value(name) or name == "stakeholders":
                card.cells.setdefault(name, []).append(cell)
        if texts.get("stakeholders"):
            card.fields["stakeholders"] = with_line(
                card.fields.get("stakeholders"), texts.pop("stakeholders")
            )
        if not texts.get("indicator") and card.items:
            for name, text in texts.items():
                last = card.items[-1]
                last[name] = "\n".join(p for p in (last.get(name), text) if p)
            self.finding(
                "card_row_continued",
                WARNING,
                f"indicator row without an indicator joined to the one above ({', '.join(texts)})",
                row,
                index,
            )
            return
        card.items.append(texts)

    def loose_row(self, row: RawRow, index: int, cells: list[RawCell]) -> None:
        """A row that is neither a key/value row nor an indicator: a sector heading, a
        caption, a value continued from the row above, or text kept as a finding."""
        text = " ".join(clean_cell(cell.text) for cell in cells)
        if self.list_row(row, index, cells, text):
            return
        if len(cells) == 1 and read_heading(
            strip_captions(text), self.settings.sector_heading_words
        ):
            self.sectors[-1].rows.pop()
            self.heading(text, self.sector.table_index)
            self.sector.rows.append(row)
            self.mark(len(self.sector.rows) - 1, cells, "header")
            return
        if _CAPTION.search(text) and len(cells) == 1:
            self.mark(index, cells, "header")
            return
        card = self.card
        if (
            card is not None
            and card.last is not None
            and row.cells
            and not clean_cell(row.cells[0].text)
        ):
            card.add(card.last, text, cells)
            self.mark(index, cells, card.last)
            self.finding(
                "card_row_continued",
                WARNING,
                f"row without a label joined to the {card.last} above",
                row,
                index,
            )
            return
        self.finding(
            "card_text_unread", WARNING, f"text outside any card field: {text[:80]!r}", row, index
        )

    def list_row(self, row: RawRow, index: int, cells: list[RawCell], text: str) -> bool:
        """A label printed alone (``Indicatori di risultato:``) opens a list of its field;
        the list's rows are indicators (one item each) until the next label or table."""
        card = self.card
        if card is None or len(cells) != 1:
            return False
        if text.endswith(":"):
            label = read_label(text.rstrip(" :"), self.settings)
            if label is not None and label.closeness >= NEW_CARD_CLOSENESS:
                card.listing = label.name
                card.last = None
                self.mark(index, cells, "label")
                return True
            return False
        if card.listing != "indicator" or card.columns is not None:
            return False
        card.items.append({"indicator": text})
        card.listed = True
        card.cells.setdefault("indicator", []).extend(cells)
        self.mark(index, cells, "indicator")
        return True

    def card_sector(self, heading: str, index: int, cells: list[RawCell]) -> bool:
        """A card's ``Settore:`` row: the card (from its first row on) goes to that sector,
        a new one unless the cards before it named the same."""
        parsed = read_heading(heading, self.settings.sector_heading_words)
        if parsed is None:
            return False
        self.mark(index, cells, "header")
        if self.sectors and self.sector.code == parsed.code:
            return True
        old, card = self.sector, self.card
        sector = _Sector(parsed.code, parsed.name, heading, old.table_index)
        if card is not None and old.cards and old.cards[-1] is card:
            start = card.row_index
            old.cards.pop()
            sector.rows = old.rows[start:]
            del old.rows[start:]
            sector.cell_fields = {
                (row - start, column): name
                for (row, column), name in old.cell_fields.items()
                if row >= start
            }
            old.cell_fields = {k: v for k, v in old.cell_fields.items() if k[0] < start}
            card.row_index = 0
            sector.cards.append(card)
        if not old.cards and not old.rows:
            self.sectors.pop()
        self.sectors.append(sector)
        return True

    def table(self, table: RawTable) -> None:
        self.heading(table.heading, table.index)
        for row in table.rows:
            self.row(row)


def card_items(code: str, card: _Card) -> list[Item]:
    """One unmarked item per indicator, in printed order."""
    return [
        Item(code, None, {name: item.get(name) or None for name in ITEM_FIELDS}, True)
        for item in card.items
        if any(item.get(name) for name in ITEM_FIELDS)
    ]


def card_item_extras(card: _Card) -> list[dict[str, str | None]]:
    """Each item's baseline, source and targets of later years (``target_<year>``), as
    :func:`card_items` lists the items; a baseline or source printed among the card's
    fields (no indicator prints its own) is given to its items by the grid's rule
    (:func:`normalize.indicator_rows.spread_over_items`: one marked piece each, else the
    whole text to the first)."""
    rows = [item for item in card.items if any(item.get(name) for name in ITEM_FIELDS)]
    extras: list[dict[str, str | None]] = [
        {name: text for name, text in item.items() if name != "extra" and is_item_value(name)}
        for item in rows
    ]
    for name in ITEM_EXTRA_FIELDS:
        if card.fields.get(name) and not any(extra.get(name) for extra in extras):
            for extra, text in zip(
                extras, spread_over_items(card.fields[name], len(extras)), strict=True
            ):
                extra[name] = text
    return extras


def objective_row(sector: _Sector, card: _Card) -> ObjectiveRow:
    """A card as the objective row the document builder reads."""
    codes = card_code(card.fields.get("code", ""))
    context = {name: card.fields[name] for name in CONTEXT_FIELDS if card.fields.get(name)}
    row = ObjectiveRow(
        sector.table_index,
        card.row_index,
        card.line,
        card.pages,
        dict(card.fields),
        dict(card.cells),
        context,
        codes,
        "code" if codes else None,
        years=dict(card.years),
    )
    row.items = card_items(codes[0].code if codes else "", card)
    row.item_extras = card_item_extras(card)
    return row


def sector_rows(sector: _Sector, index: int) -> tuple[RawTable, SectorRows]:
    """A sector read from cards as the grid's (table, sector rows) pair."""
    table = RawTable(sector.heading, tuple(sector.rows), sector.table_index)
    rows = SectorRows(
        table_index=sector.table_index,
        code=sector.code or f"T{index + 1}",
        name=sector.name,
        heading=sector.heading,
        pages=list(table.pages),
        objectives=[objective_row(sector, card) for card in sector.cards],
        cell_fields=sector.cell_fields,
        findings=list(sector.findings),
    )
    if sector.code is None:
        page = rows.pages[0] if rows.pages else None
        rows.findings.append(
            Finding(
                "sector_code_missing",
                WARNING,
                f"no sector heading before the cards; using {rows.code}",
                rows.code,
                location=describe_location(page),
                page=page,
            )
        )
    for objective in rows.objectives:
        if not objective.items:
            location, page, line = objective.location("code")
            code = objective.codes[0].code if objective.codes else None
            message = "card without indicators: no item"
            rows.findings.append(
                Finding(
                    "card_without_indicators", INFO, message, rows.code, code, location, page, line
                )
            )
    return table, rows


def read_cards(raw: RawDocument, settings: NormalizeSettings) -> list[tuple[RawTable, SectorRows]]:
    """Every sector of a document of cards with its cards as objective rows (module doc);
    sectors without a card are left out."""
    reader = _Reader(settings)
    for table in raw.tables:
        reader.table(table)
    kept = [sector for sector in reader.sectors if sector.cards]
    return [sector_rows(sector, index) for index, sector in enumerate(kept)]


def genre_finding(guess: GenreGuess) -> Finding:
    """The genre a document was read as, and why (an ``info`` finding)."""
    return Finding("genre_detected", INFO, guess.describe()[:500])
