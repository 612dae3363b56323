"""A report folder for many documents: ``index.html`` (administrations x editions), one page
per administration with its plans over the years, and one page per document.

Which documents are editions of the same plan, and which objective of an edition continues
which of the previous one, is decided by :mod:`compare` (the ``lineage`` table); this module
only draws it. Every page is self-contained and in Italian.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from report.changes import modified_details, modified_list
from report.charts import series_chart
from report.data import for_document
from report.html import STYLE, navigation, render_html
from report.status import status_mark
from report.summary import summary

INDEX = "index.html"
CHANGE_LABELS = {
    "added": "Aggiunti",
    "removed": "Rimossi",
    "renumbered": "Rinumerati",
    "moved": "Spostati",
    "modified": "Modificati",
    "same": "Invariati",
}


@dataclass(frozen=True, slots=True)
class EditionPage:
    """One document as an edition of a plan, and the file its page is written to."""

    doc_id: str
    ente: str
    series: str
    attachment: str
    year: int | None
    seq: int
    file_name: str
    #: The attachment's file name (tells apart documents whose ente is unknown).
    source_name: str = ""

    @property
    def label(self) -> str:
        return str(self.year) if self.year is not None else f"edizione {self.seq}"


def _file_stem(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def ente_file(series: str) -> str:
    """'comune-di-alfa/allegato1' -> 'ente-comune-di-alfa.html' (one page per ente)."""
    return f"ente-{_file_stem(series.split('/')[0])}.html"


def edition_pages(editions: pd.DataFrame) -> list[EditionPage]:
    """The pages of the documents, from the editions frame (doc_id, ente, series,
    attachment, edition, edition_seq; see ``piao report``): '<series>-<year>.html', the
    doc_id added when two documents would share a name."""
    pages: list[EditionPage] = []
    used: set[str] = set()
    for row in editions.itertuples(index=False):
        year = None if pd.isna(row.edition) else int(row.edition)
        stem = _file_stem(f"{row.series}-{year if year is not None else row.doc_id[:8]}")
        name = f"{stem}.html"
        if name in used:
            name = f"{stem}-{row.doc_id[:8]}.html"
        used.add(name)
        pages.append(
            EditionPage(
                doc_id=str(row.doc_id),
                ente=str(row.ente) if isinstance(row.ente, str) and row.ente else "",
                series=str(row.series),
                attachment=str(row.attachment) if isinstance(row.attachment, str) else "",
                year=year,
                seq=int(row.edition_seq),
                file_name=name,
                source_name=str(getattr(row, "source_name", "") or ""),
            )
        )
    return pages


def changes_anchor(pages: Sequence[EditionPage], series: str) -> str:
    """The link to what changed across the editions of ``series``, on its ente's page
    ('ente-comune-di-alfa.html#modifiche-1': the series' section, numbered as
    :func:`ente_page` numbers them)."""
    page = ente_file(series)
    same_page = dict.fromkeys(p.series for p in pages if ente_file(p.series) == page)
    return f"{page}#modifiche-{list(same_page).index(series) + 1}"


def _page(title: str, body: str, links: Sequence[tuple[str, str]] | None, when: str) -> str:
    return (
        '<!doctype html>\n<html lang="it"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + navigation(links)
        + f"<header><h1>{escape(title)}</h1>"
        f"<p class='meta'>Rapporto generato il {when} da piao.</p></header>"
        + body
        + "</body></html>\n"
    )


def _row_name(page: EditionPage) -> str:
    """The index's name of a plan: its ente, else the file name of its (only) document, so
    that documents of unknown administrations are told apart."""
    if page.ente or not page.source_name:
        return _ente_name(page)
    return f"{_ente_name(page)} ({page.source_name})"


def _ente_name(page: EditionPage) -> str:
    return page.ente or "Ente non indicato"


def totals_check(tables: Mapping[str, pd.DataFrame]) -> tuple[bool, str]:
    """(all sectors agree, Italian label) for one document's tables."""
    info = summary(tables)
    wrong = [s.code for s in info.sectors if s.totals_agree is False]
    missing = [s.code for s in info.sectors if s.totals_agree is None]
    if wrong:
        return False, f"✗ totali non coincidenti: {', '.join(wrong)}"
    if missing:
        return False, f"totale non indicato: {', '.join(missing)}"
    return True, "✓ totali coincidenti"


