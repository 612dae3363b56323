"""Text helpers the PDF engines share: opening and validating, page text, headings, cells.

A leaf of the PDF engines (:mod:`extract.pdf_pdfium`, :mod:`extract.pdf_pdfplumber`,
:mod:`extract.pdf_camelot`): it imports none of them, and :mod:`extract.pdf`, which chooses
and runs an engine, imports them and this module, so the engines form no import circle.

Every library failure is turned here into one of our one-line errors (:mod:`extract.errors`),
so that a bad PDF never ends in a traceback: pdfminer's ``PDFSyntaxError``/``PSEOF``/
``PDFPasswordIncorrect`` (wrapped by pdfplumber in ``PdfminerException``) and pypdfium2's
``PdfiumError`` included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from extract.errors import (
    CorruptPDFError,
    EncryptedPDFError,
    ExtractError,
    ImageOnlyPDFError,
)
from extract.model import ExtractNote
from extract.pdf_layout import Word, cell_segments, line_bottom, line_top, text_lines
from extract.sections import starts_section

#: Words that open the name of an organisational unit ("SETTORE FINANZE (FIN)", "AREA
#: SERVIZI GENERALI - SGP", "SERVIZIO CULTURA", "U.O. TRIBUTI"), compared without accents
#: and in any case. The one list of them: the normaliser parses sector headings with it,
#: and a layout-hints file adds words to both (see :func:`more_heading_words`).
SECTOR_HEADING_WORDS: tuple[str, ...] = (
    "SETTORE",
    "AREA",
    "SERVIZIO",
    "DIREZIONE",
    "U.O.",
    "UO",
    "UNITÀ ORGANIZZATIVA",
    "UNITA' ORGANIZZATIVA",
    "UNITÀ OPERATIVA",
)
#: Page text above a table marks the start of a new sector table when it holds one of these
#: words anywhere: a unit word, or the title that opens a unit's list ("OBIETTIVI
#: GESTIONALI ASSEGNATI AL SETTORE FINANZE (FIN)").
TABLE_HEADING_WORDS: tuple[str, ...] = (*SECTOR_HEADING_WORDS, "OBIETTIVI")
#: Heading words a layout adds for the document being read (:func:`more_heading_words`).
_EXTRA_HEADING_WORDS: ContextVar[tuple[str, ...]] = ContextVar("extra_heading_words", default=())
#: A line in the top or bottom RUNNING_BAND of the page height, printed alike (digits
#: aside) on at least RUNNING_SHARE of the pages and on two pages or more, is a running
#: header or footer ("Pagina 2 di 5", "Comune di X - PIAO 2024-2026"): never a heading.
RUNNING_BAND = 0.12
RUNNING_SHARE = 0.5
_DIGITS = re.compile(r"\d+")
#: The running lines found while one document is read, as (text as first printed, pages
#: printing it): filled by :func:`running_lines` inside :func:`collecting_running_lines`.
_RUNNING_FOUND: ContextVar[list[tuple[str, tuple[int, ...]]] | None] = ContextVar(
    "running_found", default=None
)

_ENCRYPTION_NAMES = ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning")
_SOFT_HYPHEN = "\u00ad"
#: A line ending in a slash right after a letter or digit ("Segretario/") or a hyphen
#: right after a digit ("2023-"), and the start of a next line that continues it (a
#: letter or digit after a slash, a digit after a hyphen).
_SLASH_END = re.compile(r"[^\W_]/$")
_HYPHEN_END = re.compile(r"\d-$")
_WORD_START = re.compile(r"[^\W_]")
_DIGIT_START = re.compile(r"\d")
#: A word with a hyphen between letters ("on-line", "socio-sanitario"), and the letters
#: before a hyphen ending a line or after the start of the next one.
_HYPHENATED_WORD = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_LETTERS_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
_LETTERS_START = re.compile(r"[^\W\d_]+")
#: PDF producers whose line wrapping breaks at white space only (ReportLab's paragraph
#: wrapper, without its optional hyphenation): there a line ending in "-" or "/" had a
#: space after it in the source. Matched case-insensitively at the start of the PDF's
#: Producer.
SPACE_ONLY_WRAPPERS = ("reportlab",)
#: Whether the PDF being read wraps lines after a hyphen or slash (see join_lines); set
#: for the duration of one document's reading by :func:`line_wrapping`.
_WRAPS_AFTER_HYPHENS: ContextVar[bool] = ContextVar("wraps_after_hyphens", default=True)
#: The hyphenated words the PDF being read prints whole inside a line (see
#: :func:`hyphenated_words`); set with the wrapping convention by :func:`line_wrapping`.
_HYPHENATED_WORDS: ContextVar[frozenset[str]] = ContextVar("hyphenated_words", default=frozenset())


def library_error(path: Path, error: BaseException) -> ExtractError:
    """Our one-line error for an exception raised by pdfminer/pdfplumber/pypdfium2/camelot.

    pdfplumber wraps pdfminer errors in ``PdfminerException(original)``; the original decides
    between an encrypted and a corrupt file.
    """
    original = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    name = type(original).__name__
    detail = str(original).strip().splitlines()[0] if str(original).strip() else name
    if name in _ENCRYPTION_NAMES or "password" in detail.lower():
        return EncryptedPDFError(path, "the PDF is encrypted (a password is needed to read it)")
    return CorruptPDFError(path, f"the PDF is truncated or corrupt ({name}: {detail})")


@contextmanager
def pdf_errors(path: Path) -> Iterator[None]:
    """Re-raise any library failure inside the block as our one-line :class:`ExtractError`."""
    try:
        yield
    except ExtractError:
        raise
    except Exception as error:  # the libraries raise many unrelated types for a bad file
        raise library_error(path, error) from error


def page_ranges(pages: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"``: page lists short enough for a one-line message."""
    parts: list[str] = []
    start = previous = None
    for page in sorted(pages):
        if previous is not None and page == previous + 1:
            previous = page
            continue
        if start is not None:
            parts.append(f"{start}-{previous}" if previous != start else f"{start}")
        start = previous = page
    if start is not None:
        parts.append(f"{start}-{previous}" if previous != start else f"{start}")
    return ", ".join(parts)


