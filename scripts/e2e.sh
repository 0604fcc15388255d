#!/usr/bin/env bash
# Usage: scripts/e2e.sh [pytest arguments...]      (e.g. scripts/e2e.sh -k import)
#
# Browser tests (e2e/): Playwright drives Debian's headless Chromium through the main
# journeys on a desktop and a phone window, and runs axe-core on the main pages.
#
# 1. installs what is missing: the chromium Debian package, the playwright PyPI package (its
#    own browser download is not used), axe-core from npm into var/e2e-node;
# 2. builds a throw-away SQLite database in a temporary directory: migrate + manage.py demo;
# 3. starts the development server on a free port, jobs run inside the request
#    (CONGDOAN_JOBS_IMMEDIATE=1), files and job progress in the temporary directory;
# 4. runs pytest on e2e/ (not under congdoan/, so `make test` never collects it);
# 5. stops the server and removes the temporary directory, whatever happened.
#
# Screenshots, downloads and axe results go to var/e2e-artifacts/ (emptied first).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
PLAYWRIGHT_PIN=playwright==1.65.3
AXE_PIN=axe-core@4.14.1
ARTIFACTS=$ROOT/var/e2e-artifacts
NODE_DIR=$ROOT/var/e2e-node
AXE_JS=$NODE_DIR/node_modules/axe-core/axe.min.js

scripts/ensure-package.sh /usr/bin/chromium chromium
if ! "$PY" -c 'import playwright' 2>/dev/null; then
    "$PY" -m pip install --disable-pip-version-check -q "$PLAYWRIGHT_PIN"
fi
if [ ! -f "$AXE_JS" ]; then
    # A private prefix: the project's package.json and node_modules are not touched.
    npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund "$AXE_PIN" >/dev/null
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/congdoan-e2e.XXXXXX")
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

export DATABASE_URL=sqlite:///$TMP/e2e.sqlite3
export CONGDOAN_JOBS_IMMEDIATE=1
export CONGDOAN_JOBS_DIR=$TMP/jobs
export CONGDOAN_FILES_DIR=$TMP/files
export DJANGO_DEBUG=1  # runserver serves the static files (Bootstrap, htmx) itself

start=$(date +%s)
echo ">> e2e: database and demo federation in $TMP"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py demo >"$TMP/demo.log"
echo ">> e2e: demo loaded in $(($(date +%s) - start)) s"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/accounts/login/', timeout=2)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "error: the server did not start:" >&2
        cat "$TMP/server.log" >&2
        exit 1
    fi
    sleep 0.2
done

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
echo ">> e2e: server on http://127.0.0.1:$PORT, artifacts in $ARTIFACTS"
status=0
E2E_BASE_URL=http://127.0.0.1:$PORT E2E_ARTIFACTS=$ARTIFACTS E2E_AXE_JS=$AXE_JS \
    "$ROOT/.venv/bin/pytest" -p no:cacheprovider -p no:django -p no:xdist -c /dev/null \
    --rootdir "$ROOT/e2e" "$ROOT/e2e" "$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo ">> e2e: the server's log (last 40 lines):" >&2
    tail -n 40 "$TMP/server.log" >&2
fi
echo ">> e2e: done in $(($(date +%s) - start)) s"
exit "$status"
