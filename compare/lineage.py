"""Editions of a plan over the years, and each objective's lineage across them.

An *edition* is one administration's plan for one period. Documents are grouped into
*series* by (ente, attachment) and ordered by the first year of their plan period; the
objectives of consecutive editions are paired as ``piao diff`` pairs them (same sector and
code, else the same text under another code or sector), so that an objective keeps one
``lineage_id`` from the edition it first appears in to the last one it is in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from compare.diff import diff_editions
from compare.edition import Edition
from compare.match import DEFAULT_THRESHOLD
from schema import DERIVED_TABLES, to_arrow

Record = dict[str, object]
_ATTACHMENT = re.compile(r"allegat[oi][\s_.-]*([0-9]+|[a-z](?![a-z]))", re.IGNORECASE)
UNKNOWN_ENTE = "ente non indicato"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' ('Comune di Forlì' -> 'comune-di-forli')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "x"


def attachment_of(document: Mapping[str, object]) -> str | None:
    """The attachment ('allegato1') the cover prints (documents.plan_kind), else the plan
    title names; never the file name, which changes from one edition to the next."""
    if document.get("plan_kind"):
        return str(document["plan_kind"])
    text = document.get("plan_title")
    if text and (found := _ATTACHMENT.search(str(text))):
        return f"allegato{found.group(1).lower()}"
    return None


def edition_year(document: Mapping[str, object]) -> int | None:
    """First year of the plan period (2023 for 2023-2025), None when the period is unknown."""
    start = document.get("period_start")
    if isinstance(start, dt.datetime | dt.date):
        return start.year
    if hasattr(start, "year"):  # pandas Timestamp
        return int(start.year)  # type: ignore[union-attr]
    return None


@dataclass(frozen=True, slots=True)
class EditionKey:
    """Where a document stands among the editions: its series and year."""

    doc_id: str
    ente: str | None
    attachment: str | None
    year: int | None
    source_name: str
    #: The series' name when grouped (:func:`group_editions`), else :attr:`own_series`.
    series_name: str | None = None
    #: The ente as matched (documents.ente_key: case, accents, "Comune di", province
    #: ignored); None for documents extracted before it was stored.
    ente_key: str | None = None

    @property
    def series(self) -> str:
        """ente and attachment as a slug: 'comune-di-portomaggiore/allegato1'."""
        return self.series_name or self.own_series

    @property
    def own_series(self) -> str:
        """The series this document alone would name: its ente and attachment as a slug;
        a document without ente is a series of its own, named by its doc_id."""
        if not self.ente:
            return f"{slug(UNKNOWN_ENTE)}/{self.doc_id}"
        return f"{slug(self.ente)}/{self.attachment or 'piano'}"

    @property
    def group(self) -> tuple[str, str]:
        """What editions of one plan share: the ente as matched (case, accents, "Comune di",
        province ignored) and the attachment; a document without ente shares it with none."""
        if not self.ente:
            return ("", self.doc_id)
        return (self.ente_key or slug(self.ente), self.attachment or "")

    @property
    def label(self) -> str:
        """'Comune di Portomaggiore 2023' (the year, else the file name)."""
        when = str(self.year) if self.year is not None else self.source_name
        return f"{self.ente or UNKNOWN_ENTE} {when}"


def edition_key(document: Mapping[str, object]) -> EditionKey:
    ente = document.get("ente")
    return EditionKey(
        doc_id=str(document["doc_id"]),
        ente=str(ente) if ente else None,
        attachment=attachment_of(document),
        year=edition_year(document),
        source_name=str(document.get("source_name") or document["doc_id"]),
        ente_key=str(document["ente_key"]) if document.get("ente_key") else None,
    )


def group_editions(documents: Sequence[Mapping[str, object]]) -> dict[str, list[EditionKey]]:
    """series -> its editions ordered by year (unknown years last), then file name and
    doc_id; series sorted by name. Two documents of the same year stay both, in that order.

    A series is one administration's plan (:attr:`EditionKey.group`: the ente as matched and
    the attachment the cover prints), never a file name; it is named after its first
    edition's ente. A document without ente is a series of its own: never chained."""
    return group_keys([edition_key(document) for document in documents])


def group_keys(keys: Sequence[EditionKey]) -> dict[str, list[EditionKey]]:
    """:func:`group_editions` of the documents' edition keys. Of two series with one name,
    the one whose group (:attr:`EditionKey.group`) sorts first keeps it: the names do not
    depend on the order the documents were read in (the documents index, a table)."""
    groups: dict[tuple[str, str], list[EditionKey]] = defaultdict(list)
    for key in keys:
        groups[key.group].append(key)
    series: dict[str, list[EditionKey]] = {}
    for _, found in sorted(groups.items()):
        ordered = sorted(
            found, key=lambda k: (k.year is None, k.year or 0, k.source_name, k.doc_id)
        )
        name = ordered[0].own_series
        while name in series:  # two spellings with one slug yet another key: keep both
            name = f"{name}-{ordered[0].doc_id[:8]}"
        series[name] = [dataclasses.replace(key, series_name=name) for key in ordered]
    return dict(sorted(series.items()))


