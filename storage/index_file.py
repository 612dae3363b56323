"""How the two derived index files are kept: Arrow IPC behind a checksum, read whole at once.

``<out>/.piao-documents.index`` (the committed documents, :mod:`storage.store`) and
``<out>/.piao-history.index`` (one row per document of the history,
:mod:`compare.history_files`) are read and written whole by every add: the add's cost
grows with them. As Parquet (lz4, dictionaries, page checksums) they cost, at 20,000
documents, ~25 ms to write and ~15 ms to read (the documents index), ~10 and ~6 ms (the
history's); as Arrow IPC, ~1.5 ms to write and under 0.1 ms to read (no decoding: the
columns are the file's bytes), for three times the bytes (7 MB and 2.4 MB).

A file is :data:`MAGIC` (8 bytes), the CRC32 of the rest (4 bytes, little-endian), 4 bytes
of padding (the columns stay aligned), then an Arrow IPC file. The checksum stands in for
Parquet's page checksums: a file whose bytes changed is refused as unreadable (an
``OSError``), as a corrupt index always was (the documents index is then built again from
the tables, the history recomputed). A Parquet index written by an earlier version is
still read (page checksums verified); the next write replaces it with this form.

Hidden files, no ``.parquet`` suffix: no reader of the tables' folders takes them.
"""

from __future__ import annotations

import errno
import struct
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

MAGIC = b"PIAOIDX1"
#: The header: magic, CRC32 of the body, padding to 16 bytes.
HEADER = struct.Struct("<8sI4x")


def write(arrow: pa.Table, path: Path) -> None:
    """``arrow`` written to ``path`` as an index file (header, then Arrow IPC)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, arrow.schema) as writer:
        writer.write_table(arrow)
    body = sink.getvalue()
    with open(path, "wb") as stream:
        stream.write(HEADER.pack(MAGIC, zlib.crc32(body)))
        stream.write(body)


def read(path: Path, columns: list[str] | None = None) -> pa.Table:
    """An index file (``columns``: those present of them; every column when None): the
    Arrow IPC form, its checksum verified, or Parquet written by an earlier version, its
    page checksums verified. Raises ``OSError`` (EIO) for a checksum that does not match,
    ``pa.ArrowException`` or ``OSError`` for a file that cannot be read."""
    with pa.OSFile(str(path)) as source:
        data = source.read_buffer()
    if data.size < HEADER.size or data.slice(0, len(MAGIC)).to_pybytes() != MAGIC:
        parquet = pq.ParquetFile(path, page_checksum_verification=True)
        present = [n for n in parquet.schema_arrow.names if columns is None or n in columns]
        return parquet.read(columns=present)  # (pq.read_table imports pandas)
    _, checksum = HEADER.unpack(data.slice(0, HEADER.size).to_pybytes())
    body = data.slice(HEADER.size)
    if zlib.crc32(body) != checksum:
        raise OSError(errno.EIO, "index file checksum mismatch", str(path))
    arrow = pa.ipc.open_file(body).read_all()
    if columns is None:
        return arrow
    return arrow.select([name for name in arrow.column_names if name in columns])
