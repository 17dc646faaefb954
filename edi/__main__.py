"""`python -m edi` runs the command line."""

from edi.cli import run

run()
