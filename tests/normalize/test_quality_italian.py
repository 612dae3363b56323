"""Quality findings in Italian: every documented rule has an Italian entry, details carried
over from the English message, a generic sentence for a rule nobody translated yet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from normalize.quality import ITALIAN_RULES, WARNING, Finding, italian_message

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


def reference_rules() -> list[str]:
    """Rule names in the first column of the reference's quality-rules table."""
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("### Quality rules", 1)[1]
    table = section.split("\n\n", 2)[1]
    rules = []
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        rules.extend(re.findall(r"`([a-z0-9_]+)`", first))
    return rules


def test_every_documented_rule_has_an_italian_entry() -> None:
    rules = reference_rules()
    assert len(rules) >= 24 and "row_realigned" in rules and "page_without_text" in rules
    assert sorted(set(rules) - set(ITALIAN_RULES)) == []


@pytest.mark.parametrize(
    ("rule", "english", "italian"),
    [
        (
            "item_misaligned",
            "1.1.1 e) missing from target",
            "Sotto-voce 1.1.1 e): manca in valore indicatore",
        ),
        (
            "row_realigned",
            "row was shifted 1 column(s) to the right; realigned on its weight cell",
            "La riga era spostata di 1 colonna a destra: riallineata sulla cella del peso",
        ),
        (
            "weighting_pct_derived",
            "ponderazione missing; derived as 5/72 = 6.94%",
            "Ponderazione mancante: ricavata come 5/72 = 6.94%",
        ),
        (
            "impossible_date",
            "9.3.2.5 b) target: 'entro 31/06/2023': 31/06/2023: June has 30 days",
            "Data impossibile in 9.3.2.5 b) valore indicatore: 'entro 31/06/2023': "
            "31/06/2023: giugno ha 30 giorni",
        ),
        (
            "weight_total_mismatch",
            "totale row says 72, weights sum to 70",
            "La riga del totale indica 72, ma i pesi sommano a 70",
        ),
        (
            "duplicate_key",
            "row 2 of objectives with key (sector_code='SAP', objective_code='1.1.1'); "
            "kept as objective_code '1.1.1~2'",
            "Riga 2 della tabella objectives con la chiave (sector_code='SAP', "
            "objective_code='1.1.1') già usata; tenuta con il suffisso ~2",
        ),
        (
            "strategic_code_conflict",
            "code 9.2.2 gives strategic 9.2, the strategic cell carried down says 9.3; kept 9.2",
            "Il codice 9.2.2 indica obiettivo strategico 9.2, la cella riportata dalle righe "
            "sopra dice 9.3; tenuto 9.2",
        ),
    ],
)
def test_details_are_carried_into_italian(rule: str, english: str, italian: str) -> None:
    assert italian_message(rule, english) == italian


def test_an_unmatched_message_gets_the_rules_meaning() -> None:
    assert italian_message("weight_missing", "anything else") == "Riga di obiettivo senza peso"


def test_a_rule_without_entry_gets_a_generic_italian_sentence() -> None:
    assert italian_message("brand_new_rule", "something odd") == (
        "rilievo «brand_new_rule» (descrizione in italiano non ancora disponibile)"
    )


def test_records_keep_the_english_and_the_italian_message() -> None:
    record = Finding("item_letter_gap", WARNING, "letters skipped: e)").record("d")
    assert record["message"] == "letters skipped: e)"
    assert record["message_it"] == "Lettere saltate: e)"


def test_every_finding_of_the_shipped_document_is_in_italian(normalized) -> None:
    findings = normalized.records["quality"]
    assert len(findings) == 34
    untranslated = [f for f in findings if "non ancora disponibile" in f["message_it"]]
    assert untranslated == []
    # details, not only the rule's meaning: each message names what the English one names
    misaligned = [f for f in findings if f["rule"] == "item_misaligned"]
    assert all(f["message_it"].startswith("Sotto-voce ") for f in misaligned)
