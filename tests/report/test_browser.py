"""The HTML report opened in a real headless browser (Debian's chromium).

Skipped locally when chromium is missing (`make browser` installs it); a failure in CI, where
.ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from piao import cli


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run must install it (make browser)")
        pytest.skip("chromium not installed (make browser)")
    return found


@pytest.fixture(scope="module")
def page(clean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert cli.main(["report", "--data", str(clean_dir), "--out", str(out)]) == 0
    return out


def dump_dom(chromium: str, url: str, tmp_path: Path) -> str:
    """The DOM after load (scripts run) as Chromium serialises it."""
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
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


class Dom(HTMLParser):
    """Texts by element id, and rows (attributes, cell texts) of the tables by id."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "col", "wbr", "source"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text_by_id: dict[str, str] = {}
        self.rows: dict[str, list[tuple[dict[str, str | None], list[str]]]] = {}
        self._open_ids: list[tuple[str, int]] = []
        self._texts: dict[str, list[str]] = {}
        self._depth = 0
        self._table: str | None = None
        self._table_depth = 0
        self._in_tbody = False
        self._cell: list[str] | None = None
        self.count_svg = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "svg":
            self.count_svg += 1
        if tag in self.VOID:
            return
        self._depth += 1
        if attributes.get("id"):
            self._open_ids.append((str(attributes["id"]), self._depth))
            self._texts[str(attributes["id"])] = []
        if tag == "table" and attributes.get("id"):
            self._table, self._table_depth = str(attributes["id"]), self._depth
            self.rows[self._table] = []
        elif tag == "tbody" and self._table:
            self._in_tbody = True
        elif tag == "tr" and self._table and self._in_tbody:
            self.rows[self._table].append((attributes, []))
        elif tag == "td" and self._table and self._in_tbody:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag == "td" and self._cell is not None and self._table:
            self.rows[self._table][-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "table" and self._depth == self._table_depth:
            self._table = None
        while self._open_ids and self._open_ids[-1][1] == self._depth:
            ident, _ = self._open_ids.pop()
            self.text_by_id[ident] = " ".join("".join(self._texts[ident]).split())
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for ident, _ in self._open_ids:
            self._texts[ident].append(data)
        if self._cell is not None:
            self._cell.append(data)


def test_report_shows_the_plans_totals(chromium: str, page: Path, tmp_path: Path) -> None:
    dom = Dom(dump_dom(chromium, page.as_uri(), tmp_path))
    assert dom.text_by_id["n-settori"] == "4"
    assert dom.text_by_id["n-obiettivi"] == "48"
    assert dom.text_by_id["n-peso"] == "200"
    sectors = {attrs["data-settore"]: cells for attrs, cells in dom.rows["tabella-settori"]}
    assert list(sectors) == ["STAFF", "SAP", "FIN", "TEC"]
    weights = {
        code: (int(cells[2]), int(cells[3]), int(cells[4])) for code, cells in sectors.items()
    }
    assert weights == {
        "STAFF": (5, 19, 19),
        "SAP": (16, 66, 66),
        "FIN": (10, 43, 43),
        "TEC": (17, 72, 72),
    }
    assert all("coincide" in cells[5] for cells in sectors.values())
    objectives = dom.rows["tabella-obiettivi"]
    assert len(objectives) == 48
    assert not any("hidden" in attrs for attrs, _ in objectives)
    assert dom.text_by_id["conteggio"] == "48 obiettivi su 48"
    assert dom.count_svg >= 3
    assert "Peso per settore e missione" in dom.text_by_id["grafici"]
    findings = dom.rows["tabella-rilievi"]
    assert len(findings) == 34
    assert sum(cells[0] == "errore" for _, cells in findings) == 2
    assert all(cells[4].startswith("p. ") for _, cells in findings)


@pytest.mark.parametrize(
    ("search", "word"),
    [("biblioteca", "biblioteca"), ("TEC%209.3.2", "9.3.2"), ("attivit%C3%A0", "attivit")],
)
def test_search_box_filters_the_objectives(
    chromium: str, page: Path, tmp_path: Path, search: str, word: str
) -> None:
    """The search runs on load from the address (#cerca=...), as when typed in the box."""
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#cerca={search}", tmp_path))
    rows = dom.rows["tabella-obiettivi"]
    shown = [cells for attrs, cells in rows if "hidden" not in attrs]
    assert 0 < len(shown) < 48
    assert dom.text_by_id["conteggio"] == f"{len(shown)} obiettivi su 48"
    assert all(word.lower() in " ".join(cells).lower() for cells in shown)
    hidden = [cells for attrs, cells in rows if "hidden" in attrs]
    if word == "biblioteca":
        assert all(word not in " ".join(cells).lower() for cells in hidden)


def test_search_without_match_hides_every_row(chromium: str, page: Path, tmp_path: Path) -> None:
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#cerca=zzz-nessuno", tmp_path))
    assert all("hidden" in attrs for attrs, _ in dom.rows["tabella-obiettivi"])
    assert dom.text_by_id["conteggio"] == "0 obiettivi su 48"
