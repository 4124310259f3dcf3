"""``python -m verlicht …`` is the same as ``verlicht …``."""

from verlicht.cli import main

main()
