"""pyx12 (BSD, a test-only dependency) as an independent oracle: what it validates and what it reads.

`validation_errors` runs pyx12's validator (`x12n_document`, the engine behind `x12valid`) over a file or
X12 text and returns every error it records at any level (interchange, group, set, segment, element), as
`"SEG line N: code message"` strings; `[]` means pyx12 accepts it. Its JSON report leaves out the
errors of the elements of the ISA, GS and ST segments (a GS07 'Q', an ST03), which it only logs and
counts: those are taken from its log, as `"ELE line N: code message (value)"`. pyx12 4.0.0 has maps for 835
005010X221A1, 837P 005010X222A1 and 837I 005010X223A2, not for 837D. `claims` lists the CLP segments
pyx12's own reader places in an 835's loop 2100, with the set they belong to.
"""

from __future__ import annotations

import io
import json
import logging
import re
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


class _Logged(logging.Handler):
    """The errors pyx12 logs, as `(kind, line, code, text)`: `ELE:7 - (Q) is not ...`."""

    _RECORD = re.compile(r"^(?:.*?)Line:(\d+) (\w+):(\w+) - (.*)$", re.S)

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.found: list[tuple[str, str, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        m = self._RECORD.match(record.getMessage())
        if m:
            line, kind, code, text = m.groups()
            self.found.append((kind, line, code, text))


def validation_errors(source: Path | str, *, allow_plb_quirk: bool = True) -> list[str]:
    """pyx12's errors for a file (a Path) or for X12 text (a str); [] when it is valid."""
    log = logging.getLogger("pyx12")
    log.setLevel(logging.ERROR)  # it logs each error: those its report leaves out are kept
    log.propagate = False
    logged = _Logged()
    log.addHandler(logged)
    out = io.StringIO()
    src = str(source) if isinstance(source, Path) else io.StringIO(source)
    try:
        valid = pyx12_document.x12n_document(pyx12_params.params(), src, None, None, fd_json=out)
    finally:
        log.removeHandler(logged)
    reported = list(_report(json.loads(out.getvalue() or "{}")))
    errors = [text for text, _, _ in reported]
    errors += _unreported(logged.found, [(code, message) for _, code, message in reported])
    if allow_plb_quirk:
        errors = [e for e in errors if PYX12_PLB_QUIRK not in e]
    if not valid and not errors and not allow_plb_quirk:  # pragma: no cover - defensive
        errors.append("pyx12 says invalid without saying why")
    return errors


def errors(text: str) -> list[str]:
    """pyx12's errors for X12 text, with nothing filtered ([] when it is valid)."""
    return validation_errors(text, allow_plb_quirk=False)


def _report(node: Any, where: str = "") -> Any:
    """The errors of pyx12's JSON report: (as said, code, message)."""
    if isinstance(node, dict):
        here = node.get("seg_id") or where
        for err in node.get("errors", ()):
            code, message = err.get("err_cde"), err.get("err_str")
            yield f"{here} line {node.get('cur_line')}: {code} {message}", code, message
        for key, value in node.items():
            if key != "errors" and isinstance(value, (list, dict)):
                yield from _report(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from _report(item, where)


def _unreported(
    logged: list[tuple[str, str, str, str]], reported: list[tuple[str, str]]
) -> list[str]:
    """The logged errors the report does not have: each reported one stands for one logged with
    its code and message (the log adds the value after it, ` (Q)`)."""
    left = list(reported)
    out = []
    for kind, line, code, text in logged:
        same = next(
            (
                r
                for r in left
                if r[0] == code
                and r[1] is not None
                and (text == r[1] or text.startswith(f"{r[1]} ("))
            ),
            None,
        )
        if same is not None:
            left.remove(same)
        else:
            out.append(f"{kind} line {line}: {code} {text}")
    return out


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


def checked_as_pyx12_checks(text: str, problem: str | None, *also: str) -> None:
    """An 837P or 837I `text` judged as pyx12 judges it. `problem` None: its claims pass the checks,
    it reads without an error, and a checked write_837 gives it back, which pyx12 takes. Else one problem of the checks
    says `problem` (and each of `also`), a checked write_837 refuses, and an unchecked one gives
    the text back as read, which pyx12 refuses."""
    import edi

    reader = edi.read_claims(text)
    claims = list(reader)
    found = edi.check_claims(claims)
    if problem is None:
        assert [
            str(d)
            for d in reader.diagnostics
            if d.severity in (edi.Severity.ERROR, edi.Severity.FATAL)
        ] == []
        assert found == []
        out = edi.write_837(claims)
        assert out == text and errors(out) == []
        return
    assert any(problem in p and all(a in p for a in also) for p in found), found
    with pytest.raises(edi.ClaimCheckError):
        edi.write_837(claims)
    out = edi.write_837(claims, check=False)
    assert out == text and errors(out)
