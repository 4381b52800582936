"""Site-wide endpoints and configuration: sitemap, robots.txt, health check, settings."""

import subprocess
import sys

import pytest
from django.db import DatabaseError

from tests.conftest import ROOT
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_live_pages_only(home, client):
    topic = TopicPageFactory(parent=home, slug="fjellpolitikk")
    TopicPageFactory(parent=topic, slug="stolsavtaler")
    TopicPageFactory(parent=topic, slug="utkast", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/fjellpolitikk/</loc>" in xml
    assert "/fjellpolitikk/stolsavtaler/</loc>" in xml
    assert "utkast" not in xml


def test_robots_txt_points_to_sitemap_at_the_public_address(client, settings):
    """From SITE_URL, not from whatever Host header the request came with."""
    settings.SITE_URL = "https://www.example.no"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: https://www.example.no/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _base_env():
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET", "DEBUG", "ALLOWED"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


def test_production_refuses_to_start_without_secret_key():
    env = _base_env() | {"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "example.no"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = _base_env() | {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    env = _base_env() | {
        "DEBUG": "false",
        "SECRET_KEY": "k7#Vq2!pL9zR$eW4tY8uI1oP6aS3dF5gH0jK2lZ7xC9vB4nM8qW1eR6tY3uI",
        "ALLOWED_HOSTS": "www.example.no",
        "SITE_URL": "https://www.example.no",
        "MAILER_URL": "smtp://mail.example.no:587?tls=1",
        "NEWSLETTER_HASH_KEY": "p2#Lk9$vQ8!zW3xR7tY1uI6oP4aS0dF5gH2jK8lZ3xC7vB1n",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_designsystemet_stylesheets_are_served(client):
    """The page layout comes from npm packages, not git: without `npm ci` every page
    would render unstyled, so say what to install."""
    for path in ("designsystemet/theme/digdir.css", "designsystemet/css/index.css"):
        response = client.get(f"/static/{path}")
        if response.status_code == 404:
            pytest.fail(f"/static/{path} is missing: run `npm ci` (make test does) to install Designsystemet.")
        assert response.status_code == 200
        assert b"--ds-" in b"".join(response.streaming_content)
