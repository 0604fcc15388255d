"""Summarise a load test run: locust's client-side figures and gunicorn's server-side times.

    python loadtest/report.py <locust results JSON> <gunicorn access log>

Prints, per page group, requests, failures and p50/p95/p99 as locust measured them (client side,
milliseconds), then the server-side p50/p95/p99 from the request time (milliseconds, the last
field of each line, see deploy/gunicorn.conf.py) of the access log.
"""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) .* (?P<ms>\d+)$'
)
GROUPS = [
    (re.compile(r"^/accounts/login/"), "GET", "login"),
    (re.compile(r"^/accounts/login/"), "POST", "login submit"),
    (re.compile(r"^/(\?.*)?$"), None, "dashboard"),
    (re.compile(r"^/units/(\?.*)?$"), None, "tree"),
    (re.compile(r"^/units/\d+/children/"), None, "tree children"),
    (re.compile(r"^/units/\d+/(\?.*)?$"), None, "unit"),
    (re.compile(r"^/units/\d+/members/\?(.*&)?q="), None, "member search"),
    (re.compile(r"^/units/\d+/members/"), None, "members"),
    (re.compile(r"^/care/programmes/\d+/support/new/"), "GET", "care form"),
    (re.compile(r"^/care/programmes/\d+/support/new/"), "POST", "care record"),
]


def group_of(method: str, path: str) -> str:
    for pattern, only, name in GROUPS:
        if pattern.search(path) and (only is None or only == method):
            return name
    return "other"


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def _pct_hist(hist: dict[str, int], p: float) -> float:
    """Nearest-rank percentile of locust's histogram {milliseconds (rounded): count}."""
    items = sorted((float(ms), n) for ms, n in hist.items())
    total = sum(n for _ms, n in items)
    if not total:
        return 0.0
    rank = max(1, -(-total * p // 100))
    seen = 0
    for ms, n in items:
        seen += n
        if seen >= rank:
            return ms
    return items[-1][0]


def client_side(results: str) -> int:
    data = json.loads(Path(results).read_text())
    print("Client side (locust), milliseconds")
    print(f"{'group':<16}{'requests':>9}{'failures':>9}{'p50':>8}{'p95':>8}{'p99':>8}")
    every: dict[str, int] = defaultdict(int)
    failures = requests = 0
    for entry in sorted(data["stats"], key=lambda e: e["name"]):
        hist = entry["response_times"]
        for ms, n in hist.items():
            every[ms] += n
        requests += entry["num_requests"]
        failures += entry["num_failures"]
        print(f"{entry['name']:<16}{entry['num_requests']:>9}{entry['num_failures']:>9}"
              f"{_pct_hist(hist, 50):>8.0f}{_pct_hist(hist, 95):>8.0f}"
              f"{_pct_hist(hist, 99):>8.0f}")  # fmt: skip
    print(f"{'ALL':<16}{requests:>9}{failures:>9}{_pct_hist(every, 50):>8.0f}"
          f"{_pct_hist(every, 95):>8.0f}{_pct_hist(every, 99):>8.0f}")  # fmt: skip
    if data["errors"]:
        print("Failures:")
        for err in data["errors"].values():
            print(f"  {err['method']} {err['name']}: {err['error']} x{err['occurrences']}")
    return failures


def server_side(log: str) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in Path(log).read_text(errors="replace").splitlines():
        m = LINE.search(line)
        if not m or "Python-urllib" in line:  # the warm-up requests of scripts/loadtest.sh
            continue
        name = group_of(m["method"], m["path"])
        times[name].append(float(m["ms"]))
        times["ALL"].append(float(m["ms"]))
        statuses[name][m["status"]] += 1
    print("\nServer side (gunicorn request time), milliseconds")
    print(f"{'group':<16}{'requests':>9}{'p50':>8}{'p95':>8}{'p99':>8}  statuses")
    for name in sorted(times, key=lambda n: (n == "ALL", n)):
        v = times[name]
        codes = " ".join(f"{k}:{c}" for k, c in sorted(statuses[name].items()))
        print(
            f"{name:<16}{len(v):>9}{pct(v, 50):>8.0f}{pct(v, 95):>8.0f}{pct(v, 99):>8.0f}  {codes}"
        )


if __name__ == "__main__":
    failed = client_side(sys.argv[1])
    server_side(sys.argv[2])
    sys.exit(1 if failed else 0)
