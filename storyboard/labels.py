"""Words for values people see, in their language: one home for labels that several
areas show (a role on the header, the profile, people pages and the admin's forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from storyboard.models import Role

ROLE_LABELS = {
    Role.AGENT: _l("Agent"),
    Role.MANAGER: _l("Manager"),
    Role.STAKEHOLDER: _l("Stakeholder"),
    Role.ADMIN: _l("Admin"),
}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS.get(role, role.value))
