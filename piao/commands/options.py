"""Argument types shared by several commands."""

from __future__ import annotations

import argparse


def percentage(text: str) -> float:
    """A similarity between 0 and 100 (argparse type: ``500`` and ``nan`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, not {text}")
    return value
