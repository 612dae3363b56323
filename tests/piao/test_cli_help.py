"""Every command and option of ``piao`` is described, and every help shows the defaults."""

from __future__ import annotations

import argparse

import pytest

from piao import cli

PARSER = cli.build_parser()
COMMANDS = next(
    action for action in PARSER._actions if isinstance(action, argparse._SubParsersAction)
).choices


def options_of(command: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in command._actions if not isinstance(action, argparse._HelpAction)]


@pytest.mark.parametrize("name", list(cli.SUMMARIES))
def test_every_command_has_a_description(name):
    assert len(COMMANDS[name].description or "") > 40


@pytest.mark.parametrize("name", list(cli.SUMMARIES))
def test_every_option_is_described(name):
    undescribed = [action.dest for action in options_of(COMMANDS[name]) if not action.help]
    assert undescribed == []


@pytest.mark.parametrize("name", list(cli.SUMMARIES))
def test_every_default_is_shown_in_the_help(name):
    formatter = cli.DefaultsHelpFormatter(f"piao {name}")
    hidden = [
        action.dest
        for action in options_of(COMMANDS[name])
        if action.default not in (None, False)
        and "default" not in formatter._expand_help(action).lower()
    ]
    assert hidden == []


def test_extract_help_names_data_its_alias_and_the_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--data DATA, --out DATA" in text
    assert "kept for older scripts) (default: data/clean)" in text
    assert "from the file's content) (default: auto)" in text


def test_a_flag_gets_no_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["extract", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "redo documents already extracted and unchanged --ente" in text
