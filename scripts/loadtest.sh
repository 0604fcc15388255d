#!/usr/bin/env bash
# Usage: scripts/loadtest.sh
#
# Load test on a throw-away, durable PostgreSQL 15 (scripts/with-postgres.sh, PG_DURABLE=1):
#   1. migrate, then `manage.py synth` a synthetic federation (1/10 national scale by default:
#      1,100,000 members in 13,000 units);
#   2. loadtest/prepare.py: officers (one per province, and a national administrator), a care
#      programme per province, and the pages to visit (var/loadtest/targets.json);
#      then `manage.py warm_figures`, as deploy/congdoan-warm.timer does each night;
#   3. gunicorn with the production config (deploy/gunicorn.conf.py) and production settings
#      (DJANGO_DEBUG=0) on 127.0.0.1, access log with request times in var/loadtest/access.log;
#   4. locust headless (loadtest/locustfile.py): LOADTEST_USERS users (50) for LOADTEST_TIME (2m);
#   5. loadtest/report.py: failures and client-side p50/p95/p99 per page group, then the
#      server-side p50/p95/p99 from the access log. Exit status 1 if any request failed.
#
# Env knobs: LOADTEST_MEMBERS (1100000), LOADTEST_UNITS (13000), LOADTEST_USERS (50),
# LOADTEST_SPAWN_RATE (5 per second), LOADTEST_TIME (2m), LOADTEST_PORT (a free port),
# GUNICORN_WORKERS (2 * cores + 1). Everything the run leaves is under var/loadtest/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

if [ -z "${_CONGDOAN_LOADTEST_INNER:-}" ]; then
    export _CONGDOAN_LOADTEST_INNER=1
    PG_DURABLE=1 exec "$here/with-postgres.sh" "$here/loadtest.sh" "$@"
fi

py=$root/.venv/bin/python
out=$root/var/loadtest
members=${LOADTEST_MEMBERS:-1100000}
units=${LOADTEST_UNITS:-13000}
users=${LOADTEST_USERS:-50}
duration=${LOADTEST_TIME:-2m}
port=${LOADTEST_PORT:-$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
rm -rf "$out"
mkdir -p "$out"

step() { echo ">> $(date +%T) $*" >&2; }

step "migrate"
"$py" manage.py migrate --noinput -v 0
step "synth --members $members --units $units"
start=$(date +%s)
"$py" manage.py synth --members "$members" --units "$units" | tail -n 3
step "synthetic federation built in $(( $(date +%s) - start )) s"
"$py" loadtest/prepare.py "$out/targets.json"
# As the deployment does after loading data and each night (deploy/congdoan-warm.timer).
step "warm_figures"
"$py" manage.py warm_figures --levels central,province,upper

# Production settings: DEBUG off. TLS ends at nginx in production; here the load generator
# sends X-Forwarded-Proto: https itself, as nginx would.
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="loadtest-only-$(date +%s%N)"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export GUNICORN_BIND=127.0.0.1:$port
export GUNICORN_ACCESS_LOG=$out/access.log
export GUNICORN_ERROR_LOG=$out/error.log
"$py" -m gunicorn -c deploy/gunicorn.conf.py &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if "$py" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        break
    fi
    sleep 0.2
done
step "gunicorn on 127.0.0.1:$port ($(grep -c 'Booting worker' "$out/error.log" || true) workers)"

# Warm up every worker (the first request of a worker imports the views and templates).
"$py" - "$port" <<'PY'
import concurrent.futures, sys, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/accounts/login/"
req = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda _: urllib.request.urlopen(req, timeout=120).read(), range(40)))
PY
step "locust: $users users for $duration"
LOADTEST_TARGETS=$out/targets.json LOADTEST_RESULTS=$out/locust.json "$root/.venv/bin/locust" -f loadtest/locustfile.py \
    --headless --users "$users" --spawn-rate "${LOADTEST_SPAWN_RATE:-5}" --run-time "$duration" \
    --host "http://127.0.0.1:$port" --only-summary --loglevel WARNING \
    >"$out/locust.log" 2>&1 || true
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT

step "results (members $members, units $units, users $users, $duration)"
"$py" loadtest/report.py "$out/locust.json" "$out/access.log"
