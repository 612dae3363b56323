"""Reading one sector table, on small synthetic tables built like the real one."""

from __future__ import annotations

import pytest

from extract.model import RawCell, RawRow, RawTable
from normalize.sectors import read_sector
from normalize.settings import NormalizeSettings

HEADER = [
    "Missione",
    "Indirizzi/Obiettivi strategici",
    "Linee programmatiche",
    "Obiettivi gestionali",
    "Indicatore di risultato",
    "Valore indicatore",
    "Tempi di realizzazione",
    "Assessore di riferimento",
    "Settore di riferimento",
    "priorità/peso assegnato da giunta",
    "Ponderazione relativa obiettivo (in termini %)",
]


def table(
    rows: list[list[str]],
    heading: str = "ASSEGNATI AL SETTORE PROVA (PRV)",
    pages: list[int] | None = None,
) -> RawTable:
    pages = pages or [1] * len(rows)
    raw_rows = tuple(
        RawRow(
            cells=tuple(RawCell(text, column, page, line) for column, text in enumerate(cells)),
            pages=(page,),
            line=line,
        )
        for line, (cells, page) in enumerate(zip(rows, pages, strict=True), start=1)
    )
    return RawTable(heading=heading, rows=raw_rows, index=0)


def data(objective: str = "", weight: str = "", pct: str = "", **extra: str) -> list[str]:
    cells = [""] * 11
    cells[3], cells[9], cells[10] = objective, weight, pct
    for index, text in extra.items():
        cells[int(index[1:])] = text
    return cells


SETTINGS = NormalizeSettings()


def test_row_broken_across_a_page_is_joined_to_the_row_above():
    sector = read_sector(
        table(
            [
                HEADER,
                data("1.1.1 PRIMO", "3", "100%", c4="a) parte uno"),
                data("", "", "", c4="b) parte due", c5="b) entro 2023"),
                ["totale"] + [""] * 8 + ["3", "100%"],
            ],
            pages=[1, 1, 2, 2],
        ),
        SETTINGS,
    )
    assert len(sector.objectives) == 1
    objective = sector.objectives[0]
    assert objective.fields["indicator"] == "a) parte uno\nb) parte due"
    assert objective.pages == [1, 2]
    assert [f.rule for f in sector.findings] == ["row_rejoined_across_pages"]
    assert sector.declared_total == 3


def test_row_without_code_before_any_objective_is_an_orphan():
    sector = read_sector(table([HEADER, data("", "", "", c4="a) testo")]), SETTINGS)
    assert sector.objectives == []
    assert [f.rule for f in sector.findings] == ["orphan_row"]


def test_table_without_header_or_codes_is_reported():
    sector = read_sector(table([data("Premessa", "", "", c4="testo")]), SETTINGS)
    assert sector.objectives == []
    assert [f.rule for f in sector.findings] == ["header_not_found"]
    assert sector.skipped == "no header row and no column of objective codes"


def test_table_without_header_is_read_by_content():
    sector = read_sector(
        table([data("1.1.1 X", "3", "60%"), data("1.1.2 Y", "2", "40%")]), SETTINGS
    )
    assert [row.codes[0].code for row in sector.objectives] == ["1.1.1", "1.1.2"]
    assert [row.fields["weight"] for row in sector.objectives] == ["3", "2"]
    assert [row.fields["weighting_pct"] for row in sector.objectives] == ["60%", "40%"]


def test_missing_sector_code_gets_a_stand_in():
    sector = read_sector(table([HEADER, data("1.1.1 X", "3", "100%")], heading="SERVIZI"), SETTINGS)
    assert sector.code == "T1"
    assert [f.rule for f in sector.findings] == ["sector_code_missing"]


def test_repeated_header_and_banner_rows_are_dropped():
    banner = ["DOCUMENTO UNICO DI PROGRAMMAZIONE (DUP) 2023-2025"] + [""] * 10
    sector = read_sector(
        table(
            [
                banner,
                HEADER,
                data("1.1.1 X", "3", "50%"),
                banner,
                HEADER,
                data("1.1.2 Y", "3", "50%"),
            ]
        ),
        SETTINGS,
    )
    assert [o.codes[0].code for o in sector.objectives] == ["1.1.1", "1.1.2"]
    assert sector.cell_fields[(3, 0)] == "header" and sector.cell_fields[(4, 0)] == "header"


# layouts other than the shipped one ------------------------------------------------

from dataclasses import replace  # noqa: E402

from normalize.sectors import objective_title  # noqa: E402


def test_code_column_short_title_and_extra_column():
    rows = [
        ["Codice", "Obiettivo", "Descrizione e risultato atteso", "Note", "Peso %"],
        [
            "OB.01",
            "Manutenzione",
            "Programma di manutenzione ordinaria delle strade",
            "urgente",
            "40%",
        ],
        ["OB.02", "Mobilità", "Nuove piste ciclabili e trasporto pubblico locale", "", "60%"],
    ]
    sector = read_sector(table(rows), SETTINGS)
    assert [row.codes[0].code for row in sector.objectives] == ["01", "02"]
    assert [objective_title(row) for row in sector.objectives] == ["Manutenzione", "Mobilità"]
    assert sector.objectives[0].fields["objective"].startswith("Programma di manutenzione")
    assert sector.cell_fields[(1, 3)] == "extra"
    assert sector.objectives[0].fields["extra"] == "urgente"


