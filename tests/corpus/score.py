"""Score what piao read from a corpus document against the corpus's expected tables.

:func:`score` compares one :class:`normalize.NormalizedDocument` with the ``expected.json``
written by ``tests/fixtures/corpus/make_corpus.py`` and returns four ratios:

- **objectives**: share of the expected (sector, objective_code) keys that were read;
  keys read but not expected are counted apart (``extra``): 100 % means the exact set;
- **fields**: per expected objective, the fields sector_code, objective_code, title, weight,
  weighting_pct, mission_code, strategic_code, responsible and description (texts compared
  after whitespace folding; a missing objective counts all its fields wrong);
- **items**: per expected sub-item (in order), its indicator, target and deadline texts;
- **deadlines**: per expected date of the deadline column, a row of the ``dates`` table with
  the same date, precision and kind read from the deadline column (``dates.field``
  ``deadline`` or ``period``, see :data:`DEADLINE_FIELDS`);
- **baselines**: per expected item that lists them (indicator-rows and card plans), its
  baseline, baseline year and data source (:data:`BASELINE_FIELDS`);
- **targets**: per expected item's target by year, the ``targets`` row of that item
  (``item_seq``) and year holding the same text; an expected item that lists no targets by
  year (a grid's plan) but prints a target expects one ``targets`` row of that item,
  whatever its year, holding its target text: every case scores its targets table.

An objective field of :data:`OPTIONAL_OBJECTIVE_FIELDS` (``stakeholders``) is scored with
the fields when the expected objective lists it.

A sector whose heading prints no code (``sector_code: null`` in the expected file) is
matched by name, and then stands for whatever stable code the reader derived for it.

:func:`cases` lists the corpus's documents with the engines that read them; it is shared by
``test_corpus.py`` and ``score_corpus.py``.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
GAPS_PATH = Path(__file__).resolve().with_name("known_gaps.json")

OBJECTIVE_FIELDS = (
    "sector_code",
    "objective_code",
    "title",
    "weight",
    "weighting_pct",
    "mission_code",
    "strategic_code",
    "responsible",
    "description",
)
#: Objective fields scored with the others when the expected objective lists them (plans
#: that print them: indicator rows, cards).
OPTIONAL_OBJECTIVE_FIELDS = ("stakeholders",)
ITEM_FIELDS = ("indicator", "target", "deadline")
#: Item columns scored as baselines, for an expected item that has them.
BASELINE_FIELDS = ("baseline", "baseline_year", "source")
#: ``dates.field`` values of the deadline column: ``deadline`` for an item's deadline,
#: ``period`` for the whole cell read at objective level (unlettered, or shared by items).
DEADLINE_FIELDS = ("deadline", "period")
PCT_TOLERANCE = 0.01
#: The corpus thresholds: objectives exactly, >= 98 % fields, >= 97 % items and deadlines.
THRESHOLDS = {
    "objectives": 1.0,
    "fields": 0.98,
    "items": 0.97,
    "deadlines": 0.97,
    "baselines": 0.97,
    "targets": 0.97,
}
#: Renderings by file-name suffix and the engines that read them.
RENDERINGS = {
    ".txt": ("text", ("text",)),
    ".reportlab.pdf": ("reportlab", ("pdfium", "pdfplumber", "camelot")),
    ".writer.pdf": ("writer", ("pdfium", "pdfplumber", "camelot")),
    ".calc.pdf": ("calc", ("pdfium", "pdfplumber", "camelot")),
    # the shipped document by Writer with no border and justified body cells
    # (tests/fixtures/corpus/make_writer_noborder.py)
    ".writer-noborder.pdf": ("writer-noborder", ("pdfium", "pdfplumber", "camelot")),
    # HTML printed to PDF by headless Chromium (tests/fixtures/corpus/make_genres.py)
    ".chromium.pdf": ("chromium", ("pdfium", "pdfplumber", "camelot")),
    # label lines printed by Chromium: a PDF with no table and no rule
    ".lines.pdf": ("chromium-lines", ("pdfium", "pdfplumber", "camelot")),
    # the office sources themselves, read from their own cells (extract/docx.py, xlsx.py)
    ".writer.docx": ("docx", ("auto",)),
    ".calc.xlsx": ("xlsx", ("auto",)),
}


@dataclass(frozen=True)
class Ratio:
    """``hits`` of ``total`` (a total of 0 counts as complete)."""

    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:7.1%} ({self.hits}/{self.total})"


@dataclass(frozen=True)
class Score:
    """How well a document was read: four ratios, the extra objectives and what differed."""

    objectives: Ratio
    extra: int
    fields: Ratio
    items: Ratio
    deadlines: Ratio
    misses: tuple[str, ...] = ()
    baselines: Ratio = Ratio(0, 0)
    targets: Ratio = Ratio(0, 0)
    #: documents.status (ok | doubtful; "unread" when piao could not read it), its reasons
    #: and text coverage (normalize.status).
    status: str = "unread"
    reasons: tuple[str, ...] = ()
    coverage: float | None = None

    @property
    def passes(self) -> bool:
        """True when the corpus thresholds are all met (and no extra objective was read)."""
        return self.extra == 0 and all(
            getattr(self, name).value >= threshold for name, threshold in THRESHOLDS.items()
        )

    def line(self) -> str:
        return (
            f"objectives {self.objectives} extra {self.extra:2d}  fields {self.fields}  "
            f"items {self.items}  deadlines {self.deadlines}"
            + (
                f"  baselines {self.baselines}  targets {self.targets}"
                if self.baselines.total or self.targets.total
                else ""
            )
            + f"  {self.status}"
            + (f" {self.coverage:.3f}" if self.coverage is not None else "")
        )


@dataclass(frozen=True)
class Case:
    """One corpus document read by one engine."""

    layout: str
    rendering: str
    engine: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.layout}/{self.rendering}/{self.engine}"

    @property
    def expected_path(self) -> Path:
        return self.path.parent / "expected.json"


def cases(corpus: Path = CORPUS) -> list[Case]:
    """Every (layout, rendering, engine) of the corpus, in a stable order."""
    found = []
    for expected in sorted(corpus.glob("*/expected.json")):
        layout = expected.parent.name
        for suffix, (rendering, engines) in RENDERINGS.items():
            path = expected.parent / f"{layout}{suffix}"
            if path.exists():
                found += [Case(layout, rendering, engine, path) for engine in engines]
    return found


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- comparing values -----------------------------------------------------------------------


def fold_space(value: object) -> str:
    """Text with whitespace runs folded to one space (None -> empty)."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def fold_name(value: object) -> str:
    """A sector name for matching: folded whitespace, no accents, upper case."""
    decomposed = unicodedata.normalize("NFKD", fold_space(value))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def same(field: str, expected: object, actual: object) -> bool:
    """Equal for the scorer: numbers exactly (percentages within 0.01), texts after folding."""
    if field == "weighting_pct":
        if expected is None or actual is None:
            return expected is None and actual is None
        return abs(float(expected) - float(actual)) <= PCT_TOLERANCE
    if field in ("weight", "mission_code", "baseline_year"):
        return expected == (None if actual is None else int(actual))
    return fold_space(expected) == fold_space(actual)


