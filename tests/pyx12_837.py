"""pyx12 (BSD, a test-only dependency) as an independent validator of the 837s edi writes.

`errors(text)` runs pyx12's validator (`x12n_document`, the engine behind `x12valid`) over X12 text and
returns every error it records at any level (interchange, group, set, segment, element), as
`"SEG line N: code message"` strings; `[]` means pyx12 accepts the file. pyx12 4.0.0 has maps for
005010X222A1 (837P) and 005010X223A2 (837I), not for 837D.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

pyx12_params = pytest.importorskip("pyx12.params")
pyx12_document = pytest.importorskip("pyx12.x12n_document")


def errors(text: str) -> list[str]:
    """pyx12's errors for an X12 text ([] when it is valid)."""
    logging.getLogger("pyx12").setLevel(
        logging.CRITICAL
    )  # it also logs each error; we collect them
    out = io.StringIO()
    valid = pyx12_document.x12n_document(
        pyx12_params.params(), io.StringIO(text), io.StringIO(), None, fd_json=out
    )
    found = list(_walk(json.loads(out.getvalue() or "{}")))
    if not valid and not found:  # pragma: no cover - defensive
        found.append("pyx12 says invalid without saying why")
    return found


def _walk(node: Any, where: str = "") -> Any:
    if isinstance(node, dict):
        here = node.get("seg_id") or where
        for err in node.get("errors", ()):
            yield f"{here} line {node.get('cur_line')}: {err.get('err_cde')} {err.get('err_str')}"
        for key, value in node.items():
            if key != "errors" and isinstance(value, (list, dict)):
                yield from _walk(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, where)
