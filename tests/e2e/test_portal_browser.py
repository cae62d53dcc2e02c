"""A provider logs in, registers a resource through the form, and finds it with the catalog search box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LivePortal

CONTENT_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.mark.browser
def test_provider_registers_and_finds_resource(browser: Any, live_portal: LivePortal, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    base = live_portal.base_url
    page.goto(f"{base}/resources/new")
    assert page.url.startswith(f"{base}/login?next=")

    page.fill("#username", live_portal.username)
    page.fill("#password", live_portal.password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/resources/new")

    page.fill("#f-title", "港口集装箱吞吐量统计")
    page.fill("#f-description", "宁波舟山港各港区月度集装箱吞吐量")
    page.select_option("#f-domain", "transport")
    page.select_option("#f-classification", "enterprise")
    page.select_option("#f-grade", "general")
    page.select_option("#f-level", "2")
    page.fill("#f-tags", "港口，集装箱")
    page.fill("#f-content_hash", CONTENT_SHA256)
    page.fill("#f-row_count", "4800")
    page.click("form[action='/resources/new'] button[type=submit]")
    page.wait_for_url(f"{base}/resources/*")
    assert page.inner_text("h1") == "港口集装箱吞吐量统计"
    assert CONTENT_SHA256 in page.content()

    page.goto(f"{base}/catalog")
    page.fill("#catalog-q", "吞吐")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/catalog?q=*")
    results = page.locator("table.results tbody tr")
    assert results.count() == 1
    assert "港口集装箱吞吐量统计" in results.first.inner_text()
    shot = tmp_path / "catalog-search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
