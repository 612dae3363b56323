"""Reading one sector table: headers out, rows repaired, context carried, objectives found.

This is a pipeline of the small rules in :mod:`normalize.headers`, :mod:`normalize.rows` and
:mod:`normalize.codes`; it produces :class:`SectorRows`, plain records for the document step
(defined in :mod:`normalize.sector_rows`, which the checks it runs on them import too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from extract.lazy_pattern import lazy_compile
from extract.model import RawCell, RawRow, RawTable
from normalize.cleaning import clean_cell
from normalize.codes import CodeMention, find_objective_codes, title_after
from normalize.headers import ColumnMap, HeaderMapping
from normalize.headings import parse_sector_heading
from normalize.indicator_rows import (
    column_years,
    has_item_data,
    is_indicator_table,
    is_item_field,
    is_next_indicator,
    item_fields,
)
from normalize.ocr_codes import check_ocr_codes
from normalize.pages import rejoin_across_pages
from normalize.quality import INFO, WARNING, Finding, describe_location
from normalize.rows import (
    DATA,
    HEADER,
    TOTAL,
    Realignment,
    fields_of,
    identity_assignment,
    label_rows,
    realign,
    weight_anchor,
    with_extras,
)
from normalize.sector_rows import ObjectiveRow, SectorRows
from normalize.settings import KEY_FIELDS, NormalizeSettings
from normalize.weights import parse_percent, parse_weight

_PEG_CODE = re.compile(r"^\s*(\d{4,8})\s*$")
_BARE_CODE_TOKEN = re.compile(r"(?<!\d)(?<!\d\.)(\d{1,3}(?:\.\d{1,2}){0,3})\.?(?!\d|\.\d)")


def _note_realignment(
    sector: SectorRows,
    row: RawRow,
    row_index: int,
    change: Realignment,
    cells: list[str],
    objective_code: str | None,
) -> None:
    if not change.shift:
        return
    direction = (
        f"lost its {change.shift} leading empty cell(s)"
        if change.shift > 0
        else f"was shifted {-change.shift} column(s) to the right"
    )
    moved = "; ".join(
        f"col {index} {cells[index][:40]!r} read as {name}"
        for index, name in change.moved_by_content
    )
    sector.findings.append(
        Finding(
            rule="row_realigned",
            severity=WARNING,
            message=f"row {direction}; realigned on its weight cell"
            + (f"; by content: {moved}" if moved else ""),
            sector_code=sector.code,
            objective_code=objective_code,
            location=describe_location(row.page, row.line, row_index),
            page=row.page,
            line=row.line,
        )
    )


def _read_total(sector: SectorRows, cells: list[str], mapping: ColumnMap) -> None:
    weight_index = mapping.get("weight")
    weight_text = (
        cells[weight_index] if weight_index is not None and weight_index < len(cells) else ""
    )
    if parse_weight(weight_text) is None:
        anchor = weight_anchor(cells)
        weight_text = cells[anchor] if anchor is not None else ""
    sector.declared_total = parse_weight(weight_text)
    percents = [value for text in cells if (value := parse_percent(text)) is not None]
    sector.declared_pct_total = percents[-1] if percents else None


def _objective_cells(row: RawRow, change: Realignment) -> dict[str, list[RawCell]]:
    cells: dict[str, list[RawCell]] = {}
    for index, name in sorted(change.assignment.items()):
        if index < len(row.cells) and row.cells[index].text.strip():
            cells.setdefault(name, []).append(row.cells[index])
    return cells


def _merge_continuation(
    target: ObjectiveRow, fields: dict[str, str], row: RawRow, cells: dict[str, list[RawCell]]
) -> None:
    for name, text in fields.items():
        target.fields[name] = "\n".join(part for part in (target.fields.get(name), text) if part)
        target.cells.setdefault(name, []).extend(cells.get(name, []))
    target.pages = sorted(set(target.pages) | set(row.pages))


def _mark_row(sector: SectorRows, row_index: int, width: int, kind: str) -> None:
    sector.cell_fields.update({(row_index, column): kind for column in range(width)})


def _read_data_row(
    sector: SectorRows,
    row: RawRow,
    row_index: int,
    cells: list[str],
    header: HeaderMapping,
    context: dict[str, str],
    settings: NormalizeSettings,
) -> None:
    """Realign a data row, carry its context down, and file it as an objective, a
    context-only row, or a continuation of the objective above; in a table of the
    indicator-rows genre, a row without objective code that prints an indicator is one more
    indicator of the objective above (never realigned on a number: its cells may all be
    numbers, and it is never a phantom objective); in a grid, so is a row printing its own
    indicator and target (:func:`normalize.indicator_rows.is_next_indicator`)."""
    indicators = is_indicator_table(header.mapping)
    in_place = Realignment(identity_assignment(header.mapping), 0)
    realigned = (
        in_place
        if indicators or _next_indicator_in_place(sector, cells, in_place)
        else realign(cells, header.mapping)
    )
    change = with_extras(realigned, header.extras, len(cells))
    sector.cell_fields.update({(row_index, i): name for i, name in change.assignment.items()})
    fields = fields_of(cells, change.assignment)
    raw_cells = _objective_cells(row, change)
    context.update({key: fields[key] for key in KEY_FIELDS if fields.get(key)})
    code_field, codes = _code_mentions(fields, settings.code_patterns)
    _note_realignment(sector, row, row_index, change, cells, codes[0].code if codes else None)
    weighted = parse_weight(fields.get("weight", "")) is not None
    if codes or (weighted and (not indicators or fields.get("objective"))):
        sector.objectives.append(
            ObjectiveRow(
                sector.table_index,
                row_index,
                row.line,
                list(row.pages),
                fields,
                raw_cells,
                dict(context),
                codes,
                code_field,
                [item_fields(fields)] if indicators else None,
                column_years(header.headings, header.mapping),
            )
        )
    elif sector.objectives and (
        has_item_data(fields)
        if indicators
        else is_next_indicator(sector.objectives[-1].fields, fields)
    ):
        _add_indicator_row(sector, sector.objectives[-1], row, row_index, fields, raw_cells)
    else:
        _file_row_without_objective(sector, row, row_index, fields, raw_cells)


def _next_indicator_in_place(sector: SectorRows, cells: list[str], in_place: Realignment) -> bool:
    """A grid row read in place is the next indicator of the objective above: it is not
    realigned on its last number (a target such as ``120`` is not a weight)."""
    if not sector.objectives:
        return False
    fields = fields_of(cells, in_place.assignment)
    return is_next_indicator(sector.objectives[-1].fields, fields)


def _add_indicator_row(
    sector: SectorRows,
    target: ObjectiveRow,
    row: RawRow,
    row_index: int,
    fields: dict[str, str],
    cells: dict[str, list[RawCell]],
) -> None:
    """One more indicator row of the objective above (its merged cells printed once); its
    stakeholders, when printed per indicator, are added to the objective's; text it prints
    in the objective's own columns (a merged cell continued after a page break) is joined to
    the objective, a finding."""
    if target.indicator_rows is None:
        target.indicator_rows = [item_fields(target.fields)]
    target.indicator_rows.append(item_fields(fields))
    for name in item_fields(fields):
        target.cells.setdefault(name, []).extend(cells.get(name, []))
    target.pages = sorted(set(target.pages) | set(row.pages))
    stakeholders = fields.get("stakeholders")
    if stakeholders and stakeholders not in target.fields.get("stakeholders", "").split("\n"):
        _merge_continuation(target, {"stakeholders": stakeholders}, row, cells)
    body = {
        name: text
        for name, text in fields.items()
        if not is_item_field(name) and name not in (*KEY_FIELDS, "stakeholders") and text
    }
    if not body:
        return
    _merge_continuation(target, body, row, cells)
    sector.findings.append(
        Finding(
            "continuation_row_merged",
            WARNING,
            f"row without code or weight joined to the row above ({', '.join(body)})",
            sector.code,
            target.codes[0].code if target.codes else None,
            location=describe_location(row.page, row.line, row_index),
            page=row.page,
            line=row.line,
        )
    )


def _file_row_without_objective(
    sector: SectorRows,
    row: RawRow,
    row_index: int,
    fields: dict[str, str],
    raw_cells: dict[str, list[RawCell]],
) -> None:
    """A row with neither code nor weight: context to carry down, a continuation of the
    objective above (joined to it), or an orphan. Each case is a finding."""
    body = {key: text for key, text in fields.items() if key not in KEY_FIELDS}
    where = {
        "location": describe_location(row.page, row.line, row_index),
        "page": row.page,
        "line": row.line,
    }
    if not body:
        held = ", ".join(f"{key} {text[:50]!r}" for key, text in fields.items())
        sector.findings.append(
            Finding(
                "context_only_row",
                INFO,
                f"row holds only {held}; carried forward to the rows below",
                sector.code,
                **where,
            )
        )
    elif sector.objectives:
        _merge_continuation(sector.objectives[-1], body, row, raw_cells)
        sector.findings.append(
            Finding(
                "continuation_row_merged",
                WARNING,
                f"row without code or weight joined to the row above ({', '.join(body)})",
                sector.code,
                sector.objectives[-1].codes[0].code if sector.objectives[-1].codes else None,
                **where,
            )
        )
    else:
        texts = " | ".join(text[:40] for text in body.values())
        sector.findings.append(
            Finding(
                "orphan_row",
                WARNING,
                f"row without code or weight before any objective: {texts}",
                sector.code,
                **where,
            )
        )


def objective_title(row: ObjectiveRow) -> str | None:
    """The objective's short title: the title column's cell (its code left out) when the
    table prints one; else the upper-case run after the code in the objective cell (or
    opening it, when the code has a column of its own)."""
    if row.fields.get("title"):
        text = row.fields["title"]
        if row.code_field == "title" and row.codes:
            text = text[row.codes[-1].end :]
        title = " ".join(text.split()).strip(" -–—:.;/")
        return title or None
    if not row.codes:
        return None
    if row.code_field == "code":
        printed = title_in_code_cell(row.fields.get("code", ""), row.codes[-1].end)
        if printed:
            return printed
    objective = row.fields.get("objective", "")
    title = title_after(objective, row.codes[0].end if row.code_field == "objective" else 0)
    if title is None and row.code_field == "code":
        return short_name_title(objective)
    if title is None and row.code_field == "objective":
        return dashed_name_title(objective, row.codes[0].end)
    return title


_DASH_AFTER_CODE = re.compile(r"^\s*[-–—]\s+")
#: A capitalised word (``Programmare``) after a word ending in a lower-case letter or an
#: acronym: where a name printed as its own line, reflowed into the cell, meets the prose.
_PROSE_START = lazy_compile(r"(?:(?<=[a-zà-ÿ])|(?<=[A-Z]{2}))\s+(?=[A-ZÀ-Ý][a-zà-ÿ])")


def dashed_name_title(text: str, end: int) -> str | None:
    """The name a code and a dash open, whatever its case (``"OP.2.3 – Attuazione degli
    interventi PNRR\nRispettare i cronoprogrammi"`` -> ``"Attuazione degli interventi
    PNRR"``): up to the end of its line, or, in a cell whose lines were joined, up to the
    first capitalised word after a lower-case one; a short name (see :func:`short_name_title`)
    followed by more text, else None (a code with no dash opens prose, not a name)."""
    rest = (text or "")[end:]
    dash = _DASH_AFTER_CODE.match(rest)
    if not dash:
        return None
    rest = rest[dash.end() :]
    first, newline, after = rest.partition("\n")
    if not newline:
        cut = _PROSE_START.search(first)
        if not cut:
            return None
        first, after = first[: cut.start()], first[cut.end() :]
    if len(after.split()) < 3:
        return None
    return short_name_title(first)


#: The most words an objective cell may print to be a name (its title) rather than prose.
_NAME_WORDS = 12
_SENTENCE_STOP = re.compile(r"[.;:!?](?:\s|$)")


def short_name_title(text: str) -> str | None:
    """The objective cell as the title when it is a short name, whatever its case: one line
    of at most :data:`_NAME_WORDS` words without a sentence stop (``"Riduzione dei tempi di
    pagamento delle fatture"`` in a grid whose code has a column of its own); None for
    prose, which has no title of its own."""
    name = " ".join((text or "").split())
    if not name or "\n" in (text or "").strip() or _SENTENCE_STOP.search(name):
        return None
    if len(name.split()) > _NAME_WORDS or sum(char.isalpha() for char in name) < 3:
        return None
    return name


_CODE_CELL_LEAD = lazy_compile(r"^(?:\s*/\s*\d{1,3}(?:\.\d{1,3}){0,3})*[\s\-–—:.,)]*")


def title_in_code_cell(text: str, end: int) -> str | None:
    """The title a code column prints after the code (``"Obiettivo 1.2.1 – RISCOSSIONE"``
    -> ``"RISCOSSIONE"``), whatever its case: a code column holds nothing else, so the text
    after the code and its dash is the title. None when the cell holds only the code."""
    rest = _CODE_CELL_LEAD.sub("", text[end:])
    title = " ".join(rest.split()).strip(" -–—:.;/")
    return title if sum(char.isalpha() for char in title) >= 3 else None


def _code_mentions(
    fields: dict[str, str], patterns: tuple[str, ...] = ()
) -> tuple[str | None, list[CodeMention]]:
    """The objective codes of a row and the field they were read from: the code column
    when there is one, else the objective cell, else the title cell; a layout's own code
    patterns (:mod:`normalize.hints`) are tried after the usual forms."""
    for name in ("code", "objective", "title"):
        text = fields.get(name, "")
        codes = (
            find_objective_codes(text)
            or (bare_code_mentions(text) or peg_code_mentions(text) if name == "code" else [])
            or pattern_mentions(text, patterns)
        )
        if codes:
            return name, codes
    return None, []


def pattern_mentions(text: str, patterns: tuple[str, ...]) -> list[CodeMention]:
    """Codes matched by a layout's own regular expressions (the named group ``code``, or the
    whole match)."""
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            group = "code" if "code" in match.re.groupindex else 0
            return [CodeMention(match.group(group), match.start(group), match.end(group))]
    return []


def peg_code_mentions(text: str) -> list[CodeMention]:
    """The code of a code-column cell holding a PEG code written without dots: mission and
    programme, then further levels (``0101``, ``010106``, ``01010601``; ``01021``, an odd
    level of one digit, is as common in a PEG's account codes)."""
    match = _PEG_CODE.match(text)
    return [CodeMention(match.group(1), match.start(1), match.end(1))] if match else []


def bare_code_mentions(text: str) -> list[CodeMention]:
    """Codes of a cell that holds only codes (``"Ob. 3"``, ``"2.1"``, ``"9.2.1/9.2.2"``)."""
    return [
        CodeMention(match.group(1), match.start(1), match.end(1))
        for match in _BARE_CODE_TOKEN.finditer(text)
    ]


def _skipped(sector: SectorRows, table: RawTable, why: str) -> None:
    sector.skipped = why
    sector.findings.append(
        Finding(
            "header_not_found",
            WARNING,
            f"{why}; table skipped",
            sector.code,
            location=describe_location(table.pages[0] if table.pages else None),
            page=table.pages[0] if table.pages else None,
        )
    )


def read_sectors(tables: Sequence[RawTable], settings: NormalizeSettings) -> list[SectorRows]:
    """Every table in document order (:func:`iter_sectors`, gathered)."""
    return [sector for _table, sector in iter_sectors(tables, settings)]


def iter_sectors(
    tables: Iterable[RawTable], settings: NormalizeSettings
) -> Iterator[tuple[RawTable, SectorRows]]:
    """Each table with what it holds, in document order, read as it is asked for; a table
    without a header row of its own reads with the header of the table before it (a header
    printed once for several sectors)."""
    previous: HeaderMapping | None = None
    for table in tables:
        sector = read_sector(table, settings, previous)
        previous = sector.headers[-1] if sector.headers else previous
        yield table, sector


def read_sector(
    table: RawTable, settings: NormalizeSettings, previous: HeaderMapping | None = None
) -> SectorRows:
    """Run the row rules over one raw table (see module doc); ``previous`` is the header of
    the table before it, for a table that prints none."""
    code, name = parse_sector_heading(table.heading, settings.sector_heading_words)
    sector = SectorRows(
        table_index=table.index,
        code=code or f"T{table.index + 1}",
        name=name,
        heading=table.heading,
        pages=list(table.pages),
    )
    table = rejoin_across_pages(table, settings, sector.code, sector.findings)
    if code is None:
        sector.findings.append(
            Finding(
                "sector_code_missing",
                WARNING,
                f"no sector code in parentheses in heading {table.heading[:80]!r}; "
                f"using {sector.code}",
                sector.code,
                location=describe_location(table.pages[0] if table.pages else None),
                page=table.pages[0] if table.pages else None,
            )
        )
    texts = [[clean_cell(text) for text in row.texts] for row in table.rows]
    labels = label_rows(texts, settings, previous)
    if not labels or labels[0].header is None:
        _skipped(sector, table, "no header row and no column of objective codes")
        return sector
    context: dict[str, str] = {}
    for row_index, (row, label) in enumerate(zip(table.rows, labels, strict=True)):
        cells = texts[row_index]
        header = label.header
        assert header is not None
        if label.opens_header:
            sector.headers.append(header)
        if label.kind == HEADER:
            _mark_row(sector, row_index, len(cells), "header")
        elif label.kind == TOTAL:
            _read_total(sector, cells, header.mapping)
            _mark_row(sector, row_index, len(cells), "total")
        elif label.kind == DATA:
            _read_data_row(sector, row, row_index, cells, header, context, settings)
    sector.findings += check_ocr_codes(sector)
    return sector
