"""Italian date expressions in PIAO cells: a small, strict, regex-based grammar.

:func:`find_dates` returns every date expression of a text as a :class:`DateMention`, in order
of appearance and without overlaps (the longest candidate wins, then the earliest). Matching is
case-insensitive; ``YEAR`` is a four-digit year 1900-2099 and ``MONTH`` an Italian month name.

Grammar::

    mention      := [keyword] core
    keyword      := by | from | "tra" | "fra"                              (kind "period")
    by           := ("entro" | "non oltre") [article] | "fino a" | "fino al[la|l']"
                  | "termine" ["del" | "della" | "dell'" | "di" | "il"]
    from         := ("a decorrere" | "a partire") "da[l|lla|ll']" | "dal" | "dalla" | "dall'" | "da"
    article      := "il" | "i" | "la" | "le" | "lo" | "l'"
    core         := day-range | month-range | year-range | month-day | day | month
                  | semester | season | year
    day          := DD sep MM sep YEAR            sep is one of / . - (the same twice)
                  | DD ["°"] MONTH [YEAR]         "06 marzo 2019", "1° gennaio 2024"
    month-day    := MONTH day                     "maggio 31/05/2023" (the months must agree)
    month        := [["il" | "nel"] "mese di"] MONTH [["del"] YEAR]
    semester     := [prefix] ("I" | "II" | "1°" | "2°" | "primo" | "secondo") "semestre"
                    [["del" | "dell'anno"] YEAR]  prefix: "per il", "nel", "il", "del"
                                                  ("I"/"II" upper-case only)
    season       := ("primavera" | "estate" | "autunno" | "inverno") [["del"] YEAR]
    year         := year-prefix YEAR | keyword YEAR | YEAR alone in the text
    year-prefix  := "nel" ["corso del"] | "nell'anno" | "per il" | "per l'anno" | "anno"
                  | "riferit[a|o|e|i] al" | "riferit[a|o|e|i] all'anno"
    year-range   := [range-prefix] YEAR ("-" | "/" | "–") (YEAR | YY)     "2023-2025", "2023-25"
    range-prefix := ("nel" | "per il") ["triennio" | "biennio" | "periodo"]
                  | "anni" | "triennio" | "biennio"
    month-range  := month ("/" | "-" | "–") month
                  | ("da" | "dal mese di") month ("a" | "al mese di" | "fino a") month
                  | ("tra" | "fra") month "e" month
    day-range    := ("dal" | "da") day ("al" | "a" | "fino al") day
                  | ("tra" | "fra") "il" day "e il" day

Resolution (``date`` is the last day covered, ``start_date`` the first):

* day: that day; month: its last day (start: the 1st); semester: 30 June / 31 December (start:
  1 January / 1 July); season: the astronomical end, spring 20 June (from 21 March), summer
  22 September (from 21 June), autumn 21 December (from 23 September), winter 20 March (from
  21 December of the year before); year: 31 December (start: 1 January); ranges: the end of the
  later endpoint, from the start of the earlier one (year ranges have precision "period").
* A missing year (``entro giugno``, ``per il I semestre``, ``da marzo a giugno``) is
  ``default_year``; without a ``default_year`` such phrases are skipped. A month or season
  without a year needs a keyword or "mese di" before it to count as a date; a bare year needs a
  year-prefix or a keyword (or to be the whole text).
* Kind: the keyword decides ("by", "from", "period" for "tra"/"fra"). Without one, a day or a
  month is "on" and anything longer (semester, season, year, range) is "period". A day or month
  without a keyword that continues a list after a "by"/"from" mention (joined only by ",", ";",
  "e", "ed", "o" and an optional "il") takes that kind: "entro il 30.06.2023 e 31.12.2023".
* ``text`` spans the keyword and the prefixes the grammar lists ("entro il 30/06/2023",
  "per il 2023", "tra il mese di dicembre 2023/gennaio 2024"); other words before a date are
  left out ("del 10/10/2012" gives "10/10/2012").
* A semester after a deadline ("entro il 31.01.2024 per il II semestre") is a mention of its
  own, of kind "period": it names the period reported on, not the deadline.
* Impossible dates (31/06/2023, 30/02/2024, month 13, day 0, a range ending before it starts)
  are reported with ``valid=False``, ``date=start_date=None`` and a ``problem``.

Deliberately not matched: two-digit years in day dates (31/12/23), law and act numbers
(``DL 174/2012``, ``l. 205/2017``, ``allegato 4/2``, ``n. 30``; year ranges right after
"n."/"art." are skipped), CUP codes, objective codes (``1.1.1``, ``4.1.2.1``), percentages, age
ranges (``0-6``), quarters, weekdays, relative phrases ("entro 30 giorni", "a fine 2022") and a
bare year inside prose ("Report 2023", "(2022)").
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from normalize.memo import remembers_short_texts

__all__ = ["DateMention", "find_dates"]

MIN_YEAR, MAX_YEAR = 1900, 2099

_FLAGS = re.IGNORECASE

MONTH_NAMES = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# season -> ((start month, start day), (end month, end day)); winter starts the year before.
_SEASONS = {
    "primavera": ((3, 21), (6, 20)),
    "estate": ((6, 21), (9, 22)),
    "autunno": ((9, 23), (12, 21)),
    "inverno": ((12, 21), (3, 20)),
}
_SEMESTER_WORDS = {"I": 1, "II": 2, "1°": 1, "2°": 2, "primo": 1, "secondo": 2}

# ---------------------------------------------------------------------------- regex pieces

_APOS = "['’]"
_YEAR = r"(?:19|20)[0-9]{2}"
_MONTH = "(?:" + "|".join(MONTH_NAMES) + ")"
_SEASON = "(?:" + "|".join(_SEASONS) + ")"
_SEMESTER = r"(?:(?-i:II|I)|[12]\s*[°º]|primo|secondo)"
_MESE_DI = r"(?:(?:il|nel)\s+)?mese\s+di\s+"
_YEAR_END = r"(?![\w%]|[.,/-][0-9])"

_BY = (
    rf"(?:entro|non\s+oltre)(?:\s+(?:il|i|la|le|lo)|\s+l{_APOS})?"
    rf"|fino\s+(?:al(?:la|l{_APOS})?|a)"
    rf"|termine(?:\s+(?:del(?:la|l{_APOS})?|di|il))?"
)
_FROM = (
    rf"(?:a\s+decorrere|a\s+partire)\s+da(?:l(?:la|l{_APOS})?)?"
    rf"|dal(?:la|l{_APOS})?|da"
)
_PERIOD = r"tra|fra"
_KEYWORD_BEFORE = re.compile(
    rf"(?<![\w'’])(?:(?P<by>{_BY})|(?P<from>{_FROM})|(?P<period>{_PERIOD}))"
    rf"(?:(?<=['’])\s*|\s+)\Z",
    _FLAGS,
)
_BARE_YEAR_TEXT = re.compile(rf"\s*{_YEAR}[\s.]*")
_LOOK_BEHIND = 40  # characters searched for a keyword or a law-number marker before a date
_LAW_NUMBER_BEFORE = re.compile(r"(?<!\w)(?:n|nr|num|art|prot|reg)\s*[.°]?\s*\Z", _FLAGS)
_LIST_JOIN = re.compile(rf"\A\s*(?:[,;]|\s(?:e|ed|o)\s)?\s*(?:(?:il|i)\s+|l{_APOS})?\Z", _FLAGS)

_YEAR_PREFIX = (
    rf"nel(?:\s+corso\s+del)?|nell{_APOS}anno|per\s+il|per\s+l{_APOS}anno|anno"
    rf"|riferit[aoei]\s+al(?:l{_APOS}anno)?"
)
_RANGE_PREFIX = r"(?:nel|per\s+il)(?:\s+(?:triennio|biennio|periodo))?|anni|triennio|biennio"


def _numeric_day(tag: str) -> str:
    """``30/06/2023``, ``14.01.2023``, ``31-12-2023`` with groups ``d<tag>``/``m<tag>``/..."""
    return (
        rf"(?<![\w./,-])(?P<d{tag}>[0-9]{{1,2}})(?P<sep{tag}>[./-])(?P<m{tag}>[0-9]{{1,2}})"
        rf"(?P=sep{tag})(?P<y{tag}>{_YEAR}){_YEAR_END}"
    )


def _worded_day(tag: str, year_required: bool) -> str:
    """``06 marzo 2019``, ``1° gennaio 2024`` (``15 marzo`` when the year is optional)."""
    year = rf"\s+(?P<y{tag}>{_YEAR}){_YEAR_END}"
    return rf"(?<![\w./,-])(?P<d{tag}>[0-9]{{1,2}})(?:\s*[°º])?\s+(?P<mn{tag}>{_MONTH})" + (
        year if year_required else rf"(?:{year}|(?!\w))"
    )


def _any_day(tag: str) -> str:
    """A day with its year, numeric or worded (groups tagged ``<tag>n`` / ``<tag>w``)."""
    return rf"(?:{_numeric_day(tag + 'n')}|{_worded_day(tag + 'w', year_required=True)})"


def _month_spec(tag: str) -> str:
    """``[il mese di] MONTH [YEAR]`` with groups ``mn<tag>``/``y<tag>``."""
    return (
        rf"(?:{_MESE_DI})?(?<!\w)(?P<mn{tag}>{_MONTH})"
        rf"(?:\s+(?:del\s+)?(?P<y{tag}>{_YEAR}){_YEAR_END}|(?!\w))"
    )


# --------------------------------------------------------------------------- public types


class DateMention(NamedTuple):
    """One date expression found in a text (``text == source[start:end]``)."""

    text: str
    start: int
    end: int
    date: datetime.date | None
    start_date: datetime.date | None
    precision: str
    kind: str
    valid: bool
    problem: str | None


# ------------------------------------------------------------------------ date arithmetic
# The module's own records are NamedTuples: each is made and read here only, never
# compared with another kind of tuple, and a NamedTuple class costs a tenth of a frozen
# dataclass's to create at import (about 0.1 ms against 0.9-1.4 ms: start-up time).


class _Span(NamedTuple):
    """The days an expression covers, or why it covers none."""

    first: datetime.date | None
    last: datetime.date | None
    problem: str | None = None


def _invalid(problem: str) -> _Span:
    return _Span(None, None, problem)


def _day_span(raw: str, day: int, month: int, year: int) -> _Span:
    """A single day, or an invalid span explaining why the day does not exist."""
    if not 1 <= month <= 12:
        return _invalid(f"{raw}: there is no month {month}")
    if day == 0:
        return _invalid(f"{raw}: there is no day 0")
    days_in_month = calendar.monthrange(year, month)[1]
    if day > days_in_month:
        name = ENGLISH_MONTHS[month - 1]
        if month == 2:
            name = f"{name} {year}"
        return _invalid(f"{raw}: {name} has {days_in_month} days")
    day_date = datetime.date(year, month, day)
    return _Span(day_date, day_date)


def _month_span(month: int, year: int) -> _Span:
    last_day = calendar.monthrange(year, month)[1]
    return _Span(datetime.date(year, month, 1), datetime.date(year, month, last_day))


def _semester_span(semester: int, year: int) -> _Span:
    if semester == 1:
        return _Span(datetime.date(year, 1, 1), datetime.date(year, 6, 30))
    return _Span(datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def _season_span(season: str, year: int) -> _Span:
    (start_month, start_day), (end_month, end_day) = _SEASONS[season]
    start_year = year - 1 if start_month > end_month else year
    return _Span(
        datetime.date(start_year, start_month, start_day), datetime.date(year, end_month, end_day)
    )


def _year_span(year: int) -> _Span:
    return _Span(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _join(first: _Span, last: _Span, raw: str) -> _Span:
    """The range from ``first`` to ``last``; invalid if either end is, or it runs backwards."""
    if first.problem or last.problem:
        return _invalid(first.problem or last.problem or raw)
    assert first.first is not None and last.last is not None
    if last.last < first.first:
        return _invalid(f"{raw}: the range ends before it starts")
    return _Span(first.first, last.last)


# ------------------------------------------------------------------------- word look-ups


def _canonical(word: str, names: Iterable[str]) -> str:
    """The name in ``names`` that ``word`` spells, compared the way the regexes match."""
    for name in names:
        if re.fullmatch(re.escape(name), word, _FLAGS):
            return name
    raise KeyError(word)  # pragma: no cover - the regexes only let listed words through


def _month_number(word: str) -> int:
    return MONTH_NAMES.index(_canonical(word, MONTH_NAMES)) + 1


def _season_name(word: str) -> str:
    return _canonical(word, _SEASONS)


def _semester_number(word: str) -> int:
    compact = re.sub(r"\s+", "", word).replace("º", "°")
    if compact in ("I", "II"):
        return _SEMESTER_WORDS[compact]
    return _SEMESTER_WORDS[_canonical(compact, ("1°", "2°", "primo", "secondo"))]


# ------------------------------------------------------------------------- rule builders


class _Core(NamedTuple):
    """A parsed core expression (before the keyword is attached)."""

    span: _Span
    precision: str
    implicit_kind: str  # kind when no keyword precedes: "on" or "period"


class _Context(NamedTuple):
    default_year: int | None
    has_keyword: bool
    text_is_a_year: bool  # the whole text is just "2023"


_Builder = Callable[[re.Match[str], _Context], _Core | None]


def _int(match: re.Match[str], group: str) -> int | None:
    value = match.group(group)
    return None if value is None else int(value)


def _day_from(
    match: re.Match[str], tags: tuple[str, ...], default_year: int | None
) -> _Span | None:
    """The day captured by the first matched of the day group sets ``tags``."""
    for tag in tags:
        if match.group(f"d{tag}") is None:
            continue
        day = int(match.group(f"d{tag}"))
        if f"mn{tag}" in match.re.groupindex:
            month = _month_number(match.group(f"mn{tag}"))
        else:
            month = int(match.group(f"m{tag}"))
        year = _int(match, f"y{tag}")
        year = default_year if year is None else year
        if year is None:
            return None
        end_group = f"y{tag}" if match.group(f"y{tag}") is not None else f"mn{tag}"
        raw = match.string[match.start(f"d{tag}") : match.end(end_group)]
        return _day_span(raw, day, month, year)
    return None


def _build_day(match: re.Match[str], ctx: _Context) -> _Core | None:
    span = _day_from(match, ("",), ctx.default_year)
    return None if span is None else _Core(span, "day", "on")


def _build_month_day(match: re.Match[str], ctx: _Context) -> _Core | None:
    span = _day_from(match, ("",), ctx.default_year)
    if span is None or span.last is None:
        return None
    if span.last.month != _month_number(match.group("lead")):
        return None
    return _Core(span, "day", "on")


def _build_month(match: re.Match[str], ctx: _Context) -> _Core | None:
    year = _int(match, "y1")
    if year is None:
        if not (ctx.has_keyword or re.match(_MESE_DI, match.group(0), _FLAGS)):
            return None
        year = ctx.default_year
    if year is None:
        return None
    return _Core(_month_span(_month_number(match.group("mn1")), year), "month", "on")


def _build_semester(match: re.Match[str], ctx: _Context) -> _Core | None:
    year = _int(match, "y")
    year = ctx.default_year if year is None else year
    if year is None:
        return None
    return _Core(_semester_span(_semester_number(match.group("sem")), year), "semester", "period")


def _build_season(match: re.Match[str], ctx: _Context) -> _Core | None:
    year = _int(match, "y")
    if year is None:
        if not ctx.has_keyword:
            return None
        year = ctx.default_year
    if year is None:
        return None
    return _Core(_season_span(_season_name(match.group("season")), year), "season", "period")


def _build_year(match: re.Match[str], ctx: _Context) -> _Core | None:
    if not (match.group("pre") or ctx.has_keyword or ctx.text_is_a_year):
        return None
    return _Core(_year_span(int(match.group("y"))), "year", "period")


def _build_year_range(match: re.Match[str], ctx: _Context) -> _Core | None:
    if _match_before(_LAW_NUMBER_BEFORE, match.string, match.start()):
        return None
    first = int(match.group("y1"))
    end_text = match.group("y2")
    if len(end_text) == 2:
        last = first // 100 * 100 + int(end_text)
        if last < first:
            return None  # "2023-15" is not a period
    else:
        last = int(end_text)
    raw = match.group(0).strip()
    span = _join(_year_span(first), _year_span(last), raw)
    return _Core(span, "period", "period")


def _range_years(
    first: tuple[int, int | None], last: tuple[int, int | None], default_year: int | None
) -> tuple[int, int] | None:
    """Years of a month range's endpoints, filling the missing ones (a wrap adds a year)."""
    (first_month, first_year), (last_month, last_year) = first, last
    wraps = last_month < first_month
    if first_year is not None and last_year is not None:
        return first_year, last_year
    if last_year is not None:
        return last_year - wraps, last_year
    if first_year is not None:
        return first_year, first_year + wraps
    if default_year is None:
        return None
    return default_year, default_year + wraps


def _build_month_range(match: re.Match[str], ctx: _Context) -> _Core | None:
    first_month = _month_number(match.group("mn1"))
    last_month = _month_number(match.group("mn2"))
    years = _range_years(
        (first_month, _int(match, "y1")), (last_month, _int(match, "y2")), ctx.default_year
    )
    if years is None:
        return None
    span = _join(
        _month_span(first_month, years[0]),
        _month_span(last_month, years[1]),
        match.group(0).strip(),
    )
    return _Core(span, "month", "period")


def _build_day_range(match: re.Match[str], ctx: _Context) -> _Core | None:
    first = _day_from(match, ("1n", "1w"), ctx.default_year)
    last = _day_from(match, ("2n", "2w"), ctx.default_year)
    if first is None or last is None:
        return None
    return _Core(_join(first, last, match.group(0).strip()), "day", "period")


# --------------------------------------------------------------------------------- rules


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    build: _Builder
    needs: frozenset[re.Pattern[str]]
    """Cheap patterns that each occur in any text the rule matches: a text lacking one is
    not searched with the rule's costly pattern."""


_DIGIT = re.compile(r"[0-9]")
#: A year's digits: every rule whose match prints a year (:data:`_YEAR`) needs them.
_YEAR_DIGITS = re.compile(_YEAR)
_MONTH_WORD = re.compile(_MONTH, _FLAGS)
_SEMESTER_WORD = re.compile("semestre", _FLAGS)
_SEASON_WORD = re.compile(_SEASON, _FLAGS)
_NEEDS = (_DIGIT, _YEAR_DIGITS, _MONTH_WORD, _SEMESTER_WORD, _SEASON_WORD)
#: The words a need of lower-case letters matches (searched first in the folded text: a word
#: alternation searched case-insensitively costs more than the rules it spares).
_NEED_WORDS: Mapping[re.Pattern[str], tuple[str, ...]] = {
    _MONTH_WORD: MONTH_NAMES,
    _SEMESTER_WORD: ("semestre",),
    _SEASON_WORD: tuple(_SEASONS),
}
#: The characters other than ASCII letters that Python's case-insensitive matching takes for
#: an ASCII letter (İ and ı for i, ſ for s, the Kelvin sign for k): folded to it first.
_ASCII_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


#: :data:`_ASCII_FOLD` as (character, letter) pairs, for ``str.replace``.
_ASCII_FOLD_PAIRS = tuple((chr(point), str(letter)) for point, letter in _ASCII_FOLD.items())


def _folded(text: str) -> str:
    """``text`` in which a word of a need is found as lower-case ASCII wherever the need's
    case-insensitive pattern matches it (each matched character folds to its letter).

    ``text.translate(_ASCII_FOLD)`` looks every character of a non-ASCII text up; the four
    characters are replaced here one after the other, each by a C scan, and only when
    present. Every letter put in is ASCII, never one of the four, so no replacement feeds
    another: the result is the translation's."""
    if not text.isascii():
        for char, letter in _ASCII_FOLD_PAIRS:
            if char in text:
                text = text.replace(char, letter)
    return text.lower()


def _present_needs(text: str) -> set[re.Pattern[str]]:
    """The needs found in ``text``. A word need's pattern is searched only in a text whose
    folded form holds one of its words: a necessary condition of its match (see
    :func:`_folded`), so the set is the one the patterns alone give."""
    folded: str | None = None
    present = set()
    for need in _NEEDS:
        words = _NEED_WORDS.get(need)
        if words is not None:
            folded = _folded(text) if folded is None else folded
            if not any(word in folded for word in words):
                continue
        if need.search(text):
            present.add(need)
    return present


def _rule(pattern: str, build: _Builder, *needs: re.Pattern[str]) -> _Rule:
    return _Rule(re.compile(pattern, _FLAGS), build, frozenset(needs))


_RULES: tuple[_Rule, ...] = (
    _rule(
        rf"(?<![\w'’])(?:dal|da)\s+{_any_day('1')}\s+(?:al|a|fino\s+al)\s+{_any_day('2')}",
        _build_day_range,
        _YEAR_DIGITS,
    ),
    _rule(
        rf"(?<![\w'’])(?:tra|fra)\s+il\s+{_any_day('1')}\s+e\s+il\s+{_any_day('2')}",
        _build_day_range,
        _YEAR_DIGITS,
    ),
    _rule(
        rf"(?<!\w){_month_spec('1')}\s*[/–-]\s*{_month_spec('2')}",
        _build_month_range,
        _MONTH_WORD,
    ),
    _rule(
        rf"(?<![\w'’])(?:da|dal\s+mese\s+di)\s+{_month_spec('1')}"
        rf"\s+(?:a|al\s+mese\s+di|fino\s+a)\s+{_month_spec('2')}",
        _build_month_range,
        _MONTH_WORD,
    ),
    _rule(
        rf"(?<![\w'’])(?:tra|fra)\s+{_month_spec('1')}\s+e\s+{_month_spec('2')}",
        _build_month_range,
        _MONTH_WORD,
    ),
    _rule(
        rf"(?:(?<![\w'’])(?:{_RANGE_PREFIX})\s+|(?<![\w./,-]))(?P<y1>{_YEAR})\s*[-/–]\s*"
        rf"(?P<y2>{_YEAR}|[0-9]{{2}})(?![\w%]|[.,/-][0-9])",
        _build_year_range,
        _YEAR_DIGITS,
    ),
    _rule(
        rf"(?<!\w)(?P<lead>{_MONTH})\s+{_numeric_day('')}",
        _build_month_day,
        _YEAR_DIGITS,
        _MONTH_WORD,
    ),
    _rule(_numeric_day(""), _build_day, _YEAR_DIGITS),
    _rule(_worded_day("", year_required=False), _build_day, _DIGIT, _MONTH_WORD),
    _rule(rf"(?<!\w){_month_spec('1')}", _build_month, _MONTH_WORD),
    _rule(
        rf"(?:(?<![\w'’])(?:per\s+il|nel|il|del)\s+)?(?<![\w'’])(?P<sem>{_SEMESTER})\s+semestre"
        rf"(?:\s+(?:del\s+|dell{_APOS}anno\s+)?(?P<y>{_YEAR}){_YEAR_END}|(?!\w))",
        _build_semester,
        _SEMESTER_WORD,
    ),
    _rule(
        rf"(?<!\w)(?P<season>{_SEASON})(?:\s+(?:del\s+)?(?P<y>{_YEAR}){_YEAR_END}|(?!\w))",
        _build_season,
        _SEASON_WORD,
    ),
    _rule(
        rf"(?:(?<!\w)(?P<pre>{_YEAR_PREFIX})\s+|(?<![\w./,'’-]))(?P<y>{_YEAR})"
        rf"(?![\w%]|[.,][0-9]|\s*[-/–]\s*[0-9])",
        _build_year,
        _YEAR_DIGITS,
    ),
)

# --------------------------------------------------------------------------------- search


class _Candidate(NamedTuple):
    start: int
    end: int
    core: _Core
    keyword_kind: str | None


def _match_before(pattern: re.Pattern[str], text: str, position: int) -> re.Match[str] | None:
    """Match of ``pattern`` (anchored with ``\\Z``) ending right before ``position``.

    Only the last ``_LOOK_BEHIND`` characters are searched, so the cost does not grow with the
    text (look-behind assertions still see the characters before the window).
    """
    return pattern.search(text, max(0, position - _LOOK_BEHIND), position)


def _keyword_before(text: str, position: int) -> tuple[int, str | None]:
    """Start and kind of the keyword ending right before ``position`` (or no keyword)."""
    match = _match_before(_KEYWORD_BEFORE, text, position)
    if match is None:
        return position, None
    return match.start(), match.lastgroup


#: A year-less phrase takes the year of a date printed beside it: one of these precisions
#: (one year each; a range of years says no single year).
_ANCHOR_PRECISIONS = frozenset({"day", "month", "season", "semester", "year"})
#: What separates two clauses of a cell: a line, a semicolon, a full stop before a space, a
#: lettered sub-item ("b) ..."). A printed year lends itself to its own clause only.
_CLAUSE_BREAK = re.compile(r"[\n;]|\.\s|(?<![\w'’])[a-z]\)\s")
#: The period a deadline reports on ("entro il 31.01.2024 per il II semestre"): it ends
#: before the deadline, so in the deadline's year or the one before.
_REPORTED_PERIOD = re.compile(r"(?<!\w)(?:per|relativ[oaie]\s+a)\s*(?:il|l['’]|la|i|al)?\s", _FLAGS)


