"""E-mail a customer their private status link, when they ask for it on the receipt or
the status page.

The answer the customer sees never depends on what exists: an unknown or withdrawn
link, a mail server that is down and a message sent all look the same (the mail goes
out in the background), so the form reveals nothing to someone trying links or
addresses. What is sent is in the language of the page the customer asked from.
"""

from __future__ import annotations

import threading
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from storyboard.branding.service import organisation
from storyboard.customers.service import submission_for_token
from storyboard.mail import send_in_background
from storyboard.models import CustomerSubmission, SubmissionStatus


def status_link(token: str) -> str:
    """The private link on the configured address (``BASE_URL``), never on whatever
    host a request named."""
    path = url_for("share.status", token=token)
    return str(current_app.config["BASE_URL"]).rstrip("/") + path


def link_message(submission: CustomerSubmission, token: str, address: str) -> EmailMessage:
    """The e-mail with the private link, in the current (the page's) language."""
    org = organisation(current_app.config)
    message = EmailMessage()
    message["Subject"] = _(
        "%(org)s: the link to your story %(reference)s",
        org=org.name,
        reference=submission.reference,
    )
    message["From"] = formataddr((org.name, str(current_app.config["SMTP_FROM"])))
    message["To"] = address
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="storyboard")
    message.set_content(
        render_template(
            "share/link_email.txt",
            org=org,
            reference=submission.reference,
            link=status_link(token),
        )
    )
    return message


def send_link(token: str, address: str) -> threading.Thread | None:
    """Send the private link to ``address`` when ``token`` belongs to a story that is
    still there; say nothing either way (the caller shows the same answer)."""
    submission = submission_for_token(token)
    if submission is None or submission.status is SubmissionStatus.WITHDRAWN:
        return None
    return send_in_background(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # noqa: SLF001 - the thread needs the app itself
        link_message(submission, token, address),
        "customer-link",
    )
