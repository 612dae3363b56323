"""OCR's work is bounded (extract.ocr): a page is rendered within a pixel limit (at a lower
dpi, or refused with a finding), a document with more pages to OCR than the budget is
refused before any page is read, and progress is shown page by page on a terminal. The
checks come before Tesseract is needed, so they hold on a machine without it."""

from __future__ import annotations

import io
from pathlib import Path
from types import ModuleType

import pytest

from extract import ocr, read_document

MIB = 1024 * 1024


class FakePage:
    def __init__(self, width: float, height: float) -> None:
        self.size = (width, height)

    def get_size(self) -> tuple[float, float]:
        return self.size


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("width", "height", "dpi"),
    [
        (595, 842, 300),
        (842, 1191, 300),
        (1191, 1684, 249),
        (1684, 2384, 176),
        (2384, 3370, 124),
        (3370, 4768, None),
        (14_400, 14_400, None),
    ],
    ids=["A4", "A3", "A2", "A1", "A0 at 124 dpi", "2A0 under 100 dpi", "gigapixel"],
)
def test_page_dpi_keeps_the_render_within_the_pixel_limit(width, height, dpi) -> None:
    assert ocr.page_dpi(width, height) == dpi
    if dpi is not None:
        assert (width / 72 * dpi) * (height / 72 * dpi) <= ocr.MAX_PAGE_PIXELS


def test_the_plan_lowers_the_dpi_or_refuses_with_a_finding() -> None:
    pdf = [FakePage(595, 842), FakePage(1684, 2384), FakePage(14_400, 14_400)]
    dpis, notes = ocr.ocr_plan(pdf, [1, 2, 3])
    assert dpis == {1: 300, 2: 176}
    assert [(n.rule, n.severity, n.page) for n in notes] == [
        ("ocr_page_refused", "warning", 2),
        ("ocr_page_refused", "error", 3),
    ]
    assert notes[0].message == (
        "page large for OCR (1,684 x 2,384 pt): rendered at 176 dpi, not 300, "
        "to stay within 24,000,000 pixels"
    )
    assert notes[1].message == (
        "page too large to OCR (14,400 x 14,400 pt: under 100 dpi within 24,000,000 pixels); "
        "not read"
    )


def test_gigapixel_page_is_refused_in_one_line_under_600_mib(
    tmp_path: Path, make_hostile: ModuleType, capped_run
) -> None:
    """A 441-byte PDF whose one page would render at 300 dpi as 3.6 gigapixels."""
    pdf = make_hostile.write_gigapixel_pdf(tmp_path / "gigante.pdf")
    args = ["extract", str(pdf), "--out", str(tmp_path / "out"), "--workers", "1"]
    run = capped_run(args, cap_bytes=600 * MIB, timeout=60)
    assert run.status == 1
    assert run.stderr == (
        f"piao: {pdf}: no text layer on pages 1, and every one is too large to OCR (page 1: "
        "14,400 x 14,400 pt, under 100 dpi within 24,000,000 pixels)\n"
    )
    assert run.peak_bytes < 600 * MIB


def test_blank_scan_of_2000_pages_stops_at_the_page_budget(
    tmp_path: Path, make_hostile: ModuleType, capped_run
) -> None:
    pdf = make_hostile.write_blank_scan_pdf(tmp_path / "scansione.pdf", pages=2_000)
    args = ["extract", str(pdf), "--out", str(tmp_path / "out"), "--workers", "1"]
    run = capped_run(args, cap_bytes=600 * MIB, timeout=120)
    assert run.status == 1
    assert run.stderr == (
        f"piao: {pdf}: 2000 pages without a text layer, more than the OCR budget of 200 pages "
        "(--ocr-max-pages 2000 reads them all, at about 3 s a page)\n"
    )
    assert run.seconds < 60
    assert run.peak_bytes < 600 * MIB


def test_the_budget_is_set_on_the_command_line(
    tmp_path: Path, make_hostile: ModuleType, capped_run
) -> None:
    pdf = make_hostile.write_blank_scan_pdf(tmp_path / "tre.pdf", pages=3)
    args = ["extract", str(pdf), "--out", str(tmp_path / "out"), "--ocr-max-pages", "2"]
    run = capped_run(args, cap_bytes=600 * MIB, timeout=60)
    assert run.status == 1
    assert "3 pages without a text layer, more than the OCR budget of 2 pages" in run.stderr


