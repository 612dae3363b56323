"""notebooks/analisi_piao.ipynb runs top to bottom on fresh output and draws its charts."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from piao import pipeline

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "analisi_piao.ipynb"
REAL_DOCUMENT = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_notebook_runs_on_fresh_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "clean"
    assert pipeline.run([REAL_DOCUMENT], data).ok
    monkeypatch.setenv("PIAO_DATA", str(data))
    monkeypatch.setenv("PIAO_RIFERIMENTO", "2023-10-01")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # weight per sector and mission, deadline timeline, quality
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "48 obiettivi, 136 sotto-voci" in printed
    assert "scadenze tra il 01/10/2023 e il 01/01/2024" in printed
