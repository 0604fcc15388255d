#!/usr/bin/env bash
# Usage: scripts/with-replica.sh <command> [args...]
#
# Runs <command> against a throw-away PostgreSQL 15 primary and a streaming
# replica of it (as production runs, see docs/scale.md), both on unix sockets
# only (no TCP port, so they never clash with another server):
#   * the primary: a fresh cluster (initdb, wal_level=replica) with a
#     replication user "replicator" (trust on the local socket) and an empty
#     database "congdoan" owned by superuser "postgres";
#   * the replica: `pg_basebackup -R` of the primary into another temp dir,
#     started as a hot standby on its own socket dir, streaming from the
#     primary; the script waits until it is in recovery and streaming;
#   * exported for the command:
#       DATABASE_URL          postgres://postgres@<primary socket dir>/congdoan
#       DATABASE_REPLICA_URL  postgres://postgres@<replica socket dir>/congdoan
#       REPLICA_PGDATA        the replica's data dir
#       REPLICA_PG_CTL        pg_ctl's path
#       REPLICA_PG_OPTS       the server options the replica runs with
#       REPLICA_PG_LOG        the replica's server log
#       REPLICA_PG_USER       the system user the servers run as (empty: ourselves)
#       REPLICA_CTL           a script: `"$REPLICA_CTL" stop|start` stops or starts the
#                             replica as that user (the replica tests use it)
#   * both servers are stopped and the dirs removed on exit, whatever happens;
#   * the exit code is the command's.
#
# Env knobs:
#   PG_DURABLE=1   keep fsync/synchronous_commit on (for benchmarks). By
#                  default they are off: the data is thrown away anyway.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

# Short paths on purpose: unix socket paths are limited to ~107 bytes.
tmp=$(mktemp -d /tmp/congdoan-pr.XXXXXX)
primary=$tmp/p        # socket dir of the primary
replica=$tmp/r        # socket dir of the replica
pdata=$tmp/pdata
rdata=$tmp/rdata
mkdir "$primary" "$replica"
primary_started=0

cleanup() {
    # Runs on every exit path; must not change the exit status. The replica
    # first (a test may have stopped it already: pg_ctl then just fails).
    if [ -d "$rdata" ]; then
        (cd / && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$rdata" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    if [ "$primary_started" -eq 1 ]; then
        (cd / && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pdata" -m fast -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The socket dirs must be writable by the server user and reachable by us.
chmod 755 "$tmp" "$primary" "$replica"
if [ "${#as_pg[@]}" -gt 0 ]; then
    chown postgres: "$tmp" "$primary" "$replica"
fi

common="-c listen_addresses='' -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on"
if [ "${PG_DURABLE:-0}" != 1 ]; then
    common="$common -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
popts="-k $primary $common"
ropts="-k $replica $common"

# initdb trusts local connections, replication ones included.
pg_start "$pdata" "$tmp/primary.log" "$popts"
primary_started=1

"$pgbin/psql" -h "$primary" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE replicator WITH REPLICATION LOGIN" >/dev/null
"$pgbin/createdb" -h "$primary" -U postgres congdoan

# The replica: a base backup streamed from the primary; -R writes standby.signal and
# primary_conninfo (host = the primary's socket dir) into the copy.
(
    cd /
    "${as_pg[@]}" "$pgbin/pg_basebackup" -h "$primary" -U replicator -D "$rdata" \
        -R -X stream -c fast >"$tmp/basebackup.log" 2>&1 \
        || { cat "$tmp/basebackup.log" >&2; exit 1; }
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$rdata" -l "$tmp/replica.log" -o "$ropts" -w start >/dev/null \
        || { cat "$tmp/replica.log" >&2; exit 1; }
)

# Wait until the replica is a hot standby and the primary sees it streaming.
for _ in $(seq 1 100); do
    recovering=$("$pgbin/psql" -h "$replica" -U postgres -d postgres -qAt \
        -c "SELECT pg_is_in_recovery()" 2>/dev/null || true)
    streaming=$("$pgbin/psql" -h "$primary" -U postgres -d postgres -qAt \
        -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || true)
    if [ "$recovering" = t ] && [ "${streaming:-0}" -ge 1 ]; then
        break
    fi
    sleep 0.1
done
if [ "$recovering" != t ] || [ "${streaming:-0}" -lt 1 ]; then
    echo "the replica did not start streaming:" >&2
    cat "$tmp/replica.log" >&2
    exit 1
fi

# A small helper for tests that stop and start the replica.
cat >"$tmp/replica-ctl" <<CTL
#!/usr/bin/env bash
# Usage: replica-ctl stop|start
set -euo pipefail
cd /
case "\${1:-}" in
    stop) ${as_pg[*]} "$pgbin/pg_ctl" -D "$rdata" -m fast -w stop >/dev/null ;;
    start) ${as_pg[*]} "$pgbin/pg_ctl" -D "$rdata" -l "$tmp/replica.log" -o "$ropts" -w start >/dev/null ;;
    *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
chmod 755 "$tmp/replica-ctl"

# The mktemp name is [A-Za-z0-9/._-] only, so encoding "/" is enough.
export DATABASE_URL="postgres://postgres@${primary//\//%2F}/congdoan"
export DATABASE_REPLICA_URL="postgres://postgres@${replica//\//%2F}/congdoan"
export REPLICA_PGDATA=$rdata
export REPLICA_PG_CTL=$pgbin/pg_ctl
export REPLICA_PG_OPTS=$ropts
export REPLICA_PG_LOG=$tmp/replica.log
export REPLICA_PG_USER=$pg_user
export REPLICA_CTL=$tmp/replica-ctl
echo ">> PostgreSQL 15 primary and streaming replica running for this command:" >&2
echo ">>   DATABASE_URL=$DATABASE_URL" >&2
echo ">>   DATABASE_REPLICA_URL=$DATABASE_REPLICA_URL" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
