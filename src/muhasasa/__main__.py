"""``python -m muhasasa``: the command line."""

from muhasasa.cli import main

main()
