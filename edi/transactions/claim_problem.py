"""One problem the 837 checks find (`check_claims`), with what it is about: the transactions layer.

The checks said their problems as text only, and `edi claims` found the part of the claim each was
about by parsing that text. A `ClaimProblem` is still that text (a `str`: callers that compare,
join or print problems see no difference), and carries the model it is about, the element and, for
a kind of problem a caller may need to tell apart, a short code. It is immutable in use: the
problems of the context models a set's claims share are memoized and handed to every claim.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from edi.diagnostics import Location
from edi.models.base import Placed

# The codes a `ClaimProblem` may carry (stable: callers compare them).
KEPT_NO_DATE = "kept-no-date"  # a date kept from the file read that is no date
KEPT_NO_NUMBER = "kept-no-number"  # a number kept from the file read that is no number
KEPT_UNUSED = "kept-unused"  # a segment kept from the file read that its loop has no place for
DUPLICATE_CLAIM = "duplicate-claim"  # a claim id sent twice by one provider to one payer
ENVELOPE = "envelope"  # a problem of the envelope a claim carries
UNWRITABLE = "unwritable"  # a value holding a delimiter of those it would be written with
UNVALIDATED = "unvalidated"  # a claim made or changed around pydantic, with a field it refuses


class ClaimProblem(str):
    """A problem of a claim (`check_claims`, `ClaimChecker`): its text, and what it is about.

    It is a `str`, the text the checks have always given; the text of a problem made from it
    (`"claim PCN1: " + problem`) is a plain `str` again, so prefixes go through `prefixed`.

    Attributes:
        about: The model it is about: the `Claim`, one of its `ServiceLine`s or `PriorPayer`s, a
            `Provider` (of the claim, a line or a prior payer), a prior payer's other subscriber
            (2330A) or other payer (2330B), a line's drug (2410), adjudication (2430) or form
            (2440), or a model the claims of a set share: the billing provider (its pay-to address
            or plan), subscriber, payer, patient, the transaction header or its submitter or
            receiver. Its `read_at` says where it was read; the text names the line or prior payer
            (`line 2: adjudication 1 (2430): ...`).
        element: The element it is about (`"SV102"`, `"CLM05-03"`, `"NM109"`), when one; None for a
            segment or loop (missing, repeated, not in the guide) or a rule between elements.
        code: What kind of problem it is, for a caller that acts on one kind: `"kept-no-date"` (a
            date the file read holds that is no date, which reading reported already),
            `"kept-no-number"` (a number likewise),
            `"duplicate-claim"`, `"envelope"`, `"unwritable"` (a value holding a delimiter),
            `"unvalidated"` (a claim made with `model_construct` or changed through `__dict__`,
            with a field pydantic refuses: nothing else of it is checked), `"kept-unused"` (a
            segment kept from the file read that its loop has no place for, which reading warned
            of); None for the others.
        read_at: Where the segment it is about was read, when the model keeps that segment as read
            (one no field takes: `PRV*PE (kept from the file read) is not used ...`); None for the
            others, placed by `about`.

    Example:
        >>> problem = ClaimProblem("CLM02 has 19 digits", element="CLM02")
        >>> problem == "CLM02 has 19 digits", problem.prefixed("claim PCN1: ").element
        (True, 'CLM02')
    """

    __slots__ = ("about", "element", "code", "read_at")

    about: BaseModel | None
    element: str | None
    code: str | None
    read_at: Location | None

    def __new__(
        cls,
        text: str,
        about: BaseModel | None = None,
        element: str | None = None,
        code: str | None = None,
        read_at: Location | None = None,
    ) -> ClaimProblem:
        self = super().__new__(cls, text)
        self.about = about
        self.element = element
        self.code = code
        self.read_at = read_at
        return self

    @property
    def location(self) -> Location | None:
        """Where the problem is in the file read, as `edi claims` says it: the segment it is about
        when its model keeps that segment as read (`read_at`), else where the model it is about was
        read (its `read_at`: the first segment of its loop); None for one made in code or JSON."""
        if self.read_at is not None:
            return self.read_at
        about = self.about
        return about.read_at if isinstance(about, Placed) else None

    def prefixed(self, prefix: str) -> ClaimProblem:
        """The same problem, its text after `prefix` (`"line 2: "`). After the claim's name, the
        `claim: ` that tells a claim's provider from a line's (`claim: provider 82 ...`) is left
        out: `claim PCN1: provider 82 ...`, not `claim PCN1: claim: provider 82 ...`."""
        text = str(self)
        if prefix.startswith("claim ") and text.startswith("claim: "):
            text = text.removeprefix("claim: ")
        return ClaimProblem(prefix + text, self.about, self.element, self.code, self.read_at)


def problems_about(model: BaseModel, found: Iterable[str], where: str = "") -> list[ClaimProblem]:
    """The problems a check found in one model (`found`: their text, and maybe their element, code
    and place), each about `model` and its text after `where` (`"line 2: "`)."""
    return [
        ClaimProblem(
            where + p,
            model,
            getattr(p, "element", None),
            getattr(p, "code", None),
            getattr(p, "read_at", None),
        )
        for p in found
    ]


__all__ = ["ClaimProblem", "problems_about"]
