"""The trend chart's SVG: coordinates, the margin band, gaps for weeks without data, the
running week drawn as incomplete, escaped text, colours from the stylesheet's tokens."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from flask import Flask

from storyboard.dashboard.chart import trend_chart
from storyboard.dashboard.service import WeekNps
from storyboard.nps.math import nps_from_counts
from storyboard.weeks import IsoWeek

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "storyboard.css"


def _weeks() -> list[WeekNps]:
    first = IsoWeek(2026, 45)
    weeks = [WeekNps(first.plus(i)) for i in range(4)]
    weeks[0].total = nps_from_counts(5, 3, 2)
    weeks[1].total = nps_from_counts(10, 0, 0)
    # weeks[2]: no data, the line breaks
    weeks[3].total = nps_from_counts(0, 0, 4)
    return weeks


def test_chart_is_well_formed_svg_with_title_band_and_no_focusable_parts(app: Flask) -> None:
    with app.test_request_context():
        svg = str(trend_chart(_weeks(), 'NPS <"trend">', running=False))
    root = ElementTree.fromstring(svg)  # well-formed, text escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == 'NPS <"trend">'  # type: ignore[union-attr]
    assert "margin of error" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert len(root.findall(f"{SVG}polygon")) == 1  # one band: weeks 45–46; 48 stands alone
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 3  # no point for the week without data
    # An image has no links inside: the table next to the chart has the week links.
    assert not list(root.iter(f"{SVG}a")) and "tabindex" not in svg
    weeks = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").startswith("W")]
    assert weeks == ["W45", "W46", "W47", "W48"]
    assert "style=" not in svg and "<script" not in svg
    # 100 is at the top, -100 at the bottom: week 46 (all promoters) is higher than 48.
    circles = root.findall(f"{SVG}circle")
    assert float(circles[1].get("cy")) < float(circles[2].get("cy"))  # type: ignore[arg-type]
    assert "2026-W48: NPS -100 ± 0 (n = 4)" in svg
    assert "so far" not in svg and "stroke-dasharray" not in svg


def test_running_week_is_hollow_dashed_without_band_and_labelled(app: Flask) -> None:
    weeks = _weeks()
    weeks[2].total = nps_from_counts(6, 2, 2)  # all four weeks have data
    with app.test_request_context():
        svg = str(trend_chart(weeks, "NPS", running=True))
    root = ElementTree.fromstring(svg)
    circles = root.findall(f"{SVG}circle")
    assert len(circles) == 4
    running = circles[-1]
    assert "nps-point-running" in (running.get("class") or "")
    assert running.get("fill") == "#ffffff"  # hollow
    assert all("running" not in (c.get("class") or "") for c in circles[:-1])
    dashed = [
        line for line in root.iter(f"{SVG}line") if "nps-line-running" in (line.get("class") or "")
    ]
    assert len(dashed) == 1 and dashed[0].get("stroke-dasharray")
    # The band and the solid line end at the last complete week.
    band = root.find(f"{SVG}polygon")
    assert band is not None
    xs = {float(point.split(",")[0]) for point in (band.get("points") or "").split()}
    assert float(running.get("cx") or 0) not in xs
    assert "so far" in svg
    assert "still running" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert "This week so far: NPS -100" in svg


def test_chart_colours_are_the_stylesheets_tokens(app: Flask) -> None:
    tokens = set(re.findall(r"--[\w-]+:\s*(#[0-9a-fA-F]{6})", CSS.read_text()))
    with app.test_request_context():
        svg = str(trend_chart(_weeks(), "NPS", running=True))
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', svg))
    assert colours and colours <= tokens, colours - tokens
