"""pyx12 (BSD, a test-only dependency) as an independent oracle: what it validates and what it reads.

`validation_errors` runs pyx12's validator (`x12n_document`, the engine behind `x12valid`) over a file or
X12 text and returns every error it records at any level (interchange, group, set, segment, element), as
`"SEG line N: code message"` strings; `[]` means pyx12 accepts it. pyx12 4.0.0 has maps for 835
005010X221A1, 837P 005010X222A1 and 837I 005010X223A2, not for 837D. `claims` lists the CLP segments
pyx12's own reader places in an 835's loop 2100, with the set they belong to.
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

pyx12_params = pytest.importorskip("pyx12.params")
pyx12_document = pytest.importorskip("pyx12.x12n_document")
pyx12_error_handler = pytest.importorskip("pyx12.error_handler")
pyx12_context = pytest.importorskip("pyx12.x12context")

# pyx12 counts every PLB segment as one more FOOTER wrapper loop, so a second PLB is "Loop FOOTER
# exceeded max count" although its own map lets PLB repeat (max use >1). Not an error of the file.
PYX12_PLB_QUIRK = "Loop FOOTER exceeded max count"


def validation_errors(source: Path | str, *, allow_plb_quirk: bool = True) -> list[str]:
    """pyx12's errors for a file (a Path) or for X12 text (a str); [] when it is valid."""
    logging.getLogger("pyx12").setLevel(
        logging.CRITICAL
    )  # it also logs each error; we collect them
    out = io.StringIO()
    src = str(source) if isinstance(source, Path) else io.StringIO(source)
    valid = pyx12_document.x12n_document(pyx12_params.params(), src, None, None, fd_json=out)
    errors = list(_errors(json.loads(out.getvalue() or "{}")))
    if allow_plb_quirk:
        errors = [e for e in errors if PYX12_PLB_QUIRK not in e]
    if not valid and not errors and not allow_plb_quirk:  # pragma: no cover - defensive
        errors.append("pyx12 says invalid without saying why")
    return errors


def errors(text: str) -> list[str]:
    """pyx12's errors for X12 text, with nothing filtered ([] when it is valid)."""
    return validation_errors(text, allow_plb_quirk=False)


def _errors(node: Any, where: str = "") -> Any:
    if isinstance(node, dict):
        here = node.get("seg_id") or where
        for err in node.get("errors", ()):
            yield f"{here} line {node.get('cur_line')}: {err.get('err_cde')} {err.get('err_str')}"
        for key, value in node.items():
            if key != "errors" and isinstance(value, (list, dict)):
                yield from _errors(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _errors(item, where)


def claims(path: Path) -> list[tuple[str, str, str, str]]:
    """(ST02, CLP01, CLP03, CLP04) of every CLP pyx12 places in loop 2100, in file order."""
    out: list[tuple[str, str, str, str]] = []
    st02 = ""
    errh = pyx12_error_handler.errh_null()
    with pyx12_context.X12ContextReader(pyx12_params.params(), errh, str(path)) as reader:
        for node in reader.iter_segments():
            seg = node.seg_data
            seg_id = seg.get_seg_id()
            if seg_id == "ST":
                st02 = seg.get_value("ST02")
            elif seg_id == "CLP" and node.x12_map_node.id == "CLP":
                assert "2100" in node.x12_map_node.x12path.loop_list
                out.append(
                    (st02, seg.get_value("CLP01"), seg.get_value("CLP03"), seg.get_value("CLP04"))
                )
    return out
