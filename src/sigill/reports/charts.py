"""The report's charts: server-side SVG drawn by pygal, each with a title and a description, and
the very numbers it draws as rows for the accessible table beside it.

A chart is shown as an ``<img>`` whose source is the SVG as a data URI and whose alt text is the
title and description; the table next to it gives screen readers (and everyone) the numbers.
"""

from __future__ import annotations

import base64
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from django.utils import formats
from django.utils.translation import gettext as _
from lxml.etree import tostring as lxml_tostring
from pygal.style import Style

from sigill.reports import labels
from sigill.reports.figures import Figures, Report, UnitRow
from sigill.reports.periods import Month

# pygal adds an import hook for its map plugins (unused here) that lacks find_spec(), so every
# failed import in the process raises an ImportWarning (and stops working in Python 3.12): take it out.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

Value = int | float | None

# The design system's colours (sigill.css), distinct enough side by side in print as on screen.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b2530",
    foreground_strong="#1b2530",
    foreground_subtle="#4a5866",
    colors=("#1d4f91", "#b3541e", "#1e6b3a", "#7a4f00", "#66727f"),
    opacity="1",
    opacity_hover="1",
    font_family="DejaVu Sans, Arial, sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    columns: list[str]  # the row label's heading, then one per series
    rows: list[tuple[str, list[Value]]]
    svg: str
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.description}"


def _draw(
    kind: type[pygal.graph.graph.Graph],
    *,
    title: str,
    description: str,
    label_heading: str,
    series: Sequence[str],
    rows: list[tuple[str, list[Value]]],
    **config: object,
) -> Chart:
    width, height = 760, max(320, 44 * len(rows) + 140) if kind is pygal.HorizontalBar else 380
    chart = kind(
        title=title,
        style=STYLE,
        js=[],  # no script: the chart is an image (and nothing is fetched from elsewhere)
        disable_xml_declaration=True,
        width=width,
        height=height,
        legend_at_bottom=True,
        print_values=False,
        show_y_guides=True,
        truncate_label=-1,
        **config,
    )
    chart.x_labels = [label for label, _values in rows]
    for index, name in enumerate(series):
        chart.add(name, [values[index] for _label, values in rows])
    tree = chart.render_tree()
    for parent in tree.iter():
        for script in [child for child in parent if child.tag == "script"]:
            parent.remove(script)
    heading = next(index for index, child in enumerate(tree) if child.tag == "title")
    # pygal builds its tree with lxml when lxml is installed (the e-archive needs it), else ElementTree.
    desc = tree.makeelement("desc", {})
    desc.text = description
    tree.insert(heading + 1, desc)
    svg = (
        ET.tostring(tree, encoding="unicode")
        if isinstance(tree, ET.Element)
        else lxml_tostring(tree, encoding="unicode")
    )
    return Chart(title, description, [label_heading, *series], rows, svg, width, height)


def trend(report: Report) -> Chart:
    months = [Month(point.year, point.month) for point in report.trend]
    return _draw(
        pygal.Bar,
        title=_("The last twelve months"),
        description=_(
            "Posts published, and comments and messages received, per month from %(first)s to %(last)s."
        )
        % {"first": months[0].label, "last": months[-1].label},
        label_heading=_("Month"),
        series=[_("Posts published"), _("Comments received"), _("Messages received")],
        rows=[
            (
                formats.date_format(month.first_day, "M Y"),
                [point.posts_published, point.comments_received, point.messages_received],
            )
            for month, point in zip(months, report.trend, strict=True)
        ],
        x_label_rotation=-45,
    )


def activity_by_unit(units: list[UnitRow]) -> Chart:
    return _draw(
        pygal.HorizontalBar,
        title=_("Activity per unit"),
        description=_("Posts published, and comments and messages received, in the month, per unit."),
        label_heading=_("Unit"),
        series=[_("Posts published"), _("Comments received"), _("Messages received")],
        rows=[
            (
                row.unit.name if row.unit else _("All accounts"),
                [row.figures.posts_published, row.figures.comments_received, row.figures.messages_received],
            )
            for row in units
        ],
    )


def decisions_by_reason(figures: Figures) -> Chart:
    return _draw(
        pygal.HorizontalBar,
        title=_("Moderation decisions by reason"),
        description=_(
            "How many decisions moderators took in the month, by decision and the published rule it named."
        ),
        label_heading=_("Decision"),
        series=[_("Decisions")],
        rows=[
            (labels.decision(count.act, count.reason), [count.count]) for count in figures.decisions_by_reason
        ],
    )


def decision_times(units: list[UnitRow]) -> Chart:
    return _draw(
        pygal.HorizontalBar,
        title=_("Time to decision per unit"),
        description=_(
            "The median and the 90th percentile of the hours from a comment's arrival to the "
            "moderator's decision, for the decisions taken in the month, per unit."
        ),
        label_heading=_("Unit"),
        series=[_("Median (hours)"), _("90th percentile (hours)")],
        rows=[
            (
                row.unit.name if row.unit else _("All accounts"),
                [
                    _rounded(row.figures.decision_time.median_hours),
                    _rounded(row.figures.decision_time.p90_hours),
                ],
            )
            for row in units
        ],
    )


def _rounded(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 1)


def for_report(report: Report) -> list[Chart]:
    """The charts of a report page (and its PDF), in the order they are shown."""
    charts = [trend(report)]
    if len(report.units) > 1:
        charts.append(activity_by_unit(report.units))
    if report.total.figures.decisions_by_reason:
        charts.append(decisions_by_reason(report.total.figures))
    if report.total.figures.decision_time.count:
        charts.append(decision_times(report.units if len(report.units) > 1 else [report.total]))
    return charts
