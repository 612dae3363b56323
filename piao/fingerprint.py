"""The fingerprint of the code that decides the rows: its syntax, not its text.

A document is re-extracted when ``PIPELINE_VERSION`` changes; hashing the source files'
bytes made every comment or docstring edit, and every reformatting, re-extract every
document. Here each file counts as its syntax tree without docstrings (comments, blank
lines and layout are not in the tree), so only a change of what the code does changes the
fingerprint. Parsing every file costs seconds; the digest of each file's tree is cached
by the hash of its bytes (``__pycache__/piao-fingerprint.json`` in each package), so a
start-up only reads and hashes the files.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

CACHE_NAME = "piao-fingerprint.json"
DOCSTRING_OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def syntax_digest(source: bytes) -> str:
    """The digest of a Python source's syntax tree without docstrings (a file that does not
    parse counts as its bytes)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return hashlib.sha256(source).hexdigest()
    for node in ast.walk(tree):
        if isinstance(node, DOCSTRING_OWNERS) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def load_cache(path: Path) -> dict[str, str]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k): str(v) for k, v in data.items()}
    return {}


def save_cache(path: Path, cache: dict[str, str]) -> None:
    """Write the cache atomically; a folder that cannot be written is left alone."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".fingerprint.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(cache, stream, sort_keys=True)
        os.replace(name, path)


def code_fingerprint(packages: Iterable[ModuleType]) -> str:
    """Short hash of the packages' code (every ``.py`` file under each package's folder, by
    its path and its syntax without docstrings)."""
    digest = hashlib.sha256()
    for package in packages:
        root = Path(str(package.__file__)).parent
        cache_path = root / "__pycache__" / CACHE_NAME
        cache = load_cache(cache_path)
        used: dict[str, str] = {}
        for path in sorted(root.rglob("*.py")):
            source = path.read_bytes()
            key = hashlib.sha256(source).hexdigest()
            used[key] = cache.get(key) or syntax_digest(source)
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(used[key].encode())
        if used != cache:
            save_cache(cache_path, used)
    return digest.hexdigest()[:8]
