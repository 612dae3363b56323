"""Layout hints: a small TOML file for what detection cannot settle.

Headings and content place the columns of most tables (:mod:`normalize.headers`); a layout
that words a heading in a way no alias foresees, opens its sector headings with an unusual
word or numbers its objectives in its own style can be described in a TOML file, given with
``piao extract --layout FILE`` or put beside the attachment as ``<attachment>.layout.toml``
(``plan.pdf`` -> ``plan.pdf.layout.toml``)::

    [columns]                      # extra headings per canonical column
    objective = ["Azione di miglioramento"]
    weight = ["Rilevanza"]
    extra = ["Centro di costo"]

    [sectors]
    words = ["CENTRO DI RESPONSABILITÀ"]

    [codes]                        # regular expressions; group 'code' (or the match) is the key
    patterns = ['AZ-(?P<code>\\d+)']

    [settings]                     # optional numeric overrides
    header_min_score = 75

    [boundaries]                   # x of the lines between columns, PDF points from the left
    all = [105, 177, 245, 364]     # every page's borderless tables
    "6-18" = [98, 170, 240, 360]   # pages 6 to 18 (a page range wins over ``all``)

Hints only add to the defaults: a hint never removes an alias.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from extract.errors import ExtractError
from extract.pdf_columns import PageBoundaries
from normalize.settings import FIELDS, NormalizeSettings

#: Hints for ``plan.pdf`` are read from ``plan.pdf.layout.toml`` beside it.
LAYOUT_SUFFIX = ".layout.toml"
SECTIONS = ("columns", "sectors", "codes", "settings", "boundaries")
NUMERIC_SETTINGS = ("header_min_score", "header_min_columns", "header_max_rows", "content_share")


class LayoutHintsError(ExtractError):
    """A layout file that cannot be used; ``str(error)`` is one line naming the file."""

    reason = "unusable layout file"


def layout_path(attachment: str | Path) -> Path:
    """Where the hints of an attachment are looked for."""
    attachment = Path(attachment)
    return attachment.with_name(attachment.name + LAYOUT_SUFFIX)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}: expected a string or a list of strings")
    return tuple(value)


def parse_hints(data: Mapping[str, object]) -> dict[str, object]:
    """Settings overrides from the parsed TOML (raises ValueError naming the bad entry)."""
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections {sorted(unknown)}; allowed: {', '.join(SECTIONS)}")
    hints: dict[str, object] = {}
    columns = data.get("columns", {})
    if not isinstance(columns, Mapping):
        raise ValueError("[columns]: expected a table of column = [headings]")
    bad = set(columns) - set(FIELDS)
    if bad:
        raise ValueError(f"[columns]: unknown columns {sorted(bad)}; allowed: {', '.join(FIELDS)}")
    hints["columns"] = {name: _strings(value, f"columns.{name}") for name, value in columns.items()}
    sectors = data.get("sectors", {})
    codes = data.get("codes", {})
    settings = data.get("settings", {})
    for name, table in (("sectors", sectors), ("codes", codes), ("settings", settings)):
        if not isinstance(table, Mapping):
            raise ValueError(f"[{name}]: expected a table")
    hints["sector_heading_words"] = _strings(sectors.get("words", []), "sectors.words")
    hints["code_patterns"] = _strings(codes.get("patterns", []), "codes.patterns")
    bad = set(settings) - set(NUMERIC_SETTINGS)
    if bad:
        raise ValueError(
            f"[settings]: unknown {sorted(bad)}; allowed: {', '.join(NUMERIC_SETTINGS)}"
        )
    hints["settings"] = dict(settings)
    if "boundaries" in data:
        hints["column_boundaries"] = parse_boundaries(data["boundaries"])
    return hints


def page_range(key: str) -> tuple[int, int | None]:
    """``all`` -> (1, None); ``7`` -> (7, 7); ``6-18`` -> (6, 18) (raises ValueError)."""
    if key == "all":
        return 1, None
    first, dash, last = key.partition("-")
    if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
        raise ValueError(f"[boundaries]: {key!r} is not a page range (all, 7 or 6-18)")
    start, end = int(first), int(last) if dash else int(first)
    if not 1 <= start <= end:
        raise ValueError(f"[boundaries]: page range {key!r} must run forward from page 1 on")
    return start, end


def boundary_xs(key: str, value: object) -> tuple[float, ...]:
    """The x positions of one ``[boundaries]`` entry: numbers >= 0, strictly increasing."""
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in value)
    ):
        raise ValueError(f"[boundaries]: {key}: expected a list of x positions in points")
    xs = tuple(float(x) for x in value)
    if xs[0] < 0 or any(b <= a for a, b in pairwise(xs)):
        raise ValueError(f"[boundaries]: {key}: x positions must be >= 0 and increasing")
    return xs


def parse_boundaries(table: object) -> tuple[PageBoundaries, ...]:
    """The ``[boundaries]`` section: per page range (``all``, ``7``, ``6-18``) the x of the
    column boundaries; two ranges (``all`` aside) may not share a page."""
    if not isinstance(table, Mapping):
        raise ValueError("[boundaries]: expected a table of page range = [x, ...]")
    ranges = []
    for key, value in table.items():
        first, last = page_range(key)
        ranges.append(PageBoundaries(first, last, boundary_xs(key, value)))
    pages = sorted((r.first, r.last, key) for r, key in zip(ranges, table, strict=True) if r.last)
    for (_, last, key), (first, _, other) in pairwise(pages):
        if first <= last:  # type: ignore[operator]
            raise ValueError(f"[boundaries]: page ranges {key!r} and {other!r} overlap")
    return tuple(ranges)


def apply_hints(settings: NormalizeSettings, hints: Mapping[str, object]) -> NormalizeSettings:
    """The settings with the hints added (aliases first, so a hint wins a tie)."""
    aliases = {name: tuple(names) for name, names in settings.header_aliases.items()}
    for name, extra in dict(hints.get("columns", {})).items():  # type: ignore[call-overload]
        aliases[name] = (*extra, *aliases.get(name, ()))
    return replace(
        settings,
        header_aliases=aliases,
        sector_heading_words=(
            *settings.sector_heading_words,
            *hints.get("sector_heading_words", ()),
        ),  # type: ignore[misc]
        code_patterns=(*settings.code_patterns, *hints.get("code_patterns", ())),  # type: ignore[misc]
        column_boundaries=hints.get("column_boundaries", settings.column_boundaries),  # type: ignore[arg-type]
        **dict(hints.get("settings", {})),  # type: ignore[call-overload]
    )


def hints_error(path: Path, attachment: str | Path | None, detail: object) -> LayoutHintsError:
    """``<attachment>: layout file <path>: <detail>`` (or ``<path>: <detail>``)."""
    if attachment is None:
        return LayoutHintsError(path, str(detail))
    return LayoutHintsError(attachment, f"layout file {path}: {detail}")


def read_hints(path: str | Path, attachment: str | Path | None = None) -> dict[str, object]:
    """Parse and check a layout file; raises :class:`LayoutHintsError` (one line)."""
    import tomllib  # only when a layout file is given (its parser compiles patterns: start-up)

    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return parse_hints(data)
    except OSError as error:
        raise hints_error(path, attachment, error.strerror) from None
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise hints_error(path, attachment, error) from None


def with_layout(
    settings: NormalizeSettings | Mapping[str, object] | None,
    layout: str | Path | None = None,
    attachment: str | Path | None = None,
) -> NormalizeSettings:
    """Settings with the hints of ``layout`` and of the file beside ``attachment`` (both
    when both exist; the attachment's own file last, so it wins a tie)."""
    resolved = NormalizeSettings.resolve(settings)
    paths = [Path(layout)] if layout else []
    if attachment is not None and layout_path(attachment).is_file():
        paths.append(layout_path(attachment))
    for path in paths:
        try:
            resolved = apply_hints(resolved, read_hints(path, attachment))
        except (TypeError, ValueError) as error:
            raise hints_error(path, attachment, error) from None
    return resolved
