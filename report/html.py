"""One self-contained HTML page per document: no network needed to open it (charts are inline
SVG, the search box is a few lines of inline JavaScript). Labels in Italian."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd

from report.charts import SEVERITY_IT, SEVERITY_ORDER, deadline_chart, quality_chart, weight_chart
from report.data import deadlines, sector_order
from report.status import status_section
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
nav.percorso { font-size: .85rem; margin: .3rem 0; } nav.percorso a { margin-right: .8rem; }
.filtri { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: center;
          margin: .5rem 0; }
.filtri select { font-size: .95rem; padding: .25rem; }
th[data-ordina] { cursor: pointer; white-space: nowrap; }
th[data-ordina]::after { content: " ↕"; color: var(--muted); font-size: .8em; }
th[aria-sort="ascending"]::after { content: " ↑"; color: var(--fg); }
th[aria-sort="descending"]::after { content: " ↓"; color: var(--fg); }
details.settore { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0;
                  padding: .3rem .8rem; }
details.settore > summary { color: var(--fg); font-weight: 600; padding: .2rem 0; }
details.settore ul { margin: .3rem 0 .5rem; padding-left: 1.2rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filtri, #cerca, label[for="cerca"], #conteggio, nav.percorso { display: none; }
  th { position: static; }
  tr[hidden] { display: table-row; }
  tr, li, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  details > summary { list-style: none; }
  a { color: inherit; text-decoration: none; }
  .ok, .ko, .sev-error, .sev-warning, .sev-info { color: #000; }
}
"""