def test_code_at_the_start_of_the_objective_cell_gives_the_upper_case_title():
    rows = [
        ["Codice e descrizione obiettivo operativo", "Indicatori", "Peso (1-5)"],
        ["1.2.1 RISCOSSIONE DELLE ENTRATE. Recupero evasione", "a) Avvisi", "3"],
    ]
    row = read_sector(table(rows), SETTINGS).objectives[0]
    assert (row.codes[0].code, objective_title(row)) == ("1.2.1", "RISCOSSIONE DELLE ENTRATE")


def test_layout_code_pattern_reads_codes_of_its_own_style():
    rows = [["Obiettivo", "Indicatori", "Peso"], ["AZ-7 Migliorare i servizi", "a) x", "3"]]
    settings = replace(SETTINGS, code_patterns=(r"AZ-(?P<code>\d+)",))
    assert read_sector(table(rows), settings).objectives[0].codes[0].code == "7"


def test_header_repeated_on_each_page_and_a_page_with_only_header_and_total():
    header = ["Obiettivo", "Indicatori", "Peso"]
    rows = [
        header,
        ["1.1.1 A. Testo", "a) x", "3"],
        header,
        ["1.1.2 B. Testo", "a) y", "2"],
        header,
        ["Totale", "", "5"],
    ]
    sector = read_sector(table(rows, pages=[1, 1, 2, 2, 3, 3]), SETTINGS)
    assert [row.codes[0].code for row in sector.objectives] == ["1.1.1", "1.1.2"]
    assert sector.declared_total == 5
    assert sector.findings == []


def test_objective_opening_a_page_in_a_code_column_table_is_not_joined_to_the_row_above():
    header = ["Codice", "Obiettivo", "Indicatori"]
    rows = [header, ["OB.01", "Manutenzione strade", "a) x"], header, ["OB.02", "Mobilità", "a) y"]]
    sector = read_sector(table(rows, pages=[1, 1, 2, 2]), SETTINGS)
    assert [row.codes[0].code for row in sector.objectives] == ["01", "02"]
    assert [row.pages for row in sector.objectives] == [[1], [2]]


def test_header_printed_once_serves_the_next_sector_table():
    from normalize.sectors import read_sectors

    header = ["Codice", "Obiettivo", "Descrizione", "Responsabile", "Peso %"]
    first = table(
        [header, ["OB.01", "Strade", "Manutenzione delle strade comunali", "Galli", "100%"]]
    )
    second = RawTable(
        heading="SERVIZIO AMBIENTE",
        rows=table(
            [["OB.01", "Rifiuti", "Raccolta differenziata porta a porta", "Riva", "100%"]]
        ).rows,
        index=1,
    )
    sectors = read_sectors([first, second], SETTINGS)
    row = sectors[1].objectives[0]
    assert (objective_title(row), row.fields["responsible"]) == ("Rifiuti", "Riva")
    assert sectors[1].headers[0].carried


def test_code_column_printed_with_its_title_keeps_the_title_after_the_dash():
    """A code column printed as ``Obiettivo 1.2.1 – TITOLO``: the title is the text after the
    dash, and the description column stays the description."""
    rows = [
        ["Codice obiettivo", "Descrizione", "Indicatori", "Peso"],
        ["Obiettivo 1.2.1 – RISCOSSIONE DELLE ENTRATE", "Recupero dell'evasione", "a) x", "3"],
        ["Obiettivo 1.2.2 – Gestione del patrimonio", "Inventario dei beni", "a) y", "2"],
    ]
    sector = read_sector(table(rows), SETTINGS)
    assert [(row.codes[0].code, objective_title(row)) for row in sector.objectives] == [
        ("1.2.1", "RISCOSSIONE DELLE ENTRATE"),
        ("1.2.2", "Gestione del patrimonio"),
    ]
    assert sector.objectives[0].fields["objective"] == "Recupero dell'evasione"


# titles of mixed-case names --------------------------------------------------------------

from normalize.sectors import dashed_name_title, peg_code_mentions, short_name_title  # noqa: E402


def test_short_name_beside_a_code_column_is_the_title():
    assert short_name_title("Riduzione dei tempi di pagamento delle fatture") == (
        "Riduzione dei tempi di pagamento delle fatture"
    )


def test_prose_beside_a_code_column_has_no_title():
    assert short_name_title("Ridurre i tempi. Pagare entro 30 giorni") is None
    assert short_name_title("Primo rigo\nsecondo rigo") is None


def test_dashed_name_on_its_own_line_is_the_title():
    text = "OP.2.3 – Attuazione degli interventi PNRR\nRispettare i cronoprogrammi degli interventi"
    assert dashed_name_title(text, len("OP.2.3")) == "Attuazione degli interventi PNRR"


def test_dashed_name_reflowed_into_the_prose_ends_at_the_capitalised_word():
    text = "OP.1.2 – Trasparenza e accesso civico Garantire la pubblicazione dei dati"
    assert dashed_name_title(text, len("OP.1.2")) == "Trasparenza e accesso civico"


def test_code_without_dash_opens_prose_not_a_name():
    text = "1.1.3 Realizzazione controlli interni di regolarità amministrativa"
    assert dashed_name_title(text, len("1.1.3")) is None


@pytest.mark.parametrize("text", ["01021", "0105", "01010601"])
def test_peg_codes_of_any_level_length(text):
    assert [mention.code for mention in peg_code_mentions(text)] == [text]
