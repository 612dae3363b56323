"""piao: PIAO performance-objective attachments -> clean, typed Parquet tables.

The stages are the top-level packages :mod:`extract`, :mod:`normalize` and :mod:`schema`;
this package only ties them together (:mod:`piao.pipeline`) and offers the CLI.
"""

__version__ = "0.1.0"