_Pending = tuple[_Rule, re.Match[str], int, "str | None", bool]


def _scan(text: str) -> tuple[list[_Candidate], list[_Pending]]:
    """The candidates that print their year, and the matches that need one (a rule that
    built nothing without a year: "entro giugno", "per il I semestre")."""
    found: list[_Candidate] = []
    pending: list[_Pending] = []
    text_is_a_year = _BARE_YEAR_TEXT.fullmatch(text) is not None
    present = _present_needs(text)
    for rule in _RULES:
        if not rule.needs <= present:
            continue
        for match in rule.pattern.finditer(text):
            keyword_start, keyword_kind = _keyword_before(text, match.start())
            context = _Context(None, keyword_kind is not None, text_is_a_year)
            core = rule.build(match, context)
            if core is not None:
                found.append(_Candidate(keyword_start, match.end(), core, keyword_kind))
            else:
                pending.append((rule, match, keyword_start, keyword_kind, text_is_a_year))
    return found, pending


def _anchor(text: str, anchors: list[_Candidate], start: int, end: int) -> _Candidate | None:
    """The date printed nearest a year-less phrase at ``start:end`` in its own clause: the
    nearest before it, else the nearest after it; None when its clause prints none."""
    before = [a for a in anchors if a.end <= start and not _CLAUSE_BREAK.search(text, a.end, start)]
    if before:
        return before[-1]
    after = [a for a in anchors if a.start >= end and not _CLAUSE_BREAK.search(text, end, a.start)]
    return after[0] if after else None


