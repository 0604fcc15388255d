"""Load test of Công đoàn số: officers who log in, browse and record care support.

Run by scripts/loadtest.sh against gunicorn with the production settings (DEBUG off). The
targets (users, units, members, programmes) come from loadtest/prepare.py, in the JSON file
named by LOADTEST_TARGETS. Requests carry `X-Forwarded-Proto: https` as nginx would send it;
the cookies Django marks Secure are kept sendable over the plain-HTTP hop to 127.0.0.1.

Page groups (the request names in the statistics): login, login submit, dashboard, tree,
tree children, unit, members, member search, care form, care record.
"""

import datetime
import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

with open(os.environ.get("LOADTEST_TARGETS", "var/loadtest/targets.json")) as fh:
    TARGETS: dict[str, Any] = json.load(fh)

_next_user = itertools.count()
_env: list[Environment] = []


@events.init.add_listener
def _keep_environment(environment: Environment, **_kw: Any) -> None:
    _env.append(environment)


@events.quit.add_listener
def _save_results(**_kw: Any) -> None:
    """Every request's time and every failure, for loadtest/report.py (locust's CSV files are
    written on a timer and can miss the last requests)."""
    path = os.environ.get("LOADTEST_RESULTS")
    if path and _env and _env[0].stats is not None:
        stats = _env[0].stats
        with open(path, "w") as fh:
            json.dump({"stats": stats.serialize_stats(), "errors": stats.serialize_errors()}, fh)


ADMIN_SHARE = float(os.environ.get("LOADTEST_ADMIN_SHARE", "0.1"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GIVER_OPTION = re.compile(r'<option value="(\d+)"[^>]*selected')
GIVER_INPUT = re.compile(r'<input[^>]*name="giver"[^>]*value="([^"]*)"')


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        n = next(_next_user)
        users = TARGETS["users"]
        self.me = users[n % len(users)]
        is_admin = random.random() < ADMIN_SHARE
        self.username = TARGETS["admin"] if is_admin else self.me["username"]
        self.client.headers.update({"X-Forwarded-Proto": "https"})
        self.login()

    # -- helpers ------------------------------------------------------------------------------

    def _unsecure(self) -> None:
        """Django sets Secure cookies (production settings); the hop to gunicorn is plain HTTP,
        so let the client send them anyway."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url: str, name: str, **kw: Any) -> Any:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False,
                             **kw) as resp:  # fmt: skip
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code} for {url}")
            self._unsecure()
            return resp

    def post(self, url: str, data: dict[str, str], name: str, expect: int = 302) -> Any:
        headers = {"Referer": f"https://{self.host.split('://', 1)[-1]}{url}"}
        with self.client.post(url, data=data, name=name, headers=headers, catch_response=True,
                              allow_redirects=False) as resp:  # fmt: skip
            if resp.status_code != expect:
                resp.failure(f"{resp.status_code} for POST {url}")
            self._unsecure()
            return resp

    def login(self) -> None:
        page = self.get("/accounts/login/", name="login")
        token = CSRF_INPUT.search(page.text or "")
        self.post(
            "/accounts/login/",
            {"username": self.username, "password": TARGETS["password"],
             "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="login submit",
        )  # fmt: skip

    def some_unit(self) -> int:
        pool = self.me["uppers"] + self.me["grassroots"] + [self.me["province"]]
        return int(random.choice(pool))

    # -- tasks --------------------------------------------------------------------------------

    @task(3)
    def dashboard(self) -> None:
        self.get("/", name="dashboard")

    @task(2)
    def tree(self) -> None:
        self.get("/units/", name="tree")
        if self.me["uppers"]:
            self.get(f"/units/{random.choice(self.me['uppers'])}/children/", name="tree children")

    @task(4)
    def unit_page(self) -> None:
        self.get(f"/units/{self.some_unit()}/", name="unit")

    @task(4)
    def member_list(self) -> None:
        self.get(f"/units/{self.some_unit()}/members/", name="members")

    @task(3)
    def member_search(self) -> None:
        unit = self.me["province"]
        q = random.choice(TARGETS["searches"])
        self.get(f"/units/{unit}/members/", name="member search", params={"q": q})

    @task(1)
    def record_support(self) -> None:
        if self.username == TARGETS["admin"] or not self.me["members"]:
            return
        url = f"/care/programmes/{self.me['programme']}/support/new/"
        page = self.get(url, name="care form")
        text = page.text or ""
        token = CSRF_INPUT.search(text)
        giver = GIVER_OPTION.search(text) or GIVER_INPUT.search(text)
        data = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "giver": giver.group(1) if giver else "",
            "who": "member",
            "member": str(random.choice(self.me["members"])),
            "member_q": "",
            "cash_vnd": "500000",
            "date": datetime.date.today().strftime("%d/%m/%Y"),
            "reference": "LT",
            "status": "proposed",
        }
        self.post(url, data, name="care record")
