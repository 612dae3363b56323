"""The administration's name: found on a cover or header line, tidied, reduced to a key."""

from __future__ import annotations

import pytest

from normalize.ente import (
    display_name,
    ente_key,
    organisation_ente,
    printed_attachment,
    printed_ente,
)


@pytest.mark.parametrize(
    ("line", "ente"),
    [
        ("COMUNE DI CODIGORO", "Comune di Codigoro"),
        ("**COMUNE DI CODIGORO (FE)**", "Comune di Codigoro"),
        ("<b>COMUNE DI SAN GIOVANNI IN PERSICETO</b>", "Comune di San Giovanni in Persiceto"),
        ("Comune di Codigoro - Piano integrato 2024-2026", "Comune di Codigoro"),
        ("Allegato al PIAO del Comune di Codigoro", "Comune di Codigoro"),
        ("UNIONE DEI COMUNI VALLI E DELIZIE", "Unione dei Comuni Valli e Delizie"),
        ("COMUNE DI FORLÌ", "Comune di Forlì"),
        ("COMUNE D'ARCOLE", "Comune d'Arcole"),
    ],
)
def test_a_line_naming_the_administration_gives_its_name(line: str, ente: str) -> None:
    assert printed_ente(["", line]) == ente


def test_a_mention_in_prose_is_not_the_documents_administration() -> None:
    prose = "in accordo con il Comune di Ferrara e con gli altri enti per la gestione associata"
    assert printed_ente([prose]) is None


def test_spellings_of_one_administration_share_a_key() -> None:
    keys = {ente_key(n) for n in ("COMUNE DI FORLÌ (FC)", "Comune di Forli", "forlì")}
    assert keys == {"forli"}
    assert ente_key("Provincia di Ferrara") == "provincia di ferrara"
    assert ente_key("  ") is None


def test_display_name_writes_a_capitals_name_as_people_do() -> None:
    assert display_name("COMUNE DI REGGIO NELL'EMILIA (RE)") == "Comune di Reggio nell'Emilia"


def test_the_signers_organisation_names_the_administration_when_it_is_one() -> None:
    assert organisation_ente("COMUNE DI PORTOMAGGIORE/00292080389") == "Comune di Portomaggiore"
    assert organisation_ente("InfoCert S.p.A.; Comune di Mesola") == "Comune di Mesola"
    assert organisation_ente("NON PRESENTE") is None


def test_the_attachment_is_read_on_a_line_of_its_own() -> None:
    assert printed_attachment(["**ALLEGATO 1**\nAl Piano"]) == "allegato1"
    assert printed_attachment(["Allegato B al PIAO 2024-2026"]) == "allegatob"
    assert (
        printed_attachment(["come da allegato A alla delibera di Giunta n. 12 del 2023 che " * 2])
        is None
    )
