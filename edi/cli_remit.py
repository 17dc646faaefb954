"""`edi remit`: 835 remittances as a table, JSON or CSV files (issue: 835 end to end)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the 835 commands to the `edi` group."""
