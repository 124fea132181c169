#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test suites.
#
#   scripts/pg_test_server.sh start DIR   initdb DIR/data (if new) and start it; prints its URI
#   scripts/pg_test_server.sh stop DIR    stop it (fast shutdown) and remove DIR
#   scripts/pg_test_server.sh down DIR    stop it and keep DIR (start brings it back)
#   scripts/pg_test_server.sh uri DIR     print the URI a client connects with
#
# The server listens on no TCP address (listen_addresses=''), only on the Unix
# socket DIR/.s.PGSQL.5432, with trust authentication for the superuser
# "postgres", except two roles kept for the error tests: cf_rejected (every
# connection refused by pg_hba.conf) and cf_password (scram-sha-256; the test
# sets its password). fsync is off: the tests check the store's logic, not the
# disk (COLLABFLOW_PG_FSYNC=on keeps it on, for benchmarks of commits).
# PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as
# the "postgres" user (created by the Debian package) on DIR, which is handed
# to it; otherwise they run as the current user. DIR must be short (a socket
# path holds at most 107 bytes) and reachable by that user: /tmp/... is.
# Binaries: $COLLABFLOW_PG_BIN, else /usr/lib/postgresql/15/bin.
set -euo pipefail

usage() { echo "usage: $0 start|stop|down|uri DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$2"
bin="${COLLABFLOW_PG_BIN:-/usr/lib/postgresql/15/bin}"
port=5432

uri() { echo "postgresql:///postgres?host=${dir}&port=${port}&user=postgres"; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  uri) uri ;;
  start)
    [[ -x "$bin/pg_ctl" ]] || {
      echo "pg_test_server.sh: no PostgreSQL in $bin (run scripts/setup.sh)" >&2
      exit 1
    }
    if (( ${#dir} > 80 )); then
      echo "pg_test_server.sh: '$dir' is too long for a Unix socket path" >&2
      exit 1
    fi
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      chmod 700 "$dir"
      runuser -u postgres -- test -w "$dir" || {
        echo "pg_test_server.sh: user postgres cannot write $dir" >&2
        exit 1
      }
    fi
    # A server left running by an interrupted run is stopped first.
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      rm -rf "$dir/data"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      as_owner sh -c "cat > '$dir/data/pg_hba.conf'" <<HBA
local all cf_rejected reject
local all cf_password scram-sha-256
local all all trust
HBA
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -p $port -c fsync=${COLLABFLOW_PG_FSYNC:-off} -c full_page_writes=${COLLABFLOW_PG_FSYNC:-off} -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    uri
    ;;
  stop|down)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    [[ "$cmd" == down ]] || rm -rf "$dir"
    ;;
  *) usage ;;
esac
