"""The environment a user's shell gives ``piao``, for the benches that time it as a process.

A sandbox or CI may set ``PYTHONDONTWRITEBYTECODE``; a user's Python writes bytecode, so
after the first run no module is compiled from source. The benches run their children
without it, with the bytecode cached under a temporary folder (no ``__pycache__`` left in
the tree), and run each command once untimed first.
"""

from __future__ import annotations

import os
from pathlib import Path


def user_environment(cache: Path, code: Path | None = None) -> dict[str, str]:
    """This process's environment as a user's shell has it: without
    ``PYTHONDONTWRITEBYTECODE``, bytecode cached under ``cache``; ``code`` (a checkout)
    first on the path when given, whatever checkout the interpreter's editable install
    points to."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(cache)
    if code is not None:
        environment["PYTHONPATH"] = str(code)
    return environment
