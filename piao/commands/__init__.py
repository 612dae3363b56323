"""One module per ``piao`` sub-command, each with ``register(subparsers)`` and ``run(args)``.

Keeping commands apart lets each grow on its own; :mod:`piao.cli` only lists them.
"""
