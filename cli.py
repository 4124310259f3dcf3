"""Run VERLICHT from a checkout: ``python cli.py …`` is the same as ``verlicht …``."""

from verlicht.cli import main

if __name__ == "__main__":
    main()
