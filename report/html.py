"""One self-contained HTML page per document: no network needed to open it (charts are inline
SVG, the search box is a few lines of inline JavaScript). Labels in Italian."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape

import pandas as pd

from report.charts import SEVERITY_IT, SEVERITY_ORDER, deadline_chart, quality_chart, weight_chart
from report.data import deadlines, sector_order
from report.summary import Summary, summary

STYLE = """
:root { --fg: #1c2833; --muted: #5d6d7e; --line: #d5d8dc; --bg: #f8f9f9; --accent: #1f618d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid var(--accent); }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; padding: 0; }
.cards div { background: var(--bg); border: 1px solid var(--line); border-radius: 6px;
             padding: .5rem 1rem; min-width: 8rem; }
.cards dt { color: var(--muted); font-size: .8rem; }
.cards dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1e8449; } .ko { color: #c0392b; font-weight: 600; }
.sev-error { color: #c0392b; font-weight: 600; } .sev-warning { color: #b9770e; }
.sev-info { color: #2e86c1; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; }
#cerca { font-size: 1rem; padding: .4rem .6rem; width: min(30rem, 100%); }
#conteggio { color: var(--muted); margin: .3rem 0; }
.voci { margin: 0; padding-left: 0; list-style: none; }
.voci li { margin-bottom: .3rem; } .voci b { color: var(--accent); }
.voci .dubbia { background: #fdebd0; }
.codice { white-space: nowrap; font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); }
.badge { background: #fdebd0; border-radius: 4px; padding: 0 .3rem; font-size: .8rem;
         white-space: nowrap; }
.scadenze { white-space: nowrap; }
"""

SCRIPT = """
(function () {
  var input = document.getElementById('cerca');
  var rows = Array.prototype.slice.call(
    document.querySelectorAll('#tabella-obiettivi tbody tr'));
  var count = document.getElementById('conteggio');
  function norm(s) {
    return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();
  }
  var texts = rows.map(function (r) { return norm(r.textContent); });
  function apply() {
    var terms = norm(input.value).split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (r, i) {
      var ok = terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
      r.hidden = !ok; if (ok) { shown += 1; }
    });
    count.textContent = shown + ' obiettivi su ' + rows.length;
  }
  input.addEventListener('input', function () {
    apply();
    history.replaceState(null, '', input.value ? '#cerca=' + encodeURIComponent(input.value)
                                               : location.pathname);
  });
  function fromHash() {
    var m = /^#cerca=(.*)$/.exec(location.hash);
    if (m) { input.value = decodeURIComponent(m[1]); apply(); }
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""


def _e(value: object) -> str:
    """Escaped text; empty for None / NaN."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return ""
    return escape(str(value))


def _date(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def _number(value: float, decimals: int = 2) -> str:
    """Italian number format: 26,32."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _glance(info: Summary) -> str:
    errors = info.findings_by_severity.get("error", 0)
    cards = [
        ("Settori", len(info.sectors), "n-settori"),
        ("Obiettivi", info.objectives, "n-obiettivi"),
        ("Peso totale", info.weight_total, "n-peso"),
        ("Sotto-voci", info.items, "n-voci"),
        ("Date trovate", info.dates, "n-date"),
        (f"Rilievi ({errors} errori)", info.findings, "n-rilievi"),
    ]
    card_html = "".join(
        f'<div><dt>{escape(label)}</dt><dd id="{ident}">{value}</dd></div>'
        for label, value, ident in cards
    )
    rows = []
    for sector in info.sectors:
        if sector.totals_agree is None:
            check = '<span class="ko">totale non indicato</span>'
        elif sector.totals_agree:
            check = '<span class="ok">✓ coincide</span>'
        else:
            check = '<span class="ko">✗ non coincide</span>'
        declared = "" if sector.declared_total is None else sector.declared_total
        rows.append(
            f'<tr data-settore="{escape(sector.code)}"><td class="codice">{escape(sector.code)}'
            f"</td><td>{escape(sector.name)}</td><td class='num'>{sector.objectives}</td>"
            f"<td class='num'>{sector.weight_total}</td><td class='num'>{declared}</td>"
            f"<td>{check}</td></tr>"
        )
    declared_sum = sum(s.declared_total or 0 for s in info.sectors)
    return (
        '<section id="sintesi"><h2>Il piano in sintesi</h2>'
        f'<dl class="cards">{card_html}</dl>'
        '<table id="tabella-settori"><thead><tr><th>Settore</th><th>Denominazione</th>'
        "<th class='num'>Obiettivi</th><th class='num'>Peso totale</th>"
        "<th class='num'>Totale dichiarato</th><th>Verifica</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody><tfoot><tr><th>Totale</th><th></th><th class='num'>{info.objectives}</th>"
        f"<th class='num'>{info.weight_total}</th><th class='num'>{declared_sum}</th><th></th>"
        "</tr></tfoot></table>"
        f"<p class='meta'>Sotto-voci letterate: {info.lettered_items} · sotto-voci non allineate:"
        f" {info.misaligned_items} · date non valide: {info.invalid_dates}</p></section>"
    )


def _charts(tables: Mapping[str, pd.DataFrame], sectors: list[str]) -> str:
    figures = [
        (
            weight_chart(tables["objectives"], sectors),
            "Somma dei pesi degli obiettivi di ciascun settore, suddivisa per missione di "
            "bilancio (dal codice dell'obiettivo).",
        ),
        (
            deadline_chart(deadlines(tables["dates"]), sectors),
            "Date lette nelle celle Tempi di realizzazione, per mese di scadenza "
            "(periodi e anni contano alla loro fine).",
        ),
        (quality_chart(tables["quality"]), "Rilievi di qualità per regola e gravità."),
    ]
    return (
        '<section id="grafici"><h2>Grafici</h2>'
        + "".join(
            f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"
            for svg, caption in figures
        )
        + "</section>"
    )


def _items_html(items: pd.DataFrame) -> str:
    if items.empty:
        return ""
    entries = []
    for item in items.itertuples(index=False):
        letter = f"{_e(item.item)})" if _e(item.item) else ""
        code = _e(item.item_code)
        label = f"{code} {letter}".strip()
        parts = [
            f"<b>{name}:</b> {_e(value)}"
            for name, value in (
                ("Indicatore", item.indicator),
                ("Valore", item.target),
                ("Tempi", item.deadline),
            )
            if _e(value)
        ]
        css = "" if item.aligned else ' class="dubbia" title="abbinamento dubbio"'
        warn = " ⚠" if not item.aligned else ""
        entries.append(
            f"<li{css}><span class='codice'>{label}{warn}</span> {' · '.join(parts)}</li>"
        )
    return '<ul class="voci">' + "".join(entries) + "</ul>"


def _objectives(tables: Mapping[str, pd.DataFrame], sectors: list[str]) -> str:
    objectives = tables["objectives"].copy()
    objectives["_order"] = objectives["sector_code"].map({s: i for i, s in enumerate(sectors)})
    objectives = objectives.sort_values(["_order", "row_number"], kind="stable")
    items = tables["items"].sort_values("item_seq")
    due = deadlines(tables["dates"])
    quality = tables["quality"]
    items_by = {key: frame for key, frame in items.groupby(["sector_code", "objective_code"])}
    due_by = {key: frame for key, frame in due.groupby(["sector_code", "objective_code"])}
    findings_by = quality.groupby(["sector_code", "objective_code"]).size().to_dict()
    rows = []
    for objective in objectives.itertuples(index=False):
        key = (objective.sector_code, objective.objective_code)
        mission = (
            f"M {int(objective.mission_code):02d} {_e(objective.mission_name)}"
            if not pd.isna(objective.mission_code)
            else ""
        )
        description = _e(objective.description).replace("\n", "<br>")
        heading = _e(objective.title) or _e(objective.description)[:120]
        pct = "" if pd.isna(objective.weighting_pct) else _number(objective.weighting_pct) + " %"
        if objective.weighting_pct_derived:
            pct += " <span class='badge' title='ponderazione ricavata'>ricavata</span>"
        dates = due_by.get(key)
        due_html = (
            "<br>".join(dict.fromkeys(_date(d) for d in dates["date"])) if dates is not None else ""
        )
        findings = findings_by.get(key, 0)
        noun = "rilievo" if findings == 1 else "rilievi"
        badge = f" <a class='badge' href='#qualita'>⚠ {findings} {noun}</a>" if findings else ""
        sub_items = items_by.get(key)
        rows.append(
            f'<tr data-settore="{_e(objective.sector_code)}" '
            f'data-obiettivo="{_e(objective.objective_code)}">'
            f"<td class='codice'>{_e(objective.sector_code)}</td>"
            f"<td class='codice'>{_e(objective.objective_code)}{badge}</td>"
            f"<td>{mission}</td>"
            f"<td><strong>{heading}</strong><details><summary>testo completo</summary>"
            f"{description}<br><em>Tempi:</em> {_e(objective.realization_period)}"
            f"<br><em>Responsabile:</em> {_e(objective.responsible)}</details></td>"
            f"<td class='num'>{_e(objective.weight)}</td><td class='num'>{pct}</td>"
            f"<td>{_items_html(sub_items) if sub_items is not None else ''}</td>"
            f"<td class='scadenze'>{due_html}</td></tr>"
        )
    total = len(objectives)
    return (
        '<section id="obiettivi"><h2>Obiettivi</h2>'
        '<label for="cerca">Cerca (codice, settore, parole del testo): </label>'
        '<input type="search" id="cerca" placeholder="es. biblioteca, TEC 9.3, 2024" '
        'autocomplete="off">'
        f'<p id="conteggio">{total} obiettivi su {total}</p>'
        '<table id="tabella-obiettivi"><thead><tr><th>Settore</th><th>Codice</th>'
        "<th>Missione</th><th>Obiettivo</th><th class='num'>Peso</th>"
        "<th class='num'>Ponderazione</th><th>Sotto-voci (indicatore · valore · tempi)</th>"
        "<th>Scadenze</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _quality(quality: pd.DataFrame) -> str:
    rank = {severity: i for i, severity in enumerate(SEVERITY_ORDER)}
    ordered = quality.assign(_rank=quality["severity"].map(rank)).sort_values(
        ["_rank", "rule", "page", "line"], kind="stable"
    )
    counts = quality["severity"].value_counts()
    totals = ", ".join(
        f"{int(counts[s])} {SEVERITY_IT.get(s, s)}" for s in SEVERITY_ORDER if s in counts
    )
    rows = "".join(
        f"<tr class='sev-{_e(f.severity)}'><td>{_e(SEVERITY_IT.get(f.severity, f.severity))}</td>"
        f"<td><code>{_e(f.rule)}</code></td><td>{_e(f.sector_code)}</td>"
        f"<td class='codice'>{_e(f.objective_code)}</td><td>{_e(f.location)}</td>"
        f"<td>{_e(f.message)}</td></tr>"
        for f in ordered.itertuples(index=False)
    )
    return (
        '<section id="qualita"><h2>Rilievi di qualità</h2>'
        f"<p>{len(quality)} rilievi{': ' + totals if totals else ''}. Ogni riparazione o "
        "dubbio dell'estrazione è registrato con la sua posizione nel documento.</p>"
        '<table id="tabella-rilievi"><thead><tr><th>Gravità</th><th>Regola</th>'
        "<th>Settore</th><th>Obiettivo</th><th>Posizione</th><th>Descrizione</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def render_html(tables: Mapping[str, pd.DataFrame], *, generated: dt.datetime | None = None) -> str:
    """The page of ONE document's tables (see :func:`report.data.for_document`)."""
    info = summary(tables)
    sectors = sector_order(tables)
    period = (
        f"{_date(info.period_start)} – {_date(info.period_end)}"
        if info.period_start and info.period_end
        else ""
    )
    meta = " · ".join(
        part
        for part in (
            escape(info.ente),
            f"periodo {period}" if period else "",
            f"fonte <code>{escape(info.source_name)}</code>",
            f"{info.page_count} pagine" if info.page_count else "",
            f"doc_id <code>{escape(info.doc_id)}</code>",
        )
        if part
    )
    when = (generated or dt.datetime.now(dt.UTC)).strftime("%d/%m/%Y %H:%M UTC")
    title = info.title or "Piano"
    return (
        '<!doctype html>\n<html lang="it"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} – {escape(info.source_name)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p class='meta'>{meta}</p>"
        f"<p class='meta'>Rapporto generato il {when} da piao.</p></header>"
        + _glance(info)
        + _charts(tables, sectors)
        + _objectives(tables, sectors)
        + _quality(tables["quality"])
        + f"<script>{SCRIPT}</script></body></html>\n"
    )
