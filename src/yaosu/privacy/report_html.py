"""A self-contained HTML scan report: tables and inline SVG bar charts, no scripts, no external assets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from yaosu.privacy.report import ScanReport, report_reasons

BAR_HEIGHT = 22
CHART_WIDTH = 360  # pixels for the longest bar
LABEL_WIDTH = 170


@dataclass(frozen=True)
class Bar:
    """One horizontal bar of a chart: its label, value text, and geometry."""

    label: str
    value: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart, laid out for inline SVG."""

    title: str
    bars: tuple[Bar, ...]
    height: int


def bar_chart(title: str, items: list[tuple[str, float, str]], scale: float | None = None) -> Chart:
    """Lay out (label, value, value text) bars; the longest is CHART_WIDTH unless `scale` fixes the maximum."""
    top = scale if scale is not None else max((v for _, v, _ in items), default=0.0)
    bars = tuple(Bar(label, text, i * (BAR_HEIGHT + 6), round(CHART_WIDTH * v / top) if top else 0)
                 for i, (label, v, text) in enumerate(items))
    return Chart(title, bars, max(1, len(bars)) * (BAR_HEIGHT + 6))


def charts(report: ScanReport) -> list[Chart]:
    """Columns per level, columns per PI category, and the match ratio of each detected column."""
    levels = Counter(g.level for g in report.grading.columns)
    level_items = [(f"{name}", float(levels.get(lv, 0)), str(levels.get(lv, 0)))
                   for lv, name in [(4, "级别 4 / level 4"), (3, "级别 3 / level 3"), (2, "级别 2 / level 2"),
                                    (1, "级别 1 / level 1"), (None, "未分级 / none")]]
    categories = Counter(g.category for g in report.grading.columns if g.category)
    category_items = [(c, float(n), str(n)) for c, n in categories.most_common()]
    found = [(s.name, s.match_ratio, f"{s.match_ratio:.1%}") for s in report.scan.columns if s.entity]
    return [bar_chart("各级别列数 / Columns per level", level_items),
            bar_chart("个人信息类别 / Personal-information categories", category_items),
            bar_chart("匹配率 / Match ratio of detected columns", found, scale=1.0)]


_ENV = Environment(loader=PackageLoader("yaosu.privacy", "templates"), autoescape=select_autoescape(["html"]))


def render_html(report: ScanReport) -> str:
    """The report as one HTML document with inline CSS and SVG."""
    return _ENV.get_template("scan_report.html").render(
        report=report, rows=report.rows(), reasons=report_reasons(report), charts=charts(report),
        label_width=LABEL_WIDTH, chart_width=CHART_WIDTH, bar_height=BAR_HEIGHT)
