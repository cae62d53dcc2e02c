"""Login, logout, CSRF, language switch and who may open which page."""

from __future__ import annotations

import pytest

from tests.factories import Factory
from tests.integration.web.conftest import Portal
from yaosu.auth.roles import Role


def test_login_success_redirects_and_shows_the_party(portal: Portal, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER, name="东海港务数据公司")
    res = portal.login(provider)
    assert res.status_code == 303
    assert res.headers["location"] == "/me"
    page = portal.client.get("/me")
    assert page.status_code == 200
    assert "东海港务数据公司" in page.text
    assert "数据提供方" in page.text


@pytest.mark.parametrize("username_ok", [True, False], ids=["wrong-password", "unknown-user"])
def test_login_failure_is_generic_and_does_not_log_in(portal: Portal, factory: Factory,
                                                      username_ok: bool) -> None:
    provider = factory.actor(Role.PROVIDER)
    if username_ok:
        res = portal.login(provider, password="not-the-password")
    else:
        res = portal.client.post("/login", data={"csrf_token": portal.csrf(), "username": "nobody-here",
                                                 "password": "whatever-it-is"})
    assert res.status_code == 401
    assert "用户名或密码错误" in res.text
    assert portal.client.get("/me", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "javascript:x"])
def test_login_never_redirects_off_site(portal: Portal, factory: Factory, target: str) -> None:
    res = portal.login(factory.actor(Role.PROVIDER), next=target)
    assert res.status_code == 303
    assert res.headers["location"] == "/"


def test_logout_clears_the_session(portal: Portal, factory: Factory) -> None:
    portal.login(factory.actor(Role.PROVIDER))
    assert portal.client.get("/me", follow_redirects=False).status_code == 200
    res = portal.post("/logout", {})
    assert res.status_code == 303
    assert portal.client.get("/me", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("token", ["", "forged-token"], ids=["missing", "wrong"])
def test_post_without_the_session_token_is_refused(portal: Portal, factory: Factory, token: str) -> None:
    portal.login(factory.actor(Role.PROVIDER))
    res = portal.post("/logout", {}, token=token)
    assert res.status_code == 403
    assert "表单已过期或来源不明" in res.text
    assert portal.client.get("/me", follow_redirects=False).status_code == 200  # still logged in


def test_login_form_itself_needs_the_token(portal: Portal, factory: Factory) -> None:
    username = portal.username(factory.actor(Role.PROVIDER))
    res = portal.client.post("/login", data={"username": username, "password": "correct-horse-battery"})
    assert res.status_code == 403
    assert portal.client.get("/me", follow_redirects=False).status_code == 303


def test_language_switch_is_kept_in_the_session(portal: Portal) -> None:
    assert "数据目录" in portal.client.get("/").text
    english = portal.client.get("/catalog?lang=en")
    assert '<html lang="en">' in english.text
    assert "Catalog" in english.text and "数据目录" not in english.text
    assert "Latest resources" in portal.client.get("/").text  # the choice sticks
    back = portal.client.get("/?lang=zh-CN")
    assert '<html lang="zh-CN">' in back.text
    assert "最新数据资源" in back.text


def test_unknown_language_is_ignored(portal: Portal) -> None:
    assert '<html lang="zh-CN">' in portal.client.get("/?lang=xx").text


@pytest.mark.parametrize("path", ["/resources/new", "/operator/queue", "/me"])
def test_anonymous_is_sent_to_login(portal: Portal, path: str) -> None:
    res = portal.client.get(path, follow_redirects=False)
    assert res.status_code == 303
    assert res.headers["location"] == "/login?next=" + path.replace("/", "%2F")


def test_login_returns_to_the_page_asked_for(portal: Portal, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    login_page = portal.client.get("/resources/new")  # follows the redirect to the form
    assert 'name="next" value="/resources/new"' in login_page.text
    res = portal.login(provider, next="/resources/new")
    assert res.headers["location"] == "/resources/new"


@pytest.mark.parametrize(("role", "path"), [(Role.PROVIDER, "/operator/queue"),
                                           (Role.BUYER, "/resources/new")])
def test_wrong_role_gets_a_403_page(portal: Portal, factory: Factory, role: Role, path: str) -> None:
    portal.login(factory.actor(role))
    res = portal.client.get(path)
    assert res.status_code == 403
    assert "无权访问" in res.text
    assert "Traceback" not in res.text


def test_regulator_sees_the_queue_without_operator_buttons(portal: Portal, factory: Factory) -> None:
    portal.login(factory.actor(Role.REGULATOR))
    res = portal.client.get("/operator/queue")
    assert res.status_code == 200
    assert "登记审核" in res.text
    assert "/operator/finalize" not in res.text
