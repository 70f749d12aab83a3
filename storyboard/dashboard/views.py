"""The stakeholders' dashboard: parse the filters, call the service, render."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from storyboard import page_cache
from storyboard.access import NUMBERS_READERS, roles_required
from storyboard.channels import channel_list
from storyboard.curation.forms import KIND_SHORT_LABELS
from storyboard.dashboard.chart import trend_chart
from storyboard.dashboard.service import (
    NUMBER_TABLES,
    PERIODS,
    DashboardFilters,
    WeekNps,
    dashboard_data,
    shared_week_features,
)
from storyboard.db import utcnow
from storyboard.labels import channel_names
from storyboard.models import Role, Team
from storyboard.nps.math import MIN_RELIABLE_N, Z_95, compare_periods, nps_from_counts
from storyboard.reach import service as reach
from storyboard.weeks import IsoWeek, app_timezone

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

VIEWERS = NUMBERS_READERS


def week_stories_url(week: WeekNps) -> str:
    """The search page limited to the stories of one week (Monday to Sunday)."""
    dates: dict[str, Any] = {"from": week.monday.isoformat(), "to": week.sunday.isoformat()}
    return url_for("search.index", **dates)


@bp.route("/")
@roles_required(*VIEWERS)
def index() -> str:
    teams = page_cache.teams()
    filters = DashboardFilters.from_args(
        request.args, {team.slug for team in teams}, channel_list()
    )
    now = utcnow()
    role = current_user.role
    numbers = page_cache.fragment(
        f"dashboard:{filters.team}:{filters.channel}:{filters.period}:{role.value}:{now:%Y%m%d%H%M}",
        FRAGMENT_TABLES,
        lambda: _render_numbers(filters, teams, now, role),
        holes={"reach": _render_reach(now)},
    )
    return render_template("dashboard/index.html", numbers=numbers)


# What the dashboard's content is read from: a change to one of these made by this
# process renders it again at once (other processes' changes within PAGE_CACHE_SECONDS).
# Not "stories": a new story is not on the dashboard until it is featured.
FRAGMENT_TABLES = NUMBER_TABLES | {"features", "kudos", "channels"}


def _render_numbers(filters: DashboardFilters, teams: list[Team], now: datetime, role: Role) -> str:
    """Everything on the dashboard that is the same for everyone with these filters,
    language and role, with holes for the reach block and the CSRF fields."""
    data = dashboard_data(filters, now)
    chart = trend_chart(
        data.weeks, _("Weekly NPS, last %(n)s weeks and this week", n=filters.period)
    )
    running = data.running
    assert running is not None
    return render_template(
        "dashboard/_numbers.html",
        data=data,
        filters=filters,
        teams=teams,
        chart=chart,
        channels=channel_names(),
        kind_labels=KIND_SHORT_LABELS,
        periods=PERIODS,
        week_url=week_stories_url,
        viewer_role=role,
        # "Monday" and "Wednesday 15:00", in the reader's language and the configured zone.
        running_from=format_datetime(running.base_from, "EEEE"),
        running_until=format_datetime(running.until, "EEEE HH:mm"),
    )


def _render_reach(now: datetime) -> str:
    """The per-reader block: managers' weekly reach, stakeholders' "For you"."""
    week = IsoWeek.at(now, app_timezone())
    return render_template("dashboard/_reach.html", **_reach_blocks(week))


# Weeks of reach shown to managers (this one and the ones before it).
REACH_WEEKS = 8


def _reach_blocks(week: IsoWeek | None) -> dict[str, object]:
    """Managers: the weekly reach figure; stakeholders: what to read next."""
    if week is None:
        return {"reach_weeks": None, "for_you": None}
    if current_user.role is Role.MANAGER:
        return {
            "reach_weeks": reach.weekly_reach(week, REACH_WEEKS, app_timezone()),
            "for_you": None,
        }
    if current_user.role is Role.STAKEHOLDER:
        this_week, _latest = shared_week_features(week)
        return {
            "reach_weeks": None,
            "for_you": reach.for_you(current_user, week, this_week),
        }
    return {"reach_weeks": None, "for_you": None}


@bp.route("/how-we-count")
@roles_required(*VIEWERS)
def how_we_count() -> str:
    """What the dashboard's numbers mean: NPS, the margin, "within noise", small samples
    and the running week."""
    # Worked examples, computed by the same math as the dashboard.
    small = nps_from_counts(20, 12, 8)
    large = nps_from_counts(200, 120, 80)
    return render_template(
        "dashboard/how_we_count.html",
        min_reliable_n=MIN_RELIABLE_N,
        z_95=Z_95,
        small=small,
        large=large,
        noise=compare_periods(large, large).noise,
        zone=app_timezone().key,
    )
