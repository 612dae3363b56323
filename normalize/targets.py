"""The ``targets`` table: one row per item and target year, with the target text parsed.

A performance table prints an indicator's target once (``Target``: one row, ``year`` null)
or once per plan year (``Target 2025 | Target 2026 | Target 2027``: one row per year). Any
reader that gives an item its targets by year (:class:`YearTarget`) gets the table from
:func:`target_records`; an item without them gets one row from its ``target`` text.

:func:`parse_target` reads a target text that is *one* number, percentage or date, with the
comparator printed before it (``≥ 95%``, ``almeno 12 eventi``, ``non oltre 30 giorni``,
``entro il 30/06/2025``); any other text (``Tutte le domande``, ``Gradimento 7/10``, ``SI``)
keeps its text and no value: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from normalize.dates import find_dates
from schema.records import RECORD_TYPES

TargetRecord = RECORD_TYPES["targets"]

#: Comparators as printed (folded to lower case) -> the comparator recorded; longest first.
COMPARATORS: tuple[tuple[str, str], ...] = (
    ("maggiore o uguale a", "≥"),
    ("minore o uguale a", "≤"),
    ("non inferiore al", "≥"),
    ("non inferiore a", "≥"),
    ("non superiore al", "≤"),
    ("non superiore a", "≤"),
    ("superiore al", ">"),
    ("superiore a", ">"),
    ("inferiore al", "<"),
    ("inferiore a", "<"),
    ("non oltre il", "non oltre"),
    ("non oltre", "non oltre"),
    ("almeno il", "almeno"),
    ("almeno", "almeno"),
    ("entro il", "entro"),
    ("entro", "entro"),
    ("pari al", "="),
    ("pari a", "="),
    (">=", "≥"),
    ("=>", "≥"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    (">", ">"),
    ("<", "<"),
    ("=", "="),
)

_NUMBER = re.compile(
    r"^(?P<number>[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|[+-]?\d+\.\d{1,2})"
    r"\s*(?P<percent>%)?(?P<rest>.*)$",
    re.S,
)
_UNIT = re.compile(r"^[A-Za-zÀ-ÿ'’/.]+(?:\s+[A-Za-zÀ-ÿ'’/.]+)?$")
#: Words that make the text after a number more than a unit (a deadline, a condition).
_NOT_UNIT_WORDS = frozenset({"entro", "dal", "al", "nel", "per", "su", "di", "oltre", "e", "o"})
_DATE_PRECISIONS = frozenset({"day", "month", "semester", "season", "year"})


class ParsedTarget(NamedTuple):
    """What a target text says when it is one value: the number (None for a date), its unit
    (``%``, ``date`` or the words after the number), its comparator and its date."""

    value: float | None = None
    unit: str | None = None
    comparator: str | None = None
    date: dt.date | None = None


class YearTarget(NamedTuple):
    """One target of an item as printed: its year (None when the heading names none) and
    its text."""

    year: int | None
    text: str | None


def split_comparator(text: str) -> tuple[str | None, str]:
    """(comparator, the text after it) for a text opening with a comparator; else
    (None, text)."""
    stripped = text.strip()
    folded = stripped.lower()
    for printed, comparator in COMPARATORS:
        if folded.startswith(printed):
            rest = stripped[len(printed) :]
            if printed[-1].isalpha() and rest[:1].isalpha():
                continue  # "entrone", "almenox": not the word
            return comparator, rest.strip(" :")
    return None, stripped


def parse_number(text: str) -> float | None:
    """An Italian-printed number: ``1.200`` -> 1200, ``12,5`` -> 12.5, ``1.200,50`` -> 1200.5;
    ``2.5`` (one or two decimals after a dot) -> 2.5. None when the text is not a number."""
    match = _NUMBER.match(text.strip())
    if not match or match.group("rest").strip():
        return None
    return _number_value(match.group("number"))


def _number_value(printed: str) -> float:
    if "," in printed:
        return float(printed.replace(".", "").replace(",", "."))
    if re.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+", printed):
        return float(printed.replace(".", ""))
    return float(printed)


def _parse_value(rest: str) -> tuple[float, str | None] | None:
    """(value, unit) of a text that is one number, a percentage, or a number followed by a
    few words (its unit: ``12 eventi``); None otherwise."""
    match = _NUMBER.match(rest)
    if not match:
        return None
    value = _number_value(match.group("number"))
    words = match.group("rest").strip(" .;")
    if match.group("percent"):
        return (value, "%") if not re.search(r"\d", words) else None
    if not words:
        return value, None
    if _UNIT.match(words) and not _NOT_UNIT_WORDS & set(words.lower().split()):
        return value, words
    return None


def _parse_date(text: str, default_year: int | None) -> ParsedTarget | None:
    """A text that is one date phrase (``entro il 30/06/2025``, ``31.12.2025``)."""
    mentions = find_dates(text, default_year)
    if len(mentions) != 1 or not mentions[0].valid or mentions[0].date is None:
        return None
    mention = mentions[0]
    outside = (text[: mention.start] + text[mention.end :]).strip(" .;:,").lower()
    comparator, after = split_comparator(outside) if outside else (None, "")
    if after.strip(" .;:,") or mention.precision not in _DATE_PRECISIONS:
        return None
    if comparator is None and mention.kind == "by":
        comparator = "entro"
    return ParsedTarget(None, "date", comparator, mention.date)


def parse_target(text: str | None, default_year: int | None = None) -> ParsedTarget:
    """A target text read as one number, percentage or date with its comparator (see module
    doc); an empty :class:`ParsedTarget` when it is anything else."""
    if not text or not text.strip():
        return ParsedTarget()
    flat = " ".join(text.split())
    comparator, rest = split_comparator(flat)
    value = _parse_value(rest)
    if value is not None:
        return ParsedTarget(value[0], value[1], comparator)
    return _parse_date(flat, default_year) or ParsedTarget()


def target_records(
    item: Mapping[str, object],
    yearly: Sequence[YearTarget] = (),
    default_year: int | None = None,
) -> list[TargetRecord]:
    """The ``targets`` rows of one item record: one per :class:`YearTarget` when the reader
    gave them, else one with ``year`` null holding the item's ``target``."""
    printed = list(yearly) or [YearTarget(None, item.get("target"))]  # type: ignore[arg-type]
    records = []
    for target in printed:
        parsed = parse_target(target.text, target.year or default_year)
        records.append(
            TargetRecord(
                doc_id=item["doc_id"],
                sector_code=item["sector_code"],
                objective_code=item["objective_code"],
                item_seq=item["item_seq"],
                year=target.year,
                target=target.text,
                value=parsed.value,
                unit=parsed.unit,
                comparator=parsed.comparator,
                target_date=parsed.date,
            )
        )
    return records
