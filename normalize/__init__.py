"""Normalisation stage: raw cells -> typed records + quality findings.

May import :mod:`extract` (its data model) and :mod:`schema`; never the CLI.
"""

from normalize.document import NormalizedDocument, normalize_document, plan_info
from normalize.settings import NormalizeSettings

__all__ = ["NormalizeSettings", "NormalizedDocument", "normalize_document", "plan_info"]
