"""Production settings pass Django's deployment checklist with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_with_production_settings_is_clean():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production-like check, nor a
    # process count of the machine running the suite (kinerja.W001 reads them; CI sets none).
    lepas = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}
    lepas.add("JUMLAH_NODE")
    env = {
        **{k: v for k, v in os.environ.items() if k not in lepas},
        "DJANGO_SETTINGS_MODULE": "kinerja.settings_production",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "kinerja.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
