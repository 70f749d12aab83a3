"""NPS figures and table cells on a web page, written in Python.

The dashboard shows a figure in every row of three tables (some forty a page). As Jinja
macros each row cost a macro call, five translations looked up through the template's
context and Babel's number formatting; written here they cost a tenth of that. The
markup is the kit's (``templates/kit/nps.html`` calls ``web_nps_figure`` for its web
medium), so there is one definition of what a figure looks like.
"""

from __future__ import annotations

from markupsafe import Markup

from storyboard.i18n.formatting import number_text
from storyboard.i18n.locale import current_translations
from storyboard.nps.math import MIN_RELIABLE_N, NpsResult, signed_points


def _(text: str, **variables: object) -> Markup:
    """A translation as a template's ``_()`` gives it: the translated text is markup
    (our own catalogue), the values are escaped."""
    return Markup(current_translations().ugettext(text)) % variables


def web_nps_figure(result: NpsResult) -> Markup:
    """The score with its margin and n, "few answers" instead of a margin that means
    little, "no data" without answers (see ``kit/nps.html``)."""
    if not result.has_data or result.score is None or result.margin is None:
        return Markup('<span class="nps-none">%s</span>') % _("no data")
    score = Markup('<span class="nps-score">%s</span> ') % signed_points(result.score)
    if result.few_answers:
        detail = Markup(' <span class="nps-few" title="%s">%s</span>') % (
            _(
                "Fewer than %(n)s answers: the margin of error is a rough guide at best.",
                n=MIN_RELIABLE_N,
            ),
            _("few answers"),
        )
    else:
        detail = Markup('<span class="nps-margin">± %.0f</span>') % result.margin
    n = Markup(' <span class="nps-n">(%s)</span>') % _("n = %(n)s", n=number_text(result.n))
    return score + detail + n


def percentages(result: NpsResult) -> tuple[int, int, int] | None:
    """Promoters, passives and detractors as whole percentages that add up on the page:
    promoters rounded as the NPS is shown (``%.0f``) and detractors the difference, so
    "58 % − 16 % = +42" always holds (detractors are within one point of their exact
    share); passives, on neither side of the NPS, simply rounded. None without answers."""
    if result.score is None:
        return None
    promoters = int(f"{result.promoters / result.n * 100:.0f}")
    detractors = min(100, max(0, promoters - int(f"{result.score:.0f}")))
    passives = int(f"{result.passives / result.n * 100:.0f}")
    return promoters, passives, detractors


def nps_cells(result: NpsResult) -> Markup:
    """One table row's cells: the figure, then promoters, passives and detractors as
    percentages with their counts, each labelled for the stacked table on a phone."""
    shares = percentages(result)
    cell = Markup('<td role="cell" class="num" data-label="%s">%s</td>')
    cells = [cell % (_("NPS"), web_nps_figure(result))]
    labels = (_("Promoters"), _("Passives"), _("Detractors"))
    counts = (result.promoters, result.passives, result.detractors)
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        if shares is None:
            cells.append(cell % (label, count))
        else:
            value = Markup('%d%% <span class="muted">(%s)</span>') % (
                shares[index],
                number_text(count),
            )
            cells.append(cell % (label, value))
    return Markup("\n").join(cells)