def pages_without_text_layer(char_counts: Sequence[int], force: bool = False) -> list[int]:
    """The pages (1-based) to read by OCR: those whose pdfium text page holds no character
    (``char_counts``), or all of them (``force``)."""
    return [number for number, count in enumerate(char_counts, 1) if force or count == 0]


def require_text_layer(path: Path, chars_per_page: Sequence[int]) -> list[int]:
    """Pages (1-based) without any text; raise :class:`ImageOnlyPDFError` when no page has text.

    A scanned PDF has images but no characters, and no table can be read from it without
    OCR, which this project does not do.
    """
    empty = [number for number, count in enumerate(chars_per_page, start=1) if count == 0]
    if chars_per_page and len(empty) == len(chars_per_page):
        raise ImageOnlyPDFError(
            path, f"no text layer on pages {page_ranges(empty)} (scanned images only; OCR it first)"
        )
    return empty


def wraps_after_hyphens(producer: str | None) -> bool:
    """Whether a PDF made by ``producer`` (its metadata Producer) breaks lines after a
    hyphen or slash inside a word. Word processors, spreadsheets and browsers do (the
    Unicode line-breaking rules, UAX #14: "on-|line", "2023-|2025", "Segretario/|RPCT");
    ReportLab wraps at white space only."""
    name = (producer or "").strip().lower()
    return not name.startswith(SPACE_ONLY_WRAPPERS)


def hyphenated_words(lines: Iterable[str]) -> frozenset[str]:
    """The words printed with a hyphen between letters inside one line ("on-line"),
    lower-cased: the document's own evidence that a line ending in "on-" before "line"
    breaks inside that word, where "formazione-" before "iniziative" (printed
    "formazione- iniziative", never whole) breaks at a space after the hyphen."""
    # one search over the lines holding a hyphen, joined by a line end (which no match
    # crosses: a match is letters and a hyphen), instead of one per line
    joined = "\n".join(line for line in lines if "-" in line)
    return frozenset(match.group().lower() for match in _HYPHENATED_WORD.finditer(joined))


