"""What a ``storyboard doctor`` check finds: one ``Finding`` per check, all of them a
``Checkup``."""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
WARNING = "warning"
PROBLEM = "problem"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ``check`` is a stable name (for ``--json``), ``message`` the
    line a person reads."""

    check: str
    status: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "status": self.status, "message": self.message}


@dataclass(frozen=True)
class Checkup:
    findings: list[Finding]

    def count(self, status: str) -> int:
        return sum(1 for finding in self.findings if finding.status == status)

    def failed(self, strict: bool = False) -> bool:
        """A problem, or with ``strict`` also a warning: the command exits 1."""
        return bool(self.count(PROBLEM) or (strict and self.count(WARNING)))


def first_line(error: BaseException) -> str:
    """An error's first line (the driver's own message where there is one)."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
