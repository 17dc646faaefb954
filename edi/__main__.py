"""`python -m edi` runs the command line."""

from edi.cli import run

if __name__ == "__main__":
    run()
