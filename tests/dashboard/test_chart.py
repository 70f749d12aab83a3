"""The trend chart's SVG: coordinates, the margin band, gaps for weeks without data, and
escaped text."""

from __future__ import annotations

from xml.etree import ElementTree

from flask import Flask

from storyboard.dashboard.chart import trend_chart
from storyboard.dashboard.service import WeekNps
from storyboard.nps.math import nps_from_counts
from storyboard.weeks import IsoWeek

SVG = "{http://www.w3.org/2000/svg}"


def _weeks() -> list[WeekNps]:
    first = IsoWeek(2026, 45)
    weeks = [WeekNps(first.plus(i)) for i in range(4)]
    weeks[0].total = nps_from_counts(5, 3, 2)
    weeks[1].total = nps_from_counts(10, 0, 0)
    # weeks[2]: no data, the line breaks
    weeks[3].total = nps_from_counts(0, 0, 4)
    return weeks


def test_chart_is_well_formed_svg_with_title_band_and_week_links(app: Flask) -> None:
    with app.test_request_context():
        svg = str(trend_chart(_weeks(), lambda w: f"/search?from={w.monday}&to=x",
                              'NPS <"trend">'))
    root = ElementTree.fromstring(svg)  # well-formed, text escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == 'NPS <"trend">'  # type: ignore[union-attr]
    assert len(root.findall(f"{SVG}polygon")) == 1  # one band: weeks 45–46; 48 stands alone
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 3  # no point for the week without data
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links[0] == "/search?from=2026-11-02&to=x"
    assert len(links) == 4
    assert "style=" not in svg and "<script" not in svg
    # 100 is at the top, -100 at the bottom: week 46 (all promoters) is higher than 48.
    circles = root.findall(f"{SVG}circle")
    assert float(circles[1].get("cy")) < float(circles[2].get("cy"))  # type: ignore[arg-type]
    assert "2026-W48: NPS -100 ± 0 (n = 4)" in svg
