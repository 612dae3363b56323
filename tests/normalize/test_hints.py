"""Layout hints: a small TOML file adds aliases, sector words and code patterns."""

from __future__ import annotations

import pytest

from extract.pdf_columns import PageBoundaries
from normalize.headers import read_header
from normalize.hints import LayoutHintsError, layout_path, read_hints, with_layout
from normalize.settings import NormalizeSettings

ODD = [["Azione di miglioramento", "Rilevanza", "Misura"], ["Migliorare X", "3", "a) y"]]

HINTS = """
[columns]
objective = ["Azione di miglioramento"]
weight = "Rilevanza"

[sectors]
words = ["CENTRO DI RESPONSABILITÀ"]

[codes]
patterns = ['AZ-(?P<code>\\d+)']

[settings]
header_min_score = 75
"""


def test_layout_file_adds_aliases_words_patterns_and_settings(tmp_path):
    path = tmp_path / "hints.toml"
    path.write_text(HINTS, encoding="utf-8")
    settings = with_layout(None, path)
    assert settings.header_aliases["objective"][0] == "Azione di miglioramento"
    assert "Obiettivi gestionali" in settings.header_aliases["objective"]
    assert settings.header_aliases["weight"][0] == "Rilevanza"
    assert settings.sector_heading_words == ("CENTRO DI RESPONSABILITÀ",)
    assert settings.code_patterns == (r"AZ-(?P<code>\d+)",)
    assert settings.header_min_score == 75


def test_hinted_headings_map_a_header_detection_alone_misses(tmp_path):
    assert read_header(ODD, NormalizeSettings()) is None
    path = tmp_path / "hints.toml"
    path.write_text(HINTS, encoding="utf-8")
    header = read_header(ODD, with_layout(None, path))
    assert {m.name: m.index for m in header.columns}["objective"] == 0


def test_layout_file_beside_the_attachment_is_used(tmp_path):
    attachment = tmp_path / "plan.pdf"
    assert layout_path(attachment).name == "plan.pdf.layout.toml"
    layout_path(attachment).write_text('[columns]\nweight = ["Rilevanza"]\n', encoding="utf-8")
    assert with_layout(None, attachment=attachment).header_aliases["weight"][0] == "Rilevanza"
    assert with_layout(None, attachment=tmp_path / "other.pdf") == NormalizeSettings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns]\ncolour = ['x']\n", "unknown columns ['colour']"),
        ("[colours]\n", "unknown sections ['colours']"),
        ("[columns]\nweight = 3\n", "columns.weight: expected a string or a list of strings"),
        ("[codes]\npatterns = ['(']\n", "code_patterns"),
        ("[settings]\nheader_min_score = 0\n", "scores must be in (0, 100]"),
        ("[columns\n", "Expected ']'"),
        ("[boundaries]\nall = 105\n", "[boundaries]: all: expected a list of x positions"),
        ("[boundaries]\nall = []\n", "[boundaries]: all: expected a list of x positions"),
        ("[boundaries]\nall = ['105']\n", "[boundaries]: all: expected a list of x positions"),
        ("[boundaries]\nall = [177, 105]\n", "x positions must be >= 0 and increasing"),
        ("[boundaries]\nall = [-3, 105]\n", "x positions must be >= 0 and increasing"),
        ("[boundaries]\npages = [105]\n", "'pages' is not a page range (all, 7 or 6-18)"),
        ('[boundaries]\n"9-4" = [105]\n', "page range '9-4' must run forward"),
        ('[boundaries]\n"0" = [105]\n', "page range '0' must run forward"),
        ('[boundaries]\n"2-5" = [105]\n"5-7" = [110]\n', "page ranges '2-5' and '5-7' overlap"),
        ("boundaries = [105]\n", "[boundaries]: expected a table"),
    ],
)
def test_bad_layout_file_is_one_line_naming_the_attachment_and_file(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutHintsError) as raised:
        with_layout(None, path, attachment=tmp_path / "plan.pdf")
    line = str(raised.value)
    assert "\n" not in line
    assert line.startswith(f"{tmp_path / 'plan.pdf'}: layout file {path}: ")
    assert message in line


def test_missing_layout_file(tmp_path):
    with pytest.raises(LayoutHintsError, match="No such file"):
        read_hints(tmp_path / "none.toml")


# --- [boundaries]: the x of a PDF's column boundaries -------------------------------------

BOUNDARIES = """
[boundaries]
all = [105, 177.5, 245]
"6-18" = [98, 170, 240, 360]
"20" = [100]
"""


def test_boundaries_are_read_per_page_range(tmp_path):
    path = tmp_path / "hints.toml"
    path.write_text(BOUNDARIES, encoding="utf-8")
    settings = with_layout(None, path)
    assert settings.column_boundaries == (
        PageBoundaries(1, None, (105.0, 177.5, 245.0)),
        PageBoundaries(6, 18, (98.0, 170.0, 240.0, 360.0)),
        PageBoundaries(20, 20, (100.0,)),
    )
    assert NormalizeSettings().column_boundaries == ()
