"""Findings: every repair and every doubt, with its location, as data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from normalize.dates import ENGLISH_MONTHS, MONTH_NAMES

ERROR, WARNING, INFO = "error", "warning", "info"


class Finding(NamedTuple):
    """One row of the ``quality`` table."""

    rule: str
    severity: str
    message: str
    sector_code: str | None = None
    objective_code: str | None = None
    location: str = ""
    page: int | None = None
    line: int | None = None
    #: The message in Italian when its maker wrote one (a reason for doubt); else made
    #: from the rule and the English message.
    italian: str = ""

    @property
    def message_it(self) -> str:
        """The message in Italian, for the report and the diff (see :func:`italian_message`)."""
        return self.italian or italian_message(self.rule, self.message)

    def record(self, doc_id: str) -> dict[str, object]:
        fields = self._asdict()
        del fields["italian"]
        return {"doc_id": doc_id, **fields, "message_it": self.message_it}


def describe_location(
    page: int | None,
    line: int | None = None,
    row: int | None = None,
    column: int | None = None,
    field: str | None = None,
) -> str:
    """Human-readable location, e.g. ``"p. 9, line 104, row 5, col 10 (weighting_pct)"``."""
    parts = []
    if page is not None:
        parts.append(f"p. {page}")
    if line is not None:
        parts.append(f"line {line}")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"col {column}" + (f" ({field})" if field else ""))
    elif field:
        parts.append(field)
    return ", ".join(parts)


# -- Italian messages ------------------------------------------------------------------------
# The report and the diff speak Italian to their readers; each finding keeps its English
# ``message`` (for developers, stable) and gets ``message_it``, made here from the rule and
# the details in the English message. To add a rule: one ``ItalianRule`` entry in
# ``ITALIAN_RULES`` (its meaning, and optionally patterns that carry the details over). A
# rule without an entry still gets an Italian sentence naming it (see ``italian_message``).

Template = str | Callable[[re.Match[str]], str]

FIELDS_IT = {
    "objective": "obiettivo",
    "indicator": "indicatore",
    "target": "valore indicatore",
    "deadline": "tempi",
    "period": "tempi di realizzazione",
    "weight": "peso",
    "weighting_pct": "ponderazione",
    "mission": "missione",
    "strategic": "obiettivo strategico",
    "programme_line": "linea programmatica",
    "assessore": "assessore",
    "responsible": "responsabile",
}


class ItalianRule(NamedTuple):
    """A rule in Italian: ``meaning`` (used when no pattern matches the English message) and
    ``patterns``: (regular expression matched against the whole English message, template
    filled from its groups: a ``str.format`` string over the named groups, or a function)."""

    meaning: str
    patterns: tuple[tuple[str, Template], ...] = ()


def _fields_it(text: str) -> str:
    """English column names in a detail replaced by their Italian headings."""
    return re.sub(r"\b[a-z_]+\b", lambda m: FIELDS_IT.get(m.group(0), m.group(0)), text)


def _by_content(match: re.Match[str]) -> str:
    moved = match.group("moved")
    if not moved:
        return ""
    moved = re.sub(r"\bcol (\d+)", r"col. \1", moved)
    moved = re.sub(r" read as (\w+)", lambda m: f" letta come {_fields_it(m.group(1))}", moved)
    return f"; per contenuto: {moved}"


def _realigned(match: re.Match[str]) -> str:
    count = match.group("n")
    one = count == "1"
    if match.group("how") == "lost its":
        cells = "la cella iniziale vuota" if one else f"le {count} celle iniziali vuote"
        what = f"la riga aveva perso {cells}"
    else:
        what = f"la riga era spostata di {count} {'colonna' if one else 'colonne'} a destra"
    return f"{what}: riallineata sulla cella del peso" + _by_content(match)


def _misaligned(match: re.Match[str]) -> str:
    problems = []
    for problem in match.group("problems").split("; "):
        if found := re.fullmatch(r"missing from (\w+)", problem):
            problems.append(f"manca in {_fields_it(found.group(1))}")
        elif found := re.fullmatch(r"(\d+) times in (\w+)", problem):
            problems.append(f"{found.group(1)} volte in {_fields_it(found.group(2))}")
        elif found := re.fullmatch(r"empty in (\w+)", problem):
            problems.append(f"vuota in {_fields_it(found.group(1))}")
        else:
            problems.append(problem)
    return f"sotto-voce {match.group('item')}: " + "; ".join(problems)


#: English month name (as dates.py writes it in its problems) -> Italian.
MONTHS_IT = dict(zip(ENGLISH_MONTHS, MONTH_NAMES, strict=True))


def _month_it(name: str) -> str:
    return MONTHS_IT.get(name, name)


def _date_problem(match: re.Match[str]) -> str:
    problem = match.group("problem")
    for english, italian in (
        (r"there is no month (\d+)", r"non esiste il mese \1"),
        (r"there is no day 0", "non esiste il giorno 0"),
        (r"(\w+) has (\d+) days", lambda m: f"{_month_it(m.group(1))} ha {m.group(2)} giorni"),
        (r"the range ends before it starts", "l'intervallo finisce prima di iniziare"),
    ):
        problem = re.sub(english, italian, problem)
    where = _fields_it(match.group("field"))
    return f"data impossibile in {match.group('label')}{where}: {match.group('text')}: {problem}"


def _metadata_override(match: re.Match[str]) -> str:
    what = {"ente": "ente", "period": "periodo"}.get(match.group("what"), match.group("what"))
    return (
        f"{what} dal file di metadati ({match.group('given')}) usato al posto di quello del "
        f"documento ({match.group('printed')})"
    )


_CONFLICT = (
    r"code (?P<code>\S+) gives (?P<level>\w+) (?P<derived>\S+), the \w+ cell carried down "
    r"says (?P<carried>.*); kept (?P<kept>.*)"
)


def _conflict(match: re.Match[str]) -> str:
    level = _fields_it(match.group("level"))
    return (
        f"il codice {match.group('code')} indica {level} {match.group('derived')}, la cella "
        f"riportata dalle righe sopra dice {match.group('carried')}; tenuto "
        f"{match.group('kept')}"
    )


_NUMBER = r"[\d.]+"

ITALIAN_RULES: dict[str, ItalianRule] = {
    "row_realigned": ItalianRule(
        "riga spostata o priva delle celle iniziali, riallineata sulla cella del peso",
        (
            (
                r"row (?P<how>lost its|was shifted) (?P<n>\d+) \S+ .*?; realigned on its "
                r"weight cell(?:; by content: (?P<moved>.*))?",
                _realigned,
            ),
        ),
    ),
    "weighting_pct_derived": ItalianRule(
        "ponderazione mancante, ricavata come peso / totale",
        (
            (
                rf"ponderazione missing; derived as (?P<w>{_NUMBER})/(?P<t>{_NUMBER}) = "
                rf"(?P<pct>{_NUMBER})%",
                "ponderazione mancante: ricavata come {w}/{t} = {pct}%",
            ),
        ),
    ),
    "weighting_pct_mismatch": ItalianRule(
        "la ponderazione stampata non corrisponde a peso / totale",
        (
            (
                rf"ponderazione (?P<pct>{_NUMBER})% but (?P<w>{_NUMBER})/(?P<t>{_NUMBER}) = "
                rf"(?P<exp>{_NUMBER})%",
                "ponderazione stampata {pct}%, ma {w}/{t} = {exp}%",
            ),
        ),
    ),
    "weighting_pct_sum": ItalianRule(
        "le ponderazioni del settore non sommano a 100%",
        (
            (
                rf"ponderazioni sum to (?P<sum>{_NUMBER})%, not 100%",
                "le ponderazioni sommano a {sum}%, non a 100%",
            ),
        ),
    ),
    "weight_total_mismatch": ItalianRule(
        "la riga del totale non corrisponde alla somma dei pesi",
        (
            (
                r"totale row says (?P<declared>\S+), weights sum to (?P<sum>\S+)",
                "la riga del totale indica {declared}, ma i pesi sommano a {sum}",
            ),
        ),
    ),
    "declared_total_missing": ItalianRule(
        "tabella del settore senza riga del totale",
        (
            (
                r"no totale row; weights sum to (?P<sum>\S+)",
                "manca la riga del totale; i pesi sommano a {sum}",
            ),
        ),
    ),
    "weight_missing": ItalianRule("riga di obiettivo senza peso"),
    "mission_code_conflict": ItalianRule(
        "la cella Missione riportata dalle righe sopra non concorda con il codice dell'obiettivo",
        ((_CONFLICT, _conflict),),
    ),
    "strategic_code_conflict": ItalianRule(
        "la cella dell'obiettivo strategico riportata dalle righe sopra non concorda con il "
        "codice dell'obiettivo",
        ((_CONFLICT, _conflict),),
    ),
    "objective_code_missing": ItalianRule(
        "riga di obiettivo senza codice",
        (
            (
                r"no objective code in the objective cell; keyed as (?P<code>.+)",
                "nessun codice nella cella dell'obiettivo; registrato come {code}",
            ),
        ),
    ),
    "duplicate_objective_code": ItalianRule(
        "codice di obiettivo usato due volte nello stesso settore",
        (
            (
                r"(?P<code>\S+) already used in (?P<sector>\S+); keyed as (?P<key>.+)",
                "{code} già usato nel settore {sector}; registrato come {key}",
            ),
        ),
    ),
    "context_only_row": ItalianRule(
        "riga con sole celle di missione / obiettivo strategico / programma, riportate alle "
        "righe sotto",
        (
            (
                r"row holds only (?P<held>.*); carried forward to the rows below",
                lambda m: (
                    f"la riga contiene solo {_fields_it(m.group('held'))}; riportata "
                    "alle righe sotto"
                ),
            ),
        ),
    ),
    "continuation_row_merged": ItalianRule(
        "riga senza codice né peso unita alla riga precedente",
        (
            (
                r"row without code or weight joined to the row above \((?P<what>.*)\)",
                lambda m: (
                    "riga senza codice né peso unita alla riga precedente "
                    f"({_fields_it(m.group('what'))})"
                ),
            ),
        ),
    ),
    "orphan_row": ItalianRule(
        "riga senza codice né peso prima di ogni obiettivo",
        (
            (
                r"row without code or weight before any objective: (?P<texts>.*)",
                "riga senza codice né peso prima di ogni obiettivo: {texts}",
            ),
        ),
    ),
    "item_misaligned": ItalianRule(
        "sotto-voce con lettera duplicata, mancante in una colonna o vuota: abbinamento dubbio",
        (
            (
                r"(?P<item>.*?\)) (?P<problems>(?:missing from|\d+ times in|empty in) .*)",
                _misaligned,
            ),
        ),
    ),
    "item_letter_gap": ItalianRule(
        "lettere saltate nella sequenza delle sotto-voci",
        ((r"letters skipped: (?P<letters>.*)", "lettere saltate: {letters}"),),
    ),
    "impossible_date": ItalianRule(
        "data inesistente (per esempio 31/06/2023)",
        (
            (
                r"(?P<label>(?:\S+ \w\) )?)(?P<field>\w+): (?P<text>'.*'|\".*\"): "
                r"(?P<problem>.*)",
                _date_problem,
            ),
        ),
    ),
    "encoding_fallback": ItalianRule(
        "file di testo non in UTF-8, letto come cp1252 / latin-1",
        (
            (
                r"not valid UTF-8 \(first bad byte at offset (?P<offset>\d+)\); read as "
                r"(?P<encoding>\S+)",
                "il file non è UTF-8 valido (primo byte errato alla posizione {offset}); letto "
                "come {encoding}",
            ),
        ),
    ),
    "lost_character": ItalianRule(
        "una cella contiene U+FFFD, un carattere perso da una conversione precedente",
        (
            (
                r"column (?P<column>\d+) holds U\+FFFD \(a character lost in conversion\): "
                r"(?P<text>.*)",
                "la colonna {column} contiene U+FFFD (carattere perso nella conversione): {text}",
            ),
        ),
    ),
    "sector_code_missing": ItalianRule(
        "intestazione del settore senza codice tra parentesi",
        (
            (
                r"no sector code in parentheses in heading (?P<heading>.*); using (?P<code>\S+)",
                "nessun codice di settore tra parentesi nell'intestazione {heading}; usato {code}",
            ),
        ),
    ),
    "header_not_found": ItalianRule(
        "tabella di cui non si è trovata la riga d'intestazione delle colonne; tabella ignorata"
    ),
    "table_outside_performance": ItalianRule(
        "tabella stampata fuori dalla sezione performance del PIAO; non letta per gli obiettivi",
        (
            (
                r"table (?P<n>\d+) is printed in section (?P<section>.*) \((?P<kind>[^()]*)\), "
                r"not in the performance section; not read for objectives",
                "la tabella {n} è stampata nella sezione {section} ({kind}), non nella sezione "
                "performance; non letta per gli obiettivi",
            ),
        ),
    ),
    "extension_mismatch": ItalianRule(
        "il contenuto non è quello indicato dall'estensione del file; letto secondo il contenuto",
        (
            (
                r"named (?P<suffix>\S+) but the content is (?P<format>\w+); read as \w+",
                "il nome finisce in {suffix} ma il contenuto è {format}; letto come {format}",
            ),
        ),
    ),
    "metadata_override": ItalianRule(
        "un file di metadati affiancato ha sostituito l'ente o il periodo stampato nel documento",
        (
            (
                r"(?P<what>\w+) from the sidecar metadata file \((?P<given>.*)\) used instead "
                r"of the document's \((?P<printed>.*)\)",
                _metadata_override,
            ),
        ),
    ),
    "row_rejoined_across_pages": ItalianRule(
        "riga di un PDF spezzata da un cambio pagina, ricongiunta in una sola riga",
        (
            (
                r"row (?P<row>.*) continues from page (?P<first>\d+) to page (?P<next>\d+); "
                r"its two parts were re-joined into one row",
                "la riga {row} continua da pagina {first} a pagina {next}; le due parti sono "
                "state ricongiunte",
            ),
        ),
    ),
    "duplicate_key": ItalianRule(
        "riga con la stessa chiave di una riga precedente (per esempio una tabella di settore "
        "stampata due volte): tenuta con il suffisso ~2, o scartata",
        (
            (
                r"row (?P<n>\d+) of (?P<table>\w+) with key \((?P<key>.*)\); (?P<what>.*)",
                lambda m: (
                    f"riga {m.group('n')} della tabella {m.group('table')} con la chiave "
                    f"({m.group('key')}) già usata; "
                    + (
                        "tenuta con il suffisso ~" + kept.group(1)
                        if (kept := re.search(r"~(\d+)", m.group("what")))
                        else "scartata"
                        if "drop" in m.group("what")
                        else m.group("what")
                    )
                ),
            ),
        ),
    ),
    # rules of the other helpers' branches (codes, faults, formats), ready for their merge
    "sector_code_derived": ItalianRule(
        "l'intestazione del settore non stampa un codice: ne è stato ricavato uno stabile dal "
        "nome (iniziali)",
        (
            (
                r"no code printed in heading (?P<heading>.*); derived (?P<code>\S+) from the "
                r"name (?P<name>.*)",
                "nessun codice nell'intestazione {heading}; ricavato {code} dal nome {name}",
            ),
        ),
    ),
    "mission_not_printed": ItalianRule(
        "il documento non stampa la missione (né colonna Missione, né prefisso M 01, né "
        "codice missione–programma come 0101 o 01.01): missione lasciata vuota",
        (
            (
                r"no Missione column .*?: mission_code left empty for (?P<n>\d+) objective\(s\) "
                r"\((?P<codes>.*)\)",
                "il documento non stampa la missione (né colonna Missione, né prefisso M 01, "
                "né codice missione–programma come 0101 o 01.01): missione lasciata vuota per "
                "{n} obiettivi ({codes})",
            ),
        ),
    ),
    "doubtful_reading": ItalianRule(
        "la lettura del documento si contraddice: impaginazione forse letta male"
    ),
    "weights_absent": ItalianRule(
        "la tabella del settore non stampa né pesi né percentuali: peso e ponderazione vuoti"
    ),
    "weighting_pct_missing": ItalianRule(
        "riga senza percentuale in un settore pesato solo in percentuali"
    ),
    "points_total_not_100": ItalianRule(
        "settore pesato a punti i cui punti non fanno 100",
        (
            (
                r"points sum to (?P<sum>\S+), not 100",
                "i punti sommano a {sum}, non a 100",
            ),
        ),
    ),
    "nul_removed": ItalianRule(
        "caratteri NUL tolti da una riga del file di testo",
        (
            (
                r"(?P<n>\d+) NUL character\(s\) removed: (?P<text>.*)",
                "{n} caratteri NUL tolti: {text}",
            ),
        ),
    ),
    "row_truncated": ItalianRule(
        "riga di testo con più di 500 celle: lette solo le prime 500",
        (
            (
                r"a row of (?P<n>\d+) cells: only the first (?P<max>\d+) are read",
                "una riga di {n} celle: lette solo le prime {max}",
            ),
        ),
    ),
    "ocr_page": ItalianRule(
        "pagina letta con l'OCR (inclinazione corretta, righe lette, confidenza media di "
        "Tesseract)",
        (
            (
                r"page read by OCR \(Tesseract (?P<lang>\S+), deskewed (?P<angle>\S+)°, "
                r"(?P<rows>\d+) table rows, mean confidence (?P<conf>[^)]*)\)",
                "pagina letta con l'OCR (Tesseract {lang}, inclinazione corretta di "
                "{angle}°, {rows} righe di tabella, confidenza media {conf})",
            ),
        ),
    ),
    "ocr_page_refused": ItalianRule(
        "pagina troppo grande per l'OCR: letta a una risoluzione più bassa, o non letta",
        (
            (
                r"page large for OCR \((?P<size>[^)]*)\): rendered at (?P<dpi>\d+) dpi, not "
                r"(?P<full>\d+), to stay within (?P<pixels>\S+) pixels",
                "pagina grande per l'OCR ({size}): letta a {dpi} dpi invece di {full}, per "
                "restare entro {pixels} pixel",
            ),
            (
                r"page too large to OCR \((?P<size>[^:]*): under (?P<dpi>\d+) dpi within "
                r"(?P<pixels>\S+) pixels\); not read",
                "pagina troppo grande per l'OCR ({size}: meno di {dpi} dpi entro {pixels} "
                "pixel); non letta",
            ),
        ),
    ),
    "ocr_repair": ItalianRule(
        "numero puntato letto dall'OCR e riparato (9:3.2.1 → 9.3.2.1)",
        (
            (
                r"OCR read (?P<before>.*) in row (?P<row>\d+), column (?P<column>\d+); "
                r"repaired to (?P<after>.*)",
                "l'OCR ha letto {before} alla riga {row}, colonna {column}; riparato in {after}",
            ),
            (
                r"OCR read code (?P<code>\S+) (?P<where>.*), out of order; "
                r"repaired to (?P<after>\S+)",
                lambda m: (
                    f"l'OCR ha letto il codice {m['code']} "
                    f"{_italian_neighbours(m['where'])}, fuori ordine; riparato in {m['after']}"
                ),
            ),
        ),
    ),
    "ocr_code_doubt": ItalianRule(
        "codice letto dall'OCR fuori ordine tra i codici vicini, lasciato com'è letto",
        (
            (
                r"OCR read code (?P<code>\S+) (?P<where>.*), out of order; kept as read "
                r"\(sibling codes that would fit: (?P<options>.*)\)",
                lambda m: (
                    f"l'OCR ha letto il codice {m['code']} "
                    f"{_italian_neighbours(m['where'])}, fuori ordine; lasciato com'è letto "
                    f"(codici vicini che andrebbero bene: "
                    f"{'nessuno' if m['options'] == 'none' else m['options']})"
                ),
            ),
        ),
    ),
    "page_without_text": ItalianRule(
        "pagina di PDF senza testo (pagina scansionata tra pagine di testo)",
        (
            (
                r"pages (?P<pages>\S+) have no text layer \(scanned\?\); nothing read there",
                "le pagine {pages} non hanno testo (scansionate?): non vi si è letto nulla",
            ),
        ),
    ),
    "running_line_dropped": ItalianRule(
        "intestazione o piè di pagina ricorrente del PDF tolto dalle tabelle",
        (
            (
                r"running header/footer (?P<text>.*) printed on pages (?P<pages>\S+) dropped "
                r"from the tables",
                "intestazione o piè di pagina ricorrente {text} stampato alle pagine {pages}: "
                "tolto dalle tabelle",
            ),
        ),
    ),
    # objective list + activity sheets (normalize/objective_list.py)
    "weight_prerequisite": ItalianRule(
        "peso stampato come X (obiettivo pre-requisito): nessun peso, escluso dal totale del "
        "settore",
        (
            (
                r"weight printed as X \(a pre-requisite objective\): no weight, left out of the "
                r"sector total (?P<total>\S+)",
                "peso stampato come X (obiettivo pre-requisito): nessun peso, escluso dal "
                "totale del settore {total}",
            ),
        ),
    ),
    "objective_not_listed": ItalianRule(
        "una scheda di attività il cui obiettivo non è nell'elenco degli obiettivi: nessun peso"
    ),
    "activity_sheet_missing": ItalianRule(
        "obiettivo dell'elenco senza scheda di attività: nessuna sotto-voce"
    ),
    "activity_period_missing": ItalianRule(
        "attività del cronoprogramma senza mesi segnati (o senza anno del piano): nessun periodo"
    ),
    "row_not_read": ItalianRule(
        "riga che non è né una riga dell'elenco, né un campo della scheda, né un'attività"
    ),
    # objective cards and genres (normalize.cards, normalize.genre, extract.text)
    "genre_detected": ItalianRule(
        "il documento è letto nel genere indicato (schede obiettivo, ...), con la fiducia e "
        "gli indizi visti",
        (
            (
                r"(?P<genre>\S+) \(confidence (?P<conf>[\d.]+)\): (?P<why>.*)",
                "genere {genre} (fiducia {conf}): {why}",
            ),
        ),
    ),
    "card_row_continued": ItalianRule(
        "riga di una scheda senza etichetta (o senza indicatore) unita al campo sopra: "
        "una riga spezzata da un cambio pagina"
    ),
    "card_text_unread": ItalianRule(
        "testo di una scheda che non è in nessun campo (né etichetta né indicatore)"
    ),
    "card_without_fields": ItalianRule("tabella degli indicatori prima di ogni scheda"),
    "card_without_indicators": ItalianRule("scheda obiettivo senza indicatori: nessuna sotto-voce"),
    "label_lines_read": ItalianRule(
        "file di testo senza tabelle: le righe «Etichetta: valore» lette come righe di due celle"
    ),
    "layout_cell_overrun": ItalianRule(
        "tabella stampata come testo allineato: una cella entra nella colonna seguente e non "
        "si può dividere senza ambiguità (lasciata intera)"
    ),
}


def _italian_neighbours(where: str) -> str:
    """``after 9.2.1.1 and before 9.3.1`` -> ``dopo 9.2.1.1 e prima di 9.3.1``."""
    return where.replace("after ", "dopo ").replace(" and ", " e ").replace("before ", "prima di ")


def italian_message(rule: str, message: str) -> str:
    """The finding in Italian: the first pattern of the rule that matches the whole English
    ``message``, filled with its details; else the rule's meaning; for a rule not (yet) in
    :data:`ITALIAN_RULES`, a generic sentence naming it."""
    entry = ITALIAN_RULES.get(rule)
    if entry is None:
        return f"rilievo «{rule}» (descrizione in italiano non ancora disponibile)"
    for pattern, template in entry.patterns:
        match = re.fullmatch(pattern, message or "", flags=re.DOTALL)
        if match is None:
            continue
        text = template(match) if callable(template) else template.format(**match.groupdict())
        return text[:1].upper() + text[1:]
    return entry.meaning[:1].upper() + entry.meaning[1:]
