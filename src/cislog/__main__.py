"""``python -m cislog`` runs the command-line interface."""

from cislog.cli import main

main()
