"""What changed between two editions: small pure functions over plain records.

``diff_editions`` ties them together and returns the rows of the ``changes`` table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pyarrow as pa

from compare.edition import Edition
from compare.match import DEFAULT_THRESHOLD, Pair, code_map, codes_of, match_objectives
from compare.text import (
    clean_text,
    comparable,
    format_value,
    is_missing,
    replace_codes,
    shorten,
)
from schema import DIFF_TABLES, to_arrow

Record = dict[str, object]
OBJECTIVE_FIELDS = (
    "title",
    "description",
    "weight",
    "weighting_pct",
    "realization_period",
    "assessore",
    "responsible",
)
ITEM_FIELDS = ("indicator", "target", "deadline")
KIND_ORDER = ("removed", "added", "renumbered", "moved", "modified")
PCT_TOLERANCE = 1e-6


def field_change(
    name: str, old: object, new: object, codes: Mapping[str, str] | None = None
) -> Record | None:
    """One field compared: None when equal (texts compared clean and case-folded, with the
    old codes renamed to the new ones); else {field, action, old_value, new_value}."""
    old_missing, new_missing = is_missing(old), is_missing(new)
    if old_missing and new_missing:
        return None
    if not old_missing and not new_missing:
        if isinstance(old, str) or isinstance(new, str):
            if comparable(replace_codes(str(old), codes or {})) == comparable(new):
                return None
        elif isinstance(old, float) or isinstance(new, float):
            if abs(float(old) - float(new)) <= PCT_TOLERANCE:  # type: ignore[arg-type]
                return None
        elif old == new:
            return None
    action = "added" if old_missing else "removed" if new_missing else "changed"
    return {
        "field": name,
        "action": action,
        "old_value": format_value(old),
        "new_value": format_value(new),
    }


def _without(text: str, part: str) -> str:
    return " ".join(text.replace(part, " ", 1).split()) if part else text


def deadline_lettered(items: Iterable[Record]) -> bool:
    """True when the objective's Tempi cell is split into lettered item deadlines."""
    return any(item.get("item") and not is_missing(item.get("deadline")) for item in items)


def diff_fields(
    old: Record, new: Record, codes: Mapping[str, str] | None = None, *, period: bool = True
) -> list[Record]:
    """Changed objective fields, one record each. The title is part of the description, so
    a changed title is not also a changed description, and a title that only changed case
    (or stopped being read as a title) is no change; ``period=False`` leaves out the
    realization period (its lettered deadlines are compared item by item)."""
    codes = codes or {}
    changes: list[Record] = []
    old_title, new_title = comparable(old.get("title")), comparable(new.get("title"))
    old_text = comparable(replace_codes(str(old.get("description") or ""), codes))
    new_text = comparable(new.get("description"))
    for name in OBJECTIVE_FIELDS:
        if name == "realization_period" and not period:
            continue
        if name == "title":
            if old_title == new_title or old_text == new_text:
                continue
        elif name == "description" and (
            _without(old_text, old_title) == _without(new_text, new_title)
        ):
            continue
        change = field_change(name, old.get(name), new.get(name), codes)
        if change:
            changes.append(change)
    return changes


ItemKey = tuple[str | None, str | None, int]


def keyed_items(items: Sequence[Record], codes: Mapping[str, str] | None = None) -> dict:
    """Items by (item_code, letter, occurrence), in item order, item codes renamed."""
    codes = codes or {}
    seen: Counter[tuple[str | None, str | None]] = Counter()
    keyed: dict[ItemKey, Record] = {}
    for item in sorted(items, key=lambda row: int(row.get("item_seq") or 0)):
        code = item.get("item_code")
        code = codes.get(str(code), code) if code is not None else None
        letter = item.get("item")
        seen[(code, letter)] += 1
        keyed[(code, letter, seen[(code, letter)])] = item  # type: ignore[index]
    return keyed


def item_summary(item: Record) -> str | None:
    text = next((item.get(name) for name in ITEM_FIELDS if not is_missing(item.get(name))), None)
    return shorten(str(text), 200) if text is not None else None


