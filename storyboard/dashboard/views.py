"""The stakeholders' dashboard: parse the filters, call the service, render."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from storyboard.access import roles_required
from storyboard.dashboard.chart import trend_chart
from storyboard.dashboard.service import PERIODS, DashboardFilters, WeekNps, dashboard_data
from storyboard.db import db, utcnow
from storyboard.models import Role, Team
from storyboard.stories.forms import CHANNEL_LABELS

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

VIEWERS = (Role.STAKEHOLDER, Role.MANAGER, Role.ADMIN)


def week_stories_url(week: WeekNps) -> str:
    """The search page limited to the stories of one week (Monday to Sunday)."""
    return url_for("search.index", **{"from": week.monday.isoformat(),
                                      "to": week.sunday.isoformat()})


@bp.route("/")
@roles_required(*VIEWERS)
def index() -> str:
    teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    filters = DashboardFilters.from_args(request.args, {team.slug for team in teams})
    data = dashboard_data(filters, utcnow())
    chart = trend_chart(data.weeks, week_stories_url,
                        _("Weekly NPS, last %(n)s weeks and this week", n=filters.period))
    return render_template(
        "dashboard/index.html", data=data, filters=filters, teams=teams, chart=chart,
        channels=CHANNEL_LABELS, periods=PERIODS, week_url=week_stories_url,
    )