# --- matching sectors -----------------------------------------------------------------------


def sector_codes(expected: Mapping[str, Any], records: Mapping[str, list]) -> dict[str, str]:
    """Expected sector (its code, or its name when it has none) -> the code the reader used.

    Unnamed-code sectors are matched by name against the ``sectors`` table: equal after
    folding, or one contained in the other.
    """
    read = {
        fold_name(r.get("sector_name")): r.get("sector_code") for r in records.get("sectors", [])
    }
    mapping = {}
    for sector in expected["sectors"]:
        if sector["sector_code"] is not None:
            mapping[sector["sector_code"]] = sector["sector_code"]
            continue
        name = fold_name(sector["sector_name"])
        code = read.get(name) or next(
            (
                code
                for read_name, code in read.items()
                if read_name and (name in read_name or read_name in name)
            ),
            None,
        )
        mapping[sector["sector_name"]] = code
    return mapping


def sector_key(objective: Mapping[str, Any]) -> str:
    return (
        objective["sector_code"]
        if objective["sector_code"] is not None
        else objective["sector_name"]
    )


# --- the score ------------------------------------------------------------------------------


def score(expected: Mapping[str, Any], document: Any) -> Score:
    """Score a NormalizedDocument (anything with ``records``) against an expected.json dict."""
    records = document.records
    codes = sector_codes(expected, records)
    read = {(r["sector_code"], r["objective_code"]): r for r in records.get("objectives", [])}
    items_of: dict[tuple, list] = {}
    for item in sorted(records.get("items", []), key=lambda r: r["item_seq"]):
        items_of.setdefault((item["sector_code"], item["objective_code"]), []).append(item)
    targets_of = {
        (r["sector_code"], r["objective_code"], r["item_seq"], r["year"]): r
        for r in records.get("targets", [])
    }
    item_targets: dict[tuple, list] = {}
    for r in records.get("targets", []):
        item_targets.setdefault((r["sector_code"], r["objective_code"], r["item_seq"]), [])
        item_targets[(r["sector_code"], r["objective_code"], r["item_seq"])].append(r)
    dates_of: dict[tuple, Counter] = {}
    for row in records.get("dates", []):
        if row.get("field") in DEADLINE_FIELDS and row.get("date") is not None:
            key = (row["sector_code"], row["objective_code"])
            when = (str(row["date"]), row["precision"], row["kind"])
            dates_of.setdefault(key, Counter())[when] += 1

    found = fields_hit = fields_total = items_hit = items_total = dates_hit = dates_total = 0
    baselines = [0, 0]
    targets = [0, 0]
    misses: list[str] = []
    expected_keys = set()
    for objective in expected["objectives"]:
        key = (codes.get(sector_key(objective)), objective["objective_code"])
        expected_keys.add(key)
        actual = read.get(key)
        label = f"{sector_key(objective)} {objective['objective_code']}"
        found += actual is not None
        if actual is None:
            misses.append(f"{label}: not read")
        for field in (*OBJECTIVE_FIELDS, *(f for f in OPTIONAL_OBJECTIVE_FIELDS if f in objective)):
            fields_total += 1
            want = key[0] if field == "sector_code" else objective[field]
            if actual is not None and same(field, want, actual.get(field)):
                fields_hit += 1
            elif actual is not None:
                misses.append(f"{label} {field}: expected {want!r}, read {actual.get(field)!r}")
        actual_items = items_of.get(key, [])
        for index, item in enumerate(objective["items"]):
            got = actual_items[index] if index < len(actual_items) else {}
            for field in ITEM_FIELDS:
                items_total += 1
                if actual is not None and same(field, item[field], got.get(field)):
                    items_hit += 1
                elif actual is not None:
                    misses.append(
                        f"{label} item {index + 1} {field}: expected {item[field]!r}, "
                        f"read {got.get(field)!r}"
                    )
            for field in BASELINE_FIELDS:
                if field not in item:
                    continue
                baselines[1] += 1
                if actual is not None and same(field, item[field], got.get(field)):
                    baselines[0] += 1
                elif actual is not None:
                    misses.append(
                        f"{label} item {index + 1} {field}: expected {item[field]!r}, "
                        f"read {got.get(field)!r}"
                    )
            if "targets" not in item and fold_space(item["target"]):
                targets[1] += 1
                rows = item_targets.get((key[0], key[1], index + 1), [])
                if actual is not None and any(
                    same("target", item["target"], row.get("target")) for row in rows
                ):
                    targets[0] += 1
                elif actual is not None:
                    misses.append(
                        f"{label} item {index + 1} target: expected {item['target']!r} in "
                        f"targets, read {[row.get('target') for row in rows]!r}"
                    )
            for target in item.get("targets", []):
                targets[1] += 1
                row = targets_of.get((key[0], key[1], index + 1, target["year"]), {})
                if actual is not None and same("target", target["target"], row.get("target")):
                    targets[0] += 1
                elif actual is not None:
                    misses.append(
                        f"{label} item {index + 1} target {target['year']}: expected "
                        f"{target['target']!r}, read {row.get('target')!r}"
                    )
        available = Counter(dates_of.get(key, Counter()))
        for when in objective["deadlines"]:
            dates_total += 1
            wanted = (when["date"], when["precision"], when["kind"])
            if available[wanted] > 0:
                available[wanted] -= 1
                dates_hit += 1
            elif actual is not None:
                misses.append(f"{label} deadline {wanted} not in dates")
    extra = sorted(set(read) - expected_keys, key=str)
    misses += [f"extra objective {sector} {code}" for sector, code in extra]
    documents = records.get("documents") or [{}]
    return Score(
        objectives=Ratio(found, len(expected["objectives"])),
        extra=len(extra),
        fields=Ratio(fields_hit, fields_total),
        items=Ratio(items_hit, items_total),
        deadlines=Ratio(dates_hit, dates_total),
        misses=tuple(misses),
        baselines=Ratio(*baselines),
        targets=Ratio(*targets),
        status=documents[0].get("status") or "unread",
        reasons=tuple(documents[0].get("status_reasons") or ()),
        coverage=documents[0].get("text_coverage"),
    )


