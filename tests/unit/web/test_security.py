"""Only relative paths on this site are accepted as a post-login target."""

from __future__ import annotations

import pytest

from yaosu.web.security import safe_next


@pytest.mark.parametrize(("target", "expected"), [
    ("/me", "/me"),
    ("/catalog?q=交通&page=2", "/catalog?q=交通&page=2"),
    ("/resources/new", "/resources/new"),
    ("", "/"),
    (None, "/"),
    ("me", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("/ok\r\nSet-Cookie: x=1", "/"),
    ("/a\\b", "/"),
], ids=["me", "query", "form", "empty", "none", "relative-word", "protocol-relative", "backslash-host",
        "absolute", "javascript", "header-injection", "backslash"])
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected
