"""One settings object for the normaliser, validated once (like pdfplumber's TableSettings)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from extract.pdf_columns import PageBoundaries

FIELDS: tuple[str, ...] = (
    "mission",
    "strategic",
    "programme_line",
    "code",
    "title",
    "objective",
    "indicator",
    "target",
    "deadline",
    "assessore",
    "responsible",
    "weight",
    "weighting_pct",
    "extra",
    "baseline",
    "source",
    "stakeholders",
)
"""Canonical columns of a sector table, in their usual left-to-right order.

``code`` is a column holding only the objective code, ``title`` a short-title column printed
beside the description (``objective``), ``extra`` any column worth keeping that has no field of
its own (Risorse, Note): its cells stay in the ``cells`` table. ``baseline`` (the indicator's
starting value), ``source`` (Fonte dei dati) and ``stakeholders`` are the columns of the
indicator-rows template (see :mod:`normalize.indicator_rows`)."""

OBJECTIVE_FIELDS = ("code", "objective")
"""Columns of which at least one must be found for a table to hold objectives."""

KEY_FIELDS = ("mission", "strategic", "programme_line")
"""Columns left of the objective that are carried forward over continuation rows."""

DEFAULT_HEADER_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "mission": (
            "Missione",
            "Missione di bilancio",
            "Missioni",
            "Missione e programma",
            "Miss.",
        ),
        "strategic": (
            "Indirizzi/Obiettivi strategici",
            "Indirizzi/Obiettivi strategici DUP aggiornati",
            "Obiettivi strategici",
            "Obiettivo strategico",
            "Indirizzo strategico",
            "Linea strategica",
            "Linee strategiche",
        ),
        "programme_line": (
            "Linee programmatiche",
            "Linee programmatiche e Programmazione",
            "Linee di mandato",
            "Linea di mandato",
            "Programma",
        ),
        "code": ("Codice", "Cod.", "Codice obiettivo", "N.", "Nr.", "Numero"),
        "title": ("Titolo", "Titolo obiettivo", "Denominazione", "Denominazione obiettivo"),
        "objective": (
            "Obiettivi gestionali",
            "Obiettivi gestionali discendenti dagli obiettivi Operativi DUP",
            "Obiettivi operativi",
            "Obiettivo gestionale",
            "Obiettivo operativo",
            "Obiettivo",
            "Codice e descrizione obiettivo operativo",
            "Descrizione obiettivo",
            "Descrizione e risultato atteso",
            "Descrizione",
        ),
        "indicator": (
            "Indicatore di risultato",
            "Indicatori di risultato",
            "Indicatore",
            "Indicatori",
            "Indicatori di performance",
        ),
        "target": (
            "Valore indicatore",
            "Valore atteso",
            "Target",
            "Target atteso",
            "Valore obiettivo",
            "Valore atteso 2025",
            "Risultato atteso",
            "Risultati attesi",
            "Valore target",
        ),
        "deadline": (
            "Tempi di realizzazione",
            "Tempistica",
            "Scadenza",
            "Tempi",
            "Termine",
            "Entro il",
            "Data",
        ),
        "assessore": ("Assessore di riferimento", "Assessore", "Referente politico"),
        "responsible": (
            "Settore di riferimento e coordinatore progetto",
            "Settore di riferimento",
            "Responsabile",
            "Dirigente responsabile",
            "Dirigente",
            "Referente",
            "Responsabile del procedimento",
        ),
        "weight": (
            "priorità/peso assegnato da giunta",
            "peso",
            "priorità",
            "peso assegnato (da 1 a 5)",
            "Peso (1-5)",
            "Punti",
            "Punteggio",
            "Pesatura",
            "Rilevanza",
        ),
        "weighting_pct": (
            "Ponderazione relativa obiettivo (in termini %)",
            "Ponderazione",
            "Peso %",
            "Peso percentuale",
            "Incidenza %",
        ),
        "extra": (
            "Risorse",
            "Note",
            "Risorse umane",
            "Centro di costo",
            "Unità coinvolte",
            "Uffici coinvolti",
            "Servizi coinvolti",
            "Formula di calcolo",
            "Formula",
        ),
        "baseline": (
            "Baseline",
            "Valore di partenza",
            "Valore iniziale",
            "Valore di riferimento",
            "Situazione di partenza",
        ),
        "source": ("Fonte", "Fonte dei dati", "Fonte del dato", "Fonte di verifica"),
        "stakeholders": (
            "Stakeholder",
            "Stakeholders",
            "Portatori di interesse",
        ),
    }
)
"""Headings each column may be printed as; a layout file (see :mod:`normalize.hints`) adds more."""


@dataclass(frozen=True)
class NormalizeSettings:
    """How the normaliser reads tables.

    - ``header_aliases``: canonical column -> headings it may be printed as (fuzzy matched);
    - ``header_min_score``: rapidfuzz score (0-100) for a cell to match an alias;
    - ``header_min_columns``: matched cells that always make a row (or block of rows) a header;
      a narrower table needs half its filled cells matched, at least two, one of them an
      objective or code column (so a 3-column table has a header too);
    - ``header_max_rows``: rows a header may span (grouped headings, headings wrapped over
      many lines in narrow borderless columns);
    - ``content_share``: share of a column's data cells that must look alike (codes,
      percentages, integers, lists, dates, missions) for content to confirm or decide it;
    - ``repeated_banner_score``: similarity for a row to count as a repeat of the banner rows
      printed above the header;
    - ``item_letters``: letters that open a sub-item (``a)`` ... );
    - ``percent_tolerance``: allowed gap, in percentage points, between a printed
      ponderazione and weight / total;
    - ``sector_heading_words``: extra words that open a sector heading (layout hints);
    - ``code_patterns``: extra regular expressions matching an objective code (layout hints);
    - ``column_boundaries``: x positions of the column boundaries of a PDF's borderless
      tables, per page range (layout hints ``[boundaries]``; used by the extraction,
      :mod:`extract.pdf_columns`).
    """

    header_aliases: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: DEFAULT_HEADER_ALIASES
    )
    header_min_score: float = 80.0
    header_min_columns: int = 5
    header_max_rows: int = 8
    content_share: float = 0.6
    repeated_banner_score: float = 85.0
    item_letters: str = "abcdefghijkl"
    percent_tolerance: float = 0.01
    sector_heading_words: tuple[str, ...] = ()
    code_patterns: tuple[str, ...] = ()
    column_boundaries: tuple[PageBoundaries, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.header_aliases) - set(FIELDS)
        if unknown:
            raise ValueError(f"header_aliases: unknown columns {sorted(unknown)}")
        missing = {"objective", "weight"} - set(self.header_aliases)
        if missing:
            raise ValueError(f"header_aliases: required columns missing {sorted(missing)}")
        if not 0 < self.header_min_score <= 100 or not 0 < self.repeated_banner_score <= 100:
            raise ValueError("scores must be in (0, 100]")
        if self.header_min_columns < 2:
            raise ValueError("header_min_columns must be at least 2")
        if not self.item_letters.isalpha() or not self.item_letters.islower():
            raise ValueError("item_letters must be lower-case letters")
        if self.percent_tolerance < 0:
            raise ValueError("percent_tolerance must not be negative")
        if self.header_max_rows < 1:
            raise ValueError("header_max_rows must be at least 1")
        if not 0 < self.content_share <= 1:
            raise ValueError("content_share must be in (0, 1]")
        for pattern in self.code_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"code_patterns: {pattern!r}: {error}") from None

    @classmethod
    def resolve(cls, value: NormalizeSettings | Mapping[str, object] | None) -> NormalizeSettings:
        """Accept None (defaults), a mapping of overrides, or an instance."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        allowed = {f.name for f in fields(cls)}
        unknown = set(value) - allowed
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}; allowed: {sorted(allowed)}")
        return replace(cls(), **value)  # type: ignore[arg-type]
