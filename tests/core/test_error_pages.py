"""Sigill's own 404, 403 and 500 pages, in Swedish and in English, also in the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import get_resolver, include, path, reverse
from django.utils import translation

from sigill.organisation.models import User
from tests.conftest import signed_in_client

ROOT = Path(__file__).resolve().parents[2]


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# Sigill's URLs and a view that fails, with Sigill's own error handler.
urlpatterns = [path("broken/", broken_view, name="broken"), path("", include("sigill.urls"))]
handler500 = "sigill.core.views.errors.server_error"


@pytest.mark.django_db
def test_an_unknown_address_gets_the_swedish_not_found_page_in_the_site_look() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page
    assert 'class="site-header"' in page


@pytest.mark.django_db
def test_the_not_found_page_is_in_english_for_someone_who_chose_english() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert response.status_code == 404
    assert "The page cannot be found" in response.content.decode()


def test_a_forbidden_act_gets_the_swedish_not_allowed_page(bob: User) -> None:
    response = signed_in_client(bob).post(reverse("organisation:close", kwargs={"slug": "bibliotek"}))
    assert response.status_code == 403
    assert "Det får du inte göra" in response.content.decode()


@pytest.mark.django_db
def test_a_server_error_gets_sigills_own_page_not_a_blank_or_technical_one(settings) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get(reverse("broken"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel hos oss" in page
    assert 'class="site-header"' in page
    assert "RuntimeError" not in page


def test_the_server_error_page_needs_no_database_and_speaks_english_when_asked() -> None:
    # No database fixture: a query here would fail the test.
    handler = get_resolver().resolve_error_handler(500)
    with translation.override("en"):
        response = handler(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_demo_shows_sigills_not_found_page_not_djangos_debug_page(tmp_path: Path) -> None:
    """``make run`` sets DEBUG=true for development defaults; Django's technical pages stay off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SIGILL_", "DATABASE_URL"))}
    env.update({"DEBUG": "true", "SIGILL_VAR_DIR": str(tmp_path)})
    script = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); from django.test import Client; "
        "response = Client(HTTP_HOST='127.0.0.1').get('/no-such-page/'); "
        "print(response.status_code, 'Sidan finns inte' in response.content.decode())"
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py, with a fixed argument list)
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.stdout.splitlines()[-1].split() == ["404", "True"], result.stderr
