"""The HTML comparison page opened in headless Chromium: the report's style, no console
error, titled with ente and editions, tables sorted by a heading and filtered by sector
(state given in the address, as a link would give it). The ``browser`` marker skips them
without Chromium (and fails them where CI requires it)."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest

from piao.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def page(editions_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("diff")
    args = ["diff", "--ente", "alfaterna", "--data", str(editions_corpus[0]), "--out", str(out)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*args, "--format", "markdown"]) == 0
        assert main([*args, "--format", "html"]) == 0
    assert not (out / "changes.md").exists()  # no stale report of another format
    return out / "changes.html"


def dump_dom(chromium: str, url: str, profile: Path) -> str:
    """The DOM after the scripts ran; fails on any console message (a script error)."""
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    return result.stdout


def rows_of(dom: str, table: str) -> list[tuple[bool, list[str]]]:
    """(hidden, cell texts) of each body row of the table ``table`` that is of a sector."""
    body = dom.split(f'id="{table}"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    rows = re.findall(r"<tr( [^>]*data-settore[^>]*)>(.*?)</tr>", body, re.S)
    return [
        ("hidden" in attrs, [re.sub("<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", tr)])
        for attrs, tr in rows
    ]


def test_the_page_has_the_reports_style_and_names_ente_and_editions(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert (
        "<title>Confronto tra 3 edizioni: Comune di Alfaterna 2023 → Comune di Alfaterna " in text
    )
    assert "--accent: #1f618d" in text  # report.html.STYLE


def test_filter_by_sector_hides_the_other_sectors(chromium: str, page: Path, tmp_path) -> None:
    dom = dump_dom(chromium, page.as_uri() + "#settore=SAP", tmp_path / "profile")
    rows = [row for table in re.findall(r'id="(tabella-\d+)"', dom) for row in rows_of(dom, table)]
    shown = [cells for hidden, cells in rows if not hidden]
    assert len(shown) > 5 and all("SAP" in cells for cells in shown)
    assert any("FIN" in cells for hidden, cells in rows if hidden)
    assert re.search(r'id="conteggio">(\d+) righe su (\d+)<', dom)


def test_a_click_on_a_heading_sorts_the_table(chromium: str, page: Path, tmp_path) -> None:
    text = page.read_text(encoding="utf-8")
    dates = next(
        table
        for table, heading in re.findall(
            r'<table id="(tabella-\d+)"><thead><tr>\n?<th>([^<]*)', text
        )
        if heading == "Settore" and "Variazione" in text.split(f'id="{table}"')[1].split("</tr>")[0]
    )
    dom = dump_dom(chromium, page.as_uri() + f"#ordina={dates}:1:desc", tmp_path / "profile")
    codes = [cells[1] for _hidden, cells in rows_of(dom, dates)]
    assert len(codes) > 2 and codes == sorted(codes, reverse=True)