def _candidates(text: str, default_year: int | None) -> list[_Candidate]:
    """Every candidate expression of ``text``. A phrase without a year takes the year of
    the date printed in its clause ("Entro 31.07.2023 per il I semestre": 2023, whatever the
    plan's year), a period reported on ending before that date ("entro il 31.01.2024 per il
    II semestre": 2023); with none printed, ``default_year`` (none: the phrase is skipped).
    A year printed in the text always wins over the plan's year."""
    found, pending = _scan(text)
    if default_year is None or not pending:
        return found
    anchors = [
        candidate
        for candidate in _select(list(found))
        if candidate.core.precision in _ANCHOR_PRECISIONS and candidate.core.span.last is not None
    ]
    for rule, match, keyword_start, keyword_kind, text_is_a_year in pending:
        anchor = _anchor(text, anchors, keyword_start, match.end())
        year = anchor.core.span.last.year if anchor and anchor.core.span.last else default_year
        context = _Context(year, keyword_kind is not None, text_is_a_year)
        core = rule.build(match, context)
        if (
            core is not None
            and anchor is not None
            and anchor.core.span.last is not None
            and anchor.end <= keyword_start
            and core.span.last is not None
            and core.span.last > anchor.core.span.last
            and _REPORTED_PERIOD.search(text, anchor.end, match.end())
        ):
            core = rule.build(match, _Context(year - 1, keyword_kind is not None, text_is_a_year))
        if core is not None:
            found.append(_Candidate(keyword_start, match.end(), core, keyword_kind))
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (then earliest), in text order."""
    chosen: list[_Candidate] = []  # kept sorted by start
    starts: list[int] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        index = bisect.bisect_left(starts, candidate.start)
        if index and chosen[index - 1].end > candidate.start:
            continue
        if index < len(chosen) and chosen[index].start < candidate.end:
            continue
        chosen.insert(index, candidate)
        starts.insert(index, candidate.start)
    return chosen


def _kinds(text: str, chosen: list[_Candidate]) -> list[str]:
    """Kind of each chosen candidate, carrying "by"/"from" along a list of days or months."""
    kinds: list[str] = []
    for index, candidate in enumerate(chosen):
        kind = candidate.keyword_kind or candidate.core.implicit_kind
        if candidate.keyword_kind is None and candidate.core.implicit_kind == "on" and index:
            previous = chosen[index - 1]
            gap = text[previous.end : candidate.start]
            if kinds[-1] in ("by", "from") and _LIST_JOIN.match(gap):
                kind = kinds[-1]
        kinds.append(kind)
    return kinds


def _mention(text: str, candidate: _Candidate, kind: str) -> DateMention:
    span = candidate.core.span
    return DateMention(
        text=text[candidate.start : candidate.end],
        start=candidate.start,
        end=candidate.end,
        date=span.last,
        start_date=span.first,
        precision=candidate.core.precision,
        kind=kind,
        valid=span.problem is None,
        problem=span.problem,
    )


def find_dates(text: str, default_year: int | None = None) -> list[DateMention]:
    """All date expressions in text, in order of appearance, non-overlapping (longest match wins).

    ``default_year`` completes phrases without a year ("entro giugno"); when it is None they are
    skipped. Raises ``ValueError`` only for a ``default_year`` outside 1900-2099.
    """
    if default_year is not None and not MIN_YEAR <= default_year <= MAX_YEAR:
        raise ValueError(f"default_year must be in {MIN_YEAR}-{MAX_YEAR}, got {default_year}")
    return list(_mentions(text, default_year))


@remembers_short_texts
def _mentions(text: str, default_year: int | None) -> tuple[DateMention, ...]:
    chosen = _select(_candidates(text, default_year))
    return tuple(
        _mention(text, candidate, kind)
        for candidate, kind in zip(chosen, _kinds(text, chosen), strict=True)
    )
