# Sourced by with-postgres.sh and with-replica.sh: what starting a throw-away PostgreSQL 15
# cluster needs on this machine.
#
# Sets: here (this dir), pgbin, as_pg (the command prefix that runs a program as the server's
# user: empty, or runuser as "postgres" when we are root, since PostgreSQL refuses to run as
# root), pg_user (that user's name, empty for ourselves). Defines: pg_start DATA LOG OPTS, which
# initdb's DATA (trusting local connections, replication included) and starts the server.

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pgbin=/usr/lib/postgresql/15/bin

# Fresh machines may not have PostgreSQL yet.
"$here/ensure-package.sh" "$pgbin/initdb" postgresql-15

if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    as_pg=(runuser -u postgres --)
    pg_user=postgres
else
    as_pg=()
    pg_user=
fi

pg_start() {
    local data=$1 log=$2 opts=$3
    # cd / so that the postgres user never trips over an unreadable cwd.
    (
        cd /
        "${as_pg[@]}" "$pgbin/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 \
            || { cat "$data.initdb.log" >&2; exit 1; }
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$data" -l "$log" -o "$opts" -w start >/dev/null \
            || { cat "$log" >&2; exit 1; }
    )
}