def diff_items(
    old: Sequence[Record],
    new: Sequence[Record],
    codes: Mapping[str, str] | None = None,
    *,
    deadline: bool = True,
) -> list[Record]:
    """Sub-items added, removed, or with a changed indicator / target / deadline, matched by
    (item_code, letter, occurrence). ``deadline=False`` leaves deadlines out."""
    old_keyed, new_keyed = keyed_items(old, codes), keyed_items(new, None)
    fields = ITEM_FIELDS if deadline else ITEM_FIELDS[:2]
    changes: list[Record] = []
    order = list(new_keyed) + [key for key in old_keyed if key not in new_keyed]
    for key in order:
        item_code, letter, _occurrence = key
        base = {"item_code": item_code, "item": letter}
        if key not in old_keyed:
            changes.append(
                base
                | {
                    "field": None,
                    "action": "added",
                    "old_value": None,
                    "new_value": item_summary(new_keyed[key]),
                }
            )
        elif key not in new_keyed:
            changes.append(
                base
                | {
                    "field": None,
                    "action": "removed",
                    "old_value": item_summary(old_keyed[key]),
                    "new_value": None,
                }
            )
        else:
            for name in fields:
                change = field_change(
                    name, old_keyed[key].get(name), new_keyed[key].get(name), codes
                )
                if change:
                    changes.append(base | change)
    return changes


def _date_token(row: Record) -> str:
    date = row.get("date")
    return date.isoformat() if isinstance(date, dt.date) else "?" + comparable(row.get("text"))


def diff_dates(old: Sequence[Record], new: Sequence[Record]) -> list[Record]:
    """Dates of one (item_code, item, field), each list in text order, aligned by value:
    a replaced date is moved (with the shift in days), the others added / removed.
    ``difflib`` is imported here: a history refresh whose series have one edition each
    compares nothing (start-up time)."""
    from difflib import SequenceMatcher

    old = sorted(old, key=lambda row: int(row.get("offset") or 0))
    new = sorted(new, key=lambda row: int(row.get("offset") or 0))
    matcher = SequenceMatcher(
        None, [_date_token(r) for r in old], [_date_token(r) for r in new], autojunk=False
    )
    changes: list[Record] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else None
            after = news[k] if k < len(news) else None
            old_date = before.get("date") if before else None
            new_date = after.get("date") if after else None
            both = isinstance(old_date, dt.date) and isinstance(new_date, dt.date)
            changes.append(
                {
                    "action": "moved" if before and after else "removed" if before else "added",
                    "old_value": format_value(before.get("text")) if before else None,
                    "new_value": format_value(after.get("text")) if after else None,
                    "old_date": old_date,
                    "new_date": new_date,
                    "shift_days": (new_date - old_date).days if both else None,  # type: ignore[operator]
                }
            )
    return changes


def _field_texts(objective: Record, items: Sequence[Record], codes: Mapping[str, str]) -> dict:
    """(item_code, item, field) -> the text dates of that group are found in."""
    texts: dict[tuple, list[str]] = defaultdict(list)
    code = str(objective["objective_code"])
    texts[(code, None, "objective")].append(str(objective.get("description") or ""))
    texts[(code, None, "period")].append(str(objective.get("realization_period") or ""))
    for item in items:
        item_code = item.get("item_code")
        item_code = codes.get(str(item_code), item_code) if item_code is not None else None
        for name in ITEM_FIELDS:
            texts[(item_code, item.get("item"), name)].append(str(item.get(name) or ""))
    return {key: " ".join(values) for key, values in texts.items()}


