"""The extraction settings stored with a document decide whether a rerun skips it."""

from __future__ import annotations

from pathlib import Path

from normalize import NormalizeSettings
from piao.extraction_settings import (
    DEFAULT_LABEL,
    same_settings,
    settings_digest,
    settings_label,
)


def test_default_settings_are_labelled_without_a_hash(tmp_path):
    label = settings_label("auto", "auto", None, tmp_path / "a.pdf")
    assert label == "engine=auto ocr=auto layout=none" == DEFAULT_LABEL


def test_an_attachments_own_hints_file_changes_the_label(tmp_path):
    attachment = tmp_path / "a.pdf"
    Path(f"{attachment}.layout.toml").write_text('[codes]\npatterns = ["^OB-\\\\d+$"]\n')
    label = settings_label("camelot", "never", None, attachment)
    expected = settings_digest(NormalizeSettings(code_patterns=("^OB-\\d+$",)))
    assert label == f"engine=camelot ocr=never layout={expected}"


def test_an_unreadable_hints_file_is_labelled_so(tmp_path):
    attachment = tmp_path / "a.pdf"
    Path(f"{attachment}.layout.toml").write_text("[codes]\npatterns = [\n")
    assert settings_label("auto", "auto", None, attachment).endswith("layout=unreadable")


def test_a_folder_written_before_the_settings_reads_as_the_defaults():
    assert same_settings(None, "engine=auto ocr=auto layout=none")
    assert not same_settings(None, "engine=camelot ocr=auto layout=none")
