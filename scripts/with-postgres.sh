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

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pgbin=/usr/lib/postgresql/15/bin

# Fresh machines may not have PostgreSQL yet.
"$here/ensure-package.sh" "$pgbin/initdb" postgresql-15

# PostgreSQL refuses to run as root: as root, run the server as the
# "postgres" system user (created by the Debian package). Otherwise run it
# as ourselves.
if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    as_pg=(runuser -u postgres --)
else
    as_pg=()
fi

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

# cd / so that the postgres user never trips over an unreadable cwd.
(
    cd /
    "${as_pg[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
        || { cat "$tmp/initdb.log" >&2; exit 1; }
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -o "$opts" -w start >/dev/null \
        || { cat "$tmp/server.log" >&2; exit 1; }
)
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
