"""Web security (issue 8): production settings pass `check --deploy`, every page carries a strict
Content-Security-Policy, and no template holds code that policy would block."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from congdoan.conftest import Cast, Tree

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3Vq-production-like-secret-with-enough-entropy-8fX2pL9mZr4tW7yB1nC",
    "DJANGO_ALLOWED_HOSTS": "congdoan.example.vn",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_check_deploy() -> None:
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    done = manage("check", env=env)
    assert done.returncode != 0
    assert "needs DJANGO_SECRET_KEY" in done.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_policy(tree: Tree, cast: Cast) -> None:
    client = Client()
    client.force_login(cast.province_officer)
    for url in ("/", f"/units/{tree.P.pk}/", "/accounts/login/"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy, url
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"  # inline script
    r"|<style\b|\sstyle=\"|\son[a-z]+=\"|\shx-on[:-]|javascript:",  # inline style, handlers
    re.IGNORECASE,
)


def test_templates_hold_no_inline_code() -> None:
    """The policy would block it, silently breaking the page: scripts and styles are files."""
    offenders = []
    for template in sorted((ROOT / "congdoan").glob("**/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        offenders += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in INLINE.finditer(text)]
    assert offenders == []
