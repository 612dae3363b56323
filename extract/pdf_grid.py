"""Ruled tables from a page's edges: pdfplumber's ``TableFinder`` on plain tuples.

A port of pdfplumber's table finder (``pdfplumber.table``, MIT licence, Jeremy Singer-Vine;
after Anssi Nurminen's thesis and Tabula) for the settings piao uses: the "lines" and
"explicit" strategies (:data:`extract.pdf_pdfplumber.LINES_SETTINGS`,
``EXPLICIT_SETTINGS`` and the mixes of them), with pdfplumber's defaults for the rest.
The steps are pdfplumber's, in its order and with its arithmetic, so that the cells are
exactly its cells: edges from the page's lines, rectangles and curves
(:func:`page_edges`, pdfplumber's ``Page.edges``), the explicit lines added, edges snapped
to the mean of their cluster, joined along one line, filtered by length, their
intersections, the smallest cell at each intersection, and the cells grouped into tables
by shared corners. pdfplumber's objects are dicts copied at each step; here an edge is a
tuple (x0, top, x1, bottom, length), where length is the width (horizontal) or height
(vertical) pdfplumber keeps for it (after a move it keeps the old one, after a join it adds
the difference), because its length filter reads that number.

The "text" strategy (edges from word positions) is not ported: piao does not use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any, NamedTuple

#: pdfplumber's defaults for the settings piao leaves unset.
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1

BBox = tuple[float, float, float, float]
#: x0, top, x1, bottom, length (pdfplumber's width of a horizontal edge, height of a
#: vertical one).
Edge = tuple[float, float, float, float, float]
Point = tuple[float, float]
_X0, _TOP = itemgetter(0), itemgetter(1)


class GridSettings(NamedTuple):
    """The table settings the port reads (pdfplumber's ``TableSettings`` fields)."""

    vertical_strategy: str
    horizontal_strategy: str
    explicit_vertical_lines: tuple[float, ...]
    explicit_horizontal_lines: tuple[float, ...]
    snap_tolerance: float
    intersection_tolerance: float


def grid_settings(settings: dict[str, Any]) -> GridSettings:
    """piao's pdfplumber settings dict as :class:`GridSettings` (pdfplumber's defaults
    for what it leaves out); a setting or strategy the port does not cover is refused
    (ValueError), so that a caller falls back to pdfplumber rather than read otherwise."""
    known = {
        "vertical_strategy",
        "horizontal_strategy",
        "explicit_vertical_lines",
        "explicit_horizontal_lines",
        "snap_tolerance",
        "intersection_tolerance",
    }
    if set(settings) - known:
        raise ValueError(f"settings not ported: {sorted(set(settings) - known)}")
    found = GridSettings(
        settings.get("vertical_strategy", "lines"),
        settings.get("horizontal_strategy", "lines"),
        tuple(settings.get("explicit_vertical_lines") or ()),
        tuple(settings.get("explicit_horizontal_lines") or ()),
        settings.get("snap_tolerance", 3),
        settings.get("intersection_tolerance", 3),
    )
    for strategy, lines in (
        (found.vertical_strategy, found.explicit_vertical_lines),
        (found.horizontal_strategy, found.explicit_horizontal_lines),
    ):
        if strategy not in ("lines", "explicit"):
            raise ValueError(f"strategy not ported: {strategy}")
        if strategy == "explicit" and len(lines) < 2:
            raise ValueError("an explicit strategy needs two or more lines")
    lines = found.explicit_vertical_lines + found.explicit_horizontal_lines
    if not all(isinstance(line, int | float) for line in lines):
        raise ValueError("explicit lines other than numbers are not ported")
    if found.snap_tolerance < 0 or found.intersection_tolerance < 0:
        raise ValueError("a tolerance cannot be negative")
    return found


def page_edges(
    lines: Sequence[dict[str, Any]],
    rects: Sequence[dict[str, Any]],
    curves: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """pdfplumber's ``Page.edges``: each line as an edge (horizontal when its top is its
    bottom, else vertical), each rectangle's four sides (top, bottom, left, right), each
    curve's segments between consecutive points (vertical, horizontal, or neither: None),
    as pdfplumber's edge dicts (the keys piao and the finder read)."""
    edges = [
        {**line, "orientation": "h" if line["top"] == line["bottom"] else "v"} for line in lines
    ]
    for rect in rects:
        top, height = rect["top"], rect["height"]
        edges += [
            {**rect, "object_type": "rect_edge", "height": 0, "y0": rect["y1"],
             "bottom": top, "orientation": "h"},
            {**rect, "object_type": "rect_edge", "height": 0, "y1": rect["y0"],
             "top": top + height, "doctop": rect["doctop"] + height, "orientation": "h"},
            {**rect, "object_type": "rect_edge", "width": 0, "x1": rect["x0"],
             "orientation": "v"},
            {**rect, "object_type": "rect_edge", "width": 0, "x0": rect["x1"],
             "orientation": "v"},
        ]  # fmt: skip
    for curve in curves:
        shift = curve["doctop"] - curve["top"]
        points = curve["pts"]
        for (ax, ay), (bx, by) in pairwise(points):
            edges.append(
                {
                    "object_type": "curve_edge",
                    "x0": min(ax, bx),
                    "x1": max(ax, bx),
                    "top": min(ay, by),
                    "doctop": min(ay, by) + shift,
                    "bottom": max(ay, by),
                    "width": abs(ax - bx),
                    "height": abs(ay - by),
                    "orientation": "v" if ax == bx else ("h" if ay == by else None),
                }
            )
    return edges


def cluster_groups(items: Sequence[Any], key: Any, tolerance: float) -> list[list[Any]]:
    """pdfplumber's ``cluster_objects(items, key, tolerance)``: the distinct key values
    sorted and chained into clusters (each value within ``tolerance`` of the previous),
    the items grouped by cluster, in cluster order and in their order within each."""
    values = sorted({key(item) for item in items})
    index: dict[float, int] = {}
    count = 0
    for position, value in enumerate(values):
        if position and not (tolerance and value <= values[position - 1] + tolerance):
            count += 1
        index[value] = count
    groups: list[list[Any]] = [[] for _ in range(count + 1)] if values else []
    for item in items:
        groups[index[key(item)]].append(item)
    return groups


def snapped(edges: Sequence[Edge], vertical: bool, tolerance: float) -> list[Edge]:
    """pdfplumber's ``snap_objects``: each cluster of edges (vertical ones by x0,
    horizontal ones by top, within ``tolerance``) moved onto its mean, cluster by
    cluster (pdfplumber's ``move_object``: both coordinates shifted by the same amount,
    the length kept)."""
    moved: list[Edge] = []
    key = _X0 if vertical else _TOP
    for cluster in cluster_groups(edges, key, tolerance):
        mean = sum(map(key, cluster)) / len(cluster)
        for x0, top, x1, bottom, length in cluster:
            if vertical:
                shift = mean - x0
                moved.append((x0 + shift, top, x1 + shift, bottom, length))
            else:
                shift = mean - top
                moved.append((x0, top + shift, x1, bottom + shift, length))
    return moved


def joined(edges: Iterable[Edge], vertical: bool, tolerance: float) -> list[Edge]:
    """pdfplumber's ``join_edge_group``: edges along one line, sorted by their start,
    each that starts within ``tolerance`` of the end of the previous one extends it
    (``resize_object``: the end moved, the length grown by as much)."""
    start, end = (1, 3) if vertical else (0, 2)
    ordered = sorted(edges, key=itemgetter(start))
    result = [ordered[0]]
    for edge in ordered[1:]:
        last = result[-1]
        if edge[start] <= last[end] + tolerance:
            if edge[end] > last[end]:
                x0, top, x1, bottom, length = last
                if vertical:
                    result[-1] = (x0, top, x1, edge[3], length + (edge[3] - bottom))
                else:
                    result[-1] = (x0, top, edge[2], bottom, edge[2] - x0)
        else:
            result.append(edge)
    return result


def merged(
    vertical: Sequence[Edge], horizontal: Sequence[Edge], snap: float
) -> tuple[list[Edge], list[Edge]]:
    """pdfplumber's ``merge_edges`` then its length filter: snapped (when ``snap`` > 0),
    joined along each line (horizontal lines first, by top, then vertical, by x0, as
    pdfplumber orders them), and only those at least EDGE_MIN_LENGTH long."""
    if snap > 0:
        vertical, horizontal = snapped(vertical, True, snap), snapped(horizontal, False, snap)
    lines: list[list[Edge]] = []
    for edges, key, is_vertical in ((horizontal, _TOP, False), (vertical, _X0, True)):
        found: list[Edge] = []
        for _, group in groupby(sorted(edges, key=key), key):
            found += joined(group, is_vertical, JOIN_TOLERANCE)
        lines.append([edge for edge in found if edge[4] >= EDGE_MIN_LENGTH])
    return lines[1], lines[0]


def finder_edges(
    edges: Sequence[dict[str, Any]], bbox: BBox, settings: GridSettings
) -> tuple[list[Edge], list[Edge]]:
    """The (vertical, horizontal) edges pdfplumber's ``TableFinder.get_edges`` keeps: the
    page's drawn edges (``edges``, pdfplumber's dicts; for a "lines" strategy, those at
    least EDGE_MIN_LENGTH_PREFILTER long) and the explicit lines across the page box
    ``bbox``, merged (:func:`merged`)."""
    x0, top, x1, bottom = bbox
    found: dict[str, list[Edge]] = {"v": [], "h": []}
    for orientation, strategy in (
        ("v", settings.vertical_strategy),
        ("h", settings.horizontal_strategy),
    ):
        if strategy != "lines":
            continue
        dimension = "height" if orientation == "v" else "width"
        found[orientation] = [
            (edge["x0"], edge["top"], edge["x1"], edge["bottom"], edge[dimension])
            for edge in edges
            if edge["orientation"] == orientation and edge[dimension] >= EDGE_MIN_LENGTH_PREFILTER
        ]
    found["v"] += [(x, top, x, bottom, bottom - top) for x in settings.explicit_vertical_lines]
    found["h"] += [(x0, y, x1, y, x1 - x0) for y in settings.explicit_horizontal_lines]
    return merged(found["v"], found["h"], settings.snap_tolerance)


def intersections(
    vertical: Sequence[Edge], horizontal: Sequence[Edge], tolerance: float
) -> dict[Point, tuple[set[BBox], set[BBox]]]:
    """pdfplumber's ``edges_to_intersections``: each point (a vertical edge's x0, a
    horizontal edge's top) where the two meet within ``tolerance``, with the boxes of the
    vertical and of the horizontal edges through it."""
    points: dict[Point, tuple[set[BBox], set[BBox]]] = {}
    ordered_h = sorted(horizontal, key=itemgetter(1, 0))
    for v_x0, v_top, v_x1, v_bottom, _ in sorted(vertical, key=itemgetter(0, 1)):
        for h_x0, h_top, h_x1, h_bottom, _ in ordered_h:
            if (
                v_top <= h_top + tolerance
                and v_bottom >= h_top - tolerance
                and v_x0 >= h_x0 - tolerance
                and v_x0 <= h_x1 + tolerance
            ):
                v_boxes, h_boxes = points.setdefault((v_x0, h_top), (set(), set()))
                v_boxes.add((v_x0, v_top, v_x1, v_bottom))
                h_boxes.add((h_x0, h_top, h_x1, h_bottom))
    return points


def intersection_cells(points: dict[Point, tuple[set[BBox], set[BBox]]]) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells``: from each intersection (in sorted order),
    the smallest cell it opens: the first point below it joined to it by a vertical edge
    and the first point right of it joined by a horizontal one (in that nesting) whose
    bottom-right corner is an intersection joined to both."""
    ordered = sorted(points)
    below: dict[Point, list[Point]] = {}
    right: dict[Point, list[Point]] = {}
    by_x: dict[float, list[Point]] = {}
    by_y: dict[float, list[Point]] = {}
    for point in reversed(ordered):  # each list holds the points after it, in order
        column, row = by_x.setdefault(point[0], []), by_y.setdefault(point[1], [])
        below[point], right[point] = column[::-1], row[::-1]
        column.append(point)
        row.append(point)

    def vertical_link(first: Point, second: Point) -> bool:
        return not points[first][0].isdisjoint(points[second][0])

    def horizontal_link(first: Point, second: Point) -> bool:
        return not points[first][1].isdisjoint(points[second][1])

    cells: list[BBox] = []
    for point in ordered:
        cell = None
        for down in below[point]:
            if not vertical_link(point, down):
                continue
            for across in right[point]:
                if not horizontal_link(point, across):
                    continue
                corner = (across[0], down[1])
                if (
                    corner in points
                    and vertical_link(corner, across)
                    and horizontal_link(corner, down)
                ):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def corners(cell: BBox) -> tuple[Point, Point, Point, Point]:
    """A cell's four corners."""
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def cell_tables(cells: Sequence[BBox]) -> list[list[BBox]]:
    """pdfplumber's ``cells_to_tables``: the cells grouped into tables by shared corners
    (pass after pass over the cells left, each adding those touching the group), tables
    of one cell dropped, top-to-bottom then left-to-right by their first corner."""
    remaining = list(cells)
    current: list[BBox] = []
    current_corners: set[Point] = set()
    tables: list[list[BBox]] = []
    while remaining:
        before = len(current)
        left = []
        for cell in remaining:
            cell_corners = corners(cell)
            if not current or any(corner in current_corners for corner in cell_corners):
                current_corners.update(cell_corners)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            current, current_corners = [], set()
    if current:
        tables.append(current)
    ordered = sorted(tables, key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in ordered if len(table) > 1]


def find_tables(
    edges: Sequence[dict[str, Any]], bbox: BBox, settings: dict[str, Any]
) -> list[list[BBox]]:
    """The cells of every table pdfplumber's ``TableFinder`` finds on a page whose edges
    are ``edges`` (pdfplumber's dicts, :func:`page_edges`) and whose box is ``bbox``, with
    piao's ``settings`` (see :func:`grid_settings`), in pdfplumber's order."""
    found = grid_settings(settings)
    vertical, horizontal = finder_edges(edges, bbox, found)
    points = intersections(vertical, horizontal, found.intersection_tolerance)
    return cell_tables(intersection_cells(points))


class CellGroup(NamedTuple):
    """A table row as pdfplumber's ``Row``: its cells in grid columns (None where a
    merged cell leaves the column empty) and their box."""

    cells: list[BBox | None]
    bbox: BBox


def table_box(cells: Sequence[BBox]) -> BBox:
    """The box around a table's cells."""
    return (
        min(cell[0] for cell in cells),
        min(cell[1] for cell in cells),
        max(cell[2] for cell in cells),
        max(cell[3] for cell in cells),
    )


def table_rows(cells: Sequence[BBox]) -> list[CellGroup]:
    """pdfplumber's ``Table.rows``: the cells by top (then x0), each row with one slot
    per distinct x0 of the table."""
    columns = sorted({cell[0] for cell in cells})
    rows = []
    for _, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), _TOP):
        by_x0 = {cell[0]: cell for cell in row_cells}
        slots = [by_x0.get(x) for x in columns]
        rows.append(CellGroup(slots, table_box([cell for cell in slots if cell is not None])))
    return rows
