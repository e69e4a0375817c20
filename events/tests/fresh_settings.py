"""Read settings as a new process computes them from a given environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_printed(expression: str, env: dict, drop: tuple[str, ...]) -> str:
    """``print(expression)`` (with ``s`` the settings) in a fresh process whose environment is
    ours without the variables starting with ``drop``, plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
