"""How the ``piao`` program ends: :func:`piao.cli.exit_at_once` after the command."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def run_python(*arguments: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter run with ``arguments`` (its stdout, stderr, status)."""
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, timeout=60, check=False
    )


def run_program(body: str) -> subprocess.CompletedProcess[str]:
    """``body`` run as a program that ends by ``exit_at_once`` (its stdout, stderr, status)."""
    program = textwrap.dedent(body) + "\nfrom piao.cli import exit_at_once\nexit_at_once(CODE)\n"
    return run_python("-c", program)


def test_the_status_is_the_commands_and_buffered_output_is_written():
    done = run_program(
        """
        import sys
        sys.stdout.write("rows written")  # no newline: still in the buffer
        sys.stderr.write("a finding")
        CODE = 3
        """
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "rows written", "a finding")


def test_atexit_handlers_run_before_the_end():
    done = run_program(
        """
        import atexit
        atexit.register(print, "second")
        atexit.register(print, "first")  # handlers run last registered first
        CODE = 0
        """
    )
    assert (done.returncode, done.stdout.split()) == (0, ["first", "second"])


def test_a_closed_stdout_is_left_alone():
    done = run_program(
        """
        import sys
        sys.stdout.close()
        CODE = 5
        """
    )
    assert (done.returncode, done.stderr) == (5, "")


def test_a_running_thread_gets_pythons_own_exit_which_waits_for_it():
    done = run_program(
        """
        import threading, time

        def late():
            time.sleep(0.3)
            print("thread done", flush=True)

        threading.Thread(target=late).start()
        CODE = 4
        """
    )
    assert (done.returncode, done.stdout) == (4, "thread done\n")


def test_an_unwritable_stdout_makes_the_status_120():
    done = run_program(
        """
        import os, sys
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody reads: the flush at the end fails
        sys.stdout = os.fdopen(write_end, "w")
        sys.stdout.write("lost")
        CODE = 0
        """
    )
    assert done.returncode == 120


@pytest.mark.parametrize("argv", [["--version"], ["no-such-command"]])
def test_the_program_and_python_m_piao_end_alike(argv: list[str]):
    program = run_python("-c", "from piao.cli import console; console()", *argv)
    module = run_python("-m", "piao", *argv)
    assert (program.returncode, program.stdout) == (module.returncode, module.stdout)
    assert program.returncode == (0 if argv == ["--version"] else 2)