def index_page(pages: Sequence[EditionPage], tables: Mapping[str, pd.DataFrame], when: str) -> str:
    """``index.html``: one row per plan (administration and attachment), one column per
    edition year; each cell links to the edition's page with its objective count and the
    check of the sector totals, and from the second edition on to what changed (the ente
    page's list of the series' changes)."""
    years = sorted({p.year for p in pages if p.year is not None})
    unknown = any(p.year is None for p in pages)
    columns = [str(y) for y in years] + (["senza anno"] if unknown else [])
    rows = []
    for series in dict.fromkeys(p.series for p in pages):
        mine = [p for p in pages if p.series == series]
        cells: dict[str, list[str]] = {column: [] for column in columns}
        for page in mine:
            one = for_document(tables, page.doc_id)
            ok, check = totals_check(one)
            column = str(page.year) if page.year is not None else "senza anno"
            cells[column].append(
                f'<a href="{escape(page.file_name)}" data-doc="{escape(page.doc_id)}">'
                f"{len(one['objectives'])} obiettivi</a><br>"
                f"<span class='{'ok' if ok else 'ko'}'>{escape(check)}</span>"
                + status_mark(one)
                + (
                    f'<br><a class="modifiche" href="{changes_anchor(pages, series)}">modifiche</a>'
                    if page.seq > 1
                    else ""
                )
            )
        first = mine[0]
        rows.append(
            f'<tr data-serie="{escape(series)}"><td><a href="{ente_file(series)}">'
            f"{escape(_row_name(first))}</a></td><td>{escape(first.attachment or '—')}</td>"
            + "".join(f"<td>{'<hr>'.join(cells[c]) or '—'}</td>" for c in columns)
            + "</tr>"
        )
    enti = len({_ente_name(p) for p in pages})
    body = (
        '<section id="sintesi"><h2>Amministrazioni ed edizioni</h2>'
        f'<dl class="cards"><div><dt>Amministrazioni</dt><dd id="n-enti">{enti}</dd></div>'
        f'<div><dt>Documenti</dt><dd id="n-documenti">{len(pages)}</dd></div>'
        f'<div><dt>Edizioni (anni)</dt><dd id="n-anni">{len(years)}</dd></div></dl>'
        "<p>Un'edizione è il piano di un'amministrazione per un periodo; le colonne sono "
        "l'anno d'inizio del periodo. I conteggi non si sommano tra edizioni: ogni cella è "
        "un documento a sé (il suo rapporto si apre dal collegamento).</p>"
        '<table id="tabella-indice"><thead><tr><th>Amministrazione</th><th>Allegato</th>'
        + "".join(f"<th>{escape(c)}</th>" for c in columns)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )
    return _page("Piani estratti: amministrazioni ed edizioni", body, None, when)


def sector_series(
    pages: Sequence[EditionPage], objectives: pd.DataFrame, value: str
) -> pd.DataFrame:
    """Sectors x edition labels: sum of the weights (``value='weight'``) or number of
    objectives (``'count'``); sectors in order of first appearance, 0 where absent."""
    labels = {p.doc_id: p.label for p in pages}
    mine = objectives[objectives["doc_id"].isin(labels)].assign(
        edizione=lambda f: f["doc_id"].map(labels)
    )
    order = list(dict.fromkeys(mine["sector_code"]))
    if value == "weight":
        frame = mine.pivot_table(
            index="sector_code", columns="edizione", values="weight", aggfunc="sum"
        )
    else:
        frame = mine.pivot_table(
            index="sector_code", columns="edizione", values="objective_code", aggfunc="count"
        )
    columns = [p.label for p in pages]
    return frame.reindex(index=order, columns=columns).fillna(0).astype(int)


def _frame_table(frame: pd.DataFrame, ident: str, corner: str) -> str:
    head = "".join(f"<th class='num'>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        f"<tr data-settore='{escape(str(index))}'><td class='codice'>{escape(str(index))}</td>"
        + "".join(f"<td class='num'>{int(v)}</td>" for v in row)
        + "</tr>"
        for index, row in frame.iterrows()
    )
    totals = "".join(f"<th class='num'>{int(v)}</th>" for v in frame.sum())
    return (
        f'<table id="{ident}"><thead><tr><th>{escape(corner)}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody><tfoot><tr><th>Totale dell'edizione</th>{totals}</tr>"
        "</tfoot></table>"
    )


