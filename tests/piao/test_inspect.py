"""``piao inspect``: what piao sees in each table, on the corpus layouts."""

from __future__ import annotations

import json
from pathlib import Path

from piao.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
MONTELUCE = CORPUS / "monteluce" / "monteluce.txt"


def test_inspect_shows_the_mapping_with_scores_and_content(capsys):
    assert main(["inspect", str(MONTELUCE)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "monteluce.txt: 3 pages, 2 tables, 4 objectives (text)"
    assert "table 0  pages 2  sector" in out
    assert any(
        "Pesatura" in line and "-> weighting_pct" in line and "by content" in line for line in lines
    )
    assert any("Codice" in line and "-> code" in line and "confirmed yes" in line for line in lines)
    assert any("Note" in line and "-> extra" in line for line in lines)
    assert len(lines) <= 40  # fits one screen


def test_inspect_json_lists_every_column_and_the_rows_read(capsys):
    assert main(["inspect", str(MONTELUCE), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    first = report["tables"][0]
    columns = {c["heading"]: c for c in first["headers"][0]["columns"]}
    assert columns["Descrizione e risultato atteso"]["column"] == "objective"
    assert columns["Obiettivo"]["column"] == "title"
    assert columns["Missione"]["content_confirmed"] is True
    assert (first["objectives"], first["codes"], first["skipped"]) == (2, ["01", "02"], None)
    assert first["total_rows"] == 1


def test_inspect_says_why_a_table_was_skipped(tmp_path, capsys):
    path = tmp_path / "fornitori.txt"
    path.write_text("Elenco\n\nnome\tcittà\timporto\nRossi\tFerrara\t100\n", encoding="utf-8")
    assert main(["inspect", str(path)]) == 0
    assert "SKIPPED: no header row and no column of objective codes" in capsys.readouterr().out


def test_inspect_png_needs_a_pdf(tmp_path, capsys):
    assert main(["inspect", str(MONTELUCE), "--png", str(tmp_path)]) == 1
    assert "--png needs a PDF" in capsys.readouterr().err


def test_inspect_bad_file_is_one_line(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "none.txt")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("piao: ")


def test_inspect_png_draws_each_page_with_a_table(tmp_path, capsys):
    pdf = CORPUS / "valdoria" / "valdoria.reportlab.pdf"
    assert main(["inspect", str(pdf), "--png", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "valdoria.reportlab-p002.png",
        "valdoria.reportlab-p003.png",
    ]
    assert "wrote 2 page images" in capsys.readouterr().err


def test_inspect_splits_a_table_at_its_in_table_sector_headings(capsys):
    """san_vito prints DIREZIONE headings as merged rows inside one table: inspect shows the
    sectors that extraction writes (RB, TE), not one table under a derived code."""
    san_vito = CORPUS / "san_vito" / "san_vito.txt"
    assert main(["inspect", str(san_vito), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    sectors = [(table["sector_code"], table["codes"]) for table in report["tables"]]
    assert sectors == [("RB", ["1.2.1", "1.2.2.1"]), ("TE", ["2.1.1", "2.1.2", "2.3.1"])]


def test_inspect_names_the_genre_its_confidence_and_why(capsys):
    cards = CORPUS / "valmarina" / "valmarina.writer.docx"
    assert main(["inspect", str(cards)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == (
        "genre cards (confidence 1.00): 5 key/value cards opening with 'Codice obiettivo'; "
        "39 of 39 rows outside indicator tables are key/value rows"
    )
    assert main(["inspect", str(MONTELUCE), "--json"]) == 0
    genre = json.loads(capsys.readouterr().out)["genre"]
    assert genre == {"genre": "grid", "confidence": 1.0, "reasons": ["no other genre's evidence"]}


NOBORDER = CORPUS / "portomaggiore" / "portomaggiore.writer-noborder.pdf"


def test_inspect_png_draws_the_column_boundaries_given(tmp_path, capsys):
    """With a layout file's [boundaries], the PNG shows them as black lines across the
    table (x = 245 pt at 100 dpi: pixel column 340)."""
    from PIL import Image

    boundaries = CORPUS / "portomaggiore" / "writer-noborder.boundaries.toml"
    args = ["inspect", str(NOBORDER), "--layout", str(boundaries), "--png", str(tmp_path)]
    assert main(args) == 0
    assert "48 objectives" in capsys.readouterr().out
    with Image.open(tmp_path / "portomaggiore.writer-noborder-p006.png") as image:
        rgb = image.convert("RGB")
        middle = round(400 * 100 / 72)  # 400 pt down the page, inside the table
        assert (0, 0, 0) in {rgb.getpixel((x, middle)) for x in (339, 340, 341)}


def test_inspect_bad_boundaries_are_one_line(tmp_path, capsys):
    layout = tmp_path / "bad.toml"
    layout.write_text("[boundaries]\nall = [300, 200]\n", encoding="utf-8")
    assert main(["inspect", str(NOBORDER), "--layout", str(layout)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "x positions must be >= 0 and increasing" in err
