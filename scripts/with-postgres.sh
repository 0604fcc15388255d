#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh <command> [args...]
#
# Runs <command> against a throw-away PostgreSQL 15 server:
#   * a fresh cluster in a temp dir (initdb), listening on a unix socket in
#     that dir only (no TCP port, so it never clashes with another server);
#   * an empty database "congdoan" owned by superuser "postgres" (trust auth);
#   * DATABASE_URL=postgres://postgres@<url-encoded socket dir>/congdoan
#     exported for the command (dj-database-url turns the %2F-encoded host
#     into HOST=<socket dir>; libpq/psql accept the same URL);
#   * the server is stopped and the dir removed on exit, whatever happens;
#   * the exit code is the command's.
#
# Env knobs:
#   PG_DURABLE=1   keep fsync/synchronous_commit on (for benchmarks). By
#                  default they are off: the data is thrown away anyway and
#                  tests run much faster.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

# Short path on purpose: unix socket paths are limited to ~107 bytes.
tmp=$(mktemp -d /tmp/congdoan-pg.XXXXXX)
data=$tmp/data
started=0

cleanup() {
    # Runs on every exit path; must not change the exit status.
    if [ "$started" -eq 1 ]; then
        (cd / && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket dir must be writable by the server user and reachable by us.
chmod 755 "$tmp"
if [ "${#as_pg[@]}" -gt 0 ]; then
    chown postgres: "$tmp"
fi

opts="-k $tmp -c listen_addresses=''"
if [ "${PG_DURABLE:-0}" != 1 ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

pg_start "$data" "$tmp/server.log" "$opts"
started=1

"$pgbin/createdb" -h "$tmp" -U postgres congdoan

# The mktemp name is [A-Za-z0-9/._-] only, so encoding "/" is enough.
export DATABASE_URL="postgres://postgres@${tmp//\//%2F}/congdoan"
echo ">> PostgreSQL 15 running for this command: DATABASE_URL=$DATABASE_URL" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