def diff_objective_dates(
    pair: Pair,
    old_items: Sequence[Record],
    new_items: Sequence[Record],
    old_dates: Sequence[Record],
    new_dates: Sequence[Record],
    codes: Mapping[str, str],
) -> list[Record]:
    """Date changes of a paired objective, per (item_code, item, field), only where the
    text they are found in was edited (a date resolved differently from the same words is
    no change), and only for sub-items present in both editions."""
    lettered = (deadline_lettered(old_items), deadline_lettered(new_items))
    skip = {"period"} if any(lettered) else set()
    if not all(lettered):
        skip.add("deadline")
    old_texts = _field_texts(pair.old, old_items, codes)
    new_texts = _field_texts(pair.new, new_items, {})
    old_groups: dict[tuple, list[Record]] = defaultdict(list)
    new_groups: dict[tuple, list[Record]] = defaultdict(list)
    for row in old_dates:
        item_code = row.get("item_code")
        item_code = codes.get(str(item_code), item_code) if item_code is not None else None
        old_groups[(item_code, row.get("item"), row.get("field"))].append(row)
    for row in new_dates:
        new_groups[(row.get("item_code"), row.get("item"), row.get("field"))].append(row)
    changes: list[Record] = []
    for key in list(new_groups) + [k for k in old_groups if k not in new_groups]:
        item_code, letter, name = key
        if name in skip or key not in old_texts or key not in new_texts:
            continue
        old_text = comparable(replace_codes(old_texts[key], codes))
        if old_text == comparable(new_texts[key]):
            continue
        for change in diff_dates(old_groups.get(key, []), new_groups.get(key, [])):
            changes.append({"item_code": item_code, "item": letter, "field": name} | change)
    return changes


def _by_objective(rows: Sequence[Record]) -> dict[tuple[str, str], list[Record]]:
    grouped: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for row in rows:
        grouped[(str(row["sector_code"]), str(row["objective_code"]))].append(row)
    return grouped


def objective_title(objective: Record, *others: Record | None) -> str | None:
    """The objective's title, else the first title among ``others`` (its counterpart), else
    its text without the leading codes, shortened."""
    for candidate in (objective, *others):
        if candidate is not None and not is_missing(candidate.get("title")):
            return format_value(candidate.get("title"))
    description = objective.get("description")
    if is_missing(description):
        return None
    text = clean_text(description)
    for code in codes_of(objective):
        if text.startswith(code):
            text = text[len(code) :].lstrip(" .-/")
    return shorten(text, 80)


def diff_pair(
    pair: Pair,
    old_items: Sequence[Record],
    new_items: Sequence[Record],
    old_dates: Sequence[Record],
    new_dates: Sequence[Record],
) -> list[Record]:
    """Every change of a paired objective: renumbered / moved, then modified fields, items
    and dates. Rows hold change, level and the columns of the changed thing."""
    codes = code_map(pair)
    rows: list[Record] = []
    if pair.moved:
        rows.append(
            {
                "change": "moved",
                "level": "objective",
                "field": "sector_code",
                "action": "moved",
                "old_value": pair.old["sector_code"],
                "new_value": pair.new["sector_code"],
            }
        )
    elif pair.renumbered:
        rows.append(
            {
                "change": "renumbered",
                "level": "objective",
                "field": "objective_code",
                "action": "renumbered",
                "old_value": pair.old["objective_code"],
                "new_value": pair.new["objective_code"],
            }
        )
    both_lettered = deadline_lettered(old_items) and deadline_lettered(new_items)
    for change in diff_fields(pair.old, pair.new, codes, period=not both_lettered):
        rows.append({"change": "modified", "level": "objective"} | change)
    for change in diff_items(old_items, new_items, codes, deadline=both_lettered):
        rows.append({"change": "modified", "level": "item"} | change)
    for change in diff_objective_dates(pair, old_items, new_items, old_dates, new_dates, codes):
        rows.append({"change": "modified", "level": "date"} | change)
    return rows


def sector_totals(objectives: Sequence[Record]) -> dict[str, int]:
    """sector -> sum of its objectives' weights (the denominator of the ponderazioni)."""
    totals: dict[str, int] = defaultdict(int)
    for objective in objectives:
        weight = objective.get("weight")
        totals[str(objective["sector_code"])] += int(weight) if not is_missing(weight) else 0  # type: ignore[call-overload]
    return dict(totals)


