"""Browser tests: Playwright drives Debian's headless Chromium against a running server.

`scripts/e2e.sh` prepares a throw-away database with the demo federation, starts the server and
runs these tests with E2E_BASE_URL set. They are not part of `make test` (its pytest collects
`congdoan/` only) and they never touch the database themselves: everything goes through the
browser, as a user would.

Environment:
  E2E_BASE_URL     the server, e.g. http://127.0.0.1:8123 (required)
  E2E_ARTIFACTS    where screenshots and downloads go (default var/e2e-artifacts)
  E2E_AXE_JS       axe.min.js for the accessibility checks (default var/e2e-node/...)
  E2E_CHROMIUM     the browser (default /usr/bin/chromium)
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("E2E_BASE_URL", "").rstrip("/")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "var" / "e2e-artifacts"))
AXE_JS = Path(
    os.environ.get(
        "E2E_AXE_JS", ROOT / "var" / "e2e-node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "congdoan-demo"
# The two windows every journey is walked in where it makes sense.
VIEWPORTS = {
    "desktop": {"width": 1366, "height": 768},
    "phone": {"width": 390, "height": 844},
}

expect.set_options(timeout=15_000)


def pytest_configure(config: pytest.Config) -> None:
    if not BASE_URL:
        raise pytest.UsageError(
            "E2E_BASE_URL is not set: run the browser tests with scripts/e2e.sh"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Parametrises a test over the desktop and the phone window."""
    return str(request.param)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[str], Page]]:
    """Open a fresh browser context (no cookies: a new user) in the given window."""
    contexts: list[BrowserContext] = []

    def make(viewport: str) -> Page:
        context = browser.new_context(
            base_url=BASE_URL,
            viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            accept_downloads=True,
            # The app's Content-Security-Policy forbids inline scripts; axe is injected as one.
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as an artifact."""
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, username: str) -> None:
    """Log in through the form, labels in Vietnamese (the default language)."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    # The menu (and its "Đăng xuất" button) is there only for a logged-in user.
    expect(page.locator("#mainnav")).to_be_attached()


def menu(page: Page, name: str) -> None:
    """Follow a link of the top menu; on a phone, open the menu first."""
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#mainnav")).to_be_visible()
    page.locator("#mainnav").get_by_role("link", name=name, exact=True).click()
