"""`edi claims`, `edi build`, `edi schema`: 837 claims (issue: 837 end to end)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the 837 commands to the `edi` group."""
