"""The comparison for people: a terminal summary, and a Markdown / HTML report in Italian
(its readers are evaluation bodies, councillors, journalists).

A report is built once as blocks (headings, paragraphs, tables) and rendered to either
format, so both always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from collections.abc import Sequence

Record = dict[str, object]
Block = tuple  # ("h1" | "h2" | "h3" | "p", text) or ("table", headers, rows)
REPORT_FORMATS = ("markdown", "html")
KINDS = ("added", "removed", "renumbered", "moved", "modified", "recomputed")
"""Change kinds counted per objective; ``recomputed``: objectives whose only change is a
ponderazione recomputed because the weights moved (counted apart from ``modified``)."""
KIND_LABELS = {
    "added": "Aggiunti",
    "removed": "Rimossi",
    "renumbered": "Rinumerati",
    "moved": "Spostati",
    "modified": "Modificati",
    "recomputed": "Solo ponderazione ricalcolata",
}
FIELD_LABELS = {
    "title": "Titolo",
    "description": "Descrizione",
    "weight": "Peso",
    "weighting_pct": "Ponderazione (%)",
    "realization_period": "Tempi di realizzazione",
    "assessore": "Assessore di riferimento",
    "responsible": "Settore di riferimento e coordinatore",
    "indicator": "Indicatore di risultato",
    "target": "Valore indicatore",
    "deadline": "Tempi di realizzazione",
    "objective": "Testo dell'obiettivo",
    "period": "Tempi di realizzazione",
}
ACTION_LABELS = {"changed": "modificato", "added": "aggiunto", "removed": "rimosso"}
ITEM_ACTION_LABELS = {"added": "Sotto-voce aggiunta", "removed": "Sotto-voce rimossa"}


def substantive(row: Record) -> bool:
    """False for a ponderazione recomputed only because the weights moved."""
    return not row.get("recomputed")


def objective_keys(rows: Sequence[Record], kind: str) -> list[tuple[str, str]]:
    """Distinct (sector, code) of the objectives with a change of this kind, in order:
    ``modified`` counts substantive changes only, ``recomputed`` the objectives whose only
    change is a recomputed ponderazione."""

    def key(row: Record) -> tuple[str, str]:
        return str(row["sector_code"]), str(row["objective_code"])

    if kind in ("modified", "recomputed"):
        touched = [r for r in rows if r["change"] == "modified"]
        real = {key(r) for r in touched if substantive(r)}
        if kind == "modified":
            return list(dict.fromkeys(key(r) for r in touched if key(r) in real))
        return list(dict.fromkeys(key(r) for r in touched if key(r) not in real))
    return list(dict.fromkeys(key(r) for r in rows if r["change"] == kind))


def counts_by_sector(rows: Sequence[Record]) -> dict[str, dict[str, int]]:
    """sector -> change kind -> number of objectives (a sector only if it has changes)."""
    counts: dict[str, dict[str, int]] = {
        str(sector): dict.fromkeys(KINDS, 0)
        for sector in dict.fromkeys(row["sector_code"] for row in rows)
    }
    for kind in KINDS:
        for sector, _code in objective_keys(rows, kind):
            counts[sector][kind] += 1
    return dict(counts)


def summary_lines(rows: Sequence[Record], old_label: str, new_label: str) -> list[str]:
    """A short plain-text summary for the terminal."""
    lines = [f"{old_label} -> {new_label}"]
    if not rows:
        return [*lines, "no changes"]
    totals = {kind: len(objective_keys(rows, kind)) for kind in KINDS}
    lines.append(
        "objectives: "
        + ", ".join(f"{kind} {n}" for kind, n in totals.items())
        + f" ({len(rows)} rows)"
    )
    for sector, counts in counts_by_sector(rows).items():
        lines.append(f"  {sector}: " + ", ".join(f"{k} {n}" for k, n in counts.items() if n))
    fields = Counter(
        f"{row['level']} {row['field'] or ''} {row['action']}".replace("  ", " ")
        + ("" if substantive(row) else " (recomputed)")
        for row in rows
        if row["change"] == "modified"
    )
    if fields:
        lines.append("modified: " + ", ".join(f"{what} {n}" for what, n in fields.items()))
    for row in rows:
        kind = row["change"]
        if kind == "modified":
            continue
        where = f"{row['sector_code']} {row['objective_code']}"
        if kind in ("renumbered", "moved"):
            where = f"{row['old_sector_code']} {row['old_objective_code']} -> {where}"
            where += f" (score {row['match_score']:.0f})" if row.get("match_score") else ""
        lines.append(f"  {kind:<10} {where}: {row.get('objective_title') or ''}")
    return lines


# -- building the report ---------------------------------------------------------------------


def _date(value: object) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else ""


def _shift(days: object) -> str:
    if not isinstance(days, int):
        return ""
    if days > 0:
        return f"posticipata di {days} giorni"
    if days < 0:
        return f"anticipata di {-days} giorni"
    return "stessa data"


def _item(row: Record) -> str:
    if not row.get("item"):
        return ""
    code = row.get("item_code")
    prefix = f"{code} " if code and code != row["objective_code"] else ""
    return f"{prefix}{row['item']})"


def _objective(row: Record) -> str:
    return f"{row['objective_code']} {row.get('objective_title') or ''}".strip()


def _number(value: object) -> str:
    """A number the Italian way (decimal comma)."""
    return "—" if value is None else str(value).replace(".", ",")


def decimals(value: object) -> int:
    """Decimals a number is written with ('9.3' -> 1, '26.3158' -> 4, '5' -> 0)."""
    text = "" if value is None else str(value)
    return len(text.split(".")[1]) if "." in text else 0


def number_pair(old: object, new: object) -> str:
    """'9,3000 → 23,8095': both sides with the same decimals (the larger of the two), the
    Italian way; '—' for no value."""
    places = max(decimals(old), decimals(new))

    def shown(value: object) -> str:
        if value is None:
            return "—"
        try:
            return f"{float(str(value)):.{places}f}".replace(".", ",")
        except ValueError:
            return _number(value)

    return f"{shown(old)} → {shown(new)}"


def _value(value: object) -> str:
    return "—" if value is None else str(value)


def objective_list(rows: Sequence[Record], change: str, heading: str) -> list[Block]:
    """Heading and table of the objectives with one change kind (none when there are none)."""
    chosen = [r for r in rows if r["change"] == change]
    if not chosen:
        return []
    table = [
        [r["sector_code"], r["objective_code"], r.get("objective_title") or ""] for r in chosen
    ]
    return [("h2", heading), ("table", ["Settore", "Codice", "Obiettivo"], table)]


def report_blocks(rows: Sequence[Record], old_label: str, new_label: str) -> list[Block]:
    """The report as blocks: summary by change kind and sector, then the details."""
    blocks: list[Block] = [
        ("h1", f"Confronto tra due edizioni: {old_label} → {new_label}"),
        ("p", f"Edizione precedente: {old_label}. Nuova edizione: {new_label}."),
        (
            "p",
            "Differenze solo formali (spazi, a capo, grassetti, maiuscole/minuscole) non "
            "sono considerate modifiche. Un obiettivo rinumerato o spostato in un altro "
            "settore è riconosciuto dal testo (somiglianza 0-100) ed è una sola modifica.",
        ),
    ]
    if not rows:
        return [*blocks, ("p", "Nessuna differenza tra le due edizioni.")]
    counts = counts_by_sector(rows)
    blocks.append(("h2", "Riepilogo (numero di obiettivi)"))
    table_rows = [[sector] + [str(c[kind]) for kind in KINDS] for sector, c in counts.items()]
    table_rows.append(["Totale"] + [str(sum(c[kind] for c in counts.values())) for kind in KINDS])
    blocks.append(("table", ["Settore"] + [KIND_LABELS[kind] for kind in KINDS], table_rows))

    blocks.extend(objective_list(rows, "added", "Obiettivi aggiunti"))
    blocks.extend(objective_list(rows, "removed", "Obiettivi rimossi"))
    renumbered = [r for r in rows if r["change"] == "renumbered"]
    if renumbered:
        blocks.append(("h2", "Obiettivi rinumerati"))
        blocks.append(
            (
                "table",
                ["Settore", "Codice precedente", "Nuovo codice", "Obiettivo", "Somiglianza"],
                [
                    [
                        r["sector_code"],
                        r["old_objective_code"],
                        r["objective_code"],
                        r.get("objective_title") or "",
                        f"{r['match_score']:.0f}" if r.get("match_score") is not None else "",
                    ]
                    for r in renumbered
                ],
            )
        )
    moved = [r for r in rows if r["change"] == "moved"]
    if moved:
        blocks.append(("h2", "Obiettivi spostati in un altro settore"))
        blocks.append(
            (
                "table",
                ["Settore precedente", "Nuovo settore", "Codice", "Obiettivo", "Somiglianza"],
                [
                    [
                        r["old_sector_code"],
                        r["sector_code"],
                        r["objective_code"]
                        if r["objective_code"] == r["old_objective_code"]
                        else f"{r['old_objective_code']} → {r['objective_code']}",
                        r.get("objective_title") or "",
                        f"{r['match_score']:.0f}" if r.get("match_score") is not None else "",
                    ]
                    for r in moved
                ],
            )
        )
    modified = [r for r in rows if r["change"] == "modified"]
    weights = [r for r in modified if r["field"] in ("weight", "weighting_pct")]
    weight_blocks: list[Block] = []
    if weights:
        recomputed = sum(1 for r in weights if not substantive(r))
        by_objective: dict[tuple, dict[str, Record]] = defaultdict(dict)
        for r in weights:
            by_objective[(r["sector_code"], r["objective_code"], r.get("objective_title"))][
                str(r["field"])
            ] = r
        table_rows = []
        for (sector, code, title), fields in by_objective.items():
            if not any(substantive(r) for r in fields.values()):
                continue  # only recomputed: folded into one line per sector below
            cells = [sector, f"{code} {title or ''}".strip()]
            for name in ("weight", "weighting_pct"):
                r = fields.get(name)
                cells.append(number_pair(r["old_value"], r["new_value"]) if r else "invariato")
            pct = fields.get("weighting_pct")
            cells.append("ricalcolata" if pct and not substantive(pct) else "")
            table_rows.append(cells)
        if table_rows:
            weight_blocks.append(("h2", "Pesi e ponderazioni"))
            weight_blocks.append(
                (
                    "table",
                    ["Settore", "Obiettivo", "Peso", "Ponderazione (%)", "Nota"],
                    table_rows,
                )
            )
        if recomputed:
            weight_blocks.extend(recomputed_blocks(weights, recomputed))
    dates = [r for r in modified if r["level"] == "date"]
    if dates:
        blocks.append(("h2", "Date e scadenze cambiate"))
        blocks.append(
            (
                "table",
                ["Settore", "Obiettivo", "Sotto-voce", "Dove", "Prima", "Dopo", "Variazione"],
                [
                    [
                        r["sector_code"],
                        _objective(r),
                        _item(r),
                        FIELD_LABELS.get(str(r["field"]), str(r["field"])),
                        f"{_value(r['old_value'])} ({_date(r['old_date'])})"
                        if r["old_value"]
                        else "—",
                        f"{_value(r['new_value'])} ({_date(r['new_date'])})"
                        if r["new_value"]
                        else "—",
                        _shift(r.get("shift_days")) or ACTION_LABELS.get(str(r["action"]), ""),
                    ]
                    for r in dates
                ],
            )
        )
    texts = [r for r in modified if r not in weights and r not in dates]
    if texts:
        blocks.append(("h2", "Altre modifiche"))
        table_rows = []
        for r in texts:
            what = (
                ITEM_ACTION_LABELS[str(r["action"])]
                if r["field"] is None
                else f"{FIELD_LABELS.get(str(r['field']), str(r['field']))}"
                + ("" if r["action"] == "changed" else f" ({ACTION_LABELS[str(r['action'])]})")
            )
            table_rows.append(
                [
                    r["sector_code"],
                    _objective(r),
                    _item(r),
                    what,
                    _value(r["old_value"]),
                    _value(r["new_value"]),
                ]
            )
        blocks.append(
            ("table", ["Settore", "Obiettivo", "Sotto-voce", "Cosa", "Prima", "Dopo"], table_rows)
        )
    return substantive_first(blocks + weight_blocks)


def recomputed_blocks(weights: Sequence[Record], recomputed: int) -> list[Block]:
    """The ponderazioni only recomputed because the weights moved, folded into one line per
    sector (how many, from the lowest to the highest change): they follow from the
    substantive changes above and come after them."""
    by_sector: dict[str, list[Record]] = defaultdict(list)
    for r in weights:
        if not substantive(r):
            by_sector[str(r["sector_code"])].append(r)
    return [
        ("h2", "Ponderazioni solo ricalcolate"),
        (
            "p",
            "La ponderazione è il peso diviso per il totale dei pesi del settore: cambia "
            "per tutti gli obiettivi di un settore quando un peso cambia o un obiettivo "
            f"entra o esce. {recomputed} ponderazioni sono solo ricalcolate per questo "
            "motivo (contate a parte nel riepilogo, colonna «Solo ponderazione "
            "ricalcolata»).",
        ),
        (
            "table",
            ["Settore", "Ponderazioni ricalcolate"],
            [[sector, str(len(rows))] for sector, rows in by_sector.items()],
        ),
    ]


def substantive_first(blocks: list[Block]) -> list[Block]:
    """The blocks with the recomputed ponderazioni (a heading and what follows it) last."""
    heading = ("h2", "Ponderazioni solo ricalcolate")
    if heading not in blocks:
        return blocks
    start = blocks.index(heading)
    end = next(
        (i for i in range(start + 1, len(blocks)) if blocks[i][0] in ("h1", "h2")), len(blocks)
    )
    return blocks[:start] + blocks[end:] + blocks[start:end]


# -- rendering -------------------------------------------------------------------------------


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + block[1])
        elif kind == "p":
            out.append(block[1])
        else:
            headers, table_rows = block[1], block[2]
            lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table_rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}"
    "th{background:#f0f0f0}"
    "@media print{body{margin:0;max-width:none;font-size:10pt}"
    "table{page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}"
    "h2,h3{page-break-after:avoid}}"
)


#: Sorting (a click on a column heading) and filtering (words, sector) of every table of a
#: comparison page; self-contained, no network.
_SCRIPT = """
(function () {
  function norm(s) {
    return s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();
  }
  var tables = Array.prototype.slice.call(document.querySelectorAll('table'));
  var input = document.getElementById('cerca');
  var sector = document.getElementById('filtro-settore');
  var count = document.getElementById('conteggio');
  function apply() {
    var terms = norm(input.value).split(/\\s+/).filter(Boolean), shown = 0, all = 0;
    tables.forEach(function (t) {
      Array.prototype.slice.call(t.tBodies[0].rows).forEach(function (r) {
        var ok = terms.every(function (w) { return norm(r.textContent).indexOf(w) >= 0; }) &&
          (!sector.value || !r.dataset.settore || r.dataset.settore === sector.value);
        r.hidden = !ok; all += 1; if (ok) { shown += 1; }
      });
    });
    count.textContent = shown + ' righe su ' + all;
  }
  tables.forEach(function (t) {
    Array.prototype.slice.call(t.tHead.rows[0].cells).forEach(function (th, col) {
      th.setAttribute('data-ordina', String(col));
      th.addEventListener('click', function () {
        var down = th.getAttribute('aria-sort') === 'ascending';
        var rows = Array.prototype.slice.call(t.tBodies[0].rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent;
          var nx = parseFloat(x.replace(',', '.')), ny = parseFloat(y.replace(',', '.'));
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'it');
          return down ? -c : c;
        });
        rows.forEach(function (r) { t.tBodies[0].appendChild(r); });
        Array.prototype.slice.call(t.tHead.rows[0].cells).forEach(function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
      });
    });
  });
  input.addEventListener('input', apply);
  sector.addEventListener('change', apply);
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var pair = part.split('='), value = decodeURIComponent(pair[1] || '');
    if (pair[0] === 'cerca') { input.value = value; }
    if (pair[0] === 'settore') { sector.value = value; }
    if (pair[0] === 'ordina') {
      var where = value.split(':'), t = document.getElementById(where[0]);
      var th = t && t.tHead.rows[0].cells[Number(where[1])];
      if (th) { th.click(); if (where[2] === 'desc') { th.click(); } }
    }
  });
  apply();
})();
"""


#: Headings of the column that says which sector a row is of (the newer edition's).
SECTOR_HEADINGS = ("Settore", "Nuovo settore")


def _sectors(blocks: Sequence[Block]) -> list[str]:
    """The sectors named in the first column headed "Settore" of the tables."""
    found: dict[str, None] = {}
    for block in blocks:
        if block[0] == "table" and block[1] and block[1][0] == "Settore":
            found.update((str(row[0]), None) for row in block[2] if row[0] != "Totale")
    return list(found)


def to_html(blocks: Sequence[Block], style: str | None = None) -> str:
    """The page of a comparison: titled with its editions, every table sortable (a click on
    a heading) and filtered by words and by sector. ``style``: the stylesheet (the report's,
    given by ``piao diff``; a plain one by default)."""
    title = next((b[1] for b in blocks if b[0] == "h1"), "Confronto")
    options = "".join(
        f'<option value="{html.escape(s)}">{html.escape(s)}</option>' for s in _sectors(blocks)
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="it"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{style or _STYLE}</style></head><body>",
    ]
    for number, block in enumerate(blocks):
        kind = block[0]
        if kind in ("h1", "h2", "h3", "p"):
            out.append(f"<{kind}>{html.escape(block[1])}</{kind}>")
            if kind == "h1":
                out.append(
                    '<div class="filtri"><span><label for="cerca">Cerca: </label>'
                    '<input type="search" id="cerca" autocomplete="off"></span>'
                    '<span><label for="filtro-settore">Settore: </label>'
                    '<select id="filtro-settore"><option value="">tutti</option>'
                    f'{options}</select></span></div><p id="conteggio"></p>'
                )
        else:
            headers, table_rows = block[1], block[2]
            out.append(f'<table id="tabella-{number}"><thead><tr>')
            out.append("".join(f"<th>{html.escape(str(h))}</th>" for h in headers))
            out.append("</tr></thead><tbody>")
            column = next((i for i, h in enumerate(headers) if h in SECTOR_HEADINGS), None)
            for row in table_rows:
                cells = "".join(f"<td>{html.escape(str(c))}</td>" for c in row)
                sector = (
                    f' data-settore="{html.escape(str(row[column]))}"'
                    if column is not None and row[column] != "Totale"
                    else ""
                )
                out.append(f"<tr{sector}>{cells}</tr>")
            out.append("</tbody></table>")
    out.append(f"<script>{_SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"


def chain_blocks(pairs: Sequence[tuple[Sequence[Record], str, str]]) -> list[Block]:
    """The report of a chain of editions: an overview (one row per consecutive pair), then
    each pair's report one heading level down."""
    labels = [pairs[0][1], *(new for _rows, _old, new in pairs)]
    blocks: list[Block] = [
        ("h1", f"Confronto tra {len(labels)} edizioni: {labels[0]} → {labels[-1]}"),
        ("p", "Edizioni, in ordine: " + " → ".join(labels) + "."),
        ("h2", "Riepilogo per coppia di edizioni consecutive (numero di obiettivi)"),
        (
            "table",
            ["Da", "A"] + [KIND_LABELS[kind] for kind in KINDS],
            [
                [old, new] + [str(len(objective_keys(rows, kind))) for kind in KINDS]
                for rows, old, new in pairs
            ],
        ),
    ]
    lower = {"h1": "h2", "h2": "h3", "h3": "h3"}
    for rows, old, new in pairs:
        for block in report_blocks(rows, old, new):
            if block[0] == "h1":
                blocks.append(("h2", f"{old} → {new}"))
            elif block[0] in lower:
                blocks.append((lower[block[0]], *block[1:]))
            else:
                blocks.append(block)
    return blocks


def render_report(
    rows: Sequence[Record], old_label: str, new_label: str, fmt: str = "markdown"
) -> str:
    """The report in ``fmt`` (markdown | html)."""
    return render_chain_report([(rows, old_label, new_label)], fmt)


def render_chain_report(
    pairs: Sequence[tuple[Sequence[Record], str, str]], fmt: str, style: str | None = None
) -> str:
    """The report of one pair, or of a chain of consecutive pairs, in ``fmt`` (``style``:
    the HTML page's stylesheet)."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    blocks = report_blocks(*pairs[0]) if len(pairs) == 1 else chain_blocks(pairs)
    return to_markdown(blocks) if fmt == "markdown" else to_html(blocks, style)
