"""The HTML report opened in a real headless browser (Debian's chromium).

Skipped when chromium is missing (`make browser` installs it); a failure when
PIAO_REQUIRE_BROWSER=1, as .ci/run sets after installing it.
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from piao import cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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
    assert "<html" in result.stdout, result.stderr[-2000:]
    # the pages log nothing: any console line is a script error or a stray message
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
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


# -- the report folder: index, one page per administration, one per document ----------------


@pytest.fixture(scope="module")
def site(editions_corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "rapporto"
    assert cli.main(["report", "--data", str(editions_corpus[0]), "--out", str(out)]) == 0
    return out


class Links(HTMLParser):
    """Every href and every id of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(str(attributes["href"]))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))


def test_report_folder_has_index_ente_and_edition_pages(site: Path) -> None:
    names = sorted(p.name for p in site.glob("*.html"))
    assert len(names) == 1 + 3 + 9
    assert "index.html" in names and "ente-comune-di-borgoverde.html" in names
    assert "comune-di-borgoverde-allegato1-2024.html" in names


def test_every_link_of_every_page_resolves(site: Path) -> None:
    checked = 0
    for page in site.glob("*.html"):
        links = Links(page.read_text(encoding="utf-8"))
        for href in links.hrefs:
            target, _, anchor = href.partition("#")
            assert "://" not in href, (page.name, href)
            path = site / target if target else page
            assert path.is_file(), (page.name, href)
            if anchor and not anchor.startswith("cerca="):
                assert anchor in Links(path.read_text(encoding="utf-8")).ids, (page.name, href)
            checked += 1
    assert checked >= 9 + 3 + 9 * 2  # index cells, ente names, each page's way back


def test_index_shows_administrations_by_edition(chromium: str, site: Path, tmp_path: Path) -> None:
    dom = Dom(dump_dom(chromium, (site / "index.html").as_uri(), tmp_path))
    assert dom.text_by_id["n-enti"] == "3" and dom.text_by_id["n-documenti"] == "9"
    rows = {attrs["data-serie"]: cells for attrs, cells in dom.rows["tabella-indice"]}
    assert list(rows) == [
        "comune-di-alfaterna/allegato1",
        "comune-di-borgoverde/allegato1",
        "comune-di-castelmarino/allegato1",
    ]
    alfaterna = rows["comune-di-alfaterna/allegato1"]
    assert alfaterna[0] == "Comune di Alfaterna"
    counts = [cell.split(" obiettivi")[0] for cell in alfaterna[2:]]
    assert counts == ["48", "48", "47"]
    assert [c.split(" obiettivi")[0] for c in rows["comune-di-castelmarino/allegato1"][2:]] == [
        "46",
        "46",
        "45",
    ]
    assert all("totali coincidenti" in cell for cells in rows.values() for cell in cells[2:])


def test_ente_page_shows_the_series_over_the_years(
    chromium: str, site: Path, tmp_path: Path, editions_corpus
) -> None:
    page = site / "ente-comune-di-borgoverde.html"
    dom = Dom(dump_dom(chromium, page.as_uri(), tmp_path))
    editions = {attrs["data-edizione"]: cells for attrs, cells in dom.rows["edizioni-1"]}
    assert list(editions) == ["2023", "2024", "2025"]
    # objectives, weight; added, removed, renumbered, moved, modified, same
    assert editions["2023"][1:3] == ["47", "196"]
    assert editions["2024"][4:10] == ["2", "2", "1", "1", "7", "36"]
    assert editions["2025"][4:10] == ["0", "1", "0", "0", "1", "45"]
    weights = {attrs["data-settore"]: cells[1:] for attrs, cells in dom.rows["pesi-1"]}
    removed = next(r for r in editions_corpus[1] if r["ente"] == "Comune di Borgoverde")
    assert weights["STAFF"][0] == "19" and weights["FIN"][0] == str(43 - removed["removed_weight"])
    assert weights["SAP"][1:] == ["63", "64"]  # 2025: one SAP weight raised by 1
    assert dom.count_svg >= 1


def _shown(dom: Dom) -> list[tuple[dict, list[str]]]:
    return [(a, c) for a, c in dom.rows["tabella-obiettivi"] if "hidden" not in a]


def test_edition_page_sorts_by_weight(chromium: str, site: Path, tmp_path: Path) -> None:
    page = site / "comune-di-alfaterna-allegato1-2023.html"
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#ordina=peso-desc", tmp_path))
    weights = [int(cells[4]) for _a, cells in dom.rows["tabella-obiettivi"]]
    assert len(weights) == 48 and weights == sorted(weights, reverse=True)
    assert weights[0] == 5 and weights[-1] == 3
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#ordina=codice-asc", tmp_path))
    codes = [attrs["data-obiettivo"] for attrs, _c in dom.rows["tabella-obiettivi"]]
    numbers = [tuple(int(part) for part in code.split(".")) for code in codes]
    assert numbers == sorted(numbers)  # natural order: 9.3.2.9 before 9.3.2.10
    assert codes[:4] == ["1.1.1"] * 4 and codes.index("9.3.2.9") < codes.index("9.3.2.10")


def test_edition_page_filters_by_sector_and_deadline(
    chromium: str, site: Path, tmp_path: Path
) -> None:
    page = site / "comune-di-alfaterna-allegato1-2023.html"
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#settore=SAP", tmp_path))
    shown = _shown(dom)
    assert len(shown) == 16 and all(cells[0] == "SAP" for _a, cells in shown)
    assert dom.text_by_id["conteggio"] == "16 obiettivi su 48"
    dom = Dom(dump_dom(chromium, f"{page.as_uri()}#settore=TEC&scadenza=2023-T4", tmp_path))
    shown = _shown(dom)
    assert 0 < len(shown) < 17
    for _attrs, cells in shown:
        assert cells[0] == "TEC"
        assert any(f"/{month}/2023" in cells[7] for month in ("10", "11", "12")), cells[7]
