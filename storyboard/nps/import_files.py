"""Files an upload keeps for a day, for the person who uploaded them only: the upload
itself while it waits for "Import anyway", and the full list of refused and skipped rows
(CSV) behind the report's download link. Old ones are removed whenever one is kept."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from storyboard.db import db, utcnow
from storyboard.models import NpsImportFile, User

KEPT_FOR = timedelta(days=1)
UPLOAD, REPORT = "upload", "report"
NAME_MAX = 255


def _keep(user: User, kind: str, data: bytes, name: str) -> str:
    db.session.execute(delete(NpsImportFile).where(NpsImportFile.created_at < utcnow() - KEPT_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(
        NpsImportFile(token=token, user_id=user.id, kind=kind, name=name[:NAME_MAX], data=data)
    )
    return token


def _find(user: User, kind: str, token: str) -> NpsImportFile | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(NpsImportFile).where(
            NpsImportFile.token == token,
            NpsImportFile.user_id == user.id,
            NpsImportFile.kind == kind,
            NpsImportFile.created_at >= utcnow() - KEPT_FOR,
        )
    )


def keep_upload(user: User, data: bytes, name: str) -> str:
    """Keep an upload until its uploader confirms it; its token."""
    return _keep(user, UPLOAD, data, name)


def pending_upload(user: User, token: str) -> bytes | None:
    found = _find(user, UPLOAD, token)
    return found.data if found else None


def discard(user: User, token: str) -> None:
    found = _find(user, UPLOAD, token)
    if found is not None:
        db.session.delete(found)


def keep_report(user: User, text: str) -> str:
    """Keep the CSV of refused rows (UTF-8 with BOM, so Excel reads the accents)."""
    return _keep(user, REPORT, text.encode("utf-8-sig"), "refused-rows.csv")


def report(user: User, token: str) -> bytes | None:
    found = _find(user, REPORT, token)
    return found.data if found else None