SCRIPT = """
(function () {
  var table = document.getElementById('tabella-obiettivi');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var input = document.getElementById('cerca');
  var sector = document.getElementById('filtro-settore');
  var due = document.getElementById('filtro-scadenza');
  var count = document.getElementById('conteggio');
  var headers = Array.prototype.slice.call(table.querySelectorAll('th[data-ordina]'));
  var order = '';
  function norm(s) {
    return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();
  }
  var texts = rows.map(function (r) { return norm(r.textContent); });
  rows.forEach(function (r, i) { r.dataset.posizione = i; });
  function apply() {
    var terms = norm(input.value).split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (r, i) {
      var ok = terms.every(function (t) { return texts[i].indexOf(t) >= 0; }) &&
        (!sector.value || r.dataset.settore === sector.value) &&
        (!due.value || (' ' + r.dataset.periodi + ' ').indexOf(' ' + due.value + ' ') >= 0);
      r.hidden = !ok; if (ok) { shown += 1; }
    });
    count.textContent = shown + ' obiettivi su ' + rows.length;
  }
  function key(r, name) {
    var v = r.dataset['ordine' + name.charAt(0).toUpperCase() + name.slice(1)] || '';
    return v === '' ? null : (isNaN(Number(v)) ? v : Number(v));
  }
  function sort() {
    var parts = order.split('-'), name = parts[0], down = parts[1] === 'desc';
    var sorted = rows.slice();
    if (name) {
      sorted.sort(function (a, b) {
        var x = key(a, name), y = key(b, name);
        if (x === y) { return a.dataset.posizione - b.dataset.posizione; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return (x < y ? -1 : 1) * (down ? -1 : 1);
      });
    }
    sorted.forEach(function (r) { body.appendChild(r); });
    headers.forEach(function (th) {
      if (th.dataset.ordina === name) {
        th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
      } else { th.removeAttribute('aria-sort'); }
    });
  }
  function state() {
    var parts = [];
    if (input.value) { parts.push('cerca=' + encodeURIComponent(input.value)); }
    if (sector.value) { parts.push('settore=' + encodeURIComponent(sector.value)); }
    if (due.value) { parts.push('scadenza=' + encodeURIComponent(due.value)); }
    if (order) { parts.push('ordina=' + encodeURIComponent(order)); }
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname);
  }
  function changed() { apply(); state(); }
  input.addEventListener('input', changed);
  sector.addEventListener('change', changed);
  due.addEventListener('change', changed);
  headers.forEach(function (th) {
    th.addEventListener('click', function () {
      var name = th.dataset.ordina;
      order = order === name + '-asc' ? name + '-desc' : name + '-asc';
      sort(); state();
    });
  });
  function pick(select, value) {
    var known = Array.prototype.some.call(select.options, function (o) {
      return o.value === value;
    });
    select.value = known ? value : '';
  }
  function fromHash() {
    var values = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var at = part.indexOf('=');
      if (at > 0) { values[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1)); }
    });
    input.value = values.cerca || '';
    pick(sector, values.settore || '');
    pick(due, values.scadenza || '');
    order = /^[a-z]+-(asc|desc)$/.test(values.ordina || '') ? values.ordina : '';
    sort(); apply();
  }
  window.addEventListener('hashchange', fromHash);
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) {
      d.open = true;
    });
  });
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
                (_baseline_label(item), getattr(item, "baseline", None)),
                ("Valore", item.target),
                ("Tempi", item.deadline),
                ("Fonte", getattr(item, "source", None)),
            )
            if _e(value)
        ]
        css = "" if item.aligned else ' class="dubbia" title="abbinamento dubbio"'
        warn = " ⚠" if not item.aligned else ""
        entries.append(
            f"<li{css}><span class='codice'>{label}{warn}</span> {' · '.join(parts)}</li>"
        )
    return '<ul class="voci">' + "".join(entries) + "</ul>"


def _baseline_label(item: object) -> str:
    """'Baseline', with its year when the heading named one ('Baseline 2024')."""
    year = getattr(item, "baseline_year", None)
    return "Baseline" if year is None or pd.isna(year) else f"Baseline {int(year)}"


def code_sort_key(code: object) -> str:
    """An objective code as text that sorts naturally ('1.10.2' after '1.9.1')."""
    parts = [part for part in str(code or "").split(".") if part]
    return ".".join(part.zfill(4) if part.isdigit() else part for part in parts)


def deadline_periods(dates: pd.Series) -> list[str]:
    """The years and quarters ('2023', '2023-T4') the deadlines fall in, sorted."""
    periods = set()
    for value in dates:
        when = pd.Timestamp(value)
        periods.add(str(when.year))
        periods.add(f"{when.year}-T{(when.month - 1) // 3 + 1}")
    return sorted(periods)


def _period_label(period: str) -> str:
    """'2023' -> 'anno 2023'; '2023-T4' -> '4° trimestre 2023'."""
    if "-T" in period:
        year, quarter = period.split("-T")
        return f"{quarter}° trimestre {year}"
    return f"anno {period}"


def _filters(sectors: list[str], periods: list[str]) -> str:
    sector_options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in sectors)
    period_options = "".join(
        f'<option value="{escape(p)}">{escape(_period_label(p))}</option>' for p in periods
    )
    return (
        '<div class="filtri">'
        '<span><label for="cerca">Cerca (codice, settore, parole del testo): </label>'
        '<input type="search" id="cerca" placeholder="es. biblioteca, TEC 9.3, 2024" '
        'autocomplete="off"></span>'
        '<span><label for="filtro-settore">Settore: </label><select id="filtro-settore">'
        f'<option value="">tutti</option>{sector_options}</select></span>'
        '<span><label for="filtro-scadenza">Scadenza: </label><select id="filtro-scadenza">'
        f'<option value="">qualsiasi</option>{period_options}</select></span>'
        "</div>"
    )


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
        periods = " ".join(deadline_periods(dates["date"])) if dates is not None else ""
        first_due = (
            pd.Timestamp(dates["date"].min()).strftime("%Y%m%d") if dates is not None else ""
        )
        weight = "" if pd.isna(objective.weight) else int(objective.weight)
        pct_key = "" if pd.isna(objective.weighting_pct) else objective.weighting_pct
        findings = findings_by.get(key, 0)
        noun = "rilievo" if findings == 1 else "rilievi"
        badge = f" <a class='badge' href='#qualita'>⚠ {findings} {noun}</a>" if findings else ""
        sub_items = items_by.get(key)
        rows.append(
            f'<tr data-settore="{_e(objective.sector_code)}" '
            f'data-obiettivo="{_e(objective.objective_code)}" data-periodi="{periods}" '
            f'data-ordine-settore="{sectors.index(objective.sector_code):03d}" '
            f'data-ordine-codice="{_e(code_sort_key(objective.objective_code))}" '
            f'data-ordine-peso="{weight}" data-ordine-ponderazione="{pct_key}" '
            f'data-ordine-scadenza="{first_due}">'
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
    periods = deadline_periods(due["date"]) if not due.empty else []
    return (
        '<section id="obiettivi"><h2>Obiettivi</h2>'
        + _filters(sectors, periods)
        + f'<p id="conteggio">{total} obiettivi su {total}</p>'
        '<p class="meta">Clic su un titolo di colonna con ↕ per ordinare; filtri e ordine '
        "restano nell'indirizzo della pagina, da condividere.</p>"
        '<table id="tabella-obiettivi"><thead><tr><th data-ordina="settore">Settore</th>'
        '<th data-ordina="codice">Codice</th>'
        "<th>Missione</th><th>Obiettivo</th><th class='num' data-ordina='peso'>Peso</th>"
        "<th class='num' data-ordina='ponderazione'>Ponderazione</th>"
        "<th>Sotto-voci (indicatore · valore · tempi)</th>"
        "<th data-ordina='scadenza'>Scadenze</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _sector_sections(tables: Mapping[str, pd.DataFrame], info: Summary) -> str:
    """One folding section per sector: its totals, weight by mission and objectives."""
    objectives = tables["objectives"].sort_values("row_number", kind="stable")
    due = deadlines(tables["dates"])
    last_due = due.groupby(["sector_code", "objective_code"])["date"].max().to_dict()
    parts = []
    for sector in info.sectors:
        mine = objectives[objectives["sector_code"] == sector.code]
        by_mission = (
            mine.assign(m=mine["mission_code"].fillna(0).astype(int))
            .groupby("m")["weight"]
            .sum()
            .to_dict()
        )
        missions = ", ".join(
            f"M {m:02d}: {int(w)}" if m else f"senza missione: {int(w)}"
            for m, w in by_mission.items()
        )
        if sector.totals_agree is None:
            check = "totale non indicato"
        else:
            check = "coincide" if sector.totals_agree else "non coincide"
        entries = "".join(
            f"<li><span class='codice'>{_e(o.objective_code)}</span> "
            f"{_e(o.title) or _e(o.description)[:100]} — peso {_e(o.weight)}"
            + (
                f", ultima scadenza {_date(last_due[(sector.code, o.objective_code)])}"
                if (sector.code, o.objective_code) in last_due
                else ""
            )
            + "</li>"
            for o in mine.itertuples(index=False)
        )
        parts.append(
            f'<details class="settore" id="settore-{_e(sector.code)}">'
            f"<summary>{_e(sector.code)} — {_e(sector.name)}: {sector.objectives} obiettivi, "
            f"peso {sector.weight_total} (totale dichiarato: "
            f"{'—' if sector.declared_total is None else sector.declared_total}, {check})"
            f"</summary><p class='meta'>Peso per missione: {missions or '—'}</p>"
            f"<ul>{entries}</ul></details>"
        )
    return (
        '<section id="settori"><h2>Settori</h2><p class="meta">Un riquadro per settore: '
        "clic per aprirlo.</p>" + "".join(parts) + "</section>"
    )


def location_it(location: object) -> str:
    """A finding's location in Italian: 'p. 9, line 104, row 5, col 10 (weighting_pct)' ->
    'p. 9, riga 104 del testo, riga 5 della tabella, col. 10 (weighting_pct)'."""
    text = _e(location) and str(location)
    text = re.sub(r"\bline (\d+)", r"riga \1 del testo", text)
    text = re.sub(r"\brow (\d+)", r"riga \1 della tabella", text)
    return re.sub(r"\bcol (\d+)", r"col. \1", text)


def _message_it(finding: object) -> str:
    """The Italian message (``quality.message_it``); the English one for rows written
    before that column existed."""
    italian = getattr(finding, "message_it", None)
    return str(italian) if _e(italian) else str(getattr(finding, "message", "") or "")


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
        f"<td class='codice'>{_e(f.objective_code)}</td><td>{_e(location_it(f.location))}</td>"
        f"<td title='{_e(f.message)}'>{_e(_message_it(f))}</td></tr>"
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


def navigation(links: Sequence[tuple[str, str]] | None) -> str:
    """Links to the other pages of a report folder (index, the administration's page)."""
    if not links:
        return ""
    return (
        '<nav class="percorso">'
        + "".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in links)
        + "</nav>"
    )


def render_html(
    tables: Mapping[str, pd.DataFrame],
    *,
    generated: dt.datetime | None = None,
    links: Sequence[tuple[str, str]] | None = None,
) -> str:
    """The page of ONE document's tables (see :func:`report.data.for_document`); ``links``
    (label, href) lead to the other pages of a report folder."""
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
        + navigation(links)
        + f"<header><h1>{escape(title)}</h1><p class='meta'>{meta}</p>"
        f"<p class='meta'>Rapporto generato il {when} da piao.</p></header>"
        + status_section(tables)
        + _glance(info)
        + _sector_sections(tables, info)
        + _charts(tables, sectors)
        + _objectives(tables, sectors)
        + _quality(tables["quality"])
        + f"<script>{SCRIPT}</script></body></html>\n"
    )
