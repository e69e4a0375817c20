"""Production settings come from the environment and are secure; migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-production-secret-with-enough-entropy-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://newsroom@db.example.org/newsroom",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    deploy_check = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert deploy_check.returncode != 0
    assert "SECRET_KEY" in deploy_check.stderr
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    app_server = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert app_server.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in app_server.stderr


def test_gunicorn_workers_load_every_view_then_freeze_it():
    """What ``newsroom/gunicorn.conf.py`` does in each worker, under production settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    worker = (
        "import gc, runpy, sys; import newsroom.wsgi; "
        "config = runpy.run_path('newsroom/gunicorn.conf.py'); "
        "config['post_worker_init'](None); "
        "print(gc.get_freeze_count(), 'events.api.views' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", worker],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 10_000 and views_loaded == "True"


def test_schema_tools_run_without_production_secrets():
    """makemigrations needs no secret: the key is only refused where something is served."""
    result = manage("makemigrations", "--check", "--dry-run", env={"DJANGO_DEBUG": "0"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
