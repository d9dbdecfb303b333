"""``python -m ipai`` runs the command line."""

from ipai.cli import run

run()
