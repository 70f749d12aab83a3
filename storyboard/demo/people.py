"""The demo organisation: the contact centre of a Dutch retailer, five teams and the
people in them.

Every demo user shares one password, printed by ``storyboard demo``: a visitor should
be able to try any role without looking anything up. The first person of each role in
``PEOPLE`` is the one shown in the printed sign-in table.
"""

from __future__ import annotations

from storyboard.demo.spec import PersonSpec, TeamSpec
from storyboard.models import Role

DEMO_DOMAIN = "demo.storyboard.nl"
DEMO_PASSWORD = "storyboard-demo"

RETAIL = "retail"
DELIVERY = "bezorging"
ONLINE = "klantenservice-online"
BUSINESS = "zakelijk"
SOCIAL = "social-chat"

TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(RETAIL, "Retail", "Colleagues in our 38 stores and the store service desk."),
    TeamSpec(
        DELIVERY,
        "Bezorging",
        "Delivery and installation: carriers, time slots, big items up the stairs.",
    ),
    TeamSpec(
        ONLINE,
        "Klantenservice Online",
        "Phone and e-mail for webshop orders, returns, refunds and warranty.",
    ),
    TeamSpec(
        BUSINESS,
        "Zakelijk",
        "Business customers: schools, offices, care homes and their account managers.",
    ),
    TeamSpec(
        SOCIAL, "Social & Chat", "Chat, WhatsApp, Instagram, Facebook and X, seven days a week."
    ),
)


def _person(name: str, role: Role, team: str | None, email_name: str | None = None) -> PersonSpec:
    """``first.last@`` unless a name needs spelling out (particles, diacritics)."""
    words = name.lower().split()
    local = email_name or f"{words[0]}.{words[-1]}"
    return PersonSpec(email=f"{local}@{DEMO_DOMAIN}", name=name, role=role, team=team)


PEOPLE: tuple[PersonSpec, ...] = (
    # The first of each role is the one printed in the sign-in table.
    _person("Lotte Meijer", Role.AGENT, ONLINE),
    _person("Marloes Jansen", Role.MANAGER, ONLINE),
    _person("Pieter van den Berg", Role.STAKEHOLDER, None, "pieter.vandenberg"),
    _person("Sanne de Vries", Role.ADMIN, None, "sanne.devries"),
    # Agents, by team.
    _person("Jesse de Boer", Role.AGENT, ONLINE, "jesse.deboer"),
    _person("Anouk Peters", Role.AGENT, ONLINE),
    _person("Mateusz Kowalski", Role.AGENT, ONLINE),
    _person("Fleur Visser", Role.AGENT, RETAIL),
    _person("Daan Smit", Role.AGENT, RETAIL),
    _person("Priya Sharma", Role.AGENT, RETAIL),
    _person("Kevin Bos", Role.AGENT, DELIVERY),
    _person("Ayşe Yılmaz", Role.AGENT, DELIVERY, "ayse.yilmaz"),
    _person("Tom Hendriks", Role.AGENT, DELIVERY),
    _person("Bram Dekker", Role.AGENT, BUSINESS),
    _person("Naomi Mensah", Role.AGENT, BUSINESS),
    _person("Stefan Vermeulen", Role.AGENT, BUSINESS),
    _person("Zoë Kramer", Role.AGENT, SOCIAL, "zoe.kramer"),
    _person("Lucas Oliveira", Role.AGENT, SOCIAL),
    _person("Emma Willems", Role.AGENT, SOCIAL),
    _person("Mohamed Bouzid", Role.AGENT, SOCIAL),
    # The other managers, stakeholders and the second admin.
    _person("Youssef El Amrani", Role.MANAGER, DELIVERY, "youssef.elamrani"),
    _person("Ingrid Bakker", Role.MANAGER, RETAIL),
    _person("Claire Dubois", Role.STAKEHOLDER, None),
    _person("Hans Mulder", Role.STAKEHOLDER, None),
    _person("Ravi Ramdin", Role.ADMIN, None),
)

# The account whose existence marks a complete load: everything is committed at once.
MARKER_EMAIL = PEOPLE[3].email


def showcase_accounts() -> list[PersonSpec]:
    """One person per role, in the order agent, manager, stakeholder, admin."""
    firsts: dict[Role, PersonSpec] = {}
    for person in PEOPLE:
        firsts.setdefault(person.role, person)
    return [firsts[role] for role in Role]


def agents_of(team: str) -> list[str]:
    """E-mail addresses of a team's agents, in a fixed order."""
    return [p.email for p in PEOPLE if p.team == team and p.role is Role.AGENT]


def email_of(name: str) -> str:
    """A demo person's e-mail address by display name (content refers to people by name)."""
    for person in PEOPLE:
        if person.name == name:
            return person.email
    raise KeyError(name)
