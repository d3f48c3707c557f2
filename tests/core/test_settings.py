import os
import subprocess
import sys

from django.conf import settings

from cpw.environment import default_settings_module


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
        "ALLOWED_HOSTS": "portal.example.gov.uk",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_django_env_selects_the_settings_module(monkeypatch):
    monkeypatch.setenv("DJANGO_ENV", "production")
    assert default_settings_module() == "cpw.settings.production"
    monkeypatch.delenv("DJANGO_ENV")
    assert default_settings_module() == "cpw.settings.local"


def test_embedded_defaults():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.CSRF_COOKIE_HTTPONLY is not None


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
