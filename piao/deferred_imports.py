"""What the PDF engine's libraries import and a reading seldom uses, deferred to first use.

The pdfium engine keeps pdfminer's document parser (:mod:`extract.pdf_outline`), and
importing any of pdfminer's modules imports, besides what the parser needs:

- ``importlib.metadata`` (with ``email``, ``zipfile``'s path helpers and more), which
  ``pdfminer/__init__.py`` imports only to set ``pdfminer.__version__``: nothing in a
  reading asks for it;
- ``charset_normalizer``, which ``pdfminer.utils`` imports (``import charset_normalizer``)
  only to guess the encoding of a byte string it is asked to turn into text
  (``make_compat_str``): a reading never asks.

Together they are about a fifth of the engine's imports. :func:`defer`, called by
:func:`piao.cli.main` for its own process only (a program that imports piao's packages
keeps its import system as it is), installs an import
finder under which ``pdfminer``'s package runs its ``__init__`` on the first look-up of an
attribute the package lacks (its submodules are imported as before: the import system
finds them by the package's ``__path__``, set before any code runs), and
``charset_normalizer`` is loaded by :class:`importlib.util.LazyLoader` on the first use of
one of its attributes. Either is then exactly what an import gives; only the time differs.
A ``from charset_normalizer import X`` (``extract.text``) loads it at once.

A ``from`` import takes its names at once, so a module imported that way cannot wait for
its first use as a whole; ``pdfminer.pdfdocument`` takes cryptography's AES this way
(``Cipher``, ``algorithms``, ``modes``: 6 ms of import, with cryptography's compiled
bindings), for encrypted PDFs only. For the names of STAND_INS,
their module's code runs, as a package's of DEFERRED_INIT, on the first look-up of any
other attribute, and a look-up of one of them before that gives a :class:`StandIn`: an
object that loads the module the first time it is called or one of its attributes is read,
then answers as the real object does (``Cipher(...)``, ``algorithms.AES``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

#: Packages whose ``__init__`` runs when an attribute they lack is first looked up.
DEFERRED_INIT = frozenset({"pdfminer"})
#: Modules loaded when one of their attributes is first used.
LAZY_MODULES = frozenset({"charset_normalizer"})
#: Modules run on the first look-up of an attribute not listed here; a look-up of a listed
#: one before that gives its :class:`StandIn`.
STAND_INS = {
    "cryptography.hazmat.primitives.ciphers": frozenset({"Cipher", "algorithms", "modes"}),
}


class DeferredInit:
    """A loader running the package's own loader (``loader``) on the first look-up of an
    attribute the package module lacks (a module ``__getattr__``, removed then), but for
    the names of ``stand_ins``, whose look-up gives a :class:`StandIn`; any other
    attribute of the loader is the wrapped loader's."""

    def __init__(self, loader: Any, stand_ins: frozenset[str] = frozenset()) -> None:
        self.loader = loader
        self.stand_ins = stand_ins

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        """The wrapped loader's module (None: the default one)."""
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        """Give the module a ``__getattr__`` that runs its code (once) and answers; a
        look-up of one of its submodules not imported yet (``from pdfminer import
        settings``: the import system looks for the attribute first) fails without running
        it, so that the submodule is imported."""
        loader, stand_ins = self.loader, self.stand_ins
        ran: list[bool] = []

        def run() -> None:
            if not ran:
                ran.append(True)
                module.__dict__.pop("__getattr__", None)
                loader.exec_module(module)

        def first_lookup(name: str) -> Any:
            if name in stand_ins:
                return StandIn(module, name, run)
            if is_submodule(module, name):
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
            run()
            return getattr(module, name)

        module.__getattr__ = first_lookup  # type: ignore[method-assign]


class StandIn:
    """The name ``name`` of a module whose code has not run yet: the first call of it or
    look-up of one of its attributes runs the module's code (``run``, once), then it
    answers as the module's object of that name."""

    __slots__ = ("_module", "_name", "_run")

    def __init__(self, module: ModuleType, name: str, run: Callable[[], None]) -> None:
        self._module, self._name, self._run = module, name, run

    def real(self) -> Any:
        """The module's object of this name (its code run first, if it has not)."""
        self._run()
        return getattr(self._module, self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.real()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __repr__(self) -> str:
        return f"<stand-in for {self._module.__name__}.{self._name}>"


def is_submodule(package: ModuleType, name: str) -> bool:
    """Whether the package has a submodule ``name`` (a module or package in its folder)."""
    path = getattr(package, "__path__", None)
    if path is None or name.startswith("__"):
        return False
    return PathFinder.find_spec(f"{package.__name__}.{name}", path) is not None


class DeferringFinder:
    """A ``sys.meta_path`` finder for the names of DEFERRED_INIT, LAZY_MODULES and
    STAND_INS: the spec the other finders give, with its loader wrapped. (A finder needs
    only ``find_spec``: no ``importlib.abc`` base, whose import costs start-up time.)"""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name not in DEFERRED_INIT and name not in LAZY_MODULES and name not in STAND_INS:
            return None
        spec = None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        if name in LAZY_MODULES:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        else:
            spec.loader = DeferredInit(spec.loader, STAND_INS.get(name, frozenset()))
        return spec


def defer() -> None:
    """Install the :class:`DeferringFinder` first in ``sys.meta_path`` (once; nothing for
    a module already imported: it stays as it is)."""
    if not any(isinstance(finder, DeferringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, DeferringFinder())
