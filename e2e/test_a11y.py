"""Accessibility: axe-core on the main pages, and keyboard navigation.

axe-core is installed from npm into var/e2e-node by scripts/e2e.sh and injected into each page.
A test fails on a serious or critical violation of the rules listed in ENFORCED (labels, names
of buttons and links, contrast...), except the page + rule pairs listed in KNOWN_VIOLATIONS:
problems found in the templates and not fixed yet. Remove a pair once its template is fixed
(the test then fails if the pair no longer occurs, so the list cannot go stale).
Every violation found, of any rule and impact, is written to var/e2e-artifacts/axe-*.json.
"""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, AXE_JS, log_in, menu, shot

NewPage = Callable[[str], Page]

# Rules whose serious or critical violations fail the run.
ENFORCED = {
    "label",
    "label-title-only",
    "form-field-multiple-labels",
    "select-name",
    "aria-input-field-name",
    "aria-toggle-field-name",
    "input-button-name",
    "button-name",
    "link-name",
    "aria-command-name",
    "color-contrast",
    "scrollable-region-focusable",
    "image-alt",
    "role-img-alt",
    "svg-img-alt",
    "document-title",
    "html-has-lang",
    "frame-title",
}
FAIL_IMPACTS = {"serious", "critical"}

# (page, rule) -> what is wrong: problems found in the templates and not fixed yet. Empty: the
# contrast of the menu bar and of links in card headers was fixed in app.css (axe-core 4.14).
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def run_axe(page: Page) -> list[dict[str, Any]]:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run the tests with scripts/e2e.sh")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return list(result["violations"])


def audit(page: Page, name: str, found: dict[str, list[dict[str, Any]]]) -> None:
    """Run axe on the page as it is and keep its violations under `name`."""
    page.wait_for_load_state("networkidle")
    found[name] = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "html": n["html"][:300], "summary": n["failureSummary"]}
                for n in v["nodes"]
            ],
        }
        for v in run_axe(page)
    ]


def walk_pages(page: Page) -> dict[str, list[dict[str, Any]]]:
    """Visit the main pages as the province administrator, by clicking as a user would."""
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto("/accounts/login/")
    audit(page, "login", found)
    log_in(page, "tinh.thaibinh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liên đoàn Lao động tỉnh Thái Bình")
    audit(page, "dashboard", found)
    menu(page, "Tổ chức")
    expect(page.locator("main")).to_contain_text("Liên đoàn Lao động tỉnh Thái Bình")
    audit(page, "tree", found)
    page.goto("/")
    page.get_by_role("heading", level=1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/units/\d+/$"))
    audit(page, "unit", found)
    menu(page, "Đoàn viên")
    audit(page, "members", found)
    page.locator("main table tbody tr td:first-child a").first.click()
    expect(page.locator("#personal-cccd")).to_be_visible()
    audit(page, "member", found)
    menu(page, "Chăm lo")
    audit(page, "care", found)
    page.goto("/awards/")
    audit(page, "awards", found)
    menu(page, "Báo cáo")
    audit(page, "reports", found)
    page.goto("/accounts/2fa/")  # (turned on, later log-ins would ask for a code: left off)
    audit(page, "twofactor", found)
    return found


def test_axe_main_pages(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport)
    found = walk_pages(page)
    (ARTIFACTS / f"axe-{viewport}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    failing = {
        (name, v["rule"]): v
        for name, violations in found.items()
        for v in violations
        if v["rule"] in ENFORCED and v["impact"] in FAIL_IMPACTS
    }
    new = {key: v for key, v in failing.items() if key not in KNOWN_VIOLATIONS}
    fixed = [key for key in KNOWN_VIOLATIONS if key not in failing]
    report = [
        f"{name}: {v['rule']} ({v['impact']}) {v['help']}: "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for (name, _rule), v in sorted(new.items())
    ]
    assert not report, "accessibility violations:\n" + "\n".join(report)
    assert not fixed, f"fixed, remove from KNOWN_VIOLATIONS: {fixed}"


def focused(page: Page) -> str:
    """A short description of the element that has the keyboard focus."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
                const text = (e.textContent || '').trim();
                return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.type ? '[' + e.type + ']' : '') + (text ? ' ' + text : ''); }"""
        )
    )


def focus_ring(page: Page) -> bool:
    """Whether the focused element shows a focus indicator (outline or box-shadow)."""
    return bool(
        page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                    || (s.boxShadow && s.boxShadow !== 'none'); }"""
        )
    )


def test_keyboard_login(new_page: NewPage, viewport: str) -> None:
    """The log-in form works with the keyboard alone, in order, with a visible focus."""
    page = new_page(viewport)
    page.goto("/accounts/login/")
    # The user name field has the focus on arrival.
    assert focused(page) == "input#id_username[text]"
    assert focus_ring(page)
    page.keyboard.type("cdcs.hungha")
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_password[password]"
    assert focus_ring(page)
    page.keyboard.type("congdoan-demo")
    page.keyboard.press("Tab")
    assert focused(page) == "button[submit] Đăng nhập"
    assert focus_ring(page)
    shot(page, f"keyboard-login-{viewport}")
    page.keyboard.press("Enter")
    expect(page.locator("#mainnav")).to_be_attached()

    # From the top of the page, Tab goes through the header first, then the page.
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Tab")
    # First a skip link (shown only when focused) that jumps over the menu to the page itself.
    assert focused(page) == "a Chuyển đến nội dung"
    page.keyboard.press("Tab")
    assert focused(page) == "a Công đoàn số"
    page.keyboard.press("Tab")
    if viewport == "phone":
        # The menu is collapsed: its button comes next, and Enter opens it.
        assert focused(page) == "button[button]"
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#mainnav").get_by_role("link", name="Đoàn viên")).to_be_visible()
        page.keyboard.press("Tab")
    assert focused(page) == "a Tổ chức"
    assert focus_ring(page)
    page.keyboard.press("Tab")
    assert focused(page) == "a Đoàn viên"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đoàn viên: Công đoàn cơ sở Hợp tác xã Vật liệu xây dựng Thịnh Vượng"
    )