def read_and_score(case: Case) -> Score:
    """Read the case's document with piao (its engine) and score it; a failed read scores 0."""
    from piao.pipeline import process_document

    expected = load_expected(case.expected_path)
    engine = "auto" if case.engine == "text" else case.engine
    try:
        document = process_document(case.path, engine=engine)
    except Exception as error:  # a document piao cannot read at all scores nothing
        empty = type("Unread", (), {"records": {}})()
        result = score(expected, empty)
        return Score(
            result.objectives,
            result.extra,
            result.fields,
            result.items,
            result.deadlines,
            (f"not read: {type(error).__name__}: {str(error).replace(f'{ROOT}/', '')}",),
        )
    return score(expected, document)


def iter_lines(selected: list[Case]) -> Iterator[tuple[Case, Score]]:
    for case in selected:
        yield case, read_and_score(case)


# --- known gaps -----------------------------------------------------------------------------


def load_gaps(path: Path = GAPS_PATH) -> dict[str, str]:
    """Cases known to miss the corpus thresholds today: case id -> what is misread."""
    return json.loads(path.read_text(encoding="utf-8"))


def gap_reason(result: Score) -> str:
    """A one-line account of a failing case: the ratios below threshold and the first miss."""
    parts = [f"objectives {result.objectives.hits}/{result.objectives.total}"]
    if result.extra:
        parts.append(f"{result.extra} extra")
    parts += [
        f"{name} {getattr(result, name).value:.0%}"
        for name in ("fields", "items", "deadlines", "baselines", "targets")
        if getattr(result, name).value < THRESHOLDS[name]
    ]
    first = next((m for m in result.misses if not m.endswith("not read")), None)
    first = first or (result.misses[0] if result.misses else "")
    return f"{', '.join(parts)}; e.g. {first}"[:300]


def write_gaps(gaps: Mapping[str, str], path: Path = GAPS_PATH) -> None:
    """Write known_gaps.json sorted by case id (temp file + rename)."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps(dict(sorted(gaps.items())), indent=1, ensure_ascii=False) + "\n"
    )
    temporary.replace(path)
