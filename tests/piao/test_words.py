"""How the commands word counts."""

from __future__ import annotations

from piao.commands.words import plural, severity_counts


def test_plurals():
    assert [plural(1, "edition"), plural(8, "view"), plural(2, "series", "series")] == [
        "1 edition",
        "8 views",
        "2 series",
    ]


def test_findings_by_severity_gravest_first():
    counts = {"info": 3, "warning": 1, "error": 2, "hint": 4}
    assert severity_counts(counts) == "2 errors, 1 warning, 3 info, 4 hints"
    assert severity_counts({}) == "none"