def pct_explained(objective: Record, totals: Mapping[str, int]) -> bool:
    """True when the objective's ponderazione is its weight / its sector's total x 100, to
    the decimals it was printed with."""
    pct, weight = objective.get("weighting_pct"), objective.get("weight")
    total = totals.get(str(objective["sector_code"]), 0)
    if is_missing(pct) or is_missing(weight) or not total:
        return False
    shown = format_value(pct) or "0"
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    expected = 100 * float(weight) / total  # type: ignore[arg-type]
    return abs(float(pct) - expected) <= 0.5 * 10**-decimals + PCT_TOLERANCE  # type: ignore[arg-type]


def recomputed(pair: Pair, old_totals: Mapping[str, int], new_totals: Mapping[str, int]) -> bool:
    """A changed ponderazione is only a consequence of the weights (its own, or the sector
    total moved by another objective) when both values are weight / total."""
    return pct_explained(pair.old, old_totals) and pct_explained(pair.new, new_totals)


def diff_editions(old: Edition, new: Edition, threshold: float = DEFAULT_THRESHOLD) -> list[Record]:
    """The rows of the ``changes`` table from ``old`` to ``new``, sector by sector (new
    edition's order): removed, added, renumbered, moved, then modified objectives."""
    matching = match_objectives(old.objectives, new.objectives, threshold)
    old_items, new_items = _by_objective(old.items), _by_objective(new.items)
    old_dates, new_dates = _by_objective(old.dates), _by_objective(new.dates)
    rows: list[tuple[tuple, Record]] = []
    sectors = list(dict.fromkeys([str(o["sector_code"]) for o in new.objectives + old.objectives]))
    positions = {id(o): n for n, o in enumerate(new.objectives)} | {
        id(o): n for n, o in enumerate(old.objectives)
    }

    def add(objective: Record, before: Record | None, kind: str, row: Record, score=None):
        sort_key = (sectors.index(str(objective["sector_code"])), KIND_ORDER.index(kind))
        rows.append(
            (
                (*sort_key, positions[id(objective)], len(rows)),
                {
                    "sector_code": objective["sector_code"],
                    "objective_code": objective["objective_code"],
                    "old_sector_code": before["sector_code"] if before else None,
                    "old_objective_code": before["objective_code"] if before else None,
                    "objective_title": objective_title(objective, before),
                    "match_score": score,
                }
                | row,
            )
        )

    for objective in matching.removed:
        summary = {"field": None, "old_value": objective_title(objective), "new_value": None}
        add(
            objective,
            objective,
            "removed",
            {"change": "removed", "level": "objective", "action": "removed"} | summary,
        )
    for objective in matching.added:
        summary = {"field": None, "old_value": None, "new_value": objective_title(objective)}
        add(
            objective,
            None,
            "added",
            {"change": "added", "level": "objective", "action": "added"} | summary,
        )
    old_totals, new_totals = sector_totals(old.objectives), sector_totals(new.objectives)
    for pair in matching.pairs:
        old_key = (str(pair.old["sector_code"]), str(pair.old["objective_code"]))
        new_key = (str(pair.new["sector_code"]), str(pair.new["objective_code"]))
        for row in diff_pair(
            pair,
            old_items.get(old_key, []),
            new_items.get(new_key, []),
            old_dates.get(old_key, []),
            new_dates.get(new_key, []),
        ):
            if row.get("field") == "weighting_pct" and row["change"] == "modified":
                row["recomputed"] = recomputed(pair, old_totals, new_totals)
            add(pair.new, pair.old, str(row["change"]), row, pair.score)
    ordered = [row for _key, row in sorted(rows, key=lambda entry: entry[0])]
    empty = dict.fromkeys(DIFF_TABLES["changes"].column_names)
    return [
        empty
        | {"old_doc_id": old.doc_id, "new_doc_id": new.doc_id, "seq": seq, "recomputed": False}
        | row
        for seq, row in enumerate(ordered, start=1)
    ]


def changes_table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    """The rows as an Arrow table with the ``changes`` schema."""
    return to_arrow(DIFF_TABLES["changes"], rows)
