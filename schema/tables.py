"""The Parquet tables: names, columns, types and meanings — the single source of truth.

Every other place that needs a table or column name (writer, data dictionary, tests, the
notebook) reads it from here. Column names are a contract with analysts: add, never rename.
"""

from __future__ import annotations

from typing import NamedTuple

import pyarrow as pa


class Column(NamedTuple):
    """One column: Arrow type, meaning, and the Italian heading it comes from (if any)."""

    name: str
    type: pa.DataType
    description: str
    heading_it: str = ""
    nullable: bool = True

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


class Table(NamedTuple):
    """One output table, written as ``<name>/<group>/part-0.parquet`` (see schema.io);
    ``key`` identifies a row."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([column.field for column in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def file_name(self) -> str:
        """The single file of a table written whole (``changes.parquet``)."""
        return f"{self.name}.parquet"

    @property
    def folder_name(self) -> str:
        """The folder of a stored table (one Parquet file per group of documents inside)."""
        return self.name


STRING = pa.string()
INT = pa.int32()
FLOAT = pa.float64()
BOOL = pa.bool_()
DATE = pa.date32()
PAGES = pa.list_(pa.int32())

DOC_ID = Column(
    "doc_id",
    STRING,
    "Document id: first 16 hex chars of the SHA-256 of the source bytes (of the bytes and "
    "the sidecar metadata when the file has a sidecar .meta.json).",
    nullable=False,
)
SECTOR_CODE = Column(
    "sector_code",
    STRING,
    "Sector code as printed in the sector heading, in parentheses or after a dash ('SETTORE "
    "FINANZE (FIN)', 'AREA SERVIZI GENERALI – SGP'); derived from the name's initials when "
    "the heading prints none (a sector_code_derived finding).",
    "Settore",
    nullable=False,
)
OBJECTIVE_CODE = Column(
    "objective_code",
    STRING,
    "First objective code in the objective cell "
    "(e.g. 1.1.1, 4.1.2.1): the row key within the sector.",
    "Obiettivi gestionali",
    nullable=False,
)

ENTE = Column(
    "ente",
    STRING,
    "Administration that issued the plan (documents.ente), repeated on every row so that "
    "the table stands alone; null when unknown.",
)
PLAN_YEAR = Column(
    "plan_year",
    INT,
    "First year of the plan period (2023 for 2023-2025; documents.period_start), repeated "
    "on every row so that the table stands alone; null when unknown.",
)
#: The columns that make a table of a document's rows stand alone (who, which plan).
IDENTITY_COLUMNS = (ENTE, PLAN_YEAR)

DOCUMENTS = Table(
    name="documents",
    description="One row per extracted attachment.",
    key=("doc_id",),
    columns=(
        DOC_ID,
        Column("source_name", STRING, "File name of the attachment."),
        Column("source_sha256", STRING, "SHA-256 of the source bytes (hex)."),
        Column(
            "source_format",
            STRING,
            "Input format: text, pdf, docx, xlsx or ods; '+p7m' when it came in a signed "
            "envelope (pdf+p7m).",
        ),
        Column(
            "extractor",
            STRING,
            "Engine that read the tables (text, pdfplumber-lines, camelot-lattice, ...).",
        ),
        Column("ente", STRING, "Administration that issued the plan, when known."),
        Column("plan_title", STRING, "Plan title as printed at the top of the attachment."),
        Column("period_start", DATE, "First day of the plan period (e.g. 2023-01-01)."),
        Column("period_end", DATE, "Last day of the plan period (e.g. 2025-12-31)."),
        Column("page_count", INT, "Pages in the source (inferred from page breaks for text)."),
        Column("extracted_at", pa.timestamp("us", tz="UTC"), "When the extraction ran (UTC)."),
        Column("pipeline_version", STRING, "Version of piao that wrote the rows."),
        Column(
            "signer_name",
            STRING,
            "Common name (CN) of the signer's certificate of a signed .p7m envelope (several "
            "joined by '; '); the signature is not verified. Null when not signed.",
        ),
        Column(
            "signer_organization",
            STRING,
            "Organisation (O) of the signer's certificate of a signed .p7m envelope; not "
            "verified. Null when not signed or not stated.",
        ),
        Column(
            "source_path",
            STRING,
            "Absolute path of the attachment when it was extracted: within an output folder "
            "one document per path (re-extracting an edited file replaces its rows).",
        ),
        Column(
            "status",
            STRING,
            "ok | doubtful: doubtful when the reading contradicts itself, a sign that the "
            "layout was misread (rows with data but no objective code, data in unmapped "
            "columns, weights that miss the sector's printed total, a column whose content "
            "contradicts its mapping, a genre guessed with low confidence, low text "
            "coverage). The document's own slips (an impossible date, letters that do not "
            "pair) stay findings and leave it ok. `piao extract --strict` fails on doubtful.",
        ),
        Column(
            "status_reasons",
            pa.list_(STRING),
            "Why the document is doubtful, one English line per reason: 'code: message "
            "(sector, location)'; codes rows_without_code, unmapped_data, "
            "weights_miss_declared_total, percents_exceed_whole, column_contradicts_mapping, "
            "low_genre_confidence, cells_left_uncut, "
            "low_text_coverage. Empty when ok. Each is also a doubtful_reading finding.",
        ),
        Column(
            "status_reasons_it",
            pa.list_(STRING),
            "The same reasons in Italian, in the same order (as the report shows them).",
        ),
        Column(
            "text_coverage",
            FLOAT,
            "Share (0-1) of the words printed in the data cells of the tables read that are "
            "found in the typed tables (sectors, objectives, items, dates) or in a finding; "
            "null when no table was read.",
        ),
        Column(
            "ente_source",
            STRING,
            "Where ente came from: sidecar (a .meta.json beside the file) | manifest (a "
            "manifest.csv or --manifest) | p7m (the signer's organisation of a signed "
            "envelope) | text (printed on the cover, a heading or the running header) | "
            "option (--ente); null when the ente is unknown.",
        ),
        Column(
            "ente_key",
            STRING,
            "The ente as matched across documents: lower case, no accents, no 'Comune di', "
            "no province code ('COMUNE DI FORLÌ (FC)' -> 'forli'); editions with one key and "
            "one plan_kind are one series. Null when the ente is unknown.",
        ),
        Column(
            "plan_kind",
            STRING,
            "Which attachment of the plan the document is, as its cover prints it on a line "
            "of its own ('ALLEGATO 1' -> 'allegato1'); null when it prints none. With the "
            "ente it names the series of editions (never the file name).",
        ),
        Column(
            "extraction_settings",
            STRING,
            "What the rows were extracted with besides the file and piao's code, e.g. "
            "'engine=auto ocr=auto layout=none' (layout: none, or a hash of the layout "
            "hints); a run with other settings re-extracts the document. Null in folders "
            "written before it was stored (read as the defaults).",
        ),
    ),
)

SECTORS = Table(
    name="sectors",
    description="One row per sector table (Settore).",
    key=("doc_id", "sector_code"),
    columns=(
        DOC_ID,
        SECTOR_CODE,
        Column("sector_name", STRING, "Sector name from the heading.", "Settore"),
        Column(
            "declared_weight_total",
            INT,
            "Total of the weights as printed in the totale row.",
            "totale",
        ),
        Column("weight_total", INT, "Sum of the objectives' weights (peso) as extracted."),
        Column("objective_count", INT, "Number of objective rows in the sector."),
        Column("heading", STRING, "The page text above the table."),
        Column("source_pages", PAGES, "Pages the sector table spans."),
        Column(
            "weight_scheme",
            STRING,
            "How the sector weighs its objectives, detected from the values and the declared "
            "total: priority (integer weights, ponderazione = weight / total), points "
            "(integers summing to 100), percent (percentages only; weight null) or none.",
            "Peso / Punti / Ponderazione",
        ),
    ),
)

OBJECTIVES = Table(
    name="objectives",
    description="One row per objective row of a sector table (obiettivo gestionale/operativo).",
    key=("doc_id", "sector_code", "objective_code"),
    columns=(
        DOC_ID,
        SECTOR_CODE,
        OBJECTIVE_CODE,
        Column(
            "codes",
            pa.list_(STRING),
            "Every objective code in the objective cell, in "
            "order (a cell may hold several objectives).",
        ),
        Column("row_number", INT, "1-based position of the objective in its sector table."),
        Column(
            "mission_code",
            INT,
            "Budget mission, only where the document prints it: the Missione column or "
            "field (M 01 -> 1, '03 – Ordine pubblico' -> 3), an M 01 prefix of the objective "
            "cell, or a mission–programme code (0101, 01.01, 01010601 -> 1); else null, with "
            "a mission_not_printed finding (a dotted code's first number is not a mission).",
            "Missione",
        ),
        Column("mission_name", STRING, "Mission name from the Missione cell.", "Missione"),
        Column(
            "strategic_code",
            STRING,
            "Strategic objective, from the first two parts of the objective code (1.1).",
            "Indirizzi/Obiettivi strategici",
        ),
        Column(
            "strategic_name", STRING, "Strategic objective text.", "Indirizzi/Obiettivi strategici"
        ),
        Column(
            "programme_line",
            STRING,
            "Mandate programme line.",
            "Linee programmatiche ... e Programmazione",
        ),
        Column(
            "title",
            STRING,
            "Upper-case heading after the code, when there is one.",
            "Obiettivi gestionali",
        ),
        Column(
            "description",
            STRING,
            "Whole objective cell text (HTML removed, paragraphs kept as line breaks).",
            "Obiettivi gestionali",
        ),
        Column(
            "realization_period",
            STRING,
            "Tempi di realizzazione cell as written.",
            "Tempi di realizzazione",
        ),
        Column("period_start", DATE, "Earliest date found in the Tempi cell."),
        Column("period_end", DATE, "Latest date found in the Tempi cell."),
        Column("assessore", STRING, "Responsible council member.", "Assessore di riferimento"),
        Column(
            "responsible",
            STRING,
            "Responsible sector/coordinator and staff involved.",
            "Settore di riferimento e coordinatore progetto",
        ),
        Column(
            "weight",
            INT,
            "Priority weight 1-5 assigned by the Giunta.",
            "priorità/peso assegnato da giunta",
        ),
        Column(
            "weighting_pct",
            FLOAT,
            "Weight as a percentage of the sector total (26,3158% -> 26.3158).",
            "Ponderazione relativa obiettivo (in termini %)",
        ),
        Column(
            "weighting_pct_derived",
            BOOL,
            "True when the percentage was missing and derived as weight / total x 100.",
            nullable=False,
        ),
        Column("source_pages", PAGES, "Every page the row spans."),
        Column("source_line", INT, "Line of the row in a text source."),
        Column("table_index", INT, "Index of the raw table (join key into cells)."),
        Column("row_index", INT, "Index of the raw row in its table (join key into cells)."),
        Column(
            "stakeholders",
            STRING,
            "Stakeholders (portatori di interesse) of the objective, as printed; null when "
            "the table prints no such column.",
            "Stakeholder",
        ),
        *IDENTITY_COLUMNS,
    ),
)

ITEMS = Table(
    name="items",
    description="Lettered sub-items a), b), ... of an objective's indicator, target and "
    "deadline cells, aligned by (item_code, letter); an objective without letters has one "
    "item with item = null. In a table with one row per indicator (indicator rows, "
    "merged objective cells) each indicator row is one item, unmarked (item = null), in "
    "item_seq order.",
    key=("doc_id", "sector_code", "objective_code", "item_seq"),
    columns=(
        DOC_ID,
        SECTOR_CODE,
        OBJECTIVE_CODE,
        Column("item_seq", INT, "1-based order of the item within the objective.", nullable=False),
        Column(
            "item_code",
            STRING,
            "Objective code the item belongs to (1.1.3 in '1.1.3 a)'; else the objective code).",
        ),
        Column("item", STRING, "The letter (a, b, ...); null for unlettered text."),
        Column("indicator", STRING, "Indicator text for this item.", "Indicatore di risultato"),
        Column("target", STRING, "Target value text for this item.", "Valore indicatore"),
        Column(
            "deadline",
            STRING,
            "Deadline text for this item (only when the Tempi cell is "
            "lettered or the objective has no letters).",
            "Tempi di realizzazione",
        ),
        Column(
            "aligned",
            BOOL,
            "False when the letter is duplicated, missing from a lettered "
            "column, or empty: the pairing is doubtful.",
            nullable=False,
        ),
        Column(
            "baseline",
            STRING,
            "Baseline (starting value) of the indicator, text as printed.",
            "Baseline / Valore di partenza",
        ),
        Column(
            "baseline_year",
            INT,
            "Year of the baseline when its heading names one ('Baseline 2024' -> 2024).",
            "Baseline",
        ),
        Column(
            "source",
            STRING,
            "Source of the indicator's data, as printed.",
            "Fonte (dei dati)",
        ),
        *IDENTITY_COLUMNS,
    ),
)

TARGETS = Table(
    name="targets",
    description="One row per item and target year as printed (columns such as 'Target 2025 "
    "| Target 2026 | Target 2027'); an item with one un-yeared target has one row with "
    "year null. items.target holds the first plan year's target. The target text is "
    "parsed when it is one number, percentage or date, with its comparator.",
    key=("doc_id", "sector_code", "objective_code", "item_seq", "year"),
    columns=(
        DOC_ID,
        SECTOR_CODE,
        OBJECTIVE_CODE,
        Column("item_seq", INT, "The item's item_seq (join key into items).", nullable=False),
        Column(
            "year",
            INT,
            "Year the target is for, from its column heading; null when the heading names none.",
            "Target 2025",
        ),
        Column("target", STRING, "Target text as printed.", "Target"),
        Column(
            "value",
            FLOAT,
            "The target's number when the text is one number or percentage ('>= 95%' -> 95, "
            "'1.200' -> 1200); for a date, null (see unit).",
        ),
        Column(
            "unit",
            STRING,
            "'%' for a percentage, 'date' for a date (value null, date in target_date), "
            "else the word after the number ('giorni', 'eventi'); null when not parsed.",
        ),
        Column(
            "comparator",
            STRING,
            "The comparator printed before the value: ≥, ≤, >, <, =, almeno, non oltre, "
            "entro; null when none.",
        ),
        Column(
            "target_date", DATE, "The date when the target is one date ('entro il 30/06/2025')."
        ),
        *IDENTITY_COLUMNS,
    ),
)

DATES = Table(
    name="dates",
    description="Every date expression found in an objective's texts, parsed.",
    key=(
        "doc_id",
        "sector_code",
        "objective_code",
        "item_code",
        "item",
        "field",
        "offset",
        "item_seq",
    ),
    columns=(
        DOC_ID,
        SECTOR_CODE,
        OBJECTIVE_CODE,
        Column("item_code", STRING, "Item code (objective code when not item-specific)."),
        Column("item", STRING, "Item letter; null for objective-level text."),
        Column(
            "field",
            STRING,
            "Where it was found: objective | indicator | target | deadline | period.",
        ),
        Column("text", STRING, "The phrase as written (e.g. 'entro il 30/06/2023')."),
        Column("offset", INT, "Character position of the phrase in the field's text."),
        Column(
            "date",
            DATE,
            "The date it resolves to (end of a month/season/semester/period); null when invalid.",
        ),
        Column(
            "start_date",
            DATE,
            "First day covered, for months, seasons, semesters, periods and ranges.",
        ),
        Column("precision", STRING, "day | month | season | semester | year | period."),
        Column("kind", STRING, "by (entro) | from (dal) | on | period."),
        Column("valid", BOOL, "False for impossible dates such as 31/06/2023.", nullable=False),
        Column(
            "item_seq",
            INT,
            "The item's item_seq for a date of an item's text (indicator, target, deadline); "
            "null for objective-level text. Tells apart the unmarked items of indicator rows.",
        ),
        *IDENTITY_COLUMNS,
    ),
)

QUALITY = Table(
    name="quality",
    description="One row per repair or doubt: every anomaly is data.",
    key=("doc_id", "rule", "location"),
    columns=(
        DOC_ID,
        Column("severity", STRING, "error | warning | info.", nullable=False),
        Column("rule", STRING, "Rule code (docs/reference.md, quality rules).", nullable=False),
        Column("sector_code", STRING, "Sector, when the finding belongs to one."),
        Column("objective_code", STRING, "Objective, when the finding belongs to one."),
        Column("location", STRING, "Where: page, line, row and column."),
        Column("message", STRING, "What was repaired or doubted, in words."),
        Column("page", INT, "Page of the finding."),
        Column("line", INT, "Line of the finding in a text source."),
        Column(
            "message_it",
            STRING,
            "The message in Italian, as the report and the diff show it (made from the rule "
            "and the details of the message).",
        ),
        *IDENTITY_COLUMNS,
    ),
)

CELLS = Table(
    name="cells",
    description="Every raw cell as read, with its provenance and the column it was mapped to.",
    key=("doc_id", "table_index", "row_index", "column_index"),
    columns=(
        DOC_ID,
        Column("table_index", INT, "Raw table index (one per sector table).", nullable=False),
        Column("row_index", INT, "Raw row index within its table.", nullable=False),
        Column("column_index", INT, "Column position in the source row.", nullable=False),
        Column("sector_code", STRING, "Sector of the table."),
        Column("objective_code", STRING, "Objective of the row, for objective rows."),
        Column(
            "field",
            STRING,
            "Canonical column the cell was mapped to after repairs (target_<year> for the "
            "target columns after the first plan year's, e.g. target_2026).",
        ),
        Column("page", INT, "Page of the cell."),
        Column("line", INT, "Line of the cell in a text source."),
        Column("bbox", pa.list_(FLOAT), "Cell box (x0, top, x1, bottom) in PDF points."),
        Column("text", STRING, "Cell text exactly as read."),
        Column("source_table", INT, "1-based table of a DOCX document the cell is in (else null)."),
        Column(
            "source_row",
            INT,
            "1-based row of the cell in its DOCX table, or in its sheet as the spreadsheet "
            "numbers it (else null).",
        ),
        Column("sheet", STRING, "Sheet of a spreadsheet (XLSX, ODS) the cell is in (else null)."),
        Column(
            "ocr",
            BOOL,
            "True when the cell was read by OCR from a scanned page (its bbox is on the "
            "deskewed page image).",
        ),
        Column(
            "ocr_confidence",
            FLOAT,
            "Tesseract's confidence for an OCR'd cell, 0-1 (mean of its words); null when "
            "not OCR'd.",
        ),
    ),
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (DOCUMENTS, SECTORS, OBJECTIVES, ITEMS, DATES, QUALITY, CELLS, TARGETS)
}
#: Tables whose rows carry ente and plan_year (a table of analysts' rows added to
#: :data:`TABLES`, such as targets, is listed here and given :data:`IDENTITY_COLUMNS`).
STANDALONE_TABLES = ("objectives", "items", "dates", "quality", "targets")


def stands_alone(table: Table) -> bool:
    """Whether the table's rows carry the document's ente and plan_year."""
    names = set(table.column_names)
    return table.name != "documents" and all(c.name in names for c in IDENTITY_COLUMNS)


CHANGES = Table(
    name="changes",
    description="What changed from one edition of a plan to the next (written by `piao diff`, "
    "not by extraction): one row per added, removed, renumbered or moved objective, and one "
    "row per changed field, sub-item or date of a modified objective. Cosmetic differences "
    "(whitespace, line breaks, HTML, letter case) are not changes.",
    key=("old_doc_id", "new_doc_id", "seq"),
    columns=(
        Column("old_doc_id", STRING, "doc_id of the older edition.", nullable=False),
        Column("new_doc_id", STRING, "doc_id of the newer edition.", nullable=False),
        Column("seq", INT, "1-based order of the change in the comparison.", nullable=False),
        Column(
            "change",
            STRING,
            "added | removed | renumbered (same sector, new code) | moved (another sector; "
            "the code may have changed too) | modified (a field, sub-item or date changed).",
            nullable=False,
        ),
        Column(
            "level",
            STRING,
            "What the row is about: objective | item (a lettered sub-item) | date.",
            nullable=False,
        ),
        Column(
            "sector_code",
            STRING,
            "Sector in the newer edition (the older one for removed objectives).",
            "Settore",
            nullable=False,
        ),
        Column(
            "objective_code",
            STRING,
            "Objective code in the newer edition (the older one for removed objectives).",
            "Obiettivi gestionali",
            nullable=False,
        ),
        Column("old_sector_code", STRING, "Sector in the older edition; null for added."),
        Column(
            "old_objective_code", STRING, "Objective code in the older edition; null for added."
        ),
        Column("objective_title", STRING, "Title of the objective (else its text, shortened)."),
        Column("item_code", STRING, "Item code (newer edition) for item and date rows."),
        Column("item", STRING, "Item letter for item and date rows; null for unlettered text."),
        Column(
            "field",
            STRING,
            "Changed field: title | description | weight | weighting_pct | realization_period "
            "| assessore | responsible (objective); indicator | target | deadline (item; null "
            "when the whole item was added or removed); for dates, the text the date is in "
            "(objective | indicator | target | deadline | period). For renumbered / moved: "
            "objective_code / sector_code.",
        ),
        Column(
            "action",
            STRING,
            "For modified rows: changed | added | removed (a field or item), moved (a date). "
            "Otherwise equal to change.",
            nullable=False,
        ),
        Column("old_value", STRING, "Value in the older edition, as text."),
        Column("new_value", STRING, "Value in the newer edition, as text."),
        Column("old_date", DATE, "Date rows: the date in the older edition."),
        Column("new_date", DATE, "Date rows: the date in the newer edition."),
        Column("shift_days", INT, "Date rows: new_date - old_date in days (> 0: postponed)."),
        Column(
            "match_score",
            FLOAT,
            "0-100 similarity of title + description (rapidfuzz) for objectives paired across "
            "codes or sectors; null when paired by sector and code, or unpaired.",
        ),
        Column(
            "edition",
            INT,
            "First year of the newer edition's plan period (2024 for 2024-2026): in a chain "
            "of editions (`piao diff A B C`, `--ente`), tells the consecutive pairs apart.",
        ),
        Column(
            "recomputed",
            BOOL,
            "True for a ponderazione that changed only as a consequence of the weights (old "
            "and new values both equal weight / sector total): counted apart from the "
            "substantive changes ('ricalcolate').",
        ),
        Column(
            "ente",
            STRING,
            "Administration of the two editions (as the newer one names it), when the "
            "comparison is of a series (`piao extract` keeps the data folder's changes "
            "current); null otherwise.",
        ),
        Column(
            "series",
            STRING,
            "The plan the two editions belong to (lineage.series), when the comparison is of "
            "a series; null otherwise.",
        ),
    ),
)

DIFF_TABLES: dict[str, Table] = {CHANGES.name: CHANGES}
"""Tables written by ``piao diff`` (not by extraction, hence not in :data:`TABLES`)."""


LINEAGE = Table(
    name="lineage",
    description="Each objective of each edition with a `lineage_id` that stays the same "
    "across the editions of a plan, so that the history of one objective (weight, "
    "deadlines, texts) is one query. An edition is one administration's plan for one "
    "period: documents are grouped into series by (ente, attachment) and ordered by the "
    "first year of their period; consecutive editions are paired as `piao diff` pairs them "
    "(same sector and code, else the same text under another code or sector). Written by "
    "`piao lineage` (`piao report` computes it for its pages without writing it), not by "
    "extraction.",
    key=("doc_id", "sector_code", "objective_code"),
    columns=(
        Column(
            "lineage_id",
            STRING,
            "Stable id of the objective across editions: series, first edition, sector and "
            "code where it first appeared (e.g. 'comune-di-portomaggiore/allegato1/2023/SAP/"
            "12.1.3.1').",
            nullable=False,
        ),
        DOC_ID,
        SECTOR_CODE,
        OBJECTIVE_CODE,
        Column("ente", STRING, "Administration (documents.ente); null when unknown."),
        Column(
            "attachment",
            STRING,
            "Attachment of the plan as the cover prints it (documents.plan_kind), else as "
            "the plan title names it ('allegato1'); never from the file name; null when "
            "neither says.",
        ),
        Column(
            "series",
            STRING,
            "The plan the edition belongs to: ente and attachment, as a slug.",
            nullable=False,
        ),
        Column("edition", INT, "First year of the plan period (2023 for 2023-2025)."),
        Column(
            "edition_seq",
            INT,
            "1-based position of the edition in its series (by year).",
            nullable=False,
        ),
        Column(
            "change",
            STRING,
            "How the objective came from the previous edition: same | renumbered (same "
            "sector, new code) | moved (another sector) | modified (same code, a field, "
            "sub-item or date changed; recomputed ponderazioni alone do not count) | added "
            "(no counterpart); null in the first edition of a series.",
        ),
        Column("previous_doc_id", STRING, "doc_id of the previous edition; null when none."),
        Column(
            "previous_sector_code", STRING, "Sector of the counterpart in the previous edition."
        ),
        Column(
            "previous_objective_code",
            STRING,
            "Code of the counterpart in the previous edition.",
        ),
        Column(
            "match_score",
            FLOAT,
            "0-100 similarity of title + description when paired across codes or sectors.",
        ),
        Column("weight", INT, "The objective's weight in this edition (objectives.weight)."),
    ),
)

DERIVED_TABLES: dict[str, Table] = {LINEAGE.name: LINEAGE, CHANGES.name: CHANGES}
"""Tables computed from the extracted ones across documents (not by extraction, hence not in
:data:`TABLES`): ``lineage``, and ``changes`` of every pair of consecutive editions of every
series, both rewritten by ``piao extract`` whenever the folder's documents change."""

HISTORY_INDEX = ".piao-history.index"
"""Where every document stands in ``lineage`` and ``changes``: its series, the group of
series whose files hold that series' rows, its edition key and its rows counted (Parquet;
no ``.parquet`` suffix, so no glob takes it). Written with the history's group files
(``lineage/<group>/part-00000000.parquet``, ``changes/<group>/…``) by one journaled write,
so a refresh finds a document's series without reading every group (compare.history_files)."""
