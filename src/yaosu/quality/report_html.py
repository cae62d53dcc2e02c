"""A self-contained HTML quality report: scores as inline SVG bars, measure tables, masked examples; no scripts."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from yaosu.privacy.report_html import BAR_HEIGHT, CHART_WIDTH, LABEL_WIDTH, Chart, bar_chart

_ENV = Environment(loader=PackageLoader("yaosu.quality", "templates"), autoescape=select_autoescape(["html"]))


def charts(report: dict[str, Any]) -> list[Chart]:
    """Dimension scores and sub-indicator scores, each on a 0-100 scale (unassessed ones left out)."""
    labels = report["dimension_labels_zh"]
    dims = [(f"{labels[d]} / {d}", float(v), f"{v:.1f}") for d, v in report["dimensions"].items() if v is not None]
    inds = [(f"{i['name_zh']}", float(i["score"]), f"{i['score']:.1f}") for i in report["indicators"]
            if i["score"] is not None]
    return [bar_chart("维度得分 / Dimension scores", dims, scale=100.0),
            bar_chart("子指标得分 / Sub-indicator scores", inds, scale=100.0)]


def render_html(report: dict[str, Any]) -> str:
    """The JSON report (yaosu.quality.report.report_json) as one HTML document with inline CSS and SVG."""
    return _ENV.get_template("quality_report.html").render(
        report=report, charts=charts(report), label_width=LABEL_WIDTH, chart_width=CHART_WIDTH,
        bar_height=BAR_HEIGHT)
