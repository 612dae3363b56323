"""Charts as inline SVG strings (matplotlib, no pyplot, no network); labels in Italian."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from report.data import weight_by_sector_mission

MONTHS_IT = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")
SEVERITY_IT = {"error": "errore", "warning": "avviso", "info": "informazione"}
SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#e67e22", "info": "#2e86c1"}
SEVERITY_ORDER = ("error", "warning", "info")

_RC = {
    "svg.fonttype": "none",  # text stays text: searchable, selectable, small
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def month_label(month: pd.Timestamp) -> str:
    """``gen 2023`` (Italian month abbreviation, independent of the locale)."""
    return f"{MONTHS_IT[month.month - 1]} {month.year}"


def _svg(figure: Figure, chart_id: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id, "svg.id": chart_id}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: inlined in HTML


def _empty(title: str, chart_id: str) -> str:
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(6, 1.2))
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.set_title(title, loc="left")
        axes.text(0.5, 0.3, "Nessun dato", ha="center", va="center", color="#666")
        return _svg(figure, chart_id)


def _mission_label(code: int, names: dict[int, str]) -> str:
    if code == 0:
        return "senza missione"
    name = names.get(code, "")
    name = name if len(name) <= 45 else name[:44] + "…"
    return f"M {code:02d} {name}".strip()


def weight_chart(objectives: pd.DataFrame, sectors: Sequence[str] | None = None) -> str:
    """Horizontal stacked bars: each sector's total weight split by mission."""
    title = "Peso per settore e missione"
    if objectives.empty:
        return _empty(title, "peso")
    pivot = weight_by_sector_mission(objectives)
    if sectors is not None:
        pivot = pivot.reindex([s for s in sectors if s in pivot.index])
    names = {
        int(code): str(name)
        for code, name in objectives.dropna(subset=["mission_code", "mission_name"])[
            ["mission_code", "mission_name"]
        ].itertuples(index=False)
    }
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(8, 0.55 * len(pivot) + 1.8))
        axes = figure.add_subplot()
        colours = matplotlib.colormaps["tab20"].colors
        left = pd.Series(0, index=pivot.index)
        labels = list(reversed(pivot.index))
        for position, mission in enumerate(pivot.columns):
            values = pivot[mission]
            bars = axes.barh(
                labels,
                values.reindex(labels),
                left=left.reindex(labels),
                color=colours[position % len(colours)],
                label=_mission_label(int(mission), names),
                edgecolor="white",
            )
            axes.bar_label(
                bars,
                labels=[f"M{int(mission)}" if v >= 4 else "" for v in values.reindex(labels)],
                label_type="center",
                fontsize=7,
            )
            left = left + values
        for label in labels:
            axes.text(left[label] + 0.8, label, str(int(left[label])), va="center")
        axes.set_xlabel("peso (somma dei pesi assegnati dalla giunta)")
        axes.set_title(title, loc="left")
        axes.set_xlim(0, max(left.max() * 1.08, 1))
        axes.legend(
            title="Missione", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8
        )
        return _svg(figure, "peso")


def deadline_chart(deadlines: pd.DataFrame, sectors: Sequence[str] | None = None) -> str:
    """Stacked bars: deadlines per month, one colour per sector (from :func:`deadlines`)."""
    title = "Scadenze per mese e settore"
    if deadlines.empty:
        return _empty(title, "scadenze")
    order = list(sectors) if sectors is not None else list(dict.fromkeys(deadlines["sector_code"]))
    months = pd.date_range(deadlines["month"].min(), deadlines["month"].max(), freq="MS")
    counts = (
        deadlines.groupby(["month", "sector_code"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=months, columns=[s for s in order if s in set(deadlines["sector_code"])])
        .fillna(0)
    )
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(9, 3.4))
        axes = figure.add_subplot()
        colours = matplotlib.colormaps["tab10"].colors
        bottom = pd.Series(0.0, index=counts.index)
        positions = range(len(counts))
        for position, sector in enumerate(counts.columns):
            axes.bar(
                positions,
                counts[sector],
                bottom=bottom,
                color=colours[position % len(colours)],
                label=sector,
                width=0.8,
            )
            bottom = bottom + counts[sector]
        step = 1 if len(months) <= 12 else 3
        ticks = [i for i, month in enumerate(months) if (month.month - 1) % step == 0]
        axes.set_xticks(ticks, [month_label(months[i]) for i in ticks], rotation=45, ha="right")
        axes.set_ylabel("scadenze")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_title(title, loc="left")
        axes.legend(title="Settore", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
        return _svg(figure, "scadenze")


def quality_chart(quality: pd.DataFrame) -> str:
    """Horizontal bars: findings per rule, coloured by severity."""
    title = "Rilievi di qualità per regola"
    if quality.empty:
        return _empty(title, "qualita")
    rank = {severity: i for i, severity in enumerate(SEVERITY_ORDER)}
    counts = quality.groupby(["severity", "rule"]).size().reset_index(name="n")
    counts["rank"] = counts["severity"].map(rank).fillna(len(rank))
    counts = counts.sort_values(["rank", "n", "rule"], ascending=[False, True, False])
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(8, 0.3 * len(counts) + 1.2))
        axes = figure.add_subplot()
        bars = axes.barh(
            counts["rule"],
            counts["n"],
            color=[SEVERITY_COLOURS.get(s, "#888") for s in counts["severity"]],
        )
        axes.bar_label(bars, padding=3)
        axes.set_xlabel("rilievi")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_title(title, loc="left")
        handles = [
            matplotlib.patches.Patch(color=SEVERITY_COLOURS[s], label=SEVERITY_IT[s])
            for s in SEVERITY_ORDER
            if s in set(counts["severity"])
        ]
        axes.legend(handles=handles, title="Gravità", frameon=False, loc="lower right")
        return _svg(figure, "qualita")


def series_chart(weights: pd.DataFrame, chart_id: str = "serie") -> str:
    """Grouped bars: the weight of each sector (one colour each) in each edition (x axis),
    from a sectors x editions frame (:func:`report.site.sector_series`)."""
    title = "Peso per settore ed edizione"
    if weights.empty or not len(weights.columns):
        return _empty(title, chart_id)
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(max(5, 1.6 * len(weights.columns) + 2), 3.2))
        axes = figure.add_subplot()
        colours = matplotlib.colormaps["tab10"].colors
        width = 0.8 / max(len(weights.index), 1)
        for position, sector in enumerate(weights.index):
            offsets = [
                column + (position - (len(weights.index) - 1) / 2) * width
                for column in range(len(weights.columns))
            ]
            bars = axes.bar(
                offsets,
                weights.loc[sector],
                width=width,
                color=colours[position % len(colours)],
                label=str(sector),
            )
            axes.bar_label(bars, fontsize=7, padding=2)
        axes.set_xticks(range(len(weights.columns)), [str(c) for c in weights.columns])
        axes.set_xlabel("edizione (anno d'inizio del periodo)")
        axes.set_ylabel("peso")
        axes.set_title(title, loc="left")
        axes.legend(title="Settore", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
        return _svg(figure, chart_id)
