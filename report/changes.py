"""What changed in each modified objective, in words, for the administration's page.

The ente page counts the objectives modified from one edition to the next; this module says,
for each of them, what changed (weight old → new, deadline old → new, a text, a sub-item),
from the ``changes`` rows (:func:`compare.history.series_changes`). Recomputed percentages
(a ponderazione that follows the sector's total) are not changes of the objective.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from html import escape

import pandas as pd

FIELD_LABELS = {
    "title": "titolo",
    "description": "descrizione",
    "weight": "peso",
    "weighting_pct": "ponderazione",
    "realization_period": "tempi di realizzazione",
    "assessore": "assessore",
    "responsible": "responsabile",
    "indicator": "indicatore",
    "target": "valore atteso",
    "deadline": "scadenza",
    "period": "tempi",
    "objective": "testo dell'obiettivo",
}
#: Fields whose old and new values are short enough to show (the texts are only named).
SHOWN_VALUES = {"weight", "weighting_pct", "realization_period", "assessore", "responsible"}
ACTIONS = {"added": "aggiunto", "removed": "rimosso", "changed": "modificato"}


def _date(value: object) -> str:
    if isinstance(value, dt.date | pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    return "—"


def _is_set(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def describe_change(row: Mapping[str, object]) -> str:
    """One change row of a modified objective in words: "peso 3 → 5", "scadenza b)
    30/04/2023 → 30/06/2023 (+61 giorni)", "sotto-obiettivo f) rimosso", "indicatore a)
    modificato"."""
    field = row.get("field") if _is_set(row.get("field")) else None
    label = FIELD_LABELS.get(str(field), str(field or ""))
    letter = f" {row['item']})" if _is_set(row.get("item")) else ""
    if row.get("level") == "date":
        shift = row.get("shift_days")
        days = f" ({int(shift):+d} giorni)" if _is_set(shift) else ""
        action = row.get("action")
        if action in ("added", "removed"):
            when = _date(row.get("new_date") if action == "added" else row.get("old_date"))
            return f"data{letter} {when} {ACTIONS[str(action)]}a ({label})"
        return (
            f"{'scadenza' if field == 'deadline' else 'data (' + label + ')'}{letter} "
            f"{_date(row.get('old_date'))} → {_date(row.get('new_date'))}{days}"
        )
    if row.get("level") == "item" and field is None:
        return f"sotto-obiettivo{letter} {ACTIONS.get(str(row.get('action')), '')}".strip()
    if field in SHOWN_VALUES:
        old = row.get("old_value") if _is_set(row.get("old_value")) else "—"
        new = row.get("new_value") if _is_set(row.get("new_value")) else "—"
        return f"{label}{letter} {old} → {new}"
    return f"{label}{letter} {ACTIONS.get(str(row.get('action')), 'modificato')}"


def modified_details(changes: pd.DataFrame | None, doc_id: str) -> dict[tuple[str, str], list[str]]:
    """(sector, code) -> what changed, in words, for the objectives of edition ``doc_id``
    modified from the previous edition (recomputed percentages left out)."""
    if changes is None or changes.empty:
        return {}
    mine = changes[(changes["new_doc_id"] == doc_id) & (changes["change"] == "modified")]
    details: dict[tuple[str, str], list[str]] = {}
    rows = mine.to_dict("records")
    dated = {
        (r["sector_code"], r["objective_code"], r.get("item"), r.get("field"))
        for r in rows
        if r.get("level") == "date"
    }
    for row in rows:
        if row.get("recomputed") is True:
            continue
        where = (row["sector_code"], row["objective_code"], row.get("item"), row.get("field"))
        if row.get("level") == "item" and where in dated:
            continue  # the text changed for its date: the date row says it better
        key = (str(row["sector_code"]), str(row["objective_code"]))
        text = describe_change(row)
        if text not in details.setdefault(key, []):
            details[key].append(text)
    return details


def modified_list(
    entries: Iterable[tuple[str, str, str]],
    details: Mapping[tuple[str, str], list[str]],
    titles: Mapping[tuple[str, str, str], str],
    label: str,
) -> str:
    """The ``<details>`` block listing every modified objective of an edition with what
    changed in it (empty when none was modified)."""
    entries = list(entries)
    if not entries:
        return ""
    items = "".join(
        f"<li><span class='codice'>{escape(s)} {escape(c)}</span> "
        f"{escape(titles.get((d, s, c), ''))}: "
        f"<span class='modifica'>{escape('; '.join(details.get((s, c), [])) or 'modificato')}"
        "</span></li>"
        for d, s, c in entries
    )
    return (
        f"<details open><summary>Modificati nell'edizione {escape(label)}: {len(entries)}"
        f"</summary><ul>{items}</ul></details>"
    )
