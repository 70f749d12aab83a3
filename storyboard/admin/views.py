"""Admin pages: users, teams, themes, channels, API tokens, webhooks, search and the audit
log."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from storyboard.access import roles_required
from storyboard.admin import service
from storyboard.admin.forms import ChannelForm, NamedItemForm, ThemeForm, UserForm
from storyboard.api.tokens import all_tokens
from storyboard.audit import service as audit_log
from storyboard.auth import accounts
from storyboard.channels import ChannelInput, parse_aliases
from storyboard.db import db, unit_of_work
from storyboard.forms import CsrfOnlyForm
from storyboard.labels import channel_name, sorted_themes, theme_name
from storyboard.models import (
    Channel,
    Role,
    Story,
    SurveyAnswer,
    Team,
    Theme,
    User,
    Webhook,
    WebhookDelivery,
)
from storyboard.pagination import parse_page
from storyboard.search import status as search_status
from storyboard.webhooks import service as webhook_service
from storyboard.webhooks.forms import EVENT_LABELS, WebhookForm

AUDIT_PER_PAGE = 50
bp = Blueprint("admin", __name__, url_prefix="/admin")

ITEM_ID = "<int(max=2147483647):item_id>"


def _team_choices() -> list[SelectChoice]:
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return [SelectChoice("", _("No team"))] + [SelectChoice(str(t.id), t.name) for t in teams]


def _user_input(form: UserForm) -> service.UserInput:
    return service.UserInput(
        email=form.email.data or "",
        display_name=form.display_name.data or "",
        role=Role(form.role.data),
        team_id=form.team_id.data,
        active=bool(form.active.data),
        password=form.password.data or None,
    )


@bp.route("/")
@roles_required(Role.ADMIN)
def index() -> Response:
    return redirect(url_for("admin.users"))


@bp.route("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    people = db.session.scalars(select(User).order_by(User.active.desc(), User.display_name))
    return render_template("admin/users.html", users=people.all())


def _get_or_404(model: type[Any], item_id: int) -> Any:
    item = db.session.get(model, item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route(f"/users/{ITEM_ID}/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(item_id: int | None = None) -> tuple[str, int] | Response:
    user = _get_or_404(User, item_id) if item_id is not None else None
    assert user is None or isinstance(user, User)
    form = UserForm(obj=user if request.method == "GET" else None)
    form.team_id.choices = _team_choices()
    if request.method == "GET" and user is not None:
        form.role.data = user.role.value
    if form.validate_on_submit():
        inviting = user is None and not form.password.data
        try:
            with unit_of_work():
                if user is None:
                    user = service.create_user(_user_input(form), current_user)
                else:
                    service.update_user(user, _user_input(form), current_user)
        except service.AdminError as error:
            form.form_errors.append(str(error))
        else:
            if user.id == current_user.id:
                # A new password signs out other sessions; this one stays signed in.
                login_user(user)
            if inviting:
                accounts.send_invitation(user, current_user)
                flash(
                    _(
                        "Saved %(name)s and e-mailed an invitation to %(email)s to choose a "
                        "password.",
                        name=user.display_name,
                        email=user.email,
                    ),
                    "success",
                )
            else:
                flash(_("Saved %(name)s.", name=user.display_name), "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/teams")
@roles_required(Role.ADMIN)
def teams() -> str:
    rows = db.session.execute(
        select(Team, func.count(func.distinct(User.id)), func.count(func.distinct(Story.id)))
        .outerjoin(User, User.team_id == Team.id)
        .outerjoin(Story, Story.team_id == Team.id)
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    return render_template("admin/teams.html", rows=rows)


@bp.route("/themes")
@roles_required(Role.ADMIN)
def themes() -> str:
    items = sorted_themes(db.session.scalars(select(Theme)))
    return render_template("admin/themes.html", themes=items)


@bp.route("/teams/new", methods=["GET", "POST"])
@bp.route(f"/teams/{ITEM_ID}/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(item_id: int | None = None) -> tuple[str, int] | Response:
    team = _get_or_404(Team, item_id) if item_id is not None else None
    form = NamedItemForm(obj=team if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                saved = service.save_team(
                    team, form.name.data or "", form.description.data or "", current_user
                )
        except service.AdminError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved %(name)s.", name=saved.name), "success")
            return redirect(url_for("admin.teams"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/item_form.html", form=form, item=team, kind=_("team"), back="admin.teams"
    ), status


@bp.route("/themes/new", methods=["GET", "POST"])
@bp.route(f"/themes/{ITEM_ID}/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_theme(item_id: int | None = None) -> tuple[str, int] | Response:
    """A theme's name and description in Dutch and in English."""
    theme = _get_or_404(Theme, item_id) if item_id is not None else None
    form = ThemeForm(obj=theme if request.method == "GET" else None)
    if form.validate_on_submit():
        data = service.ThemeInput(
            name_nl=form.name_nl.data or "",
            name_en=form.name_en.data or "",
            description_nl=form.description_nl.data or "",
            description_en=form.description_en.data or "",
        )
        try:
            with unit_of_work():
                saved = service.save_theme(theme, data, current_user)
        except service.AdminError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved %(name)s.", name=theme_name(saved)), "success")
            return redirect(url_for("admin.themes"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/item_form.html", form=form, item=theme, kind=_("theme"), back="admin.themes"
    ), status


@bp.route("/channels")
@roles_required(Role.ADMIN)
def channels() -> str:
    """The organisation's channels, with how many stories and answers use each."""
    items = db.session.scalars(select(Channel).order_by(Channel.position, Channel.name_en))
    stories: dict[str, int] = {
        key: n
        for key, n in db.session.execute(
            select(Story.channel, func.count()).group_by(Story.channel)
        )
    }
    answers: dict[str | None, int] = {
        key: n
        for key, n in db.session.execute(
            select(SurveyAnswer.channel, func.count()).group_by(SurveyAnswer.channel)
        )
    }
    return render_template(
        "admin/channels.html",
        channels=items.all(),
        stories=stories,
        answers=answers,
        action_form=CsrfOnlyForm(),
    )


@bp.route("/channels/new", methods=["GET", "POST"])
@bp.route(f"/channels/{ITEM_ID}/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_channel(item_id: int | None = None) -> tuple[str, int] | Response:
    """A channel's names in Dutch and English and the other names exports use."""
    channel = _get_or_404(Channel, item_id) if item_id is not None else None
    form = ChannelForm(obj=channel if request.method == "GET" else None)
    if request.method == "GET" and channel is not None:
        form.aliases.data = "\n".join(channel.alias_list)
    if form.validate_on_submit():
        data = ChannelInput(
            name_nl=form.name_nl.data or "",
            name_en=form.name_en.data or "",
            aliases=parse_aliases(form.aliases.data or ""),
            position=form.position.data,
        )
        try:
            with unit_of_work():
                saved = service.save_channel(channel, data, current_user)
        except service.AdminError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved %(name)s.", name=channel_name(saved.key)), "success")
            return redirect(url_for("admin.channels"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/item_form.html", form=form, item=channel, kind=_("channel"), back="admin.channels"
    ), status


@bp.post(f"/channels/{ITEM_ID}/deactivate")
@bp.post(f"/channels/{ITEM_ID}/activate", endpoint="activate_channel")
@roles_required(Role.ADMIN)
def deactivate_channel(item_id: int) -> Response:
    """Offer a channel nowhere new (its stories and answers keep it), or again."""
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    channel = _get_or_404(Channel, item_id)
    active = request.endpoint == "admin.activate_channel"
    try:
        with unit_of_work():
            service.set_channel_active(channel, active, current_user)
    except service.AdminError as error:
        flash(str(error), "error")
    else:
        name = channel_name(channel.key)
        flash(
            _("%(name)s is in use again.", name=name)
            if active
            else _("%(name)s is no longer offered; its stories and answers keep it.", name=name),
            "success",
        )
    return redirect(url_for("admin.channels"))


@bp.route("/tokens")
@roles_required(Role.ADMIN)
def tokens() -> str:
    """Every API token of every user; revoking one posts to the profile's revoke route."""
    return render_template("admin/tokens.html", tokens=all_tokens(), action_form=CsrfOnlyForm())


@bp.route("/webhooks")
@roles_required(Role.ADMIN)
def webhooks() -> str:
    hooks = db.session.scalars(select(Webhook).order_by(Webhook.id)).all()
    return render_template(
        "admin/webhooks.html",
        hooks=hooks,
        deliveries=webhook_service.recent_deliveries(),
        event_labels=EVENT_LABELS,
        action_form=CsrfOnlyForm(),
    )


@bp.route("/webhooks/new", methods=["GET", "POST"])
@bp.route(f"/webhooks/{ITEM_ID}/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_webhook(item_id: int | None = None) -> tuple[str, int] | Response:
    hook = _get_or_404(Webhook, item_id) if item_id is not None else None
    form = WebhookForm(obj=hook if request.method == "GET" else None)
    if request.method == "GET":
        form.secret.data = ""
        form.events.data = sorted(hook.event_set) if hook else ["story.published"]
    if form.validate_on_submit():
        data = webhook_service.WebhookInput(
            url=form.url.data or "",
            secret=form.secret.data or "",
            events=tuple(form.events.data or ()),
            active=bool(form.active.data),
        )
        try:
            with unit_of_work():
                saved, new_secret = webhook_service.save_webhook(hook, data, current_user)
        except webhook_service.WebhookError as error:
            form.form_errors.append(str(error))
        else:
            if new_secret:
                return render_template(
                    "admin/webhook_secret.html", hook=saved, secret=new_secret
                ), 201
            flash(_("Webhook saved."), "success")
            return redirect(url_for("admin.webhooks"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/webhook_form.html", form=form, hook=hook), status


@bp.post(f"/webhooks/{ITEM_ID}/delete")
@roles_required(Role.ADMIN)
def delete_webhook(item_id: int) -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    webhook_service.delete_webhook(_get_or_404(Webhook, item_id), current_user)
    db.session.commit()
    flash(_("Webhook deleted, with its delivery log."), "success")
    return redirect(url_for("admin.webhooks"))


@bp.post(f"/webhooks/deliveries/{ITEM_ID}/retry")
@roles_required(Role.ADMIN)
def retry_delivery(item_id: int) -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    webhook_service.retry_delivery(_get_or_404(WebhookDelivery, item_id))
    db.session.commit()
    flash(_("The delivery goes out again with the worker's next round."), "success")
    return redirect(url_for("admin.webhooks") + "#deliveries")


@bp.route("/search")
@roles_required(Role.ADMIN)
def search() -> str:
    """Which search backend serves, how far the index is, and whether the archive has
    outgrown Whoosh (with how to move)."""
    seen = search_status.overview(current_app)
    advice = search_status.move_advice(seen.capacity) if seen.capacity.outgrown else None
    return render_template("admin/search.html", seen=seen, advice=advice)


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit() -> str:
    """Who did what, newest first; filters by action and by actor."""
    filters = audit_log.AuditFilters(
        action=(request.args.get("action") or "").strip() or None,
        actor=(request.args.get("actor") or "").strip() or None,
    )
    page = audit_log.list_events(filters, parse_page(request.args.get("page")), AUDIT_PER_PAGE)
    return render_template(
        "admin/audit.html", page=page, filters=filters, actions=audit_log.action_names()
    )