def chain_changes(
    editions: Sequence[Edition], threshold: float = DEFAULT_THRESHOLD
) -> list[list[Record]]:
    """The changes of every consecutive pair of ``editions`` (in the order given), each
    row with the newer edition's year in ``edition``."""
    chained = []
    for old, new in itertools.pairwise(editions):
        year = edition_year(new.document)
        chained.append([row | {"edition": year} for row in diff_editions(old, new, threshold)])
    return chained


def _substantive(row: Mapping[str, object]) -> bool:
    return not row.get("recomputed")


def lineage_change(rows: Sequence[Mapping[str, object]]) -> str:
    """How a paired or added objective came from the previous edition, from its change rows
    (those whose new sector and code are the objective's)."""
    kinds = {str(row["change"]) for row in rows}
    for kind in ("added", "moved", "renumbered"):
        if kind in kinds:
            return kind
    if any(row["change"] == "modified" and _substantive(row) for row in rows):
        return "modified"
    return "same"


def series_lineage(
    keys: Sequence[EditionKey], editions: Sequence[Edition], changes: Sequence[Sequence[Record]]
) -> list[Record]:
    """The lineage rows of one series: ``editions`` in order with their ``keys``, and the
    changes of each consecutive pair (:func:`chain_changes`)."""
    rows: list[Record] = []
    ids: dict[tuple[str, str], str] = {}
    previous: Edition | None = None
    for position, (key, edition) in enumerate(zip(keys, editions, strict=True)):
        pair_changes = changes[position - 1] if position else []
        by_new: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for change in pair_changes:
            if change["change"] != "removed":
                by_new[(str(change["sector_code"]), str(change["objective_code"]))].append(change)
        current: dict[tuple[str, str], str] = {}
        for objective in edition.objectives:
            here = (str(objective["sector_code"]), str(objective["objective_code"]))
            mine = by_new.get(here, [])
            change = lineage_change(mine) if previous is not None else None
            before: tuple[str, str] | None = None
            score = None
            if change in ("moved", "renumbered"):
                row = next(r for r in mine if r["change"] == change)
                before = (str(row["old_sector_code"]), str(row["old_objective_code"]))
                score = row.get("match_score")
            elif change in ("same", "modified"):
                before = here
            lineage_id = ids.get(before) if before is not None else None
            if lineage_id is None:
                when = key.year if key.year is not None else f"n{position + 1}"
                lineage_id = f"{key.series}/{when}/{here[0]}/{here[1]}"
            current[here] = lineage_id
            rows.append(
                {
                    "lineage_id": lineage_id,
                    "doc_id": edition.doc_id,
                    "sector_code": here[0],
                    "objective_code": here[1],
                    "ente": key.ente,
                    "attachment": key.attachment,
                    "series": key.series,
                    "edition": key.year,
                    "edition_seq": position + 1,
                    "change": change,
                    "previous_doc_id": previous.doc_id if previous is not None else None,
                    "previous_sector_code": before[0] if before and change != "added" else None,
                    "previous_objective_code": before[1] if before and change != "added" else None,
                    "match_score": score,
                    "weight": objective.get("weight"),
                }
            )
        ids, previous = current, edition
    return rows


def lineage_table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    """The rows as an Arrow table with the ``lineage`` schema."""
    return to_arrow(DERIVED_TABLES["lineage"], rows)


@dataclass(frozen=True)
class Series:
    """The editions of one plan, in order, with the changes of each consecutive pair."""

    name: str
    keys: list[EditionKey]
    editions: list[Edition]
    changes: list[list[Record]]

    @property
    def ente(self) -> str | None:
        return self.keys[0].ente if self.keys else None

    @property
    def lineage(self) -> list[Record]:
        return series_lineage(self.keys, self.editions, self.changes)


def build_series(
    editions: Mapping[str, Edition], threshold: float = DEFAULT_THRESHOLD
) -> list[Series]:
    """Every series found among ``editions`` (doc_id -> edition), its editions chained."""
    documents = [edition.document | {"doc_id": doc_id} for doc_id, edition in editions.items()]
    built = []
    for name, keys in group_editions(documents).items():
        ordered = [editions[key.doc_id] for key in keys]
        built.append(Series(name, keys, ordered, chain_changes(ordered, threshold)))
    return built


def lineage_rows(series: Sequence[Series]) -> list[Record]:
    """The ``lineage`` rows of every series, series by series, edition by edition."""
    return [row for one in series for row in one.lineage]