@contextmanager
def line_wrapping(producer: str | None, hyphenated: frozenset[str] = frozenset()) -> Iterator[None]:
    """Read the cells of one PDF with its producer's line-wrapping convention and the
    hyphenated words it prints whole (:func:`hyphenated_words`)."""
    wraps = _WRAPS_AFTER_HYPHENS.set(wraps_after_hyphens(producer))
    words = _HYPHENATED_WORDS.set(hyphenated)
    try:
        yield
    finally:
        _HYPHENATED_WORDS.reset(words)
        _WRAPS_AFTER_HYPHENS.reset(wraps)


def is_wrapped_word(line: str, following: str) -> bool:
    """Whether the break between two lines falls after the slash of a word
    ("Segretario/" / "RPCT"), the hyphen of a number range ("2023-" / "2025", "0-" / "6")
    or the hyphen of a word the document prints whole elsewhere ("on-" / "line" where
    "on-line" is printed inside a line, see :func:`hyphenated_words`).

    Any other hyphen between letters is left out: these documents also write
    "GIOVANI- prosecuzione" and "collaudi- vedere", which a word processor breaks at the
    space after the hyphen; the two look alike at a line end, and a kept space ("on- line")
    loses nothing, a dropped one would."""
    if _SLASH_END.search(line):
        return bool(_WORD_START.match(following))
    if _HYPHEN_END.search(line):
        return bool(_DIGIT_START.match(following))
    return is_printed_hyphenated(line, following)


def is_printed_hyphenated(line: str, following: str) -> bool:
    """Whether a line ending in letters and a hyphen, followed by a line starting with
    letters, splits a hyphenated word the document being read prints whole."""
    known = _HYPHENATED_WORDS.get()
    end = _LETTERS_HYPHEN_END.search(line)
    start = _LETTERS_START.match(following)
    if not (known and end and start):
        return False
    return f"{end.group(1)}-{start.group()}".lower() in known


def join_lines(lines: Iterable[str], *, after_hyphens: bool = True) -> str:
    """Lines of a cell joined the way a reader reads them, whitespace collapsed.

    A line ending in a soft hyphen (U+00AD, the mark of a word split by wrapping, also
    set by the engines on a word broken without any hyphen because it is wider than its
    cell) joins the next line with the hyphen dropped. With ``after_hyphens`` (the
    producer wraps after a hyphen or slash inside a word, see :func:`wraps_after_hyphens`)
    a line wrapped after a word's slash or a number range's hyphen joins the next line
    without a space ("Segretario/RPCT", "2023-2025", see :func:`is_wrapped_word`). Any
    other line break reads as one space, a hyphen between letters included
    ("formazione-" / "iniziative" was printed "formazione- iniziative"), and every break
    where the producer wraps at spaces only.
    """
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith(_SOFT_HYPHEN):
            text = text[:-1] + line
        elif after_hyphens and is_wrapped_word(text, line):
            text += line
        else:
            text += " " + line
    return text.replace(_SOFT_HYPHEN, "")


def reader_join(lines: Iterable[str]) -> str:
    """Lines joined by :func:`join_lines` with the convention of the PDF being read
    (:func:`line_wrapping`; after hyphens when no PDF is being read)."""
    return join_lines(lines, after_hyphens=_WRAPS_AFTER_HYPHENS.get())


def cell_text(text: str | None) -> str:
    """A cell's text as read from the page (lines separated by newlines), reader-joined."""
    return reader_join(text.splitlines()) if text else ""


def join_parts(first: str, second: str) -> str:
    """Two parts of one cell split by a page break, joined like two lines of the cell.

    The re-join runs after extraction, where the producer's wrapping convention is no
    longer known: a hyphen or slash at the foot of the page keeps its space (lossless:
    "on- line" still reads, a dropped space cannot be recovered)."""
    return join_lines([first, second], after_hyphens=False)


