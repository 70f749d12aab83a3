"""The public side (/share: the form, the receipt, the private status page) and the
moderation queue for managers."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from storyboard import page_cache
from storyboard.access import public, roles_required
from storyboard.customers import link_mail, service
from storyboard.customers.forms import (
    LinkMailForm,
    ModerationForm,
    RejectForm,
    ShareForm,
    WithdrawForm,
)
from storyboard.db import db, unit_of_work
from storyboard.extensions import limiter
from storyboard.forms import CsrfOnlyForm
from storyboard.labels import channel_choices
from storyboard.mail import mail_configured
from storyboard.models import (
    AuthorKind,
    CustomerSubmission,
    Language,
    Role,
    Story,
    SubmissionStatus,
    User,
)
from storyboard.privacy.configured import scrub
from storyboard.stories import naming

share_bp = Blueprint("share", __name__, url_prefix="/share")
moderation_bp = Blueprint("moderation", __name__, url_prefix="/moderation")

MODERATORS = (Role.MANAGER,)


def _share_limit() -> str:
    return str(current_app.config["SHARE_RATE_LIMIT"])


@share_bp.route("/", methods=["GET", "POST"])
@limiter.limit(_share_limit, methods=["POST"])
@public
def form() -> tuple[str, int]:
    form = ShareForm()
    if request.method == "POST" and (request.form.get("website") or "").strip():
        # A bot filled in the hidden field: thank it, keep nothing.
        return render_template("share/thanks.html", receipt=None), 200
    if not form.validate_on_submit():
        return render_template("share/form.html", form=form), (400 if form.is_submitted() else 200)
    data = service.CustomerInput(
        title=form.title.data or "",
        body=form.body.data or "",
        channel=form.channel.data or "",
        language=Language(form.language.data),
        first_name=form.first_name.data or "",
        email=form.email.data or "",
        helped_by=form.helped_by.data or "",
        show_first_name=bool(form.consent_name.data),
    )
    receipt = service.submit(data, sent_from_this_browser=_sent_from_this_browser())
    db.session.commit()
    _remember_sent(receipt.submission.id)
    return render_template(
        "share/thanks.html",
        receipt=receipt,
        status_url=url_for("share.status", token=receipt.token, _external=True),
        token=receipt.token,
        link_form=_link_form(prefill=receipt.submission.contact_email),
    ), 200


def _link_form(prefill: str | None = None) -> LinkMailForm | None:
    """The "e-mail me this link" form, or None when this portal sends no e-mail."""
    if not mail_configured(current_app.config):
        return None
    form = LinkMailForm(formdata=None)
    form.email.data = prefill or ""
    return form


# The submissions this browser sent, newest last, in the signed session cookie: only a
# repeat from the same browser is taken as a double tap (see ``service.submit``).
SENT_SESSION_KEY = "shared_submissions"
SENT_REMEMBERED = 5


def _sent_from_this_browser() -> list[int]:
    ids = session.get(SENT_SESSION_KEY)
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def _remember_sent(submission_id: int) -> None:
    ids = [i for i in _sent_from_this_browser() if i != submission_id] + [submission_id]
    session[SENT_SESSION_KEY] = ids[-SENT_REMEMBERED:]


def _submission_or_404(token: str) -> CustomerSubmission:
    submission = service.submission_for_token(token)
    if submission is None:
        abort(404)
    return submission


def _render_status(
    submission: CustomerSubmission,
    token: str,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "share/status.html",
        submission=submission,
        token=token,
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        link_form=_link_form(),
        retention_days=int(current_app.config["CUSTOMER_RETENTION_DAYS"]),
    ), status


@share_bp.get("/status/<token>")
@public
def status(token: str) -> tuple[str, int]:
    return _render_status(_submission_or_404(token), token)


@share_bp.post("/status/<token>/withdraw")
@public
def withdraw(token: str) -> tuple[str, int] | Response:
    """Take the story back, once the customer ticked the confirmation. A second post
    (a double click, a reload) finds it erased already and says so calmly."""
    submission = _submission_or_404(token)
    back = url_for("share.status", token=token)
    if submission.status is SubmissionStatus.WITHDRAWN:
        flash(_("Your story was already taken back and erased; nothing else changed."), "info")
        return redirect(back, 303)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_status(submission, token, withdraw_form=form, status=400)
    service.withdraw(submission)
    db.session.commit()
    flash(_("Your story has been taken back and erased."), "success")
    return redirect(back, 303)


def _link_mail_limit() -> str:
    return str(current_app.config["LINK_MAIL_RATE_LIMIT"])


@share_bp.post("/status/<token>/email")
@limiter.limit(_link_mail_limit)
@public
def email_link(token: str) -> tuple[str, int]:
    """E-mail the private link to the customer. The answer is the same whether the link
    belongs to a story or not, and it does not wait for the mail server."""
    token = token[:100]
    if not mail_configured(current_app.config):
        return render_template("share/link_mail.html", mail_on=False, token=token), 400
    form = LinkMailForm()
    if not form.validate_on_submit():
        return render_template(
            "share/link_mail.html", mail_on=True, link_form=form, token=token
        ), 400
    link_mail.send_link(token, form.email.data or "")
    return render_template(
        "share/link_mail.html", mail_on=True, sent_to=form.email.data, token=token
    ), 200


# -- moderation ------------------------------------------------------------------------------
@moderation_bp.get("/")
@roles_required(*MODERATORS)
def queue() -> str:
    submissions = service.pending_submissions()
    return render_template(
        "moderation/queue.html",
        submissions=submissions,
        same_text=service.same_text_references(submissions),
    )


def _moderation_form(submission: CustomerSubmission) -> ModerationForm:
    story = submission.story
    form = ModerationForm(obj=story if request.method == "GET" else None)
    form.keep_channel = story.channel if story else None
    form.channel.choices = channel_choices(keep=form.keep_channel)
    form.team_id.choices = [SelectChoice("", _("No team"))] + [
        SelectChoice(str(t.id), t.name) for t in page_cache.teams()
    ]
    if request.method == "GET" and story is not None:
        form.channel.data, form.language.data = story.channel, story.language.value
        form.team_id.data = story.team_id
    return form


def _pending_or_404(submission_id: int) -> CustomerSubmission:
    submission = db.session.get(CustomerSubmission, submission_id)
    if submission is None:
        abort(404)
    return submission


def _render_review(
    submission: CustomerSubmission, form: ModerationForm, reject_form: RejectForm, status: int = 200
) -> tuple[str, int]:
    original = submission.original_body or ""
    linked, candidates = _named(submission)
    return render_template(
        "moderation/review.html",
        submission=submission,
        form=form,
        reject_form=reject_form,
        erase_form=CsrfOnlyForm(),
        hits=scrub(original).hits,
        original=original,
        same_text=service.same_text_as(submission),
        named_form=CsrfOnlyForm(),
        named_linked=linked,
        named_candidates=candidates,
    ), status


def _named(submission: CustomerSubmission) -> tuple[list[User], list[User]]:
    """The colleagues linked to the story, and those the text names who are not yet."""
    if submission.story is None:
        return [], []
    return naming.linked_and_candidates(submission.story, submission.helped_by)


@moderation_bp.route("/<int(max=2147483647):submission_id>", methods=["GET", "POST"])
@roles_required(*MODERATORS)
def review(submission_id: int) -> tuple[str, int] | Response:
    submission = _pending_or_404(submission_id)
    form = _moderation_form(submission)
    reject_form = RejectForm(formdata=None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_review(submission, form, reject_form, 400)
        text = service.ModeratedText(
            title=form.title.data or "",
            body=form.body.data or "",
            channel=form.channel.data or "",
            language=Language(form.language.data),
            team_id=form.team_id.data,
        )
        approving = request.form.get("action") == "approve"
        try:
            with unit_of_work():
                if approving:
                    story = service.approve(submission, text, current_user)
                else:
                    service.save_edits(submission, text)
        except service.CustomerStoryError as error:
            flash(str(error), "error")
            return redirect(url_for("moderation.queue"))
        if approving:
            # On its page the story can be featured at once, for its own team.
            flash(_("Published: %(title)s", title=story.title), "success")
            return redirect(url_for("stories.show", story_id=story.id))
        flash(_("Saved; the story is still waiting."), "success")
        return redirect(url_for("moderation.queue"))
    return _render_review(submission, form, reject_form)


@moderation_bp.post("/<int(max=2147483647):submission_id>/reject")
@roles_required(*MODERATORS)
def reject(submission_id: int) -> tuple[str, int] | Response:
    submission = _pending_or_404(submission_id)
    reject_form = RejectForm()
    if not reject_form.validate_on_submit():
        return _render_review(submission, _moderation_form(submission), reject_form, 400)
    try:
        with unit_of_work():
            service.reject(submission, reject_form.reason.data or "", current_user)
    except service.CustomerStoryError as error:
        flash(str(error), "error")
        return redirect(url_for("moderation.queue"))
    flash(_("Rejected; the customer sees your reason on their status page."), "info")
    return redirect(url_for("moderation.queue"))


@moderation_bp.post("/<int(max=2147483647):submission_id>/erase")
@roles_required(*MODERATORS)
def erase(submission_id: int) -> Response:
    """Erase on request (a customer who asked the service desk)."""
    submission = _pending_or_404(submission_id)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    if submission.status is SubmissionStatus.WITHDRAWN:  # a second click
        flash(_("This story was already erased; nothing changed."), "info")
        return redirect(url_for("moderation.queue"), 303)
    service.withdraw(submission, by=current_user)
    db.session.commit()
    flash(_("Erased: the story and the customer's details are gone."), "info")
    return redirect(url_for("moderation.queue"))


def _named_story_and_agent(submission_id: int, user_id: int) -> tuple[CustomerSubmission, User]:
    submission = _pending_or_404(submission_id)
    agent = db.session.get(User, user_id)
    if agent is None or submission.story is None:
        abort(404)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return submission, agent


def _link(story: Story, agent: User, back: str) -> Response:
    try:
        with unit_of_work():
            naming.link_named_agent(story, agent, current_user)
    except naming.NamingError as error:
        flash(str(error), "error")
    except IntegrityError:  # a second click that raced the first: it is linked once
        pass
    else:
        if story.is_published:
            flash(
                _("Linked: %(name)s is told that a customer named them.", name=agent.display_name),
                "success",
            )
        else:
            flash(
                _("Linked: %(name)s is told once the story is published.", name=agent.display_name),
                "success",
            )
    return redirect(back + "#named")


def _unlink(story: Story, agent: User, back: str) -> Response:
    naming.unlink_named_agent(story, agent)
    db.session.commit()
    flash(_("Unlinked: %(name)s.", name=agent.display_name), "info")
    return redirect(back + "#named")


@moderation_bp.post("/<int(max=2147483647):submission_id>/named/<int(max=2147483647):user_id>")
@roles_required(*MODERATORS)
def link_named(submission_id: int, user_id: int) -> Response:
    """Link the colleague the customer named; they are told once the story is published."""
    submission, agent = _named_story_and_agent(submission_id, user_id)
    assert submission.story is not None
    return _link(submission.story, agent, url_for("moderation.review", submission_id=submission.id))


@moderation_bp.post(
    "/<int(max=2147483647):submission_id>/named/<int(max=2147483647):user_id>/unlink"
)
@roles_required(*MODERATORS)
def unlink_named(submission_id: int, user_id: int) -> Response:
    submission, agent = _named_story_and_agent(submission_id, user_id)
    assert submission.story is not None
    return _unlink(
        submission.story, agent, url_for("moderation.review", submission_id=submission.id)
    )


def _customer_story_and_agent(story_id: int, user_id: int) -> tuple[Story, User]:
    """A customer's story (e.g. a draft made from a survey comment) and a colleague."""
    story = db.session.get(Story, story_id)
    agent = db.session.get(User, user_id)
    if story is None or agent is None or story.author_kind is not AuthorKind.CUSTOMER:
        abort(404)
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return story, agent


@moderation_bp.post("/stories/<int(max=2147483647):story_id>/named/<int(max=2147483647):user_id>")
@roles_required(*MODERATORS)
def link_named_in_story(story_id: int, user_id: int) -> Response:
    """The same from the story page: survey comments become stories without a submission."""
    story, agent = _customer_story_and_agent(story_id, user_id)
    return _link(story, agent, url_for("stories.show", story_id=story.id))


@moderation_bp.post(
    "/stories/<int(max=2147483647):story_id>/named/<int(max=2147483647):user_id>/unlink"
)
@roles_required(*MODERATORS)
def unlink_named_in_story(story_id: int, user_id: int) -> Response:
    story, agent = _customer_story_and_agent(story_id, user_id)
    return _unlink(story, agent, url_for("stories.show", story_id=story.id))
