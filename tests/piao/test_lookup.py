"""A document named by its doc_id or by the first characters of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from piao.commands.lookup import AmbiguousName, resolve_doc_id

IDS = ["abc9700a84e76d81", "abd0000000000000", "7952fd511f90a832"]


def test_a_prefix_names_the_only_document_it_starts():
    assert resolve_doc_id("795", IDS, Path("data/clean")) == "7952fd511f90a832"


def test_a_full_doc_id_wins_over_a_longer_one_it_starts():
    ids = ["abc", "abcdef"]
    assert resolve_doc_id("abc", ids, Path("d")) == "abc"


def test_an_unknown_doc_id_is_none():
    assert resolve_doc_id("ffff", IDS, Path("d")) is None
    assert resolve_doc_id("", IDS, Path("d")) is None


def test_an_ambiguous_prefix_lists_the_candidates():
    with pytest.raises(AmbiguousName) as error:
        resolve_doc_id("ab", IDS, Path("data/clean"))
    assert str(error.value) == (
        "doc_id 'ab' is ambiguous in data/clean/: abc9700a84e76d81, abd0000000000000; "
        "give more characters"
    )
