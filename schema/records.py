"""Compact records: one row of a table with its values in slots, read like a dict.

Normalisation makes one record per cell, date, item... of a document: hundreds of thousands
for a large attachment. As dicts they cost 370-1,200 bytes each before their values (a dict
of 16 keys is 656 bytes) and made a 50 MB text peak at 60 times its size (memory);
a record of :data:`RECORD_TYPES` holds the same values in ``__slots__`` (8 bytes a column).

A record is a read-only-keyed :class:`~collections.abc.Mapping` over the table's columns
(``record["title"]``, ``record.get(...)``, ``dict(record)``, equality with a dict holding the
same columns); a column's value can be replaced (``record["doc_id"] = ...``), no column
added. :func:`column_values` reads one column of many records, dicts or records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import attrgetter

from schema.tables import TABLES


class Record(Mapping[str, object]):
    """Base of the record types: a Mapping over the slots, which are the table's columns."""

    __slots__ = ()
    #: The table's column names, in order (set on each subclass).
    columns: tuple[str, ...] = ()
    _column_set: frozenset[str] = frozenset()

    def __getitem__(self, key: str) -> object:
        if key not in self._column_set:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        """The column's value, or ``default`` when ``key`` is not a column (Mapping's
        ``get``, without its call of ``__getitem__`` and its KeyError: the store reads
        every key column of every row so)."""
        return getattr(self, key) if key in self._column_set else default

    def __setitem__(self, key: str, value: object) -> None:
        if key not in self._column_set:
            raise KeyError(key)
        object.__setattr__(self, key, value)

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"

    def __reduce__(self) -> tuple[object, ...]:  # pickled to and from worker processes
        return (_rebuild, (type(self).__name__, tuple(getattr(self, c) for c in self.columns)))


def _rebuild(type_name: str, values: tuple[object, ...]) -> Record:
    record_type = RECORD_TYPES_BY_CLASS_NAME[type_name]
    return record_type(**dict(zip(record_type.columns, values, strict=True)))


def _init_of(columns: Sequence[str]) -> Callable[..., None]:
    """``__init__(self, *, column=None, ...)``, written out as dataclasses do (a record is
    made per cell: a loop over the columns cost a third of a small document's
    normalisation); a keyword that is not a column raises TypeError."""
    source = f"def __init__(self, *, {', '.join(f'{c}=None' for c in columns)}):\n" + "".join(
        f"    self.{c} = {c}\n" for c in columns
    )
    namespace: dict[str, Callable[..., None]] = {}
    exec(source, namespace)  # column names are identifiers (schema.tables)
    return namespace["__init__"]


def _record_type(table_name: str, columns: Sequence[str]) -> type[Record]:
    name = "".join(part.title() for part in table_name.split("_")) + "Record"
    namespace = {
        "__init__": _init_of(columns),
        "__slots__": tuple(columns),
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": f"One row of the ``{table_name}`` table (see :mod:`schema.records`).",
        "columns": tuple(columns),
        "_column_set": frozenset(columns),
    }
    return type(name, (Record,), namespace)


#: A record type per table, by table name: ``RECORD_TYPES["cells"](doc_id=..., text=...)``;
#: a column not given is None.
RECORD_TYPES: dict[str, type[Record]] = {
    name: _record_type(name, table.column_names) for name, table in TABLES.items()
}
RECORD_TYPES_BY_CLASS_NAME = {cls.__name__: cls for cls in RECORD_TYPES.values()}


_RECORD_CLASSES = frozenset(RECORD_TYPES.values())


def column_values(records: Sequence[Mapping[str, object]], name: str) -> list[object]:
    """The values of column ``name`` in each record (None where a dict lacks it)."""
    kinds = set(map(type, records))
    if kinds <= _RECORD_CLASSES and all(name in kind._column_set for kind in kinds):
        return list(map(attrgetter(name), records))  # the usual case: no test per record
    return [
        (getattr(record, name) if name in record._column_set else None)
        if isinstance(record, Record)
        else record.get(name)
        for record in records
    ]


def key_values(
    records: Sequence[Mapping[str, object]], names: Sequence[str]
) -> Iterable[tuple[object, ...]]:
    """Per record, the tuple of its values of the columns ``names`` (None where a dict
    lacks one): read without a Python step per record when every record is a record
    type holding them all (the store checks the keys of every row it writes)."""
    kinds = set(map(type, records))
    if (
        names
        and kinds <= _RECORD_CLASSES
        and all(kind._column_set.issuperset(names) for kind in kinds)
    ):
        values = map(attrgetter(*names), records)
        return zip(values) if len(names) == 1 else values  # one name: its value, not a tuple
    return (tuple(record.get(name) for name in names) for record in records)
