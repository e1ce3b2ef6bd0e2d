"""Django's deploy checks pass on the production settings, HSTS included."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

# Why the one warning left is left: SECURE_HSTS_PRELOAD (BARAZA_HSTS_PRELOAD, off by default)
# asks browsers to hard-code HTTPS for the whole registered domain and its subdomains, which
# takes months to undo. Only the owner of that domain can promise it, so Baraza does not make
# the promise for them; a deployment that owns its domain sets BARAZA_HSTS_PRELOAD=true.
ACCEPTED = {"security.W021"}


def _deploy_check(data_dir: Path, **extra: str) -> str:
    """`baraza check --deploy` as a production process would run it: its own environment,
    with only the secrets and host names production requires."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BARAZA_", "DJANGO_"))
    }
    environment.update(
        BARAZA_ENV="production",
        BARAZA_DATA_DIR=str(data_dir),
        BARAZA_SECRET_KEY=secrets.token_urlsafe(50),
        BARAZA_CONTACT_KEYS=Fernet.generate_key().decode(),
        BARAZA_ALLOWED_HOSTS="baraza.example.org",
        **extra,
    )
    done = subprocess.run(
        [sys.executable, "-m", "baraza.cli", "check", "--deploy"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def _warnings(output: str) -> set[str]:
    return set(re.findall(r"\(([a-z_]+\.[EW]\d{3})\)", output))


def test_the_production_settings_pass_the_deploy_checks_with_hsts(tmp_path: Path) -> None:
    """Nothing but the accepted warning above: secure cookies, the HTTPS redirect, a strong
    secret key, DEBUG off, and HSTS for a year with subdomains (no W004, W005)."""
    output = _deploy_check(tmp_path)
    assert _warnings(output) <= ACCEPTED, output
    assert _warnings(_deploy_check(tmp_path, BARAZA_HSTS_PRELOAD="true")) == set()


def test_turning_hsts_off_is_caught(tmp_path: Path) -> None:
    """The check above would see a missing HSTS: it is not passing by accident."""
    output = _deploy_check(tmp_path, BARAZA_HSTS_SECONDS="0")
    assert "security.W004" in _warnings(output)
