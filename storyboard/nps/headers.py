"""Which column holds which field: the header names people and survey tools use.

Part of the importer. A header cell is compared without case, accents, spaces or
punctuation (``Respons-ID`` = ``response id`` = ``ResponseId``), first against the
field names themselves, then against common Dutch and English names, then (for survey
tools that put the question in the header) against words of the question
("… recommend …", "Waarom …").
"""

from __future__ import annotations

import unicodedata

# Exact names (normalised by ``normal``) → field.
ALIASES: dict[str, str] = {
    # the survey tool's id of the answer
    "id": "external_id",
    "externalid": "external_id",
    "responseid": "external_id",
    "responsid": "external_id",
    "respondentid": "external_id",
    "respondent": "external_id",
    "respondentnummer": "external_id",
    "antwoordid": "external_id",
    "answerid": "external_id",
    "reactieid": "external_id",
    "recordid": "external_id",
    # when it was answered
    "datum": "answered_at",
    "date": "answered_at",
    "tijdstip": "answered_at",
    "datumtijd": "answered_at",
    "datumentijd": "answered_at",
    "datetime": "answered_at",
    "timestamp": "answered_at",
    "tijdstempel": "answered_at",
    "answeredat": "answered_at",
    "ingevuldop": "answered_at",
    "submittedat": "answered_at",
    "recordeddate": "answered_at",  # Qualtrics
    "completiontime": "answered_at",  # Microsoft Forms
    "voltooiingstijd": "answered_at",
    "tijdvanvoltooien": "answered_at",
    "eindtijd": "answered_at",
    # the score
    "score": "score",
    "cijfer": "score",
    "rating": "score",
    "nps": "score",
    "npsscore": "score",
    "aanbevelingsscore": "score",
    "waardering": "score",
    # the team
    "team": "team",
    "teamnaam": "team",
    "teamname": "team",
    "afdeling": "team",
    "department": "team",
    # the agent
    "agentemail": "agent_email",
    "agentmail": "agent_email",
    "emailagent": "agent_email",
    "medewerkeremail": "agent_email",
    "emailmedewerker": "agent_email",
    "employeeemail": "agent_email",
    # the channel
    "channel": "channel",
    "kanaal": "channel",
    "contactkanaal": "channel",
    "contactchannel": "channel",
    # the language
    "language": "language",
    "taal": "language",
    "userlanguage": "language",  # Qualtrics
    "locale": "language",
    # the comment
    "comment": "comment",
    "comments": "comment",
    "opmerking": "comment",
    "opmerkingen": "comment",
    "toelichting": "comment",
    "commentaar": "comment",
    "feedback": "comment",
    "reactie": "comment",
    "verbatim": "comment",
    # the survey system
    "source": "source",
    "bron": "source",
}

# Words inside a longer header (a survey question) → field. Checked in this order.
QUESTION_WORDS: tuple[tuple[str, str], ...] = (
    ("recommend", "score"),
    ("aanbevel", "score"),
    ("aanraden", "score"),
    ("aanbeveelt", "score"),
    ("waarom", "comment"),
    ("toelichting", "comment"),
    ("reason", "comment"),
    ("why", "comment"),
    ("opmerking", "comment"),
    ("kanaal", "channel"),
    ("channel", "channel"),
    ("afdeling", "team"),
    ("team", "team"),
)
HEADER_MAX = 1_000
# A question column that only groups the score (Qualtrics' Q1_NPS_GROUP).
NOT_A_QUESTION = ("group", "groep", "categor")


def normal(name: str) -> str:
    """Lower case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.casefold() if c.isalnum() and c.isascii())


def recognise(name: str, fields: tuple[str, ...]) -> str | None:
    """The field a header cell names, or None."""
    if len(name) > HEADER_MAX:  # no header is this long: a broken file's first line
        return None
    key = normal(name)
    if not key:
        return None
    for field_name in fields:
        if key == normal(field_name):
            return field_name
    if key in ALIASES:
        return ALIASES[key]
    words = " ".join(name.casefold().split())
    if len(words) > 20 and not any(word in key for word in NOT_A_QUESTION):
        for word, field_name in QUESTION_WORDS:
            if word in key:
                return field_name
    return None
