"""The progress line of long runs and how elapsed time is said."""

from __future__ import annotations

import io

from piao.commands.progress import ERASE, Progress, elapsed, fitted, progress_line


def test_progress_line_aligns_the_count_to_the_total():
    assert progress_line(7, 120, "plan.pdf") == "[  7/120] plan.pdf"


def test_a_terminal_gets_one_line_rewritten_then_erased():
    stream = io.StringIO()
    with Progress(2, stream, enabled=True) as bar:
        bar.step("a.pdf")
        bar.step("b.pdf")
    assert stream.getvalue() == f"{ERASE}[1/2] a.pdf{ERASE}[2/2] b.pdf{ERASE}"


def test_no_terminal_gets_nothing():
    stream = io.StringIO()  # not a terminal
    with Progress(2, stream) as bar:
        bar.step("a.pdf")
    assert stream.getvalue() == ""


def test_a_stage_is_shown_without_counting_it():
    stream = io.StringIO()
    with Progress(3, stream, enabled=True) as bar:
        bar.step("pairing editions", advance=False)
    assert bar.done == 0
    assert stream.getvalue() == f"{ERASE}[0/3] pairing editions{ERASE}"


def test_a_long_line_is_cut_to_the_terminal_width():
    assert fitted("[1/2] " + "x" * 30, columns=12) == "[1/2] xxxx…"


def test_elapsed_time_in_seconds_minutes_and_hours():
    assert [elapsed(s) for s in (0.84, 59.94, 192, 3900)] == [
        "0.8 s",
        "59.9 s",
        "3 min 12 s",
        "1 h 05 min",
    ]
