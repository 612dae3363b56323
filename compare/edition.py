"""One edition of a plan as the comparison sees it: the rows of one document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from schema import TABLES, read_table

Record = dict[str, object]
COMPARED_TABLES = ("documents", "objectives", "items", "dates")


@dataclass(frozen=True)
class Edition:
    """The objectives, items and dates of one document (plain records, None for null)."""

    doc_id: str
    objectives: list[Record]
    items: list[Record] = field(default_factory=list)
    dates: list[Record] = field(default_factory=list)
    document: Record = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How people call it: the file name, else the plan title, else the doc_id."""
        return str(
            self.document.get("source_name") or self.document.get("plan_title") or self.doc_id
        )


def edition_from_records(records: Mapping[str, Sequence[Mapping[str, object]]]) -> Edition:
    """The edition held in the records of one normalised document (table -> records)."""
    documents = [dict(row) for row in records.get("documents", [])]
    objectives = [dict(row) for row in records.get("objectives", [])]
    doc_ids = {str(row["doc_id"]) for row in documents + objectives}
    if len(doc_ids) != 1:
        raise ValueError(f"expected the records of one document, got {len(doc_ids)}")
    return Edition(
        doc_id=doc_ids.pop(),
        objectives=objectives,
        items=[dict(row) for row in records.get("items", [])],
        dates=[dict(row) for row in records.get("dates", [])],
        document=documents[0] if documents else {},
    )


def stored_doc_ids(data_dir: str | Path) -> list[str]:
    """doc_ids of the documents stored in ``data_dir`` (empty when there is none)."""
    documents = read_table(TABLES["documents"], data_dir)
    if documents is None:
        return []
    return sorted(set(documents.column("doc_id").to_pylist()))


def resolve_doc_id(data_dir: str | Path, doc_id: str) -> str | None:
    """The stored doc_id equal to ``doc_id``, or the only one starting with it."""
    stored = stored_doc_ids(data_dir)
    if doc_id in stored:
        return doc_id
    starting = [stored_id for stored_id in stored if stored_id.startswith(doc_id)]
    return starting[0] if len(starting) == 1 else None


def load_edition(data_dir: str | Path, doc_id: str) -> Edition:
    """The edition of ``doc_id`` as stored in the tables of ``data_dir`` (KeyError if absent)."""
    records: dict[str, list[Record]] = {}
    for name in COMPARED_TABLES:
        table = read_table(TABLES[name], data_dir)
        if table is None:
            records[name] = []
            continue
        import pyarrow.compute as pc  # imported when used: start-up time

        rows = table.filter(pc.equal(table["doc_id"], doc_id))
        records[name] = rows.to_pylist()
    if not records["objectives"] and not records["documents"]:
        raise KeyError(doc_id)
    return edition_from_records(records)


def load_editions(data_dir: str | Path, doc_ids: Sequence[str] | None = None) -> dict[str, Edition]:
    """The editions stored in ``data_dir`` (all, or those of ``doc_ids``), by doc_id in
    stored order; each table is read once. The one place compare reads many documents."""
    records: dict[str, dict[str, list[Record]]] = {}
    for name in COMPARED_TABLES:
        table = read_table(TABLES[name], data_dir)
        if table is None:
            continue
        if doc_ids is not None:
            import pyarrow.compute as pc  # imported when used: start-up time

            table = table.filter(pc.is_in(table["doc_id"], value_set=pa.array(list(doc_ids))))
        for row in table.to_pylist():
            records.setdefault(str(row["doc_id"]), {}).setdefault(name, []).append(row)
    documents = [doc_id for doc_id in records if records[doc_id].get("documents")]
    return {doc_id: edition_from_records(records[doc_id]) for doc_id in documents}