def _titles(objectives: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    return {
        (o.doc_id, o.sector_code, o.objective_code): str(
            o.title if isinstance(o.title, str) and o.title else (o.description or "")[:100]
        )
        for o in objectives.itertuples(index=False)
    }


def changes_by_edition(pages: Sequence[EditionPage], lineage: pd.DataFrame) -> dict[str, dict]:
    """doc_id -> change kind -> list of (sector, code) of one edition; ``removed``: the
    objectives of the previous edition whose lineage does not reach this one."""
    result: dict[str, dict] = {}
    previous: EditionPage | None = None
    for page in pages:
        mine = lineage[lineage["doc_id"] == page.doc_id]
        kinds: dict[str, list] = {kind: [] for kind in CHANGE_LABELS}
        if previous is not None:
            for row in mine.itertuples(index=False):
                if isinstance(row.change, str):
                    kinds[row.change].append((page.doc_id, row.sector_code, row.objective_code))
            before = lineage[lineage["doc_id"] == previous.doc_id]
            alive = set(mine["lineage_id"])
            kinds["removed"] = [
                (previous.doc_id, r.sector_code, r.objective_code)
                for r in before.itertuples(index=False)
                if r.lineage_id not in alive
            ]
        result[page.doc_id] = kinds
        previous = page
    return result


def ente_page(
    ente: str,
    pages: Sequence[EditionPage],
    tables: Mapping[str, pd.DataFrame],
    lineage: pd.DataFrame,
    when: str,
    changes: pd.DataFrame | None = None,
) -> str:
    """One administration: for each of its plans, the editions over the years (counts,
    totals check, objectives added / removed / renumbered / moved / modified), weights and
    objectives per sector per year (table and chart), and what was added and removed, and
    every modified objective with what changed in it (from ``changes``)."""
    sections = []
    titles = _titles(tables["objectives"])
    for number, series in enumerate(dict.fromkeys(p.series for p in pages), start=1):
        mine = [p for p in pages if p.series == series]
        by_edition = changes_by_edition(mine, lineage)
        rows = []
        for page in mine:
            one = for_document(tables, page.doc_id)
            ok, check = totals_check(one)
            kinds = by_edition[page.doc_id]
            counts = "".join(
                f"<td class='num'>{len(kinds[k]) if page.seq > 1 else '—'}</td>"
                for k in CHANGE_LABELS
            )
            rows.append(
                f'<tr data-edizione="{escape(page.label)}"><td><a href="'
                f'{escape(page.file_name)}">{escape(page.label)}</a></td>'
                f"<td class='num'>{len(one['objectives'])}</td>"
                f"<td class='num'>{int(one['objectives']['weight'].fillna(0).sum())}</td>"
                f"<td class='{'ok' if ok else 'ko'}'>{escape(check)}</td>{counts}</tr>"
            )
        weights = sector_series(mine, tables["objectives"], "weight")
        counts_frame = sector_series(mine, tables["objectives"], "count")
        lists = []
        for page in mine[1:]:
            for kind in ("added", "removed", "renumbered", "moved"):
                entries = by_edition[page.doc_id][kind]
                if not entries:
                    continue
                items = "".join(
                    f"<li><span class='codice'>{escape(s)} {escape(c)}</span> "
                    f"{escape(titles.get((d, s, c), ''))}</li>"
                    for d, s, c in entries
                )
                lists.append(
                    f"<details><summary>{CHANGE_LABELS[kind]} nell'edizione {page.label}: "
                    f"{len(entries)}</summary><ul>{items}</ul></details>"
                )
            details = modified_details(changes, page.doc_id)
            lists.append(
                modified_list(by_edition[page.doc_id]["modified"], details, titles, page.label)
            )
        sections.append(
            f'<section id="piano-{number}"><h2>Piano {escape(mine[0].attachment or "")} — '
            f"{len(mine)} edizioni</h2>"
            f'<table id="edizioni-{number}"><thead><tr><th>Edizione</th>'
            "<th class='num'>Obiettivi</th><th class='num'>Peso totale</th><th>Verifica</th>"
            + "".join(f"<th class='num'>{label}</th>" for label in CHANGE_LABELS.values())
            + "</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
            "<p class='meta'>Aggiunti, rimossi, rinumerati, spostati, modificati e invariati "
            "rispetto all'edizione precedente; gli obiettivi sono abbinati come in "
            "<code>piao diff</code> (stesso codice, oppure stesso testo sotto un altro codice o "
            "settore). Una ponderazione solo ricalcolata non rende «modificato» "
            "un obiettivo.</p>"
            "<h3>Peso per settore e anno</h3>"
            + _frame_table(weights, f"pesi-{number}", "Settore")
            + f"<figure>{series_chart(weights, f'serie-{number}')}<figcaption>Somma dei pesi "
            "degli obiettivi di ciascun settore, edizione per edizione.</figcaption></figure>"
            "<h3>Obiettivi per settore e anno</h3>"
            + _frame_table(counts_frame, f"conteggi-{number}", "Settore")
            + (
                f'<h3 id="modifiche-{number}">Cosa è cambiato</h3>'
                + ("".join(lists) or "<p>Nessuna modifica tra le edizioni.</p>")
                if len(mine) > 1
                else ""
            )
            + "</section>"
        )
    return _page(ente, "".join(sections), [("← Indice", INDEX)], when)


def site_pages(
    tables: Mapping[str, pd.DataFrame],
    editions: pd.DataFrame,
    lineage: pd.DataFrame,
    *,
    generated: dt.datetime | None = None,
    changes: pd.DataFrame | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, str]:
    """file name -> HTML of every page: the index, one page per administration, one per
    document (with links back). ``progress(file name, pages in all)`` is called as each
    page is rendered (a site of a hundred documents takes minutes)."""
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%d/%m/%Y %H:%M UTC")
    pages = edition_pages(editions)
    by_ente: dict[str, list[EditionPage]] = {}
    for page in pages:
        by_ente.setdefault(ente_file(page.series), []).append(page)
    total = 1 + len(by_ente) + len(pages)
    step = progress or (lambda _name, _total: None)
    step(INDEX, total)
    site = {INDEX: index_page(pages, tables, when)}
    for file_name, mine in by_ente.items():
        step(file_name, total)
        site[file_name] = ente_page(_ente_name(mine[0]), mine, tables, lineage, when, changes)
    for page in pages:
        step(page.file_name, total)
        links = [("← Indice", INDEX), (_ente_name(page), ente_file(page.series))]
        site[page.file_name] = render_html(
            for_document(tables, page.doc_id), generated=generated, links=links
        )
    return site
