"""The administration (ente) a document belongs to: found in its text, tidied, and made a key.

An attachment names its administration on the cover, in a heading or in the running header,
in any case: "COMUNE DI CODIGORO", "Comune di Codigoro (FE)", "UNIONE DEI COMUNI VALLI E
DELIZIE". :func:`printed_ente` finds the first such name, :func:`display_name` writes it the
way people write it ("Comune di Codigoro") and :func:`ente_key` reduces it to what two
spellings of one administration share ("codigoro"), so that editions whose files are named
differently, or whose covers are typed differently, are still one administration's plans.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from extract.lazy_pattern import lazy_compile

#: Kinds of administration a plan is issued by, as printed before "di"/"dei"/"della"...
_KINDS = (
    r"comune|unione\s+(?:dei|di)\s+comuni|unione|provincia|citt[aà]\s+metropolitana"
    r"|regione|consorzio|azienda\s+[\w'.\s]{0,40}?|camera\s+di\s+commercio"
)
#: A name after the kind: words (letters, apostrophes, dashes between words, spaces), on one line.
_ENTE = re.compile(
    rf"\b(?P<kind>{_KINDS})(?:\s+(?P<link>d[i']|dei|degli|della|delle|del|dell'))?\s*"
    r"(?P<name>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]*(?:[ \t]*(?:-[ \t]*)?[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]*)*)",
    re.IGNORECASE,
)
#: Words that end a name: what follows an administration's name on a cover or header line.
_STOP_WORDS = {
    "piano",
    "piao",
    "provincia",
    "allegato",
    "obiettivi",
    "obiettivo",
    "documento",
    "settore",
    "sezione",
    "performance",
    "anno",
    "anni",
    "triennio",
    "approvato",
    "approvata",
    "delibera",
    "deliberazione",
    "prot",
    "pag",
    "pagina",
    "integrato",
    "programma",
    "relazione",
    "ufficio",
    "area",
    "servizio",
    "servizi",
    "via",
    "piazza",
    "per",
    "che",
    "il",
    "lo",
    "la",
    "le",
    "gli",
    "un",
    "una",
    "ai",
    "agli",
    "alle",
}
#: Lower-case words inside a place name ("San Giovanni in Persiceto", "Reggio nell'Emilia").
_PARTICLES = {"di", "del", "della", "delle", "dei", "degli", "in", "e", "ed", "sul", "sulla"}
_PARTICLES |= {"al", "alla", "a", "nel", "nella", "con", "da", "dal", "dalla", "sopra", "sotto"}
#: Characters a line may hold besides a name not at its start, and still name its ente.
_NAMING_LINE_EXTRA = 40
#: Words of the longest name taken ("San Giovanni in Persiceto" has four).
_MAX_NAME_WORDS = 6
_PROVINCE = re.compile(r"\s*[(\[]\s*[A-Za-z]{2}\s*[)\]]\s*$")
_KIND_WORDS = lazy_compile(
    rf"^\s*(?:{_KINDS})(?:\s+(?:d[i']|dei|degli|della|delle|del|dell'))?\s*", re.I
)
#: Kinds named without "di" before the name ("Unione dei Comuni Valli e Delizie").
_LINKLESS = lazy_compile(r"unione\s+(?:dei|di)\s+comuni", re.I)


def _tidy_word(word: str, first: bool) -> str:
    """A word of an upper-case name in the case people write it ("NELL'EMILIA" ->
    "nell'Emilia" inside a name, "Nell'Emilia" first)."""
    lower = word.lower()
    if not first and lower in _PARTICLES:
        return lower
    parts = re.split(r"(['’-])", lower)
    out = []
    for index, part in enumerate(parts):
        elided = index == 0 and len(parts) > 1 and part in {"d", "l", "nell", "dell", "sull", "all"}
        out.append(part if elided and not first else part[:1].upper() + part[1:])
    return "".join(out)


def title_case(text: str) -> str:
    """An all-capitals name in the case people write it: "SAN GIOVANNI IN PERSICETO" ->
    "San Giovanni in Persiceto"; a name already in mixed case is returned as it is."""
    if text != text.upper():
        return text
    words = text.split()
    return " ".join(_tidy_word(word, index == 0) for index, word in enumerate(words))


def display_name(name: str) -> str:
    """An administration's name as people write it: spaces collapsed, province code dropped,
    "COMUNE DI CODIGORO (FE)" -> "Comune di Codigoro"."""
    text = _PROVINCE.sub("", " ".join(name.split())).strip(" -–,.;:")
    match = _KIND_WORDS.match(text)
    if not match:
        return title_case(text)
    kind = " ".join(match.group(0).split())
    # "Unione dei Comuni", as the unions write their own name
    kind = re.sub(r"\bcomuni\b", "Comuni", kind[:1].upper() + kind[1:].lower())
    return f"{kind} {title_case(text[match.end() :].strip())}".replace("' ", "'")


def ente_key(name: str | None) -> str | None:
    """What two spellings of one administration share, for matching: lower case, no
    accents, no "Comune di", no province code ("COMUNE DI FORLÌ (FC)" -> "forli");
    None for a missing or empty name."""
    if not name or not name.strip():
        return None
    text = _PROVINCE.sub("", " ".join(name.split()))
    text = re.sub(r"^\s*comune\s+d[i']\s*", "", text, flags=re.I)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text)) or None


def _name_words(name: str) -> str:
    """The name cut before the first word that is not part of it ("Codigoro Piano ..." ->
    "Codigoro")."""
    kept: list[str] = []
    for word in re.split(r"[ \t]+", name.strip()):
        if word.lower().strip("'’") in _STOP_WORDS or re.search(r"\d", word):
            break
        kept.append(word)
    while kept and kept[-1].lower() in _PARTICLES:
        kept.pop()
    return " ".join(kept)


def printed_ente(texts: Iterable[str]) -> str | None:
    """The first administration named in ``texts`` (cover, headings, running header, in
    that order), written as people write it; None when none is named.

    Only a line that names the administration counts: one that starts with the name
    ("COMUNE DI CODIGORO - Piano ...") or holds little else ("Allegato al PIAO del Comune di
    Codigoro"). A mention in prose ("in accordo con il Comune di Ferrara ...") names another
    administration as often as its own, and is never taken.
    """
    for text in texts:
        for line in (text or "").splitlines():
            bare = " ".join(re.sub(r"[*_#|]|</?\w+>", " ", line).split())
            for match in _ENTE.finditer(bare):
                name = _name_words(match.group("name"))
                kind = " ".join(match.group("kind").split())
                link = match.group("link") or ""
                if not name or (not link and not _LINKLESS.fullmatch(kind)):
                    continue
                extra = len(bare) - len(f"{kind} {link} {name}")
                if len(name.split()) > _MAX_NAME_WORDS or (
                    match.start() > 0 and extra > _NAMING_LINE_EXTRA
                ):
                    continue
                space = "" if link.endswith("'") else " "
                return display_name(f"{kind} {link}{space}{name}".replace("  ", " "))
    return None


def organisation_ente(organisation: str | None) -> str | None:
    """The administration of a signer's certificate organisation (O) of a ``.p7m``:
    the first of several (joined by "; ") that names an administration, tidied; None when
    none does ("InfoCert", "NON PRESENTE")."""
    for part in (organisation or "").split(";"):
        found = printed_ente([part.split("/")[0]])
        if found:
            return found
    return None


#: An attachment's name on a line of its own: "ALLEGATO 1", "Allegato B al PIAO 2024-2026".
_ATTACHMENT_LINE = re.compile(r"^allegat[oi][\s_.-]*([0-9]+|[a-z](?![a-z]))\b", re.IGNORECASE)
#: Characters of the longest line taken as naming the attachment.
_ATTACHMENT_LINE_LENGTH = 80


def printed_attachment(texts: Iterable[str]) -> str | None:
    """Which attachment of the plan the document is, as its cover prints it on a line of
    its own ("ALLEGATO 1" -> "allegato1", "Allegato B al PIAO" -> "allegatob"); None when
    no short line starts with it (a mention in prose, "come da allegato A", is not one)."""
    for text in texts:
        for line in (text or "").splitlines():
            bare = " ".join(re.sub(r"[*_#|]|</?\w+>", " ", line).split())
            if len(bare) > _ATTACHMENT_LINE_LENGTH:
                continue
            if found := _ATTACHMENT_LINE.match(bare):
                return f"allegato{found.group(1).lower()}"
    return None