def test_the_budget_defaults_to_200_and_reads_its_variable() -> None:
    assert ocr.OCR_MAX_PAGES == 200
    assert ocr.ocr_max_pages({}) == 200
    assert ocr.ocr_max_pages({"PIAO_OCR_MAX_PAGES": "500"}) == 500
    assert ocr.ocr_max_pages({"PIAO_OCR_MAX_PAGES": "0"}) == 200


def test_the_budget_is_checked_before_tesseract(
    tmp_path: Path, make_hostile: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tesseract's model hidden: the budget still decides, in one line."""
    pdf = make_hostile.write_blank_scan_pdf(tmp_path / "tre.pdf", pages=3)
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setenv("PIAO_OCR_MAX_PAGES", "2")
    with pytest.raises(ocr.OcrBudgetError) as caught:
        read_document(pdf)
    assert str(caught.value).startswith(f"{pdf}: 3 pages without a text layer, more than the ")


def test_progress_is_one_rewritten_terminal_line(tmp_path: Path) -> None:
    terminal = Terminal()
    for done in (1, 2, 3):
        ocr.report_progress(Path("scan\nsione.pdf"), done, 3, terminal)
    assert terminal.getvalue() == (
        "\rOCR scan\\nsione.pdf: page 1 of 3\rOCR scan\\nsione.pdf: page 2 of 3"
        "\rOCR scan\\nsione.pdf: page 3 of 3\n"
    )


def test_no_progress_when_stderr_is_not_a_terminal() -> None:
    log = io.StringIO()
    ocr.report_progress(Path("scan.pdf"), 1, 3, log)
    assert log.getvalue() == ""


def test_the_size_findings_read_in_italian() -> None:
    from normalize.quality import italian_message

    pdf = [FakePage(1684, 2384), FakePage(14_400, 14_400)]
    _, notes = ocr.ocr_plan(pdf, [1, 2])
    assert [italian_message(note.rule, note.message) for note in notes] == [
        "Pagina grande per l'OCR (1,684 x 2,384 pt): letta a 176 dpi invece di 300, per "
        "restare entro 24,000,000 pixel",
        "Pagina troppo grande per l'OCR (14,400 x 14,400 pt: meno di 100 dpi entro 24,000,000 "
        "pixel); non letta",
    ]


def test_the_documented_figures_are_the_enforced_ones() -> None:
    """docs/limits.md's OCR table states the limits the code enforces."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text("utf-8")
    assert (ocr.OCR_MAX_PAGES, ocr.MAX_PAGE_PIXELS, ocr.MIN_OCR_DPI) == (200, 24_000_000, 100)
    assert "| pages without a text layer OCR'd in one document | 200 |" in text
    assert (
        "| pixels of one page rendered for OCR | 24,000,000 (A3 at 300 dpi; A2 at 249 dpi) |"
        in text
    )
    assert "| lowest dpi a page is rendered at | 100 |" in text


def test_large_pages_are_ocrd_one_at_a_time() -> None:
    a4, a3, a2 = 8_732_691, 17_465_382, 34_813_125  # pixels at 300 dpi
    assert ocr.pages_at_once([a4, a4]) == 2
    assert ocr.pages_at_once([a4, a3, a4]) == 1
    assert ocr.pages_at_once([a4, a2]) == 1
    assert ocr.pages_at_once([]) == 2


@pytest.mark.ocr
@pytest.mark.slow
def test_two_pages_at_the_pixel_limit_stay_under_600_mib(
    tmp_path: Path, make_hostile: ModuleType, capped_run
) -> None:
    """Two A2 pages without text, each rendered within 24 million pixels (249 dpi) and
    OCR'd one at a time (measured 434 MiB; at 36 million pixels 540-650 MiB, two at a time
    786 MiB)."""
    pdf = make_hostile.pages_pdf(tmp_path / "a2.pdf", 2, 1191, 1684)
    args = ["extract", str(pdf), "--out", str(tmp_path / "out"), "--workers", "1"]
    run = capped_run(args, cap_bytes=3000 * MIB, timeout=300)  # RSS is what is bounded
    assert run.stderr == f"piao: {pdf}: no text layer on pages 1-2, and OCR found no text there\n"
    assert run.peak_bytes < 600 * MIB