def fold_accents(text: str) -> str:
    """The text without accents ("UNITÀ" -> "UNITA"), for accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def plain_words(word: str) -> str:
    """A heading word as a pattern: accents folded, any white space between its parts and
    after an inner dot ("U.O." also reads "U. O.")."""
    parts = (re.escape(part).replace(r"\.", r"\.\s?") for part in fold_accents(word).split())
    return r"\s+".join(parts)


@lru_cache(maxsize=32)
def heading_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A search for any of ``words`` standing alone (not inside a longer word or code),
    longest first (alike in every process: a set's order is not), in accent-folded text,
    any case."""
    alternatives = sorted(
        {plain_words(word) for word in words if word.strip()}, key=lambda text: (len(text), text)
    )
    return re.compile(rf"(?<![\w.])(?:{'|'.join(reversed(alternatives))})(?!\w)", re.IGNORECASE)


@contextmanager
def more_heading_words(words: Sequence[str]) -> Iterator[None]:
    """Read one document with a layout's own heading words besides :data:`TABLE_HEADING_WORDS`
    ("UFFICIO", "RIPARTIZIONE"), so that its unit headings start new tables too."""
    token = _EXTRA_HEADING_WORDS.set(tuple(words))
    try:
        yield
    finally:
        _EXTRA_HEADING_WORDS.reset(token)


def is_heading(text: str) -> bool:
    """Whether page text above a table is a sector heading or a section heading of a whole
    PIAO (:mod:`extract.sections`): either starts a new table."""
    words = (*TABLE_HEADING_WORDS, *_EXTRA_HEADING_WORDS.get())
    return bool(heading_pattern(words).search(fold_accents(text))) or starts_section(text)


def running_key(text: str) -> str:
    """A line's text compared across pages: digits as ``#``, whitespace collapsed, lower."""
    return " ".join(_DIGITS.sub("#", text).lower().split())


def running_lines(pages: Sequence[Sequence[tuple[str, float, float, float]]]) -> set[str]:
    """The running headers and footers of a document (as :func:`running_key` keys): lines
    printed alike, and families of numbered lines (:func:`numbered_running_families`).

    ``pages`` holds, per page, its text lines as (text, top, bottom, page height).
    """
    counts: dict[str, int] = {}
    printed: dict[str, tuple[str, list[int]]] = {}
    band: list[BandLine] = []
    for number, lines in enumerate(pages, start=1):
        keys: dict[str, str] = {}
        for text, top, bottom, height in lines:
            if in_running_band(top, bottom, height):
                keys.setdefault(running_key(text), text)
                band.append(BandLine(" ".join(text.split()), number, top / height))
        for key, text in keys.items():
            counts[key] = counts.get(key, 0) + 1
            printed.setdefault(key, (" ".join(text.split()), []))[1].append(number)
    with_text = sum(1 for lines in pages if lines)
    found = {
        key
        for key, count in counts.items()
        if key and count >= 2 and count >= RUNNING_SHARE * with_text
    }
    reported = [(printed[key][0], tuple(printed[key][1])) for key in sorted(found)]
    for family in numbered_running_families(band, found, with_text):
        found |= {running_key(line.text) for line in family}
        reported.append((family[0].text, tuple(sorted({line.page for line in family}))))
    sink = _RUNNING_FOUND.get()
    if sink is not None:
        sink.extend(reported)
    return found


class BandLine(NamedTuple):
    """A line in a page's running band: its text, page number and top (share of height)."""

    text: str
    page: int
    top: float


#: Opening words a family of running lines shares (:func:`numbered_running_families`), and
#: how far apart (share of the page height) its lines may print.
RUNNING_FAMILY_WORDS = 3
RUNNING_FAMILY_DRIFT = 0.01


