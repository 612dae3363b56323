"""Row repair rules, on synthetic rows built like the real header."""

from __future__ import annotations

from normalize import rows as rows_module
from normalize.rows import fields_of, is_total_row, label_rows, realign, weight_anchor
from normalize.settings import FIELDS, NormalizeSettings

COLUMNS = tuple(name for name in FIELDS if name not in ("code", "title", "extra"))
"""The eleven columns of the shipped header, in its order."""
MAPPING = {name: index for index, name in enumerate(COLUMNS)}


def row(**cells: str) -> list[str]:
    return [cells.get(name, "") for name in COLUMNS]


def test_well_formed_row_keeps_its_positions():
    cells = row(objective="1.1.1 X", weight="5", weighting_pct="26,3158%")
    change = realign(cells, MAPPING)
    assert change.shift == 0
    assert fields_of(cells, change.assignment)["weight"] == "5"


def test_row_shifted_right_is_realigned_and_strategic_read_by_content():
    cells = [
        "",
        "",
        "",
        "1.3 Attrarre risorse",
        "1.3.1 Analisi",
        "1.3.1.1 N° bandi",
        "Entro 31.12.2023",
        "2023",
        "Sindaco",
        "Tutti i Dirigenti",
        "5",
    ]
    change = realign(cells, MAPPING)
    fields = fields_of(cells, change.assignment)
    assert change.shift == -1
    assert fields["strategic"] == "1.3 Attrarre risorse"
    assert fields["objective"] == "1.3.1 Analisi"
    assert fields["weight"] == "5"
    assert "weighting_pct" not in fields
    assert change.moved_by_content == ((3, "strategic"),)


def test_row_that_lost_its_leading_cells_is_realigned():
    cells = [
        "9.3.2.6 OPERE",
        "a) firma",
        "a) entro aprile 2023",
        "2023-2024",
        "Sindaco",
        "Dirigente",
        "5",
        "6,94%",
        "",
        "",
        "",
    ]
    change = realign(cells, MAPPING)
    fields = fields_of(cells, change.assignment)
    assert change.shift == 3
    assert (fields["objective"], fields["deadline"], fields["weighting_pct"]) == (
        "9.3.2.6 OPERE",
        "2023-2024",
        "6,94%",
    )


def test_row_without_weight_is_left_alone():
    cells = row(strategic="5.2 Biblioteca e attività culturali")
    assert realign(cells, MAPPING).shift == 0
    assert weight_anchor(cells) is None


def test_total_row():
    assert is_total_row(["totale", "", "19", "100%"])
    assert is_total_row(["", "Totale:", "43"])
    assert not is_total_row(["M 01 Servizi", "totale"])


def test_total_label_split_by_a_narrow_column_is_still_the_total():
    assert is_total_row(["TOTA LE AREA SGP", "", "100"])
    assert is_total_row(["Totale punti servizio PL", "100"])
    assert is_total_row(["Total", "", "100"])  # "Totale" cut over two rows
    assert not is_total_row(["Ob. 1", "Totale rifacimento", "3"])


def test_a_table_labelled_twice_has_its_header_read_once(monkeypatch) -> None:
    """A sector table is labelled before and after its page-break rows are joined; when
    nothing was joined the header is not read again (start-up time)."""
    reads: list[int] = []
    real = rows_module.read_header

    def counting(texts, settings, start=0):
        reads.append(start)
        return real(texts, settings, start)

    monkeypatch.setattr(rows_module, "read_header", counting)
    settings = NormalizeSettings()
    table = [
        ["Codice", "Obiettivo", "Peso"],
        ["1.1.1", "ANTICORRUZIONE", "5"],
    ]
    first = label_rows(table, settings)
    again = label_rows([list(row) for row in table], settings)
    assert reads == [0]
    assert (
        [label.kind for label in first]
        == [label.kind for label in again]
        == [
            "header",
            "data",
        ]
    )
    label_rows(table, NormalizeSettings())  # other settings: read again
    table[1][2] = "4"
    label_rows(table, settings)  # other rows: read again
    assert reads == [0, 0, 0]
