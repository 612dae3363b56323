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


def run_notebook(data: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    """Run the notebook on ``data`` (environment ``env``); the text it printed."""
    monkeypatch.setenv("PIAO_DATA", str(data))
    monkeypatch.setenv("PIAO_RIFERIMENTO", "2023-10-01")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


# Alfaterna's editions are the plan's: 2023 the shipped document (48 objectives, weight 200),
# 2024 the derived edition (2 added, 2 removed, weights rebalanced: 203), 2025 = 2024 minus
# TEC 9.3.2.10 (weight 4) plus 1 on SAP 12.1.1.1. Each other administration lacks its
# removed FIN objectives (make_editions.py records them) in every edition.
PLAN = {2023: (48, 200), 2024: (48, 203), 2025: (47, 200)}


def test_notebook_totals_each_edition_apart(editions_corpus, monkeypatch) -> None:
    data, records = editions_corpus
    printed = run_notebook(data, monkeypatch)
    for record in records:
        objectives, weight = PLAN[record["edition"]]
        objectives -= len(record["removed_fin"])
        weight -= record["removed_weight"]
        line = f"{record['ente']} {record['edition']}: {objectives} obiettivi, peso {weight}"
        assert line in printed
    assert "Comune di Castelmarino 2025: 45 obiettivi, peso 193" in printed
    # the detail is one document, said so: never a total over editions
    assert (
        "Dettaglio su: Comune di Alfaterna 2025 (alfaterna_piao_2025-2027_allegato1.txt)" in printed
    )
    assert "47 obiettivi, " in printed and "1776" not in printed


def test_notebook_filters_by_ente_and_edition(editions_corpus, monkeypatch) -> None:
    data, _records = editions_corpus
    printed = run_notebook(data, monkeypatch, PIAO_ENTE="borgo", PIAO_EDIZIONE="2024")
    assert "Comune di Borgoverde 2024: 47 obiettivi, peso 199" in printed
    assert "Alfaterna" not in printed and "Borgoverde 2023" not in printed
    assert "Dettaglio su: Comune di Borgoverde 2024" in printed