def numbered_running_families(
    band: Sequence[BandLine], found: set[str], with_text: int
) -> list[list[BandLine]]:
    """Running lines that differ from page to page beyond their digits: a spreadsheet's page
    footer naming the sheet ("Comune di X – PIAO 2025-2027 – settore AMM – pag. 1", then
    "… settore TEC – pag. 3"). A family is the band lines not found alike that open with the
    same RUNNING_FAMILY_WORDS words of letters, print at one height (within
    RUNNING_FAMILY_DRIFT of the page), stand on two pages or more and on RUNNING_SHARE of
    the pages, and each print their own page's number as their last number, or the one
    before a page count (at one offset for all: "pag. 3" on page 3, "pag. 3 di 6"). The page
    number tells a footer from headings that open alike ("OBIETTIVI ASSEGNATI AL SETTORE
    …"), and the words of letters from numbered headings ("SETTORE 3 – …" on page 3)."""
    groups: dict[tuple[str, ...], list[BandLine]] = {}
    for line in band:
        words = running_key(line.text).split()
        opening = words[:RUNNING_FAMILY_WORDS]
        if running_key(line.text) in found or len(words) <= RUNNING_FAMILY_WORDS:
            continue
        if not all(any(char.isalpha() for char in word) for word in opening):
            continue
        groups.setdefault((str(line.top < 0.5), *opening), []).append(line)
    families = []
    for lines in groups.values():
        pages = {line.page for line in lines}
        tops = [line.top for line in lines]
        if len(pages) < max(2, RUNNING_SHARE * with_text) or len(pages) != len(lines):
            continue
        if max(tops) - min(tops) > RUNNING_FAMILY_DRIFT:
            continue
        offsets = [{int(n) - line.page for n in _DIGITS.findall(line.text)[-2:]} for line in lines]
        if set.intersection(*offsets):
            families.append(lines)
    return families


@contextmanager
def collecting_running_lines() -> Iterator[list[tuple[str, tuple[int, ...]]]]:
    """Collect the running lines :func:`running_lines` finds while a document is read (the
    engines drop them from the page text; the caller reports them)."""
    found: list[tuple[str, tuple[int, ...]]] = []
    token = _RUNNING_FOUND.set(found)
    try:
        yield found
    finally:
        _RUNNING_FOUND.reset(token)


def running_line_notes(found: Sequence[tuple[str, tuple[int, ...]]]) -> list[ExtractNote]:
    """One info note per running header/footer line dropped from the tables ("Comune di X
    – PIAO 2025-2027 – pag. 3" printed at the foot of every page): where it was first
    printed and on which pages, so that a dropped line can be checked by hand."""
    notes, seen = [], set()
    for text, pages in found:
        key = running_key(text)
        if key in seen:
            continue
        seen.add(key)
        notes.append(
            ExtractNote(
                rule="running_line_dropped",
                severity="info",
                message=f"running header/footer {text!r} printed on pages "
                f"{page_ranges(list(pages))} dropped from the tables",
                page=pages[0],
            )
        )
    return notes


def one_piece_lines(words: Sequence[Word], height: float) -> list[tuple[str, float, float, float]]:
    """A page's text lines of one piece only, as :func:`running_lines` takes them: the
    header rows a table repeats on each page (cells in several columns) are not candidates."""
    return [
        (" ".join(word.text for word in line), line_top(line), line_bottom(line), height)
        for line in text_lines(words)
        if len(cell_segments(line)) == 1
    ]


def without_running_words(words: Sequence[Word], running: set[str], height: float) -> list[Word]:
    """The words of a page (``height`` points high) less those of its running
    header/footer lines: lines printed like one in the page's top or bottom RUNNING_BAND,
    where running lines were found. A line in the body is table text even when it prints
    alike ("2023" wrapped alone in a cell, like a running "2025" with digits aside)."""
    if not running:
        return list(words)
    return [
        word
        for line in text_lines(words)
        if not (
            in_running_band(line_top(line), line_bottom(line), height)
            and running_key(" ".join(word.text for word in line)) in running
        )
        for word in line
    ]


def in_running_band(top: float, bottom: float, height: float) -> bool:
    """Whether a line lies in the top or bottom RUNNING_BAND of a page."""
    return top < RUNNING_BAND * height or bottom > (1 - RUNNING_BAND) * height


def without_running(text: str, running: set[str]) -> str:
    """Page text (lines) without its running header/footer lines, reader-joined."""
    return reader_join(line for line in text.splitlines() if running_key(line) not in running)


def pages_without_text_note(pages: Sequence[int]) -> ExtractNote:
    """A warning for pages that have no text layer in a PDF that otherwise has one."""
    return ExtractNote(
        rule="page_without_text",
        severity="warning",
        message=f"pages {page_ranges(pages)} have no text layer (scanned?); nothing read there",
        page=pages[0],
    )
